//! The `ingress-backend-port-not-found` check: the Ingress backend's port is not a port of the Service.
//!
//! Its explanation (what `kreach explain ingress-backend-port-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-backend-port-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::ingress::{BackendPort, Evidence, ServicePortMap};
use crate::object::ObjectRef;
use crate::object::{ServiceExt, ServiceType};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The backend's port is neither a port number nor a port name of the
    /// Service.
    PortNotFound {
        /// The backend Service.
        service: ObjectRef,
        /// The port the backend names.
        port: BackendPort,
    },
}

declare_check! {
    /// ## What it checks
    /// The port of the Ingress backend (`port.number` or `port.name`) is a
    /// port of the backend Service.
    ///
    /// ## Why it breaks reachability
    /// The controller resolves the backend to a Service port and its
    /// endpoints; a number or name the Service does not have resolves to
    /// nothing, and the controller answers 503.
    ///
    /// ## How to fix
    /// Use one of the Service's port numbers or names in the Ingress (the
    /// Service *port*, not the container's targetPort).
    ///
    /// ## Example
    /// Backend `web:8080`, Service `web` exposes `80 → 8080`:
    /// `kubectl -n shop patch ingress web --type json -p '[{"op":"replace","path":"/spec/rules/0/http/paths/0/backend/service/port","value":{"number":80}}]'`
    pub static CHECK = {
        name: "ingress-backend-port-not-found",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [Ingress],
        reads: [Ingress, Service],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Ingress backend's port is not a port of the Service",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, p) in cx.res.paths.iter().enumerate() {
        let (Some(ih), Some(sh)) = (&p.ingress, &p.service) else {
            continue;
        };
        if !sh.found || sh.port.is_some() {
            continue;
        }
        let Some(bp) = &ih.backend_port else { continue };
        let Some(svc) = cx.snap.service(sh.service.ns(), &sh.service.name) else {
            continue;
        };
        let ports = svc
            .spec
            .as_ref()
            .and_then(|s| s.ports.clone())
            .unwrap_or_default();
        if svc.service_type() == ServiceType::ExternalName && ports.is_empty() {
            continue; // ExternalName Services need not list ports
        }
        let shown: Vec<ServicePortMap> = ports
            .iter()
            .map(|sp| ServicePortMap {
                port: sp.port,
                name: sp.name.clone(),
                target_port: sp
                    .target_port
                    .as_ref()
                    .map(crate::checks::util::intstr)
                    .unwrap_or_else(|| sp.port.to_string()),
            })
            .collect();
        let port = match bp {
            crate::path::PortRef::Number(n) => BackendPort::Number(*n),
            crate::path::PortRef::Name(s) => BackendPort::Name(s.clone()),
        };
        let mut f = Finding::new(
            &CHECK,
            ih.ingress.clone(),
            Problem::PortNotFound {
                service: sh.service.clone(),
                port,
            },
        )
        .evidence(Evidence::ServicePorts { ports: shown });
        // A backend naming the targetPort instead of the Service port.
        if let crate::path::PortRef::Number(n) = bp
            && let Some(sp) = ports.iter().find(|sp| matches!(&sp.target_port, Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(t)) if t == n))
        {
            f = f.evidence(Evidence::TargetPortNotServicePort {
                target_port: *n,
                service_port: sp.port,
            });
        }
        if let (Some(first), Some(r), Some(pi)) = (ports.first(), ih.rule, ih.path_index) {
            f = f.fix(format!(
                "kubectl -n {} patch ingress {} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/rules/{r}/http/paths/{pi}/backend/service/port\",\"value\":{{\"number\":{}}}}}]'",
                ih.ingress.ns(),
                ih.ingress.name,
                first.port
            ));
        }
        // One finding per Ingress, Service and port (typed comparison).
        if !out
            .iter()
            .any(|g| g.object == f.object && g.problem == f.problem)
        {
            out.push(f.on_paths(vec![i]));
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
