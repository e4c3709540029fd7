//! `kreach checks` and `kreach explain`, in each language: both read the
//! one registry ([`kreach_core::checks::CHECKS`]); the Chinese texts are
//! in [`crate::lang::zh::docs`].
//!
//! Also the catalog as one Markdown document (`kreach checks -o
//! markdown`): a table of every registered check, then each check's
//! explanation as `kreach explain` prints it. `docs/checks.md` is this
//! output, committed; a test keeps the two equal.

use std::fmt::Write as _;
use std::io::{self, Write};

use kreach_core::check::{Blocks, CheckDef, Needs};
use kreach_core::checks::CHECKS;

use crate::lang::{Lang, pad, zh};

fn summary(c: &CheckDef, lang: Lang) -> &'static str {
    match lang {
        Lang::En => c.summary,
        Lang::Zh => zh::docs::summary(c.name).unwrap_or(c.summary),
    }
}

fn layer(c: &CheckDef, lang: Lang) -> &'static str {
    match lang {
        Lang::En => c.layer.name(),
        Lang::Zh => zh::docs::layer(c.layer),
    }
}

fn needs(n: Needs, lang: Lang) -> &'static str {
    match lang {
        Lang::En => n.name(),
        Lang::Zh => zh::docs::needs(n),
    }
}

fn blocks(b: Blocks, lang: Lang) -> &'static str {
    match (lang, b) {
        (Lang::En, _) => b.name(),
        (Lang::Zh, Blocks::Yes) => "是",
        (Lang::Zh, Blocks::No) => "否",
        (Lang::Zh, Blocks::Maybe) => "视情况",
    }
}

/// The catalog, one line a check.
pub fn write_list(lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    for c in CHECKS {
        match lang {
            Lang::En => writeln!(
                w,
                "{:<42} {:<8} {:<6} blocks:{:<6} {}",
                c.name,
                c.layer.name(),
                c.needs.name(),
                c.blocks.name(),
                c.summary
            )?,
            Lang::Zh => writeln!(
                w,
                "{:<42} {} {} 阻断:{} {}",
                c.name,
                pad(layer(c, lang), 8),
                pad(needs(c.needs, lang), 8),
                pad(blocks(c.blocks, lang), 6),
                summary(c, lang)
            )?,
        }
    }
    Ok(())
}

/// What a check means, why it breaks reachability, how to fix it.
pub fn write_explain(c: &CheckDef, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    match lang {
        Lang::En => writeln!(
            w,
            "{} ({} layer, needs {}, blocks: {})",
            c.name,
            c.layer.name(),
            c.needs.name(),
            c.blocks.name()
        )?,
        Lang::Zh => {
            let l = layer(c, lang);
            let gap = if l.ends_with(|ch: char| ch.is_ascii_alphabetic()) {
                " "
            } else {
                ""
            };
            writeln!(
                w,
                "{}（{l}{gap}层，需要{}，阻断：{}）",
                c.name,
                needs(c.needs, lang),
                blocks(c.blocks, lang)
            )?
        }
    }
    writeln!(w)?;
    writeln!(w, "{}", summary(c, lang))?;
    writeln!(w)?;
    match lang {
        Lang::En => {
            for line in c.docs.lines() {
                writeln!(w, "{}", line.strip_prefix(' ').unwrap_or(line))?;
            }
        }
        Lang::Zh => {
            let text = zh::docs::explain(c.name).unwrap_or(c.docs);
            for line in text.lines() {
                writeln!(w, "{}", line.strip_prefix(' ').unwrap_or(line))?;
            }
        }
    }
    Ok(())
}

/// The one-line error for a name that is no check.
pub fn unknown_check(name: &str, near: &[String], lang: Lang) -> String {
    match (lang, near.is_empty()) {
        (Lang::En, true) => format!("unknown check {name:?}: `kreach checks` lists them"),
        (Lang::En, false) => format!("unknown check {name:?}: did you mean {}?", near.join(", ")),
        (Lang::Zh, true) => format!("没有名为 {name:?} 的检查项：`kreach checks` 列出全部检查项"),
        (Lang::Zh, false) => format!(
            "没有名为 {name:?} 的检查项，是否想找：{}？",
            near.join("、")
        ),
    }
}

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
