//! The `node-not-ready` check: an entry node is NotReady, or a node of the path has NetworkUnavailable.
//!
//! Its explanation (what `kreach explain node-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/node-not-ready/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::network::Evidence;
use crate::nodes::{node_condition, path_nodes};
use crate::object::ObjectRef;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A node the client enters through is not Ready.
    EntryNodeNotReady {
        node: String,
        /// The `Ready` condition's status: `False`, or `Unknown` (the
        /// node stopped reporting).
        status: String,
    },
    /// A node of the path reports `NetworkUnavailable=True`.
    NetworkUnavailable { node: String },
}

declare_check! {
    /// ## What it checks
    /// The nodes the client addresses (a node address, the nodes of a
    /// NodePort) are Ready, and no node of the path (entry node or pod host)
    /// reports `NetworkUnavailable=True`. A pod host that is NotReady is
    /// reported as `pod-on-unready-node` instead; nodes behind a load
    /// balancer are not entry nodes (its health checks route around them).
    ///
    /// ## Why it breaks reachability
    /// A NotReady/Unknown node may be down or cut off: a client that uses its
    /// address gets no answer. `NetworkUnavailable` means the node's network
    /// (routes, CNI) is not set up, so nothing crosses it.
    ///
    /// ## How to fix
    /// Use another node's address (or a load balancer) now; bring the node
    /// back (kubelet, runtime, network).
    ///
    /// ## Example
    /// `kubectl describe node node-2` shows `Ready Unknown NodeStatusUnknown`.
    pub static CHECK = {
        name: "node-not-ready",
        layer: Network,
        needs: State,
        blocks: Yes,
        decides: [NodePort, Pod],
        reads: [Node],
        uses: [Pod, Event],
        explained_by: [],
        summary: "an entry node is NotReady, or a node of the path has NetworkUnavailable",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for i in 0..cx.res.paths.len() {
        let pn = path_nodes(cx, i);
        let mut all = pn.entry.clone();
        all.extend(pn.hosts.iter().cloned());
        all.sort();
        all.dedup();
        for name in &all {
            let Some(node) = cx.snap.node(name) else {
                continue;
            };
            let is_entry = pn.entry.contains(name);
            let ready = node_condition(node, "Ready");
            let not_ready = ready.is_some_and(|c| c.status != "True");
            let net = node_condition(node, "NetworkUnavailable").filter(|c| c.status == "True");
            if !(is_entry && not_ready) && net.is_none() {
                continue;
            }
            let object = ObjectRef::cluster(crate::Kind::Node, name);
            if let Some(f) = out.iter_mut().find(|f| f.object == object) {
                if !f.paths.contains(&i) {
                    f.paths.push(i);
                }
                continue;
            }
            let fmt = |c: &k8s_openapi::api::core::v1::NodeCondition| Evidence::NodeCondition {
                type_: c.type_.clone(),
                status: c.status.clone(),
                since: c
                    .last_transition_time
                    .as_ref()
                    .map(|t| t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                reason: c.reason.clone(),
                message: c.message.clone(),
            };
            let message = match (is_entry && not_ready, net, ready) {
                (true, _, Some(r)) => Problem::EntryNodeNotReady {
                    node: name.clone(),
                    status: r.status.clone(),
                },
                (false, Some(_), _) => Problem::NetworkUnavailable { node: name.clone() },
                _ => continue,
            };
            let mut f = Finding::new(&CHECK, object.clone(), message);
            if let Some(c) = ready {
                f = f.evidence(fmt(c));
            }
            if let Some(c) = net {
                f = f.evidence(fmt(c));
            }
            if is_entry && pn.entry.len() > 1 && net.is_none() {
                f = f.partial().evidence(Evidence::OtherEntryNodesRemain {
                    count: pn.entry.len() - 1,
                });
            } else if !is_entry && ready_elsewhere(cx, i, name) {
                // A pod host cut off while ready pods run on other nodes.
                f = f.partial().evidence(Evidence::ReadyEndpointsOnOtherNodes);
            }
            f = f.fix(format!("kubectl describe node {name}"));
            out.push(f.on_paths(vec![i]));
        }
    }
}

/// Whether path `i` has a ready backend pod on a node other than `node`.
fn ready_elsewhere(cx: &Context<'_>, i: usize, node: &str) -> bool {
    cx.res.paths[i]
        .pods
        .iter()
        .filter_map(|r| cx.snap.pod(r.ns(), &r.name))
        .any(|p| {
            crate::workload::is_ready(p) && crate::workload::node_name(p).is_some_and(|n| n != node)
        })
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
