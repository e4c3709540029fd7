//! Evidence about the service part of the path (see [`super`]).

use serde::Serialize;

use super::common::DeclaredPort;
use crate::labels::LabelDiff;

/// A fact shown under a finding of the service checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// The DNS name an ExternalName Service aliases (`spec.externalName`).
    ExternalName { external_name: String },
    /// The note of the `dig` fix: check the service behind the external
    /// name once it resolves.
    CheckServiceBehindName,
    /// Nothing keeps the endpoints of a Service without selector up to
    /// date: only who writes them does.
    EndpointsWrittenByHand,
    /// The pod network (node `podCIDR`s) that the stale endpoint addresses
    /// lie in; no current Pod holds them.
    StaleInPodNetwork {
        /// The pod CIDRs of the nodes, in node order.
        pod_cidrs: Vec<String>,
    },
    /// The selected pods and why they are not ready, every one.
    SelectedPods { pods: Vec<PodReadiness> },
    /// What the EndpointSlices of the Service list.
    EndpointSliceCounts {
        endpoints: usize,
        ready: usize,
        serving: usize,
        terminating: usize,
    },
    /// What the Endpoints object of the Service lists (no EndpointSlices).
    EndpointsCounts { ready: usize, not_ready: usize },
    /// The ports a Service lists, in spec order (empty: none).
    ServicePorts { ports: Vec<ListedPort> },
    /// Advice: use a port the Service has, or add the requested one with
    /// `command`.
    UsePortOrAddIt {
        /// The Service's first port, to use instead.
        use_port: i32,
        /// The address the client used (`198.51.100.80`).
        address: String,
        /// The port the client asked for.
        requested_port: u16,
        /// The command that adds it (`kubectl -n … edit service …`).
        command: String,
    },
    /// A container port that a pod declares, as it declares it.
    PodDeclaresPort { pod: String, port: DeclaredPort },
    /// Every port a pod's app containers declare (empty: none).
    PodDeclaresPorts {
        pod: String,
        ports: Vec<DeclaredPort>,
    },
    /// `pods` of the `selected` pods declare the target port only under
    /// `protocol`.
    DeclaredOnlyUnder {
        pods: usize,
        selected: usize,
        protocol: String,
    },
    /// A named `targetPort` resolves by name and protocol: with another
    /// protocol the endpoints get no port.
    NamedTargetPortNeedsProtocol,
    /// A numeric `targetPort` is used as it is: the app may listen under
    /// both protocols.
    NumericTargetPortAsIs,
    /// The Service port sets no `protocol`, so it is the default.
    DefaultProtocol {
        /// The protocol it defaults to (`TCP`).
        protocol: String,
    },
    /// A named `targetPort` resolves per pod: pods without the name are
    /// left out of the endpoints.
    NamedTargetPortPerPod,
    /// Inferred from the declared container ports, which are informational
    /// in Kubernetes: `--cluster-probe` confirms it.
    InferredFromDeclaredPorts,
    /// The pods that lack the target port, every one.
    PodsWithoutTargetPort { pods: Vec<String> },
    /// Pods of the namespace that carry some of the selector's labels and
    /// differ from it the same way.
    PodsDiffer {
        /// Their names, every one.
        pods: Vec<String>,
        diff: LabelDiff,
    },
    /// The Service's namespace has no pods.
    NamespaceHasNoPods { namespace: String },
    /// None of the `pods` pods of `namespace` carries any label of the
    /// selector.
    NoPodCarriesSelectorLabels { namespace: String, pods: usize },
    /// A Deployment whose pod template matches the selector.
    DeploymentMatches {
        namespace: String,
        name: String,
        /// `spec.replicas` (1 when unset).
        replicas: i32,
    },
    /// A Service selects pods of its own namespace only.
    SelectsOwnNamespaceOnly,
    /// The pods of another namespace that the selector matches, every one.
    MatchingPodsIn {
        namespace: String,
        pods: Vec<String>,
    },
}

/// A selected pod and its readiness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PodReadiness {
    pub name: String,
    /// Being deleted (phase and readiness not shown then).
    pub terminating: bool,
    /// `status.phase` (`Running`, `Pending`, …).
    pub phase: String,
    /// The status of its `Ready` condition (`True`, `False`, `Unknown`),
    /// none when the pod has no such condition.
    pub ready: Option<String>,
}

/// A port as a Service lists it: `80/TCP "web" (nodePort 31080)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ListedPort {
    pub port: i32,
    /// `TCP` when the spec leaves it out.
    pub protocol: String,
    pub name: Option<String>,
    pub node_port: Option<i32>,
}
