//! The `service-target-port-mismatch` check: the Service's targetPort is not a port its pods declare.
//!
//! Its explanation (what `kreach explain service-target-port-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-target-port-mismatch/`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use k8s_openapi::api::core::v1::Pod;

use crate::checks::util::{all_declared_ports, declared_ports, passing_probe_ports, protocol_of};
use crate::context::Context;
use crate::declare_check;
use crate::endpoints::{Published, published};
use crate::finding::Finding;
use crate::message::common::DeclaredPort;
use crate::message::service::Evidence;
use crate::object::MetaExt;
use crate::workload::{is_ready, pod_ips};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A named `targetPort` that some selected pods have under no protocol.
    NamedPortMissing {
        /// The `targetPort` name.
        target_port: String,
        /// The Service port (`spec.ports[].port`).
        port: i32,
        /// The Service port's protocol (`TCP` when unset).
        protocol: String,
        /// How many selected pods lack the name.
        lacking: usize,
        /// How many pods the selector matches.
        selected: usize,
    },
    /// A numeric `targetPort` that some pods do not declare while they
    /// declare other ports.
    NumberNotDeclared {
        /// The `targetPort` number.
        target_port: i32,
        /// The Service port (`spec.ports[].port`).
        port: i32,
        /// The Service port's protocol (`TCP` when unset).
        protocol: String,
        /// How many of the `declaring` pods do not declare it.
        lacking: usize,
        /// How many selected pods declare any port.
        declaring: usize,
    },
}

