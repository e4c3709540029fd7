//! Partial dumps are not complete clusters: what a plain file or directory
//! evidently lacks is unknown, with the evidence (`NotRead::NotInDump`),
//! while complete dumps and hand-written manifests stay complete. Objects
//! held twice count once.
//!
//! The fixtures under `tests/fixtures/partial/` are `kubectl get -o yaml`
//! output of one cluster (kreach-core's fixture base `store` with
//! `networkpolicy-denies/fires.yaml` applied), cut the ways people collect
//! it.

use std::fs;
use std::path::PathBuf;

use kreach_collect::load_snapshot;
use kreach_core::Kind;
use kreach_core::snapshot::{DumpEvidence, Holder, NotRead, Warning};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn evidence(s: &kreach_core::Snapshot, kind: Kind) -> Option<(Holder, DumpEvidence)> {
    match s.missing_reason(kind) {
        Some(NotRead::NotInDump { holder, evidence }) => Some((*holder, evidence.clone())),
        _ => None,
    }
}

#[test]
fn kubectl_get_all_leaves_out_every_other_kind() {
    let s = load_snapshot(&fixture("partial/get-all.yaml")).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.pods.len(), 18);
    for kind in [
        Kind::Pod,
        Kind::Service,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::DaemonSet,
        Kind::StatefulSet,
    ] {
        assert!(s.has_kind(kind), "{kind:?} is what get all prints");
    }
    for kind in [
        Kind::NetworkPolicy,
        Kind::Ingress,
        Kind::IngressClass,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Namespace,
        Kind::Secret,
        Kind::ConfigMap,
        Kind::Event,
    ] {
        assert_eq!(
            evidence(&s, kind),
            Some((Holder::File, DumpEvidence::GetAll)),
            "{kind:?}"
        );
    }
    // The Pods name their nodes: that evidence is the more precise one.
    assert_eq!(
        evidence(&s, Kind::Node),
        Some((
            Holder::File,
            DumpEvidence::PodsOnAbsentNodes {
                nodes: vec!["worker-a".into(), "worker-b".into(), "worker-c".into()],
                more: 0
            }
        ))
    );
}

#[test]
fn pods_on_a_node_the_file_does_not_hold_make_nodes_unknown() {
    let s = load_snapshot(&fixture("partial/nodes-partly.yaml")).unwrap();
    assert_eq!(s.nodes.len(), 2);
    assert_eq!(
        evidence(&s, Kind::Node),
        Some((
            Holder::File,
            DumpEvidence::PodsOnAbsentNodes {
                nodes: vec!["worker-c".into()],
                more: 0
            }
        ))
    );
    // Everything else is there: Namespaces, NetworkPolicies, endpoints.
    assert_eq!(s.missing.len(), 1, "{:?}", s.missing);
}

#[test]
fn ready_replicas_without_any_pod_mean_pods_were_not_collected() {
    let s = load_snapshot(&fixture("partial/no-pods.yaml")).unwrap();
    assert!(s.pods.is_empty());
    assert_eq!(
        evidence(&s, Kind::Pod),
        Some((
            Holder::File,
            DumpEvidence::ReadyReplicasWithoutPods {
                workload: "DaemonSet kube-system/kube-proxy".into(),
                ready: 3,
                // cilium and metallb-speaker, five Deployments, their
                // five ReplicaSets.
                more: 12
            }
        ))
    );
    // It holds Nodes and Namespaces: nothing else is in doubt.
    assert_eq!(s.missing.len(), 1, "{:?}", s.missing);
}

