//! Small helpers the checks share: container ports, probes, events,
//! quoting for the fix commands.

use k8s_openapi::api::core::v1::{Container, ContainerPort, Pod, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::event::EventRecord;
use crate::object::{MetaExt, ObjectRef};
use crate::snapshot::Snapshot;
use crate::workload::containers;

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

/// Every declared port of a pod's app containers with the container name
/// (mesh sidecars left out, see [`SIDECARS`]).
pub fn declared_ports(pod: &Pod) -> Vec<(&str, &ContainerPort)> {
    containers(pod)
        .iter()
        .filter(|c| !SIDECARS.contains(&c.name.as_str()))
        .flat_map(|c| c.ports.iter().flatten().map(move |p| (c.name.as_str(), p)))
        .collect()
}

/// Every declared port of every container: what the endpoints controller
/// searches when it resolves a named targetPort.
pub fn all_declared_ports(pod: &Pod) -> Vec<(&str, &ContainerPort)> {
    containers(pod)
        .iter()
        .flat_map(|c| c.ports.iter().flatten().map(move |p| (c.name.as_str(), p)))
        .collect()
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
