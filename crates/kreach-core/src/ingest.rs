//! Turning one Kubernetes object (as JSON) into the typed [`Snapshot`]:
//! which of kreach's kinds it is, older API versions read as the current
//! one, Secrets reduced to their certificate before anything else sees
//! them. Every source (file loader, live collector, tests) adds objects
//! through here, so they all read the same way.
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
use serde_json::{Map, Value};

use crate::event::EventRecord;
use crate::snapshot::{Kind, Snapshot};

/// One Kubernetes object: a JSON object with a non-empty `kind`.
pub type Object = Map<String, Value>;

pub fn str_field<'a>(map: &'a Object, key: &str) -> &'a str {
    map.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `Pod velero/restic-5dkdh`, `Node n1`: how warnings name an object.
pub fn describe(map: &Object) -> String {
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

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The annotation `kubectl apply` leaves behind holds the whole object as
/// applied, Secret data included.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Drops Secret data except a well-formed `tls.crt`, and the last-applied
/// annotation that would repeat it. Other kinds are left untouched.
pub fn sanitize(map: &mut Object) {
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
    // Nothing left of them: leave no empty maps behind either.
    for key in ["data", "stringData"] {
        if map
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            map.remove(key);
        }
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
    // The served version of each kind, from its API metadata.
    if let Some(k) = Kind::from_name(kind)
        && k.meta().api_version == api_version
    {
        return Some((k, Current));
    }
    // Older versions (and events.k8s.io Events) read into the same kinds.
    const APPS: &str = "apps/v1";
    let k = match (api_version, kind) {
        ("discovery.k8s.io/v1beta1", "EndpointSlice") => {
            (Kind::EndpointSlice, Rename("discovery.k8s.io/v1"))
        }
        ("networking.k8s.io/v1beta1" | "extensions/v1beta1", "Ingress") => {
            (Kind::Ingress, IngressV1beta1)
        }
        ("networking.k8s.io/v1beta1", "IngressClass") => {
            (Kind::IngressClass, Rename("networking.k8s.io/v1"))
        }
        ("extensions/v1beta1", "NetworkPolicy") => {
            (Kind::NetworkPolicy, Rename("networking.k8s.io/v1"))
        }
        ("events.k8s.io/v1", "Event") => (Kind::Event, Current),
        ("events.k8s.io/v1beta1", "Event") => (Kind::Event, Rename("events.k8s.io/v1")),
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
pub fn kind_of(map: &Object) -> Option<Kind> {
    classify(str_field(map, "apiVersion"), str_field(map, "kind")).map(|(k, _)| k)
}

/// Whether a ConfigMap is kube-proxy's configuration, the only ConfigMaps
/// kreach keeps (its mode and cluster CIDR explain NodePort and
/// `externalTrafficPolicy` behaviour; other ConfigMaps are application data).
pub fn is_kube_proxy_config_map(map: &Object) -> bool {
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
pub fn add_object(snap: &mut Snapshot, source: &str, mut map: Object) {
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
                    let e = one_line(&e.to_string());
                    snap.warnings.push(crate::snapshot::Warning::ObjectSkipped {
                        source: source.to_string(),
                        object: what.clone(),
                        error: e,
                    });
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
