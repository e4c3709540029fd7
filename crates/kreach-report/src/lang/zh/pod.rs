//! The pod checks' words (zh), and the `recent-change` timeline's.
//! Reasons and messages quoted from the cluster stay as they are, in
//! backticks.
use kreach_core::checks;
use kreach_core::message::pod::{
    Change, ChangeKind, Evidence, ProbeHandler, ProbeKind, ProbePort, ProbeSpec,
};

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
                .map(|t| format!("，结束于 {t}"))
                .unwrap_or_default();
            format!(
                "上次退出：退出码 {exit_code}，{}{finished}",
                reason_of(reason.as_deref())
            )
        }
        Evidence::ContainerLastExit {
            container,
            exit_code,
            reason,
        } => format!(
            "容器 `{container}` 上次退出：退出码 {exit_code}，{}",
            reason_of(reason.as_deref())
        ),
        Evidence::OomKilled => {
            "容器内存不足被终止（`OOMKilled`）：请调高内存限制或排查内存泄漏".into()
        }
        Evidence::Waiting { message } => format!("等待中：`{message}`"),
        Evidence::ContainerWaiting {
            container,
            reason,
            message,
        } => container_waiting(container, reason.as_deref(), message.as_deref()),
        Evidence::NotScheduled { reason, message } => not_scheduled(reason, message.as_deref()),
        Evidence::SandboxErrors { node } => {
            format!("节点 {node} 上出现 Pod 沙箱 / CNI 错误：请检查该节点上的 CNI 网络插件")
        }
        Evidence::Probe { probe, spec } => format!("{}：{}", kind(*probe), probe_spec(spec)),
        Evidence::ContainerProbe {
            probe,
            container,
            spec,
        } => format!(
            "容器 `{container}` 的{}：{}",
            kind(*probe),
            probe_spec(spec)
        ),
        Evidence::NoProbe { probe, container } => {
            format!("容器 `{container}` 未配置{}", kind(*probe))
        }
        Evidence::ContainerDeclares { container, ports } => {
            let ports: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(n) => format!("{} \"{n}\"", p.port),
                    None => p.port.to_string(),
                })
                .collect();
            format!("容器 `{container}` 声明的端口：{}", ports.join("、"))
        }
        Evidence::NotReadyCondition { reason, message } => {
            format!("Ready=False（`{reason}`）{}", colon(message.as_deref()))
        }
        Evidence::NoReadinessEvents => "没有记录到就绪探针的事件（事件在一小时后过期）".into(),
        Evidence::NodeReadyCondition {
            node,
            status,
            reason,
            message,
        } => format!(
            "节点 {node} Ready={status}{}{}",
            reason
                .as_deref()
                .map(|r| format!("（`{r}`）"))
                .unwrap_or_default(),
            colon(message.as_deref())
        ),
        Evidence::DeletionRequested {
            deletion_timestamp,
            requested,
            grace_period_seconds,
        } => format!(
            "deletionTimestamp {deletion_timestamp}：约 {} 秒前请求删除，宽限期 {grace_period_seconds} 秒",
            requested.0
        ),
        Evidence::StuckTerminating {
            deletion_timestamp,
            grace_period_seconds,
            overdue,
        } => format!(
            "deletionTimestamp {deletion_timestamp}：{grace_period_seconds} 秒的宽限期已于 {}前结束，Pod 卡在终止状态",
            age(*overdue)
        ),
        Evidence::Finalizers { finalizers } => {
            let f: Vec<String> = finalizers.iter().map(|f| format!("`{f}`")).collect();
            format!("终结器（`finalizers`）：{}", f.join("、"))
        }
        Evidence::OwnerDeleting { owner } => {
            format!("{owner} 本身正在被删除：不会有新的 Pod 替换这些 Pod")
        }
        Evidence::OwnerGone { owner } => {
            format!("{owner} 已不存在：不会有新的 Pod 替换这些 Pod")
        }
        Evidence::Change(c) => change(c),
        Evidence::OlderChanges { count } => format!("… 另有 {count} 处更早的变更"),
    }
}