#[test]
fn a_directory_of_some_kinds_read_from_a_cluster_lacks_the_others() {
    let s = load_snapshot(&fixture("partial/pods-and-services")).unwrap();
    assert_eq!((s.pods.len(), s.services.len()), (3, 1));
    // Pods and Services only, which is also what `get all` prints.
    assert_eq!(
        evidence(&s, Kind::NetworkPolicy),
        Some((Holder::Directory, DumpEvidence::GetAll))
    );
    assert!(matches!(
        evidence(&s, Kind::Node),
        Some((Holder::Directory, DumpEvidence::PodsOnAbsentNodes { .. }))
    ));

    // With a ConfigMap it is no longer `get all`: the directory rule says
    // which kinds it holds.
    let dir = tempfile::tempdir().unwrap();
    for f in ["pods.yaml", "services.yaml"] {
        fs::copy(
            fixture("partial/pods-and-services").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    fs::write(
        dir.path().join("configmaps.yaml"),
        "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata:\n    name: kube-proxy\n    namespace: kube-system\n    uid: 0b6c1f2e-9d1a-4e5b-8c3d-2f1e0a9b8c7d\n  data:\n    config.conf: 'kind: KubeProxyConfiguration'\nmetadata:\n  resourceVersion: \"48213\"\n",
    )
    .unwrap();
    let s = load_snapshot(dir.path()).unwrap();
    assert_eq!(
        evidence(&s, Kind::NetworkPolicy),
        Some((
            Holder::Directory,
            DumpEvidence::OnlySomeKinds {
                kinds: vec![Kind::Pod, Kind::Service, Kind::ConfigMap]
            }
        ))
    );
    assert!(s.has_kind(Kind::ConfigMap));
}

#[test]
fn objects_read_from_a_cluster_without_any_node_make_nodes_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("svc.yaml");
    let text = fs::read_to_string(fixture("partial/pods-and-services/services.yaml")).unwrap();
    // `kubectl get svc,netpol -n store -o yaml`: nothing scheduled to name
    // a node, but read from a cluster.
    fs::write(
        &f,
        format!(
            "{text}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: store\n  uid: 0f1e2d3c-4b5a-4697-8877-665544332211\nspec:\n  podSelector: {{}}\n  policyTypes:\n  - Ingress\n"
        ),
    )
    .unwrap();
    let s = load_snapshot(&f).unwrap();
    assert_eq!(
        evidence(&s, Kind::Node),
        Some((Holder::File, DumpEvidence::NoNodes))
    );
    // Written by hand (no uids): complete, as before.
    let hand = dir.path().join("hand.yaml");
    fs::write(
        &hand,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n",
    )
    .unwrap();
    assert!(load_snapshot(&hand).unwrap().missing.is_empty());
}

/// Near misses: what holds Nodes and Namespaces, or was written by hand,
/// is complete.
#[test]
fn complete_dumps_and_hand_written_manifests_stay_complete() {
    for name in ["multi-doc.yaml", "manifests"] {
        let s = load_snapshot(&fixture(name)).unwrap();
        assert!(s.missing.is_empty(), "{name}: {:?}", s.missing);
    }
    // A directory of per-kind files that holds Nodes and Namespaces.
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixture("partial/nodes-partly.yaml")).unwrap();
    fs::write(dir.path().join("all.yaml"), &text).unwrap();
    fs::write(
        dir.path().join("worker-c.yaml"),
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-c\n  uid: 5f0e9d8c-7b6a-4954-8372-61504f3e2d1c\nstatus:\n  conditions:\n  - status: \"True\"\n    type: Ready\n",
    )
    .unwrap();
    let s = load_snapshot(dir.path()).unwrap();
    assert!(s.missing.is_empty(), "{:?}", s.missing);
    // A Service with a Node is more than `get all` prints.
    let f = dir.path().join("app.yaml");
    fs::write(
        &f,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n",
    )
    .unwrap();
    let s = load_snapshot(&f).unwrap();
    assert!(s.missing.is_empty(), "a Node makes it more than get all");
}

#[test]
fn objects_held_twice_count_once() {
    let text = fs::read_to_string(fixture("partial/nodes-partly.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("twice.yaml");
    fs::write(&f, format!("{text}---\n{text}")).unwrap();
    let s = load_snapshot(&f).unwrap();
    let once = load_snapshot(&fixture("partial/nodes-partly.yaml")).unwrap();
    assert_eq!(s.pods.len(), once.pods.len());
    assert_eq!(s.services.len(), once.services.len());
    assert_eq!(s.nodes.len(), 2);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);

    // The same object in two files counts once too.
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    fs::write(d.join("a.yaml"), &text).unwrap();
    fs::write(d.join("b.yaml"), &text).unwrap();
    let s = load_snapshot(&d).unwrap();
    assert_eq!(s.pods.len(), once.pods.len());

    // Same name, another uid: the first copy is kept, and a warning says so.
    let other = text.replace(
        "uid: 03da1450-89f8-54df-8daa-1b64ee6889ec",
        "uid: 11111111-89f8-54df-8daa-1b64ee6889ec",
    );
    assert_ne!(other, text);
    fs::write(d.join("b.yaml"), &other).unwrap();
    let s = load_snapshot(&d).unwrap();
    assert_eq!(s.services.len(), once.services.len());
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        matches!(&s.warnings[0], Warning::ConflictingCopies { object, first, second }
            if object == "Service store/frontend" && first.ends_with("a.yaml") && second.ends_with("b.yaml")),
        "{:?}",
        s.warnings
    );
}
