//! The `nodeport-not-exposed` check: no Service has that nodePort, or the Service has no NodePorts.
//!
//! Its explanation (what `kreach explain nodeport-not-exposed` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/nodeport-not-exposed/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::{Evidence, NodePortUse};
use crate::object::MetaExt;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A node address and port that no Service uses as its `nodePort`.
    NodePortUnused {
        node: String,
        /// The node address the target names.
        address: String,
        node_port: u16,
    },
    /// A Service asked for with `--via nodeport` that has no NodePorts.
    ServiceHasNoNodePorts {
        /// `spec.type` (`ClusterIP`, …).
        service_type: String,
    },
}

declare_check! {
    /// ## What it checks
    /// The target is a node address with a port (`NODE_IP:PORT`) that no
    /// Service uses as its `nodePort`, or a Service asked for with
    /// `--via nodeport` has no NodePorts (it is ClusterIP).
    ///
    /// ## Why it breaks reachability
    /// kube-proxy opens on every node only the nodePorts that Services
    /// declare; any other port on a node refuses the connection.
    ///
    /// ## How to fix
    /// Use the nodePort the Service really has (kreach lists the Services
    /// that use NodePorts), or change the Service's type to `NodePort`.
    ///
    /// ## Example
    /// `kubectl -n shop patch service web -p '{"spec":{"type":"NodePort"}}'`
    pub static CHECK = {
        name: "nodeport-not-exposed",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [NodePort],
        reads: [Service, Node, Pod],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "no Service has that nodePort, or the Service has no NodePorts",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::NodePortNotExposed {
            object,
            port,
            address,
        } = issue
        else {
            continue;
        };
        // Which Services do use NodePorts, for the evidence.
        let mut users: Vec<NodePortUse> = Vec::new();
        for s in &cx.snap.services {
            for p in s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()) {
                if let Some(np) = p.node_port {
                    users.push(NodePortUse {
                        node_port: np,
                        namespace: s.ns().to_string(),
                        service: s.name().to_string(),
                        port: p.port,
                    });
                }
            }
        }
        users.sort();
        let mut f = if object.kind == crate::Kind::Node {
            Finding::new(
                &CHECK,
                object.clone(),
                Problem::NodePortUnused {
                    node: object.name.clone(),
                    address: address.clone().unwrap_or_default(),
                    node_port: port.unwrap_or(0),
                },
            )
        } else {
            let t = cx
                .snap
                .service(object.ns(), &object.name)
                .and_then(|s| s.spec.as_ref())
                .and_then(|s| s.type_.clone())
                .unwrap_or_else(|| "ClusterIP".into());
            Finding::new(
                &CHECK,
                object.clone(),
                Problem::ServiceHasNoNodePorts { service_type: t },
            )
            .fix(format!(
                "kubectl -n {} patch service {} -p '{{\"spec\":{{\"type\":\"NodePort\"}}}}'",
                object.ns(),
                object.name
            ))
        };
        f = if users.is_empty() {
            f.evidence(Evidence::NoNodePortInCluster)
        } else {
            f.evidence(Evidence::NodePortsInUse { ports: users })
        };
        if let Some(p) = port
            && object.kind == crate::Kind::Node
        {
            let range = (30000..=32767).contains(p);
            if !range {
                f = f.evidence(Evidence::OutsideNodePortRange { port: *p });
            }
            f = f.fix("kubectl get services -A -o wide | grep -E 'NodePort|LoadBalancer'");
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
