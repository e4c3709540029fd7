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

pub fn write(d: &Diagnosis, w: &mut dyn Write) -> io::Result<()> {
    let r = &d.resolution;
    let (vstyle, vtext) = match d.verdict {
        Verdict::Broken => (RED, "BROKEN"),
        Verdict::Degraded => (YELLOW, "DEGRADED"),
        Verdict::Ok => (GREEN, "OK"),
        Verdict::Inconclusive => (YELLOW, "INCONCLUSIVE"),
    };
    let ns = r
        .namespace
        .as_deref()
        .map(|n| format!(" -n {n}"))
        .unwrap_or_default();
    writeln!(
        w,
        "{} {}{ns}: {}",
        paint(BOLD, "kreach"),
        r.input,
        paint(vstyle, vtext)
    )?;
    let summary = match d.verdict {
        Verdict::Broken => "every way in is blocked",
        Verdict::Degraded => "some ways in, nodes or endpoints are blocked",
        Verdict::Ok => "nothing blocks the path",
        Verdict::Inconclusive => {
            "nothing blocks what kreach could read, but some of it could not be read"
        }
    };
    writeln!(w, "{}", paint(DIM, summary))?;

    if !r.paths.is_empty() {
        for (n, (p, st)) in r.paths.iter().zip(&d.hop_status).enumerate() {
            writeln!(w)?;
            writeln!(
                w,
                "{}",
                paint(BOLD, &format!("Path {} via {}", n + 1, p.via.name()))
            )?;
            let hops = p.hops();
            let width = hops.iter().map(|h| h.kind.len()).max().unwrap_or(0).max(4);
            let mut pods: Vec<String> = Vec::new();
            for (h, s) in hops.iter().zip(st) {
                if h.kind == "Pod" {
                    pods.push(format!("{} {}", mark(*s), h.object.name));
                    continue;
                }
                let detail = if h.detail.is_empty() {
                    String::new()
                } else {
                    format!("  {}", paint(CYAN, &h.detail))
                };
                writeln!(w, "  {} {:<width$}  {}{detail}", mark(*s), h.kind, h.object)?;
            }
            if !pods.is_empty() {
                let shown = if pods.len() > 6 {
                    format!("{}  … {} more", pods[..6].join("  "), pods.len() - 6)
                } else {
                    pods.join("  ")
                };
                let any_broken = hops
                    .iter()
                    .zip(st)
                    .any(|(h, s)| h.kind == "Pod" && *s == HopStatus::Broken);
                let head = if any_broken {
                    mark(HopStatus::Broken)
                } else {
                    mark(HopStatus::Ok)
                };
                writeln!(w, "  {head} {:<width$}  {shown}", "Pods")?;
            } else if p.service.as_ref().is_some_and(|s| s.found) {
                writeln!(
                    w,
                    "  {} {:<width$}  {}",
                    mark(HopStatus::Broken),
                    "Pods",
                    paint(DIM, "none selected")
                )?;
            }
        }
    }

    let roots: Vec<&Finding> = d
        .root_causes
        .iter()
        .filter_map(|id| d.finding(id))
        .collect();
    if !roots.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "{}",
            paint(
                BOLD,
                if roots.len() == 1 {
                    "Root cause"
                } else {
                    "Root causes"
                }
            )
        )?;
        for f in &roots {
            finding(w, d, f)?;
        }
    }
    let others: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| !d.root_causes.contains(&f.id))
        .collect();
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
            let list = if hops.len() > 3 {
                format!("{} and {} more", hops[..3].join(", "), hops.len() - 3)
            } else {
                hops.join(", ")
            };
            writeln!(
                w,
                "  {} {reason} {}",
                mark(HopStatus::Unknown),
                paint(DIM, &format!("({list})"))
            )?;
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
        let names: Vec<String> = f
            .explained_by
            .iter()
            .filter_map(|id| d.finding(id))
            .map(|c| c.check.to_string())
            .collect();
        paint(DIM, &format!("  (because of {})", names.join(", ")))
    };
    writeln!(
        w,
        "  {} {} {}{because}",
        paint(style, sym),
        paint(BOLD, f.check),
        f.object
    )?;
    writeln!(w, "    {}", f.message)?;
    for e in &f.evidence {
        writeln!(w, "    {} {e}", paint(DIM, "·"))?;
    }
    for x in &f.fix {
        writeln!(w, "    {} {}", paint(GREEN, "fix:"), x)?;
    }
    Ok(())
}
