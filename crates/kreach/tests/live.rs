//! Live mode without a cluster: each test starts `kreach serve` in-process
//! on 127.0.0.1 over a snapshot, points a generated kubeconfig at it and
//! runs the kreach binary live. Every run passes `--no-probe`: a snapshot's
//! addresses are not this machine's network and must never be contacted.
//!
//! The clusters are the project's own check fixtures
//! (`crates/kreach-core/fixtures/checks/<check>/{fires,silent}*.yaml`,
//! merged with their base by `kreach_core::testing::fixture_input`) and
//! `examples/store-cluster.yaml`.
//!
//! - every check fixture gives the same JSON live as with `--snapshot`;
//! - the server's request log shows the query plan of each target form:
//!   how many requests, which kinds, and never a list of every Pod;
//! - 403s, a missing target, an unreachable server and a 401 end as the
//!   contract says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kreach_core::testing::{FixtureInput, all_fixtures, fixture_input, fixtures_dir};
use kreach_serve::{Background, RequestRecord, ServeOptions};
use serde_json::Value;

fn kreach() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kreach"));
    c.env_remove("KUBECONFIG").env("HOME", std::env::temp_dir());
    c
}

/// A check fixture by its path under `fixtures/checks/`, e.g.
/// `pod-pending/fires.yaml`.
fn fixture(rel: &str) -> FixtureInput {
    let p = fixtures_dir().join("checks").join(rel);
    assert!(p.is_file(), "fixture {} is missing", p.display());
    fixture_input(&p)
}

