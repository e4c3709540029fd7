//! Evidence about the pod part of the path (see [`super`]), and the
//! `recent-change` timeline.

use k8s_openapi::api::core::v1::Probe;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::common::{DeclaredPort, Seconds};
use crate::object::ObjectRef;

/// A fact shown under a finding of the pod checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// How the container the finding names last ended
    /// (`status.containerStatuses[].lastState.terminated`).
    LastExit {
        exit_code: i32,
        /// `OOMKilled`, `Error`, `Completed`…; `None` when not recorded.
        reason: Option<String>,
        /// RFC 3339.
        finished_at: Option<String>,
    },
    /// How one container of the pod last ended.
    ContainerLastExit {
        container: String,
        exit_code: i32,
        reason: Option<String>,
    },
    /// The last run ended `OOMKilled`: the container ran out of memory.
    OomKilled,
    /// The waiting message of the container the finding names
    /// (`state.waiting.message`, untranslated).
    Waiting { message: String },
    /// A container waits (`state.waiting`) with this reason and message.
    ContainerWaiting {
        container: String,
        /// `ImagePullBackOff`, `CreateContainerConfigError`…; `None` when
        /// not recorded.
        reason: Option<String>,
        message: Option<String>,
    },
    /// The pod's `PodScheduled` condition is not `True`.
    NotScheduled {
        /// The condition's reason (`Unschedulable` when it gives none).
        reason: String,
        message: Option<String>,
    },
    /// Sandbox or CNI errors for the pod on this node: its CNI agent is
    /// the suspect.
    SandboxErrors { node: String },
    /// A probe of the container the finding names.
    Probe { probe: ProbeKind, spec: ProbeSpec },
    /// A probe of one container of the pod.
    ContainerProbe {
        probe: ProbeKind,
        container: String,
        spec: ProbeSpec,
    },
    /// The container has no probe of this kind.
    NoProbe { probe: ProbeKind, container: String },
    /// The ports a container declares (its `ports`).
    ContainerDeclares {
        container: String,
        ports: Vec<DeclaredPort>,
    },
    /// The pod's `Ready` condition is `False`, with its reason and message.
    NotReadyCondition {
        reason: String,
        message: Option<String>,
    },
    /// No readiness-probe event is recorded for the pod (events expire
    /// after an hour).
    NoReadinessEvents,
    /// A node's `Ready` condition.
    NodeReadyCondition {
        node: String,
        /// `True`, `False` or `Unknown`.
        status: String,
        reason: Option<String>,
        message: Option<String>,
    },
    /// The pod's deletion timestamp has not passed: the pod is within its
    /// grace period.
    DeletionRequested {
        /// `metadata.deletionTimestamp` (RFC 3339): when the grace period
        /// ends.
        deletion_timestamp: String,
        /// How long ago the deletion was requested.
        requested: Seconds,
        grace_period_seconds: i64,
    },
    /// The pod's deletion timestamp has passed: it is stuck terminating.
    StuckTerminating {
        deletion_timestamp: String,
        grace_period_seconds: i64,
        /// How long ago the grace period ended.
        overdue: Seconds,
    },
    /// The pod's finalizers (`metadata.finalizers`), in order.
    Finalizers { finalizers: Vec<String> },
    /// The pod's workload is itself being deleted: nothing replaces the pod.
    OwnerDeleting { owner: ObjectRef },
    /// The pod's owner no longer exists: nothing replaces the pod.
    OwnerGone { owner: ObjectRef },
    /// One entry of the `recent-change` timeline.
    Change(Change),
    /// The timeline was cut: this many older changes are left out.
    OlderChanges { count: usize },
}

/// The three kinds of probes of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

/// A probe as declared, with kubelet's defaults filled in
/// (timeout 1s, period 10s, failureThreshold 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProbeSpec {
    pub handler: ProbeHandler,
    pub timeout_seconds: i32,
    pub period_seconds: i32,
    pub failure_threshold: i32,
}

/// What a probe does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ProbeHandler {
    HttpGet {
        /// `HTTP` or `HTTPS`.
        scheme: String,
        port: ProbePort,
        /// `/` when the probe gives none.
        path: String,
    },
    TcpSocket {
        port: ProbePort,
    },
    Grpc {
        port: i32,
    },
    Exec {
        command: Vec<String>,
    },
    /// The probe declares no handler.
    None,
}

/// A probe's port: a number, or the name of a container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ProbePort {
    Number(i32),
    Name(String),
}

impl ProbePort {
    pub fn of(v: &IntOrString) -> Self {
        match v {
            IntOrString::Int(n) => ProbePort::Number(*n),
            IntOrString::String(s) => ProbePort::Name(s.clone()),
        }
    }
}

impl std::fmt::Display for ProbePort {
    /// The port as Kubernetes spells it: `8080` or `http` (not prose).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProbePort::Number(n) => write!(f, "{n}"),
            ProbePort::Name(s) => f.write_str(s),
        }
    }
}

impl ProbeSpec {
    pub fn of(p: &Probe) -> Self {
        let handler = if let Some(h) = &p.http_get {
            ProbeHandler::HttpGet {
                scheme: h.scheme.clone().unwrap_or_else(|| "HTTP".into()),
                port: ProbePort::of(&h.port),
                path: h.path.clone().unwrap_or_else(|| "/".into()),
            }
        } else if let Some(t) = &p.tcp_socket {
            ProbeHandler::TcpSocket {
                port: ProbePort::of(&t.port),
            }
        } else if let Some(g) = &p.grpc {
            ProbeHandler::Grpc { port: g.port }
        } else if let Some(e) = &p.exec {
            ProbeHandler::Exec {
                command: e.command.clone().unwrap_or_default(),
            }
        } else {
            ProbeHandler::None
        };
        ProbeSpec {
            handler,
            timeout_seconds: p.timeout_seconds.unwrap_or(1),
            period_seconds: p.period_seconds.unwrap_or(10),
            failure_threshold: p.failure_threshold.unwrap_or(3),
        }
    }
}

/// One change of the `recent-change` timeline.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// When (RFC 3339).
    pub at: String,
    /// The object that changed.
    pub object: ObjectRef,
    pub what: ChangeKind,
    /// The other findings about that object (or about pods of a workload
    /// that rolled out), which this change may explain; filled in by the
    /// diagnosis once every finding has its id.
    pub may_explain: Vec<MayExplain>,
}

/// A finding a change may explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MayExplain {
    /// The finding's id (`f2`).
    pub finding: String,
    /// Its check (`networkpolicy-denies`).
    pub check: &'static str,
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ChangeKind {
    /// The object was created.
    Created,
    /// The object was edited (`managedFields` Update, not a subresource).
    Edited,
    /// The pod was created.
    PodCreated,
    /// A container of the pod ended and was restarted.
    ContainerRestarted {
        container: String,
        exit_code: i32,
        reason: Option<String>,
    },
    /// The Deployment rolled out: a new ReplicaSet was created.
    RolledOut { replica_set: String },
    /// A node condition changed status.
    Condition {
        /// `Ready`, `NetworkUnavailable`.
        condition: String,
        /// `True`, `False`, `Unknown`.
        status: String,
    },
    /// The certificate of a TLS Secret expired.
    CertificateExpired,
    /// The newest Warning event of one reason about the object.
    WarningEvent {
        reason: String,
        count: i32,
        /// The event's message, trimmed (the report may shorten it).
        message: String,
    },
}

/// When a condition last changed: the time and how long ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Transition {
    /// RFC 3339.
    pub at: String,
    pub ago: Seconds,
}
