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

use crate::lang;

pub use crate::lang::Lang;

struct Texts {
    broken: &'static str,
    degraded: &'static str,
    ok: &'static str,
    inconclusive: &'static str,
    sum_broken: &'static str,
    sum_degraded: &'static str,
    sum_ok: &'static str,
    sum_inconclusive: &'static str,
    path: &'static str,
    via: &'static str,
    pods: &'static str,
    none_selected: &'static str,
    root_cause: &'static str,
    root_causes: &'static str,
    other: &'static str,
    not_checked: &'static str,
    because: &'static str,
    fix: &'static str,
    all_clear: &'static str,
}

const EN: Texts = Texts {
    broken: "BROKEN",
    degraded: "DEGRADED",
    ok: "OK",
    inconclusive: "INCONCLUSIVE",
    sum_broken: "every way in is blocked",
    sum_degraded: "some ways in, nodes or endpoints are blocked",
    sum_ok: "nothing blocks the path",
    sum_inconclusive: "nothing blocks what kreach could read, but some of it could not be read",
    path: "Path",
    via: "via",
    pods: "Pods",
    none_selected: "none selected",
    root_cause: "Root cause",
    root_causes: "Root causes",
    other: "Other findings",
    not_checked: "Not checked",
    because: "because of",
    fix: "fix:",
    all_clear: "no problem found on any path",
};

const ZH: Texts = Texts {
    broken: "不可达",
    degraded: "部分可达",
    ok: "正常",
    inconclusive: "无法确定",
    sum_broken: "所有访问路径都被阻断",
    sum_degraded: "部分访问路径、节点或端点被阻断",
    sum_ok: "访问路径上没有阻断",
    sum_inconclusive: "已读取的状态中没有阻断，但有部分状态无法读取",
    path: "路径",
    via: "经由",
    pods: "Pods",
    none_selected: "没有选中任何 Pod",
    root_cause: "根因",
    root_causes: "根因",
    other: "其他发现",
    not_checked: "未检查",
    because: "由于",
    fix: "修复:",
    all_clear: "所有路径均未发现问题",
};

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

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
    let t = texts(lang);
    let r = &d.resolution;
    let (vstyle, vtext) = match d.verdict {
        Verdict::Broken => (RED, t.broken),
        Verdict::Degraded => (YELLOW, t.degraded),
        Verdict::Ok => (GREEN, t.ok),
        Verdict::Inconclusive => (YELLOW, t.inconclusive),
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
        Verdict::Broken => t.sum_broken,
        Verdict::Degraded => t.sum_degraded,
        Verdict::Ok => t.sum_ok,
        Verdict::Inconclusive => t.sum_inconclusive,
    };
    writeln!(w, "{}", paint(DIM, summary))?;

    if !r.paths.is_empty() {
        for (n, (p, st)) in r.paths.iter().zip(&d.hop_status).enumerate() {
            writeln!(w)?;
            writeln!(
                w,
                "{}",
                paint(
                    BOLD,
                    &format!("{} {} {} {}", t.path, n + 1, t.via, p.via.name())
                )
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
                writeln!(w, "  {head} {:<width$}  {shown}", t.pods)?;
            } else if p.service.as_ref().is_some_and(|s| s.found) {
                writeln!(
                    w,
                    "  {} {:<width$}  {}",
                    mark(HopStatus::Broken),
                    t.pods,
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
        writeln!(w, "{} {}", mark(HopStatus::Ok), t.all_clear)?;
    }
    Ok(())
}

fn finding(w: &mut dyn Write, d: &Diagnosis, f: &Finding, t: &Texts, lang: Lang) -> io::Result<()> {
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