declare_check! {
    /// ## What it checks
    /// The Service's `targetPort` against the ports its pods' containers
    /// declare: a named `targetPort` that no matching container has under
    /// any protocol, or a numeric one that is not declared while the
    /// containers declare other ports.
    ///
    /// The containers are those that run for the life of the pod: the
    /// regular ones and the native sidecars (init containers with
    /// `restartPolicy: Always`, Kubernetes >= 1.29), whose ports a named
    /// `targetPort` resolves to as well. Runtime evidence beats the
    /// declarations: a named port for which the endpoints controller
    /// published the pod with a port number did resolve, and a numeric
    /// port that the pod's own passing probe connects to (a ready
    /// container's readiness probe, a started container's startup probe, a
    /// liveness probe that has had time to kill it) is served. The
    /// endpoints are no evidence for a numeric port: the controller copies
    /// the number whatever listens.
    ///
    /// ## Why it breaks reachability
    /// A named `targetPort` resolves per pod, by name and protocol; pods
    /// without it are left out of the endpoints (the EndpointSlice lists
    /// them with `ports: null`), so the Service has nowhere to send traffic.
    /// A numeric `targetPort` is used as it is: if the app listens on another
    /// port, connections are refused. Declared ports are informational, so
    /// the numeric case is inferred from the declarations; confirm it with
    /// `--cluster-probe`.
    ///
    /// ## How to fix
    /// Point `targetPort` at the port the containers declare (or rename the
    /// container port back).
    ///
    /// ## Example
    /// A rollout renamed the container port `http` to `web`:
    /// `kubectl -n shop patch service web --type json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":"web"}]'`
    pub static CHECK = {
        name: "service-target-port-mismatch",
        layer: Service,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, Pod],
        uses: [Endpoints, EndpointSlice],
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service's targetPort is not a port its pods declare",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for f in &cx.services {
        if f.pods.is_empty() {
            continue;
        }
        let published = published(cx.snap, f.svc.ns(), f.svc.name());
        for pp in f.path_ports() {
            let (idx, proto, target, sp) =
                (pp.index, pp.protocol.as_str(), pp.target.clone(), &pp.port);
            let (lacking, declaring_any): (Vec<_>, usize) = match &target {
                IntOrString::String(name) => {
                    // Pods lacking the name under every protocol (in their
                    // containers and native sidecars); a name under another
                    // protocol is service-protocol-mismatch. An endpoint the
                    // controller published for the pod with a number for
                    // this port shows that the name resolved.
                    let port_name = sp.name.as_deref().unwrap_or("");
                    let lacking: Vec<_> = f
                        .pods
                        .iter()
                        .filter(|p| {
                            !all_declared_ports(p)
                                .iter()
                                .any(|(_, cp)| cp.name.as_deref() == Some(name.as_str()))
                                && !resolved_by_controller(&published, p, port_name, proto)
                        })
                        .collect();
                    (lacking, f.pods.len())
                }
                IntOrString::Int(n) => {
                    // Declared ports are informational: a port the pod's
                    // own passing probe connects to is served.
                    let declaring: Vec<_> = f
                        .pods
                        .iter()
                        .filter(|p| !declared_ports(p).is_empty())
                        .collect();
                    let lacking: Vec<_> = declaring
                        .iter()
                        .copied()
                        .filter(|p| {
                            !declared_ports(p)
                                .iter()
                                .any(|(_, cp)| cp.container_port == *n)
                                && !passing_probe_ports(p, cx.now()).contains(n)
                        })
                        .collect();
                    (lacking, declaring.len())
                }
            };
            if lacking.is_empty() || declaring_any == 0 {
                continue;
            }
            let ready_with = f
                .pods
                .iter()
                .filter(|p| is_ready(p) && !lacking.iter().any(|q| std::ptr::eq(**q, **p)))
                .count();
            let blocks = ready_with == 0;
            let sample = lacking[0];
            let mut finding = match &target {
                IntOrString::String(name) => Finding::new(
                    &CHECK,
                    f.sref.clone(),
                    Problem::NamedPortMissing {
                        target_port: name.clone(),
                        port: sp.port,
                        protocol: proto.to_string(),
                        lacking: lacking.len(),
                        selected: f.pods.len(),
                    },
                )
                .evidence(Evidence::NamedTargetPortPerPod),
                IntOrString::Int(n) => Finding::new(
                    &CHECK,
                    f.sref.clone(),
                    Problem::NumberNotDeclared {
                        target_port: *n,
                        port: sp.port,
                        protocol: proto.to_string(),
                        lacking: lacking.len(),
                        declaring: declaring_any,
                    },
                )
                .evidence(Evidence::InferredFromDeclaredPorts),
            };
            let names: Vec<String> = lacking.iter().map(|p| p.name().to_string()).collect();
            finding = finding
                .evidence(Evidence::PodsWithoutTargetPort { pods: names })
                .evidence(Evidence::PodDeclaresPorts {
                    pod: sample.name().to_string(),
                    ports: declared_ports(sample)
                        .into_iter()
                        .map(|(c, cp)| DeclaredPort::of(c, cp))
                        .collect(),
                })
                .blocking(blocks);
            if !blocks {
                finding = finding.partial();
            }
            // Suggest the declared port with the Service port's protocol.
            let candidates: Vec<_> = declared_ports(sample)
                .into_iter()
                .filter(|(_, cp)| protocol_of(cp.protocol.as_deref()) == proto)
                .collect();
            if let [(_, cp)] = candidates.as_slice() {
                let value = match (&target, &cp.name) {
                    (IntOrString::String(_), Some(n)) => serde_json::Value::String(n.clone()),
                    _ => serde_json::Value::from(cp.container_port),
                };
                finding = finding.fix(format!(
                    "kubectl -n {} patch service {} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/ports/{idx}/targetPort\",\"value\":{value}}}]'",
                    f.svc.ns(),
                    f.svc.name()
                ));
            } else {
                finding = finding.fix(format!(
                    "kubectl -n {} edit service {}",
                    f.svc.ns(),
                    f.svc.name()
                ));
            }
            out.push(
                finding
                    .related(lacking.iter().map(|p| cx.pod_ref(p)))
                    .on_paths(f.paths.clone()),
            );
        }
    }
}

