//! Parsed documents → Kubernetes objects → the typed `Snapshot`.
//!
//! [`flatten`] turns one document into the objects it holds: a generic
//! `kind: List`, a typed `*List` (whose items may lack `apiVersion`/`kind`:
//! they are filled in from the list), a top-level sequence (support bundles
//! write custom resources that way) or a single object. [`sanitize`] strips
//! Secret data down to `tls.crt` before anything else sees the object, so
//! neither the typed snapshot nor the raw documents ever hold key material.
//! [`add_to_snapshot`] dispatches on `apiVersion` + `kind` into k8s-openapi
//! types; an object of a known kind that does not deserialize is skipped
//! with a warning, an unknown kind is only counted.
//!
//! Older API versions of the kinds kreach reads (`extensions/v1beta1`
//! Ingress, `apps/v1beta2` Deployment, …) are read as the current version:
//! Ingress `v1beta1` backends are rewritten to the `v1` shape, the others
//! only differ in fields kreach does not read.

use k8s_openapi::ByteString;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event as CoreEvent, Namespace, Node, Pod, Secret, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::events::v1::Event as NewEvent;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass, NetworkPolicy};
use kreach_core::Kind;
use kreach_core::Snapshot;
use kreach_core::event::EventRecord;
use serde_json::{Map, Value};

/// One Kubernetes object: a JSON object with a non-empty `kind`.
pub(crate) type Object = Map<String, Value>;

/// Lists inside lists are legal but rare; this bounds the recursion.
const MAX_LIST_DEPTH: usize = 8;

/// What one document held.
#[derive(Debug, Default)]
pub(crate) struct Flattened {
    pub objects: Vec<Object>,
    /// Pieces that are not objects with a `kind` (a Helm values file, a
    /// bundle's `auth-cani-list` rules, a bare scalar).
    pub kindless: usize,
}

/// Splits a document into the objects it holds.
pub(crate) fn flatten(value: Value, out: &mut Flattened) {
    flatten_into(value, None, 0, out);
}

fn flatten_into(value: Value, item_type: Option<(&str, &str)>, depth: usize, out: &mut Flattened) {
    match value {
        Value::Null => {}
        Value::Array(items) if depth < MAX_LIST_DEPTH => {
            for item in items {
                flatten_into(item, None, depth + 1, out);
            }
        }
        Value::Object(mut map) => {
            if let Some((api_version, kind)) = item_type {
                if str_field(&map, "apiVersion").is_empty() {
                    map.insert("apiVersion".into(), Value::String(api_version.into()));
                }
                if str_field(&map, "kind").is_empty() {
                    map.insert("kind".into(), Value::String(kind.into()));
                }
            }
            let kind = str_field(&map, "kind").to_string();
            if kind.is_empty() {
                out.kindless += 1;
                return;
            }
            let is_list = kind.ends_with("List")
                && matches!(map.get("items"), Some(Value::Array(_)) | Some(Value::Null));
            if !is_list {
                sanitize(&mut map);
                out.objects.push(map);
                return;
            }
            if depth >= MAX_LIST_DEPTH {
                out.kindless += 1;
                return;
            }
            let api_version = str_field(&map, "apiVersion").to_string();
            let items = match map.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            // `kind: List` items carry their own type; a typed `PodList`
            // from the API leaves it out of its items.
            let item_kind = kind.strip_suffix("List").unwrap_or("");
            let item_type = (kind != "List" && !item_kind.is_empty())
                .then_some((api_version.as_str(), item_kind));
            for item in items {
                flatten_into(item, item_type, depth + 1, out);
            }
        }
        _ => out.kindless += 1,
    }
}

pub(crate) fn str_field<'a>(map: &'a Object, key: &str) -> &'a str {
    map.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `Pod velero/restic-5dkdh`, `Node n1`: how warnings name an object.
pub(crate) fn describe(map: &Object) -> String {
    let meta = map.get("metadata").and_then(Value::as_object);
    let get = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let (ns, name) = (get("namespace"), get("name"));
    let name = if name.is_empty() { "(no name)" } else { name };
    let kind = str_field(map, "kind");
    if ns.is_empty() {
        format!("{kind} {name}")
    } else {
        format!("{kind} {ns}/{name}")
    }
}

