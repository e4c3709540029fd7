//! The cluster state that every check reads: typed Kubernetes objects
//! (k8s-openapi types) plus what the source could not read and why.
//!
//! A `Snapshot` is filled by a source (the offline loader in
//! `kreach-collect`, or the live collector) and is never changed by the
//! analysis. It deliberately does not hold Secret data: TLS Secrets are kept
//! as certificate metadata only ([`TlsSecret`]), parsed when loaded, so no
//! key material survives loading.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass, NetworkPolicy};
use serde::Serialize;

use crate::event::EventRecord;
use crate::object::ObjectRef;
use crate::tls::TlsSecret;

/// The kinds of object kreach reads. The order is the order of the report's
/// "what could not be read" section.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Ingress,
    IngressClass,
    NetworkPolicy,
    Event,
    Secret,
    ConfigMap,
    Deployment,
    ReplicaSet,
    DaemonSet,
    StatefulSet,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Ingress,
        Kind::IngressClass,
        Kind::NetworkPolicy,
        Kind::Event,
        Kind::Secret,
        Kind::ConfigMap,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::DaemonSet,
        Kind::StatefulSet,
    ];

    /// The API metadata of the kind, from k8s-openapi's [`Resource`]
    /// implementations (never written out by hand).
    pub fn meta(self) -> KindMeta {
        use k8s_openapi::api::{apps, core, discovery, networking};
        fn of<T: Resource>(namespaced: bool) -> KindMeta {
            KindMeta {
                kind: T::KIND,
                group: T::GROUP,
                version: T::VERSION,
                api_version: T::API_VERSION,
                plural: T::URL_PATH_SEGMENT,
                namespaced,
            }
        }
        fn ns<T: Resource<Scope = k8s_openapi::NamespaceResourceScope>>() -> KindMeta {
            of::<T>(true)
        }
        fn cluster<T: Resource<Scope = k8s_openapi::ClusterResourceScope>>() -> KindMeta {
            of::<T>(false)
        }
        match self {
            Kind::Namespace => cluster::<core::v1::Namespace>(),
            Kind::Node => cluster::<core::v1::Node>(),
            Kind::Pod => ns::<core::v1::Pod>(),
            Kind::Service => ns::<core::v1::Service>(),
            Kind::Endpoints => ns::<core::v1::Endpoints>(),
            Kind::EndpointSlice => ns::<discovery::v1::EndpointSlice>(),
            Kind::Ingress => ns::<networking::v1::Ingress>(),
            Kind::IngressClass => cluster::<networking::v1::IngressClass>(),
            Kind::NetworkPolicy => ns::<networking::v1::NetworkPolicy>(),
            Kind::Event => ns::<core::v1::Event>(),
            Kind::Secret => ns::<core::v1::Secret>(),
            Kind::ConfigMap => ns::<core::v1::ConfigMap>(),
            Kind::Deployment => ns::<apps::v1::Deployment>(),
            Kind::ReplicaSet => ns::<apps::v1::ReplicaSet>(),
            Kind::DaemonSet => ns::<apps::v1::DaemonSet>(),
            Kind::StatefulSet => ns::<apps::v1::StatefulSet>(),
        }
    }

    pub fn name(self) -> &'static str {
        self.meta().kind
    }

    /// The plural resource name, as `kubectl auth can-i list …` wants it:
    /// `pods`, `ingresses.networking.k8s.io`.
    pub fn resource(self) -> String {
        let m = self.meta();
        if m.group.is_empty() {
            m.plural.to_string()
        } else {
            format!("{}.{}", m.plural, m.group)
        }
    }

    /// Whether objects of the kind live in namespaces.
    pub fn namespaced(self) -> bool {
        self.meta().namespaced
    }

    /// The path prefix of its API: `/api/v1`, `/apis/apps/v1`.
    pub fn api_path(self) -> String {
        let m = self.meta();
        if m.group.is_empty() {
            format!("/api/{}", m.version)
        } else {
            format!("/apis/{}/{}", m.group, m.version)
        }
    }

    pub fn from_name(kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == kind)
    }
}

/// What the API says about a kind (see [`Kind::meta`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindMeta {
    pub kind: &'static str,
    /// `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// `v1`, `apps/v1`.
    pub api_version: &'static str,
    /// `pods`, `ingresses`.
    pub plural: &'static str,
    pub namespaced: bool,
}

/// Why a kind is not known: the report says it, and checks that need the
/// kind say `unknown` instead of "fine".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MissingKind {
    pub kind: Kind,
    pub reason: NotRead,
}

