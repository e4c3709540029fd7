//! The objects `kreach serve` hands out, indexed by API resource.
//!
//! Every built-in resource kreach or kubectl commonly asks for is served,
//! empty when the snapshot has none of it (a real API server answers an
//! empty list, not 404, for a kind that has no objects). Kinds outside that
//! table are served under their own group/version with a guessed plural.
//! Objects stay the JSON the snapshot held, sorted by namespace and name as
//! etcd returns them; the only rewriting is Events, which a real server
//! shows through both `core/v1` and `events.k8s.io/v1`: each stored Event is
//! also served, converted, through the other API. Nothing is ever written.

use std::collections::BTreeMap;

use kreach_collect::Documents;
use serde_json::{Map, Value, json};

/// One API resource (`pods`, `ingresses.networking.k8s.io`, …).
#[derive(Debug, Clone)]
pub struct Resource {
    /// `""` for the core group.
    pub group: String,
    pub version: String,
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    /// Whether `kubectl get all` includes it.
    pub in_all: bool,
}

impl Resource {
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// A built-in resource the server serves: its API metadata (from
/// k8s-openapi's `Resource` implementations, never written out by hand),
/// its short names, and whether `kubectl get all` includes it.
struct Builtin {
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    short: &'static [&'static str],
    in_all: bool,
}

fn of<T: k8s_openapi::Resource>(
    namespaced: bool,
    short: &'static [&'static str],
    in_all: bool,
) -> Builtin {
    Builtin {
        group: T::GROUP,
        version: T::VERSION,
        plural: T::URL_PATH_SEGMENT,
        kind: T::KIND,
        namespaced,
        short,
        in_all,
    }
}

fn ns<T: k8s_openapi::Resource<Scope = k8s_openapi::NamespaceResourceScope>>(
    short: &'static [&'static str],
    in_all: bool,
) -> Builtin {
    of::<T>(true, short, in_all)
}

fn cluster<T: k8s_openapi::Resource<Scope = k8s_openapi::ClusterResourceScope>>(
    short: &'static [&'static str],
) -> Builtin {
    of::<T>(false, short, false)
}

fn builtin() -> Vec<Builtin> {
    use k8s_openapi::api::{apps, batch, core, discovery, events, networking};
    vec![
        ns::<core::v1::Pod>(&["po"], true),
        ns::<core::v1::Service>(&["svc"], true),
        ns::<core::v1::Endpoints>(&["ep"], false),
        cluster::<core::v1::Node>(&["no"]),
        cluster::<core::v1::Namespace>(&["ns"]),
        ns::<core::v1::Event>(&["ev"], false),
        ns::<core::v1::Secret>(&[], false),
        ns::<core::v1::ConfigMap>(&["cm"], false),
        ns::<core::v1::ServiceAccount>(&["sa"], false),
        ns::<core::v1::PersistentVolumeClaim>(&["pvc"], false),
        cluster::<core::v1::PersistentVolume>(&["pv"]),
        ns::<core::v1::ReplicationController>(&["rc"], true),
        ns::<apps::v1::Deployment>(&["deploy"], true),
        ns::<apps::v1::ReplicaSet>(&["rs"], true),
        ns::<apps::v1::DaemonSet>(&["ds"], true),
        ns::<apps::v1::StatefulSet>(&["sts"], true),
        ns::<batch::v1::Job>(&[], true),
        ns::<batch::v1::CronJob>(&["cj"], true),
        ns::<discovery::v1::EndpointSlice>(&[], false),
        ns::<events::v1::Event>(&["ev"], false),
        ns::<networking::v1::Ingress>(&["ing"], false),
        cluster::<networking::v1::IngressClass>(&[]),
        ns::<networking::v1::NetworkPolicy>(&["netpol"], false),
    ]
}

/// A guessed plural for kinds outside the table (`IPAddressPool` →
/// `ipaddresspools`, `Gateway` → `gateways`, `Ingress` → `ingresses`).
fn plural_of(kind: &str) -> String {
    let k = kind.to_ascii_lowercase();
    if k.ends_with('s') || k.ends_with("sh") || k.ends_with("ch") || k.ends_with('x') {
        format!("{k}es")
    } else if let Some(stem) = k.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else {
        format!("{k}s")
    }
}

