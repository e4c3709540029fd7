//! The binary end to end on snapshots: reports (insta snapshots of the
//! human and JSON output), exit codes, and every kind of bad input getting
//! a one-line reason instead of a panic.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/store-cluster.yaml")
}

fn kreach() -> Command {
    let mut c = Command::cargo_bin("kreach").expect("binary built");
    c.env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    c
}

const NOW: &str = "2026-11-20T12:00:00Z";

fn diagnose(args: &[&str]) -> (i32, String, String) {
    let out = kreach().arg("diagnose").args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn human_report_of_the_bundled_example() {
    let snap = example();
    let (code, out, err) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        snap.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains('\u{1b}'), "no colour off a terminal");
    insta::assert_snapshot!("example_human", out);
}

#[test]
fn json_report_of_the_bundled_example_follows_kreach_v1() {
    let snap = example();
    let (code, out, err) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        snap.to_str().unwrap(),
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["schema"], "kreach/v1");
    assert_eq!(v["verdict"], "broken");
    for key in ["target", "paths", "root_causes", "findings", "unknowns"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for f in v["findings"].as_array().unwrap() {
        for key in [
            "id",
            "check",
            "severity",
            "layer",
            "blocks",
            "object",
            "message",
            "evidence",
            "fix",
            "explained_by",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
    let root = &v["root_causes"][0];
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| &f["id"] == root)
        .unwrap();
    assert_eq!(f["check"], "networkpolicy-denies");
    assert_eq!(f["object"], "NetworkPolicy/store/frontend-same-namespace");
    insta::assert_snapshot!("example_json", out);
}

#[test]
fn markdown_report() {
    let snap = example();
    let (code, out, _) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        snap.to_str().unwrap(),
        "--now",
        NOW,
        "-o",
        "markdown",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("## kreach: `http://store.example.org/` — **broken**"),
        "{out}"
    );
    assert!(
        out.contains("```sh\nkubectl -n store patch networkpolicy frontend-same-namespace"),
        "{out}"
    );
}

/// The example without its NetworkPolicy is healthy: exit 0, verdict ok.
#[test]
fn healthy_cluster_exits_zero() {
    let mut doc = example_list();
    doc["items"]
        .as_array_mut()
        .unwrap()
        .retain(|o| o["kind"] != "NetworkPolicy");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("healthy.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let (code, out, err) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        path.to_str().unwrap(),
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "ok");
    assert!(v["root_causes"].as_array().unwrap().is_empty());
}

/// The example as one `kind: List` JSON value, read by the loader itself.
fn example_list() -> serde_json::Value {
    let docs = kreach_collect::load_documents(&example()).expect("the example loads");
    let items: Vec<serde_json::Value> = docs.documents.into_iter().map(|d| d.value).collect();
    serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items})
}

#[test]
fn malformed_yaml_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: [a, b\nspec: {}\n",
    )
    .unwrap();
    let (code, out, err) = diagnose(&["svc/web", "--snapshot", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("broken.yaml:"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let line: String = err
        .split("broken.yaml:")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert!(line.parse::<u32>().unwrap() >= 5, "names the line: {err}");
}

#[test]
fn empty_and_unreadable_snapshots_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "").unwrap();
    for (p, want) in [
        (empty.to_str().unwrap().to_string(), "no Kubernetes objects"),
        ("/nonexistent/kreach.yaml".to_string(), "cannot read"),
    ] {
        let (code, _, err) = diagnose(&["svc/web", "--snapshot", &p]);
        assert_eq!(code, 2, "{p}");
        assert!(
            err.contains(want) && err.trim().lines().count() == 1,
            "{p}: {err}"
        );
    }
}

#[test]
fn bad_targets_are_usage_errors() {
    let snap = example();
    for t in ["cronjob/x", "10.0.0.1", "svc/", "http://bad host/"] {
        let (code, _, err) = diagnose(&[t, "--snapshot", snap.to_str().unwrap()]);
        assert_eq!(code, 2, "{t}: {err}");
        assert!(err.starts_with("kreach: bad target"), "{t}: {err}");
    }
    let (code, _, err) = diagnose(&[
        "svc/frontend",
        "--snapshot",
        snap.to_str().unwrap(),
        "--now",
        "yesterday",
    ]);
    assert_eq!(code, 2, "{err}");
}

