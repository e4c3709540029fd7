//! References to cluster objects as the report prints them:
//! `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.

use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Serialize, Serializer};

use crate::snapshot::Kind;

/// What an [`ObjectRef`] names: a kind kreach reads; a place on a path that
/// is not an API object (the address a client connects to, a host name, a
/// node's pod network); or another API kind by name (an owner such as a
/// Job, a custom resource such as a Contour `HTTPProxy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefKind {
    Api(Kind),
    /// An address (`Address/203.0.113.10:443`).
    Address,
    /// A host name no object serves (`Host/shop.example.com`).
    Host,
    /// A node's pod network, as the CNI agent provides it
    /// (`NodeNetwork/worker-1`).
    NodeNetwork,
    /// Any other API kind, by its `kind`.
    Other(String),
}

impl RefKind {
    /// The kind from its name: a kind kreach reads, a pseudo-kind, or other.
    pub fn parse(name: &str) -> RefKind {
        match name {
            "Address" => RefKind::Address,
            "Host" => RefKind::Host,
            "NodeNetwork" => RefKind::NodeNetwork,
            _ => {
                Kind::from_name(name).map_or_else(|| RefKind::Other(name.to_string()), RefKind::Api)
            }
        }
    }

    pub fn name(&self) -> &str {
        match self {
            RefKind::Api(k) => k.name(),
            RefKind::Address => "Address",
            RefKind::Host => "Host",
            RefKind::NodeNetwork => "NodeNetwork",
            RefKind::Other(s) => s,
        }
    }

    /// The kind kreach reads, if it is one.
    pub fn api(&self) -> Option<Kind> {
        match self {
            RefKind::Api(k) => Some(*k),
            _ => None,
        }
    }
}

impl From<Kind> for RefKind {
    fn from(k: Kind) -> Self {
        RefKind::Api(k)
    }
}

impl PartialEq<Kind> for RefKind {
    fn eq(&self, k: &Kind) -> bool {
        *self == RefKind::Api(*k)
    }
}

/// Ordered by name, as references sort in reports.
impl Ord for RefKind {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.name().cmp(o.name())
    }
}

impl PartialOrd for RefKind {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for RefKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Serialize for RefKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl schemars::JsonSchema for RefKind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RefKind".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An API kind (`Pod`, `Service`, ...) or a pseudo-kind: `Address`, `Host`, `NodeNetwork`"
        })
    }
}

impl schemars::JsonSchema for ObjectRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ObjectRef".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "`KIND/NAMESPACE/NAME`, or `KIND/NAME` for cluster-scoped objects and pseudo-kinds"
        })
    }
}

/// The JSON Schema of an `IntOrString` (a port number or a port name).
#[derive(schemars::JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
pub(crate) enum IntOrStringSchema {
    Int(i32),
    String(String),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: RefKind,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn namespaced(kind: impl Into<RefKind>, ns: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.into(),
            namespace: Some(ns.to_string()),
            name: name.to_string(),
        }
    }

    pub fn cluster(kind: impl Into<RefKind>, name: &str) -> Self {
        ObjectRef {
            kind: kind.into(),
            namespace: None,
            name: name.to_string(),
        }
    }

    /// A reference to an object from its kind and metadata.
    pub fn of(kind: impl Into<RefKind>, meta: &ObjectMeta) -> Self {
        match meta.namespace.as_deref() {
            Some(ns) if !ns.is_empty() => {
                Self::namespaced(kind, ns, meta.name.as_deref().unwrap_or(""))
            }
            _ => Self::cluster(kind, meta.name.as_deref().unwrap_or("")),
        }
    }

    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

impl Serialize for ObjectRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Names of the metadata fields most code needs, without unwrapping at each use.
pub trait MetaExt {
    fn meta(&self) -> &ObjectMeta;
    fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }
    fn ns(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }
    fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        static EMPTY: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
            std::sync::OnceLock::new();
        self.meta()
            .labels
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(Default::default))
    }
    fn annotation(&self, key: &str) -> Option<&str> {
        self.meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(key))
            .map(String::as_str)
    }
}

impl<T: k8s_openapi::Metadata<Ty = ObjectMeta>> MetaExt for T {
    fn meta(&self) -> &ObjectMeta {
        self.metadata()
    }
}

/// A reference to a typed object.
pub fn obj_ref<T: k8s_openapi::Resource + k8s_openapi::Metadata<Ty = ObjectMeta>>(
    o: &T,
) -> ObjectRef {
    ObjectRef::of(RefKind::parse(T::KIND), o.metadata())
}

