//! The `service-protocol-mismatch` check: the Service port's protocol differs from the container port it targets.
//!
//! Its explanation (what `kreach explain service-protocol-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-protocol-mismatch/`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::checks::util::{declared_ports, protocol_of};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::DeclaredPort;
use crate::message::service::Evidence;
use crate::object::MetaExt;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A Service port targets a container port that the selected pods
    /// declare only under another protocol.
    ProtocolMismatch {
        /// The Service port (`spec.ports[].port`).
        port: i32,
        /// The Service port's protocol (`TCP` when unset).
        protocol: String,
        /// Its `targetPort`, a number or a port name.
        #[schemars(with = "crate::object::IntOrStringSchema")]
        target_port: IntOrString,
        /// The protocol the containers declare it under.
        declared_protocol: String,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service port's protocol against the protocol of the container port
    /// its `targetPort` names or numbers.
    ///
    /// ## Why it breaks reachability
    /// A named `targetPort` resolves by name *and* protocol: a Service port
    /// `514/TCP` with `targetPort: syslog` finds nothing in a container that
    /// declares `syslog` only as UDP, so the endpoints get no port and the
    /// Service forwards nowhere. With a numeric `targetPort` the number is
    /// used as is; a differing declared protocol is then a warning (the app
    /// may listen on both).
    ///
    /// ## How to fix
    /// Set the Service port's `protocol` to what the app speaks (or declare
    /// the container port under both protocols).
    ///
    /// ## Example
    /// `kubectl -n observability patch service syslog --type json -p '[{"op":"replace","path":"/spec/ports/0/protocol","value":"UDP"}]'`
    pub static CHECK = {
        name: "service-protocol-mismatch",
        layer: Service,
        needs: State,
        blocks: Maybe,
        decides: [Service],
        reads: [Service, Pod],
        uses: [],
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service port's protocol differs from the container port it targets",
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
            let matches = |p: &&k8s_openapi::api::core::v1::ContainerPort| match &target {
                IntOrString::String(n) => p.name.as_deref() == Some(n.as_str()),
                IntOrString::Int(n) => p.container_port == *n,
            };
            // Pods that have the port only under other protocols.
            let mut other = Vec::new();
            for pod in &f.pods {
                let ports = declared_ports(pod);
                let same = ports
                    .iter()
                    .any(|(_, cp)| matches(cp) && protocol_of(cp.protocol.as_deref()) == proto);
                if let Some((c, cp)) = ports
                    .iter()
                    .find(|(_, cp)| matches(cp) && protocol_of(cp.protocol.as_deref()) != proto)
                    && !same
                {
                    other.push((pod, *c, *cp));
                }
            }
            if other.is_empty() {
                continue;
            }
            let named = matches!(target, IntOrString::String(_));
            let (pod, c, cp) = other[0];
            let their = protocol_of(cp.protocol.as_deref());
            let mut finding = Finding::new(
                &CHECK,
                f.sref.clone(),
                Problem::ProtocolMismatch {
                    port: sp.port,
                    protocol: proto.to_string(),
                    target_port: target.clone(),
                    declared_protocol: their.to_string(),
                },
            )
            .evidence(Evidence::PodDeclaresPort {
                pod: pod.name().to_string(),
                port: DeclaredPort::of(c, cp),
            })
            .evidence(Evidence::DeclaredOnlyUnder {
                pods: other.len(),
                selected: f.pods.len(),
                protocol: their.to_string(),
            });
            if named {
                finding = finding
                    .evidence(Evidence::NamedTargetPortNeedsProtocol)
                    .blocking(other.len() == f.pods.len());
            } else {
                finding = finding
                    .evidence(Evidence::NumericTargetPortAsIs)
                    .blocking(false);
            }
            if sp.protocol.is_none() {
                finding = finding.evidence(Evidence::DefaultProtocol {
                    protocol: proto.to_string(),
                });
            }
            finding = finding.fix(format!(
                "kubectl -n {} patch service {} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/ports/{idx}/protocol\",\"value\":\"{their}\"}}]'",
                f.svc.ns(),
                f.svc.name()
            ));
            out.push(finding.on_paths(f.paths.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
