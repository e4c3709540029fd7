//! The `pod-probe-port-mismatch` check: a probe targets a port the container does not declare.
//!
//! Its explanation (what `kreach explain pod-probe-port-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/pod-probe-port-mismatch/`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::checks::util::{container_declares, probe_passes, probe_port};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::DeclaredPort;
use crate::message::pod::{Evidence, ProbeKind, ProbePort, ProbeSpec};
use crate::object::MetaExt;
use crate::workload::long_running;

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
    /// and not reported.) Native sidecars (init containers with
    /// `restartPolicy: Always`) are containers like the others.
    ///
    /// Declared ports are informational, so runtime evidence beats them: a
    /// probe that the pod's state shows passing is not reported (a ready
    /// container's readiness probe, a started container's startup probe, a
    /// liveness probe of a container that has run with few restarts for
    /// longer than the probe takes to kill it). CoreDNS probes 8080
    /// `/health` and 8181 `/ready` without declaring either.
    ///
    /// ## Why it breaks reachability
    /// A probe aimed at a port nothing listens on always fails: a readiness
    /// probe keeps the pod out of the endpoints forever, a liveness probe
    /// kills it over and over.
    ///
    /// ## How to fix
    /// Point the probe at the port the app serves (or declare and serve the
    /// port the probe expects). The suggested patch only names a declared
    /// TCP port whose name says it answers the probe (`http…` for an HTTP
    /// probe, `grpc…` for a gRPC one); without one it opens the workload.
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
        reads: [Pod, Service],
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
        let running = long_running(pod);
        for r in &running {
            let c = r.container;
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
                    && running
                        .iter()
                        .any(|o| container_declares(o.container, &port));
                // Istio rewrites probes to its agent (port 15020, /app-health/…).
                let istio_rewrite = running.iter().any(|o| o.container.name == "istio-proxy")
                    && p.http_get.as_ref().is_some_and(|h| {
                        h.path
                            .as_deref()
                            .is_some_and(|x| x.starts_with("/app-health/"))
                    });
                // Declared ports are informational: a probe the pod's state
                // shows passing reaches something that listens (CoreDNS
                // probes 8080 /health and 8181 /ready, declaring neither).
                let passes = probe_passes(pod, r, kind, p, cx.now());
                if container_declares(c, &port) || declared_in_pod || istio_rewrite || passes {
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
                if let Some(owner) = workload_name(cx, pod) {
                    match suggested_port(c, handler) {
                        Some(first) => {
                            let value = match (&first.name, handler) {
                                (Some(n), "httpGet" | "tcpSocket") => {
                                    serde_json::Value::String(n.clone())
                                }
                                _ => serde_json::Value::from(first.container_port),
                            };
                            let list = r.list.field();
                            let ci = r.index;
                            f = f.fix(format!(
                                "kubectl -n {} patch {owner} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/template/spec/{list}/{ci}/{field}/{handler}/port\",\"value\":{value}}}]'",
                                pod.ns()
                            ));
                        }
                        // No declared port this probe could speak to: the
                        // probe's port is to be chosen by who knows the app.
                        None => f = f.fix(format!("kubectl -n {} edit {owner}", pod.ns())),
                    }
                }
                out.push(f);
            }
        }
    }
}

