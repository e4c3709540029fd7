//! The `ingress-backend-service-not-found` check: the Ingress backend names a Service that does not exist in its namespace.
//!
//! Its explanation (what `kreach explain ingress-backend-service-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-backend-service-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::labels::closest;
use crate::message::ingress::Evidence;
use crate::object::MetaExt;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The backend names a Service the Ingress's namespace does not have.
    ServiceNotFound {
        /// The Service the backend names.
        service: String,
        /// The Ingress's namespace, where it must be.
        namespace: String,
    },
}

declare_check! {
    /// ## What it checks
    /// The backend Service of the Ingress rule (or default backend) on the
    /// path exists in the Ingress's namespace.
    ///
    /// ## Why it breaks reachability
    /// A controller can only route to a Service it finds, and an Ingress
    /// backend always refers to a Service in the Ingress's own namespace.
    /// With none, the controller answers 503 (ingress-nginx) or 404.
    ///
    /// ## How to fix
    /// Point the backend at the right Service name (kreach lists similar
    /// names), or create the Service in the Ingress's namespace.
    ///
    /// ## Example
    /// `kubectl -n shop patch ingress web --type json -p '[{"op":"replace","path":"/spec/rules/0/http/paths/0/backend/service/name","value":"web"}]'`
    pub static CHECK = {
        name: "ingress-backend-service-not-found",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [Ingress],
        reads: [Ingress, Service],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Ingress backend names a Service that does not exist in its namespace",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, p) in cx.res.paths.iter().enumerate() {
        let (Some(ih), Some(sh)) = (&p.ingress, &p.service) else {
            continue;
        };
        if sh.found {
            continue;
        }
        let ns = ih.ingress.ns();
        let name = &sh.service.name;
        if let Some(f) = out.iter_mut().find(|f| {
            f.object == ih.ingress
                && matches!(
                    &f.problem,
                    crate::message::Problem::IngressBackendServiceNotFound(
                        Problem::ServiceNotFound { service, .. }
                    ) if service == name
                )
        }) {
            f.paths.push(i);
            continue;
        }
        let here: Vec<&str> = cx
            .snap
            .services
            .iter()
            .filter(|s| s.ns() == ns)
            .map(|s| s.name())
            .collect();
        let near = closest(name, here.iter().copied(), 3);
        let elsewhere: Vec<String> = cx
            .snap
            .services
            .iter()
            .filter(|s| s.name() == name && s.ns() != ns)
            .map(|s| s.ns().to_string())
            .collect();
        let mut f = Finding::new(
            &CHECK,
            ih.ingress.clone(),
            Problem::ServiceNotFound {
                service: name.clone(),
                namespace: ns.to_string(),
            },
        );
        f = f.evidence(match ih.rule {
            Some(rule) => Evidence::UsedByRule {
                rule,
                host: ih.host.clone(),
                path: ih.path.clone(),
            },
            None => Evidence::UsedByDefaultBackend,
        });
        if !near.is_empty() {
            f = f.evidence(Evidence::SimilarServices {
                namespace: ns.to_string(),
                services: near.clone(),
            });
        }
        if !elsewhere.is_empty() {
            f = f.evidence(Evidence::ServiceInOtherNamespaces {
                service: name.clone(),
                namespaces: elsewhere,
                namespace: ns.to_string(),
            });
        }
        if let (Some(n), Some(r), Some(pi)) = (near.first(), ih.rule, ih.path_index) {
            f = f.fix(format!(
                "kubectl -n {ns} patch ingress {} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/rules/{r}/http/paths/{pi}/backend/service/name\",\"value\":\"{n}\"}}]'",
                ih.ingress.name
            ));
        } else {
            f = f.fix(format!("kubectl -n {ns} get services"));
        }
        out.push(f.on_paths(vec![i]));
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
