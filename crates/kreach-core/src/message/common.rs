//! Evidence any check may show (see [`super`]): events, and lists of
//! objects.

use serde::Serialize;

use crate::event::EventRecord;

/// A fact shared by checks of every part of the path.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// A Kubernetes event, with its own (untranslated) message.
    Event {
        /// `Normal` or `Warning`.
        type_: String,
        reason: String,
        count: i32,
        /// RFC 3339, when the event says when it was last seen.
        last: Option<String>,
        message: String,
    },
}

impl Evidence {
    pub fn event(e: &EventRecord) -> Self {
        Evidence::Event {
            type_: e.type_.clone(),
            reason: e.reason.clone(),
            count: e.count.max(1),
            last: e
                .last_seen()
                .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            message: e.message.trim().replace('\n', " "),
        }
    }
}

impl From<&EventRecord> for super::Evidence {
    fn from(e: &EventRecord) -> Self {
        super::Evidence::Common(Evidence::event(e))
    }
}

/// A duration in whole seconds (an age, a time since, a time until); the
/// report words it (`5m`, `3h12m`, `4d`). Negative: in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Seconds(pub i64);

impl Seconds {
    pub fn between(from: k8s_openapi::jiff::Timestamp, now: k8s_openapi::jiff::Timestamp) -> Self {
        Seconds(now.as_second() - from.as_second())
    }
}

/// A container port as declared in a pod spec:
/// `8080/TCP "http" (container app)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeclaredPort {
    pub container: String,
    pub port: i32,
    pub protocol: String,
    pub name: Option<String>,
}

impl DeclaredPort {
    pub fn of(container: &str, p: &k8s_openapi::api::core::v1::ContainerPort) -> Self {
        DeclaredPort {
            container: container.to_string(),
            port: p.container_port,
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            name: p.name.clone(),
        }
    }
}

/// The state of a pod as the report shows it: `Running, not ready,
/// app CrashLoopBackOff, 12 restarts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PodState {
    /// `status.phase` (`Running`, `Pending`, …), untranslated.
    pub phase: String,
    pub ready: bool,
    /// The containers that wait or restarted, in status order.
    pub containers: Vec<ContainerState>,
}

/// One container of a [`PodState`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ContainerState {
    pub name: String,
    /// The waiting reason (`CrashLoopBackOff`, `ImagePullBackOff`, …).
    pub waiting: Option<String>,
    pub restarts: i32,
}

impl PodState {
    pub fn of(pod: &k8s_openapi::api::core::v1::Pod) -> Self {
        let containers = pod
            .status
            .iter()
            .flat_map(|s| s.container_statuses.iter().flatten())
            .filter_map(|cs| {
                let waiting = cs
                    .state
                    .as_ref()
                    .and_then(|s| s.waiting.as_ref())
                    .map(|w| w.reason.clone().unwrap_or_else(|| "waiting".into()));
                (waiting.is_some() || cs.restart_count > 0).then(|| ContainerState {
                    name: cs.name.clone(),
                    waiting,
                    restarts: cs.restart_count,
                })
            })
            .collect();
        PodState {
            phase: crate::workload::phase(pod).to_string(),
            ready: crate::workload::is_ready(pod),
            containers,
        }
    }
}