/// A problem met while loading that did not stop it, as facts
/// (`kreach-report` words them; parser and OS messages are shown as they are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "warning", rename_all = "kebab-case")]
pub enum Warning {
    /// An object of a kind kreach reads that does not deserialize: skipped.
    ObjectSkipped {
        source: String,
        /// `Service shop/web`.
        object: String,
        error: String,
    },
    /// A file that could not be read: skipped.
    FileUnreadable { path: String, message: String },
    /// A file that is not valid YAML or JSON: skipped.
    FileInvalid {
        path: String,
        line: Option<u64>,
        column: Option<u64>,
        /// `YAML` or `JSON`.
        syntax: &'static str,
        message: String,
    },
    /// Another file that could not be used (an archive member): skipped.
    FileSkipped { path: String, message: String },
    /// Documents without a Kubernetes kind.
    Kindless { path: String, count: usize },
    /// A support bundle recorded errors collecting a file.
    BundleErrors {
        file: String,
        count: usize,
        first: String,
    },
    /// A snapshot manifest lists a kind kreach does not know.
    UnknownMissingKind { path: String, kind: String },
    /// Two different copies of one object (same kind, namespace and name,
    /// another uid or other content): the first one read is kept.
    ConflictingCopies {
        /// `Service shop/web`.
        object: String,
        /// The file of the copy kept.
        first: String,
        /// The file of the copy left out.
        second: String,
    },
}

impl Warning {
    /// The file (or source) it is about.
    pub fn path(&self) -> &str {
        match self {
            Warning::ObjectSkipped { source: p, .. }
            | Warning::FileUnreadable { path: p, .. }
            | Warning::FileInvalid { path: p, .. }
            | Warning::FileSkipped { path: p, .. }
            | Warning::Kindless { path: p, .. }
            | Warning::BundleErrors { file: p, .. }
            | Warning::UnknownMissingKind { path: p, .. }
            | Warning::ConflictingCopies { second: p, .. } => p,
        }
    }
}

/// Why a source could not provide a kind, as facts (`kreach-report` words
/// them). A `kreach snapshot` manifest stores it as this JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum NotRead {
    /// RBAC refused the request (403).
    Forbidden {
        /// The `kubectl auth can-i` command that shows it.
        can_i: String,
        /// The API server's message, if any.
        message: String,
    },
    /// The API server does not serve the resource (404 on a LIST: no CRD,
    /// or an API version it does not have).
    NotServed,
    /// The request failed otherwise (timeout, 5xx), with the error.
    Failed { message: String },
    /// A paged LIST's continue token expired (410 Gone) on every attempt:
    /// the kind changes faster than it can be read page by page.
    ContinueExpired {
        /// How many times the LIST started over.
        relists: usize,
    },
    /// A `kubectl cluster-info dump` does not hold this kind.
    NotInClusterInfoDump { kind: Kind },
    /// The support bundle recorded errors collecting this file.
    BundleErrors {
        /// `cluster-resources/ingress`.
        file: String,
        /// The first error.
        first: String,
        /// How many more it recorded.
        more: usize,
    },
    /// The support bundle has no such file.
    NotInBundle { file: String },
    /// Support bundles never hold Secrets.
    BundleHoldsNoSecrets,
    /// A snapshot's manifest records it as not collected, without saying
    /// why (or in the words of an older kreach).
    Recorded { reason: String },
    /// The source holds an object of the kind that could not be decoded
    /// (a support bundle's odd file): the kind is partial.
    Undecodable {
        file: String,
        /// `Service shop/web`.
        object: String,
        /// `spec.ports[0].port`, or empty.
        field: String,
        /// The decoder's message.
        error: String,
    },
    /// A plain YAML/JSON file or directory evidently lacks the kind: what it
    /// holds shows it is not a whole cluster (`kubectl get all` output, Pods
    /// on Nodes it does not hold, …).
    NotInDump {
        /// A file or a directory.
        holder: Holder,
        evidence: DumpEvidence,
    },
}

/// What the user named as a snapshot, as messages call it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Holder {
    File,
    Directory,
}