/// `--cluster-probe` is in the contract but not implemented: it is refused
/// with a usage error, never silently ignored, and nothing is printed on
/// stdout (no report that looks as if it had probed).
#[test]
fn cluster_probe_is_refused_as_not_implemented() {
    let snap = example();
    let (code, out, err) = diagnose(&[
        "http://store.example.org/",
        "-n",
        "store",
        "--snapshot",
        snap.to_str().unwrap(),
        "--cluster-probe",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "kreach: --cluster-probe: in-cluster probes are not implemented yet\n"
    );
    assert!(out.is_empty(), "{out}");
}

#[test]
fn missing_namespace_and_misspelt_names_are_target_not_found() {
    let snap = example();
    let (code, out, _) = diagnose(&[
        "svc/frontend",
        "-n",
        "shop",
        "--snapshot",
        snap.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["check"], "target-not-found");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("namespace shop does not exist"),
        "{f}"
    );
    assert!(
        f["evidence"].to_string().contains("store"),
        "names where it exists: {f}"
    );
    let (code, out, _) = diagnose(&[
        "svc/frontnd",
        "-n",
        "store",
        "--snapshot",
        snap.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("closest names in store: frontend"), "{out}");
}

/// Objects without status, ports or selector, and a Service with a named
/// targetPort no pod has, never panic.
#[test]
fn sparse_objects_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Service\nmetadata: {name: bare, namespace: default}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: default}\nspec: {type: LoadBalancer, selector: {app: x}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default, labels: {app: x}}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: default}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\n",
    )
    .unwrap();
    for t in [
        "svc/bare",
        "svc/lb",
        "ingress/i",
        "pod/p",
        "http://x.example/",
        "10.1.2.3:80",
    ] {
        let (code, out, err) = diagnose(&[t, "--snapshot", path.to_str().unwrap(), "-o", "json"]);
        assert!(code == 0 || code == 1, "{t}: exit {code}: {err}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{t}: {out}"
        );
    }
}

/// A `kubectl cluster-info dump` cannot hold NetworkPolicies: the report
/// says which hops it could not judge and the verdict is not "ok".
#[test]
fn kinds_a_format_cannot_hold_are_unknown() {
    let doc = example_list();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let items = doc["items"].as_array().unwrap();
    let list = |kind: &str, ns: Option<&str>| {
        let it: Vec<&serde_json::Value> = items
            .iter()
            .filter(|o| o["kind"] == kind && ns.is_none_or(|n| o["metadata"]["namespace"] == n))
            .collect();
        serde_json::json!({"kind": format!("{kind}List"), "apiVersion": "v1", "items": it})
    };
    std::fs::write(root.join("nodes.json"), list("Node", None).to_string()).unwrap();
    for ns in ["store", "traefik", "kube-system"] {
        std::fs::create_dir_all(root.join(ns)).unwrap();
        for (file, kind) in [
            ("services.json", "Service"),
            ("pods.json", "Pod"),
            ("deployments.json", "Deployment"),
            ("replicasets.json", "ReplicaSet"),
            ("daemonsets.json", "DaemonSet"),
            ("events.json", "Event"),
        ] {
            let mut l = list(kind, Some(ns));
            if kind != "Service" && kind != "Pod" && kind != "Event" {
                l["apiVersion"] = "apps/v1".into();
            }
            std::fs::write(root.join(ns).join(file), l.to_string()).unwrap();
        }
        std::fs::write(
            root.join(ns).join("replication-controllers.json"),
            r#"{"kind":"ReplicationControllerList","apiVersion":"v1","items":[]}"#,
        )
        .unwrap();
    }
    let (code, out, err) = diagnose(&[
        "svc/frontend",
        "-n",
        "store",
        "--snapshot",
        root.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let unknowns = v["unknowns"].to_string();
    assert!(unknowns.contains("networkpolicies"), "{unknowns}");
    assert_ne!(v["verdict"], "ok", "{out}");
    assert!(
        !out.contains("networkpolicy-denies"),
        "cannot judge what it could not read"
    );
    // A host needs Ingresses, which a dump does not hold: not found is not known.
    let (code, out, err) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        root.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "inconclusive", "{out}");
    assert_eq!(v["findings"][0]["check"], "target-not-found");
    assert_eq!(v["findings"][0]["blocks"], false);
    assert!(
        v["findings"][0]["evidence"]
            .to_string()
            .contains("ingresses.networking.k8s.io could not be read"),
        "{out}"
    );
}

fn partial_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kreach-collect/tests/fixtures/partial")
        .join(name)
}