/// Whether the endpoints published for the Service give `pod` a port
/// under the Service port `port_name` (the endpoints controller resolved
/// its named targetPort there).
fn resolved_by_controller(
    published: &[Published],
    pod: &Pod,
    port_name: &str,
    protocol: &str,
) -> bool {
    let ips = pod_ips(pod);
    published.iter().any(|e| {
        let is_pod = e
            .names_pod(pod)
            .unwrap_or_else(|| e.addresses.iter().any(|a| ips.contains(a)));
        is_pod && e.port_named(port_name, protocol).is_some()
    })
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);

    use super::*;
    use crate::endpoints::PublishedPort;
    use crate::snapshot::Kind;

    fn pod() -> Pod {
        serde_saphyr::from_str(
            r#"
metadata: {name: web-1, namespace: shop, uid: u1}
spec:
  containers: [{name: web, ports: [{name: web, containerPort: 3000}]}]
status: {phase: Running, podIP: 10.244.1.5}
"#,
        )
        .expect("pod")
    }

    fn endpoint(target: Option<(&str, &str)>, ports: &[(&str, i32)]) -> Published {
        Published {
            addresses: vec!["10.244.1.5".into()],
            ready: true,
            serving_terminating: false,
            target: target.map(|(name, uid)| k8s_openapi::api::core::v1::ObjectReference {
                kind: Some("Pod".into()),
                name: Some(name.into()),
                namespace: Some("shop".into()),
                uid: Some(uid.into()),
                ..Default::default()
            }),
            ports: ports
                .iter()
                .map(|(name, port)| PublishedPort {
                    name: (*name).into(),
                    port: *port,
                    protocol: "TCP".into(),
                })
                .collect(),
        }
    }

    /// The sidecar's port resolves from the pod spec alone: without the
    /// published endpoints (which would show it too) the check stays
    /// silent, and it fires when the sidecar is a plain init container.
    #[test]
    fn a_native_sidecar_port_resolves_without_endpoint_evidence() {
        let path = crate::testing::fixtures_dir()
            .join("checks/service-target-port-mismatch/silent-native-sidecar.yaml");
        let fx = crate::testing::load_fixture(&path);
        let (target, opts) = fx.query();
        let run = |plain_init: bool| {
            let mut snap = crate::snapshot::Snapshot::default();
            for d in &fx.documents {
                let kind = d.as_object().and_then(crate::ingest::kind_of);
                if matches!(kind, Some(Kind::Endpoints | Kind::EndpointSlice)) {
                    continue;
                }
                let mut d = d.clone();
                if plain_init && let Some(ics) = d.pointer_mut("/spec/initContainers") {
                    for c in ics.as_array_mut().into_iter().flatten() {
                        c.as_object_mut().map(|o| o.remove("restartPolicy"));
                    }
                }
                snap.add_value(d, "test");
            }
            snap.finish();
            crate::diagnose::diagnose(&snap, &fx.target, &target, &opts)
                .findings
                .iter()
                .filter(|f| f.check == CHECK.name)
                .count()
        };
        assert_eq!(run(false), 0);
        assert_eq!(run(true), 1);
    }

    #[test]
    fn a_port_the_controller_published_for_the_pod_resolved() {
        let p = pod();
        let mine = endpoint(Some(("web-1", "u1")), &[("http", 3000)]);
        assert!(resolved_by_controller(
            std::slice::from_ref(&mine),
            &p,
            "http",
            "TCP"
        ));
        // Another Service port, another protocol, no port (the slice of
        // pods the name did not resolve in), another pod: no evidence.
        assert!(!resolved_by_controller(
            std::slice::from_ref(&mine),
            &p,
            "metrics",
            "TCP"
        ));
        assert!(!resolved_by_controller(&[mine], &p, "http", "UDP"));
        let unresolved = endpoint(Some(("web-1", "u1")), &[]);
        assert!(!resolved_by_controller(&[unresolved], &p, "http", "TCP"));
        let other = endpoint(Some(("web-1", "u0")), &[("http", 3000)]);
        assert!(!resolved_by_controller(&[other], &p, "http", "TCP"));
        // Without targetRef, the pod's IP tells.
        let by_ip = endpoint(None, &[("http", 3000)]);
        assert!(resolved_by_controller(&[by_ip], &p, "http", "TCP"));
    }
}
