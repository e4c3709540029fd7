//! The `cloud-health-check-mismatch` check: the cloud load balancer's health check does not fit what the pods serve.
//!
//! Its explanation (what `kreach explain cloud-health-check-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/cloud-health-check-mismatch/`.

use k8s_openapi::api::core::v1::Service;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::network::Evidence;
use crate::object::MetaExt;
use crate::object::{ServiceExt, TrafficPolicy};
use crate::path::Via;
use crate::workload::{containers, selected_pods};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// GKE: the health check is set by a BackendConfig (named in the
    /// Service's `cloud.google.com/backend-config` annotation, as it is
    /// written there), which kreach does not read.
    BackendConfig { backend_config: String },
    /// The load balancer's health check does not fit the pods; further
    /// mismatches follow as evidence.
    Mismatch { cloud: Cloud, mismatch: Mismatch },
    /// GKE Ingress (ingress-gce) derives a backend's health check from the
    /// serving pods' HTTP readiness probe on the serving port; without one
    /// it checks `GET /` and only a 200 passes (a redirect fails it,
    /// though the kubelet counts 3xx as ready).
    GkeDefaultHealthCheck {
        /// The serving port (the container port the Service targets).
        serving_port: i32,
        /// The HTTP readiness probe's port when it probes another one.
        probe_port: Option<i32>,
    },
}

/// The cloud whose annotations set the health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    Aws,
    Azure,
    AlibabaCloud,
}

/// One way the health check does not fit what the pods serve. `annotation`
/// and `value`: the annotation that sets it, as written on the Service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Mismatch {
    /// The check speaks HTTPS; the pods' probes use these schemes (plain
    /// HTTP).
    HttpsAgainstHttp {
        annotation: String,
        value: String,
        probe_schemes: Vec<String>,
    },
    /// The check speaks plain HTTP; the pods' probes use HTTPS.
    HttpAgainstHttps { annotation: String, value: String },
    /// The check's port is not one the nodes serve for the Service.
    PortNotServed {
        annotation: String,
        value: String,
        /// What the check must hit instead (or the traffic port).
        expected: ExpectedPort,
    },
    /// The check's path is none of the paths the pods' probes use (it may
    /// not answer 200).
    PathNotProbed {
        annotation: String,
        value: String,
        probe_paths: Vec<String>,
    },
    /// No annotation sets the probe, and the cloud's default for this
    /// version probes the port's `appProtocol` on `/` (Azure since
    /// Kubernetes 1.24), a path none of the pods' probes use.
    DefaultPathNotProbed {
        /// The Service port whose `appProtocol` sets the probe.
        port: String,
        app_protocol: String,
        /// The nodes' kubelet version that has this default.
        version: String,
        probe_paths: Vec<String>,
    },
}

/// The port a health check must hit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ExpectedPort {
    /// `externalTrafficPolicy: Local`: the Service's `healthCheckNodePort`
    /// (0: not allocated).
    HealthCheckNodePort { port: i32 },
    /// One of the Service's nodePorts.
    NodePort { ports: Vec<i32> },
}

declare_check! {
    /// ## What it checks
    /// The load balancer's health-check settings in the Service's
    /// annotations (AWS `service.beta.kubernetes.io/aws-load-balancer-healthcheck-*`,
    /// Azure `service.beta.kubernetes.io/azure-load-balancer-health-probe-*`
    /// and `port_N_health-probe_*`, Alibaba Cloud
    /// `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-health-check-*`;
    /// GCP uses a BackendConfig, which is noted when present) against what
    /// the pods serve: protocol (HTTPS against a plain-HTTP app), port (a
    /// port no node listens on), path (not one the pods' probes use).
    /// Without annotations, the cloud's default for the cluster's version:
    /// on Azure since Kubernetes 1.24 a port with `appProtocol: http` or
    /// `https` is probed with that protocol on `/` (cloud-provider-azure,
    /// "Custom Load Balancer health probe"; up to 1.23 a TCP probe), which
    /// an ingress controller answers with 404 (Azure/AKS#3210). Behind
    /// GKE's Ingress (ingress-gce) without a BackendConfig, the backend's
    /// health check comes from the pods' HTTP readiness probe on the
    /// serving port, else it is `GET /` passed only by a 200 (GKE Ingress
    /// docs, "Health checks"): a redirect fails it though the kubelet
    /// counts 3xx as ready.
    ///
    /// ## Why it breaks reachability
    /// A health check the backends cannot pass marks every node unhealthy,
    /// and the load balancer drops all traffic although the cluster looks
    /// fine.
    ///
    /// ## How to fix
    /// Make the annotation match the app: the protocol it speaks, the
    /// traffic port (or `healthCheckNodePort` with `externalTrafficPolicy:
    /// Local`), a path it answers with 200 (on Azure,
    /// `service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path`).
    ///
    /// ## Example
    /// `kubectl -n shop annotate service web --overwrite service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol=Http`
    pub static CHECK = {
        name: "cloud-health-check-mismatch",
        layer: Cloud,
        needs: State,
        blocks: Maybe,
        decides: [LoadBalancer],
        reads: [Service, Pod],
        // Nodes, IngressClasses and Ingresses: the cloud and its version's
        // default probe, whether the pods are an ingress controller's, and
        // whether GKE's Ingress serves the path.
        uses: [Node, IngressClass, Ingress],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the cloud load balancer's health check does not fit what the pods serve",
        run: run,
    };
}