/// `kubectl get all -A -o yaml` of a cluster where a NetworkPolicy blocks
/// svc/frontend (the store cluster with networkpolicy-denies/fires.yaml): the file holds
/// no NetworkPolicy, so the verdict is inconclusive, never ok, and the
/// report names NetworkPolicies (and Nodes) as not checked, in English and
/// Chinese, with how to collect a complete snapshot.
#[test]
fn a_get_all_dump_is_inconclusive_not_ok() {
    let snap = partial_fixture("get-all.yaml");
    let s = snap.to_str().unwrap();
    let (code, out, err) =
        diagnose(&["svc/frontend", "-n", "store", "--snapshot", s, "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "inconclusive", "{out}");
    let unknowns = v["unknowns"].as_array().unwrap();
    let not_in_dump = |resource: &str| {
        unknowns.iter().any(|u| {
            u["details"]["resource"] == resource && u["details"]["why"]["cause"] == "not-in-dump"
        })
    };
    assert!(not_in_dump("networkpolicies.networking.k8s.io"), "{out}");
    assert!(not_in_dump("nodes"), "{out}");
    assert!(!out.contains("networkpolicy-denies"), "{out}");

    let (_, human, _) = diagnose(&["svc/frontend", "-n", "store", "--snapshot", s]);
    let not_checked = human
        .split("Not checked")
        .nth(1)
        .expect("a Not checked section");
    assert!(
        not_checked.contains("networkpolicies.networking.k8s.io could not be read: the file holds only kinds `kubectl get all` prints"),
        "{human}"
    );
    assert!(not_checked.contains("kreach snapshot -A -o"), "{human}");
    let (_, zh, _) = diagnose(&[
        "svc/frontend",
        "-n",
        "store",
        "--snapshot",
        s,
        "--lang",
        "zh",
    ]);
    assert!(zh.contains("`kubectl get all` 输出的类型"), "{zh}");
}

/// `port: "80"` used to drop the Service with a warning and go on to a
/// false target-not-found: an object that does not decode is exit 2 with
/// file, line and field path, in both languages; `namespace: no` is the
/// namespace "no".
#[test]
fn an_undecodable_object_is_exit_2_never_a_false_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("svc.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: no\nspec:\n  ports:\n  - port: \"80\"\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = diagnose(&["svc/web", "-n", "no", "--snapshot", p, "-o", "json"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("svc.yaml:8: Service no/web: spec.ports[0].port: "),
        "{err}"
    );
    let (code, _, err) = diagnose(&["svc/web", "-n", "no", "--snapshot", p, "--lang", "zh"]);
    assert_eq!(code, 2);
    assert!(err.contains("spec.ports[0].port：无法解码"), "{err}");

    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: no\nspec:\n  ports:\n  - port: 80\n",
    )
    .unwrap();
    let (_, out, err) = diagnose(&["svc/web", "-n", "no", "--snapshot", p, "-o", "json"]);
    assert!(!out.contains("target-not-found"), "{out} {err}");
}

#[test]
fn checks_and_explain_come_from_the_registry() {
    let out = kreach().arg("checks").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for name in [
        "target-not-found",
        "service-selector-matches-no-pod",
        "pod-pending",
        "networkpolicy-denies",
        "ingress-tls-host-mismatch",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} missing from `kreach checks`"
        );
    }
    kreach()
        .args(["explain", "pod-not-ready"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("## Why it breaks reachability")
                .and(predicate::str::contains("## How to fix")),
        );
    kreach()
        .args(["explain", "pod-not-redy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean pod-not-ready"));
}

/// `kreach checks -o markdown` prints the committed catalog document
/// (kreach-report's catalog test keeps that file current).
#[test]
fn checks_markdown_is_the_committed_catalog() {
    let out = kreach()
        .args(["checks", "-o", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/checks.md"))
            .unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "`kreach checks -o markdown` differs from docs/checks.md"
    );
}

#[test]
fn policy_answers_for_pods_and_addresses() {
    let snap = example();
    let s = snap.to_str().unwrap();
    let text = std::fs::read_to_string(&snap).unwrap();
    let pod = |prefix: &str| {
        text.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("name: ")
                    .filter(|n| n.starts_with(prefix) && n.matches('-').count() == 2)
            })
            .unwrap()
            .to_string()
    };
    let traefik = pod("traefik-6f9c8d7b5-");
    let frontend = pod("frontend-5c8d9f7b64-");
    let catalog = pod("catalog-79cf6d8b5-");
    let out = kreach()
        .args([
            "policy",
            &format!("traefik/{traefik}"),
            &format!("store/{frontend}"),
            "--port",
            "3000",
            "--snapshot",
            s,
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "denied");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "kreach/v1");
    assert_eq!(v["allowed"], false);
    assert_eq!(
        v["ingress"]["decided_by"][0],
        "NetworkPolicy/store/frontend-same-namespace"
    );
    assert_eq!(v["egress"]["allowed"], true);
    let out = kreach()
        .args([
            "policy",
            &format!("pod/store/{catalog}"),
            &format!("store/{frontend}"),
            "--port",
            "3000",
            "--snapshot",
            s,
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "same namespace is admitted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    kreach()
        .args(["policy", "nonsense", "store/x", "--snapshot", s])
        .assert()
        .code(2);
}

#[test]
fn graph_outputs_and_the_chinese_report() {
    let snap = example();
    let s = snap.to_str().unwrap();
    let (code, dot, _) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        s,
        "--now",
        NOW,
        "-o",
        "dot",
    ]);
    assert_eq!(code, 1);
    assert!(
        dot.starts_with("digraph kreach {") && dot.trim_end().ends_with('}'),
        "{dot}"
    );
    assert!(
        dot.contains("fillcolor=\"#f8d7da\"") && dot.contains("networkpolicy-denies"),
        "broken hops and the root cause: {dot}"
    );
    let (_, mm, _) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        s,
        "--now",
        NOW,
        "-o",
        "mermaid",
    ]);
    assert!(
        mm.starts_with("flowchart LR") && mm.contains(":::broken") && mm.contains(":::cause"),
        "{mm}"
    );
    let (code, zh, _) = diagnose(&[
        "http://store.example.org/",
        "--snapshot",
        s,
        "--now",
        NOW,
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 1);
    assert!(
        zh.contains("不可达") && zh.contains("根因") && zh.contains("修复："),
        "{zh}"
    );
}

