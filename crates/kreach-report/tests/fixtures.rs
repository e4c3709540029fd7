//! What users read, pinned per check fixture: the human report and the
//! findings of the JSON report of every `fires*` and `silent*` fixture
//! (insta snapshots under `tests/snapshots/`). A silent fixture's snapshot
//! pins its resolved paths and every finding, not only the absence of its
//! check.

use kreach_core::testing::{all_fixtures, load_fixture};

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn snapshot_name(check: &str, path: &std::path::Path) -> String {
    let file = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
    format!("{check}__{file}")
}

/// The Markdown report, DOT and Mermaid graphs, in both languages, of one
/// fires fixture per layer (and a healthy path): what users paste into
/// tickets and chats.
#[test]
fn markdown_and_graphs_of_one_fixture_per_layer() {
    use kreach_report::lang::Lang;
    let checks = kreach_core::testing::fixtures_dir().join("checks");
    for (check, file) in [
        ("ingress-no-matching-rule", "fires"),
        ("loadbalancer-pending", "fires"),
        ("service-selector-matches-no-pod", "fires"),
        ("networkpolicy-denies", "fires"),
        ("pod-crash-looping", "fires"),
        ("target-not-found", "fires"),
        ("service-external-name", "silent"),
    ] {
        let path = checks.join(check).join(format!("{file}.yaml"));
        let d = load_fixture(&path).run();
        let name = snapshot_name(check, &path);
        for (lang, suffix) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
            let render = |f: fn(
                &kreach_core::Diagnosis,
                Lang,
                &mut dyn std::io::Write,
            ) -> std::io::Result<()>| {
                let mut out = Vec::new();
                f(&d, lang, &mut out).unwrap();
                String::from_utf8(out).unwrap()
            };
            let md = render(kreach_report::markdown::write_in);
            let dot = render(kreach_report::graph::write_dot_in);
            let mermaid = render(kreach_report::graph::write_mermaid_in);
            insta::with_settings!({ snapshot_suffix => suffix, prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{name}__markdown"), md);
                insta::assert_snapshot!(format!("{name}__dot"), dot);
                insta::assert_snapshot!(format!("{name}__mermaid"), mermaid);
            });
        }
    }
}

#[test]
fn every_fixture_report_in_english() {
    for (check, path) in all_fixtures() {
        let fx = load_fixture(&path);
        let d = fx.run();
        let mut human = Vec::new();
        kreach_report::human::write(&d, &mut human).unwrap();
        let human = strip_ansi(&String::from_utf8(human).unwrap());
        let mut json = kreach_report::json::to_value(&d);
        let obj = json.as_object_mut().unwrap();
        obj.remove("target");
        // `details` (the typed facts) are pinned by the human snapshots
        // of both languages; the JSON snapshots keep the schema's text.
        for list in ["findings", "unknowns"] {
            if let Some(fs) = obj.get_mut(list).and_then(|f| f.as_array_mut()) {
                for f in fs {
                    f.as_object_mut().unwrap().remove("details");
                }
            }
        }
        let name = snapshot_name(&check, &path);
        insta::with_settings!({ snapshot_suffix => "en", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{name}__human"), human);
            insta::assert_json_snapshot!(format!("{name}__json"), json);
        });
    }
}

#[test]
fn every_fixture_report_in_chinese() {
    for (check, path) in all_fixtures() {
        let d = load_fixture(&path).run();
        let mut human = Vec::new();
        kreach_report::human::write_in(&d, kreach_report::lang::Lang::Zh, &mut human).unwrap();
        let human = strip_ansi(&String::from_utf8(human).unwrap());
        let name = snapshot_name(&check, &path);
        insta::with_settings!({ snapshot_suffix => "zh", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{name}__human"), human);
        });
    }
}