/// The declared port a probe of `handler` could be pointed at instead:
/// a TCP port (probes never speak UDP or SCTP), for an HTTP or gRPC probe
/// one whose name says it speaks that (`http`, `http-metrics`, `health`,
/// `grpc`; a DNS port or a bare `metrics` port would not answer the
/// probe's request). The first such port; none when there is none.
fn suggested_port<'a>(
    c: &'a k8s_openapi::api::core::v1::Container,
    handler: &str,
) -> Option<&'a k8s_openapi::api::core::v1::ContainerPort> {
    let speaks = |name: &str| {
        let name = name.to_ascii_lowercase();
        match handler {
            "httpGet" => ["http", "health", "web"].iter().any(|w| name.contains(w)),
            "grpc" => name.contains("grpc"),
            _ => true,
        }
    };
    c.ports.iter().flatten().find(|cp| {
        crate::checks::util::protocol_of(cp.protocol.as_deref()).eq_ignore_ascii_case("TCP")
            && (handler == "tcpSocket" || cp.name.as_deref().is_some_and(speaks))
    })
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

    use super::*;
    use k8s_openapi::api::core::v1::{Container, Pod};

    fn container(ports: &str) -> Container {
        serde_saphyr::from_str(&format!("name: app\nports: {ports}\n")).expect("container")
    }

    #[test]
    fn a_fix_never_points_a_probe_at_a_port_that_cannot_answer_it() {
        // CoreDNS: dns/UDP first, then dns-tcp and metrics.
        let coredns = container(
            "[{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53, protocol: TCP}, {name: metrics, containerPort: 9153, protocol: TCP}]",
        );
        assert_eq!(suggested_port(&coredns, "httpGet"), None);
        assert_eq!(suggested_port(&coredns, "grpc"), None);
        let tcp = suggested_port(&coredns, "tcpSocket").and_then(|p| p.name.as_deref());
        assert_eq!(tcp, Some("dns-tcp"));
        let web = container(
            "[{name: syslog, containerPort: 514, protocol: UDP}, {name: metrics, containerPort: 9090}, {name: http, containerPort: 8080}]",
        );
        let http = suggested_port(&web, "httpGet").and_then(|p| p.name.as_deref());
        assert_eq!(http, Some("http"));
        let udp_http = container("[{name: http, containerPort: 8080, protocol: UDP}]");
        assert_eq!(suggested_port(&udp_http, "httpGet"), None);
    }

    fn pod(status: &str) -> Pod {
        serde_saphyr::from_str(&format!(
            r#"
metadata: {{name: coredns-1, namespace: kube-system}}
spec:
  containers:
  - name: coredns
    ports: [{{name: dns, containerPort: 53, protocol: UDP}}]
    livenessProbe: {{httpGet: {{path: /health, port: 8080}}, initialDelaySeconds: 60, failureThreshold: 5, periodSeconds: 10, timeoutSeconds: 5}}
    readinessProbe: {{httpGet: {{path: /ready, port: 8181}}}}
status:
  phase: Running
  containerStatuses:
  - {{name: coredns, image: coredns, imageID: x, {status}}}
"#
        ))
        .expect("pod")
    }

    #[test]
    fn runtime_state_shows_which_probes_pass() {
        use crate::message::pod::ProbeKind;
        let now: k8s_openapi::jiff::Timestamp = "2026-11-20T12:00:00Z".parse().expect("now");
        let check = |status: &str, kind: ProbeKind| {
            let p = pod(status);
            let r = long_running(&p)[0];
            let probe = match kind {
                ProbeKind::Readiness => r.container.readiness_probe.clone(),
                _ => r.container.liveness_probe.clone(),
            }
            .expect("probe");
            probe_passes(&p, &r, kind, &probe, now)
        };
        let running = |since: &str, restarts: i32, ready: bool| {
            format!(
                "ready: {ready}, started: true, restartCount: {restarts}, state: {{running: {{startedAt: '{since}'}}}}"
            )
        };
        // Ready: the readiness probe passed.
        assert!(check(
            &running("2026-11-01T00:00:00Z", 0, true),
            ProbeKind::Readiness
        ));
        assert!(!check(
            &running("2026-11-01T00:00:00Z", 0, false),
            ProbeKind::Readiness
        ));
        // Running longer than 60s + 5 x 10s (+ 5s timeout) with few restarts.
        assert!(check(
            &running("2026-11-20T11:57:00Z", 1, false),
            ProbeKind::Liveness
        ));
        assert!(!check(
            &running("2026-11-20T11:58:30Z", 0, true),
            ProbeKind::Liveness
        ));
        assert!(!check(
            &running("2026-11-01T00:00:00Z", 12, true),
            ProbeKind::Liveness
        ));
        assert!(!check(
            "ready: false, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff}}",
            ProbeKind::Liveness
        ));
    }
}