/// The annotation `kubectl apply` leaves behind holds the whole object as
/// applied, Secret data included.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Drops Secret data except a well-formed `tls.crt`, and the last-applied
/// annotation that would repeat it. Other kinds are left untouched.
pub(crate) fn sanitize(map: &mut Object) {
    if str_field(map, "kind") != "Secret" || str_field(map, "apiVersion") != "v1" {
        return;
    }
    match map.get_mut("data") {
        Some(Value::Object(data)) => data.retain(|k, v| {
            // Redacted (`***HIDDEN***`) or otherwise broken base64 would make
            // the whole typed Secret fail; without it the Secret is still
            // recorded, with "no tls.crt".
            k == "tls.crt" && serde_json::from_value::<ByteString>(v.clone()).is_ok()
        }),
        Some(_) => {
            map.remove("data");
        }
        None => {}
    }
    match map.get_mut("stringData") {
        Some(Value::Object(data)) => data.retain(|k, v| k == "tls.crt" && v.is_string()),
        Some(_) => {
            map.remove("stringData");
        }
        None => {}
    }
    if let Some(Value::Object(ann)) = map
        .get_mut("metadata")
        .and_then(|m| m.as_object_mut())
        .and_then(|m| m.get_mut("annotations"))
    {
        ann.remove(LAST_APPLIED);
    }
}

/// How an `apiVersion` of a kind kreach reads maps onto the typed API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// The version k8s-openapi has.
    Current,
    /// An older version with the same shape for what kreach reads.
    Rename(&'static str),
    /// Ingress `extensions/v1beta1` or `networking.k8s.io/v1beta1`.
    IngressV1beta1,
}

/// Which of kreach's kinds an object is, if any, and how to read it.
fn classify(api_version: &str, kind: &str) -> Option<(Kind, Version)> {
    use Version::*;
    const APPS: &str = "apps/v1";
    let k = match (api_version, kind) {
        ("v1", "Namespace") => (Kind::Namespace, Current),
        ("v1", "Node") => (Kind::Node, Current),
        ("v1", "Pod") => (Kind::Pod, Current),
        ("v1", "Service") => (Kind::Service, Current),
        ("v1", "Endpoints") => (Kind::Endpoints, Current),
        ("v1", "Event") => (Kind::Event, Current),
        ("v1", "Secret") => (Kind::Secret, Current),
        ("v1", "ConfigMap") => (Kind::ConfigMap, Current),
        ("discovery.k8s.io/v1", "EndpointSlice") => (Kind::EndpointSlice, Current),
        ("discovery.k8s.io/v1beta1", "EndpointSlice") => {
            (Kind::EndpointSlice, Rename("discovery.k8s.io/v1"))
        }
        ("networking.k8s.io/v1", "Ingress") => (Kind::Ingress, Current),
        ("networking.k8s.io/v1beta1" | "extensions/v1beta1", "Ingress") => {
            (Kind::Ingress, IngressV1beta1)
        }
        ("networking.k8s.io/v1", "IngressClass") => (Kind::IngressClass, Current),
        ("networking.k8s.io/v1beta1", "IngressClass") => {
            (Kind::IngressClass, Rename("networking.k8s.io/v1"))
        }
        ("networking.k8s.io/v1", "NetworkPolicy") => (Kind::NetworkPolicy, Current),
        ("extensions/v1beta1", "NetworkPolicy") => {
            (Kind::NetworkPolicy, Rename("networking.k8s.io/v1"))
        }
        ("events.k8s.io/v1", "Event") => (Kind::Event, Current),
        ("events.k8s.io/v1beta1", "Event") => (Kind::Event, Rename("events.k8s.io/v1")),
        (APPS, "Deployment") => (Kind::Deployment, Current),
        (APPS, "ReplicaSet") => (Kind::ReplicaSet, Current),
        (APPS, "DaemonSet") => (Kind::DaemonSet, Current),
        (APPS, "StatefulSet") => (Kind::StatefulSet, Current),
        ("apps/v1beta1" | "apps/v1beta2" | "extensions/v1beta1", k) => {
            let kind = Kind::from_name(k)?;
            let ok = matches!(
                kind,
                Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::StatefulSet
            );
            if !ok {
                return None;
            }
            (kind, Rename(APPS))
        }
        _ => return None,
    };
    Some(k)
}

