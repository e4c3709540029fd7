//! The `service-target-port-mismatch` check: the Service's targetPort is not a port its pods declare.
//!
//! Its explanation (what `kreach explain service-target-port-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-target-port-mismatch/`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::checks::util::{all_declared_ports, declared_ports, protocol_of};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::DeclaredPort;
use crate::message::service::Evidence;
use crate::object::MetaExt;
use crate::workload::is_ready;

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
        uses: [],
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
        for pp in f.path_ports() {
            let (idx, proto, target, sp) =
                (pp.index, pp.protocol.as_str(), pp.target.clone(), &pp.port);
            let (lacking, declaring_any): (Vec<_>, usize) = match &target {
                IntOrString::String(name) => {
                    // Pods lacking the name under every protocol; a name
                    // under another protocol is service-protocol-mismatch.
                    let lacking: Vec<_> = f
                        .pods
                        .iter()
                        .filter(|p| {
                            !all_declared_ports(p)
                                .iter()
                                .any(|(_, cp)| cp.name.as_deref() == Some(name.as_str()))
                        })
                        .collect();
                    (lacking, f.pods.len())
                }
                IntOrString::Int(n) => {
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

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
