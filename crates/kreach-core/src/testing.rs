//! Test support: fixtures in `kubectl get -o yaml` style, and the harness
//! that runs a check's "fires" and "stays silent" fixtures.
//!
//! A fixture is a multi-document YAML file (or `kind: List`) whose leading
//! comment lines say what to run and what to expect:
//!
//! ```text
//! # base: store                      load fixtures/base/store.yaml first; objects here replace
//! #                                  same-kind/namespace/name ones there
//! # delete: Service/store/frontend   drop an object of the base (repeatable)
//! # target: svc/frontend
//! # namespace: store
//! # args: --from 198.51.100.9 --via nodeport --now 2026-11-20T12:00:00Z
//! # expect: <object glob> [blocks=true|false]   (fires.yaml: the finding to expect)
//! # evidence: <substring>            a substring of its English message, evidence or fix
//!                                    (repeatable; checked by kreach-report's fixture test)
//! ```

use std::path::{Path, PathBuf};

use crate::diagnose::{Diagnosis, diagnose};
use crate::path::Via;
use crate::resolve::Options;
use crate::snapshot::Snapshot;
use crate::target::Target;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn key(v: &serde_json::Value) -> (String, String, String) {
    let s = |p: &str| {
        v.pointer(p)
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string()
    };
    (s("/kind"), s("/metadata/namespace"), s("/metadata/name"))
}

fn documents(text: &str, origin: &str) -> Vec<serde_json::Value> {
    let docs: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(text).unwrap_or_else(|e| panic!("{origin}: {e}"));
    let mut out = Vec::new();
    for d in docs {
        if d.is_null() {
            continue;
        }
        if d.get("kind")
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.ends_with("List"))
            && let Some(items) = d.get("items").and_then(|i| i.as_array())
        {
            out.extend(items.iter().cloned());
        } else {
            out.push(d);
        }
    }
    out
}

#[derive(Debug, Default)]
pub struct Fixture {
    pub target: String,
    pub namespace: Option<String>,
    pub args: Vec<String>,
    pub expect: Option<String>,
    pub evidence: Vec<String>,
    pub snapshot: Snapshot,
    /// The merged objects: the base's, replaced or added to by the
    /// fixture's own, minus the deletes, in load order.
    pub documents: Vec<serde_json::Value>,
}

pub fn load_fixture(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut fx = Fixture::default();
    let mut base = None;
    let mut deletes = Vec::new();
    for line in text
        .lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
    {
        let Some((k, v)) = line.trim_start_matches('#').trim().split_once(':') else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim() {
            "base" => base = Some(v),
            "delete" => deletes.push(v),
            "target" => fx.target = v,
            "namespace" => fx.namespace = Some(v),
            "args" => fx.args = v.split_whitespace().map(str::to_string).collect(),
            "expect" => fx.expect = Some(v),
            "evidence" => fx.evidence.push(v),
            _ => {}
        }
    }
    let mut objects = Vec::new();
    if let Some(b) = base {
        let bp = fixtures_dir().join("base").join(format!("{b}.yaml"));
        objects = documents(
            &std::fs::read_to_string(&bp).unwrap_or_else(|e| panic!("{}: {e}", bp.display())),
            &bp.display().to_string(),
        );
    }
    for d in documents(&text, &path.display().to_string()) {
        let k = key(&d);
        objects.retain(|o| key(o) != k);
        objects.push(d);
    }
    objects.retain(|o| {
        let (k, ns, n) = key(o);
        let r = if ns.is_empty() {
            format!("{k}/{n}")
        } else {
            format!("{k}/{ns}/{n}")
        };
        !deletes.contains(&r)
    });
    fx.documents.clone_from(&objects);
    for o in objects {
        fx.snapshot.add_value(o, &path.display().to_string());
    }
    fx.snapshot.finish();
    fx
}

impl Fixture {
    pub fn run(&self) -> Diagnosis {
        let (target, opts) = self.query();
        diagnose(&self.snapshot, &self.target, &target, &opts)
    }

    /// The target and options its header asks for.
    pub fn query(&self) -> (Target, Options) {
        let mut opts = Options {
            namespace: self.namespace.clone().unwrap_or_else(|| "default".into()),
            ..Options::default()
        };
        opts.now = "2026-11-20T12:00:00Z".parse().expect("valid");
        let mut it = self.args.iter();
        while let Some(a) = it.next() {
            let mut val = || it.next().cloned().unwrap_or_default();
            match a.as_str() {
                "--from" => opts.from = Some(val().parse().expect("--from address")),
                "--via" => opts.via = Via::parse(&val()),
                "--now" => opts.now = val().parse().expect("--now timestamp"),
                "-n" => opts.namespace = val(),
                other => panic!("fixture arg {other} not understood"),
            }
        }
        let target = Target::parse(&self.target).expect("fixture target parses");
        (target, opts)
    }