/// The kreach kind of an object, if it is one kreach reads.
pub(crate) fn kind_of(map: &Object) -> Option<Kind> {
    classify(str_field(map, "apiVersion"), str_field(map, "kind")).map(|(k, _)| k)
}

/// Whether a ConfigMap is kube-proxy's configuration, the only ConfigMaps
/// kreach keeps (its mode and cluster CIDR explain NodePort and
/// `externalTrafficPolicy` behaviour; other ConfigMaps are application data).
pub(crate) fn is_kube_proxy_config_map(map: &Object) -> bool {
    let meta = map.get("metadata").and_then(Value::as_object);
    let get = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    if matches!(get("name"), "kube-proxy" | "kube-proxy-config") {
        return true;
    }
    if get("namespace") != "kube-system" {
        return false;
    }
    map.get("data")
        .and_then(Value::as_object)
        .is_some_and(|data| {
            data.iter().any(|(k, v)| {
                (k.ends_with(".conf") || k.contains("config") || k.contains("kubeconfig"))
                    && v.as_str()
                        .is_some_and(|s| s.contains("KubeProxyConfiguration"))
            })
        })
}

/// Adds one object to the snapshot. Unknown kinds are counted in
/// `other_kinds`; a known kind that does not deserialize gives a warning
/// naming `source` and the object.
pub(crate) fn add_to_snapshot(snap: &mut Snapshot, source: &str, mut map: Object) {
    let api_version = str_field(&map, "apiVersion").to_string();
    let kind = str_field(&map, "kind").to_string();
    let Some((k, version)) = classify(&api_version, &kind) else {
        let key = if api_version.is_empty() {
            kind
        } else {
            format!("{api_version}/{kind}")
        };
        *snap.other_kinds.entry(key).or_default() += 1;
        return;
    };
    if k == Kind::ConfigMap && !is_kube_proxy_config_map(&map) {
        return;
    }
    match version {
        Version::Current => {}
        Version::Rename(to) => {
            map.insert("apiVersion".into(), Value::String(to.into()));
        }
        Version::IngressV1beta1 => ingress_v1beta1_to_v1(&mut map),
    }
    let what = describe(&map);
    let value = Value::Object(map);
    macro_rules! read {
        ($t:ty) => {
            match serde_json::from_value::<$t>(value) {
                Ok(v) => Some(v),
                Err(e) => {
                    let e = crate::error::one_line(&e.to_string());
                    snap.warnings
                        .push(format!("{source}: {what}: {e} (skipped)"));
                    None
                }
            }
        };
    }
    match k {
        Kind::Namespace => {
            if let Some(v) = read!(Namespace) {
                snap.namespaces.push(v)
            }
        }
        Kind::Node => {
            if let Some(v) = read!(Node) {
                snap.nodes.push(v)
            }
        }
        Kind::Pod => {
            if let Some(v) = read!(Pod) {
                snap.pods.push(v)
            }
        }
        Kind::Service => {
            if let Some(v) = read!(Service) {
                snap.services.push(v)
            }
        }
        Kind::Endpoints => {
            if let Some(v) = read!(Endpoints) {
                snap.endpoints.push(v)
            }
        }
        Kind::EndpointSlice => {
            if let Some(v) = read!(EndpointSlice) {
                snap.endpoint_slices.push(v)
            }
        }
        Kind::Ingress => {
            if let Some(v) = read!(Ingress) {
                snap.ingresses.push(v)
            }
        }
        Kind::IngressClass => {
            if let Some(v) = read!(IngressClass) {
                snap.ingress_classes.push(v)
            }
        }
        Kind::NetworkPolicy => {
            if let Some(v) = read!(NetworkPolicy) {
                snap.network_policies.push(v)
            }
        }
        Kind::Event if api_version == "v1" => {
            if let Some(v) = read!(CoreEvent) {
                snap.events.push(EventRecord::from_core(&v))
            }
        }
        Kind::Event => {
            if let Some(v) = read!(NewEvent) {
                snap.events.push(EventRecord::from_events_v1(&v))
            }
        }
        Kind::Secret => {
            if let Some(v) = read!(Secret) {
                snap.push_secret(&v)
            }
        }
        Kind::ConfigMap => {
            if let Some(v) = read!(ConfigMap) {
                snap.config_maps.push(v)
            }
        }
        Kind::Deployment => {
            if let Some(v) = read!(Deployment) {
                snap.deployments.push(v)
            }
        }
        Kind::ReplicaSet => {
            if let Some(v) = read!(ReplicaSet) {
                snap.replica_sets.push(v)
            }
        }
        Kind::DaemonSet => {
            if let Some(v) = read!(DaemonSet) {
                snap.daemon_sets.push(v)
            }
        }
        Kind::StatefulSet => {
            if let Some(v) = read!(StatefulSet) {
                snap.stateful_sets.push(v)
            }
        }
    }
}