/// What the annotations say about the health check.
#[derive(Debug, Default)]
struct HealthCheck {
    cloud: Option<Cloud>,
    protocol: Option<(String, String)>,
    port: Option<(String, String)>,
    path: Option<(String, String)>,
}

fn read(svc: &Service) -> Option<HealthCheck> {
    let ann = svc.meta().annotations.clone().unwrap_or_default();
    let get = |k: &str| ann.get(k).map(|v| (k.to_string(), v.clone()));
    let aws = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-";
    let az = "service.beta.kubernetes.io/azure-load-balancer-health-probe-";
    let ali = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-health-check-";
    if ann.keys().any(|k| k.starts_with(aws)) {
        return Some(HealthCheck {
            cloud: Some(Cloud::Aws),
            protocol: get(&format!("{aws}protocol")),
            port: get(&format!("{aws}port")),
            path: get(&format!("{aws}path")),
        });
    }
    if ann.keys().any(|k| {
        k.starts_with(az)
            || (k.starts_with("service.beta.kubernetes.io/port_") && k.contains("_health-probe_"))
    }) {
        let per_port = |what: &str| {
            ann.iter()
                .find(|(k, _)| {
                    k.starts_with("service.beta.kubernetes.io/port_")
                        && k.ends_with(&format!("_health-probe_{what}"))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
        };
        return Some(HealthCheck {
            cloud: Some(Cloud::Azure),
            protocol: per_port("protocol").or_else(|| get(&format!("{az}protocol"))),
            port: per_port("port"),
            path: per_port("request-path").or_else(|| get(&format!("{az}request-path"))),
        });
    }
    if ann.keys().any(|k| k.starts_with(ali)) {
        return Some(HealthCheck {
            cloud: Some(Cloud::AlibabaCloud),
            protocol: get(&format!("{ali}type")),
            port: get(&format!("{ali}connect-port")),
            path: get(&format!("{ali}uri")),
        });
    }
    None
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    gke_ingress_health_checks(cx, out);
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer {
            continue;
        }
        let svc = e.svc;
        if let Some(bc) = svc.annotation("cloud.google.com/backend-config")
            && cx
                .snap
                .other_kinds
                .keys()
                .any(|k| k.ends_with("/BackendConfig"))
        {
            out.push(
                Finding::new(
                    &CHECK,
                    e.sref.clone(),
                    Problem::BackendConfig {
                        backend_config: bc.to_string(),
                    },
                )
                .info()
                .fix(format!("kubectl -n {} get backendconfig -o yaml", svc.ns()))
                .on_paths(e.paths.clone()),
            );
        }
        if let Some(f) = azure_default_probe(cx, e, svc) {
            out.push(f);
            continue;
        }
        let Some(hc) = read(svc) else { continue };
        let pods = selected_pods(cx.snap, svc);
        let spec = svc.spec.as_ref();
        let local = svc.external_traffic_policy() == TrafficPolicy::Local;
        let node_ports: Vec<i32> = spec
            .and_then(|s| s.ports.as_ref())
            .map(|ps| ps.iter().filter_map(|p| p.node_port).collect())
            .unwrap_or_default();
        let hc_node_port = spec.and_then(|s| s.health_check_node_port);
        // What the pods speak: their probes' schemes, and port names.
        let mut schemes: Vec<String> = Vec::new();
        let mut paths: Vec<String> = Vec::new();
        for p in &pods {
            for c in containers(p) {
                for pr in [&c.readiness_probe, &c.liveness_probe]
                    .into_iter()
                    .flatten()
                {
                    if let Some(h) = &pr.http_get {
                        schemes.push(
                            h.scheme
                                .clone()
                                .unwrap_or_else(|| "HTTP".into())
                                .to_ascii_uppercase(),
                        );
                        paths.push(h.path.clone().unwrap_or_else(|| "/".into()));
                    }
                }
            }
        }
        schemes.sort();
        schemes.dedup();
        paths.sort();
        paths.dedup();
        let mut problems: Vec<(Mismatch, bool)> = Vec::new();
        if let Some((k, v)) = &hc.protocol {
            let want = v.to_ascii_uppercase();
            if want == "HTTPS"
                && !schemes.is_empty()
                && !schemes.contains(&"HTTPS".to_string())
                && !local
            {
                problems.push((
                    Mismatch::HttpsAgainstHttp {
                        annotation: k.clone(),
                        value: v.clone(),
                        probe_schemes: schemes.clone(),
                    },
                    true,
                ));
            }
            if want == "HTTP" && schemes == ["HTTPS"] && !local {
                problems.push((
                    Mismatch::HttpAgainstHttps {
                        annotation: k.clone(),
                        value: v.clone(),
                    },
                    true,
                ));
            }
        }
        if let Some((k, v)) = &hc.port
            && let Ok(n) = v.parse::<i32>()
            && !node_ports.contains(&n)
            && Some(n) != hc_node_port
        {
            let expected = if local {
                ExpectedPort::HealthCheckNodePort {
                    port: hc_node_port.unwrap_or(0),
                }
            } else {
                ExpectedPort::NodePort {
                    ports: node_ports.clone(),
                }
            };
            problems.push((
                Mismatch::PortNotServed {
                    annotation: k.clone(),
                    value: v.clone(),
                    expected,
                },
                true,
            ));
        }
        if let Some((k, v)) = &hc.path
            && !paths.is_empty()
            && !paths.iter().any(|p| p == v)
            && !local
        {
            problems.push((
                Mismatch::PathNotProbed {
                    annotation: k.clone(),
                    value: v.clone(),
                    probe_paths: paths.clone(),
                },
                false,
            ));
        }
        if problems.is_empty() {
            continue;
        }
        let Some(cloud) = hc.cloud else { continue };
        let blocks = problems.iter().any(|(_, b)| *b);
        let mut f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::Mismatch {
                cloud,
                mismatch: problems[0].0.clone(),
            },
        )
        .evidence_all(
            problems
                .iter()
                .skip(1)
                .map(|(p, _)| Evidence::HealthCheckMismatch {
                    mismatch: p.clone(),
                }),
        )
        .blocking(blocks)
        .on_paths(e.paths.clone());
        if local {
            f = f.evidence(Evidence::LocalHealthCheckNodePort {
                port: hc_node_port.unwrap_or(0),
            });
        }
        if let Some((k, v)) = &hc.protocol
            && v.eq_ignore_ascii_case("https")
            && blocks
        {
            let fixed = if cloud == Cloud::Azure {
                "Http"
            } else {
                "HTTP"
            };
            f = f.fix(format!(
                "kubectl -n {} annotate service {} --overwrite {k}={fixed}",
                svc.ns(),
                svc.name()
            ));
        } else {
            f = f.fix(format!(
                "kubectl -n {} get service {} -o jsonpath='{{.metadata.annotations}}'",
                svc.ns(),
                svc.name()
            ));
        }
        out.push(f);
    }
}