/// Why a plain file or directory is evidently not a whole cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "evidence", rename_all = "kebab-case")]
pub enum DumpEvidence {
    /// Pods are scheduled on Nodes it does not hold (`nodes`: the first few
    /// names, `more`: how many others).
    PodsOnAbsentNodes { nodes: Vec<String>, more: usize },
    /// Objects read from a cluster (they carry uids), not one Node.
    NoNodes,
    /// It holds only kinds `kubectl get all` prints (Pods, Services,
    /// workloads, Jobs, HPAs), which leaves out every other kind.
    GetAll,
    /// Workloads report ready replicas but it holds no Pod at all:
    /// `workload` is the first (`Deployment shop/web`), `ready` its count.
    ReadyReplicasWithoutPods {
        workload: String,
        ready: i32,
        more: usize,
    },
    /// Objects read from a cluster (they carry uids) holding neither Nodes
    /// nor Namespaces: only the kinds listed were collected.
    OnlySomeKinds { kinds: Vec<Kind> },
}

/// The state of a cluster as one source saw it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub namespaces: Vec<Namespace>,
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    pub services: Vec<Service>,
    pub endpoints: Vec<Endpoints>,
    pub endpoint_slices: Vec<EndpointSlice>,
    pub ingresses: Vec<Ingress>,
    pub ingress_classes: Vec<IngressClass>,
    pub network_policies: Vec<NetworkPolicy>,
    pub events: Vec<EventRecord>,
    pub tls_secrets: Vec<TlsSecret>,
    /// Non-TLS Secrets are kept by name and type only (an Ingress may point at one).
    pub other_secrets: Vec<ObjectRef>,
    pub config_maps: Vec<ConfigMap>,
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub daemon_sets: Vec<DaemonSet>,
    pub stateful_sets: Vec<StatefulSet>,
    /// Kinds kreach does not model, by `apiVersion/kind`, with their count.
    /// Some are evidence on their own (a MetalLB `IPAddressPool`, a GKE
    /// `BackendConfig`, a `CiliumLoadBalancerIPPool`).
    pub other_kinds: BTreeMap<String, usize>,
    /// Kinds the source could not provide.
    pub missing: Vec<MissingKind>,
    /// When the state was collected, if the source records it.
    pub collected_at: Option<k8s_openapi::jiff::Timestamp>,
    /// Problems met while loading that did not stop it (a file skipped).
    pub warnings: Vec<Warning>,
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    pods_by_ns: HashMap<String, Vec<usize>>,
    pod_by_name: HashMap<(String, String), usize>,
    svc_by_name: HashMap<(String, String), usize>,
    node_by_name: HashMap<String, usize>,
    ns_by_name: HashMap<String, usize>,
    events_by_object: HashMap<(String, String, String), Vec<usize>>,
    built: bool,
}

fn meta_key(ns: Option<&String>, name: Option<&String>) -> (String, String) {
    (
        ns.cloned().unwrap_or_default(),
        name.cloned().unwrap_or_default(),
    )
}

impl Snapshot {
    /// Adds an object of any supported kind, already typed. Used by sources.
    pub fn push_secret(&mut self, secret: &Secret) {
        // Only the certificate of TLS Secrets is kept; everything else is
        // dropped here so that Secret data never reaches the analysis.
        let r = ObjectRef::namespaced(
            Kind::Secret,
            secret.metadata.namespace.as_deref().unwrap_or(""),
            secret.metadata.name.as_deref().unwrap_or(""),
        );
        if secret.type_.as_deref() == Some("kubernetes.io/tls") {
            self.tls_secrets.push(TlsSecret::from_secret(secret));
        } else {
            self.other_secrets.push(r);
        }
    }

    /// Builds the lookup indexes. Sources call it once they are done; the
    /// lookups below fall back to scanning when it was not called.
    pub fn finish(&mut self) {
        let mut ix = Index::default();
        for (i, p) in self.pods.iter().enumerate() {
            let k = meta_key(p.metadata.namespace.as_ref(), p.metadata.name.as_ref());
            ix.pods_by_ns.entry(k.0.clone()).or_default().push(i);
            ix.pod_by_name.insert(k, i);
        }
        for (i, s) in self.services.iter().enumerate() {
            ix.svc_by_name.insert(
                meta_key(s.metadata.namespace.as_ref(), s.metadata.name.as_ref()),
                i,
            );
        }
        for (i, n) in self.nodes.iter().enumerate() {
            ix.node_by_name
                .insert(n.metadata.name.clone().unwrap_or_default(), i);
        }
        for (i, n) in self.namespaces.iter().enumerate() {
            ix.ns_by_name
                .insert(n.metadata.name.clone().unwrap_or_default(), i);
        }
        for (i, e) in self.events.iter().enumerate() {
            ix.events_by_object
                .entry((
                    e.object.kind.name().to_string(),
                    e.object.namespace.clone().unwrap_or_default(),
                    e.object.name.clone(),
                ))
                .or_default()
                .push(i);
        }
        ix.built = true;
        self.index = ix;
    }

