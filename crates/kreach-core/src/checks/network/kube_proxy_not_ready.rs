//! The `kube-proxy-not-ready` check: kube-proxy is missing or not ready on a node the client enters through.
//!
//! Its explanation (what `kreach explain kube-proxy-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/kube-proxy-not-ready/`.

use crate::checks::network::agent_common::problems;
use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::PodState;
use crate::message::network::Evidence;
use crate::nodes::{Agent, kube_proxy_replaced, path_nodes};
use crate::object::{MetaExt, ObjectRef};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// kube-proxy on a node the client enters through is missing or not
    /// ready.
    NotWorking {
        node: String,
        /// The kube-proxy pod's state; None: no kube-proxy pod on the
        /// node.
        state: Option<PodState>,
    },
}

declare_check! {
    /// ## What it checks
    /// kube-proxy on the nodes the client enters through (a node address,
    /// the nodes of a NodePort): its pod exists there, is Running and
    /// Ready. Skipped where a kube-proxy replacement (Cilium's) is found and
    /// on distributions that embed the proxy in their own daemon (k3s,
    /// microk8s).
    ///
    /// ## Why it breaks reachability
    /// kube-proxy programs the node's iptables / IPVS / nftables rules that
    /// turn a NodePort or Service address into a pod address. On a node
    /// where it does not run, new or changed Services are not programmed
    /// and connections are refused or go to stale endpoints.
    ///
    /// ## How to fix
    /// Read the kube-proxy pod's logs (a bad ConfigMap, an unsupported proxy
    /// mode, missing kernel modules) and fix its configuration.
    ///
    /// ## Example
    /// `kubectl -n kube-system logs kube-proxy-jp6cs --previous`
    pub static CHECK = {
        name: "kube-proxy-not-ready",
        layer: Network,
        needs: State,
        blocks: Yes,
        decides: [Service, NodePort],
        reads: [Pod, DaemonSet],
        uses: [ConfigMap, Event, Node],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "kube-proxy is missing or not ready on a node the client enters through",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if kube_proxy_replaced(cx.snap).is_some() {
        return;
    }
    for i in 0..cx.res.paths.len() {
        let nodes = path_nodes(cx, i).entry;
        if nodes.is_empty() {
            continue;
        }
        let bad = problems(cx, |a| a == Agent::KubeProxy, &nodes);
        for pr in &bad {
            if let Some(f) = out.iter_mut().find(|f| f.object == pr.object) {
                if !f.paths.contains(&i) {
                    f.paths.push(i);
                }
                continue;
            }
            let mut f = Finding::new(
                &CHECK,
                pr.object.clone(),
                Problem::NotWorking {
                    node: pr.node.clone(),
                    state: pr.state.clone(),
                },
            )
            .evidence(Evidence::EntryNodeOfPath {
                node: pr.node.clone(),
            });
            if let Some(p) = pr.pod {
                f = f.evidence_all(pod_events(cx.snap, p, &[], 3));
                for cs in p
                    .status
                    .iter()
                    .flat_map(|s| s.container_statuses.iter().flatten())
                {
                    if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                        f = f.evidence(Evidence::LastExit {
                            exit_code: t.exit_code,
                            reason: t.reason.clone(),
                        });
                    }
                }
                f = f.fix(format!(
                    "kubectl -n {} logs {} --previous",
                    p.ns(),
                    p.name()
                ));
            } else {
                f = f.fix(format!("kubectl -n kube-system get pods -o wide -l k8s-app=kube-proxy --field-selector spec.nodeName={}", pr.node));
            }
            if let Some(mode) = crate::netinfo::kube_proxy_setting(cx.snap, "mode") {
                f = f.evidence(Evidence::KubeProxyMode { mode });
            }
            if bad.len() < nodes.len() {
                f = f.partial().evidence(Evidence::EntryNodesAffected {
                    affected: bad.len(),
                    total: nodes.len(),
                });
            }
            out.push(
                f.related([ObjectRef::cluster(crate::Kind::Node, &pr.node)])
                    .on_paths(vec![i]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
