//! The words of `kreach policy` (en).

use kreach_core::policy::{DirectionAnswer, Resolved};
use kreach_netpol::{ConnectionSet, Direction, PolicyRef, Protocol, Rejection};

use crate::policy::{En, Words};

fn names(policies: &[PolicyRef]) -> String {
    policies
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Words for En {
    fn end(&self, e: &Resolved) -> String {
        match e {
            Resolved::Pod { namespace, name } => format!("pod {namespace}/{name}"),
            Resolved::PodAddress {
                ip,
                namespace,
                name,
            } => format!("{ip} (pod {namespace}/{name})"),
            Resolved::Address { ip } => format!("{ip} (outside every pod)"),
        }
    }

    fn asked(&self, port: u16, protocol: Protocol) -> String {
        format!("on {port}/{protocol}")
    }

    fn header(&self, from: &str, to: &str, what: &str, allowed: bool) -> String {
        format!(
            "{from} → {to} {what}: {}",
            if allowed { "ALLOWED" } else { "DENIED" }
        )
    }

    fn connections(&self, c: &ConnectionSet) -> String {
        format!(
            "allowed connections: {}",
            if c.is_empty() {
                "none".to_string()
            } else {
                c.to_string()
            }
        )
    }

    fn direction(&self, direction: Direction, d: &DirectionAnswer) -> String {
        let who = if d.policies.is_empty() {
            "no policy selects the pod (or it is not a pod): not isolated".to_string()
        } else {
            format!("selected by {}", names(&d.policies))
        };
        format!(
            "{}: {} — {who}",
            match direction {
                Direction::Egress => "egress",
                Direction::Ingress => "ingress",
            },
            if d.allowed { "allowed" } else { "denied" }
        )
    }

    fn admitted_by(&self, policies: &[PolicyRef]) -> String {
        format!("admitted by {}", names(policies))
    }

    fn rejection(&self, r: &Rejection) -> String {
        super::network::rejection(r)
    }
}