/// `：`message``, or nothing.
fn colon(message: Option<&str>) -> String {
    message.map(|m| format!("：`{m}`")).unwrap_or_default()
}

/// `原因 `Error``, or `原因未知`.
fn reason_of(reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("原因 `{r}`"),
        None => "原因未知".into(),
    }
}

fn kind(k: ProbeKind) -> &'static str {
    match k {
        ProbeKind::Readiness => "就绪探针",
        ProbeKind::Liveness => "存活探针",
        ProbeKind::Startup => "启动探针",
    }
}

/// `` `httpGet` HTTP:8080/healthz，超时 1 秒，周期 10 秒，失败阈值 3 ``.
fn probe_spec(p: &ProbeSpec) -> String {
    let what = match &p.handler {
        ProbeHandler::HttpGet { scheme, port, path } => {
            format!("`httpGet` {scheme}:{port}{path}")
        }
        ProbeHandler::TcpSocket { port } => format!("`tcpSocket` :{port}"),
        ProbeHandler::Grpc { port } => format!("`grpc` :{port}"),
        ProbeHandler::Exec { command } => format!("`exec` `{}`", command.join(" ")),
        ProbeHandler::None => "未配置探测方式".into(),
    };
    format!(
        "{what}，超时 {} 秒，周期 {} 秒，失败阈值 {}",
        p.timeout_seconds, p.period_seconds, p.failure_threshold
    )
}

fn container_waiting(container: &str, reason: Option<&str>, message: Option<&str>) -> String {
    let reason = match reason {
        Some(r) => format!("`{r}`"),
        None => "原因未知".into(),
    };
    format!("容器 `{container}` 等待中（{reason}）{}", colon(message))
}

fn not_scheduled(reason: &str, message: Option<&str>) -> String {
    format!("未能调度（`{reason}`）{}", colon(message))
}

/// `2026-11-20T11:42:00Z NetworkPolicy/shop/deny 已创建（可能导致 f2 networkpolicy-denies）`.
fn change(c: &Change) -> String {
    let what = match &c.what {
        ChangeKind::Created => "已创建".to_string(),
        ChangeKind::Edited => "被修改".to_string(),
        ChangeKind::PodCreated => "Pod 已创建".to_string(),
        ChangeKind::ContainerRestarted {
            container,
            exit_code,
            reason,
        } => format!(
            "容器 `{container}` 已重启（退出码 {exit_code}，{}）",
            reason_of(reason.as_deref())
        ),
        ChangeKind::RolledOut { replica_set } => {
            format!("发布了新版本（新的 ReplicaSet {replica_set}）")
        }
        ChangeKind::Condition { condition, status } => {
            format!("`{condition}` 条件变为 `{status}`")
        }
        ChangeKind::CertificateExpired => "证书已过期".to_string(),
        ChangeKind::WarningEvent {
            reason,
            count,
            message,
        } => {
            let msg: String = message.chars().take(CHANGE_MESSAGE_CHARS).collect();
            format!("告警事件 {reason}（{count} 次）：{msg}")
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
        format!("（可能导致 {}）", hits.join("、"))
    };
    format!("{} {} {what}{explains}", c.at, c.object)
}

pub fn pod_crash_looping(p: &checks::pod::pod_crash_looping::Problem) -> String {
    use checks::pod::pod_crash_looping::Problem as P;
    match p {
        P::CrashLoopBackOff {
            container,
            restarts,
        } => format!("容器 `{container}` 处于 `CrashLoopBackOff` 状态（已重启 {restarts} 次）"),
        P::KeepsRestarting {
            container,
            restarts,
        } => format!("容器 `{container}` 反复重启（已重启 {restarts} 次）"),
    }
}

pub fn pod_liveness_failing(p: &checks::pod::pod_liveness_failing::Problem) -> String {
    use checks::pod::pod_liveness_failing::Problem as P;
    match p {
        P::LivenessRestarts { restarts } => {
            format!("存活探针失败导致 Pod 的容器被重启（共重启 {restarts} 次）")
        }
    }
}

pub fn pod_not_ready(p: &checks::pod::pod_not_ready::Problem) -> String {
    use checks::pod::pod_not_ready::Problem as P;
    match p {
        P::RunningNotReady { since, containers } => {
            let since = since
                .map(|d| format!("，已持续 {}", age(d)))
                .unwrap_or_default();
            let which = if containers.is_empty() {
                "未就绪的容器：无".to_string()
            } else {
                let names: Vec<String> = containers.iter().map(|c| format!("`{c}`")).collect();
                format!("容器 {} 未就绪", names.join("、"))
            };
            format!("Pod 处于 `Running` 状态但未就绪{since}（{which}）")
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
                "状态未知（`Unknown`）"
            } else {
                "未就绪（`NotReady`）"
            };
            let since = since
                .as_ref()
                .map(|t| format!("，自 {} 起（已 {}）", t.at, age(t.ago)))
                .unwrap_or_default();
            format!("Pod 所在的节点 {node} {state}{since}")
        }
    }
}