/// `v1.24.6`, `v1.30.6-eks-…` → (1, 24).
fn minor_version(v: &str) -> Option<(u32, u32)> {
    let mut it = v.trim_start_matches('v').split(['.', '-', '+']);
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// Azure's default probe (no probe annotation on the Service): up to
/// Kubernetes 1.23 a TCP probe of the node port; since 1.24 the
/// cloud-provider-azure probes the port's `appProtocol` when it is `http`
/// or `https`, on the request path `/` ("Custom Load Balancer health
/// probe", cloud-provider-azure docs; Azure/AKS#3210 is the 1.24 upgrade
/// that broke ingress-nginx). With `externalTrafficPolicy: Local` the probe
/// goes to `healthCheckNodePort` instead, which kube-proxy answers.
fn azure_default_probe(
    cx: &Context<'_>,
    e: &crate::context::EntryService<'_>,
    svc: &Service,
) -> Option<Finding> {
    let az = "service.beta.kubernetes.io/azure-load-balancer-health-probe-";
    let annotated = svc.meta().annotations.iter().flatten().any(|(k, _)| {
        k.starts_with(az)
            || (k.starts_with("service.beta.kubernetes.io/port_") && k.contains("_health-probe_"))
    });
    if annotated || svc.external_traffic_policy() == TrafficPolicy::Local {
        return None;
    }
    // The nodes are Azure's, at 1.24 or later.
    let version = cx
        .snap
        .nodes
        .iter()
        .filter(|n| {
            n.spec
                .as_ref()
                .and_then(|s| s.provider_id.as_deref())
                .is_some_and(|p| p.starts_with("azure://"))
        })
        .filter_map(|n| {
            let v = &n.status.as_ref()?.node_info.as_ref()?.kubelet_version;
            Some((minor_version(v)?, v.clone()))
        })
        .min()?;
    if version.0 < (1, 24) {
        return None;
    }
    let port = svc.spec.as_ref()?.ports.iter().flatten().find(|p| {
        p.app_protocol
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("http") || a.eq_ignore_ascii_case("https"))
    })?;
    let pods = selected_pods(cx.snap, svc);
    let mut paths: Vec<String> = pods
        .iter()
        .flat_map(|p| containers(p))
        .flat_map(|c| [&c.readiness_probe, &c.liveness_probe])
        .flatten()
        .filter_map(|pr| pr.http_get.as_ref())
        .map(|h| h.path.clone().unwrap_or_else(|| "/".into()))
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() || paths.iter().any(|p| p == "/") {
        return None;
    }
    // An ingress controller answers `/` without a matching host with 404
    // (its default backend): the probe fails for certain.
    let controller = cx.snap.ingress_classes.iter().any(|ic| {
        ic.spec
            .as_ref()
            .and_then(|s| s.controller.as_deref())
            .is_some_and(|c| {
                crate::controller::find_controller(cx.snap, c, Some(ic.name()))
                    .pods
                    .iter()
                    .any(|cp| pods.iter().any(|p| std::ptr::eq(*p, *cp)))
            })
    });
    let first = paths[0].clone();
    Some(
        Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::Mismatch {
                cloud: Cloud::Azure,
                mismatch: Mismatch::DefaultPathNotProbed {
                    port: port.name.clone().unwrap_or_else(|| port.port.to_string()),
                    app_protocol: port.app_protocol.clone().unwrap_or_default(),
                    version: version.1,
                    probe_paths: paths,
                },
            },
        )
        .blocking(controller)
        .fix(format!(
            "kubectl -n {} annotate service {} {az}request-path={first}",
            svc.ns(),
            svc.name()
        ))
        .on_paths(e.paths.clone()),
    )
}

