//! The access paths as a graph: Graphviz DOT (`-o dot`) and Mermaid
//! (`-o mermaid`), each hop a node coloured by its status, root causes
//! attached to the hop they break. Text only: rendering is left to `dot`
//! or to whatever shows Mermaid (GitHub, GitLab, many wikis).

use std::collections::BTreeMap;
use std::io::{self, Write};

use kreach_core::diagnose::{Diagnosis, HopStatus};
use kreach_core::path::HopKind;

use crate::lang::{self, Lang};

struct Graph {
    /// (id, label, status)
    nodes: Vec<(String, String, HopStatus)>,
    edges: Vec<(String, String)>,
    /// (id, label) of root-cause notes, with the node they attach to.
    notes: Vec<(String, String, String)>,
}

fn build(d: &Diagnosis, lang: Lang) -> Graph {
    let t = lang::frame(lang);
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut g = Graph {
        nodes: vec![],
        edges: vec![],
        notes: vec![],
    };
    g.nodes
        .push(("client".into(), t.client.into(), HopStatus::Ok));
    for (p, st) in d.resolution.paths.iter().zip(&d.hop_status) {
        let mut prev = "client".to_string();
        for (h, s) in p.hops().iter().zip(st) {
            let key = format!("{}|{}", h.kind, h.object);
            let n = ids.len();
            let id = ids.entry(key).or_insert_with(|| format!("n{n}")).clone();
            match g.nodes.iter_mut().find(|(i, ..)| *i == id) {
                Some(node) => {
                    if *s == HopStatus::Broken
                        || (node.2 == HopStatus::Ok && *s == HopStatus::Unknown)
                    {
                        node.2 = *s;
                    }
                }
                None => {
                    let kind = lang::hop_kind(lang, h.kind);
                    let detail = lang::hop_detail(lang, &h.detail);
                    let label = if detail.is_empty() {
                        format!("{kind}\\n{}", h.object)
                    } else {
                        format!("{kind}\\n{}\\n{detail}", h.object)
                    };
                    g.nodes.push((id.clone(), label, *s));
                }
            }
            let e = (prev.clone(), id.clone());
            if !g.edges.contains(&e) {
                g.edges.push(e);
            }
            // Pods hang off the Service side by side, not in a chain.
            if h.kind != HopKind::Pod {
                prev = id;
            }
        }
    }
    for (i, rid) in d.root_causes.iter().enumerate() {
        let Some(f) = d.finding(rid) else { continue };
        let target = ids
            .iter()
            .find(|(k, _)| {
                k.ends_with(&format!("|{}", f.object))
                    || f.related.iter().any(|r| k.ends_with(&format!("|{r}")))
            })
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "client".into());
        g.notes.push((
            format!("rc{i}"),
            format!("{}\\n{}", f.check, f.object),
            target,
        ));
    }
    g
}

fn esc(s: &str) -> String {
    s.replace('"', "\\\"")
}

pub fn write_dot(d: &Diagnosis, w: &mut dyn Write) -> io::Result<()> {
    write_dot_in(d, Lang::En, w)
}

pub fn write_dot_in(d: &Diagnosis, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let g = build(d, lang);
    let verdict = match lang {
        Lang::En => d.verdict.name(),
        Lang::Zh => lang::verdict(lang, d.verdict).0,
    };
    writeln!(w, "digraph kreach {{")?;
    writeln!(w, "  rankdir=LR;")?;
    writeln!(
        w,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];"
    )?;
    writeln!(
        w,
        "  label=\"{} — {}\"; labelloc=t;",
        esc(&d.resolution.input),
        verdict
    )?;
    for (id, label, s) in &g.nodes {
        let color = match s {
            HopStatus::Ok => "#d4edda",
            HopStatus::Broken => "#f8d7da",
            HopStatus::Unknown => "#fff3cd",
        };
        writeln!(
            w,
            "  {id} [label=\"{}\", fillcolor=\"{color}\"];",
            esc(label)
        )?;
    }
    for (a, b) in &g.edges {
        writeln!(w, "  {a} -> {b};")?;
    }
    for (id, label, target) in &g.notes {
        writeln!(
            w,
            "  {id} [label=\"{}\", shape=note, fillcolor=\"#f5c6cb\"];",
            esc(label)
        )?;
        writeln!(w, "  {id} -> {target} [style=dashed, arrowhead=none];")?;
    }
    writeln!(w, "}}")
}

pub fn write_mermaid(d: &Diagnosis, w: &mut dyn Write) -> io::Result<()> {
    write_mermaid_in(d, Lang::En, w)
}

pub fn write_mermaid_in(d: &Diagnosis, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let g = build(d, lang);
    writeln!(w, "flowchart LR")?;
    for (id, label, s) in &g.nodes {
        let label = label.replace("\\n", "<br/>").replace('"', "#quot;");
        let class = match s {
            HopStatus::Ok => "ok",
            HopStatus::Broken => "broken",
            HopStatus::Unknown => "unknown",
        };
        writeln!(w, "  {id}[\"{label}\"]:::{class}")?;
    }
    for (a, b) in &g.edges {
        writeln!(w, "  {a} --> {b}")?;
    }
    for (id, label, target) in &g.notes {
        writeln!(
            w,
            "  {id}>\"{}\"]:::cause -.- {target}",
            label.replace("\\n", "<br/>").replace('"', "#quot;")
        )?;
    }
    writeln!(w, "  classDef ok fill:#d4edda,stroke:#28a745")?;
    writeln!(w, "  classDef broken fill:#f8d7da,stroke:#dc3545")?;
    writeln!(w, "  classDef unknown fill:#fff3cd,stroke:#ffc107")?;
    writeln!(w, "  classDef cause fill:#f5c6cb,stroke:#dc3545")
}
