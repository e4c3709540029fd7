//! The `pod-probe-port-mismatch` check: a probe targets a port the container does not declare.
//!
//! Its explanation (what `kreach explain pod-probe-port-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-probe-port-mismatch/`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::checks::util::{container_declares, probe_port};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::DeclaredPort;
use crate::message::pod::{Evidence, ProbeKind, ProbePort, ProbeSpec};
use crate::object::MetaExt;
use crate::workload::containers;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A probe targets a port its container does not declare.
    UndeclaredPort {
        probe: ProbeKind,
        container: String,
        /// The probe's port, a number or a name.
        port: ProbePort,
    },
}

declare_check! {
    /// ## What it checks
    /// A readiness, liveness or startup probe targets a port number or name
    /// that its container does not declare, while the container declares
    /// other ports. (Probing a separately declared management port is normal
    /// and not reported.)
    ///
    /// ## Why it breaks reachability
    /// A probe aimed at a port nothing listens on always fails: a readiness
    /// probe keeps the pod out of the endpoints forever, a liveness probe
    /// kills it over and over.
    ///
    /// ## How to fix
    /// Point the probe at the port the app serves (or declare and serve the
    /// port the probe expects).
    ///
    /// ## Example
    /// Readiness probe on 8081, container serves 8080 "http":
    /// `kubectl -n shop patch deployment checkout --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/port","value":"http"}]'`
    pub static CHECK = {
        name: "pod-probe-port-mismatch",
        layer: Pod,
        needs: State,
        blocks: Maybe,
        decides: [Pod],
        reads: [Pod],
        uses: [Event],
        explained_by: [
            crate::checks::pod::pod_on_unready_node::CHECK => SameObject,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a probe targets a port the container does not declare",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (pod, blocks) in cx.target_pods() {
        for (ci, c) in containers(pod).iter().enumerate() {
            // Mesh sidecars probe their own agents; they are not the app.
            if crate::checks::util::SIDECARS.contains(&c.name.as_str())
                || c.ports.as_ref().is_none_or(|p| p.is_empty())
            {
                continue;
            }
            let probes = [
                (ProbeKind::Readiness, &c.readiness_probe, "readinessProbe"),
                (ProbeKind::Liveness, &c.liveness_probe, "livenessProbe"),
                (ProbeKind::Startup, &c.startup_probe, "startupProbe"),
            ];
            for (kind, probe, field) in probes {
                let Some(p) = probe else { continue };
                let Some(port) = probe_port(p) else { continue };
                // kubelet probes the pod's address: a number any container
                // declares is served; a name resolves in the probe's container.
                let declared_in_pod = matches!(port, IntOrString::Int(_))
                    && containers(pod).iter().any(|o| container_declares(o, &port));
                // Istio rewrites probes to its agent (port 15020, /app-health/…).
                let istio_rewrite = containers(pod).iter().any(|o| o.name == "istio-proxy")
                    && p.http_get.as_ref().is_some_and(|h| {
                        h.path
                            .as_deref()
                            .is_some_and(|x| x.starts_with("/app-health/"))
                    });
                if container_declares(c, &port) || declared_in_pod || istio_rewrite {
                    continue;
                }
                let pr = cx.pod_ref(pod);
                let declared: Vec<DeclaredPort> = c
                    .ports
                    .iter()
                    .flatten()
                    .map(|p| DeclaredPort::of(&c.name, p))
                    .collect();
                let mut f = Finding::new(
                    &CHECK,
                    pr.clone(),
                    Problem::UndeclaredPort {
                        probe: kind,
                        container: c.name.clone(),
                        port: ProbePort::of(&port),
                    },
                )
                .evidence(Evidence::Probe {
                    probe: kind,
                    spec: ProbeSpec::of(p),
                })
                .evidence(Evidence::ContainerDeclares {
                    container: c.name.clone(),
                    ports: declared,
                })
                .about_pod(pod, blocks);
                let handler = if p.http_get.is_some() {
                    "httpGet"
                } else if p.tcp_socket.is_some() {
                    "tcpSocket"
                } else {
                    "grpc"
                };
                if let (Some(first), Some(owner)) = (
                    c.ports.as_ref().and_then(|v| v.first()),
                    workload_name(cx, pod),
                ) {
                    let value = match (&first.name, handler) {
                        (Some(n), "httpGet" | "tcpSocket") => serde_json::Value::String(n.clone()),
                        _ => serde_json::Value::from(first.container_port),
                    };
                    f = f.fix(format!(
                        "kubectl -n {} patch {owner} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/{ci}/{field}/{handler}/port\",\"value\":{value}}}]'",
                        pod.ns()
                    ));
                }
                out.push(f);
            }
        }
    }
}

/// `deployment/web` for the pod's top-level workload, if it has one.
fn workload_name(cx: &Context<'_>, pod: &k8s_openapi::api::core::v1::Pod) -> Option<String> {
    let o = crate::workload::owner_of(cx.snap, pod);
    match o.kind.api() {
        Some(crate::Kind::Deployment)
        | Some(crate::Kind::DaemonSet)
        | Some(crate::Kind::StatefulSet) => {
            Some(format!("{}/{}", o.kind.name().to_ascii_lowercase(), o.name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
