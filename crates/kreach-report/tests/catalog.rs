//! `docs/checks.md` is the catalog the registry generates
//! (`kreach checks -o markdown`), so the committed document cannot drift
//! from what kreach runs. `KREACH_BLESS=1` rewrites it.

use std::path::Path;

use kreach_core::checks::CHECKS;

#[test]
fn docs_checks_md_is_the_catalog_the_registry_generates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/checks.md");
    let generated = kreach_report::catalog::markdown(CHECKS);
    if std::env::var_os("KREACH_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(generated.lines().count()));
        panic!(
            "docs/checks.md is not the catalog the registry generates (first difference at line {}).\n\
             Regenerate it with:\n    \
             KREACH_BLESS=1 cargo test -p kreach-report --test catalog\n\
             (or: cargo run --bin kreach -- checks -o markdown > docs/checks.md)",
            first + 1
        );
    }
}

/// Every registered check has its row and its section in the document,
/// nothing else does, and each section holds the check's explanation with
/// its headings one level below the section's.
#[test]
fn the_catalog_lists_every_registered_check_once() {
    let doc = kreach_report::catalog::markdown(CHECKS);
    let rows: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| [`"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let sections: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
    assert_eq!(rows, names);
    assert_eq!(sections, names);
    for (c, section) in CHECKS.iter().zip(doc.split("\n## ").skip(1)) {
        assert!(section.starts_with(&format!("{}\n", c.name)), "{section}");
        let summary = c.summary.replace('<', "&lt;").replace('>', "&gt;");
        assert!(section.contains(&summary), "{}: summary", c.name);
        for h in [
            "What it checks",
            "Why it breaks reachability",
            "How to fix",
            "Example",
        ] {
            assert!(
                section.contains(&format!("\n### {h}\n")),
                "{}: no ### {h}",
                c.name
            );
        }
    }
}

/// `docs/kreach-details-v1.schema.json` is the JSON Schema the types
/// generate; `KREACH_BLESS=1` rewrites it.
#[test]
fn the_details_schema_is_the_one_the_types_generate() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/kreach-details-v1.schema.json");
    let generated =
        serde_json::to_string_pretty(&kreach_report::json::details_schema()).unwrap() + "\n";
    if std::env::var_os("KREACH_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/kreach-details-v1.schema.json is stale: KREACH_BLESS=1 cargo test -p kreach-report --test catalog"
    );
}

/// What the reports of every fixture carry in `details` is described by
/// the schema: each `kind` / `cause` tag a finding or unknown uses is one
/// of the schema's constants, and the schema has definitions of the
/// unknowns' reasons.
#[test]
fn the_details_of_every_fixture_use_the_schema_s_tags() {
    let schema = kreach_report::json::details_schema();
    assert!(
        schema.pointer("/$defs/UnknownReason").is_some(),
        "{schema:#}"
    );
    let mut consts = std::collections::BTreeSet::new();
    collect_consts(&schema, &mut consts);
    let mut used = std::collections::BTreeSet::new();
    for (_, path) in kreach_core::testing::all_fixtures() {
        let d = kreach_core::testing::load_fixture(&path).run();
        let v = kreach_report::json::to_value(&d);
        for f in v["findings"].as_array().unwrap() {
            assert_eq!(f["details"]["schema"], "kreach-details/v1");
            collect_tags(&f["details"], &mut used);
        }
        for u in v["unknowns"].as_array().unwrap() {
            collect_tags(&u["details"], &mut used);
        }
    }
    assert!(used.len() > 50, "{used:?}");
    let missing: Vec<&String> = used.iter().filter(|t| !consts.contains(*t)).collect();
    assert!(missing.is_empty(), "tags not in the schema: {missing:?}");
}

fn collect_consts(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("const", serde_json::Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    ("enum", serde_json::Value::Array(a)) => {
                        out.extend(a.iter().filter_map(|s| s.as_str().map(str::to_string)));
                    }
                    _ => collect_consts(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_consts(x, out)),
        _ => {}
    }
}

fn collect_tags(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                if let ("kind" | "cause", serde_json::Value::String(s)) = (k.as_str(), x) {
                    out.insert(s.clone());
                }
                collect_tags(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_tags(x, out)),
        _ => {}
    }
}
