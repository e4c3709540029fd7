//! The `service-not-exposed` check: the Service has no external entry (ClusterIP, no Ingress routes to it).
//!
//! Its explanation (what `kreach explain service-not-exposed` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-not-exposed/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::object::MetaExt;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
        summary: "the Service has no external entry (ClusterIP, no Ingress routes to it)",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::NotExposed { object, via } = issue else {
            continue;
        };
        let ns = object.ns();
        if object.kind == "Deployment" {
            out.push(
                Finding::new(&CHECK, object.clone(), format!("no Service selects the pods of deployment {}", object.name))
                    .evidence(format!("no Service in {ns} has a selector matching the Deployment's pod labels"))
                    .fix(format!("kubectl -n {ns} expose deployment {} --type LoadBalancer --port 80 --target-port <container port>", object.name)),
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
        let message = match via {
            Some(v) => format!("service has no {} entry (type {t})", v.name()),
            None => format!(
                "service is type {t} with no external IPs and no Ingress rule routing to it: it is reachable only inside the cluster"
            ),
        };
        let ingress_here = cx.snap.ingresses.iter().filter(|i| i.ns() == ns).count();
        let mut f = Finding::new(&CHECK, object.clone(), message).evidence(format!(
            "type {t}; {ingress_here} Ingress(es) in {ns}, none routes to {}",
            svc.name()
        ));
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