/// Rewrites an Ingress of `extensions/v1beta1` or `networking.k8s.io/v1beta1`
/// (clusters before 1.22) into the `networking.k8s.io/v1` shape:
/// `spec.backend` → `spec.defaultBackend`, `serviceName`/`servicePort` →
/// `service.name`/`service.port.{number,name}`, and the `pathType` v1 made
/// required defaults to `ImplementationSpecific` as the API server did.
fn ingress_v1beta1_to_v1(map: &mut Object) {
    map.insert(
        "apiVersion".into(),
        Value::String("networking.k8s.io/v1".into()),
    );
    let Some(spec) = map.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(backend) = spec.remove("backend") {
        spec.insert("defaultBackend".into(), backend_v1(backend));
    }
    let Some(rules) = spec.get_mut("rules").and_then(Value::as_array_mut) else {
        return;
    };
    for rule in rules {
        let Some(paths) = rule
            .get_mut("http")
            .and_then(|h| h.get_mut("paths"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for path in paths.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(b) = path.remove("backend") {
                path.insert("backend".into(), backend_v1(b));
            }
            path.entry("pathType")
                .or_insert_with(|| Value::String("ImplementationSpecific".into()));
        }
    }
}

fn backend_v1(backend: Value) -> Value {
    let Value::Object(mut b) = backend else {
        return backend;
    };
    let name = b.remove("serviceName");
    let port = b.remove("servicePort");
    if let Some(name) = name {
        let port = match port {
            Some(Value::Number(n)) => serde_json::json!({ "number": n }),
            Some(Value::String(s)) => match s.parse::<i32>() {
                Ok(n) => serde_json::json!({ "number": n }),
                Err(_) => serde_json::json!({ "name": s }),
            },
            _ => serde_json::json!({}),
        };
        b.insert(
            "service".into(),
            serde_json::json!({ "name": name, "port": port }),
        );
    }
    Value::Object(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flat(v: Value) -> Flattened {
        let mut f = Flattened::default();
        flatten(v, &mut f);
        f
    }

    #[test]
    fn typed_list_items_get_type_from_the_list() {
        let f = flat(json!({"apiVersion": "v1", "kind": "PodList", "items": [
            {"metadata": {"name": "a", "namespace": "x"}},
            {"metadata": {"name": "b", "namespace": "x"}}
        ]}));
        assert_eq!(f.objects.len(), 2);
        assert_eq!(f.objects[0]["kind"], "Pod");
        assert_eq!(f.objects[0]["apiVersion"], "v1");
    }

    #[test]
    fn generic_list_keeps_item_types_and_counts_kindless() {
        let f = flat(json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}},
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "b"}},
            {"metadata": {"name": "c"}}
        ]}));
        assert_eq!(f.objects.len(), 2);
        assert_eq!(f.kindless, 1);
    }

    #[test]
    fn null_items_is_an_empty_list() {
        let f = flat(json!({"apiVersion": "v1", "kind": "PodList", "items": null}));
        assert_eq!(f.objects.len(), 0);
        assert_eq!(f.kindless, 0);
    }

    #[test]
    fn secret_keeps_only_a_valid_tls_crt() {
        let mut s = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "t", "annotations": {LAST_APPLIED: "{\"data\":{\"tls.key\":\"S0VZ\"}}"}},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "Q1JU", "tls.key": "S0VZ", "other": "***HIDDEN***"},
            "stringData": {"password": "hunter2"}})
        .as_object()
        .unwrap()
        .clone();
        sanitize(&mut s);
        let text = Value::Object(s.clone()).to_string();
        assert!(!text.contains("S0VZ"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(s["data"]["tls.crt"], "Q1JU");
    }

    #[test]
    fn redacted_tls_crt_is_dropped_so_the_secret_still_parses() {
        let mut s = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "t", "namespace": "n"}, "type": "kubernetes.io/tls",
            "data": {"tls.crt": "***HIDDEN***"}})
        .as_object()
        .unwrap()
        .clone();
        sanitize(&mut s);
        let mut snap = Snapshot::default();
        add_to_snapshot(&mut snap, "f", s);
        assert_eq!(snap.tls_secrets.len(), 1);
        assert!(snap.warnings.is_empty(), "{:?}", snap.warnings);
    }

    #[test]
    fn ingress_v1beta1_is_read_as_v1() {
        let m = json!({"apiVersion": "extensions/v1beta1", "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"backend": {"serviceName": "def", "servicePort": 80},
                "rules": [{"host": "a.example.com", "http": {"paths": [
                    {"path": "/", "backend": {"serviceName": "web", "servicePort": "http"}}]}}]}});
        let mut snap = Snapshot::default();
        add_to_snapshot(&mut snap, "f", m.as_object().unwrap().clone());
        assert!(snap.warnings.is_empty(), "{:?}", snap.warnings);
        let spec = snap.ingresses[0].spec.as_ref().unwrap();
        let def = spec
            .default_backend
            .as_ref()
            .unwrap()
            .service
            .as_ref()
            .unwrap();
        assert_eq!(def.name, "def");
        assert_eq!(def.port.as_ref().unwrap().number, Some(80));
        let path = &spec.rules.as_ref().unwrap()[0].http.as_ref().unwrap().paths[0];
        assert_eq!(path.path_type, "ImplementationSpecific");
        let svc = path.backend.service.as_ref().unwrap();
        assert_eq!(svc.port.as_ref().unwrap().name.as_deref(), Some("http"));
    }

    #[test]
    fn unknown_kinds_are_counted_by_api_version_and_kind() {
        let mut snap = Snapshot::default();
        for _ in 0..2 {
            let m = json!({"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool",
                "metadata": {"name": "p"}});
            add_to_snapshot(&mut snap, "f", m.as_object().unwrap().clone());
        }
        assert_eq!(snap.other_kinds["metallb.io/v1beta1/IPAddressPool"], 2);
    }

    #[test]
    fn bad_object_of_known_kind_is_a_warning_naming_file_and_object() {
        let m = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"ports": [{"port": "eighty"}]}});
        let mut snap = Snapshot::default();
        add_to_snapshot(&mut snap, "svc.yaml", m.as_object().unwrap().clone());
        assert!(snap.services.is_empty());
        assert_eq!(snap.warnings.len(), 1);
        assert!(
            snap.warnings[0].starts_with("svc.yaml: Service shop/web: "),
            "{:?}",
            snap.warnings
        );
    }

    #[test]
    fn only_kube_proxy_config_maps_are_kept() {
        let mut snap = Snapshot::default();
        for (ns, name, data) in [
            (
                "kube-system",
                "kube-proxy",
                json!({"config.conf": "kind: KubeProxyConfiguration"}),
            ),
            (
                "kube-system",
                "kubeadm-config",
                json!({"ClusterConfiguration": "x"}),
            ),
            (
                "kube-system",
                "proxy-cfg",
                json!({"config.conf": "kind: KubeProxyConfiguration\nmode: ipvs"}),
            ),
            ("default", "app", json!({"a": "b"})),
        ] {
            let m = json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "namespace": ns}, "data": data});
            add_to_snapshot(&mut snap, "f", m.as_object().unwrap().clone());
        }
        let names: Vec<_> = snap
            .config_maps
            .iter()
            .map(|c| c.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["kube-proxy", "proxy-cfg"]);
    }
}
