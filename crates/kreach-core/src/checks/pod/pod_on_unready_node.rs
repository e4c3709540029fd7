//! The `pod-on-unready-node` check: a pod runs on a node that is NotReady or Unknown.
//!
//! Its explanation (what `kreach explain pod-on-unready-node` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-on-unready-node/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::pod::{Evidence, Transition};
use crate::object::{MetaExt, ObjectRef};
use crate::workload::node_name;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The pod's node has a `Ready` condition that is not `True`.
    OnUnreadyNode {
        node: String,
        /// The condition's status: `False` (NotReady) or `Unknown`.
        ready_status: String,
        /// When the condition last changed, when it says.
        since: Option<Transition>,
    },
}

declare_check! {
    /// ## What it checks
    /// A pod behind the target runs on a Node whose `Ready` condition is
    /// `False` or `Unknown`.
    ///
    /// ## Why it breaks reachability
    /// When a kubelet stops reporting, the node controller marks its pods
    /// not ready and they leave the endpoints; if the node is really down,
    /// nothing on it answers. Pods are only evicted after the toleration
    /// period (5 minutes by default), and not at all with a nodeSelector
    /// that pins them there.
    ///
    /// ## How to fix
    /// Bring the node back (kubelet, container runtime, network), or let the
    /// pods run elsewhere (drain the node, relax the nodeSelector / affinity).
    ///
    /// ## Example
    /// `kubectl describe node node-3` shows `Ready Unknown NodeStatusUnknown
    /// Kubelet stopped posting node status`.
    pub static CHECK = {
        name: "pod-on-unready-node",
        layer: Pod,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [Pod, Node],
        uses: [Event],
        explained_by: [],
        summary: "a pod runs on a node that is NotReady or Unknown",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        let Some(nn) = node_name(pod) else { continue };
        let Some(node) = cx.snap.node(nn) else {
            continue;
        };
        let Some(ready) = node
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        else {
            continue;
        };
        if ready.status == "True" {
            continue;
        }
        let pr = cx.pod_ref(pod);
        let since = ready.last_transition_time.as_ref().map(|t| Transition {
            at: t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ago: Seconds::between(t.0, cx.now()),
        });
        let f = Finding::new(
            &CHECK,
            pr.clone(),
            Problem::OnUnreadyNode {
                node: nn.to_string(),
                ready_status: ready.status.clone(),
                since,
            },
        )
        .evidence(Evidence::NodeReadyCondition {
            node: nn.to_string(),
            status: ready.status.clone(),
            reason: ready.reason.clone(),
            message: ready.message.clone(),
        })
        .fix(format!("kubectl describe node {nn}"))
        .fix(format!(
            "kubectl -n {} get pods -o wide --field-selector spec.nodeName={nn}",
            pod.ns()
        ))
        .blocking(blocks)
        .related([pr, ObjectRef::cluster(crate::Kind::Node, nn)]);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