pub fn pod_pending(p: &checks::pod::pod_pending::Problem) -> String {
    use checks::pod::pod_pending::{Cause, Problem as P};
    match p {
        P::Pending { since, cause } => {
            let since = since
                .map(|d| format!("，已持续 {}", age(d)))
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
                Cause::Event { reason, message } => format!("事件 `{reason}`：`{message}`"),
                Cause::NoReason => "没有记录原因".into(),
            };
            format!("Pod 处于 `Pending` 状态{since}：{cause}")
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
        } => {
            let port = match port {
                ProbePort::Number(n) => n.to_string(),
                ProbePort::Name(n) => format!("`{n}`"),
            };
            format!(
                "容器 `{container}` 的{}指向端口 {port}，但该容器并未声明此端口",
                kind(*probe)
            )
        }
    }
}

pub fn pod_terminating(p: &checks::pod::pod_terminating::Problem) -> String {
    use checks::pod::pod_terminating::Problem as P;
    match p {
        P::Terminating => "Pod 正在终止（已设置删除时间戳）".into(),
    }
}

pub fn recent_change(p: &checks::change::recent_change::Problem) -> String {
    use checks::change::recent_change::Problem as P;
    match p {
        P::Changes { count, window } => {
            let hours = window.0 / 3600;
            let window = if hours > 0 {
                format!("{hours} 小时")
            } else {
                format!("{} 分钟", window.0 / 60)
            };
            format!("最近 {window}内，路径上有 {count} 处变更")
        }
    }
}

#[cfg(test)]
mod tests {
    use kreach_core::checks::change::recent_change::Problem as Changes;
    use kreach_core::message::common::Seconds;
    use kreach_core::message::pod::{Change, ChangeKind, MayExplain};
    use kreach_core::object::ObjectRef;

    #[test]
    fn the_window_is_in_hours_or_minutes() {
        let p = |secs| {
            super::recent_change(&Changes::Changes {
                count: 2,
                window: Seconds(secs),
            })
        };
        assert_eq!(p(86400), "最近 24 小时内，路径上有 2 处变更");
        assert_eq!(p(1800), "最近 30 分钟内，路径上有 2 处变更");
    }

    #[test]
    fn a_change_names_the_findings_it_may_explain() {
        let c = Change {
            at: "2026-11-20T11:42:00Z".into(),
            object: ObjectRef::namespaced(kreach_core::Kind::NetworkPolicy, "shop", "deny"),
            what: ChangeKind::Created,
            may_explain: vec![
                MayExplain {
                    finding: "f1".into(),
                    check: "networkpolicy-denies",
                },
                MayExplain {
                    finding: "f3".into(),
                    check: "service-no-ready-endpoints",
                },
            ],
        };
        assert_eq!(
            super::change(&c),
            "2026-11-20T11:42:00Z NetworkPolicy/shop/deny 已创建（可能导致 f1 networkpolicy-denies、f3 service-no-ready-endpoints）"
        );
    }
}
