//! Degraded and failed access in live mode, against `kreach serve` on
//! 127.0.0.1 (never anything else; every run passes `--no-probe`):
//! a 403 on a kind makes what depends on it unknown and names the
//! `kubectl auth can-i` command, and the diagnosis completes; an
//! unreachable server, a 401 and a server that never answers exit 3 with
//! one line. Also `kreach snapshot`: what it writes reads back to the same
//! diagnosis, and holds no key material.
//!
//! The clusters are the project's check fixtures
//! (`crates/kreach-core/fixtures/checks/`, merged with their base) and
//! `tests/fixtures/store-secrets-and-config.yaml`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kreach_core::testing::{FixtureInput, fixture_input, fixtures_dir};
use kreach_serve::{Background, ServeOptions};
use serde_json::Value;

fn kreach() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kreach"));
    c.env_remove("KUBECONFIG").env("HOME", std::env::temp_dir());
    c
}

/// A fixture (a path under kreach-core's `fixtures/checks/`, or under this
/// crate's `tests/fixtures/`) merged with its base, written as one YAML
/// file in `dir`; and what it runs.
fn cluster(fixture: &str, dir: &Path) -> (PathBuf, FixtureInput) {
    let own = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let path = if own.is_file() {
        own
    } else {
        fixtures_dir().join("checks").join(fixture)
    };
    assert!(path.is_file(), "fixture {} is missing", path.display());
    let fx = fixture_input(&path);
    let file = dir.join("cluster.yaml");
    std::fs::write(
        &file,
        serde_saphyr::to_string_multiple(&fx.documents).unwrap(),
    )
    .unwrap();
    (file, fx)
}

/// A healthy store cluster: Traefik admitted to the frontend by its
/// NetworkPolicies, every pod ready.
const HEALTHY: &str = "networkpolicy-denies/silent.yaml";

fn serve_with(path: &Path, opts: ServeOptions) -> Background {
    let docs = kreach_collect::load_documents(path).unwrap();
    kreach_serve::spawn(docs, opts).unwrap()
}

fn write_kubeconfig(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("kubeconfig");
    std::fs::write(&p, text).unwrap();
    p
}