/// A fixture's merged documents in the order an API server lists them (by
/// kind, namespace and name), which is the order `kreach serve` answers
/// in: live and `--snapshot` runs then read the same objects in the same
/// order. (The diagnosis lists pods in the order it reads them.)
fn api_order(fx: &FixtureInput) -> Vec<Value> {
    let mut docs = fx.documents.clone();
    docs.sort_by_cached_key(|d| {
        ["/kind", "/metadata/namespace", "/metadata/name"].map(|k| {
            d.pointer(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
    });
    docs
}

/// Writes a fixture's merged documents as one multi-document YAML file.
fn write_cluster(dir: &Path, fx: &FixtureInput) -> PathBuf {
    let p = dir.join("cluster.yaml");
    let text = serde_saphyr::to_string_multiple(&api_order(fx)).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// The one thing a file may legitimately show that live collection does
/// not: custom resources. The loader counts the objects of kinds it does
/// not model (`snapshot.other_kinds`), and a few checks cite the count as
/// evidence (`MetalLB (1 metallb.io/v1beta1/IPAddressPool object(s))`);
/// the live plan reads no custom resources. Those evidence items are
/// dropped from both reports, nothing else.
fn without_custom_resource_counts(mut v: Value) -> Value {
    let is_count = |part: &str| {
        part.strip_suffix(" object(s))")
            .and_then(|p| p.rsplit_once(" ("))
            .and_then(|(_, inner)| inner.split_once(' '))
            .is_some_and(|(n, kind)| n.parse::<usize>().is_ok() && kind.matches('/').count() == 2)
    };
    for f in v["findings"].as_array_mut().into_iter().flatten() {
        for e in f["evidence"].as_array_mut().into_iter().flatten() {
            if let Some(s) = e.as_str() {
                let kept: Vec<&str> = s.split("; ").filter(|p| !is_count(p)).collect();
                *e = Value::String(kept.join("; "));
            }
        }
        // The same facts, typed: controllers found by their objects.
        for e in f["details"]["evidence"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if let Some(cs) = e.get_mut("controllers").and_then(Value::as_array_mut) {
                cs.retain(|c| c["kind"] != "objects");
            }
        }
    }
    v
}

struct Case {
    target: String,
    namespace: Option<String>,
    args: Vec<String>,
}

impl From<&FixtureInput> for Case {
    fn from(fx: &FixtureInput) -> Case {
        Case {
            target: fx.target.clone(),
            namespace: fx.namespace.clone(),
            args: fx.args.clone(),
        }
    }
}

fn serve(path: &Path) -> Background {
    serve_with(path, ServeOptions::default())
}

fn serve_with(path: &Path, opts: ServeOptions) -> Background {
    let docs = kreach_collect::load_documents(path).unwrap();
    kreach_serve::spawn(docs, opts).unwrap()
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

fn json_of(out: &Output, what: &str) -> Result<Value, String> {
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!(
            "{what}: exit {:?}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "{what}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// A live and a `--snapshot` diagnosis of one cluster file, and the
/// server's request log.
struct BothWays {
    live: Value,
    snapshot: Value,
    log: Vec<RequestRecord>,
}

/// Diagnoses `cluster` both ways.
fn both_ways_of(cluster: &Path, c: &Case, name: &str) -> Result<BothWays, String> {
    both_ways_served(cluster, c, name, ServeOptions::default())
}

/// The same, against a server started with `opts` (pages, expiring
/// continue tokens).
fn both_ways_served(
    cluster: &Path,
    c: &Case,
    name: &str,
    opts: ServeOptions,
) -> Result<BothWays, String> {
    let server = serve_with(cluster, opts);
    let tmp = tempfile::tempdir().unwrap();
    let kc = kubeconfig(tmp.path(), &server, None);
    let args = diagnose_args(c);
    let live = run(&args, &["--kubeconfig", kc.to_str().unwrap()]);
    let snap = run(&args, &["--snapshot", cluster.to_str().unwrap()]);
    Ok(BothWays {
        live: json_of(&live, &format!("{name} live"))?,
        snapshot: json_of(&snap, &format!("{name} snapshot"))?,
        log: server.log.records(),
    })
}

/// Diagnoses a fixture both ways (its merged documents written to a temp
/// YAML file, served and read with `--snapshot`).
fn both_ways(fx: &FixtureInput, name: &str) -> BothWays {
    let tmp = tempfile::tempdir().unwrap();
    let cluster = write_cluster(tmp.path(), fx);
    both_ways_of(&cluster, &Case::from(fx), name).unwrap_or_else(|e| panic!("{e}"))
}

/// What one fixture's two runs disagree on, if anything.
fn compare_fixture(name: &str, path: &Path) -> Option<String> {
    let fx = fixture_input(path);
    let tmp = tempfile::tempdir().unwrap();
    let cluster = write_cluster(tmp.path(), &fx);
    let b = match both_ways_of(&cluster, &Case::from(&fx), name) {
        Ok(b) => b,
        Err(e) => return Some(e),
    };
    let mut problems = Vec::new();
    let (live, snapshot) = (
        without_custom_resource_counts(b.live),
        without_custom_resource_counts(b.snapshot),
    );
    if live != snapshot {
        problems.push(format!(
            "  live:     {}\n  snapshot: {}",
            serde_json::to_string(&live).unwrap(),
            serde_json::to_string(&snapshot).unwrap()
        ));
    }
    if !b.log.iter().all(|r| r.method == "GET") {
        problems.push("  a request that is not a GET".into());
    }
    if b.log
        .iter()
        .any(|r| r.path == "/api/v1/pods" && selectors(r).is_empty())
    {
        problems.push("  listed every Pod of the cluster".into());
    }
    (!problems.is_empty()).then(|| format!("{name}:\n{}", problems.join("\n")))
}

/// Every check fixture, fires and silent, gives the same JSON live as from
/// its snapshot. The fixtures run on a few threads (each run is two kreach
/// processes and a server); all mismatches are reported together.
#[test]
fn every_fixture_gives_the_same_json_live_as_from_its_snapshot() {
    let all = all_fixtures();
    assert!(all.len() >= 80, "only {} fixtures found", all.len());
    let root = fixtures_dir().join("checks");
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let started = std::time::Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((_, path)) = all.get(i) else { break };
                    let name = path
                        .strip_prefix(&root)
                        .unwrap_or(path)
                        .display()
                        .to_string();
                    if let Some(f) = compare_fixture(&name, path) {
                        failed.lock().unwrap().push(f);
                    }
                }
            });
        }
    });
    eprintln!(
        "{} fixtures live and from their snapshot in {:.1?}",
        all.len(),
        started.elapsed()
    );
    let mut failed = failed.into_inner().unwrap();
    failed.sort();
    assert!(
        failed.is_empty(),
        "{} of {} fixtures differ live:\n{}",
        failed.len(),
        all.len(),
        failed.join("\n")
    );
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

/// A request's query without its paging parameters (`limit`, `continue`):
/// the selectors that say what it asked for.
fn selectors(r: &RequestRecord) -> String {
    r.query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("limit=") && !p.starts_with("continue="))
        .collect::<Vec<_>>()
        .join("&")
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
    // svc/frontend in store, behind the Traefik Ingress; a pod not ready.
    let b = both_ways(&fixture("pod-not-ready/fires.yaml"), "pod-not-ready");
    let (live, log) = (b.live, b.log);
    assert_eq!(live["target"]["kind"], "Service");
    assert_eq!(live["target"]["name"], "frontend");
    let all = log_lines(&log);
    let n = by_resource(&log);
    assert!(log.len() <= 40, "{} requests:\n{all}", log.len());
    // The Service itself by name, not the namespace's Services.
    assert!(
        log.iter()
            .any(|r| r.path == "/api/v1/namespaces/store/services/frontend"),
        "{all}"
    );
    assert!(
        !log.iter()
            .any(|r| r.path == "/api/v1/namespaces/store/services"),
        "{all}"
    );
    // Its EndpointSlices by service-name label.
    assert!(
        log.iter().any(
            |r| r.path == "/apis/discovery.k8s.io/v1/namespaces/store/endpointslices"
                && selectors(r) == "labelSelector=kubernetes.io/service-name=frontend"
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
                .any(|r| r.path == p && !selectors(r).contains("labelSelector")),
            "{p} listed:\n{all}"
        );
    }
    // Events by involved kind.
    assert!(
        log.iter()
            .filter(|r| r.path.ends_with("/events"))
            .all(|r| selectors(r).starts_with("fieldSelector=involvedObject.kind=")),
        "{all}"
    );
    assert_eq!(n.get("nodes"), Some(&1));
    assert_eq!(n.get("ingressclasses"), Some(&1));
}

#[test]
fn url_and_address_targets_list_services_and_ingresses_across_namespaces_but_not_pods() {
    for name in [
        // http://store.example.org/ through Traefik (healthy).
        "networkpolicy-denies/silent.yaml",
        // A node address with Traefik's NodePort 31443.
        "service-port-not-found/silent.yaml",
        // Traefik's load-balancer address 198.51.100.80:443.
        "loadbalancer-source-ranges/silent.yaml",
        // https://203.0.113.45/: a URL with an address (AKS, ingress-nginx).
        "cloud-health-check-mismatch/silent.yaml",
    ] {
        let log = both_ways(&fixture(name), name).log;
        let all = log_lines(&log);
        assert!(
            log.iter()
                .any(|r| r.path == "/api/v1/services" && selectors(r).is_empty()),
            "{name}:\n{all}"
        );
        assert!(
            log.iter()
                .any(|r| r.path == "/apis/networking.k8s.io/v1/ingresses"),
            "{name}:\n{all}"
        );
        assert!(
            !log.iter()
                .any(|r| r.path == "/api/v1/pods" && selectors(r).is_empty()),
            "{name}:\n{all}"
        );
        assert!(log.len() <= 45, "{name}: {} requests:\n{all}", log.len());
    }
}

#[test]
fn a_missing_target_is_target_not_found_and_its_namesakes_are_looked_up_by_name() {
    // svc/catalogue in store: the Service is called catalog.
    let b = both_ways(&fixture("target-not-found/fires.yaml"), "target-not-found");
    assert!(
        b.live["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "target-not-found"),
        "{:#}",
        b.live
    );
    let all = log_lines(&b.log);
    assert!(
        b.log
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/store/services/catalogue" && r.status == 404),
        "{all}"
    );
    assert!(
        b.log.iter().any(|r| r.path == "/api/v1/services"
            && selectors(r) == "fieldSelector=metadata.name=catalogue"
            && r.shape == "metadata"),
        "{all}"
    );
}

/// The plan of each target form: how many requests, of which resources.
/// The bounds are the plan's size with room for one more kind; a plan
/// that grows past them has started to fetch what its target does not need.
#[test]
fn request_counts_per_target_form() {
    // The store cluster with Traefik, a LoadBalancer and NodePorts, and a
    // NetworkPolicy that admits the controller: every form has a path.
    let fx = fixture("networkpolicy-denies/silent.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let cluster = write_cluster(tmp.path(), &fx);
    let forms: [(&str, Option<&str>, usize); 7] = [
        ("svc/frontend", Some("store"), 34),
        ("ingress/frontend", Some("store"), 36),
        ("deploy/frontend", Some("store"), 34),
        ("pod/frontend-5c8d9f7b64-p4rlv", Some("store"), 34),
        ("https://store.example.org/checkout", None, 36),
        ("198.51.100.80:443", None, 26),
        ("198.51.100.21:31080", None, 26),
    ];
    let mut table = Vec::new();
    for (target, ns, bound) in forms {
        let server = serve(&cluster);
        let kc = kubeconfig(tmp.path(), &server, None);
        let c = Case {
            target: target.into(),
            namespace: ns.map(str::to_string),
            args: vec![],
        };
        let out = run(&diagnose_args(&c), &["--kubeconfig", kc.to_str().unwrap()]);
        json_of(&out, target).unwrap_or_else(|e| panic!("{e}"));
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
                .all(|r| !selectors(r).is_empty()),
            "{target}: listed every Pod\n{all}"
        );
        if ns.is_some() {
            assert!(
                !log.iter()
                    .any(|r| r.path == "/api/v1/services" && selectors(r).is_empty()),
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
    let tmp = tempfile::tempdir().unwrap();
    let mut clusters: Vec<(String, PathBuf)> = Vec::new();
    for name in [
        // Traefik admitted to the frontend on 3000, and not.
        "networkpolicy-denies/silent.yaml",
        "networkpolicy-denies/fires.yaml",
        // Only the office range, and the node network too.
        "networkpolicy-denies/fires-snat.yaml",
        "networkpolicy-denies/silent-snat.yaml",
    ] {
        let dir = tmp.path().join(name.replace('/', "_"));
        std::fs::create_dir(&dir).unwrap();
        clusters.push((name.to_string(), write_cluster(&dir, &fixture(name))));
    }
    // Same-namespace only.
    clusters.push((
        "examples/store-cluster.yaml".into(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/store-cluster.yaml"),
    ));
    let mut answers = Vec::new();
    for (name, cluster) in &clusters {
        let snap = kreach_collect::load_snapshot(cluster).unwrap();
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
        let (ctrl, ctrl_ip) = pod("traefik", "traefik-");
        let (web, _) = pod("store", "frontend-");
        let server = serve(cluster);
        let kc = kubeconfig(tmp.path(), &server, None);
        for (from, to) in [
            (ctrl.as_str(), web.as_str()),
            (ctrl_ip.as_str(), web.as_str()),
            ("203.0.113.14", web.as_str()),
            ("192.168.10.21", web.as_str()),
        ] {
            let args: Vec<String> = ["policy", from, to, "--port", "3000", "-o", "json"]
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
            answers.push(format!("{name} {from} → {to}: {:?}", live.status.code()));
        }
        let log = server.log.records();
        assert!(
            !log.iter()
                .any(|r| r.path == "/api/v1/pods" && selectors(r).is_empty()),
            "{name}: listed every Pod"
        );
    }
    // Both answers occur: the clusters admit some of these connections and
    // deny others.
    for code in ["Some(0)", "Some(1)"] {
        assert!(
            answers.iter().any(|a| a.ends_with(code)),
            "no answer {code}:\n{}",
            answers.join("\n")
        );
    }
}

/// An ingress controller installed without its chart's labels is still
/// found live (by the Service holding the Ingress's address, then by image
/// in every namespace), so the answer stays the snapshot's.
#[test]
fn an_unlabelled_ingress_controller_gives_the_same_json_live() {
    for name in [
        // Traefik serving store.example.org (healthy).
        "networkpolicy-denies/silent.yaml",
        // Traefik's pods in CrashLoopBackOff.
        "ingress-controller-not-ready/fires.yaml",
        // ingress-nginx that does not watch the Ingress's namespace.
        "ingress-no-address/fires.yaml",
        // Traefik fine, the frontend pods crash-looping.
        "pod-crash-looping/fires.yaml",
    ] {
        let fx = fixture(name);
        let v = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": api_order(&fx)});
        let text = serde_json::to_string(&v).unwrap();
        assert!(text.contains("app.kubernetes.io/name"), "{name}");
        let relabelled = text.replace("app.kubernetes.io/name", "example.com/name");
        let tmp = tempfile::tempdir().unwrap();
        let cluster = tmp.path().join("cluster.json");
        std::fs::write(&cluster, relabelled).unwrap();
        let b = both_ways_of(&cluster, &Case::from(&fx), name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            b.live,
            b.snapshot,
            "{name}: unlabelled controller\n{}",
            log_lines(&b.log)
        );
        // The controller is on the path, found without its labels.
        assert!(
            serde_json::to_string(&b.live["paths"])
                .unwrap()
                .contains("IngressController"),
            "{name}: no controller hop: {:#}",
            b.live["paths"]
        );
    }
}

/// A check fixture's cluster, written to a temp file, with what it runs.
fn fixture_cluster(rel: &str, dir: &Path) -> (PathBuf, Case) {
    let fx = fixture(rel);
    (write_cluster(dir, &fx), Case::from(&fx))
}

/// Big clusters (issue 11 item 3): an API server that answers LISTs in
/// pages is read whole. Every LIST asks for `limit=500` and follows
/// `metadata.continue`; with pages of one object (so every LIST of more
/// than one object pages) the diagnosis is the one `--snapshot` gives, for
/// fixtures of every layer.
#[test]
fn a_server_that_pages_is_read_whole() {
    let tmp = tempfile::tempdir().unwrap();
    for rel in [
        "networkpolicy-denies/fires.yaml",
        "pod-not-ready/fires.yaml",
        "kube-proxy-not-ready/fires.yaml",
        "ingress-tls-certificate-expired/fires.yaml",
        "service-selector-matches-no-pod/fires.yaml",
        "networkpolicy-denies/silent.yaml",
    ] {
        let (cluster, case) = fixture_cluster(rel, tmp.path());
        let paged = ServeOptions {
            page_size: Some(1),
            ..ServeOptions::default()
        };
        let b = both_ways_served(&cluster, &case, rel, paged).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            without_custom_resource_counts(b.live),
            without_custom_resource_counts(b.snapshot),
            "{rel}: paged live differs from the snapshot"
        );
        let lines = log_lines(&b.log);
        let follow_ups = b
            .log
            .iter()
            .filter(|r| r.query.contains("continue="))
            .count();
        assert!(follow_ups > 0, "{rel}: no page was followed:\n{lines}");
        // Every LIST (a path ending in a plural, not one object) passes a
        // limit; GETs of one object do not.
        for r in b.log.iter().filter(|r| r.status == 200) {
            let is_list = r.query.contains("limit=");
            assert!(
                is_list || !r.query.contains("continue="),
                "{rel}: {}",
                r.line()
            );
            if is_list {
                assert!(r.query.contains("limit=500"), "{rel}: {}", r.line());
            }
        }
        assert!(
            b.log.iter().any(|r| r.query.contains("limit=500")),
            "{rel}:\n{lines}"
        );
    }
}

/// An expired continue token (`410 Gone`, as after an etcd compaction)
/// starts the LIST over; when every token expires, the kinds that paged
/// are unknown (the diagnosis never concludes from half a list) and the
/// reason says so.
#[test]
fn an_expired_continue_token_lists_again_and_never_leaves_half_a_list() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = "networkpolicy-denies/fires.yaml";
    let (cluster, case) = fixture_cluster(rel, tmp.path());
    // Two tokens expire: two LISTs start over, the result is whole.
    let b = both_ways_served(
        &cluster,
        &case,
        rel,
        ServeOptions {
            page_size: Some(1),
            expire_continue: 2,
            ..ServeOptions::default()
        },
    )
    .unwrap();
    let gone = b.log.iter().filter(|r| r.status == 410).count();
    assert_eq!(gone, 2, "{}", log_lines(&b.log));
    assert_eq!(
        without_custom_resource_counts(b.live.clone()),
        without_custom_resource_counts(b.snapshot.clone())
    );
    assert_eq!(b.live["verdict"], "broken", "{:#}", b.live);
    // Every token expires: no kind that pages is taken as read.
    let server = serve_with(
        &cluster,
        ServeOptions {
            page_size: Some(1),
            expire_continue: usize::MAX,
            ..ServeOptions::default()
        },
    );
    let kc = kubeconfig(tmp.path(), &server, None);
    let out = run(
        &diagnose_args(&case),
        &["--kubeconfig", kc.to_str().unwrap()],
    );
    let v = json_of(&out, "always expired").unwrap();
    let log = server.log.records();
    let unknowns: Vec<String> = v["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        unknowns.iter().any(|r| r.contains("410 Gone")),
        "{unknowns:#?}\n{}",
        log_lines(&log)
    );
    assert_ne!(v["verdict"], "ok", "{v:#}");
    // Each LIST that met a 410 started over at most three times.
    let mut firsts: BTreeMap<String, usize> = BTreeMap::new();
    for r in log.iter().filter(|r| !r.query.contains("continue=")) {
        *firsts.entry(format!("{}?{}", r.path, r.query)).or_default() += 1;
    }
    assert!(firsts.values().all(|&n| n <= 4), "{firsts:#?}");
    assert!(firsts.values().any(|&n| n == 4), "{firsts:#?}");
    // Pods and Services of the store namespace take several pages, never
    // read whole: they are unknown, and so is what they lead to; the
    // NetworkPolicy that blocks is never named as a cause from half a list.
    for kind in ["pods", "services"] {
        assert!(
            unknowns
                .iter()
                .any(|r| r.starts_with(&format!("{kind} could not be read"))),
            "{unknowns:#?}"
        );
    }
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["check"] != "networkpolicy-denies"),
        "{v:#}"
    );
    assert_eq!(v["verdict"], "inconclusive", "{v:#}");
}

/// The server's own paging answers: an invalid token is `400`, an expired
/// one `410` with the API server's reason, a page says how many objects
/// remain.
#[test]
fn kreach_serve_pages_as_the_api_server_does() {
    use std::io::{Read, Write};
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = fixture_cluster("networkpolicy-denies/fires.yaml", tmp.path());
    let server = serve_with(
        &cluster,
        ServeOptions {
            expire_continue: 1,
            ..ServeOptions::default()
        },
    );
    let get = |path: &str| -> (u16, Value) {
        let mut s = std::net::TcpStream::connect(server.addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let code: u16 = text[9..12].parse().unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        (code, serde_json::from_str(body).unwrap_or(Value::Null))
    };
    let (code, all) = get("/api/v1/pods");
    assert_eq!(code, 200);
    let n = all["items"].as_array().unwrap().len();
    assert!(n >= 3, "{n} pods");
    assert!(all["metadata"].get("continue").is_none());
    let (code, first) = get("/api/v1/pods?limit=2");
    assert_eq!(code, 200);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["metadata"]["remainingItemCount"], n - 2);
    let token = first["metadata"]["continue"].as_str().unwrap().to_string();
    // The first token presented expires.
    let (code, gone) = get(&format!("/api/v1/pods?limit=2&continue={token}"));
    assert_eq!(code, 410, "{gone:#}");
    assert_eq!(gone["reason"], "Expired");
    let (code, second) = get(&format!("/api/v1/pods?limit=2&continue={token}"));
    assert_eq!(code, 200);
    assert_eq!(second["items"][0], all["items"][2]);
    let (code, bad) = get("/api/v1/pods?limit=2&continue=12");
    assert_eq!(code, 400, "{bad:#}");
}
