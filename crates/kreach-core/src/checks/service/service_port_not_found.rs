//! The `service-port-not-found` check: the requested port is not a port of the Service behind the address.
//!
//! Its explanation (what `kreach explain service-port-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-port-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::Fix;
use crate::message::service::{Evidence, ListedPort};
use crate::object::ObjectRef;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The address the client uses belongs to a Service that does not
    /// list the requested port.
    NoSuchPort {
        /// The address the client uses (`198.51.100.80`).
        address: String,
        /// The Service that owns the address.
        service: ObjectRef,
        /// The port the client asks for.
        port: u16,
    },
}

declare_check! {
    /// ## What it checks
    /// The port the client uses (from the URL or `IP:PORT` target) against
    /// the ports of the Service that owns the address: a load balancer, an
    /// external IP, or an ingress controller's Service.
    ///
    /// ## Why it breaks reachability
    /// A load balancer or kube-proxy only forwards the ports the Service
    /// lists; a connection to any other port is refused or dropped before it
    /// reaches a pod.
    ///
    /// ## How to fix
    /// Use one of the Service's ports, or add the port to the Service.
    ///
    /// ## Example
    /// `curl http://203.0.113.60:8080/` while Service `web` exposes only 80:
    /// use port 80, or `kubectl -n shop edit service web`.
    pub static CHECK = {
        name: "service-port-not-found",
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
        summary: "the requested port is not a port of the Service behind the address",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::PortNotFound {
            service,
            port,
            address,
        } = issue
        else {
            continue;
        };
        let ports: Vec<ListedPort> = cx
            .snap
            .service(service.ns(), &service.name)
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.ports.as_ref())
            .map(|ps| {
                ps.iter()
                    .map(|p| ListedPort {
                        port: p.port,
                        protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        name: p.name.clone(),
                        node_port: p.node_port,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let first = ports.first().map(|p| p.port);
        let mut f = Finding::new(
            &CHECK,
            service.clone(),
            Problem::NoSuchPort {
                address: address.clone(),
                service: service.clone(),
                port: *port,
            },
        )
        .evidence(Evidence::ServicePorts { ports });
        if let Some(p) = first {
            f = f.fix(Fix::Advice(
                Evidence::UsePortOrAddIt {
                    use_port: p,
                    address: address.clone(),
                    requested_port: *port,
                    command: format!("kubectl -n {} edit service {}", service.ns(), service.name),
                }
                .into(),
            ));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
