//! The loader on small fixtures in `kubectl get -o yaml` style, one per
//! input format, plus archives and Secrets built in the test.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use kreach_collect::{LoadError, SourceFormat, load_documents, load_snapshot};
use kreach_core::{Kind, ObjectRef};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn names<'a>(
    it: impl IntoIterator<Item = &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
) -> Vec<String> {
    it.into_iter()
        .map(|m| {
            format!(
                "{}/{}",
                m.namespace.as_deref().unwrap_or(""),
                m.name.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn multi_document_yaml_reads_every_kind() {
    let s = load_snapshot(&fixture("multi-doc.yaml")).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(
        s.missing.is_empty(),
        "a plain file is complete: {:?}",
        s.missing
    );
    assert_eq!(names(s.namespaces.iter().map(|o| &o.metadata)), ["/shop"]);
    assert_eq!(names(s.nodes.iter().map(|o| &o.metadata)), ["/worker-1"]);
    assert_eq!(
        names(s.deployments.iter().map(|o| &o.metadata)),
        ["shop/web"]
    );
    assert_eq!(
        names(s.replica_sets.iter().map(|o| &o.metadata)),
        ["shop/web-7d9f8b6c5d"]
    );
    assert_eq!(
        names(s.pods.iter().map(|o| &o.metadata)),
        ["shop/web-7d9f8b6c5d-x2x9q"]
    );
    assert_eq!(names(s.services.iter().map(|o| &o.metadata)), ["shop/web"]);
    assert_eq!(names(s.endpoints.iter().map(|o| &o.metadata)), ["shop/web"]);
    assert_eq!(
        names(s.endpoint_slices.iter().map(|o| &o.metadata)),
        ["shop/web-8xk2p"]
    );
    assert_eq!(
        names(s.ingress_classes.iter().map(|o| &o.metadata)),
        ["/nginx"]
    );
    assert_eq!(names(s.ingresses.iter().map(|o| &o.metadata)), ["shop/web"]);
    assert_eq!(
        names(s.network_policies.iter().map(|o| &o.metadata)),
        ["shop/default-deny-ingress"]
    );
    // Only kube-proxy's ConfigMap is kept.
    assert_eq!(
        names(s.config_maps.iter().map(|o| &o.metadata)),
        ["kube-system/kube-proxy"]
    );
    assert_eq!(
        s.other_kinds.get("metallb.io/v1beta1/IPAddressPool"),
        Some(&1)
    );

    // Status is read as it is.
    let pod = s.pod("shop", "web-7d9f8b6c5d-x2x9q").unwrap();
    let st = pod.status.as_ref().unwrap();
    assert_eq!(st.pod_ip.as_deref(), Some("10.244.1.23"));
    let cs = &st.container_statuses.as_ref().unwrap()[0];
    assert_eq!(cs.restart_count, 12);
    assert_eq!(
        cs.state
            .as_ref()
            .unwrap()
            .waiting
            .as_ref()
            .unwrap()
            .reason
            .as_deref(),
        Some("CrashLoopBackOff")
    );
    // A YAML number where a Quantity is expected (`cpu: 0.1`) still reads.
    let tpl = s.deployments[0].spec.template.spec.as_ref().unwrap();
    let requests = tpl.containers[0]
        .resources
        .as_ref()
        .unwrap()
        .requests
        .as_ref()
        .unwrap();
    assert_eq!(requests["cpu"].0, "0.1");

    // Both event APIs end up in one shape, attached to the Pod.
    let events = s.events_for(&ObjectRef::namespaced(
        kreach_core::Kind::Pod,
        "shop",
        "web-7d9f8b6c5d-x2x9q",
    ));
    let reasons: Vec<_> = events.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, ["BackOff", "Scheduled"]);
    assert_eq!(events[0].count, 57);
    assert_eq!(events[1].source, "default-scheduler");
}

#[test]
fn generic_list_with_mixed_items() {
    let s = load_snapshot(&fixture("list.yaml")).unwrap();
    assert_eq!(names(s.services.iter().map(|o| &o.metadata)), ["shop/api"]);
    assert_eq!(
        names(s.daemon_sets.iter().map(|o| &o.metadata)),
        ["kube-system/kube-proxy"]
    );
    assert_eq!(
        names(s.stateful_sets.iter().map(|o| &o.metadata)),
        ["shop/db"]
    );
    assert_eq!(s.other_kinds.get("v1/ServiceAccount"), Some(&1));
    let lb = s.services[0]
        .status
        .as_ref()
        .unwrap()
        .load_balancer
        .as_ref()
        .unwrap();
    assert_eq!(
        lb.ingress.as_ref().unwrap()[0].ip.as_deref(),
        Some("198.51.100.7")
    );
}

#[test]
fn typed_pod_list_json_without_item_kinds() {
    let s = load_snapshot(&fixture("podlist.json")).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(
        names(s.pods.iter().map(|o| &o.metadata)),
        ["shop/cart-5f6d7c8b9a-abcde", "shop/cart-5f6d7c8b9a-fghij"]
    );
    // The raw documents get the type the list gave their items.
    let docs = load_documents(&fixture("podlist.json")).unwrap();
    assert_eq!(docs.format, SourceFormat::Files);
    assert_eq!(docs.documents.len(), 2);
    assert_eq!(docs.documents[0].value["kind"], "Pod");
    assert_eq!(docs.documents[0].value["apiVersion"], "v1");
    assert!(docs.documents[0].source.ends_with("podlist.json"));
}

#[test]
fn ndjson() {
    let s = load_snapshot(&fixture("ndjson.json")).unwrap();
    assert_eq!(s.services.len(), 1);
    assert_eq!(s.pods.len(), 1);
    assert_eq!(s.events.len(), 1);
    assert_eq!(s.events[0].count, 97);
}

#[test]
fn plain_directory_recursively_ignoring_other_files() {
    let s = load_snapshot(&fixture("manifests")).unwrap();
    assert!(s.missing.is_empty(), "{:?}", s.missing);
    assert_eq!(s.namespaces.len(), 1);
    assert_eq!(s.services.len(), 1);
    assert_eq!(s.pods.len(), 1);
    // values.yaml has no kind: named in a warning, not fatal. NOTES.txt and
    // kubectl.log are not read at all.
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        matches!(&s.warnings[0], kreach_core::snapshot::Warning::Kindless { path, count: 1 }
            if path.ends_with("values.yaml")),
        "{:?}",
        s.warnings
    );
    assert!(s.other_kinds.is_empty(), "{:?}", s.other_kinds);
}

const DUMP_LACKS: [Kind; 9] = [
    Kind::Namespace,
    Kind::Endpoints,
    Kind::EndpointSlice,
    Kind::Ingress,
    Kind::IngressClass,
    Kind::NetworkPolicy,
    Kind::Secret,
    Kind::ConfigMap,
    Kind::StatefulSet,
];

fn assert_dump_snapshot(s: &kreach_core::Snapshot) {
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.nodes.len(), 1);
    assert_eq!(
        names(s.services.iter().map(|o| &o.metadata)),
        ["kube-system/kube-dns", "shop/cart"]
    );
    assert_eq!(s.pods.len(), 2);
    assert_eq!(s.events.len(), 1);
    assert_eq!(s.other_kinds.get("v1/ReplicationController"), Some(&1));
    for kind in DUMP_LACKS {
        assert!(!s.has_kind(kind), "{kind:?} must be missing");
        assert_eq!(
            s.missing_reason(kind),
            Some(&kreach_core::snapshot::NotRead::NotInClusterInfoDump { kind })
        );
    }
    for kind in [
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Event,
        Kind::Deployment,
    ] {
        assert!(s.has_kind(kind), "{kind:?}");
    }
    // No Namespace objects, but the namespaces are still known to exist.
    assert_eq!(s.namespace_exists("shop"), Some(true));
}

#[test]
fn cluster_info_dump_directory() {
    let s = load_snapshot(&fixture("cluster-info-dump")).unwrap();
    assert_dump_snapshot(&s);
    let docs = load_documents(&fixture("cluster-info-dump")).unwrap();
    assert_eq!(docs.format, SourceFormat::ClusterInfoDump);
}

#[test]
fn cluster_info_dump_stdout_with_log_blocks() {
    let s = load_snapshot(&fixture("cluster-info-dump-stdout.txt")).unwrap();
    assert_dump_snapshot(&s);
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let e = load_snapshot(&fixture("malformed.yaml")).unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(e, LoadError::Parse { line: Some(13), .. }),
        "{msg}"
    );
    assert!(msg.contains("malformed.yaml:13:"), "{msg}");
    assert!(msg.contains("invalid YAML: "), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
}

#[test]
fn malformed_file_in_a_plain_directory_is_fatal() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("list.yaml"), dir.path().join("a.yaml")).unwrap();
    fs::write(
        dir.path().join("b.json"),
        "{\"kind\": \"Pod\",\n \"metadata\": }\n",
    )
    .unwrap();
    let msg = load_snapshot(dir.path()).unwrap_err().to_string();
    assert!(msg.contains("b.json:2:14: invalid JSON: "), "{msg}");
}

