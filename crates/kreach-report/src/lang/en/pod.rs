//! The pod checks' words (en), and the `recent-change` timeline's.
use kreach_core::checks;
use kreach_core::message::pod::{Change, ChangeKind, Evidence, ProbeHandler, ProbeKind, ProbeSpec};

use super::*;

/// Event messages in the timeline are cut to this many characters.
const CHANGE_MESSAGE_CHARS: usize = 120;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::LastExit {
            exit_code,
            reason,
            finished_at,
        } => {
            let finished = finished_at
                .as_deref()
                .map(|t| format!(", finished {t}"))
                .unwrap_or_default();
            format!(
                "last exit: code {exit_code}, reason {}{finished}",
                reason.as_deref().unwrap_or("unknown")
            )
        }
        Evidence::ContainerLastExit {
            container,
            exit_code,
            reason,
        } => format!(
            "container {container} last exit: code {exit_code}, reason {}",
            reason.as_deref().unwrap_or("unknown")
        ),
        Evidence::OomKilled => {
            "the container ran out of memory (OOMKilled): raise its memory limit or fix the leak"
                .into()
        }
        Evidence::Waiting { message } => format!("waiting: {message}"),
        Evidence::ContainerWaiting {
            container,
            reason,
            message,
        } => container_waiting(container, reason.as_deref(), message.as_deref()),
        Evidence::NotScheduled { reason, message } => not_scheduled(reason, message.as_deref()),
        Evidence::SandboxErrors { node } => {
            format!("sandbox / CNI errors on node {node}: look at the CNI agent there")
        }
        Evidence::Probe { probe, spec } => format!("{} probe: {}", kind(*probe), probe_spec(spec)),
        Evidence::ContainerProbe {
            probe,
            container,
            spec,
        } => format!(
            "{} probe of {container}: {}",
            kind(*probe),
            probe_spec(spec)
        ),
        Evidence::NoProbe { probe, container } => {
            format!("container {container} has no {} probe", kind(*probe))
        }
        Evidence::ContainerDeclares { container, ports } => {
            let ports: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(n) => format!("{} \"{n}\"", p.port),
                    None => p.port.to_string(),
                })
                .collect();
            format!("container {container} declares {}", ports.join(", "))
        }
        Evidence::NotReadyCondition { reason, message } => {
            format!("Ready=False: {reason}{}", colon(message.as_deref()))
        }
        Evidence::NoReadinessEvents => {
            "no readiness-probe events recorded (events expire after an hour)".into()
        }
        Evidence::NodeReadyCondition {
            node,
            status,
            reason,
            message,
        } => format!(
            "node {node} Ready={status}: {}{}",
            reason.as_deref().unwrap_or(""),
            colon(message.as_deref())
        ),
        Evidence::DeletionRequested {
            deletion_timestamp,
            requested,
            grace_period_seconds,
        } => format!(
            "deletionTimestamp {deletion_timestamp}: deletion requested about {}s ago, grace period {grace_period_seconds}s",
            requested.0
        ),
        Evidence::StuckTerminating {
            deletion_timestamp,
            grace_period_seconds,
            overdue,
        } => format!(
            "deletionTimestamp {deletion_timestamp}: the grace period of {grace_period_seconds}s ended {} ago: the pod is stuck terminating",
            age(*overdue)
        ),
        Evidence::Finalizers { finalizers } => format!("finalizers: {}", finalizers.join(", ")),
        Evidence::OwnerDeleting { owner } => {
            format!("{owner} is itself being deleted: nothing will replace these pods")
        }
        Evidence::OwnerGone { owner } => {
            format!("{owner} no longer exists: nothing will replace these pods")
        }
        Evidence::Change(c) => change(c),
        Evidence::OlderChanges { count } => format!("… and {count} older changes"),
    }
}

/// `: message`, or nothing.
fn colon(message: Option<&str>) -> String {
    message.map(|m| format!(": {m}")).unwrap_or_default()
}

fn kind(k: ProbeKind) -> &'static str {
    match k {
        ProbeKind::Readiness => "readiness",
        ProbeKind::Liveness => "liveness",
        ProbeKind::Startup => "startup",
    }
}

