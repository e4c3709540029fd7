//! The check catalog as one Markdown document (`kreach checks -o markdown`):
//! a table of every registered check, then each check's explanation as
//! `kreach explain` prints it. `docs/checks.md` is this output, committed;
//! a test keeps the two equal.

use std::fmt::Write as _;

use kreach_core::check::CheckDef;

/// The catalog of `checks` (the registry, `kreach_core::checks::CHECKS`).
pub fn markdown(checks: &[&CheckDef]) -> String {
    let mut out = String::new();
    out.push_str(
        "<!-- Generated from the check registry by `kreach checks -o markdown`; do not edit. -->\n\
         # The check catalog\n\
         \n\
         Every check kreach runs. **layer**: where on the outside-in path the fault sits; \
         **needs**: what deciding it takes (`state`: cluster objects alone, works on a snapshot); \
         **blocks**: `yes` breaks the path on its own, `maybe` in some configurations, `no` is a warning.\n\
         \n\
         | name | layer | needs | blocks | summary |\n\
         |---|---|---|---|---|\n",
    );
    for c in checks {
        let _ = writeln!(
            out,
            "| [`{name}`](#{name}) | {} | {} | {} | {} |",
            c.layer.name(),
            c.needs.name(),
            c.blocks.name(),
            inline(c.summary).replace('|', "\\|"),
            name = c.name,
        );
    }
    for c in checks {
        let _ = write!(
            out,
            "\n## {}\n\n{} layer, needs {}, blocks: {}. {}.\n\n",
            c.name,
            c.layer.name(),
            c.needs.name(),
            c.blocks.name(),
            inline(c.summary)
        );
        let mut in_code = false;
        for line in c.docs.trim_end().lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            in_code ^= line.starts_with("```");
            // The explanation's own headings go one level down.
            if !in_code && line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// A summary as Markdown text: `<pending>` must not read as an HTML tag.
fn inline(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;")
}
