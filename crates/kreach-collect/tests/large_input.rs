//! A dump far past serde-saphyr's default budget (which broke at about
//! 1,100 pods) must load: this guards the explicit, input-sized budget.

use std::fmt::Write as _;
use std::time::Instant;

use kreach_collect::load_snapshot;

const PODS: usize = 3_000;

fn pod_list_yaml() -> String {
    let mut y =
        String::from("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
    for i in 0..PODS {
        let ns = format!("team-{}", i % 40);
        write!(
            y,
            r#"- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2026-11-20T10:00:00Z"
    generateName: web-7d9f8b6c5d-
    labels:
      app: web-{app}
      pod-template-hash: 7d9f8b6c5d
    name: web-7d9f8b6c5d-{i:05}
    namespace: {ns}
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: ReplicaSet
      name: web-7d9f8b6c5d
      uid: 3b5c7d9e-2f4a-4b6c-9d8e-0f1a2b3c4d5e
    resourceVersion: "{i}"
    uid: 4c6d8e0f-3a5b-4c7d-8e9f-{i:012}
  spec:
    containers:
    - image: registry.example.com/shop/web:3.4.1
      imagePullPolicy: IfNotPresent
      name: web
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      readinessProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: 5
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
    nodeName: worker-{node}
    restartPolicy: Always
  status:
    conditions:
    - lastTransitionTime: "2026-11-20T10:00:05Z"
      status: "True"
      type: Ready
    containerStatuses:
    - image: registry.example.com/shop/web:3.4.1
      name: web
      ready: true
      restartCount: 0
      state:
        running:
          startedAt: "2026-11-20T10:00:03Z"
    hostIP: 10.0.{node}.15
    phase: Running
    podIP: 10.244.{a}.{b}
"#,
            app = i % 50,
            node = i % 20,
            a = i / 250,
            b = i % 250,
        )
        .unwrap();
    }
    y
}

#[test]
fn yaml_list_of_3000_pods_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pods.yaml");
    std::fs::write(&path, pod_list_yaml()).unwrap();
    let started = Instant::now();
    let s = load_snapshot(&path).unwrap();
    eprintln!("loaded {PODS} pods from YAML in {:?}", started.elapsed());
    assert_eq!(s.pods.len(), PODS);
    assert!(
        s.warnings.is_empty(),
        "{:?}",
        &s.warnings[..s.warnings.len().min(3)]
    );
    assert!(s.pod("team-7", "web-7d9f8b6c5d-00007").is_some());
    assert_eq!(s.pods_in("team-0").count(), PODS / 40);
}

#[test]
fn same_pods_as_3000_yaml_documents() {
    // The document count is budgeted too (default: 1,024).
    let list = pod_list_yaml();
    let docs: String = list
        .split("\n- ")
        .skip(1)
        .map(|item| {
            let body: String = item
                .lines()
                .map(|l| l.strip_prefix("  ").unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n");
            format!("---\n{body}\n")
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pods.yaml");
    std::fs::write(&path, docs).unwrap();
    let s = load_snapshot(&path).unwrap();
    assert_eq!(s.pods.len(), PODS);
}

/// Real dumps reach 20k pods (84 MB of YAML). Slow in debug builds: run
/// with `cargo test --release -p kreach-collect -- --ignored`.
#[test]
#[ignore]
fn twenty_thousand_pods_yaml_and_json() {
    let one = pod_list_yaml();
    let header_end = one.find("items:\n").unwrap() + "items:\n".len();
    let items = &one[header_end..];
    let mut big = one[..header_end].to_string();
    for copy in 0..(20_000 / PODS + 1) {
        big.push_str(&items.replace("web-7d9f8b6c5d-", &format!("web-{copy}-")));
    }
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("pods.yaml");
    std::fs::write(&yaml, &big).unwrap();
    let started = Instant::now();
    let s = load_snapshot(&yaml).unwrap();
    eprintln!(
        "{} pods, {} MB YAML: {:?}",
        s.pods.len(),
        big.len() >> 20,
        started.elapsed()
    );
    assert!(s.pods.len() >= 20_000);

    let value: serde_json::Value = serde_saphyr::from_str_with_options(&big, {
        let mut o = serde_saphyr::Options::default();
        o.budget = None;
        o
    })
    .unwrap();
    let json = dir.path().join("pods.json");
    std::fs::write(&json, serde_json::to_vec(&value).unwrap()).unwrap();
    let started = Instant::now();
    let s = load_snapshot(&json).unwrap();
    eprintln!("{} pods, JSON: {:?}", s.pods.len(), started.elapsed());
}