/// `httpGet HTTP:8080/healthz, timeout 1s, period 10s, failureThreshold 3`.
fn probe_spec(p: &ProbeSpec) -> String {
    let what = match &p.handler {
        ProbeHandler::HttpGet { scheme, port, path } => format!("httpGet {scheme}:{port}{path}"),
        ProbeHandler::TcpSocket { port } => format!("tcpSocket :{port}"),
        ProbeHandler::Grpc { port } => format!("grpc :{port}"),
        ProbeHandler::Exec { command } => format!("exec {}", command.join(" ")),
        ProbeHandler::None => "no handler".into(),
    };
    format!(
        "{what}, timeout {}s, period {}s, failureThreshold {}",
        p.timeout_seconds, p.period_seconds, p.failure_threshold
    )
}

fn container_waiting(container: &str, reason: Option<&str>, message: Option<&str>) -> String {
    format!(
        "container {container} waiting: {}{}",
        reason.unwrap_or("unknown"),
        colon(message)
    )
}

fn not_scheduled(reason: &str, message: Option<&str>) -> String {
    format!("not scheduled: {reason}{}", colon(message))
}

/// `2026-11-20T11:42:00Z NetworkPolicy/shop/deny created (may explain f2 networkpolicy-denies)`.
fn change(c: &Change) -> String {
    let what = match &c.what {
        ChangeKind::Created => "created".to_string(),
        ChangeKind::Edited => "edited".to_string(),
        ChangeKind::PodCreated => "pod created".to_string(),
        ChangeKind::ContainerRestarted {
            container,
            exit_code,
            reason,
        } => format!(
            "container {container} restarted (exit {exit_code}, {})",
            reason.as_deref().unwrap_or("?")
        ),
        ChangeKind::RolledOut { replica_set } => {
            format!("rolled out (new ReplicaSet {replica_set})")
        }
        ChangeKind::Condition { condition, status } => format!("{condition} became {status}"),
        ChangeKind::CertificateExpired => "certificate expired".to_string(),
        ChangeKind::WarningEvent {
            reason,
            count,
            message,
        } => {
            let msg: String = message.chars().take(CHANGE_MESSAGE_CHARS).collect();
            format!("warning {reason} (x{count}): {msg}")
        }
    };
    let explains = if c.may_explain.is_empty() {
        String::new()
    } else {
        let hits: Vec<String> = c
            .may_explain
            .iter()
            .map(|m| format!("{} {}", m.finding, m.check))
            .collect();
        format!(" (may explain {})", hits.join(", "))
    };
    format!("{} {} {what}{explains}", c.at, c.object)
}

pub fn pod_crash_looping(p: &checks::pod::pod_crash_looping::Problem) -> String {
    use checks::pod::pod_crash_looping::Problem as P;
    match p {
        P::CrashLoopBackOff {
            container,
            restarts,
        } => format!("container {container} is in CrashLoopBackOff ({restarts} restarts)"),
        P::KeepsRestarting {
            container,
            restarts,
        } => format!("container {container} keeps restarting ({restarts} restarts)"),
    }
}

pub fn pod_liveness_failing(p: &checks::pod::pod_liveness_failing::Problem) -> String {
    use checks::pod::pod_liveness_failing::Problem as P;
    match p {
        P::LivenessRestarts { restarts } => {
            format!("liveness probe failures restart the pod's containers ({restarts} restarts)")
        }
    }
}

pub fn pod_not_ready(p: &checks::pod::pod_not_ready::Problem) -> String {
    use checks::pod::pod_not_ready::Problem as P;
    match p {
        P::RunningNotReady { since, containers } => {
            let since = since
                .map(|d| format!(" for {}", age(d)))
                .unwrap_or_default();
            let names = if containers.is_empty() {
                "-".to_string()
            } else {
                containers.join(", ")
            };
            format!(
                "pod is Running but not Ready{since} (container{} {names} not ready)",
                s(containers.len())
            )
        }
    }
}

pub fn pod_on_unready_node(p: &checks::pod::pod_on_unready_node::Problem) -> String {
    use checks::pod::pod_on_unready_node::Problem as P;
    match p {
        P::OnUnreadyNode {
            node,
            ready_status,
            since,
        } => {
            let state = if ready_status == "Unknown" {
                "Unknown"
            } else {
                "NotReady"
            };
            let since = since
                .as_ref()
                .map(|t| format!(" since {} ({} ago)", t.at, age(t.ago)))
                .unwrap_or_default();
            format!("pod runs on node {node}, which is {state}{since}")
        }
    }
}

