//! The `cni-not-ready` check: the CNI agent is missing or not ready on a node of the path.
//!
//! Its explanation (what `kreach explain cni-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/cni-not-ready/`.

use crate::checks::network::agent_common::problems;
use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::PodState;
use crate::message::network::Evidence;
use crate::nodes::{Agent, path_nodes};
use crate::object::{MetaExt, ObjectRef};
use crate::workload::{is_ready, node_name};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The CNI agent on a node of the path is missing or not ready.
    AgentNotWorking {
        /// The agent (`calico-node`, `cilium`, …).
        agent: String,
        node: String,
        /// The agent pod's state; None: no agent pod on the node.
        state: Option<PodState>,
    },
}

declare_check! {
    /// ## What it checks
    /// The CNI agent (calico-node, canal, kube-flannel, cilium, weave-net,
    /// antrea-agent, kube-router, aws-node, kube-ovn-cni) on the nodes of
    /// the path — the hosts of the pods the traffic reaches and the nodes
    /// the client enters through — exists and is Ready.
    ///
    /// ## Why it breaks reachability
    /// The agent wires pods into the network and keeps routes / tunnels to
    /// the other nodes. When it is down, pods on that node become
    /// unreachable from elsewhere (and new pods there get no network), while
    /// everything in the API still looks healthy. With endpoints elsewhere
    /// the Service keeps working for part of the requests (degraded).
    ///
    /// ## How to fix
    /// Read the agent's logs and readiness output (BGP peers, the tunnel
    /// interface, IP pool exhaustion, a host firewall) and fix the node.
    ///
    /// ## Example
    /// `kubectl -n kube-system logs calico-node-ndrdb -c calico-node`
    pub static CHECK = {
        name: "cni-not-ready",
        layer: Network,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [Pod, DaemonSet, Node],
        uses: [Event],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the CNI agent is missing or not ready on a node of the path",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for i in 0..cx.res.paths.len() {
        let pn = path_nodes(cx, i);
        let mut nodes = pn.hosts.clone();
        for e in &pn.entry {
            if !nodes.contains(e) {
                nodes.push(e.clone());
            }
        }
        if nodes.is_empty() {
            continue;
        }
        let bad = problems(cx, |a| matches!(a, Agent::Cni(_)), &nodes);
        if bad.is_empty() {
            continue;
        }
        // Whole when every ready backend pod sits on an affected node.
        let path = &cx.res.paths[i];
        let ready_hosts: Vec<String> = path
            .pods
            .iter()
            .filter_map(|r| cx.snap.pod(r.ns(), &r.name))
            .filter(|p| is_ready(p))
            .filter_map(|p| node_name(p).map(str::to_string))
            .collect();
        let all_cut =
            !ready_hosts.is_empty() && ready_hosts.iter().all(|h| bad.iter().any(|b| &b.node == h));
        for pr in &bad {
            if let Some(f) = out.iter_mut().find(|f| f.object == pr.object) {
                if !f.paths.contains(&i) {
                    f.paths.push(i);
                }
                continue;
            }
            let pods_here: Vec<String> = path
                .pods
                .iter()
                .filter_map(|r| cx.snap.pod(r.ns(), &r.name))
                .filter(|p| node_name(p) == Some(pr.node.as_str()))
                .map(|p| p.name().to_string())
                .collect();
            let mut f = Finding::new(
                &CHECK,
                pr.object.clone(),
                Problem::AgentNotWorking {
                    agent: pr.what.clone(),
                    node: pr.node.clone(),
                    state: pr.state.clone(),
                },
            );
            if !pods_here.is_empty() {
                f = f.evidence(Evidence::PodsCutOff {
                    node: pr.node.clone(),
                    pods: pods_here.clone(),
                });
            }
            if let Some(p) = pr.pod {
                for c in p
                    .status
                    .iter()
                    .flat_map(|s| s.conditions.iter().flatten())
                    .filter(|c| c.type_ == "Ready" && c.status != "True")
                {
                    f = f.evidence(Evidence::PodCondition {
                        type_: c.type_.clone(),
                        status: c.status.clone(),
                        since: c
                            .last_transition_time
                            .as_ref()
                            .map(|t| t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                        message: c.message.clone(),
                    });
                }
                f = f.evidence_all(pod_events(cx.snap, p, &["Unhealthy", "BackOff"], 2));
                f = f.fix(format!("kubectl -n {} logs {}", p.ns(), p.name()));
                f = f.fix(format!("kubectl -n {} describe pod {}", p.ns(), p.name()));
            }
            if !all_cut {
                f = f.partial().evidence(Evidence::OtherNodesServe);
            }
            let cut: Vec<ObjectRef> = pods_here
                .iter()
                .map(|n| ObjectRef::namespaced(crate::Kind::Pod, path.pods[0].ns(), n))
                .collect();
            out.push(
                f.related([
                    ObjectRef::cluster(crate::Kind::Node, &pr.node),
                    ObjectRef::cluster(crate::object::RefKind::NodeNetwork, &pr.node),
                ])
                .related(cut)
                .on_paths(vec![i]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
