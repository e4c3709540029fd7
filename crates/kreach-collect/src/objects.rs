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

use serde_json::Value;

use kreach_core::Snapshot;
use kreach_core::ingest::Undecodable;
pub(crate) use kreach_core::ingest::{Object, kind_of, sanitize, str_field};

pub(crate) use crate::error::Found;
use crate::parse::Step;

/// Lists inside lists are legal but rare; this bounds the recursion.
const MAX_LIST_DEPTH: usize = 8;

/// What one document held.
#[derive(Debug, Default)]
pub(crate) struct Flattened {
    /// Each object with where it is in its document (`items[3]`).
    pub objects: Vec<(Object, Vec<Step>)>,
    /// Pieces that are not objects with a `kind` (a Helm values file, a
    /// bundle's `auth-cani-list` rules, a bare scalar).
    pub kindless: usize,
    /// What those pieces are, for the error when nothing else is found.
    pub found: Found,
}

/// Go struct field names (`%+v`, or YAML of a Go struct without json
/// tags) where the API has `kind`, `metadata`, …
const GO_FIELDS: [&str; 9] = [
    "Kind",
    "APIVersion",
    "ApiVersion",
    "TypeMeta",
    "ObjectMeta",
    "Metadata",
    "Spec",
    "Status",
    "Items",
];

/// How many keys an error lists.
const KEYS_SHOWN: usize = 6;

impl Found {
    fn kindless_map(&mut self, map: &Object) {
        self.kindless += 1;
        for k in map.keys() {
            if GO_FIELDS.contains(&k.as_str()) {
                self.go_fields = true;
            }
            if self.keys.len() < KEYS_SHOWN && !self.keys.contains(k) {
                self.keys.push(k.clone());
            }
        }
    }

    /// Adds what another file held.
    pub fn merge(&mut self, other: &Found) {
        self.kindless += other.kindless;
        self.not_objects += other.not_objects;
        self.go_fields |= other.go_fields;
        for k in &other.keys {
            if self.keys.len() < KEYS_SHOWN && !self.keys.contains(k) {
                self.keys.push(k.clone());
            }
        }
    }
}

/// Splits a document into the objects it holds.
pub(crate) fn flatten(value: Value, out: &mut Flattened) {
    flatten_into(value, None, &mut Vec::new(), out);
}

fn flatten_into(
    value: Value,
    item_type: Option<(&str, &str)>,
    at: &mut Vec<Step>,
    out: &mut Flattened,
) {
    // Each list level adds two steps (`items`, the index), a sequence one.
    let depth = at.len();
    match value {
        Value::Null => {}
        Value::Array(items) if depth < 2 * MAX_LIST_DEPTH => {
            for (i, item) in items.into_iter().enumerate() {
                at.push(Step::Index(i));
                flatten_into(item, None, at, out);
                at.pop();
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
                out.found.kindless_map(&map);
                return;
            }
            let is_list = kind.ends_with("List")
                && matches!(map.get("items"), Some(Value::Array(_)) | Some(Value::Null));
            if !is_list {
                sanitize(&mut map);
                out.objects.push((map, at.clone()));
                return;
            }
            if depth >= 2 * MAX_LIST_DEPTH {
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
            at.push(Step::Key("items".into()));
            for (i, item) in items.into_iter().enumerate() {
                at.push(Step::Index(i));
                flatten_into(item, item_type, at, out);
                at.pop();
            }
            at.pop();
        }
        _ => {
            out.kindless += 1;
            out.found.not_objects += 1;
        }
    }
}

/// Adds one object to the snapshot (see `kreach_core::ingest`), or says
/// why it could not be decoded.
pub(crate) fn add_to_snapshot(snap: &mut Snapshot, map: Object) -> Result<(), Undecodable> {
    kreach_core::ingest::try_add_object(snap, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kreach_core::ingest::LAST_APPLIED;
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
        assert_eq!(f.objects[0].0["kind"], "Pod");
        assert_eq!(f.objects[0].0["apiVersion"], "v1");
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
        kreach_core::ingest::add_object(&mut snap, "f", s);
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
        kreach_core::ingest::add_object(&mut snap, "f", m.as_object().unwrap().clone());
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
            kreach_core::ingest::add_object(&mut snap, "f", m.as_object().unwrap().clone());
        }
        assert_eq!(snap.other_kinds["metallb.io/v1beta1/IPAddressPool"], 2);
    }

    #[test]
    fn bad_object_of_known_kind_is_a_warning_naming_file_and_object() {
        let m = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"ports": [{"port": "eighty"}]}});
        let mut snap = Snapshot::default();
        kreach_core::ingest::add_object(&mut snap, "svc.yaml", m.as_object().unwrap().clone());
        assert!(snap.services.is_empty());
        assert_eq!(snap.warnings.len(), 1);
        assert!(
            matches!(&snap.warnings[0], kreach_core::snapshot::Warning::ObjectSkipped { source, object, error }
                if source == "svc.yaml" && object == "Service shop/web" && !error.is_empty()),
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
            kreach_core::ingest::add_object(&mut snap, "f", m.as_object().unwrap().clone());
        }
        let names: Vec<_> = snap
            .config_maps
            .iter()
            .map(|c| c.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["kube-proxy", "proxy-cfg"]);
    }
}