fn split_api_version(api_version: &str) -> (String, String) {
    match api_version.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api_version.to_string()),
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The served state: resources, their objects, and what `/version` says.
#[derive(Debug)]
pub struct Store {
    pub resources: Vec<Resource>,
    /// Objects per resource index, sorted by (namespace, name).
    pub objects: Vec<Vec<Value>>,
    pub git_version: String,
}

impl Store {
    pub fn new(docs: Documents) -> Store {
        let mut resources: Vec<Resource> = builtin()
            .into_iter()
            .map(|b| Resource {
                group: b.group.into(),
                version: b.version.into(),
                plural: b.plural.into(),
                singular: b.kind.to_ascii_lowercase(),
                kind: b.kind.into(),
                namespaced: b.namespaced,
                short_names: b.short.iter().map(|s| s.to_string()).collect(),
                in_all: b.in_all,
            })
            .collect();
        let mut objects: Vec<Vec<Value>> = vec![Vec::new(); resources.len()];
        let core_events = Self::find(&resources, "", "events").expect("builtin");
        let new_events = Self::find(&resources, "events.k8s.io", "events").expect("builtin");
        let mut kubelet_version = None;
        for doc in docs.documents {
            let v = doc.value;
            let (group, version) = split_api_version(str_at(&v, "/apiVersion"));
            let kind = str_at(&v, "/kind").to_string();
            if kind == "Node" && kubelet_version.is_none() {
                let kv = str_at(&v, "/status/nodeInfo/kubeletVersion");
                if !kv.is_empty() {
                    kubelet_version = Some(kv.to_string());
                }
            }
            if kind == "Event" && group.is_empty() {
                objects[new_events].push(core_to_events_v1(&v));
                objects[core_events].push(v);
                continue;
            }
            if kind == "Event" && group == "events.k8s.io" {
                objects[core_events].push(events_v1_to_core(&v));
                objects[new_events].push(v);
                continue;
            }
            let ix = match resources
                .iter()
                .position(|r| r.group == group && r.version == version && r.kind == kind)
            {
                Some(i) => i,
                None => {
                    resources.push(Resource {
                        group,
                        version,
                        plural: plural_of(&kind),
                        singular: kind.to_ascii_lowercase(),
                        namespaced: !str_at(&v, "/metadata/namespace").is_empty(),
                        kind,
                        short_names: vec![],
                        in_all: false,
                    });
                    objects.push(Vec::new());
                    resources.len() - 1
                }
            };
            objects[ix].push(v);
        }
        for list in &mut objects {
            list.sort_by(|a, b| {
                (
                    str_at(a, "/metadata/namespace"),
                    str_at(a, "/metadata/name"),
                )
                    .cmp(&(
                        str_at(b, "/metadata/namespace"),
                        str_at(b, "/metadata/name"),
                    ))
            });
            // Two documents for one object (a file listed twice): keep one.
            list.dedup_by(|a, b| {
                str_at(a, "/metadata/namespace") == str_at(b, "/metadata/namespace")
                    && str_at(a, "/metadata/name") == str_at(b, "/metadata/name")
            });
        }
        let git_version = docs
            .cluster_version
            .or(kubelet_version.map(|k| k.split('+').next().unwrap_or(&k).to_string()))
            .unwrap_or_else(|| "v1.30.0".into());
        Store {
            resources,
            objects,
            git_version,
        }
    }

    fn find(resources: &[Resource], group: &str, plural: &str) -> Option<usize> {
        resources
            .iter()
            .position(|r| r.group == group && r.plural == plural)
    }

    /// The resource a URL names: group, version and plural.
    pub fn resource(&self, group: &str, version: &str, plural: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.group == group && r.version == version && r.plural == plural)
    }

    /// The groups (other than core) and their versions, in a stable order.
    pub fn groups(&self) -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in self.resources.iter().filter(|r| !r.group.is_empty()) {
            let v = m.entry(r.group.clone()).or_default();
            if !v.contains(&r.version) {
                v.push(r.version.clone());
            }
        }
        m
    }
}

fn pick(from: &Value, key: &str, to: &mut Map<String, Value>, as_key: &str) {
    if let Some(x) = from.get(key).filter(|x| !x.is_null()) {
        to.insert(as_key.to_string(), x.clone());
    }
}