    /// The same objects without those of `kind`, as a source that simply
    /// holds none (not one that could not read them).
    pub fn without(&self, kind: crate::Kind) -> Snapshot {
        let mut snap = Snapshot::default();
        for d in &self.documents {
            if d.as_object().and_then(crate::ingest::kind_of) != Some(kind) {
                snap.add_value(d.clone(), "fixture");
            }
        }
        snap.finish();
        snap
    }

    /// Every fixture of a check: `fires.yaml`, `silent.yaml` and their
    /// `fires-*` / `silent-*` variants.
    pub fn paths_of(check: &str) -> Vec<PathBuf> {
        let dir = fixture_paths(check).0.parent().expect("dir").to_path_buf();
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
        v.sort();
        v
    }
}

/// A fixture as input for the `kreach` binary rather than the harness: its
/// merged documents (see [`Fixture::documents`]) and what to run on them.
#[derive(Debug)]
pub struct FixtureInput {
    pub documents: Vec<serde_json::Value>,
    pub target: String,
    pub namespace: Option<String>,
    pub args: Vec<String>,
}

/// [`load_fixture`]'s reading of `path`, as [`FixtureInput`].
pub fn fixture_input(path: &Path) -> FixtureInput {
    let fx = load_fixture(path);
    FixtureInput {
        documents: fx.documents,
        target: fx.target,
        namespace: fx.namespace,
        args: fx.args,
    }
}

/// Glob match with `*` only.
pub fn glob(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let mut rest = s;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            let Some(pos) = rest.find(p) else {
                return false;
            };
            rest = &rest[pos + p.len()..];
        }
    }
    true
}

pub fn fixture_paths(check: &str) -> (PathBuf, PathBuf) {
    let d = fixtures_dir().join("checks").join(check);
    (d.join("fires.yaml"), d.join("silent.yaml"))
}

/// Runs the fires / stays-silent fixtures of a check: `fires.yaml` and
/// every further `fires-*.yaml` must report it, `silent.yaml` and every
/// `silent-*.yaml` must not.
pub fn verify_check(check: &str) {
    let (fires, silent) = fixture_paths(check);
    let dir = fires.parent().expect("fixture dir").to_path_buf();
    let mut extra: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    extra.sort();
    verify_fires(check, &fires);
    verify_silent(check, &silent);
    for p in extra {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("fires-") {
            verify_fires(check, &p);
        } else if name.starts_with("silent-") {
            verify_silent(check, &p);
        }
    }
}

fn verify_fires(check: &str, fires: &Path) {
    let fx = load_fixture(fires);
    let d = fx.run();
    let expect = fx
        .expect
        .clone()
        .unwrap_or_else(|| panic!("{}: no '# expect:' line", fires.display()));
    let mut words = expect.split_whitespace();
    let glob_pat = words.next().unwrap_or("*");
    let blocks = words
        .find_map(|w| w.strip_prefix("blocks="))
        .map(|b| b == "true");
    let found: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.check == check && glob(glob_pat, &f.object.to_string()))
        .collect();
    let all: Vec<String> = d
        .findings
        .iter()
        .map(|f| format!("{} {} blocks={}", f.check, f.object, f.blocks))
        .collect();
    assert!(
        !found.is_empty(),
        "{}: {check} on {glob_pat} not reported; got {all:#?}",
        fires.display()
    );
    if let Some(b) = blocks {
        assert!(
            found.iter().any(|f| f.blocks == b),
            "{}: {check} blocks != {b}; got {all:#?}",
            fires.display()
        );
    }
    // `# evidence:` lines are about the words users read: the report
    // crate's fixture test checks them against the English rendering.
}

fn verify_silent(check: &str, silent: &Path) {
    let fx = load_fixture(silent);
    let d = fx.run();
    let all: Vec<String> = d
        .findings
        .iter()
        .map(|f| format!("{} {}: {:?}", f.check, f.object, f.problem))
        .collect();
    assert!(
        !d.findings.iter().any(|f| f.check == check),
        "{}: {check} fired but must stay silent: {all:#?}",
        silent.display()
    );
}

/// `crate::check_fixtures!(super::CHECK);` in a check's test module.
#[macro_export]
macro_rules! check_fixtures {
    ($check:path) => {
        #[test]
        fn fires_and_stays_silent() {
            $crate::testing::verify_check($check.name);
        }
    };
}

