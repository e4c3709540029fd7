//! The `service-port-not-found` check: the requested port is not a port of the Service behind the address.
//!
//! Its explanation (what `kreach explain service-port-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-port-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
        let ports: Vec<String> = cx
            .snap
            .service(service.ns(), &service.name)
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.ports.as_ref())
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        let np = p
                            .node_port
                            .map(|n| format!(" (nodePort {n})"))
                            .unwrap_or_default();
                        let name = p
                            .name
                            .as_deref()
                            .map(|n| format!(" \"{n}\""))
                            .unwrap_or_default();
                        format!(
                            "{}/{}{name}{np}",
                            p.port,
                            p.protocol.as_deref().unwrap_or("TCP")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut f = Finding::new(
            &CHECK,
            service.clone(),
            format!("{address} belongs to {service}, which has no port {port}"),
        )
        .evidence(format!(
            "the Service's ports: {}",
            if ports.is_empty() {
                "none".into()
            } else {
                ports.join(", ")
            }
        ));
        if let Some(first) = ports.first() {
            let p = first.split('/').next().unwrap_or("");
            f = f.fix(format!("use port {p} (e.g. {address}:{p}), or add port {port}: kubectl -n {} edit service {}", service.ns(), service.name));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
