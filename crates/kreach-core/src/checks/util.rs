//! Small helpers the checks share: container ports, probes, events,
//! quoting for the fix commands.

use k8s_openapi::api::core::v1::{Container, ContainerPort, Pod, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::event::EventRecord;
use crate::object::{MetaExt, ObjectRef};
use crate::snapshot::Snapshot;
use crate::workload::{Running, container_status, long_running};

pub fn protocol_of(p: Option<&str>) -> &str {
    p.unwrap_or("TCP")
}

/// Service-mesh and proxy sidecars: their own ports say nothing about the
/// port the app listens on.
pub const SIDECARS: &[&str] = &[
    "istio-proxy",
    "linkerd-proxy",
    "envoy",
    "envoy-sidecar",
    "consul-dataplane",
    "kuma-sidecar",
    "cilium-envoy",
];

/// Every declared port of a pod's long-running containers (app containers
/// and native sidecars) with the container name (mesh sidecars left out,
/// see [`SIDECARS`]).
pub fn declared_ports(pod: &Pod) -> Vec<(&str, &ContainerPort)> {
    long_running(pod)
        .into_iter()
        .map(|r| r.container)
        .filter(|c| !SIDECARS.contains(&c.name.as_str()))
        .flat_map(|c| c.ports.iter().flatten().map(move |p| (c.name.as_str(), p)))
        .collect()
}

/// Every declared port of every long-running container: what the endpoints
/// controller searches when it resolves a named targetPort (`FindPort`:
/// `spec.containers`, then the native sidecars among `initContainers`).
pub fn all_declared_ports(pod: &Pod) -> Vec<(&str, &ContainerPort)> {
    long_running(pod)
        .into_iter()
        .map(|r| r.container)
        .flat_map(|c| c.ports.iter().flatten().map(move |p| (c.name.as_str(), p)))
        .collect()
}

/// The port a named `targetPort` resolves to in `pod`, by name and
/// protocol, as the endpoints controller resolves it (`FindPort`).
pub fn resolve_named_port(pod: &Pod, name: &str, protocol: &str) -> Option<i32> {
    all_declared_ports(pod)
        .into_iter()
        .find(|(_, cp)| {
            cp.name.as_deref() == Some(name)
                && protocol_of(cp.protocol.as_deref()).eq_ignore_ascii_case(protocol)
        })
        .map(|(_, cp)| cp.container_port)
}

/// The port a probe targets, if it targets one.
pub fn probe_port(p: &Probe) -> Option<IntOrString> {
    if let Some(h) = &p.http_get {
        return Some(h.port.clone());
    }
    if let Some(t) = &p.tcp_socket {
        return Some(t.port.clone());
    }
    p.grpc.as_ref().map(|g| IntOrString::Int(g.port))
}

/// Whether a container declares a probe's port (by number or by name).
pub fn container_declares(c: &Container, port: &IntOrString) -> bool {
    c.ports.iter().flatten().any(|p| match port {
        IntOrString::Int(n) => p.container_port == *n,
        IntOrString::String(s) => p.name.as_deref() == Some(s.as_str()),
    })
}

/// The newest events about a pod whose reason is one of `reasons` (all
/// when empty), newest first, at most `n`.
pub fn pod_events<'a>(
    snap: &'a Snapshot,
    pod: &Pod,
    reasons: &[&str],
    n: usize,
) -> Vec<&'a EventRecord> {
    let r = ObjectRef::namespaced(crate::Kind::Pod, pod.ns(), pod.name());
    snap.events_for(&r)
        .into_iter()
        .filter(|e| reasons.is_empty() || reasons.contains(&e.reason.as_str()))
        .take(n)
        .collect()
}

/// Quotes a string for a POSIX shell when it needs it.
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A port number or name as written in the spec.
pub fn intstr(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// At most this many restarts count as "few": a container restarted more
/// often is not evidence that its liveness probe passes.
pub const FEW_RESTARTS: i32 = 3;

/// The port number a probe of container `c` connects to on the pod's own
/// address: a number as it is, a name resolved in the probe's container.
/// None for a probe of another host (`httpGet.host`, static control-plane
/// pods probe their node's address this way) or a name the container
/// does not declare.
pub fn probe_port_number(c: &Container, p: &Probe) -> Option<i32> {
    if p.http_get
        .as_ref()
        .is_some_and(|h| h.host.as_deref().is_some_and(|x| !x.is_empty()))
    {
        return None;
    }
    match probe_port(p)? {
        IntOrString::Int(n) => Some(n),
        IntOrString::String(name) => c
            .ports
            .iter()
            .flatten()
            .find(|cp| cp.name.as_deref() == Some(name.as_str()))
            .map(|cp| cp.container_port),
    }
}

/// Whether the pod's runtime state shows that a probe of a long-running
/// container passes, whatever its container declares:
/// - readiness: the container is ready (kubelet marks it ready only after
///   the probe succeeded) and the pod is not being deleted;
/// - startup: the container has `started`;
/// - liveness: the container has run, with few restarts
///   ([`FEW_RESTARTS`]), for longer than the probe takes to kill it
///   (`initialDelaySeconds` + `failureThreshold` × `periodSeconds`), so
///   the probe has passed since it started.
pub fn probe_passes(
    pod: &Pod,
    r: &Running<'_>,
    kind: crate::message::pod::ProbeKind,
    probe: &Probe,
    now: k8s_openapi::jiff::Timestamp,
) -> bool {
    use crate::message::pod::ProbeKind;
    let Some(st) = container_status(pod, r) else {
        return false;
    };
    match kind {
        ProbeKind::Readiness => st.ready && !crate::workload::is_terminating(pod),
        ProbeKind::Startup => st.started == Some(true),
        ProbeKind::Liveness => {
            let Some(started) = st
                .state
                .as_ref()
                .and_then(|s| s.running.as_ref())
                .and_then(|r| r.started_at.as_ref())
            else {
                return false;
            };
            let window = i64::from(probe.initial_delay_seconds.unwrap_or(0))
                + i64::from(probe.failure_threshold.unwrap_or(3))
                    * i64::from(probe.period_seconds.unwrap_or(10))
                + i64::from(probe.timeout_seconds.unwrap_or(1));
            st.restart_count <= FEW_RESTARTS && now.as_second() - started.0.as_second() > window
        }
    }
}

/// The ports that a probe the pod's runtime state shows passing
/// ([`probe_passes`]) connects to: something listens on them, declared or
/// not.
pub fn passing_probe_ports(pod: &Pod, now: k8s_openapi::jiff::Timestamp) -> Vec<i32> {
    use crate::message::pod::ProbeKind;
    let mut v = Vec::new();
    for r in long_running(pod) {
        let c = r.container;
        for (kind, probe) in [
            (ProbeKind::Readiness, &c.readiness_probe),
            (ProbeKind::Liveness, &c.liveness_probe),
            (ProbeKind::Startup, &c.startup_probe),
        ] {
            let Some(p) = probe else { continue };
            if let Some(n) = probe_port_number(c, p)
                && probe_passes(pod, &r, kind, p, now)
                && !v.contains(&n)
            {
                v.push(n);
            }
        }
    }
    v
}
