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

use crate::lang::{Lang, hop_kind, pad, zh};

/// What the check decides, reads and is explained by, as a few lines
/// (`## What it reads`, `## 读取什么`).
fn declarations(c: &CheckDef, lang: Lang) -> String {
    use kreach_core::check::{Read, Relation};
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    let join = |v: Vec<String>, none: &str| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(sep)
        }
    };
    let or = match lang {
        Lang::En => " or ",
        Lang::Zh => " 或 ",
    };
    let reads: Vec<String> = c
        .reads
        .iter()
        .map(|r| match r {
            Read::One(k) => k.name().to_string(),
            Read::Either(a, b) => format!("{}{or}{}", a.name(), b.name()),
        })
        .collect();
    let uses: Vec<String> = c.uses.iter().map(|k| k.name().to_string()).collect();
    let hops: Vec<String> = c
        .decides
        .iter()
        .map(|h| hop_kind(lang, *h).to_string())
        .collect();
    let relation = |r: Relation| match (lang, r) {
        (Lang::En, Relation::SameObject) => "about the same object",
        (Lang::En, Relation::CauseRelated) => "about an object this one depends on",
        (Lang::En, Relation::SymptomRelated) => "whose object depends on this one's",
        (Lang::En, Relation::Linked) => "about the same or a related object",
        (Lang::En, Relation::SameNodeNetwork) => "on the same node's pod network",
        (Lang::Zh, Relation::SameObject) => "针对同一对象",
        (Lang::Zh, Relation::CauseRelated) => "针对本发现所依赖的对象",
        (Lang::Zh, Relation::SymptomRelated) => "其对象依赖本发现的对象",
        (Lang::Zh, Relation::Linked) => "针对同一对象或相关对象",
        (Lang::Zh, Relation::SameNodeNetwork) => "位于同一节点的 Pod 网络",
    };
    // Grouped by relation, in the order declared.
    let mut groups: Vec<(Relation, Vec<String>)> = Vec::new();
    for x in c.explained_by {
        let name = format!("`{}`", x.check.name);
        match groups.iter_mut().find(|(r, _)| *r == x.when) {
            Some((_, v)) => v.push(name),
            None => groups.push((x.when, vec![name])),
        }
    }
    let causes: Vec<String> = groups
        .into_iter()
        .map(|(r, names)| match lang {
            Lang::En => format!("{} ({})", names.join(", "), relation(r)),
            Lang::Zh => format!("{}（{}）", names.join("、"), relation(r)),
        })
        .collect();
    match lang {
        Lang::En => format!(
            "## What it reads\nDecides: {}. Reads: {}. For evidence only: {}.\nExplained by: {}.\n",
            join(hops, "no hop (a timeline)"),
            join(reads, "only the Services and Pods of the path"),
            join(uses, "nothing else"),
            if causes.is_empty() {
                "nothing (it is a cause)".to_string()
            } else {
                causes.join("; ")
            },
        ),
        Lang::Zh => format!(
            "## 读取什么\n判定的环节：{}。必须读取：{}。仅作证据：{}。\n可由以下检查解释：{}。\n",
            join(hops, "无（时间线）"),
            join(reads, "仅路径上的 Service 和 Pod"),
            join(uses, "无"),
            if causes.is_empty() {
                "无（它本身是原因）".to_string()
            } else {
                causes.join("；")
            },
        ),
    }
}

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
    let text = match lang {
        Lang::En => c.docs,
        Lang::Zh => zh::docs::explain(c.name).unwrap_or(c.docs),
    };
    for line in text.trim_end().lines() {
        writeln!(w, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    writeln!(w)?;
    write!(w, "{}", declarations(c, lang))?;
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
        let docs = format!("{}\n\n{}", c.docs.trim_end(), declarations(c, Lang::En));
        for line in docs.trim_end().lines() {
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
