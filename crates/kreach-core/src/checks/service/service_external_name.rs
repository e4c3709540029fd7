//! The `service-external-name` check: the Service is an ExternalName alias; nothing in the cluster serves it.
//!
//! Its explanation (what `kreach explain service-external-name` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-external-name/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::Fix;
use crate::message::service::Evidence;
use crate::object::{MetaExt, obj_ref};
use crate::object::{ServiceExt, ServiceType};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service is of type `ExternalName`: a DNS alias (CNAME) that
    /// nothing in the cluster serves.
    ExternalName {
        /// `spec.externalName`, the name it aliases.
        external_name: String,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service on the path is of type `ExternalName`.
    ///
    /// ## Why it breaks reachability
    /// It does not, necessarily: an ExternalName Service is a DNS alias
    /// (CNAME) to a name outside the cluster, and nothing in the cluster
    /// serves it. Whether that name answers cannot be judged from state, and
    /// pods, endpoints and NetworkPolicies of the cluster play no part.
    ///
    /// ## How to fix
    /// Check the external name itself (DNS, the service behind it); turn the
    /// Service back into a selector-based one when the workload should run
    /// in the cluster.
    ///
    /// ## Example
    /// `kubectl -n shop get service web -o jsonpath='{.spec.externalName}'`
    pub static CHECK = {
        name: "service-external-name",
        layer: Service,
        needs: State,
        blocks: No,
        decides: [Service],
        reads: [Service],
        uses: [],
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service is an ExternalName alias; nothing in the cluster serves it",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for p in &cx.res.paths {
        let Some(hop) = &p.service else { continue };
        let Some(svc) = cx.snap.service(hop.service.ns(), &hop.service.name) else {
            continue;
        };
        let spec = svc.spec.as_ref();
        if svc.service_type() != ServiceType::ExternalName {
            continue;
        }
        let r = obj_ref(svc);
        if out.iter().any(|f| f.object == r) {
            continue;
        }
        let name = spec
            .and_then(|s| s.external_name.clone())
            .unwrap_or_default();
        out.push(
            Finding::new(
                &CHECK,
                r,
                Problem::ExternalName {
                    external_name: name.clone(),
                },
            )
            .evidence(Evidence::ExternalName {
                external_name: name.clone(),
            })
            .fix(Fix::CommandWithNote {
                command: format!("dig +short {name}"),
                note: Evidence::CheckServiceBehindName.into(),
            })
            .fix(format!(
                "kubectl -n {} get service {} -o yaml",
                svc.ns(),
                svc.name()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
