//! The `nodeport-not-exposed` check: no Service has that nodePort, or the Service has no NodePorts.
//!
//! Its explanation (what `kreach explain nodeport-not-exposed` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/nodeport-not-exposed/`.

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
        let mut users: Vec<String> = Vec::new();
        for s in &cx.snap.services {
            for p in s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()) {
                if let Some(np) = p.node_port {
                    users.push(format!(
                        "{np} → Service {}/{} port {}",
                        s.ns(),
                        s.name(),
                        p.port
                    ));
                }
            }
        }
        users.sort();
        let mut f = if object.kind == "Node" {
            Finding::new(
                &CHECK,
                object.clone(),
                format!(
                    "no Service uses nodePort {} on node {} ({})",
                    port.unwrap_or(0),
                    object.name,
                    address.as_deref().unwrap_or("")
                ),
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
                format!("service is type {t}: it has no NodePorts"),
            )
            .fix(format!(
                "kubectl -n {} patch service {} -p '{{\"spec\":{{\"type\":\"NodePort\"}}}}'",
                object.ns(),
                object.name
            ))
        };
        f = if users.is_empty() {
            f.evidence("no Service in the cluster uses a NodePort")
        } else {
            f.evidence(format!(
                "nodePorts in use: {}",
                crate::checks::util::short_list(&users, 6)
            ))
        };
        if let (Some(p), "Node") = (port, object.kind.as_str()) {
            let range = (30000..=32767).contains(p);
            if !range {
                f = f.evidence(format!(
                    "{p} is outside the default NodePort range 30000-32767"
                ));
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
