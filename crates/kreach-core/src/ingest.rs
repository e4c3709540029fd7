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

/// An object of a kind kreach reads that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    /// The kind it is (or, for a misspelt kind, the one meant).
    pub kind: Kind,
    /// `Service shop/web`.
    pub object: String,
    /// Where in the object: `spec.ports[0].port`, `kind`; empty for the
    /// object as a whole.
    pub field: String,
    pub problem: DecodeProblem,
}

/// Why an object did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// The decoder's message (serde's, shown as it is, like a parser's).
    Invalid(String),
    /// `kind: service`: kinds are case-sensitive (kubectl: `no matches for
    /// kind "service" in version "v1"`).
    KindCase { written: String },
}

/// How many scalars one object may have coerced (bounds the retries).
const MAX_COERCIONS: usize = 512;

/// Decodes a value into a typed object the way kubectl reads manifests
/// (sigs.k8s.io/yaml decodes YAML into the typed struct): a boolean or
/// number where the type expects a string is that string (`namespace:
/// true`, `name: 1e3`), a YAML 1.1 boolean spelling where it expects a
/// boolean is that boolean (`hostNetwork: yes`), and a decimal with
/// leading zeros where it expects an integer is that integer. Anything else
/// that does not fit is an error with the field path (`spec.ports[0].port`).
pub fn decode<T: serde::de::DeserializeOwned>(mut value: Value) -> Result<T, (String, String)> {
    // The common case costs one plain decode.
    if let Ok(v) = T::deserialize(&value) {
        return Ok(v);
    }
    for _ in 0..MAX_COERCIONS {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let msg = err.inner().to_string();
        if let Some(slot) = slot_mut(&mut value, err.path())
            && coerce(slot, &msg)
        {
            continue;
        }
        let field = err.path().to_string();
        let field = if field == "." { String::new() } else { field };
        return Err((field, one_line(&msg)));
    }
    Err((String::new(), "too many values of the wrong type".into()))
}

fn slot_mut<'a>(value: &'a mut Value, path: &serde_path_to_error::Path) -> Option<&'a mut Value> {
    use serde_path_to_error::Segment;
    let mut v = value;
    for seg in path.iter() {
        v = match seg {
            Segment::Map { key } => v.as_object_mut()?.get_mut(key)?,
            Segment::Seq { index } => v.as_array_mut()?.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Rewrites a scalar into the type a decoder's error says it expected.
fn coerce(slot: &mut Value, msg: &str) -> bool {
    let new = if msg.ends_with("expected a string") {
        match slot {
            Value::Bool(b) => Value::String(b.to_string()),
            Value::Number(n) => Value::String(number_text(n)),
            _ => return false,
        }
    } else if msg.ends_with("expected a boolean") {
        match slot.as_str() {
            Some("y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") => Value::Bool(true),
            Some("n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF") => Value::Bool(false),
            _ => return false,
        }
    } else if msg.contains("expected i") || msg.contains("expected u") {
        // `0755` is kept as text (a name may be `0123`); as an integer it
        // is the decimal number.
        match slot.as_str() {
            Some(s)
                if s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                match s.trim_start_matches('0').parse::<u64>() {
                    Ok(n) => Value::from(n),
                    Err(_) if s.bytes().all(|b| b == b'0') => Value::from(0),
                    Err(_) => return false,
                }
            }
            _ => return false,
        }
    } else {
        return false;
    };
    *slot = new;
    true
}

/// A number as the text a string field gets: integers as written, floats
/// as Go's `strconv.FormatFloat(f, 'g', -1, 64)` would for the usual values
/// (`1e3` → `1000`).
fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}

/// A kind kreach reads written in another case (`service`).
fn kind_in_other_case(kind: &str) -> Option<Kind> {
    Kind::ALL
        .into_iter()
        .find(|k| k.name() != kind && k.name().eq_ignore_ascii_case(kind))
}

/// Adds one object to the snapshot. Unknown kinds are counted in
/// `other_kinds`; a known kind that does not deserialize gives a warning
/// naming `source`, the object and the field.
pub fn add_object(snap: &mut Snapshot, source: &str, map: Object) {
    if let Err(u) = try_add_object(snap, map) {
        let error = match &u.problem {
            DecodeProblem::Invalid(m) => m.clone(),
            DecodeProblem::KindCase { written } => format!(
                "no kind {written:?}: kinds are case-sensitive ({})",
                u.kind.name()
            ),
        };
        let error = if u.field.is_empty() {
            error
        } else {
            format!("{}: {error}", u.field)
        };
        snap.warnings.push(crate::snapshot::Warning::ObjectSkipped {
            source: source.to_string(),
            object: u.object,
            error,
        });
    }
}

/// Adds one object to the snapshot, or says why an object of a kind
/// kreach reads could not be (the caller decides what that means for its
/// source). Unknown kinds are counted in `other_kinds`.
pub fn try_add_object(snap: &mut Snapshot, mut map: Object) -> Result<(), Undecodable> {
    let api_version = str_field(&map, "apiVersion").to_string();
    let kind = str_field(&map, "kind").to_string();
    let Some((k, version)) = classify(&api_version, &kind) else {
        if let Some(meant) = kind_in_other_case(&kind) {
            return Err(Undecodable {
                kind: meant,
                object: describe(&map),
                field: "kind".into(),
                problem: DecodeProblem::KindCase { written: kind },
            });
        }
        let key = if api_version.is_empty() {
            kind
        } else {
            format!("{api_version}/{kind}")
        };
        *snap.other_kinds.entry(key).or_default() += 1;
        return Ok(());
    };
    if k == Kind::ConfigMap && !is_kube_proxy_config_map(&map) {
        return Ok(());
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
            match decode::<$t>(value) {
                Ok(v) => Some(v),
                Err((field, e)) => {
                    return Err(Undecodable {
                        kind: k,
                        object: what,
                        field,
                        problem: DecodeProblem::Invalid(e),
                    });
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
    Ok(())
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