/// Every check fixture: `(check name, path)` for each `fires*.yaml` and
/// `silent*.yaml` under `fixtures/checks/<check>/`, sorted.
pub fn all_fixtures() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for c in crate::checks::CHECKS {
        let dir = fixtures_dir().join("checks").join(c.name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (n.starts_with("fires") || n.starts_with("silent")) && n.ends_with(".yaml")
        });
        files.sort();
        out.extend(files.into_iter().map(|p| (c.name.to_string(), p)));
    }
    out
}

/// What forbidding `kind` (a 403 on it) does to a diagnosis of `snap`, as
/// violations of "never confidently wrong": a finding the whole state does
/// not have (an invented cause), a finding of a check that reads the
/// forbidden kind, a blocking finding that rests on it, an `ok` the whole
/// state does not give, or a lost finding without an unknown saying what
/// could not be seen. Empty when the diagnosis stays honest.
pub fn forbidding_violations(
    snap: &Snapshot,
    kind: crate::Kind,
    input: &str,
    target: &Target,
    opts: &Options,
) -> Vec<String> {
    use crate::check::Unread;
    use crate::diagnose::Verdict;
    let whole = diagnose(snap, input, target, opts);
    let mut refused = snap.clone();
    refused.forbid(
        kind,
        crate::snapshot::NotRead::Forbidden {
            can_i: format!("kubectl auth can-i list {}", kind.resource()),
            message: String::new(),
        },
    );
    let part = diagnose(&refused, input, target, opts);
    let mut v = Vec::new();
    // A cause is a check blaming an object (or the same fact about another
    // one: a client address instead of the Service it would reach); a
    // poorer account of the same blame (fewer facts) is not an invention.
    let in_whole = |f: &crate::Finding| {
        whole
            .findings
            .iter()
            .any(|g| g.check == f.check && (g.object == f.object || g.problem == f.problem))
    };
    for f in &part.findings {
        let Some(c) = crate::checks::find(f.check) else {
            continue;
        };
        if c.unread == Unread::Skip && !c.unread_kinds(&refused).is_empty() {
            v.push(format!(
                "{} {} fired though it reads {kind:?}",
                f.check, f.object
            ));
        } else if !in_whole(f) && (f.blocks || !c.decides.is_empty()) {
            v.push(format!(
                "{} {} is invented: the whole state does not report it",
                f.check, f.object
            ));
        }
    }
    let says_unknown = part.unknowns.iter().any(|u| !u.by_choice);
    if part.verdict == Verdict::Ok && whole.verdict != Verdict::Ok {
        v.push(format!("ok, though the whole state is {:?}", whole.verdict));
    }
    let lost_blocking = whole.findings.iter().any(|f| {
        f.blocks
            && !part
                .findings
                .iter()
                .any(|g| g.check == f.check && g.object == f.object)
    });
    if lost_blocking && !says_unknown {
        v.push("a blocking finding was lost without an unknown saying why".into());
    }
    if part.verdict == Verdict::Broken
        && whole.verdict != Verdict::Broken
        && part.findings.iter().filter(|f| f.blocks).all(in_whole)
        && part.resolution.paths.len() < whole.resolution.paths.len()
        && !says_unknown
    {
        v.push("broken on fewer paths without saying which ways in were not seen".into());
    }
    v.into_iter()
        .map(|m| format!("{kind:?} forbidden: {m}"))
        .collect()
}

/// Why a diagnosis does not explain its own verdict: a broken or
/// inconclusive verdict with no finding or unknown that says why, a
/// blocking finding whose path shows no broken hop, a broken path whose
/// hops all show ✔. Empty when it explains itself.
pub fn unexplained(d: &Diagnosis) -> Vec<String> {
    use crate::diagnose::{HopStatus, Verdict};
    let mut v = Vec::new();
    let blocking: Vec<&crate::Finding> = d.findings.iter().filter(|f| f.blocks).collect();
    let unknown = d.unknowns.iter().any(|u| !u.by_choice);
    match d.verdict {
        Verdict::Broken | Verdict::Degraded if blocking.is_empty() => {
            v.push(format!("{:?} without a blocking finding", d.verdict));
        }
        Verdict::Inconclusive if !unknown && d.findings.is_empty() => {
            v.push("inconclusive without an unknown or a finding".into());
        }
        _ => {}
    }
    for f in &blocking {
        for &pi in &f.paths {
            if let Some(st) = d.hop_status.get(pi)
                && !st.contains(&HopStatus::Broken)
            {
                v.push(format!(
                    "{} {} blocks path {pi}, whose hops all pass",
                    f.check, f.object
                ));
            }
        }
    }
    v
}
