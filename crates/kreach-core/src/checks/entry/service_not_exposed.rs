//! The `service-not-exposed` check: the Service has no external entry (ClusterIP, no Ingress routes to it).
//!
//! Its explanation (what `kreach explain service-not-exposed` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-not-exposed/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::MetaExt;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A `deploy/` target whose pods no Service selects.
    DeploymentNotSelected { deployment: String },
    /// `--via` asks for an entry kind the Service does not have.
    NoEntryOfKind {
        /// The entry kind asked for (`loadbalancer`, `ingress`, `externalip`).
        via: crate::path::Via,
        /// `spec.type` (`ClusterIP`, …).
        service_type: String,
    },
    /// `--via` asks for an entry kind the target does not have, and the
    /// only way in is this Ingress (whose backend Service is missing).
    OnlyIngress {
        /// The entry kind asked for.
        via: crate::path::Via,
    },
    /// No external entry at all: no external IPs, and no Ingress routes to
    /// it.
    ClusterInternalOnly {
        /// `spec.type` (`ClusterIP`, …).
        service_type: String,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service on the target has no external entry at all: type
    /// `ClusterIP`, no `externalIPs`, and no Ingress rule routes to it; or
    /// `--via loadbalancer/ingress/externalip` asks for an entry kind it
    /// does not have. For a `deploy/` target, each Service that selects the
    /// Deployment's pods (the Deployment itself when none does).
    ///
    /// ## Why it breaks reachability
    /// A ClusterIP is only reachable inside the cluster: a client outside
    /// has no address to connect to. (The walk goes on, so the Service's
    /// pods are still checked.)
    ///
    /// ## How to fix
    /// Expose it: change the type to `NodePort` or `LoadBalancer`, or route
    /// to it from an Ingress.
    ///
    /// ## Example
    /// `kubectl -n shop patch service web -p '{"spec":{"type":"LoadBalancer"}}'`
    pub static CHECK = {
        name: "service-not-exposed",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, Ingress, Pod],
        uses: [],
        applies: internal_only,
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service has no external entry (ClusterIP, no Ingress routes to it)",
        run: run,
    };
}

/// Where it applies: a Service hop of a `ClusterIP` Service (one with a
/// node port or a load balancer has its own entry).
fn internal_only(snap: &crate::Snapshot, hop: &crate::path::Hop) -> bool {
    use crate::object::{ServiceExt, ServiceType};
    snap.service(hop.object.ns(), &hop.object.name)
        .is_some_and(|s| s.service_type() == ServiceType::ClusterIP)
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::NotExposed { object, via } = issue else {
            continue;
        };
        let ns = object.ns();
        if object.kind == crate::Kind::Deployment {
            out.push(
                Finding::new(
                    &CHECK,
                    object.clone(),
                    Problem::DeploymentNotSelected {
                        deployment: object.name.clone(),
                    },
                )
                .evidence(Evidence::NoServiceSelectsDeployment {
                    namespace: ns.to_string(),
                })
                    .fix(format!("kubectl -n {ns} expose deployment {} --type LoadBalancer --port 80 --target-port <container port>", object.name)),
            );
            continue;
        }
        if object.kind == crate::Kind::Ingress
            && let Some(v) = via
        {
            out.push(
                Finding::new(&CHECK, object.clone(), Problem::OnlyIngress { via: *v })
                    .fix(format!("kreach diagnose {} --via ingress", cx.res.input)),
            );
            continue;
        }
        let Some(svc) = cx.snap.service(ns, &object.name) else {
            continue;
        };
        let t = svc
            .spec
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            .unwrap_or("ClusterIP");
        let problem = match via {
            Some(v) => Problem::NoEntryOfKind {
                via: *v,
                service_type: t.to_string(),
            },
            None => Problem::ClusterInternalOnly {
                service_type: t.to_string(),
            },
        };
        let ingress_here = cx.snap.ingresses.iter().filter(|i| i.ns() == ns).count();
        let mut f =
            Finding::new(&CHECK, object.clone(), problem).evidence(Evidence::NoIngressRoutesTo {
                service: svc.name().to_string(),
                service_type: t.to_string(),
                namespace: ns.to_string(),
                ingresses: ingress_here,
            });
        if via.is_none() || *via == Some(crate::path::Via::LoadBalancer) {
            f = f.fix(format!(
                "kubectl -n {ns} patch service {} -p '{{\"spec\":{{\"type\":\"LoadBalancer\"}}}}'",
                svc.name()
            ));
        }
        if via.is_none() || *via == Some(crate::path::Via::Ingress) {
            let port = svc
                .spec
                .as_ref()
                .and_then(|s| s.ports.as_ref())
                .and_then(|p| p.first())
                .map_or(80, |p| p.port);
            f = f.fix(format!(
                "kubectl -n {ns} create ingress {} --rule='HOST/*={}:{port}'",
                svc.name(),
                svc.name()
            ));
        }
        out.push(
            f.on_paths(
                (0..cx.res.paths.len())
                    .filter(|&i| {
                        cx.res.paths[i]
                            .service
                            .as_ref()
                            .is_some_and(|s| s.service == *object)
                    })
                    .collect(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
