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
