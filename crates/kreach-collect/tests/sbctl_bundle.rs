//! The sbctl test support bundle (a real troubleshoot.sh bundle of a 3-node
//! kURL cluster, IPs redacted to `***HIDDEN***`) against the queries sbctl's
//! own tests answer from it (`expected_loader_results.yaml`, transcribed
//! from sbctl's `tests/results/*.json`).
//!
//! The bundle is a verbatim copy in `tests/fixtures/sbctl/` (origin and
//! licence in its `SOURCES.md`).

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use k8s_openapi::api::core::v1::Pod;
use kreach_collect::{SourceFormat, load_documents, load_snapshot};
use kreach_core::snapshot::{NotRead, Warning};
use kreach_core::{Kind, Snapshot};
use serde_json::Value;

fn oracle_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sbctl");
    assert!(
        dir.join("support-bundle/cluster-resources").is_dir(),
        "the sbctl oracle bundle is missing at {}",
        dir.display()
    );
    dir
}

fn bundle() -> PathBuf {
    oracle_dir().join("support-bundle")
}

fn expected() -> Value {
    let text = fs::read_to_string(oracle_dir().join("expected_loader_results.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn query<'a>(expected: &'a Value, request: &str) -> &'a Value {
    expected["queries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["request"] == request)
        .unwrap_or_else(|| panic!("no query {request}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn key(p: &Pod) -> String {
    format!(
        "{}/{}",
        p.metadata.namespace.as_deref().unwrap_or(""),
        p.metadata.name.as_deref().unwrap_or("")
    )
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn pods_matching<'a>(
    s: &'a Snapshot,
    ns: Option<&'a str>,
    label: Option<(&str, &str)>,
) -> Vec<String> {
    let pods: Box<dyn Iterator<Item = &'a Pod>> = match ns {
        Some(ns) => Box::new(s.pods_in(ns).collect::<Vec<_>>().into_iter()),
        None => Box::new(s.pods.iter()),
    };
    sorted(
        pods.filter(|p| {
            label.is_none_or(|(k, v)| {
                p.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(k))
                    .map(String::as_str)
                    == Some(v)
            })
        })
        .map(key)
        .collect(),
    )
}

fn load() -> Snapshot {
    load_snapshot(&bundle()).unwrap()
}

#[test]
fn pods_all_namespaces() {
    let s = load();
    let want = strings(&query(&expected(), "GET /api/v1/pods")["expect_pods"]);
    assert_eq!(want.len(), 58);
    assert_eq!(pods_matching(&s, None, None), sorted(want));
}

#[test]
fn pods_in_one_namespace() {
    let s = load();
    let want = strings(&query(&expected(), "GET /api/v1/namespaces/velero/pods")["expect_pods"]);
    assert_eq!(pods_matching(&s, Some("velero"), None), sorted(want));
}

#[test]
fn pods_by_label_selector() {
    let s = load();
    let e = expected();
    let all = strings(&query(&e, "GET /api/v1/pods?labelSelector=name=restic")["expect_pods"]);
    assert_eq!(
        pods_matching(&s, None, Some(("name", "restic"))),
        sorted(all)
    );
    let ns = strings(
        &query(
            &e,
            "GET /api/v1/namespaces/velero/pods?labelSelector=name=restic",
        )["expect_pods"],
    );
    assert_eq!(
        pods_matching(&s, Some("velero"), Some(("name", "restic"))),
        sorted(ns)
    );
}

/// kubectl's STATUS column, as far as these pods need it.
fn status_cell(p: &Pod) -> String {
    let st = p.status.as_ref().unwrap();
    for cs in st.container_statuses.iter().flatten() {
        let state = cs.state.as_ref();
        if let Some(r) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
        {
            return r;
        }
        if let Some(r) = state
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.reason.clone())
        {
            return r;
        }
    }
    st.phase.clone().unwrap_or_default()
}

#[test]
fn pod_status_cells() {
    let s = load();
    let e = expected();
    let cells = e["pod_status_cells"].as_object().unwrap();
    assert_eq!(cells.len(), 58);
    for (name, cell) in cells {
        let (ns, n) = name.split_once('/').unwrap();
        let p = s.pod(ns, n).unwrap_or_else(|| panic!("no pod {name}"));
        let statuses = p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .clone()
            .unwrap_or_default();
        let ready = statuses.iter().filter(|c| c.ready).count();
        let total = p.spec.as_ref().unwrap().containers.len();
        assert_eq!(
            format!("{ready}/{total}"),
            cell["ready"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(status_cell(p), cell["status"].as_str().unwrap(), "{name}");
        let restarts: i32 = statuses.iter().map(|c| c.restart_count).sum();
        let want = cell["restarts"].as_str().unwrap();
        let want = want.split(' ').next().unwrap();
        assert_eq!(restarts.to_string(), want, "{name}");
        assert_eq!(
            p.spec.as_ref().unwrap().node_name.as_deref(),
            cell["node"].as_str(),
            "{name}"
        );
    }
}

fn configmap_names(docs: &kreach_collect::Documents, ns: Option<&str>) -> Vec<String> {
    sorted(
        docs.documents
            .iter()
            .filter(|d| d.value["kind"] == "ConfigMap")
            .filter(|d| ns.is_none_or(|ns| d.value["metadata"]["namespace"] == ns))
            .map(|d| {
                format!(
                    "{}/{}",
                    d.value["metadata"]["namespace"].as_str().unwrap(),
                    d.value["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect(),
    )
}

/// The raw documents (what `kreach serve` hands out) hold every ConfigMap;
/// the typed snapshot keeps only kube-proxy's, and this bundle has none.
#[test]
fn configmaps() {
    let e = expected();
    let docs = load_documents(&bundle()).unwrap();
    assert_eq!(docs.format, SourceFormat::SupportBundle);
    let all = strings(&query(&e, "GET /api/v1/configmaps")["expect_configmaps"]);
    assert_eq!(configmap_names(&docs, None), sorted(all));
    let public =
        strings(&query(&e, "GET /api/v1/namespaces/kube-public/configmaps")["expect_configmaps"]);
    assert_eq!(configmap_names(&docs, Some("kube-public")), sorted(public));

    let s = load();
    assert!(s.config_maps.is_empty());
    assert!(
        s.has_kind(Kind::ConfigMap),
        "the bundle has cluster-resources/configmaps"
    );
}

#[test]
fn counts_match_the_bundle() {
    let s = load();
    assert_eq!(s.namespaces.len(), 9);
    assert_eq!(s.nodes.len(), 3);
    assert_eq!(s.pods.len(), 58);
    assert_eq!(s.services.len(), 12);
    assert_eq!(s.deployments.len(), 12);
    assert_eq!(s.replica_sets.len(), 13);
    assert!(s.ingresses.is_empty());
    assert!(!s.events.is_empty());
    // Custom resources count under their kind; the metadata files
    // (auth-cani-list, groups.json, resources.json) are not objects.
    assert_eq!(s.other_kinds.get("longhorn.io/v1beta1/Setting"), Some(&46));
    assert_eq!(
        s.other_kinds.get("velero.io/v1/BackupStorageLocation"),
        Some(&1)
    );
    assert!(!s.other_kinds.keys().any(|k| k.contains("APIResourceList")));
}

#[test]
fn kinds_without_a_directory_are_missing() {
    let s = load();
    let missing: BTreeMap<Kind, &NotRead> = s.missing.iter().map(|m| (m.kind, &m.reason)).collect();
    assert_eq!(
        missing.get(&Kind::NetworkPolicy),
        Some(&&NotRead::NotInBundle {
            file: "cluster-resources/network-policy".into()
        })
    );
    for kind in [
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::IngressClass,
        Kind::DaemonSet,
        Kind::Secret,
    ] {
        assert!(
            missing.contains_key(&kind),
            "{kind:?} should be missing: {missing:?}"
        );
    }
    for kind in [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Ingress,
        Kind::Event,
        Kind::ConfigMap,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::StatefulSet,
    ] {
        assert!(s.has_kind(kind), "{kind:?}: {:?}", s.missing_reason(kind));
    }
}

/// Redaction left three custom-resource files as invalid YAML: each is
/// skipped with a warning naming it and its line, and loading goes on.
#[test]
fn invalid_yaml_files_are_skipped_with_a_warning() {
    let s = load();
    for crd in ["engines", "replicas", "instancemanagers"] {
        let file = format!("custom-resources/{crd}.longhorn.io/longhorn-system.yaml");
        let w = s.warnings.iter().find(|w| w.path().ends_with(&file));
        let w = w.unwrap_or_else(|| panic!("no warning for {file}: {:?}", s.warnings));
        assert!(
            matches!(
                w,
                Warning::FileInvalid {
                    syntax: "YAML",
                    line: Some(_),
                    ..
                }
            ),
            "{w:?}"
        );
    }
    assert_eq!(s.warnings.len(), 3, "{:?}", s.warnings);
    assert!(!s.other_kinds.contains_key("longhorn.io/v1beta1/Engine"));
    assert!(!s.other_kinds.contains_key("longhorn.io/v1beta1/Replica"));
}

#[test]
fn hidden_values_survive() {
    let s = load();
    let p = s.pod("velero", "restic-5dkdh").unwrap();
    let st = p.status.as_ref().unwrap();
    assert_eq!(st.pod_ip.as_deref(), Some("***HIDDEN***"));
    assert_eq!(st.host_ip.as_deref(), Some("***HIDDEN***"));
    assert!(
        s.services
            .iter()
            .all(|svc| svc.spec.as_ref().unwrap().cluster_ip.as_deref() == Some("***HIDDEN***"))
    );
}

#[test]
fn cluster_version_is_read() {
    let docs = load_documents(&bundle()).unwrap();
    assert_eq!(docs.cluster_version.as_deref(), Some("v1.23.5"));
}

/// The same bundle packed as troubleshoot does: `.tar.gz` with one
/// top-level directory.
#[test]
fn bundle_as_tar_gz() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("support-bundle-2022-04-13T15_42_18.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all("support-bundle-2022-04-13T15_42_18", bundle())
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap();

    let s = load_snapshot(&path).unwrap();
    let direct = load();
    assert_eq!(s.pods.len(), 58);
    assert_eq!(s.missing, direct.missing);
    assert_eq!(s.warnings.len(), 3);
    assert!(
        s.warnings[0].path().starts_with(&format!(
            "{}!/support-bundle-2022-04-13T15_42_18/",
            path.display()
        )),
        "{:?}",
        s.warnings[0]
    );
}

#[test]
fn errors_files_mark_the_kind_missing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cr = root.join("cluster-resources");
    fs::create_dir_all(cr.join("pods")).unwrap();
    fs::create_dir_all(cr.join("network-policy")).unwrap();
    fs::copy(
        bundle().join("cluster-resources/pods/velero.json"),
        cr.join("pods/velero.json"),
    )
    .unwrap();
    fs::write(
        cr.join("network-policy-errors.json"),
        r#"["networkpolicies.networking.k8s.io is forbidden: User \"sb\" cannot list resource \"networkpolicies\""]"#,
    )
    .unwrap();
    let s = load_snapshot(root).unwrap();
    let reason = s.missing_reason(Kind::NetworkPolicy).unwrap();
    assert!(
        matches!(reason, NotRead::BundleErrors { file, first, more: 0 }
            if file == "cluster-resources/network-policy" && first.contains("forbidden")),
        "{reason:?}"
    );
    assert!(s.has_kind(Kind::Pod));
    assert!(!s.has_kind(Kind::Namespace));
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w, Warning::BundleErrors { file, count: 1, .. }
                if file.ends_with("network-policy-errors.json")))
    );
}
