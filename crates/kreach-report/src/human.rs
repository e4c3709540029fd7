//! The report for a person in a hurry (`-o human`, the default): the
//! verdict, each path as a chain of hops with a mark, the root causes with
//! their evidence and fix, then the other findings and what kreach could
//! not check.
//!
//! Colour is written as ANSI styles; the caller's stream strips them when
//! the output is not a terminal or `NO_COLOR` is set.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use kreach_core::diagnose::{Diagnosis, HopStatus};
use kreach_core::{Finding, Severity, Verdict};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();

fn paint(s: Style, text: &str) -> String {
    format!("{}{text}{}", s.render(), s.render_reset())
}

fn mark(st: HopStatus) -> String {
    match st {
        HopStatus::Ok => paint(GREEN, "✔"),
        HopStatus::Broken => paint(RED, "✘"),
        HopStatus::Unknown => paint(YELLOW, "?"),
    }
}

fn short(o: &str) -> &str {
    // "Service/shop/web" → "shop/web" (the hop kind says the rest).
    o.split_once('/').map_or(o, |(_, rest)| rest)
}

pub fn write(d: &Diagnosis, w: &mut dyn Write) -> io::Result<()> {
    let r = &d.resolution;
    let (vstyle, vtext) = match d.verdict {
        Verdict::Broken => (RED, "BROKEN"),
        Verdict::Degraded => (YELLOW, "DEGRADED"),
        Verdict::Ok => (GREEN, "OK"),
        Verdict::Inconclusive => (YELLOW, "INCONCLUSIVE"),
    };
    let ns = r.namespace.as_deref().map(|n| format!(" -n {n}")).unwrap_or_default();
    writeln!(w, "{} {}{ns}: {}", paint(BOLD, "kreach"), r.input, paint(vstyle, vtext))?;
    let summary = match d.verdict {
        Verdict::Broken => "every way in is blocked",
        Verdict::Degraded => "some ways in, nodes or endpoints are blocked",
        Verdict::Ok => "nothing blocks the path",
        Verdict::Inconclusive => "nothing blocks what kreach could read, but some of it could not be read",
    };
    writeln!(w, "{}", paint(DIM, summary))?;

    if !r.paths.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, "Paths"))?;
        for (p, st) in r.paths.iter().zip(&d.hop_status) {
            let hops = p.hops();
            let mut line = format!("  {:<13}", p.via.name());
            let mut first = true;
            let mut i = 0;
            while i < hops.len() {
                let h = &hops[i];
                if !first {
                    line.push_str(&paint(DIM, " → "));
                }
                first = false;
                if h.kind == "Pod" {
                    // All pods on one hop: "3 pods ✔✔✘".
                    let pods: Vec<usize> = (i..hops.len()).filter(|&j| hops[j].kind == "Pod").collect();
                    let marks: String = pods.iter().map(|&j| mark(st[j])).collect();
                    let broken = pods.iter().filter(|&&j| st[j] == HopStatus::Broken).count();
                    let detail = if pods.len() == 1 { short(&hops[pods[0]].object.to_string()).to_string() } else { format!("{} pods", pods.len()) };
                    let extra = if broken > 0 && pods.len() > 1 { format!(" ({broken} broken)") } else { String::new() };
                    line.push_str(&format!("{marks} Pod {detail}{extra}"));
                    i = pods.last().copied().unwrap_or(i) + 1;
                    continue;
                }
                let detail = if h.detail.is_empty() { String::new() } else { format!(" {}", paint(CYAN, &h.detail)) };
                line.push_str(&format!("{} {} {}{detail}", mark(st[i]), h.kind, short(&h.object.to_string())));
                i += 1;
            }
            if p.pods.is_empty() && p.service.as_ref().is_some_and(|s| s.found) {
                line.push_str(&format!("{}{} no pods", paint(DIM, " → "), mark(HopStatus::Broken)));
            }
            writeln!(w, "{line}")?;
        }
    }

    let roots: Vec<&Finding> = d.root_causes.iter().filter_map(|id| d.finding(id)).collect();
    if !roots.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, if roots.len() == 1 { "Root cause" } else { "Root causes" }))?;
        for f in &roots {
            finding(w, d, f)?;
        }
    }
    let others: Vec<&Finding> = d.findings.iter().filter(|f| !d.root_causes.contains(&f.id)).collect();
    if !others.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, "Other findings"))?;
        for f in &others {
            finding(w, d, f)?;
        }
    }
    let unknowns: Vec<_> = d.unknowns.iter().collect();
    if !unknowns.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, "Not checked"))?;
        // One line per reason, listing its hops.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for u in unknowns {
            match reasons.iter_mut().find(|(r, _)| *r == u.reason) {
                Some((_, hops)) => hops.push(&u.hop),
                None => reasons.push((&u.reason, vec![&u.hop])),
            }
        }
        for (reason, hops) in reasons {
            let list = if hops.len() > 3 { format!("{} and {} more", hops[..3].join(", "), hops.len() - 3) } else { hops.join(", ") };
            writeln!(w, "  {} {reason} {}", mark(HopStatus::Unknown), paint(DIM, &format!("({list})")))?;
        }
    }
    if d.findings.is_empty() && d.verdict == Verdict::Ok {
        writeln!(w)?;
        writeln!(w, "{} no problem found on any path", mark(HopStatus::Ok))?;
    }
    Ok(())
}

fn finding(w: &mut dyn Write, d: &Diagnosis, f: &Finding) -> io::Result<()> {
    let (style, sym) = match (f.blocks, f.severity) {
        (true, _) => (RED, "✘"),
        (false, Severity::Warning) => (YELLOW, "!"),
        _ => (CYAN, "i"),
    };
    let because = if f.explained_by.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = f.explained_by.iter().filter_map(|id| d.finding(id)).map(|c| c.check.to_string()).collect();
        paint(DIM, &format!("  (because of {})", names.join(", ")))
    };
    writeln!(w, "  {} {} {}{because}", paint(style, sym), paint(BOLD, f.check), f.object)?;
    writeln!(w, "    {}", f.message)?;
    for e in &f.evidence {
        writeln!(w, "    {} {e}", paint(DIM, "·"))?;
    }
    for x in &f.fix {
        writeln!(w, "    {} {}", paint(GREEN, "fix:"), x)?;
    }
    Ok(())
}
