//! The `pod-not-ready` check: a pod is Running but not Ready (readiness probe failing).
//!
//! Its explanation (what `kreach explain pod-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-not-ready/`.

use crate::checks::util::{describe_probe, pod_events};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::object::MetaExt;
use crate::workload::{age, condition, containers, is_terminating, phase};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
        let statuses = pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.clone())
            .unwrap_or_default();
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
            .map(|t| format!(" for {}", age(t.0, cx.now())))
            .unwrap_or_default();
        let mut f = Finding::new(
            &CHECK,
            pr.clone(),
            format!(
                "pod is Running but not Ready{since} (container{} {} not ready)",
                if not_ready.len() == 1 { "" } else { "s" },
                if not_ready.is_empty() {
                    "-".to_string()
                } else {
                    not_ready.join(", ")
                }
            ),
        );
        if let Some(r) = &ready.reason {
            f = f.evidence(format!(
                "Ready=False: {r}{}",
                ready
                    .message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ));
        }
        for c in containers(pod)
            .iter()
            .filter(|c| not_ready.contains(&c.name.as_str()))
        {
            match &c.readiness_probe {
                Some(p) => {
                    f = f.evidence(format!(
                        "readiness probe of {}: {}",
                        c.name,
                        describe_probe(p)
                    ))
                }
                None => f = f.evidence(format!("container {} has no readiness probe", c.name)),
            }
        }
        let events = pod_events(cx.snap, pod, &["Unhealthy"], 5);
        let readiness: Vec<_> = events
            .iter()
            .filter(|e| e.message.starts_with("Readiness probe"))
            .take(2)
            .collect();
        f = f.evidence_all(readiness.iter().map(|e| e.summary()));
        if readiness.is_empty() {
            f = f.evidence("no readiness-probe events recorded (events expire after an hour)");
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