/// The `# evidence:` lines of a fixture are substrings of what the English
/// report says about the expected check (its message, evidence or fix).
#[test]
fn fires_fixtures_show_their_evidence() {
    use kreach_report::lang::{self, Lang};
    let mut missing = Vec::new();
    for (check, path) in all_fixtures() {
        let fx = load_fixture(&path);
        if fx.evidence.is_empty() {
            continue;
        }
        let d = fx.run();
        let text: Vec<String> = d
            .findings
            .iter()
            .filter(|f| f.check == check)
            .flat_map(|f| {
                std::iter::once(lang::problem(Lang::En, &f.problem))
                    .chain(f.evidence.iter().map(|e| lang::evidence(Lang::En, e)))
                    .chain(f.fix.iter().map(|x| lang::fix(Lang::En, x)))
            })
            .collect();
        for want in &fx.evidence {
            if !text.iter().any(|t| t.contains(want.as_str())) {
                missing.push(format!("{}: {want:?}", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "evidence not shown:\n{}",
        missing.join("\n")
    );
}

/// Every finding of every fixture follows the message conventions in both
/// languages: a message starts lowercase (English) and no message or
/// evidence line ends with a period; a command fix is a command.
#[test]
fn messages_follow_the_conventions() {
    use kreach_core::message::Fix;
    use kreach_report::lang::{self, Lang};
    const PROGRAMS: &[&str] = &[
        "kubectl", "kreach", "dig", "curl", "nslookup", "openssl", "helm", "aws", "gcloud", "az",
    ];
    let mut bad = Vec::new();
    for (check, path) in all_fixtures() {
        let d = load_fixture(&path).run();
        for f in &d.findings {
            let at = format!("{} ({})", path.display(), f.check);
            // Text quoted from the cluster (event and condition messages)
            // may end as its author ended it.
            let mut quotes = Vec::new();
            let facts = serde_json::json!([f.problem, f.evidence]);
            strings(&facts, &mut quotes);
            quotes.retain(|q| q.ends_with('.'));
            for lang in [Lang::En, Lang::Zh] {
                let msg = lang::problem(lang, &f.problem);
                if msg.is_empty() {
                    bad.push(format!("{at}: empty {lang:?} message"));
                }
                if lang == Lang::En && msg.starts_with(|c: char| c.is_ascii_uppercase()) {
                    // Kubernetes kinds and field names may lead.
                    let first = msg.split([' ', '/', ':']).next().unwrap_or("");
                    if !KINDS.contains(&first) {
                        bad.push(format!("{at}: starts uppercase: {msg:?}"));
                    }
                }
                let lines =
                    std::iter::once(msg).chain(f.evidence.iter().map(|e| lang::evidence(lang, e)));
                for l in lines {
                    let quoted = quotes.iter().any(|q| l.ends_with(q.as_str()));
                    if !quoted && (l.ends_with('.') && !l.ends_with("...") || l.ends_with('。')) {
                        bad.push(format!("{at}: ends with a period: {l:?}"));
                    }
                }
            }
            for x in &f.fix {
                if let Fix::Command(c) | Fix::CommandWithNote { command: c, .. } = x {
                    let prog = c.split_whitespace().next().unwrap_or("");
                    if !PROGRAMS.contains(&prog) {
                        bad.push(format!("{at}: fix is not a command: {c:?}"));
                    }
                }
            }
        }
        let _ = check;
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Kubernetes kinds and well-known terms that stay in Latin letters in a
/// Chinese report.
const KINDS: &[&str] = &[
    "Service",
    "Services",
    "Pod",
    "Pods",
    "Ingress",
    "Ingresses",
    "IngressClass",
    "NodePort",
    "LoadBalancer",
    "ClusterIP",
    "ExternalName",
    "ExternalIP",
    "Deployment",
    "DaemonSet",
    "StatefulSet",
    "ReplicaSet",
    "Endpoints",
    "EndpointSlice",
    "EndpointSlices",
    "NetworkPolicy",
    "NetworkPolicies",
    "Node",
    "Nodes",
    "Secret",
    "Secrets",
    "ConfigMap",
    "Namespace",
    "Event",
    "Events",
    "TLS",
    "DNS",
    "IP",
    "IPs",
    "CIDR",
    "TCP",
    "UDP",
    "SCTP",
    "HTTP",
    "HTTPS",
    "SNAT",
    "CNI",
    "VPN",
    "API",
    "RBAC",
    "IPv4",
    "IPv6",
    "SAN",
    "SANs",
    "ClusterIPs",
    // Clouds and products, named as their vendors write them.
    "AWS",
    "Azure",
    "Alibaba",
    "GKE",
    "GCP",
];

/// A Chinese report holds no English words outside object names, commands,
/// check names, Kubernetes kinds and values quoted from the cluster.
#[test]
fn chinese_reports_have_no_english_words() {
    use kreach_report::lang::Lang;
    let mut bad = Vec::new();
    for (check, path) in all_fixtures() {
        let d = load_fixture(&path).run();
        let mut human = Vec::new();
        kreach_report::human::write_in(&d, Lang::Zh, &mut human).unwrap();
        let human = strip_ansi(&String::from_utf8(human).unwrap());
        for word in english_words(&human, &d) {
            bad.push(format!("{check} {}: {word:?}", path.display()));
        }
        let mut md = Vec::new();
        kreach_report::markdown::write_in(&d, Lang::Zh, &mut md).unwrap();
        for word in english_words(&String::from_utf8(md).unwrap(), &d) {
            bad.push(format!("{check} {} (Markdown): {word:?}", path.display()));
        }
    }
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} English words:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// The Latin-letter words of a Chinese report that are prose: what is left
/// after removing commands (fix lines), backtick spans, object references
/// and names, event messages (the cluster's own words), check names,
/// kinds, and tokens with digits, `=`, `/`, `.`, `:` or `-` (addresses,
/// labels, paths, hosts, names).
/// Names of programs and projects, which Chinese text writes as they are.
const PROPER_NOUNS: &[&str] = &[
    "kreach",
    "kubectl",
    "kubelet",
    "iptables",
    "nftables",
    "Istio",
    "Kong",
    "Traefik",
    "Cilium",
    "Calico",
    "Flannel",
    "Certificate",
];

/// `kreach explain --lang zh` of every check: no English prose either.
#[test]
fn chinese_explanations_have_no_english_words() {
    use kreach_report::lang::Lang;
    let names: Vec<String> = kreach_core::checks::CHECKS
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    let mut bad = Vec::new();
    for c in kreach_core::checks::CHECKS {
        let mut out = Vec::new();
        kreach_report::catalog::write_explain(c, Lang::Zh, &mut out).unwrap();
        for word in scan(&String::from_utf8(out).unwrap(), &names) {
            bad.push(format!("{}: {word:?}", c.name));
        }
    }
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} English words:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn english_words(report: &str, d: &kreach_core::Diagnosis) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for f in &d.findings {
        names.push(f.check.to_string());
        for o in std::iter::once(&f.object).chain(&f.related) {
            names.push(o.name.clone());
            names.push(o.kind.to_string());
            if let Some(ns) = &o.namespace {
                names.push(ns.clone());
            }
        }
    }
    // The values a path shows: hosts, paths, path types, port names.
    for p in &d.resolution.paths {
        for h in p.hops() {
            use kreach_core::path::HopDetail as H;
            match h.detail {
                H::Rule {
                    host,
                    path,
                    path_type,
                } => names.extend([host, path, path_type].into_iter().flatten()),
                H::ServicePort { target, .. } => names.push(target),
                _ => {}
            }
        }
    }
    scan(report, &names)
}

/// The prose words of `report`, `names` (and the rules above) aside.
fn scan(report: &str, names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in report.lines() {
        let t = line.trim_start();
        // Code blocks hold commands and YAML.
        if t.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            continue;
        }
        // Commands and the cluster's own text.
        if t.starts_with("修复：") || t.starts_with("kreach ") || t.contains("事件 ") {
            continue;
        }
        let mut s = String::new();
        let mut in_tick = false;
        for c in t.chars() {
            if c == '`' {
                in_tick = !in_tick;
                continue;
            }
            if !in_tick {
                s.push(c);
            }
        }
        for tok in s.split(|c: char| !(c.is_ascii_alphanumeric() || "=/.:-_\"'*<>[]".contains(c))) {
            if tok.is_empty()
                || !tok.chars().any(|c| c.is_ascii_alphabetic())
                || tok
                    .chars()
                    .any(|c| c.is_ascii_digit() || "=/.:-_\"'*<>[]".contains(c))
                || KINDS.contains(&tok)
                || PROPER_NOUNS.contains(&tok)
                || names.iter().any(|n| n == tok)
                || tok.len() == 1
            {
                continue;
            }
            // CamelCase Kubernetes reasons and field names (CrashLoopBackOff,
            // targetPort, externalTrafficPolicy) are values, not prose.
            let camel = tok.chars().skip(1).any(|c| c.is_ascii_uppercase());
            if camel {
                continue;
            }
            out.push(tok.to_string());
        }
    }
    out
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}