/// GKE Ingress health checks (cloud.google.com/kubernetes-engine/docs/
/// concepts/ingress, "Health checks"): without a BackendConfig, ingress-gce
/// takes the request path of the serving pods' HTTP(S) readiness probe
/// when the probe targets the serving port; otherwise the check is `GET /`
/// on the serving port, passed only by a 200.
fn gke_ingress_health_checks(cx: &Context<'_>, out: &mut Vec<Finding>) {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    for (i, _, sh, svc) in cx.ingress_backends_of("k8s.io/ingress-gce") {
        if svc.annotation("cloud.google.com/backend-config").is_some() {
            continue;
        }
        let Some(port) = &sh.port else { continue };
        let target = port
            .target_port
            .clone()
            .unwrap_or(IntOrString::Int(port.port));
        let Some(pod) = cx.res.paths[i]
            .pods
            .iter()
            .find_map(|r| cx.snap.pod(r.ns(), &r.name))
        else {
            continue;
        };
        let cs = containers(pod);
        let named = |name: &str| {
            cs.iter()
                .flat_map(|c| c.ports.iter().flatten())
                .find(|cp| cp.name.as_deref() == Some(name))
                .map(|cp| cp.container_port)
        };
        let serving = match &target {
            IntOrString::Int(n) => Some(*n),
            IntOrString::String(n) => named(n),
        };
        let Some(serving) = serving else { continue };
        let probes: Vec<i32> = cs
            .iter()
            .filter_map(|c| c.readiness_probe.as_ref()?.http_get.as_ref())
            .filter_map(|h| match &h.port {
                IntOrString::Int(n) => Some(*n),
                IntOrString::String(n) => named(n),
            })
            .collect();
        if probes.contains(&serving) {
            continue;
        }
        if out
            .iter()
            .any(|f| f.check == CHECK.name && f.object == sh.service)
        {
            continue;
        }
        out.push(
            Finding::new(
                &CHECK,
                sh.service.clone(),
                Problem::GkeDefaultHealthCheck {
                    serving_port: serving,
                    probe_port: probes.first().copied(),
                },
            )
            .blocking(false)
            .fix(format!(
                "kubectl -n {} get pods -l {} -o jsonpath='{{.items[0].spec.containers[*].readinessProbe}}'",
                svc.ns(),
                svc.spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .map(|m| m
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","))
                    .unwrap_or_default()
            ))
            .on_paths(vec![i]),
        );
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