/// An `events.k8s.io/v1` Event as `core/v1` shows it.
pub fn events_v1_to_core(v: &Value) -> Value {
    let mut m = Map::new();
    m.insert("apiVersion".into(), json!("v1"));
    m.insert("kind".into(), json!("Event"));
    pick(v, "metadata", &mut m, "metadata");
    pick(v, "regarding", &mut m, "involvedObject");
    pick(v, "related", &mut m, "related");
    pick(v, "reason", &mut m, "reason");
    pick(v, "note", &mut m, "message");
    pick(v, "type", &mut m, "type");
    pick(v, "action", &mut m, "action");
    pick(v, "eventTime", &mut m, "eventTime");
    pick(v, "reportingController", &mut m, "reportingComponent");
    pick(v, "reportingInstance", &mut m, "reportingInstance");
    pick(v, "deprecatedFirstTimestamp", &mut m, "firstTimestamp");
    pick(v, "deprecatedLastTimestamp", &mut m, "lastTimestamp");
    pick(v, "deprecatedCount", &mut m, "count");
    pick(v, "deprecatedSource", &mut m, "source");
    if let Some(s) = v.get("series").filter(|s| s.is_object()) {
        m.insert("series".into(), s.clone());
    }
    m.entry("involvedObject").or_insert_with(|| json!({}));
    Value::Object(m)
}

/// A `core/v1` Event as `events.k8s.io/v1` shows it.
pub fn core_to_events_v1(v: &Value) -> Value {
    let mut m = Map::new();
    m.insert("apiVersion".into(), json!("events.k8s.io/v1"));
    m.insert("kind".into(), json!("Event"));
    pick(v, "metadata", &mut m, "metadata");
    pick(v, "involvedObject", &mut m, "regarding");
    pick(v, "related", &mut m, "related");
    pick(v, "reason", &mut m, "reason");
    pick(v, "message", &mut m, "note");
    pick(v, "type", &mut m, "type");
    pick(v, "action", &mut m, "action");
    pick(v, "eventTime", &mut m, "eventTime");
    pick(v, "reportingComponent", &mut m, "reportingController");
    pick(v, "reportingInstance", &mut m, "reportingInstance");
    pick(v, "firstTimestamp", &mut m, "deprecatedFirstTimestamp");
    pick(v, "lastTimestamp", &mut m, "deprecatedLastTimestamp");
    pick(v, "count", &mut m, "deprecatedCount");
    pick(v, "source", &mut m, "deprecatedSource");
    if let Some(s) = v.get("series").filter(|s| s.is_object()) {
        m.insert("series".into(), s.clone());
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The served table agrees with k8s-openapi's metadata for every kind
    /// kreach reads (events are served under both APIs).
    #[test]
    fn builtin_kinds_match_the_api_metadata() {
        let served = builtin();
        for k in kreach_core::Kind::ALL {
            let m = k.meta();
            assert!(
                served.iter().any(|b| b.group == m.group
                    && b.version == m.version
                    && b.plural == m.plural
                    && b.kind == m.kind
                    && b.namespaced == m.namespaced),
                "{k:?}: {m:?} is not served as the API defines it"
            );
        }
        // Discovery lists each resource once.
        let mut keys: Vec<(&str, &str)> = served.iter().map(|b| (b.group, b.plural)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), served.len());
    }

    #[test]
    fn plurals() {
        assert_eq!(plural_of("IPAddressPool"), "ipaddresspools");
        assert_eq!(plural_of("Ingress"), "ingresses");
        assert_eq!(plural_of("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural_of("Gateway"), "gateways");
    }

    #[test]
    fn events_convert_both_ways() {
        let new = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "e1", "namespace": "shop"},
            "regarding": {"kind": "Pod", "name": "web-1", "namespace": "shop"},
            "reason": "FailedScheduling", "note": "0/3 nodes", "type": "Warning",
            "eventTime": "2026-11-20T11:00:00.000000Z", "reportingController": "default-scheduler",
            "series": {"count": 4, "lastObservedTime": "2026-11-20T11:50:00.000000Z"}});
        let core = events_v1_to_core(&new);
        assert_eq!(core["involvedObject"]["name"], "web-1");
        assert_eq!(core["message"], "0/3 nodes");
        assert_eq!(core["reportingComponent"], "default-scheduler");
        assert_eq!(core["series"]["count"], 4);
        let back = core_to_events_v1(&core);
        assert_eq!(back["regarding"], new["regarding"]);
        assert_eq!(back["note"], new["note"]);
    }
}
