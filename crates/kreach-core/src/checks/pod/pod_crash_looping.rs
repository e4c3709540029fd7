//! The `pod-crash-looping` check: a container keeps crashing and restarting (CrashLoopBackOff).
//!
//! Its explanation (what `kreach explain pod-crash-looping` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-crash-looping/`.

use crate::checks::util::pod_events;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::pod::Evidence;
use crate::object::MetaExt;
use crate::workload::is_terminating;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The container waits in `CrashLoopBackOff`.
    CrashLoopBackOff {
        container: String,
        /// Its `restartCount`.
        restarts: i32,
    },
    /// The container restarted 3 times or more and last ended with a
    /// failure (recently, or it is not ready).
    KeepsRestarting { container: String, restarts: i32 },
}

declare_check! {
    /// ## What it checks
    /// A container of a pod behind the target is in `CrashLoopBackOff`, or
    /// has restarted again and again (3 times or more) and last ended with a
    /// failure.
    ///
    /// ## Why it breaks reachability
    /// A crashing container is not ready, so the pod drops out of the
    /// endpoints, and between restarts nothing listens at all.
    ///
    /// ## How to fix
    /// Read the logs of the previous run (`kubectl logs -p`) and the last
    /// termination reason: `OOMKilled` wants more memory, `Error` with an
    /// exit code is the app failing at start, exit 137 after a liveness
    /// failure is the probe killing it (see `pod-liveness-failing`).
    ///
    /// ## Example
    /// `kubectl -n shop logs web-5447955fbc-wsmxl -c web --previous`
    pub static CHECK = {
        name: "pod-crash-looping",
        layer: Pod,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [Pod, Service],
        uses: [Event],
        explained_by: [
            crate::checks::pod::pod_liveness_failing::CHECK => SameObject,
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a container keeps crashing and restarting (CrashLoopBackOff)",
        run: run,
    };
}

/// Restarts within this window count as "keeps restarting".
const RECENT_SECS: i64 = 3600;

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        if is_terminating(pod) {
            continue;
        }
        // App containers and native sidecars (a crashing sidecar keeps the
        // pod from being ready as well).
        for cs in crate::workload::long_running_statuses(pod) {
            let waiting = cs.state.as_ref().and_then(|s| s.waiting.as_ref());
            let backoff = waiting.is_some_and(|w| w.reason.as_deref() == Some("CrashLoopBackOff"));
            let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
            let failing_last =
                last.is_some_and(|t| t.exit_code != 0 || t.reason.as_deref() == Some("OOMKilled"));
            // Old restarts of a container that has been up since are history.
            let recent = last
                .and_then(|t| t.finished_at.as_ref())
                .is_some_and(|at| cx.now().as_second() - at.0.as_second() < RECENT_SECS);
            if !(backoff || (cs.restart_count >= 3 && failing_last && (recent || !cs.ready))) {
                continue;
            }
            let pr = cx.pod_ref(pod);
            let (container, restarts) = (cs.name.clone(), cs.restart_count);
            let problem = if backoff {
                Problem::CrashLoopBackOff {
                    container,
                    restarts,
                }
            } else {
                Problem::KeepsRestarting {
                    container,
                    restarts,
                }
            };
            let mut f = Finding::new(&CHECK, pr.clone(), problem);
            if let Some(t) = last {
                f = f.evidence(Evidence::LastExit {
                    exit_code: t.exit_code,
                    reason: t.reason.clone(),
                    finished_at: t
                        .finished_at
                        .as_ref()
                        .map(|at| at.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                });
                if t.reason.as_deref() == Some("OOMKilled") {
                    f = f.evidence(Evidence::OomKilled);
                }
            }
            if let Some(w) = waiting.and_then(|w| w.message.as_deref()) {
                f = f.evidence(Evidence::Waiting {
                    message: w.to_string(),
                });
            }
            f = f
                .evidence_all(pod_events(
                    cx.snap,
                    pod,
                    &["BackOff", "Killing", "Unhealthy"],
                    3,
                ))
                .fix(format!(
                    "kubectl -n {} logs {} -c {} --previous",
                    pod.ns(),
                    pod.name(),
                    cs.name
                ))
                .about_pod(pod, blocks);
            out.push(f);
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