#[test]
fn empty_file_has_no_objects() {
    let e = load_snapshot(&fixture("empty.yaml")).unwrap_err();
    assert!(matches!(e, LoadError::NoObjects { .. }));
    assert!(
        e.to_string()
            .ends_with("empty.yaml: no Kubernetes objects found"),
        "{e}"
    );
}

#[test]
fn empty_directory_and_empty_list_have_no_objects() {
    let dir = tempfile::tempdir().unwrap();
    let e = load_snapshot(dir.path()).unwrap_err();
    assert!(
        e.to_string().ends_with(": no Kubernetes objects found"),
        "{e}"
    );
    fs::write(
        dir.path().join("l.yaml"),
        "apiVersion: v1\nkind: List\nitems: []\n",
    )
    .unwrap();
    let e = load_snapshot(dir.path()).unwrap_err();
    assert!(matches!(e, LoadError::NoObjects { .. }), "{e}");
}

#[test]
fn unreadable_path_is_one_line() {
    let e = load_snapshot(Path::new("/nonexistent/kreach/snap.yaml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read /nonexistent/kreach/snap.yaml: No such file or directory"
    );
}

#[test]
fn redacted_secrets_are_still_recorded() {
    let s = load_snapshot(&fixture("redacted-secret.yaml")).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let tls = s.tls_secret("shop", "shop-tls").unwrap();
    assert!(tls.chain.is_empty());
    assert!(tls.error.is_some());
    assert_eq!(
        s.other_secrets,
        [ObjectRef::namespaced(
            kreach_core::Kind::Secret,
            "shop",
            "db-credentials"
        )]
    );
}

// ---- Secrets with real key material ----

struct TlsFixture {
    cert_pem: String,
    key_pem: String,
}

fn tls_fixture() -> TlsFixture {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec![
        "shop.example.com".to_string(),
        "www.shop.example.com".to_string(),
    ])
    .unwrap();
    let cert = params.self_signed(&key).unwrap();
    TlsFixture {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}

fn b64(data: &[u8]) -> String {
    // A few lines of base64 keep the dev-dependencies to rcgen and tempfile.
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn tls_secret_keeps_certificate_metadata_and_never_the_key() {
    let tls = tls_fixture();
    let key_b64 = b64(tls.key_pem.as_bytes());
    let crt_b64 = b64(tls.cert_pem.as_bytes());
    let key_body: String = tls
        .key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let yaml = format!(
        r#"apiVersion: v1
data:
  tls.crt: {crt_b64}
  tls.key: {key_b64}
kind: Secret
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {{"apiVersion":"v1","data":{{"tls.crt":"{crt_b64}","tls.key":"{key_b64}"}},"kind":"Secret","metadata":{{"annotations":{{}},"name":"shop-tls","namespace":"shop"}},"type":"kubernetes.io/tls"}}
  creationTimestamp: "2026-11-20T09:02:00Z"
  name: shop-tls
  namespace: shop
  resourceVersion: "790"
  uid: 6c8d0e2f-5a7b-4c9d-8e1f-3a4b5c6d7e8f
type: kubernetes.io/tls
---
apiVersion: v1
kind: Secret
metadata:
  name: plain
  namespace: shop
stringData:
  tls.key: |
{indented}
type: Opaque
"#,
        indented = tls
            .key_pem
            .lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.yaml");
    fs::write(&path, yaml).unwrap();

    let s = load_snapshot(&path).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let secret = s.tls_secret("shop", "shop-tls").unwrap();
    assert_eq!(secret.error, None);
    let leaf = secret.leaf().unwrap();
    assert_eq!(leaf.sans, ["shop.example.com", "www.shop.example.com"]);
    assert!(leaf.covers("www.shop.example.com"));

    let debug = format!("{s:?}");
    for needle in [&key_b64, &key_body, &tls.key_pem] {
        assert!(
            !debug.contains(needle.as_str()),
            "key material in the snapshot"
        );
    }
    // The raw documents (what `kreach serve` hands out) hold no key either.
    let docs = load_documents(&path).unwrap();
    let raw = format!("{:?}", docs.documents);
    assert!(raw.contains(&crt_b64));
    for needle in [&key_b64, &key_body] {
        assert!(
            !raw.contains(needle.as_str()),
            "key material in the raw documents"
        );
    }
    assert!(!raw.contains("last-applied-configuration"));
}

// ---- archives ----

fn tar_gz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, *data).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

#[test]
fn kreach_snapshot_archive_with_manifest() {
    let manifest = br#"{"collected_at": "2026-11-20T12:00:00Z", "cluster_version": "v1.31.2",
        "kreach_version": "0.1.0",
        "missing": [{"kind": "NetworkPolicy", "reason": "forbidden: cannot list networkpolicies.networking.k8s.io"},
                    {"kind": "Frobnicator", "reason": "x"}]}"#;
    let multi = fs::read(fixture("multi-doc.yaml")).unwrap();
    let pods = fs::read(fixture("podlist.json")).unwrap();
    let archive = tar_gz(&[
        ("kreach-snapshot/manifest.json", manifest),
        ("kreach-snapshot/objects/all.yaml", &multi),
        ("kreach-snapshot/objects/pods.json", &pods),
        ("kreach-snapshot/README.txt", b"not read"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.tar.gz");
    fs::File::create(&path)
        .unwrap()
        .write_all(&archive)
        .unwrap();

    let s = load_snapshot(&path).unwrap();
    assert_eq!(s.collected_at.unwrap().to_string(), "2026-11-20T12:00:00Z");
    assert!(!s.has_kind(Kind::NetworkPolicy));
    // An older kreach's sentence is kept as it was written.
    assert_eq!(
        s.missing_reason(Kind::NetworkPolicy),
        Some(&kreach_core::snapshot::NotRead::Recorded {
            reason: "forbidden: cannot list networkpolicies.networking.k8s.io".into()
        })
    );
    assert_eq!(s.missing.len(), 1);
    assert_eq!(s.pods.len(), 3);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        matches!(&s.warnings[0], kreach_core::snapshot::Warning::UnknownMissingKind { kind, .. }
            if kind == "Frobnicator"),
        "{:?}",
        s.warnings
    );

    let docs = load_documents(&path).unwrap();
    assert_eq!(docs.format, SourceFormat::KreachSnapshot);
    assert_eq!(docs.cluster_version.as_deref(), Some("v1.31.2"));
    assert!(
        docs.documents[0]
            .source
            .starts_with(&format!("{}!/kreach-snapshot/", path.display()))
    );
}

#[test]
fn manifest_in_a_directory_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("list.yaml"), dir.path().join("list.yaml")).unwrap();
    fs::write(
        dir.path().join("manifest.json"),
        r#"{"collected_at": "2026-11-20T12:00:00+01:00", "missing": [{"kind": "Event", "reason": "events were not collected"}]}"#,
    )
    .unwrap();
    let s = load_snapshot(dir.path()).unwrap();
    assert_eq!(s.collected_at.unwrap().to_string(), "2026-11-20T11:00:00Z");
    assert!(!s.has_kind(Kind::Event));
    assert!(s.has_kind(Kind::Pod));
}

#[test]
fn manifest_with_a_bad_time_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("list.yaml"), dir.path().join("list.yaml")).unwrap();
    fs::write(
        dir.path().join("manifest.json"),
        r#"{"collected_at": "yesterday"}"#,
    )
    .unwrap();
    let e = load_snapshot(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("manifest.json: invalid snapshot manifest: collected_at"),
        "{e}"
    );
}

