//! `kreach checks` and `kreach explain`: both read the one registry.

use kreach_core::checks::{CHECKS, find};

pub fn list() -> u8 {
    let mut out = String::new();
    for c in CHECKS {
        out.push_str(&format!(
            "{:<42} {:<8} {:<6} blocks:{:<6} {}\n",
            c.name,
            c.layer.name(),
            c.needs.name(),
            c.blocks.name(),
            c.summary
        ));
    }
    print!("{out}");
    0
}

/// `kreach checks -o markdown`: the catalog document (docs/checks.md).
pub fn markdown() -> u8 {
    print!("{}", kreach_report::catalog::markdown(CHECKS));
    0
}

pub fn explain(name: &str) -> u8 {
    match find(name) {
        Some(c) => {
            println!(
                "{} ({} layer, needs {}, blocks: {})",
                c.name,
                c.layer.name(),
                c.needs.name(),
                c.blocks.name()
            );
            println!();
            println!("{}", c.summary);
            println!();
            for line in c.docs.lines() {
                println!("{}", line.strip_prefix(' ').unwrap_or(line));
            }
            0
        }
        None => {
            let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
            let near = kreach_core::labels::closest(name, names.iter().copied(), 3);
            if near.is_empty() {
                eprintln!("kreach: unknown check {name:?}: `kreach checks` lists them");
            } else {
                eprintln!(
                    "kreach: unknown check {name:?}: did you mean {}?",
                    near.join(", ")
                );
            }
            2
        }
    }
}