/// `spec.type` of a Service (absent: `ClusterIP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// `spec.externalTrafficPolicy` (absent: `Cluster`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum TrafficPolicy {
    Cluster,
    Local,
}

/// The typed reading of a Service's spec, next to [`MetaExt`]: no caller
/// compares `spec.type` strings.
pub trait ServiceExt {
    fn service(&self) -> &k8s_openapi::api::core::v1::Service;

    fn service_type(&self) -> ServiceType {
        match self
            .service()
            .spec
            .as_ref()
            .and_then(|s| s.type_.as_deref())
        {
            Some("NodePort") => ServiceType::NodePort,
            Some("LoadBalancer") => ServiceType::LoadBalancer,
            Some("ExternalName") => ServiceType::ExternalName,
            _ => ServiceType::ClusterIP,
        }
    }

    /// Whether the Service allocates node ports (NodePort and LoadBalancer
    /// types, unless `allocateLoadBalancerNodePorts: false` left them out).
    fn has_node_ports(&self) -> bool {
        matches!(
            self.service_type(),
            ServiceType::NodePort | ServiceType::LoadBalancer
        ) && self
            .service()
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .any(|p| p.node_port.is_some())
    }

    fn external_traffic_policy(&self) -> TrafficPolicy {
        match self
            .service()
            .spec
            .as_ref()
            .and_then(|s| s.external_traffic_policy.as_deref())
        {
            Some("Local") => TrafficPolicy::Local,
            _ => TrafficPolicy::Cluster,
        }
    }
}

impl ServiceExt for k8s_openapi::api::core::v1::Service {
    fn service(&self) -> &k8s_openapi::api::core::v1::Service {
        self
    }
}

/// `status.addresses[].type` of a Node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum AddressType {
    InternalIP,
    ExternalIP,
    Hostname,
    InternalDNS,
    ExternalDNS,
}

impl AddressType {
    pub fn name(self) -> &'static str {
        match self {
            AddressType::InternalIP => "InternalIP",
            AddressType::ExternalIP => "ExternalIP",
            AddressType::Hostname => "Hostname",
            AddressType::InternalDNS => "InternalDNS",
            AddressType::ExternalDNS => "ExternalDNS",
        }
    }
}

#[cfg(test)]
mod service_ext_tests {
    use super::*;

    #[test]
    fn ref_kinds_are_typed_and_print_as_kubectl_names() {
        assert_eq!(RefKind::parse("Pod"), RefKind::Api(Kind::Pod));
        assert_eq!(RefKind::parse("NodeNetwork"), RefKind::NodeNetwork);
        assert_eq!(RefKind::parse("Job"), RefKind::Other("Job".into()));
        for k in ["Address", "Host", "NodeNetwork", "Job", "EndpointSlice"] {
            assert_eq!(RefKind::parse(k).name(), k);
        }
        let r = ObjectRef::namespaced(Kind::Pod, "shop", "web-1");
        assert_eq!(r.to_string(), "Pod/shop/web-1");
        assert_eq!(serde_json::to_value(&r.kind).unwrap(), "Pod");
        // Sorted by name, as the strings they replace were.
        let mut v = [
            RefKind::Api(Kind::Service),
            RefKind::Address,
            RefKind::Api(Kind::Node),
        ];
        v.sort();
        assert_eq!(
            v.map(|k| k.name().to_string()),
            ["Address", "Node", "Service"]
        );
    }

    fn svc(yaml: &str) -> k8s_openapi::api::core::v1::Service {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn service_types_and_policies_default_as_the_api_does() {
        let s = svc("metadata: {name: a}\nspec: {ports: [{port: 80}]}");
        assert_eq!(s.service_type(), ServiceType::ClusterIP);
        assert_eq!(s.external_traffic_policy(), TrafficPolicy::Cluster);
        assert!(!s.has_node_ports());
        let s = svc(
            "metadata: {name: a}\nspec: {type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 80, nodePort: 31000}]}",
        );
        assert_eq!(s.service_type(), ServiceType::LoadBalancer);
        assert_eq!(s.external_traffic_policy(), TrafficPolicy::Local);
        assert!(s.has_node_ports());
        let s = svc(
            "metadata: {name: a}\nspec: {type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 80}]}",
        );
        assert!(!s.has_node_ports());
        assert_eq!(
            svc("metadata: {name: a}\nspec: {type: ExternalName, externalName: db.example.com}")
                .service_type(),
            ServiceType::ExternalName
        );
    }
}
