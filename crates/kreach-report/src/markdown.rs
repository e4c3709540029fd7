//! A Markdown report (`-o markdown`), for pasting into a ticket or chat.

use std::io::{self, Write};

use kreach_core::diagnose::{Diagnosis, HopStatus};

use crate::lang::{self, Lang};

fn mark(s: HopStatus) -> &'static str {
    match s {
        HopStatus::Ok => "✅",
        HopStatus::Broken => "❌",
        HopStatus::Unknown => "❔",
    }
}

pub fn write(d: &Diagnosis, w: &mut dyn Write) -> io::Result<()> {
    write_in(d, Lang::En, w)
}

pub fn write_in(d: &Diagnosis, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let t = lang::frame(lang);
    let r = &d.resolution;
    let verdict = match lang {
        Lang::En => d.verdict.name(),
        Lang::Zh => lang::verdict(lang, d.verdict).0,
    };
    writeln!(w, "## kreach: `{}` — **{verdict}**", r.input)?;
    writeln!(w)?;
    if !r.paths.is_empty() {
        match lang {
            Lang::En => writeln!(w, "| via | path |")?,
            Lang::Zh => writeln!(w, "| {} | {} |", t.via, t.path)?,
        }
        writeln!(w, "|---|---|")?;
        for (p, st) in r.paths.iter().zip(&d.hop_status) {
            let hops: Vec<String> = p
                .hops()
                .iter()
                .zip(st)
                .map(|(h, s)| {
                    format!(
                        "{} {} `{}`",
                        mark(*s),
                        lang::hop_kind(lang, h.kind),
                        h.object
                    )
                })
                .collect();
            writeln!(w, "| {} | {} |", lang::via(lang, p.via), hops.join(" → "))?;
        }
        writeln!(w)?;
    }
    for f in &d.findings {
        let root = if d.root_causes.contains(&f.id) {
            t.is_root_cause
        } else {
            ""
        };
        writeln!(
            w,
            "### {} `{}` {} `{}`{root}",
            if f.blocks { "❌" } else { "⚠️" },
            f.check,
            t.on,
            f.object
        )?;
        writeln!(w)?;
        writeln!(w, "{}", lang::problem(lang, &f.problem))?;
        writeln!(w)?;
        for e in &f.evidence {
            writeln!(w, "- {}", lang::evidence(lang, e))?;
        }
        if !f.fix.is_empty() {
            writeln!(w)?;
            writeln!(w, "```sh")?;
            for x in &f.fix {
                writeln!(w, "{}", lang::fix(lang, x))?;
            }
            writeln!(w, "```")?;
        }
        writeln!(w)?;
    }
    if !d.unknowns.is_empty() {
        writeln!(w, "### {}", t.not_checked)?;
        writeln!(w)?;
        for u in &d.unknowns {
            writeln!(
                w,
                "- `{}`: {}",
                u.hop,
                lang::unknown_reason(lang, &u.reason)
            )?;
        }
    }
    Ok(())
}
