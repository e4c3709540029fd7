//! The `pod-pending` check: a pod behind the target is Pending (unschedulable, image pull, sandbox).
//!
//! Its explanation (what `kreach explain pod-pending` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-pending/`.

use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::pod::Evidence;
use crate::object::{MetaExt, ObjectRef};
use crate::workload::{condition, is_terminating, node_name, phase};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The pod is `Pending`.
    Pending {
        /// Since the pod was created, when it says.
        since: Option<Seconds>,
        /// The first reason found; the others are evidence.
        cause: Cause,
    },
}

/// Why a pod is pending, as the headline of a [`Problem::Pending`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Cause {
    /// Its `PodScheduled` condition is not `True`.
    NotScheduled {
        /// The condition's reason (`Unschedulable` when it gives none).
        reason: String,
        message: Option<String>,
    },
    /// A container (or init container) waits.
    ContainerWaiting {
        container: String,
        reason: Option<String>,
        message: Option<String>,
    },
    /// No condition or container says why; the newest event does.
    Event { reason: String, message: String },
    /// Nothing says why.
    NoReason,
}

declare_check! {
    /// ## What it checks
    /// A pod behind the target is `Pending`: not scheduled (resources,
    /// affinity, taints), its images cannot be pulled, or its sandbox cannot
    /// be created (`ContainerCreating` stuck on CNI errors).
    ///
    /// ## Why it breaks reachability
    /// A pending pod never becomes an endpoint. When every pod of the
    /// Service is pending, nothing serves the traffic.
    ///
    /// ## How to fix
    /// Act on the reason: free or add capacity, fix the node selector or
    /// tolerations, fix the image name or pull secret; sandbox and CNI errors
    /// point at the node's network agent.
    ///
    /// ## Example
    /// `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector`:
    /// `kubectl -n shop describe pod web-54db997966-6wssk`
    pub static CHECK = {
        name: "pod-pending",
        layer: Pod,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [Pod, Service],
        uses: [Event],
        explained_by: [
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::cni_not_ready::CHECK => SameNodeNetwork,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a pod behind the target is Pending (unschedulable, image pull, sandbox)",
        run: run,
    };
}

/// A pod still creating after this long is stuck.
const STUCK_SECS: i64 = 120;

/// Event reasons that say why a pod does not start.
const REASONS: &[&str] = &[
    "FailedScheduling",
    "Failed",
    "FailedCreatePodSandBox",
    "FailedMount",
    "FailedAttachVolume",
    "BackOff",
    "ErrImagePull",
    "ImagePullBackOff",
    "InspectFailed",
    "FailedKillPodSandbox",
    "NetworkNotReady",
];

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        if phase(pod) != "Pending" || is_terminating(pod) {
            continue;
        }
        let pr = cx.pod_ref(pod);
        // A pod seconds into its start is not stuck yet: it needs a reason
        // (unschedulable, an error while waiting) or some age.
        let unscheduled = condition(pod, "PodScheduled").is_some_and(|c| c.status != "True");
        let erroring = pod
            .status
            .iter()
            .flat_map(|s| {
                s.init_container_statuses
                    .iter()
                    .flatten()
                    .chain(s.container_statuses.iter().flatten())
            })
            .filter_map(|cs| cs.state.as_ref()?.waiting.as_ref()?.reason.clone())
            .any(|r| !matches!(r.as_str(), "ContainerCreating" | "PodInitializing"));
        let age_secs = pod
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or(i64::MAX, |t| cx.now().as_second() - t.0.as_second());
        if !unscheduled && !erroring && age_secs < STUCK_SECS {
            continue;
        }
        let mut reasons: Vec<Cause> = Vec::new();
        if let Some(c) = condition(pod, "PodScheduled").filter(|c| c.status != "True") {
            reasons.push(Cause::NotScheduled {
                reason: c.reason.clone().unwrap_or_else(|| "Unschedulable".into()),
                message: c.message.clone(),
            });
        }
        for cs in pod.status.iter().flat_map(|s| {
            s.init_container_statuses
                .iter()
                .flatten()
                .chain(s.container_statuses.iter().flatten())
        }) {
            if let Some(w) = cs.state.as_ref().and_then(|s| s.waiting.as_ref()) {
                reasons.push(Cause::ContainerWaiting {
                    container: cs.name.clone(),
                    reason: w.reason.clone(),
                    message: w.message.clone(),
                });
            }
        }
        let events = pod_events(cx.snap, pod, REASONS, 3);
        let sandbox = events.iter().any(|e| {
            e.reason == "FailedCreatePodSandBox"
                || e.reason == "NetworkNotReady"
                || e.message.contains("CNI")
                || e.message.contains("network plugin")
        });
        let cause = reasons.first().cloned().unwrap_or_else(|| {
            events
                .first()
                .map(|e| Cause::Event {
                    reason: e.reason.clone(),
                    message: e.message.trim().to_string(),
                })
                .unwrap_or(Cause::NoReason)
        });
        let since = pod
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| Seconds::between(t.0, cx.now()));
        let mut f = Finding::new(&CHECK, pr.clone(), Problem::Pending { since, cause })
            .evidence_all(reasons.into_iter().skip(1).filter_map(Cause::evidence))
            .evidence_all(events.iter().copied())
            .fix(format!(
                "kubectl -n {} describe pod {}",
                pod.ns(),
                pod.name()
            ))
            .blocking(blocks)
            .related([pr]);
        if let Some(n) = node_name(pod) {
            f = f.related([ObjectRef::cluster(crate::Kind::Node, n)]);
            if sandbox {
                // Links the finding to the node's CNI agent (cni-not-ready).
                f = f
                    .related([ObjectRef::cluster(crate::object::RefKind::NodeNetwork, n)])
                    .evidence(Evidence::SandboxErrors {
                        node: n.to_string(),
                    });
            }
        }
        out.push(f);
    }
}

impl Cause {
    /// A further reason, as a line of evidence.
    fn evidence(self) -> Option<Evidence> {
        match self {
            Cause::NotScheduled { reason, message } => {
                Some(Evidence::NotScheduled { reason, message })
            }
            Cause::ContainerWaiting {
                container,
                reason,
                message,
            } => Some(Evidence::ContainerWaiting {
                container,
                reason,
                message,
            }),
            Cause::Event { .. } | Cause::NoReason => None,
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
