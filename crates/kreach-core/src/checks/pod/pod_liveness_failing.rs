//! The `pod-liveness-failing` check: a container is restarted because its liveness probe fails.
//!
//! Its explanation (what `kreach explain pod-liveness-failing` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-liveness-failing/`.

use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::pod::{Evidence, ProbeKind, ProbeSpec};
use crate::object::MetaExt;
use crate::workload::is_terminating;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Liveness probe failures restart the pod's containers.
    LivenessRestarts {
        /// The restarts of all the pod's containers.
        restarts: i32,
    },
}

declare_check! {
    /// ## What it checks
    /// A container of a pod behind the target restarts because its liveness
    /// probe fails: `Liveness probe failed` events, or kubelet's `Killing`
    /// event "failed liveness probe, will be restarted".
    ///
    /// ## Why it breaks reachability
    /// Each failure kills the container; a probe that is too strict for the
    /// app under load (short timeout, failureThreshold 1) turns slowness into
    /// a crash loop, and the pod is out of the endpoints most of the time.
    ///
    /// ## How to fix
    /// Make the probe fit the app: a longer `timeoutSeconds`, a higher
    /// `failureThreshold`, a `startupProbe` for slow starts, or a cheaper
    /// health endpoint.
    ///
    /// ## Example
    /// `kubectl -n shop patch deployment web --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/livenessProbe/timeoutSeconds","value":5}]'`
    pub static CHECK = {
        name: "pod-liveness-failing",
        layer: Pod,
        needs: State,
        blocks: Maybe,
        decides: [Pod],
        // The Events are the finding itself (restarts alone do not say
        // what killed the container): unread, the check is unknown where
        // there is a restart to explain.
        reads: [Pod, Event],
        uses: [],
        applies: restarts_under_a_liveness_probe,
        explained_by: [
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a container is restarted because its liveness probe fails",
        run: run,
    };
}

/// Where it applies: a pod hop whose pod has a liveness probe and has
/// restarted (otherwise there is nothing for the Events to explain).
fn restarts_under_a_liveness_probe(snap: &crate::Snapshot, hop: &crate::path::Hop) -> bool {
    snap.pod(hop.object.ns(), &hop.object.name)
        .is_some_and(|pod| {
            // App containers and native sidecars alike.
            crate::workload::long_running(pod)
                .iter()
                .any(|r| r.container.liveness_probe.is_some())
                && crate::workload::long_running_statuses(pod)
                    .iter()
                    .any(|c| c.restart_count > 0)
        })
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        if is_terminating(pod) {
            continue;
        }
        let events = pod_events(cx.snap, pod, &["Unhealthy", "Killing"], 20);
        let liveness: Vec<_> = events
            .iter()
            .filter(|e| {
                e.message.starts_with("Liveness probe")
                    || e.message.contains("failed liveness probe")
            })
            .collect();
        // App containers and native sidecars alike.
        let statuses = crate::workload::long_running_statuses(pod);
        let restarts: i32 = statuses.iter().map(|c| c.restart_count).sum();
        // A restart is the probe's doing when kubelet says so (Killing
        // "failed liveness probe"), or when failures reached the probe's
        // failureThreshold and the container was not OOM-killed.
        let killed = liveness.iter().any(|e| e.reason == "Killing");
        let threshold = crate::workload::long_running(pod)
            .iter()
            .map(|r| r.container)
            .filter_map(|c| c.liveness_probe.as_ref())
            .map(|p| p.failure_threshold.unwrap_or(3))
            .min()
            .unwrap_or(3);
        let failures: i32 = liveness
            .iter()
            .filter(|e| e.reason == "Unhealthy")
            .map(|e| e.count)
            .max()
            .unwrap_or(0);
        let oom = statuses
            .iter()
            .filter_map(|c| c.last_state.as_ref()?.terminated.as_ref())
            .all(|t| t.reason.as_deref() == Some("OOMKilled"));
        if liveness.is_empty() || restarts == 0 || !(killed || (failures >= threshold && !oom)) {
            continue;
        }
        let pr = cx.pod_ref(pod);
        let mut f = Finding::new(&CHECK, pr.clone(), Problem::LivenessRestarts { restarts });
        for c in crate::workload::long_running(pod)
            .iter()
            .map(|r| r.container)
        {
            if let Some(p) = &c.liveness_probe {
                f = f.evidence(Evidence::ContainerProbe {
                    probe: ProbeKind::Liveness,
                    container: c.name.clone(),
                    spec: ProbeSpec::of(p),
                });
            }
        }
        for cs in &statuses {
            if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                f = f.evidence(Evidence::ContainerLastExit {
                    container: cs.name.clone(),
                    exit_code: t.exit_code,
                    reason: t.reason.clone(),
                });
            }
        }
        f = f
            .evidence_all(liveness.iter().take(3).map(|e| **e))
            .fix(format!(
                "kubectl -n {} describe pod {}",
                pod.ns(),
                pod.name()
            ))
            .about_pod(pod, blocks);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
