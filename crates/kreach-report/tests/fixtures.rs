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
        if let Some(fs) = obj.get_mut("findings").and_then(|f| f.as_array_mut()) {
            for f in fs {
                f.as_object_mut().unwrap().remove("details");
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
