//! Live mode without a cluster: each test starts `kreach serve` in-process
//! on 127.0.0.1 over a snapshot, points a generated kubeconfig at it and
//! runs the kreach binary live. Every run passes `--no-probe`: a snapshot's
//! addresses are not this machine's network and must never be contacted.
//!
//! - every public acceptance scenario gives the same JSON live as with
//!   `--snapshot` (the scenario directory is required: its absence fails);
//! - the server's request log shows the query plan of each target form:
//!   how many requests, which kinds, and never a list of every Pod;
//! - 403s, a missing target, an unreachable server and a 401 end as the
//!   contract says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kreach_serve::{Background, RequestRecord, ServeOptions};
use serde_json::Value;

fn kreach() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kreach"));
    c.env_remove("KUBECONFIG").env("HOME", std::env::temp_dir());
    c
}

/// `../shared/scenarios` beside the repository, or `$KREACH_SCENARIOS`.
fn scenarios_dir() -> PathBuf {
    if let Ok(d) = std::env::var("KREACH_SCENARIOS") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios")
}

fn scenarios() -> Vec<PathBuf> {
    let dir = scenarios_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "the acceptance scenarios are required at {} ({e}); set KREACH_SCENARIOS",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no scenarios under {}", dir.display());
    v
}

struct Case {
    target: String,
    namespace: Option<String>,
    args: Vec<String>,
}

