//! The words of `kreach policy` (zh).

use kreach_core::policy::{DirectionAnswer, Resolved};
use kreach_netpol::{ConnectionSet, Direction, PolicyRef, Protocol, Rejection};

use crate::policy::{Words, Zh};

fn names(policies: &[PolicyRef]) -> String {
    policies
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

impl Words for Zh {
    fn end(&self, e: &Resolved) -> String {
        match e {
            Resolved::Pod { namespace, name } => format!("Pod {namespace}/{name}"),
            Resolved::PodAddress {
                ip,
                namespace,
                name,
            } => format!("{ip}（Pod {namespace}/{name}）"),
            Resolved::Address { ip } => format!("{ip}（不属于任何 Pod）"),
        }
    }

    fn asked(&self, port: u16, protocol: Protocol) -> String {
        format!("端口 {port}/{protocol}")
    }

    fn header(&self, from: &str, to: &str, what: &str, allowed: bool) -> String {
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(" {what}")
        };
        format!(
            "{from} → {to}{what}：{}",
            if allowed { "允许" } else { "拒绝" }
        )
    }

    fn connections(&self, c: &ConnectionSet) -> String {
        format!(
            "允许的连接：{}",
            if c.is_empty() {
                "无".to_string()
            } else if c.is_all() {
                "全部".to_string()
            } else {
                c.to_string()
            }
        )
    }

    fn direction(&self, direction: Direction, d: &DirectionAnswer) -> String {
        let who = if d.policies.is_empty() {
            "没有网络策略选中该 Pod（或它不是 Pod）：不受隔离".to_string()
        } else {
            format!("被 {} 选中", names(&d.policies))
        };
        format!(
            "{}：{} — {who}",
            match direction {
                Direction::Egress => "出站",
                Direction::Ingress => "入站",
            },
            if d.allowed { "允许" } else { "拒绝" }
        )
    }

    fn admitted_by(&self, policies: &[PolicyRef]) -> String {
        format!("放行它的网络策略：{}", names(policies))
    }

    fn rejection(&self, r: &Rejection) -> String {
        super::network::rejection(r)
    }
}