pub fn pod_pending(p: &checks::pod::pod_pending::Problem) -> String {
    use checks::pod::pod_pending::{Cause, Problem as P};
    match p {
        P::Pending { since, cause } => {
            let since = since
                .map(|d| format!(" for {}", age(d)))
                .unwrap_or_default();
            let cause = match cause {
                Cause::NotScheduled { reason, message } => {
                    not_scheduled(reason, message.as_deref())
                }
                Cause::ContainerWaiting {
                    container,
                    reason,
                    message,
                } => container_waiting(container, reason.as_deref(), message.as_deref()),
                Cause::Event { reason, message } => format!("{reason}: {message}"),
                Cause::NoReason => "no reason recorded".into(),
            };
            format!("pod is Pending{since}: {cause}")
        }
    }
}

pub fn pod_probe_port_mismatch(p: &checks::pod::pod_probe_port_mismatch::Problem) -> String {
    use checks::pod::pod_probe_port_mismatch::Problem as P;
    match p {
        P::UndeclaredPort {
            probe,
            container,
            port,
        } => format!(
            "{} probe of container {container} targets port {port}, which the container does not declare",
            kind(*probe)
        ),
    }
}

pub fn pod_terminating(p: &checks::pod::pod_terminating::Problem) -> String {
    use checks::pod::pod_terminating::Problem as P;
    match p {
        P::Terminating => "pod is terminating (it has a deletion timestamp)".into(),
    }
}

pub fn recent_change(p: &checks::change::recent_change::Problem) -> String {
    use checks::change::recent_change::Problem as P;
    match p {
        P::Changes { count, window } => {
            let hours = window.0 / 3600;
            let window = if hours > 0 {
                format!("{hours}h")
            } else {
                format!("{}m", window.0 / 60)
            };
            format!("{count} change(s) on the path in the last {window}")
        }
    }
}

#[cfg(test)]
mod tests {
    use kreach_core::checks::change::recent_change::Problem as Changes;
    use kreach_core::checks::pod::pod_not_ready::Problem as NotReady;
    use kreach_core::message::common::Seconds;
    use kreach_core::message::pod::{Change, ChangeKind, MayExplain};
    use kreach_core::object::ObjectRef;

    #[test]
    fn not_ready_containers_are_counted() {
        let p = |names: &[&str]| {
            super::pod_not_ready(&NotReady::RunningNotReady {
                since: Some(Seconds(90)),
                containers: names.iter().map(|n| n.to_string()).collect(),
            })
        };
        assert_eq!(
            p(&["app"]),
            "pod is Running but not Ready for 1m (container app not ready)"
        );
        assert_eq!(
            p(&["app", "proxy"]),
            "pod is Running but not Ready for 1m (containers app, proxy not ready)"
        );
        assert_eq!(
            p(&[]),
            "pod is Running but not Ready for 1m (containers - not ready)"
        );
    }

    #[test]
    fn the_window_is_in_hours_or_minutes() {
        let p = |secs| {
            super::recent_change(&Changes::Changes {
                count: 2,
                window: Seconds(secs),
            })
        };
        assert_eq!(p(86400), "2 change(s) on the path in the last 24h");
        assert_eq!(p(1800), "2 change(s) on the path in the last 30m");
    }

    #[test]
    fn a_change_names_the_findings_it_may_explain() {
        let mut c = Change {
            at: "2026-11-20T11:42:00Z".into(),
            object: ObjectRef::namespaced(kreach_core::Kind::NetworkPolicy, "shop", "deny"),
            what: ChangeKind::Created,
            may_explain: vec![],
        };
        assert_eq!(
            super::change(&c),
            "2026-11-20T11:42:00Z NetworkPolicy/shop/deny created"
        );
        c.may_explain = vec![
            MayExplain {
                finding: "f1".into(),
                check: "networkpolicy-denies",
            },
            MayExplain {
                finding: "f3".into(),
                check: "service-no-ready-endpoints",
            },
        ];
        assert_eq!(
            super::change(&c),
            "2026-11-20T11:42:00Z NetworkPolicy/shop/deny created (may explain f1 networkpolicy-denies, f3 service-no-ready-endpoints)"
        );
    }
}