fn case(dir: &Path) -> Case {
    let text = std::fs::read_to_string(dir.join("case.yaml")).unwrap();
    let v: Value = serde_saphyr::from_str(&text).unwrap();
    Case {
        target: v["target"].as_str().unwrap().to_string(),
        namespace: v
            .get("namespace")
            .and_then(Value::as_str)
            .map(str::to_string),
        args: v
            .get("args")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn serve(path: &Path) -> Background {
    let docs = kreach_collect::load_documents(path).unwrap();
    kreach_serve::spawn(docs, ServeOptions::default()).unwrap()
}

fn kubeconfig(dir: &Path, server: &Background, namespace: Option<&str>) -> PathBuf {
    assert!(server.addr.ip().is_loopback());
    let p = dir.join("kubeconfig");
    std::fs::write(&p, kreach_serve::kubeconfig(server.addr, namespace)).unwrap();
    p
}

/// `diagnose` argument list of a case, with `--now` fixed so that the two
/// runs cannot straddle a second.
fn diagnose_args(c: &Case) -> Vec<String> {
    let mut a = vec![
        "diagnose".to_string(),
        c.target.clone(),
        "-o".into(),
        "json".into(),
        "--no-probe".into(),
    ];
    if let Some(ns) = &c.namespace {
        a.extend(["-n".to_string(), ns.clone()]);
    }
    a.extend(c.args.iter().cloned());
    if !c.args.iter().any(|x| x == "--now") {
        a.extend(["--now".to_string(), "2026-11-20T12:00:00Z".into()]);
    }
    a
}

fn run(args: &[String], extra: &[&str]) -> Output {
    kreach().args(args).args(extra).output().unwrap()
}

fn json_of(out: &Output, what: &str) -> Value {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{what}: exit {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Diagnoses one scenario both ways; returns (live, snapshot, request log).
fn both_ways(dir: &Path) -> (Value, Value, Vec<RequestRecord>) {
    let c = case(dir);
    let cluster = dir.join("cluster.yaml");
    let server = serve(&cluster);
    let tmp = tempfile::tempdir().unwrap();
    let kc = kubeconfig(tmp.path(), &server, None);
    let args = diagnose_args(&c);
    let live = run(&args, &["--kubeconfig", kc.to_str().unwrap()]);
    let snap = run(&args, &["--snapshot", cluster.to_str().unwrap()]);
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    (
        json_of(&live, &format!("{name} live")),
        json_of(&snap, &format!("{name} snapshot")),
        server.log.records(),
    )
}

#[test]
fn every_scenario_gives_the_same_json_live_as_from_its_snapshot() {
    let mut failed = Vec::new();
    let all = scenarios();
    for dir in &all {
        let (live, snap, log) = both_ways(dir);
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if live != snap {
            failed.push(format!(
                "{name}:\n  live:     {}\n  snapshot: {}",
                serde_json::to_string(&live).unwrap(),
                serde_json::to_string(&snap).unwrap()
            ));
        }
        assert!(
            log.iter().all(|r| r.method == "GET"),
            "{name}: a request that is not a GET"
        );
        assert!(
            !log.iter()
                .any(|r| r.path == "/api/v1/pods" && r.query.is_empty()),
            "{name}: listed every Pod of the cluster"
        );
    }
    assert!(
        failed.is_empty(),
        "{} of {} scenarios differ:\n{}",
        failed.len(),
        all.len(),
        failed.join("\n")
    );
}

fn scenario(name: &str) -> PathBuf {
    let d = scenarios_dir().join(name);
    assert!(
        d.join("cluster.yaml").is_file(),
        "scenario {name} is required at {}",
        d.display()
    );
    d
}

/// Requests by resource: `pods`, `services`, `ingresses`, …, counted.
fn by_resource(log: &[RequestRecord]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in log {
        let segs: Vec<&str> = r.path.split('/').filter(|s| !s.is_empty()).collect();
        let rest = if segs.first() == Some(&"api") {
            &segs[2..]
        } else {
            &segs[3.min(segs.len())..]
        };
        let res = match rest {
            ["namespaces", _, res, ..] => *res,
            [res, ..] => *res,
            [] => "discovery",
        };
        *m.entry(res.to_string()).or_default() += 1;
    }
    m
}

fn log_lines(log: &[RequestRecord]) -> String {
    log.iter()
        .map(RequestRecord::line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plan of a namespaced target never leaves its paths' namespaces for
/// pods and services, and stays within a fixed number of requests.
#[test]
fn a_service_target_queries_its_namespace_and_the_paths_it_leads_to() {
    let (live, _, log) = both_ways(&scenario("pod-pending"));
    assert_eq!(live["target"]["kind"], "Service");
    let all = log_lines(&log);
    let n = by_resource(&log);
    assert!(log.len() <= 40, "{} requests:\n{all}", log.len());
    // The Service itself by name, not the namespace's Services.
    assert!(
        log.iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/services/web"),
        "{all}"
    );
    assert!(
        !log.iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/services"),
        "{all}"
    );
    // Its EndpointSlices by service-name label.
    assert!(
        log.iter().any(
            |r| r.path == "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices"
                && r.query == "labelSelector=kubernetes.io/service-name=web"
        ),
        "{all}"
    );
    // Never Services, Ingresses or Pods of every namespace.
    for p in [
        "/api/v1/services",
        "/apis/networking.k8s.io/v1/ingresses",
        "/api/v1/pods",
    ] {
        assert!(
            !log.iter()
                .any(|r| r.path == p && !r.query.contains("labelSelector")),
            "{p} listed:\n{all}"
        );
    }
    // Events by involved kind.
    assert!(
        log.iter()
            .filter(|r| r.path.ends_with("/events"))
            .all(|r| r.query.starts_with("fieldSelector=involvedObject.kind=")),
        "{all}"
    );
    assert_eq!(n.get("nodes"), Some(&1));
    assert_eq!(n.get("ingressclasses"), Some(&1));
}

#[test]
fn url_and_address_targets_list_services_and_ingresses_across_namespaces_but_not_pods() {
    for name in [
        "healthy-ingress",
        "healthy-nodeport",
        "healthy-loadbalancer",
    ] {
        let (_, _, log) = both_ways(&scenario(name));
        let all = log_lines(&log);
        assert!(
            log.iter()
                .any(|r| r.path == "/api/v1/services" && r.query.is_empty()),
            "{name}:\n{all}"
        );
        assert!(
            log.iter()
                .any(|r| r.path == "/apis/networking.k8s.io/v1/ingresses"),
            "{name}:\n{all}"
        );
        assert!(
            !log.iter()
                .any(|r| r.path == "/api/v1/pods" && r.query.is_empty()),
            "{name}:\n{all}"
        );
        assert!(log.len() <= 45, "{name}: {} requests:\n{all}", log.len());
    }
}

#[test]
fn a_missing_target_is_target_not_found_and_its_namesakes_are_looked_up_by_name() {
    let (live, _, log) = both_ways(&scenario("target-not-found"));
    assert!(
        live["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "target-not-found")
    );
    let all = log_lines(&log);
    assert!(
        log.iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/services/webb" && r.status == 404),
        "{all}"
    );
    assert!(
        log.iter().any(|r| r.path == "/api/v1/services"
            && r.query == "fieldSelector=metadata.name=webb"
            && r.shape == "metadata"),
        "{all}"
    );
}

/// The plan of each target form: how many requests, of which resources.
/// The bounds are the plan's size with room for one more kind; a plan
/// that grows past them has started to fetch what its target does not need.
#[test]
fn request_counts_per_target_form() {
    let forms: [(&str, &str, Option<&str>, usize); 7] = [
        ("healthy-ingress", "svc/web", Some("shop"), 34),
        ("healthy-ingress", "ingress/web", Some("shop"), 36),
        ("healthy-ingress", "deploy/web", Some("shop"), 34),
        (
            "pod-not-ready",
            "pod/web-5447955fbc-wsmxl",
            Some("shop"),
            34,
        ),
        (
            "healthy-ingress",
            "https://shop.example.com/api/orders",
            None,
            36,
        ),
        ("healthy-loadbalancer", "203.0.113.60:80", None, 26),
        ("healthy-nodeport", "203.0.113.12:30080", None, 26),
    ];
    let mut table = Vec::new();
    for (name, target, ns, bound) in forms {
        let cluster = scenario(name).join("cluster.yaml");
        let server = serve(&cluster);
        let tmp = tempfile::tempdir().unwrap();
        let kc = kubeconfig(tmp.path(), &server, None);
        let c = Case {
            target: target.into(),
            namespace: ns.map(str::to_string),
            args: vec![],
        };
        let out = run(&diagnose_args(&c), &["--kubeconfig", kc.to_str().unwrap()]);
        json_of(&out, target);
        let log = server.log.records();
        let all = log_lines(&log);
        let bytes: usize = log.iter().map(|r| r.bytes).sum();
        table.push(format!(
            "{target:40} {:3} requests {bytes:7} bytes  {:?}",
            log.len(),
            by_resource(&log)
        ));
        assert!(
            log.len() <= bound,
            "{target}: {} requests (bound {bound}):\n{all}",
            log.len()
        );
        // Each kind the analysis reads everywhere is asked once.
        let n = by_resource(&log);
        for once in ["nodes", "namespaces", "ingressclasses"] {
            assert_eq!(n.get(once), Some(&1), "{target}: {once}\n{all}");
        }
        // Pods are only ever listed per namespace or by selector.
        assert!(
            log.iter()
                .filter(|r| r.path == "/api/v1/pods")
                .all(|r| !r.query.is_empty()),
            "{target}: listed every Pod\n{all}"
        );
        if ns.is_some() {
            assert!(
                !log.iter()
                    .any(|r| r.path == "/api/v1/services" && r.query.is_empty()),
                "{target}: a namespaced target listed every Service\n{all}"
            );
        }
    }
    eprintln!("{}", table.join("\n"));
}

/// `kreach policy` live reads the two ends' namespaces and their policies
/// and answers as it does from the snapshot, for Pod and IP ends.
#[test]
fn policy_answers_the_same_live_as_from_the_snapshot() {
    for name in [
        "healthy-networkpolicy-allows",
        "networkpolicy-denies",
        "networkpolicy-denies-3",
    ] {
        let cluster = scenario(name).join("cluster.yaml");
        let snap = kreach_collect::load_snapshot(&cluster).unwrap();
        let pod = |ns: &str, prefix: &str| {
            snap.pods
                .iter()
                .find(|p| {
                    p.metadata.namespace.as_deref() == Some(ns)
                        && p.metadata
                            .name
                            .as_deref()
                            .is_some_and(|n| n.starts_with(prefix))
                })
                .map(|p| {
                    (
                        format!("pod/{ns}/{}", p.metadata.name.clone().unwrap()),
                        p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap(),
                    )
                })
                .unwrap_or_else(|| panic!("{name}: no {ns}/{prefix}* pod"))
        };
        let (ctrl, ctrl_ip) = pod("ingress-nginx", "ingress-nginx-controller");
        let (web, _) = pod("shop", "web");
        let server = serve(&cluster);
        let tmp = tempfile::tempdir().unwrap();
        let kc = kubeconfig(tmp.path(), &server, None);
        for (from, to) in [
            (ctrl.as_str(), web.as_str()),
            (ctrl_ip.as_str(), web.as_str()),
            ("198.51.100.7", web.as_str()),
        ] {
            let args: Vec<String> = ["policy", from, to, "--port", "8080", "-o", "json"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let live = run(&args, &["--kubeconfig", kc.to_str().unwrap()]);
            let offline = run(&args, &["--snapshot", cluster.to_str().unwrap()]);
            assert_eq!(
                live.status.code(),
                offline.status.code(),
                "{name} {from} → {to}: {}",
                String::from_utf8_lossy(&live.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&live.stdout),
                String::from_utf8_lossy(&offline.stdout),
                "{name}: policy {from} → {to} differs live"
            );
        }
        let log = server.log.records();
        assert!(
            !log.iter()
                .any(|r| r.path == "/api/v1/pods" && r.query.is_empty()),
            "{name}: listed every Pod"
        );
    }
}

/// An ingress controller installed without its chart's labels is still
/// found live (by the Service holding the Ingress's address, then by image
/// in every namespace), so the answer stays the snapshot's.
#[test]
fn an_unlabelled_ingress_controller_gives_the_same_json_live() {
    for name in [
        "healthy-ingress",
        "ingress-controller-not-ready",
        "ingress-no-address-2",
        "pod-crash-looping",
    ] {
        let dir = scenario(name);
        let c = case(&dir);
        let docs = kreach_collect::load_documents(&dir.join("cluster.yaml")).unwrap();
        let items: Vec<Value> = docs.documents.into_iter().map(|d| d.value).collect();
        let v = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
        let relabelled = serde_json::to_string(&v)
            .unwrap()
            .replace("app.kubernetes.io/name", "example.com/name");
        let tmp = tempfile::tempdir().unwrap();
        let cluster = tmp.path().join("cluster.json");
        std::fs::write(&cluster, relabelled).unwrap();
        let server = serve(&cluster);
        let kc = kubeconfig(tmp.path(), &server, None);
        let args = diagnose_args(&c);
        let live = json_of(&run(&args, &["--kubeconfig", kc.to_str().unwrap()]), name);
        let snap = json_of(
            &run(&args, &["--snapshot", cluster.to_str().unwrap()]),
            name,
        );
        assert_eq!(
            live,
            snap,
            "{name}: unlabelled controller\n{}",
            log_lines(&server.log.records())
        );
    }
}