#[test]
fn kubernetes_object_named_manifest_json_is_just_an_object() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("podlist.json"), dir.path().join("manifest.json")).unwrap();
    let docs = load_documents(dir.path()).unwrap();
    assert_eq!(docs.format, SourceFormat::Files);
    assert_eq!(docs.documents.len(), 2);
}

#[test]
fn plain_tar_gz_of_manifests() {
    let list = fs::read(fixture("list.yaml")).unwrap();
    let nd = fs::read(fixture("ndjson.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("objects.tgz");
    fs::write(
        &path,
        tar_gz(&[("./list.yaml", &list), ("./more/nd.json", &nd)]),
    )
    .unwrap();
    let s = load_snapshot(&path).unwrap();
    assert_eq!(s.services.len(), 2);
    // Objects read from a cluster, without its Nodes or Namespaces: the
    // kinds the archive does not hold were not collected.
    assert!(s.has_kind(Kind::Pod) && s.has_kind(Kind::Service));
    for kind in [
        Kind::Node,
        Kind::NetworkPolicy,
        Kind::Ingress,
        Kind::Namespace,
    ] {
        assert!(!s.has_kind(kind), "{kind:?}");
    }
    assert!(
        matches!(
            s.missing_reason(Kind::Node),
            Some(kreach_core::snapshot::NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::Directory,
                evidence: kreach_core::snapshot::DumpEvidence::PodsOnAbsentNodes { .. }
            })
        ),
        "{:?}",
        s.missing
    );
}

// ---- never panic ----

/// Every prefix-truncation of every fixture, and byte garbage, gives a
/// snapshot or an error: never a panic.
#[test]
fn truncated_and_garbage_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.yaml");
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for name in [
        "multi-doc.yaml",
        "list.yaml",
        "podlist.json",
        "ndjson.json",
        "cluster-info-dump-stdout.txt",
        "redacted-secret.yaml",
    ] {
        let full = fs::read(fixture(name)).unwrap();
        let step = (full.len() / 97).max(1);
        for cut in (0..full.len()).step_by(step) {
            inputs.push(full[..cut].to_vec());
        }
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [1usize, 2, 7, 64, 513, 4096] {
        for _ in 0..8 {
            let mut v = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                v.push((seed >> 24) as u8);
            }
            inputs.push(v);
        }
    }
    inputs.extend(
        [
            &b"\x1f\x8b\x08\x00garbage"[..],
            b"{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[1,\"x\",null,[[]]]}",
            b"kind: PodList\nitems: {a: 1}\n",
            b"- - - - - [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            b"a: &a [*a]\n",
            b"apiVersion: 7\nkind: [Pod]\nmetadata: 3\n",
            b"apiVersion: v1\nkind: Secret\ndata: [1]\nstringData: 7\nmetadata: {annotations: 1}\n",
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: [x]}\n",
            b"==== START logs for container\n",
        ]
        .map(<[u8]>::to_vec),
    );
    for input in inputs {
        fs::write(&path, &input).unwrap();
        if let Ok(s) = load_snapshot(&path) {
            let _ = format!("{s:?}");
        }
        let _ = load_documents(&path);
    }
}