fn diagnose(target: &str, ns: &str, source: &[&str]) -> Output {
    kreach()
        .args([
            "diagnose",
            target,
            "-n",
            ns,
            "-o",
            "json",
            "--no-probe",
            "--now",
            "2026-11-20T12:00:00Z",
        ])
        .args(source)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn a_forbidden_kind_is_unknown_with_the_permission_it_lacks_and_the_diagnosis_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = cluster(HEALTHY, tmp.path());
    // The same run with every permission: ok.
    let server = serve_with(&cluster, ServeOptions::default());
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
    let out = diagnose(
        "svc/frontend",
        "store",
        &["--kubeconfig", kc.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "ok", "{v:#}");
    let server = serve_with(
        &cluster,
        ServeOptions {
            forbid: vec!["networkpolicies/store".into()],
            ..ServeOptions::default()
        },
    );
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
    let out = diagnose(
        "svc/frontend",
        "store",
        &["--kubeconfig", kc.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "inconclusive", "{v:#}");
    let reasons: Vec<&str> = v["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["reason"].as_str())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r
                .contains("kubectl auth can-i list networkpolicies.networking.k8s.io -n store")),
        "{reasons:#?}"
    );
    assert!(server.log.records().iter().any(|r| r.status == 403));
}

#[test]
fn an_unreachable_api_server_exits_3_with_one_line() {
    // A port on loopback that nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmp = tempfile::tempdir().unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(addr, None));
    let out = diagnose(
        "svc/web",
        "shop",
        &[
            "--kubeconfig",
            kc.to_str().unwrap(),
            "--request-timeout",
            "5",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("kreach: the API server is unreachable"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn refused_credentials_exit_3_with_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = cluster(HEALTHY, tmp.path());
    let server = serve_with(
        &cluster,
        ServeOptions {
            token: Some("right".into()),
            ..ServeOptions::default()
        },
    );
    let kc = write_kubeconfig(
        tmp.path(),
        &kreach_serve::kubeconfig_with_token(server.addr, None, Some("wrong")),
    );
    let out = diagnose(
        "svc/frontend",
        "store",
        &["--kubeconfig", kc.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("refused the credentials") && err.contains("401"),
        "{err}"
    );
    // With the right token the same run works.
    let kc = write_kubeconfig(
        tmp.path(),
        &kreach_serve::kubeconfig_with_token(server.addr, None, Some("right")),
    );
    let out = diagnose(
        "svc/frontend",
        "store",
        &["--kubeconfig", kc.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_server_that_never_answers_times_out_and_exits_3() {
    // Accepts connections and reads, but never writes a response.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            held.push(s);
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(addr, None));
    let started = std::time::Instant::now();
    let out = diagnose(
        "svc/web",
        "shop",
        &[
            "--kubeconfig",
            kc.to_str().unwrap(),
            "--request-timeout",
            "2",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(
        stderr(&out).trim_end().lines().count(),
        1,
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_context_namespace_is_the_default_namespace() {
    // Every frontend pod crash-looping: svc/frontend in store is broken.
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = cluster("pod-crash-looping/fires.yaml", tmp.path());
    let server = serve_with(&cluster, ServeOptions::default());
    let kc = write_kubeconfig(
        tmp.path(),
        &kreach_serve::kubeconfig(server.addr, Some("store")),
    );
    let out = kreach()
        .args([
            "diagnose",
            "svc/frontend",
            "-o",
            "json",
            "--no-probe",
            "--kubeconfig",
            kc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    assert_eq!(v["target"]["namespace"], "store");
    assert_eq!(v["verdict"], "broken");
    let checks: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["check"].as_str())
        .collect();
    assert!(
        checks.contains(&"pod-crash-looping") && !checks.contains(&"target-not-found"),
        "{checks:?}"
    );
}

/// `kreach snapshot SCOPE` of a fixture's cluster, read back with
/// `--snapshot`, gives the live diagnosis of the fixture's target (or of
/// `target` in `ns`), and that diagnosis reports the fixture's check.
fn snapshot_round_trip(
    fixture: &str,
    target: Option<(&str, &str)>,
    scope: &[&str],
    out_name: &str,
) {
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, fx) = cluster(fixture, tmp.path());
    let (target, ns) = target.unwrap_or((
        fx.target.as_str(),
        fx.namespace.as_deref().unwrap_or("default"),
    ));
    let server = serve_with(&cluster, ServeOptions::default());
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
    // `-`: the archive on stdout, kept here as a file.
    let file = tmp.path().join(if out_name == "-" {
        "stdout.tar.gz"
    } else {
        out_name
    });
    let out = kreach()
        .args([
            "snapshot",
            "-o",
            if out_name == "-" {
                "-"
            } else {
                file.to_str().unwrap()
            },
            "--kubeconfig",
            kc.to_str().unwrap(),
        ])
        .args(scope)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    if out_name == "-" {
        assert!(!tmp.path().join("-").exists(), "wrote a file named -");
        assert!(stderr(&out).contains("stdout"), "{}", stderr(&out));
        std::fs::write(&file, &out.stdout).unwrap();
    } else {
        assert!(out.stdout.is_empty());
    }
    let args: Vec<&str> = fx.args.iter().map(String::as_str).collect();
    let live = diagnose(
        target,
        ns,
        &[&["--kubeconfig", kc.to_str().unwrap()], &args[..]].concat(),
    );
    let offline = diagnose(
        target,
        ns,
        &[&["--snapshot", file.to_str().unwrap()], &args[..]].concat(),
    );
    assert!(
        matches!(live.status.code(), Some(0 | 1)),
        "{}",
        stderr(&live)
    );
    let a: Value = serde_json::from_slice(&live.stdout).unwrap();
    let b: Value =
        serde_json::from_slice(&offline.stdout).unwrap_or_else(|_| panic!("{}", stderr(&offline)));
    assert_eq!(a, b, "{fixture}: live and --snapshot {out_name} differ");
    assert_eq!(live.status.code(), offline.status.code());
    let check = fixture.split('/').next().unwrap();
    assert!(
        a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == check),
        "{fixture}: {check} not reported on {target}: {a:#}"
    );
}

#[test]
fn a_namespace_snapshot_gives_the_same_diagnosis_as_live() {
    snapshot_round_trip(
        "pod-crash-looping/fires.yaml",
        Some(("ingress/frontend", "store")),
        &["-n", "store"],
        "snap.tar.gz",
    );
    snapshot_round_trip(
        "networkpolicy-denies/fires.yaml",
        Some(("ingress/frontend", "store")),
        &["-n", "store"],
        "snap.tar.gz",
    );
    snapshot_round_trip(
        "service-selector-matches-no-pod/fires.yaml",
        Some(("svc/frontend", "store")),
        &["-n", "store"],
        "snap.json",
    );
    // `-o -`: the archive on stdout, with its manifest.
    snapshot_round_trip(
        "networkpolicy-denies/fires.yaml",
        Some(("ingress/frontend", "store")),
        &["-n", "store"],
        "-",
    );
}

#[test]
fn an_all_namespaces_snapshot_gives_the_same_diagnosis_as_live() {
    // https://store.example.org/checkout with an expired certificate.
    snapshot_round_trip(
        "ingress-tls-certificate-expired/fires.yaml",
        None,
        &["-A"],
        "all.tar.gz",
    );
    // worker-b's NodePort 31080, where kube-proxy is not ready.
    snapshot_round_trip("kube-proxy-not-ready/fires.yaml", None, &["-A"], "dir");
}

#[test]
fn snapshots_are_redacted() {
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = cluster("store-secrets-and-config.yaml", tmp.path());
    // What there is to leak.
    let served = std::fs::read_to_string(&cluster).unwrap();
    for leak in [
        "tls.key",
        "last-applied-configuration",
        "SESSION_SECRET",
        "WHE3I3BXMnYhY2F0YWxvZy0yMDI2",
        "CATALOG_URL",
    ] {
        assert!(served.contains(leak), "the fixture lacks {leak}");
    }
    let server = serve_with(&cluster, ServeOptions::default());
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
    let file = tmp.path().join("snap.json");
    let out = kreach()
        .args([
            "snapshot",
            "-A",
            "-o",
            file.to_str().unwrap(),
            "--kubeconfig",
            kc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("tls.key"), "a TLS key was written");
    assert!(text.contains("tls.crt"), "the TLS certificate was not kept");
    assert!(!text.contains("last-applied-configuration"));
    assert!(
        !text.contains("SESSION_SECRET") && !text.contains("pk_live_"),
        "an application ConfigMap was written"
    );
    // catalog-postgres's password, base64 as in its data and in the
    // last-applied annotation.
    assert!(
        !text.contains("WHE3I3BXMnYhY2F0YWxvZy0yMDI2"),
        "database credentials were written"
    );
    assert!(!text.contains("CATALOG_URL\",\"value\":\"http"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let items = v["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["kind"] == "ConfigMap" && i["metadata"]["name"] == "kube-proxy"),
        "kube-proxy's ConfigMap was not kept"
    );
    assert!(
        text.contains("REDACTED"),
        "no env value was redacted (the frontend pods have some)"
    );
    for item in items {
        if item["kind"] == "ConfigMap" {
            assert_eq!(
                item["metadata"]["name"], "kube-proxy",
                "only kube-proxy's ConfigMap is kept"
            );
        }
        for c in item
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for e in c["env"].as_array().into_iter().flatten() {
                if let Some(val) = e.get("value") {
                    assert!(
                        val == "REDACTED" || e["name"] == "KUBE_PROXY_REPLACEMENT",
                        "env value kept: {e}"
                    );
                }
            }
        }
    }
}

#[test]
fn snapshot_write_errors_are_exit_3_and_a_closed_stdout_ends_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let (cluster, _) = cluster(HEALTHY, tmp.path());
    let server = serve_with(&cluster, ServeOptions::default());
    let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
    let snapshot = |out: &str| {
        let mut c = kreach();
        c.args(["snapshot", "-n", "store", "-o", out, "--kubeconfig"])
            .arg(&kc);
        c
    };
    // A path that cannot be created: one line, exit 3.
    let bad = tmp.path().join("no-such-dir/snap.tar.gz");
    let out = snapshot(bad.to_str().unwrap()).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("snap.tar.gz"), "{}", stderr(&out));
    // `-o -` into a pipe nobody reads: no panic, no message, exit 3 (the
    // archive is incomplete).
    let (r, w) = std::io::pipe().unwrap();
    drop(r);
    let out = snapshot("-")
        .stdout(w)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(!tmp.path().join("-").exists());
}

/// Issue 11 item 1, live: the three confident wrong answers the issue
/// reports, against `kreach serve` answering 403 for one resource. With
/// Pods forbidden no controller is "not ready" and no `kubectl scale` is
/// offered; with Ingresses forbidden the Ingress path is not silently
/// dropped into a `broken` verdict; with Nodes forbidden a cluster whose
/// NetworkPolicy blocks every path is still `broken` by that policy. Each
/// unknown names the permission with its `kubectl auth can-i` command.
#[test]
fn forbidden_pods_ingresses_or_nodes_never_invent_a_cause() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |fixture: &str, target: &str, forbid: &str| -> Value {
        let (cluster, _) = cluster(fixture, tmp.path());
        let server = serve_with(
            &cluster,
            ServeOptions {
                forbid: vec![forbid.into()],
                ..ServeOptions::default()
            },
        );
        let kc = write_kubeconfig(tmp.path(), &kreach_serve::kubeconfig(server.addr, None));
        let out = diagnose(target, "store", &["--kubeconfig", kc.to_str().unwrap()]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{forbid}: {}",
            stderr(&out)
        );
        assert!(server.log.records().iter().any(|r| r.status == 403));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let reasons = |v: &Value| -> Vec<String> {
        v["unknowns"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["reason"].as_str().map(str::to_string))
            .collect()
    };
    let checks = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["check"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let url = "http://store.example.org/";
    // Pods forbidden on a healthy cluster.
    let v = run(HEALTHY, url, "pods");
    assert_eq!(v["verdict"], "inconclusive", "{v:#}");
    assert!(
        !checks(&v)
            .iter()
            .any(|c| c.starts_with("ingress-controller")),
        "{v:#}"
    );
    assert!(!v.to_string().contains("kubectl scale"), "{v:#}");
    assert!(
        reasons(&v)
            .iter()
            .any(|r| r.contains("kubectl auth can-i list pods")),
        "{:#?}",
        reasons(&v)
    );
    // Ingresses forbidden: the Service target's Ingress path cannot be
    // seen; that is unknown, not broken.
    let v = run(HEALTHY, "svc/frontend", "ingresses");
    assert_eq!(v["verdict"], "inconclusive", "{v:#}");
    assert!(
        reasons(&v)
            .iter()
            .any(|r| r.contains("kubectl auth can-i list ingresses.networking.k8s.io")),
        "{:#?}",
        reasons(&v)
    );
    // Nodes forbidden where the NetworkPolicy (which was read) blocks.
    let healthy_nodes = run(HEALTHY, url, "nodes");
    assert_ne!(healthy_nodes["verdict"], "ok", "{healthy_nodes:#}");
    let v = run("networkpolicy-denies/fires.yaml", url, "nodes");
    assert_eq!(v["verdict"], "broken", "{v:#}");
    assert!(
        checks(&v).iter().any(|c| c == "networkpolicy-denies"),
        "{v:#}"
    );
    assert!(
        reasons(&v)
            .iter()
            .any(|r| r.contains("kubectl auth can-i list nodes")),
        "{:#?}",
        reasons(&v)
    );
}
