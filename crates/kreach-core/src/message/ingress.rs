//! Evidence about the ingress part of the path (see [`super`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingress::MissReason;
use crate::message::common::PodState;
use crate::object::ObjectRef;

/// A fact shown under a finding of the ingress checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    // Backends.
    /// The ports of the backend Service (empty: it has none).
    ServicePorts { ports: Vec<ServicePortMap> },
    /// The backend's port number is the targetPort of a Service port, not
    /// the Service port itself.
    TargetPortNotServicePort {
        /// The number the backend uses (a targetPort of the Service).
        target_port: i32,
        /// The Service port whose targetPort it is.
        service_port: i32,
    },
    /// The rule and path of the Ingress whose backend this is.
    UsedByRule {
        /// Index into `spec.rules`.
        rule: usize,
        /// The rule's host (None: every host).
        host: Option<String>,
        /// The path (None: `/`).
        path: Option<String>,
    },
    /// The backend is the Ingress's `defaultBackend`.
    UsedByDefaultBackend,
    /// Services with a similar name in the Ingress's namespace.
    SimilarServices {
        namespace: String,
        services: Vec<String>,
    },
    /// A Service of the backend's name exists, but in other namespaces.
    ServiceInOtherNamespaces {
        service: String,
        /// Where it exists.
        namespaces: Vec<String>,
        /// The Ingress's namespace.
        namespace: String,
    },

    // Classes and controllers.
    /// The cluster has no IngressClass at all.
    NoIngressClasses,
    /// Every IngressClass of the cluster.
    IngressClasses { classes: Vec<IngressClassInfo> },
    /// The controller (`spec.controller`) the Ingress's class names.
    ClassController {
        /// The class (None: unknown).
        class: Option<String>,
        controller: String,
    },
    /// The state of one pod of the controller.
    ControllerPod { pod: String, state: PodState },
    /// The Ingress's class names no IngressClass, so no controller claims
    /// it.
    ClassWithoutIngressClass { class: String },
    /// The Ingress has no class and no IngressClass is the default.
    NoClassNoDefault,
    /// Who serves the Ingress's class.
    ServedBy {
        class: Option<String>,
        /// The controller's workload, when found.
        workload: Option<ObjectRef>,
        /// The controller product (`ingress-nginx`, `Traefik`, …); None
        /// for a controller kreach does not know.
        product: Option<String>,
        /// `spec.controller` of the class.
        controller: String,
        /// The controller runs outside the cluster (no pods to count).
        external: bool,
        ready_pods: usize,
        pods: usize,
    },
    /// The controller's namespace flag excludes the Ingress's namespace.
    WatchExcludes {
        /// The flag as the controller runs with it
        /// (`--watch-namespace-selector=team=a`).
        flag: String,
        namespace: String,
        /// The namespace's labels.
        labels: BTreeMap<String, String>,
    },
    /// Other Ingresses of the same class that have an address
    /// (`namespace/name`).
    SameClassWithAddress { ingresses: Vec<String> },
    /// A ready controller claims the class: it may serve the Ingress
    /// without publishing an address.
    MayServeWithoutAddress,

    // Rules.
    /// Why the closest rule misses the request.
    ClosestRule { reason: MissReason },
    /// Requests that match no rule go to the controller's default backend.
    DefaultBackendAnswers,
    /// Note of a `curl -H 'Host: …'` fix: the host the rule serves.
    HostTheRuleServes,

    // TLS.
    /// The certificate's validity period (RFC 3339).
    CertificateValidity {
        not_before: String,
        not_after: String,
    },
    /// The certificate's subject and issuer (distinguished names).
    CertificateSubject { subject: String, issuer: String },
    /// The Ingress TLS block that uses the Secret.
    UsedByIngressTls {
        namespace: String,
        ingress: String,
        /// Index into `spec.tls`.
        tls_index: usize,
    },
    /// The names the certificate covers: its DNS SANs, or its common name
    /// when it has none.
    CertificateNames {
        sans: Vec<String>,
        common_name: Option<String>,
    },
    /// A wildcard SAN that covers one label, not the host's several.
    WildcardOneLabel { wildcard: String, host: String },
    /// The hosts of every TLS block of the Ingress (empty: none).
    TlsHosts { hosts: Vec<String> },
    /// The controller's `--default-ssl-certificate` Secret
    /// (`namespace/name`) and whether it covers the host.
    DefaultCertificate {
        secret: String,
        host: String,
        covers: bool,
    },
    /// The controller has no `--default-ssl-certificate`: it serves a
    /// self-signed one.
    NoDefaultCertificate,
    /// Note of an `edit ingress` fix: add a TLS block for the host.
    AddTlsBlock { host: String },
    /// A TLS block of the Ingress and the Secret it names.
    TlsBlockSecret {
        /// Index into `spec.tls`.
        index: usize,
        /// The block's hosts (empty: every host).
        hosts: Vec<String>,
        secret: String,
    },
    /// Without the Secret the controller serves its default self-signed
    /// certificate.
    DefaultCertificateServed,
    /// A Secret of that name exists, but in other namespaces.
    SecretInOtherNamespaces {
        secret: String,
        /// Where it exists.
        namespaces: Vec<String>,
        /// The Ingress's namespace.
        namespace: String,
    },
}

/// One port of a Service: `80 "http" → 8080`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ServicePortMap {
    pub port: i32,
    pub name: Option<String>,
    /// The targetPort, a number or a container port name (the port itself
    /// when unset).
    pub target_port: String,
}

/// An IngressClass and the controller that serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IngressClassInfo {
    pub name: String,
    /// `spec.controller` (None: unset).
    pub controller: Option<String>,
    /// Marked default (`ingressclass.kubernetes.io/is-default-class`).
    pub default: bool,
}

/// The port of an Ingress backend, as `backend.service.port` spells it:
/// `{"number": 8080}` or `{"name": "http"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BackendPort {
    Number(i32),
    Name(String),
}
