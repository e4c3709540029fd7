//! The answer of `kreach policy`, as JSON (`kreach/v1`) and for people.
//!
//! ```json
//! {"schema": "kreach/v1", "allowed": false,
//!  "egress":  {"allowed": true,  "policies": [], "decided_by": []},
//!  "ingress": {"allowed": false, "policies": ["NetworkPolicy/y/deny-all"],
//!              "decided_by": ["NetworkPolicy/y/deny-all"]}}
//! ```
//! `policies`: the policies that select the pod in that direction;
//! `decided_by`: those whose rules admit the connection (allowed) or every
//! selecting one (denied). Without `--port`, `connections` lists every
//! connection allowed (`TCP 80,443`, `All Connections`).

use std::io::{self, Write};

use kreach_core::policy::PolicyAnswer;

pub fn to_value(a: &PolicyAnswer) -> serde_json::Value {
    let mut v = serde_json::json!({
        "schema": "kreach/v1",
        "allowed": a.allowed,
        "egress": a.egress,
        "ingress": a.ingress,
    });
    if let Some(c) = &a.connections {
        v["connections"] = serde_json::Value::String(c.to_string());
    }
    v
}

pub fn write_json(a: &PolicyAnswer, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &to_value(a))?;
    writeln!(w)
}

pub fn write_human(a: &PolicyAnswer, what: &str, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} → {} {what}: {}",
        a.from,
        a.to,
        if a.allowed { "ALLOWED" } else { "DENIED" }
    )?;
    if let Some(c) = &a.connections {
        writeln!(
            w,
            "  allowed connections: {}",
            if c.is_empty() {
                "none".to_string()
            } else {
                c.to_string()
            }
        )?;
    }
    for (name, d) in [("egress", &a.egress), ("ingress", &a.ingress)] {
        let who = if d.policies.is_empty() {
            "no policy selects the pod (or it is not a pod): not isolated".to_string()
        } else {
            format!("selected by {}", d.policies.join(", "))
        };
        writeln!(
            w,
            "  {name}: {} — {who}",
            if d.allowed { "allowed" } else { "denied" }
        )?;
        if d.allowed && !d.decided_by.is_empty() {
            writeln!(w, "    admitted by {}", d.decided_by.join(", "))?;
        }
        for r in &d.reasons {
            if !d.allowed {
                writeln!(w, "    · {r}")?;
            }
        }
    }
    Ok(())
}
