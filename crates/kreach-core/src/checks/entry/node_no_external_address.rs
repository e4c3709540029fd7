//! The `node-no-external-address` check: NodePorts are used but no node has an ExternalIP.
//!
//! Its explanation (what `kreach explain node-no-external-address` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/node-no-external-address/`.

use std::net::IpAddr;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::{Evidence, NodeAddress};
use crate::object::MetaExt;
use crate::object::{ServiceExt, ServiceType};
use crate::path::Via;
use crate::workload::node_addresses;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service is reached through NodePorts, and no node has an
    /// `ExternalIP`.
    NoNodeExternalIp,
}

declare_check! {
    /// ## What it checks
    /// A NodePort entry is on the path and no node has an `ExternalIP`
    /// address.
    ///
    /// ## Why it breaks reachability
    /// A NodePort is opened on the nodes' own addresses. When they only have
    /// private InternalIPs, a client on the internet cannot reach any of
    /// them. It blocks when `--from` is a public address and NodePorts are
    /// the only entries; otherwise it is a warning (the client may reach the
    /// InternalIPs over a VPN or peering).
    ///
    /// ## How to fix
    /// Give the Service a load balancer (`type: LoadBalancer`) or route it
    /// through an Ingress; or give the nodes public addresses.
    ///
    /// ## Example
    /// `kubectl -n shop patch service web -p '{"spec":{"type":"LoadBalancer"}}'`
    pub static CHECK = {
        name: "node-no-external-address",
        layer: Entry,
        needs: State,
        blocks: Maybe,
        decides: [NodePort],
        reads: [Node, Service],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "NodePorts are used but no node has an ExternalIP",
        run: run,
    };
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            !(v.is_private()
                || v.is_loopback()
                || v.is_link_local()
                || v.is_unspecified()
                || (v.octets()[0] == 100 && (64..128).contains(&v.octets()[1])))
        }
        IpAddr::V6(v) => {
            !(v.is_loopback()
                || v.is_unspecified()
                || (v.segments()[0] & 0xfe00) == 0xfc00
                || (v.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.snap.nodes.is_empty() {
        return;
    }
    let external: Vec<&str> = cx
        .snap
        .nodes
        .iter()
        .flat_map(|n| node_addresses(n, crate::object::AddressType::ExternalIP))
        .collect();
    if !external.is_empty() {
        return;
    }
    let only_nodeports = cx.res.paths.iter().all(|p| p.via == Via::NodePort);
    for e in cx.entry_services() {
        if e.via != Via::NodePort || e.for_ingress {
            continue;
        }
        // A LoadBalancer Service's NodePorts are its load balancer's
        // backends, not what clients use (unless asked with --via nodeport).
        let lb_type = e.svc.service_type() == ServiceType::LoadBalancer;
        if lb_type && cx.opts.via != Some(Via::NodePort) {
            continue;
        }
        // A node address target: the client already uses a node address.
        if matches!(
            cx.target,
            crate::target::Target::Address { .. } | crate::target::Target::Url { .. }
        ) && e.address.is_some()
        {
            continue;
        }
        let public_client = cx.opts.from.is_some_and(is_public);
        let blocks = public_client && only_nodeports;
        let internal: Vec<NodeAddress> = cx
            .snap
            .nodes
            .iter()
            .flat_map(|n| {
                node_addresses(n, crate::object::AddressType::InternalIP).map(move |a| {
                    NodeAddress {
                        node: n.name().to_string(),
                        address: a.to_string(),
                    }
                })
            })
            .collect();
        let mut f = Finding::new(&CHECK, e.sref.clone(), Problem::NoNodeExternalIp)
            .evidence(Evidence::InternalIpsOnly {
                addresses: internal,
            })
            .blocking(blocks)
            .on_paths(e.paths.clone());
        f = match cx.opts.from {
            Some(ip) if public_client => f.evidence(Evidence::ClientOnInternet { client: ip }),
            Some(ip) => f.evidence(Evidence::ClientOnPrivateNetwork { client: ip }),
            None => f.evidence(Evidence::ClientAddressUnknown),
        };
        f = f.fix(format!(
            "kubectl -n {} patch service {} -p '{{\"spec\":{{\"type\":\"LoadBalancer\"}}}}'",
            e.svc.ns(),
            e.svc.name()
        ));
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
