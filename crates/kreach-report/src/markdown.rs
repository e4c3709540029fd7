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
    let r = &d.resolution;
    writeln!(w, "## kreach: `{}` — **{}**", r.input, d.verdict.name())?;
    writeln!(w)?;
    if !r.paths.is_empty() {
        writeln!(w, "| via | path |")?;
        writeln!(w, "|---|---|")?;
        for (p, st) in r.paths.iter().zip(&d.hop_status) {
            let hops: Vec<String> = p
                .hops()
                .iter()
                .zip(st)
                .map(|(h, s)| format!("{} {} `{}`", mark(*s), h.kind, h.object))
                .collect();
            writeln!(w, "| {} | {} |", p.via.name(), hops.join(" → "))?;
        }
        writeln!(w)?;
    }
    for f in &d.findings {
        let root = if d.root_causes.contains(&f.id) {
            " (root cause)"
        } else {
            ""
        };
        writeln!(
            w,
            "### {} `{}` on `{}`{root}",
            if f.blocks { "❌" } else { "⚠️" },
            f.check,
            f.object
        )?;
        writeln!(w)?;
        writeln!(w, "{}", lang::problem(Lang::En, &f.problem))?;
        writeln!(w)?;
        for e in &f.evidence {
            writeln!(w, "- {}", lang::evidence(Lang::En, e))?;
        }
        if !f.fix.is_empty() {
            writeln!(w)?;
            writeln!(w, "```sh")?;
            for x in &f.fix {
                writeln!(w, "{}", lang::fix(Lang::En, x))?;
            }
            writeln!(w, "```")?;
        }
        writeln!(w)?;
    }
    if !d.unknowns.is_empty() {
        writeln!(w, "### Not checked")?;
        writeln!(w)?;
        for u in &d.unknowns {
            writeln!(w, "- `{}`: {}", u.hop, u.reason)?;
        }
    }
    Ok(())
}
