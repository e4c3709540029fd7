//! The `pod-terminating` check: pods behind the target are being deleted.
//!
//! Its explanation (what `kreach explain pod-terminating` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-terminating/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::pod::Evidence;
use crate::object::MetaExt;
use crate::workload::{is_terminating, owner_of};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The pod has a deletion timestamp: it is being shut down.
    Terminating,
}

declare_check! {
    /// ## What it checks
    /// Pods behind the target have a deletion timestamp: they are being shut
    /// down.
    ///
    /// ## Why it breaks reachability
    /// A terminating pod is taken out of the ready endpoints at once (it
    /// stays listed as `terminating`). Normally replacements come up first;
    /// when the workload itself is being deleted, or the pods hang in
    /// `Terminating` past their grace period (finalizers, an unreachable
    /// node), nothing replaces them.
    ///
    /// ## How to fix
    /// Find out who deleted the pods or their workload (GitOps pruning,
    /// a scale-down, a node drain); restore the workload, or remove a stuck
    /// finalizer.
    ///
    /// ## Example
    /// `kubectl -n shop get deploy,rs,pods -o wide` shows the Deployment gone
    /// and the pods `Terminating`.
    pub static CHECK = {
        name: "pod-terminating",
        layer: Pod,
        needs: State,
        blocks: Maybe,
        decides: [Pod],
        reads: [Pod, Service],
        uses: [Event, Deployment],
        explained_by: [
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "pods behind the target are being deleted",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        if !is_terminating(pod) {
            continue;
        }
        let pr = cx.pod_ref(pod);
        let del = pod.metadata.deletion_timestamp.as_ref().map(|t| t.0);
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(30);
        let mut f = Finding::new(&CHECK, pr.clone(), Problem::Terminating);
        if let Some(d) = del {
            // deletionTimestamp is when the grace period ends.
            let requested = d.as_second() - grace;
            let now = cx.now().as_second();
            let deletion_timestamp = d.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            f = f.evidence(if now >= d.as_second() {
                Evidence::StuckTerminating {
                    deletion_timestamp,
                    grace_period_seconds: grace,
                    overdue: Seconds::between(d, cx.now()),
                }
            } else {
                Evidence::DeletionRequested {
                    deletion_timestamp,
                    requested: Seconds(now - requested),
                    grace_period_seconds: grace,
                }
            });
        }
        if let Some(fz) = pod.metadata.finalizers.as_ref().filter(|v| !v.is_empty()) {
            f = f.evidence(Evidence::Finalizers {
                finalizers: fz.clone(),
            });
        }
        let owner = owner_of(cx.snap, pod);
        let owner_state = match owner.kind.api() {
            Some(crate::Kind::Deployment) => cx
                .snap
                .deployments
                .iter()
                .find(|d| d.ns() == owner.ns() && d.name() == owner.name)
                .map(|d| d.metadata.deletion_timestamp.is_some()),
            Some(crate::Kind::DaemonSet) => cx
                .snap
                .daemon_sets
                .iter()
                .find(|d| d.ns() == owner.ns() && d.name() == owner.name)
                .map(|d| d.metadata.deletion_timestamp.is_some()),
            Some(crate::Kind::StatefulSet) => cx
                .snap
                .stateful_sets
                .iter()
                .find(|d| d.ns() == owner.ns() && d.name() == owner.name)
                .map(|d| d.metadata.deletion_timestamp.is_some()),
            Some(crate::Kind::ReplicaSet) => cx
                .snap
                .replica_sets
                .iter()
                .find(|d| d.ns() == owner.ns() && d.name() == owner.name)
                .map(|d| d.metadata.deletion_timestamp.is_some()),
            _ => None,
        };
        match owner_state {
            Some(true) => f = f.evidence(Evidence::OwnerDeleting { owner }),
            None if owner.kind != crate::Kind::Pod => f = f.evidence(Evidence::OwnerGone { owner }),
            _ => {}
        }
        f = f
            .fix(format!(
                "kubectl -n {} get pods,replicasets,deployments -o wide",
                pod.ns()
            ))
            .about_pod(pod, blocks);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