/// Colour on a terminal only, and never with NO_COLOR: run the binary under
/// a pseudo-terminal (`script` from util-linux).
#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let bin = assert_cmd::cargo::cargo_bin("kreach");
    let snap = example();
    let cmd = format!(
        "{} diagnose svc/frontend -n store --snapshot {}",
        bin.display(),
        snap.display()
    );
    let run = |no_color: bool| {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"])
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c
            .output()
            .expect("`script` (util-linux) runs the binary under a terminal");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let tty = run(false);
    assert!(
        tty.contains("\u{1b}[") && tty.contains("BROKEN"),
        "colour on a terminal: {tty:?}"
    );
    let plain = run(true);
    assert!(
        !plain.contains("\u{1b}[") && plain.contains("BROKEN"),
        "NO_COLOR: {plain:?}"
    );
}

/// `--lang` defaults from the locale (`LC_ALL`, then `LC_MESSAGES`, then
/// `LANG`), and covers the report, `checks`, `explain` and the command
/// line's own errors; `--lang` wins over the locale.
#[test]
fn the_language_follows_the_locale_unless_lang_is_given() {
    let snap = example();
    let s = snap.to_str().unwrap();
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = kreach();
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.args(args).output().expect("runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let report = [
        "diagnose",
        "svc/frontend",
        "-n",
        "store",
        "--snapshot",
        s,
        "--now",
        NOW,
    ];
    let (zh, _) = run(&[("LANG", "zh_CN.UTF-8")], &report);
    assert!(zh.contains("路径 1 经由") && !zh.contains("Path 1"), "{zh}");
    let (en, _) = run(
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
        &report,
    );
    assert!(en.contains("Path 1 via"), "{en}");
    let mut forced = report.to_vec();
    forced.extend(["--lang", "en"]);
    let (en, _) = run(&[("LANG", "zh_CN.UTF-8")], &forced);
    assert!(en.contains("Path 1 via"), "{en}");
    let (md, _) = run(
        &[("LC_MESSAGES", "zh_CN")],
        &[&report[..], &["-o", "markdown"]].concat(),
    );
    assert!(md.contains("未检查") && !md.contains("Not checked"), "{md}");

    let (checks, _) = run(&[], &["checks", "--lang", "zh"]);
    assert!(
        checks.contains("阻断:") && !checks.contains("blocks:"),
        "{checks}"
    );
    let (explain, _) = run(&[], &["explain", "pod-pending", "--lang", "zh"]);
    assert!(
        explain.contains("## 检查什么") && !explain.contains("## What it checks"),
        "{explain}"
    );

    let (_, err) = run(
        &[("LANG", "zh_CN.UTF-8")],
        &["diagnose", "svc/", "--snapshot", s],
    );
    assert!(err.starts_with("kreach: 目标无效"), "{err}");
    let (_, err) = run(&[], &["diagnose", "svc/", "--snapshot", s]);
    assert!(err.starts_with("kreach: bad target"), "{err}");
    // The details too: the target's fault, a snapshot that does not load,
    // a policy question that cannot be read.
    assert!(err.contains("invalid object name"), "{err}");
    let (_, err) = run(&[], &["diagnose", "svc/", "--snapshot", s, "--lang", "zh"]);
    assert!(err.contains("对象名") && !err.contains("invalid"), "{err}");
    let (_, err) = run(
        &[],
        &[
            "diagnose",
            "svc/web",
            "--snapshot",
            "/nonexistent/x.yaml",
            "--lang",
            "zh",
        ],
    );
    assert!(
        err.starts_with("kreach: 无法读取 /nonexistent/x.yaml") && !err.contains("cannot"),
        "{err}"
    );
    let (_, err) = run(
        &[],
        &[
            "policy",
            "nowhere",
            "10.0.0.1",
            "--snapshot",
            s,
            "--lang",
            "zh",
        ],
    );
    assert!(err.contains("无法识别 \"nowhere\""), "{err}");
}
