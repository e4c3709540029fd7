//! The `pod-not-ready` check: a pod is Running but not Ready (readiness probe failing).
//!
//! Its explanation (what `kreach explain pod-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-not-ready/`.

use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::pod::{Evidence, ProbeKind, ProbeSpec};
use crate::object::MetaExt;
use crate::workload::{condition, is_terminating, phase};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The pod is `Running` (every container runs) but its `Ready`
    /// condition is not `True`.
    RunningNotReady {
        /// Since the `Ready` condition last changed, when it says.
        since: Option<Seconds>,
        /// The containers that are not ready, in status order (may be
        /// empty: the node controller marked the pod not ready).
        containers: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A pod behind the target is `Running` with all containers started, but
    /// its `Ready` condition is `False`: usually a failing readiness probe.
    ///
    /// ## Why it breaks reachability
    /// Not-ready pods are published with `ready: false` and get no traffic.
    /// When no pod of the Service is ready, nothing answers.
    ///
    /// ## How to fix
    /// Read the probe failures in the pod's events (`Readiness probe failed:
    /// …`) and compare the probe (path, port, timeout) with what the app
    /// serves; fix the app's dependency or the probe.
    ///
    /// ## Example
    /// `Readiness probe failed: Get "http://10.244.1.23:8080/healthz": context deadline exceeded`:
    /// `kubectl -n shop describe pod web-5447955fbc-wsmxl`
    pub static CHECK = {
        name: "pod-not-ready",
        layer: Pod,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [Pod, Service],
        uses: [Event],
        explained_by: [
            crate::checks::pod::pod_probe_port_mismatch::CHECK => SameObject,
            crate::checks::pod::pod_liveness_failing::CHECK => SameObject,
            crate::checks::pod::pod_terminating::CHECK => SameObject,
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a pod is Running but not Ready (readiness probe failing)",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        if phase(pod) != "Running" || is_terminating(pod) {
            continue;
        }
        let Some(ready) = condition(pod, "Ready") else {
            continue;
        };
        if ready.status == "True" {
            continue;
        }
        let statuses = crate::workload::long_running_statuses(pod);
        // Crashing containers are pod-crash-looping's; here every container runs.
        if statuses
            .iter()
            .any(|c| c.state.as_ref().is_none_or(|s| s.running.is_none()))
        {
            continue;
        }
        let pr = cx.pod_ref(pod);
        let not_ready: Vec<&str> = statuses
            .iter()
            .filter(|c| !c.ready)
            .map(|c| c.name.as_str())
            .collect();
        let since = ready
            .last_transition_time
            .as_ref()
            .map(|t| Seconds::between(t.0, cx.now()));
        let mut f = Finding::new(
            &CHECK,
            pr.clone(),
            Problem::RunningNotReady {
                since,
                containers: not_ready.iter().map(|c| c.to_string()).collect(),
            },
        );
        if let Some(r) = &ready.reason {
            f = f.evidence(Evidence::NotReadyCondition {
                reason: r.clone(),
                message: ready.message.clone(),
            });
        }
        for c in crate::workload::long_running(pod)
            .iter()
            .map(|r| r.container)
            .filter(|c| not_ready.contains(&c.name.as_str()))
        {
            f = f.evidence(match &c.readiness_probe {
                Some(p) => Evidence::ContainerProbe {
                    probe: ProbeKind::Readiness,
                    container: c.name.clone(),
                    spec: ProbeSpec::of(p),
                },
                None => Evidence::NoProbe {
                    probe: ProbeKind::Readiness,
                    container: c.name.clone(),
                },
            });
        }
        let events = pod_events(cx.snap, pod, &["Unhealthy"], 5);
        let readiness: Vec<_> = events
            .iter()
            .filter(|e| e.message.starts_with("Readiness probe"))
            .take(2)
            .collect();
        f = f.evidence_all(readiness.iter().map(|e| **e));
        if readiness.is_empty() {
            f = f.evidence(Evidence::NoReadinessEvents);
        }
        f = f
            .fix(format!(
                "kubectl -n {} describe pod {}",
                pod.ns(),
                pod.name()
            ))
            .fix(format!("kubectl -n {} logs {}", pod.ns(), pod.name()))
            .about_pod(pod, blocks);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
