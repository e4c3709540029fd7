//! Issue 11 item 1 over the public acceptance scenarios: for every
//! scenario's target, each kind is forbidden in turn (as a 403 would), and
//! no finding may depend on the forbidden kind: no check that reads it
//! fires, no cause appears that the whole state does not give, no `ok`
//! the whole state does not give, and a finding that goes away leaves an
//! unknown that says what could not be seen (`testing::forbidding_violations`).
//! Every verdict, forbidden or not, explains itself (`testing::unexplained`).
//!
//! The scenarios live outside the repository (`../shared/scenarios`), so
//! this test is ignored by the README's test command; `.ci/run` runs it
//! with `KREACH_SCENARIOS` set, and it fails when that is unset or names a
//! directory without scenarios (never a silent pass).

use std::path::PathBuf;

use kreach_core::testing::{Fixture, forbidding_violations, unexplained};
use kreach_core::{Kind, diagnose};

/// What `case.yaml` asks: its target, namespace and arguments.
struct Case {
    target: String,
    namespace: Option<String>,
    args: Vec<String>,
}

fn case(text: &str, name: &str) -> Case {
    let v: serde_json::Value =
        serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Case {
        target: s("target").unwrap_or_else(|| panic!("{name}/case.yaml has no target")),
        namespace: s("namespace"),
        args: v
            .get("args")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
            .map(|a| match a {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
    }
}

#[test]
#[ignore = "needs KREACH_SCENARIOS (the shared acceptance scenarios); .ci/run sets it"]
fn forbidding_any_kind_in_a_scenario_never_invents_a_cause() {
    let dir = std::env::var_os("KREACH_SCENARIOS")
        .map(PathBuf::from)
        .expect("KREACH_SCENARIOS is not set: point it at the acceptance scenarios");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "{}: only {} scenarios",
        dir.display(),
        cases.len()
    );
    let mut bad = Vec::new();
    let mut runs = 0;
    for case_dir in &cases {
        let name = case_dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(case_dir.join("case.yaml")).unwrap();
        let case = case(&text, &name);
        let snapshot = kreach_collect::load_snapshot(&case_dir.join("cluster.yaml"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let fx = Fixture {
            target: case.target.clone(),
            namespace: case.namespace.clone(),
            args: case.args.clone(),
            snapshot,
            ..Fixture::default()
        };
        let (target, opts) = fx.query();
        let whole = diagnose(&fx.snapshot, &fx.target, &target, &opts);
        for m in unexplained(&whole) {
            bad.push(format!("{name} as is: {m}"));
        }
        for kind in Kind::ALL {
            runs += 1;
            for m in forbidding_violations(&fx.snapshot, kind, &fx.target, &target, &opts) {
                bad.push(format!("{name} without {kind:?}: {m}"));
            }
            let mut refused = fx.snapshot.clone();
            refused.forbid(kind, kreach_core::snapshot::NotRead::NotServed);
            let d = diagnose(&refused, &fx.target, &target, &opts);
            for m in unexplained(&d) {
                bad.push(format!("{name} without {kind:?}: {m}"));
            }
        }
    }
    eprintln!("{} scenarios, {runs} forbidden runs", cases.len());
    assert!(
        bad.is_empty(),
        "{} violations:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
