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
use kreach_core::path::HopKind;
use kreach_core::{Finding, Severity, Verdict};

use crate::lang;

pub use crate::lang::Lang;

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
    write_in(d, Lang::En, w)
}

pub fn write_in(d: &Diagnosis, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let t = lang::frame(lang);
    let r = &d.resolution;
    let (vtext, summary) = lang::verdict(lang, d.verdict);
    let vstyle = match d.verdict {
        Verdict::Broken => RED,
        Verdict::Degraded | Verdict::Inconclusive => YELLOW,
        Verdict::Ok => GREEN,
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
    writeln!(w, "{}", paint(DIM, summary))?;

    if !r.paths.is_empty() {
        for (n, (p, st)) in r.paths.iter().zip(&d.hop_status).enumerate() {
            writeln!(w)?;
            writeln!(
                w,
                "{}",
                paint(
                    BOLD,
                    &format!("{} {} {} {}", t.path, n + 1, t.via, lang::via(lang, p.via))
                )
            )?;
            let hops = p.hops();
            let width = hops
                .iter()
                .map(|h| lang::width(lang::hop_kind(lang, h.kind)))
                .chain([lang::width(t.pods)])
                .max()
                .unwrap_or(0)
                .max(4);
            let mut pods: Vec<String> = Vec::new();
            for (h, s) in hops.iter().zip(st) {
                if h.kind == HopKind::Pod {
                    pods.push(format!("{} {}", mark(*s), h.object.name));
                    continue;
                }
                let detail = lang::hop_detail(lang, &h.detail);
                let detail = if detail.is_empty() {
                    String::new()
                } else {
                    format!("  {}", paint(CYAN, &detail))
                };
                writeln!(
                    w,
                    "  {} {}  {}{detail}",
                    mark(*s),
                    lang::pad(lang::hop_kind(lang, h.kind), width),
                    h.object
                )?;
            }
            if !pods.is_empty() {
                let shown = if pods.len() > 6 {
                    format!(
                        "{}  {}",
                        pods[..6].join("  "),
                        (t.more_pods)(pods.len() - 6)
                    )
                } else {
                    pods.join("  ")
                };
                let any_broken = hops
                    .iter()
                    .zip(st)
                    .any(|(h, s)| h.kind == HopKind::Pod && *s == HopStatus::Broken);
                let head = if any_broken {
                    mark(HopStatus::Broken)
                } else {
                    mark(HopStatus::Ok)
                };
                writeln!(w, "  {head} {}  {shown}", lang::pad(t.pods, width))?;
            } else if p.service.as_ref().is_some_and(|s| s.found) {
                writeln!(
                    w,
                    "  {} {}  {}",
                    mark(HopStatus::Broken),
                    lang::pad(t.pods, width),
                    paint(DIM, t.none_selected)
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
                    t.root_cause
                } else {
                    t.root_causes
                }
            )
        )?;
        for f in &roots {
            finding(w, d, f, t, lang)?;
        }
    }
    let others: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| !d.root_causes.contains(&f.id))
        .collect();
    if !others.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, t.other))?;
        for f in &others {
            finding(w, d, f, t, lang)?;
        }
    }
    let unknowns: Vec<_> = d.unknowns.iter().collect();
    if !unknowns.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", paint(BOLD, t.not_checked))?;
        // One line per reason, listing its hops.
        let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
        for u in unknowns {
            let reason = lang::unknown_reason(lang, &u.reason);
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, hops)) => hops.push(&u.hop),
                None => reasons.push((reason, vec![&u.hop])),
            }
        }
        for (reason, hops) in reasons {
            let list = if hops.len() > 3 {
                format!("{} {}", hops[..3].join(", "), (t.more)(hops.len() - 3))
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
        writeln!(w, "{} {}", mark(HopStatus::Ok), t.all_clear)?;
    }
    Ok(())
}

fn finding(
    w: &mut dyn Write,
    d: &Diagnosis,
    f: &Finding,
    t: &lang::Frame,
    lang: Lang,
) -> io::Result<()> {
    let (style, sym) = match (f.blocks, f.severity) {
        (true, _) => (RED, "✘"),
        (false, Severity::Warning) => (YELLOW, "!"),
        _ => (CYAN, "i"),
    };
    let because = if f.explained_by.is_empty() {
        String::new()
    } else {
        // "pod-pending ×3, pod-probe-port-mismatch"
        let mut names: Vec<(&str, usize)> = Vec::new();
        for c in f.explained_by.iter().filter_map(|id| d.finding(id)) {
            match names.iter_mut().find(|(n, _)| *n == c.check) {
                Some(e) => e.1 += 1,
                None => names.push((c.check, 1)),
            }
        }
        let names: Vec<String> = names
            .into_iter()
            .map(|(n, k)| {
                if k > 1 {
                    format!("{n} ×{k}")
                } else {
                    n.to_string()
                }
            })
            .collect();
        paint(DIM, &format!("  ({} {})", t.because, names.join(", ")))
    };
    writeln!(
        w,
        "  {} {} {}{because}",
        paint(style, sym),
        paint(BOLD, f.check),
        f.object
    )?;
    writeln!(w, "    {}", lang::problem(lang, &f.problem))?;
    for e in &f.evidence {
        writeln!(w, "    {} {}", paint(DIM, "·"), lang::evidence(lang, e))?;
    }
    for x in &f.fix {
        writeln!(w, "    {} {}", paint(GREEN, t.fix), lang::fix(lang, x))?;
    }
    Ok(())
}