    /// Whether the source could provide a kind at all.
    pub fn has_kind(&self, kind: Kind) -> bool {
        !self.missing.iter().any(|m| m.kind == kind)
    }

    pub fn missing_reason(&self, kind: Kind) -> Option<&NotRead> {
        self.missing
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| &m.reason)
    }

    /// The same state as a source that was refused `kind` would give: its
    /// objects gone and the kind missing for `reason`.
    pub fn forbid(&mut self, kind: Kind, reason: NotRead) {
        match kind {
            Kind::Namespace => self.namespaces.clear(),
            Kind::Node => self.nodes.clear(),
            Kind::Pod => self.pods.clear(),
            Kind::Service => self.services.clear(),
            Kind::Endpoints => self.endpoints.clear(),
            Kind::EndpointSlice => self.endpoint_slices.clear(),
            Kind::Ingress => self.ingresses.clear(),
            Kind::IngressClass => self.ingress_classes.clear(),
            Kind::NetworkPolicy => self.network_policies.clear(),
            Kind::Event => self.events.clear(),
            Kind::Secret => {
                self.tls_secrets.clear();
                self.other_secrets.clear();
            }
            Kind::ConfigMap => self.config_maps.clear(),
            Kind::Deployment => self.deployments.clear(),
            Kind::ReplicaSet => self.replica_sets.clear(),
            Kind::DaemonSet => self.daemon_sets.clear(),
            Kind::StatefulSet => self.stateful_sets.clear(),
        }
        self.mark_missing(kind, reason);
        self.finish();
    }

    pub fn mark_missing(&mut self, kind: Kind, reason: NotRead) {
        if self.has_kind(kind) {
            self.missing.push(MissingKind { kind, reason });
        }
    }

    pub fn pods_in<'a>(&'a self, ns: &str) -> Box<dyn Iterator<Item = &'a Pod> + 'a> {
        if self.index.built {
            match self.index.pods_by_ns.get(ns) {
                Some(ix) => Box::new(ix.iter().map(|&i| &self.pods[i])),
                None => Box::new(std::iter::empty()),
            }
        } else {
            let ns = ns.to_string();
            Box::new(
                self.pods
                    .iter()
                    .filter(move |p| p.metadata.namespace.as_deref() == Some(ns.as_str())),
            )
        }
    }

    pub fn pod(&self, ns: &str, name: &str) -> Option<&Pod> {
        if self.index.built {
            return self
                .index
                .pod_by_name
                .get(&(ns.to_string(), name.to_string()))
                .map(|&i| &self.pods[i]);
        }
        self.pods.iter().find(|p| {
            p.metadata.namespace.as_deref() == Some(ns) && p.metadata.name.as_deref() == Some(name)
        })
    }

    pub fn service(&self, ns: &str, name: &str) -> Option<&Service> {
        if self.index.built {
            return self
                .index
                .svc_by_name
                .get(&(ns.to_string(), name.to_string()))
                .map(|&i| &self.services[i]);
        }
        self.services.iter().find(|s| {
            s.metadata.namespace.as_deref() == Some(ns) && s.metadata.name.as_deref() == Some(name)
        })
    }

    pub fn ingress(
        &self,
        ns: &str,
        name: &str,
    ) -> Option<&k8s_openapi::api::networking::v1::Ingress> {
        self.ingresses.iter().find(|i| {
            i.metadata.namespace.as_deref() == Some(ns) && i.metadata.name.as_deref() == Some(name)
        })
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        if self.index.built {
            return self.index.node_by_name.get(name).map(|&i| &self.nodes[i]);
        }
        self.nodes
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(name))
    }

    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        if self.index.built {
            return self
                .index
                .ns_by_name
                .get(name)
                .map(|&i| &self.namespaces[i]);
        }
        self.namespaces
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(name))
    }

    /// Whether a namespace exists. Without Namespace objects (a format that
    /// cannot hold them) a namespace exists when any object lives in it.
    pub fn namespace_exists(&self, name: &str) -> Option<bool> {
        if self.namespace(name).is_some() {
            return Some(true);
        }
        let used = self
            .pods
            .iter()
            .any(|p| p.metadata.namespace.as_deref() == Some(name))
            || self
                .services
                .iter()
                .any(|s| s.metadata.namespace.as_deref() == Some(name));
        if used {
            return Some(true);
        }
        if self.has_kind(Kind::Namespace) && !self.namespaces.is_empty() {
            Some(false)
        } else {
            None
        }
    }

    /// The labels of a namespace. Without Namespace objects, the one label
    /// the API server always sets (`kubernetes.io/metadata.name`).
    pub fn namespace_labels(&self, name: &str) -> BTreeMap<String, String> {
        match self.namespace(name) {
            Some(ns) => {
                let mut l = ns.metadata.labels.clone().unwrap_or_default();
                l.entry("kubernetes.io/metadata.name".into())
                    .or_insert_with(|| name.to_string());
                l
            }
            None => BTreeMap::from([("kubernetes.io/metadata.name".to_string(), name.to_string())]),
        }
    }

    /// The events about one object, newest first.
    pub fn events_for(&self, object: &ObjectRef) -> Vec<&EventRecord> {
        let mut v: Vec<&EventRecord> = if self.index.built {
            self.index
                .events_by_object
                .get(&(
                    object.kind.name().to_string(),
                    object.namespace.clone().unwrap_or_default(),
                    object.name.clone(),
                ))
                .map(|ix| ix.iter().map(|&i| &self.events[i]).collect())
                .unwrap_or_default()
        } else {
            self.events.iter().filter(|e| &e.object == object).collect()
        };
        v.sort_by_key(|e| std::cmp::Reverse(e.last_seen()));
        v
    }

    /// Every namespace name seen in the snapshot.
    pub fn namespace_names(&self) -> BTreeSet<String> {
        let mut s: BTreeSet<String> = self
            .namespaces
            .iter()
            .filter_map(|n| n.metadata.name.clone())
            .collect();
        s.extend(
            self.pods
                .iter()
                .filter_map(|p| p.metadata.namespace.clone()),
        );
        s.extend(
            self.services
                .iter()
                .filter_map(|p| p.metadata.namespace.clone()),
        );
        s
    }

    /// The EndpointSlices the control plane publishes for a Service (label
    /// `kubernetes.io/service-name`).
    pub fn endpoint_slices_for<'a>(
        &'a self,
        ns: &'a str,
        service: &'a str,
    ) -> impl Iterator<Item = &'a EndpointSlice> + 'a {
        self.endpoint_slices.iter().filter(move |s| {
            s.metadata.namespace.as_deref() == Some(ns)
                && s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("kubernetes.io/service-name"))
                    .map(String::as_str)
                    == Some(service)
        })
    }

    /// The Endpoints object of a Service.
    pub fn endpoints_for(&self, ns: &str, service: &str) -> Option<&Endpoints> {
        self.endpoints.iter().find(|e| {
            e.metadata.namespace.as_deref() == Some(ns)
                && e.metadata.name.as_deref() == Some(service)
        })
    }

    pub fn tls_secret(&self, ns: &str, name: &str) -> Option<&TlsSecret> {
        self.tls_secrets
            .iter()
            .find(|s| s.object.namespace.as_deref() == Some(ns) && s.object.name == name)
    }
}

