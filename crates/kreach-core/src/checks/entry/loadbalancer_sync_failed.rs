//! The `loadbalancer-sync-failed` check: the newest load-balancer sync of the Service failed.
//!
//! Its explanation (what `kreach explain loadbalancer-sync-failed` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-sync-failed/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::{MetaExt, obj_ref};
use crate::path::Via;
use crate::resolve::lb_addresses;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The newest load-balancer event of the Service is a failure.
    NewestSyncFailed {
        /// The event's reason (`SyncLoadBalancerFailed`, …).
        reason: String,
    },
}

declare_check! {
    /// ## What it checks
    /// A load-balancer Service that has an address, whose newest
    /// load-balancer event is a failure (`SyncLoadBalancerFailed`,
    /// `UpdateLoadBalancerFailed`, …). A later successful sync
    /// (`EnsuredLoadBalancer`, `UpdatedLoadBalancer`) supersedes it.
    ///
    /// ## Why it breaks reachability
    /// It may not yet: the load balancer keeps its last good configuration,
    /// but the latest change to the Service (new ports, source ranges,
    /// health-check settings, node changes) has not reached it, so the cloud
    /// and the cluster disagree.
    ///
    /// ## How to fix
    /// Read the error in the event (permissions, quotas, annotations the
    /// cloud rejects) and correct it; the controller retries by itself.
    ///
    /// ## Example
    /// `kubectl -n shop get events --field-selector involvedObject.name=web,reason=SyncLoadBalancerFailed`
    pub static CHECK = {
        name: "loadbalancer-sync-failed",
        layer: Entry,
        needs: State,
        blocks: No,
        decides: [LoadBalancer],
        reads: [Service, Event],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the newest load-balancer sync of the Service failed",
        run: run,
    };
}

const OK: &[&str] = &[
    "EnsuredLoadBalancer",
    "UpdatedLoadBalancer",
    "IPAllocated",
    "nodeAssigned",
];

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer || lb_addresses(e.svc).is_empty() {
            continue;
        }
        let events = cx.snap.events_for(&obj_ref(e.svc));
        let lb: Vec<_> = events
            .iter()
            .filter(|ev| {
                ev.reason.contains("LoadBalancer")
                    || OK.contains(&ev.reason.as_str())
                    || ev.reason.contains("AllocationFailed")
            })
            .collect();
        let Some(newest) = lb
            .iter()
            .find(|ev| !ev.reason.starts_with("Ensuring") && !ev.reason.starts_with("Updating"))
        else {
            continue;
        };
        if !newest.is_warning() && !newest.reason.contains("Failed") {
            continue;
        }
        let f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::NewestSyncFailed {
                reason: newest.reason.clone(),
            },
        )
        .evidence_all(lb.iter().take(4).map(|ev| **ev))
        .evidence(Evidence::KeepsLastGoodConfiguration)
        .fix(format!(
            "kubectl -n {} describe service {}",
            e.svc.ns(),
            e.svc.name()
        ))
        .on_paths(e.paths.clone());
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