impl Snapshot {
    /// Adds a parsed document: one object, a `kind: List`, or a typed
    /// `*List` (whose items may lack apiVersion/kind). Objects of a known
    /// kind that do not fit the typed model are skipped with a warning.
    /// `origin` names the source in warnings (a file name).
    pub fn add_value(&mut self, v: serde_json::Value, origin: &str) {
        let serde_json::Value::Object(mut map) = v else {
            return;
        };
        let kind = map
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("")
            .to_string();
        if kind.ends_with("List") && matches!(map.get("items"), Some(serde_json::Value::Array(_))) {
            let api = map
                .get("apiVersion")
                .and_then(|k| k.as_str())
                .unwrap_or("")
                .to_string();
            let item_kind = kind
                .strip_suffix("List")
                .filter(|k| !k.is_empty())
                .map(str::to_string);
            if let Some(serde_json::Value::Array(items)) = map.remove("items") {
                for mut item in items {
                    if let (Some(ik), serde_json::Value::Object(o)) = (&item_kind, &mut item) {
                        o.entry("kind")
                            .or_insert_with(|| serde_json::Value::String(ik.clone()));
                        o.entry("apiVersion")
                            .or_insert_with(|| serde_json::Value::String(api.clone()));
                    }
                    self.add_value(item, origin);
                }
            }
            return;
        }
        crate::ingest::sanitize(&mut map);
        crate::ingest::add_object(self, origin, map);
    }
}
