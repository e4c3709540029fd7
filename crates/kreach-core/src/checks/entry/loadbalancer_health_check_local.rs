//! The `loadbalancer-health-check-local` check: externalTrafficPolicy Local and no load-balancer node hosts a ready endpoint.
//!
//! Its explanation (what `kreach explain loadbalancer-health-check-local` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-health-check-local/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::MetaExt;
use crate::object::{ServiceExt, ServiceType, TrafficPolicy};
use crate::path::Via;
use crate::workload::{is_ready, node_name, selected_pods};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A load balancer with `externalTrafficPolicy: Local` none of whose
    /// nodes hosts a ready endpoint: every health check fails.
    NoLoadBalancerNodeHostsEndpoint {
        /// `spec.healthCheckNodePort`, when set.
        health_check_node_port: Option<i32>,
    },
    /// A client addressing a node's NodePort, with
    /// `externalTrafficPolicy: Local`, on a node without a ready endpoint.
    EntryNodeHostsNoEndpoint {
        /// The node(s) the client addresses.
        nodes: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A load-balancer Service with `externalTrafficPolicy: Local`: which
    /// nodes the load balancer may use (nodes labelled
    /// `node.kubernetes.io/exclude-from-external-load-balancers`, and before
    /// Kubernetes 1.21 those labelled `node-role.kubernetes.io/master`, are
    /// not backends at all: see `loadbalancer-no-eligible-nodes`, which
    /// reports a load balancer left with no node) and whether any of them
    /// hosts a ready endpoint.
    ///
    /// ## Why it breaks reachability
    /// With `Local`, kube-proxy answers the load balancer's health check on
    /// `healthCheckNodePort` only on nodes that host a ready endpoint, and
    /// forwards only to local pods. Nodes without endpoints failing the
    /// check is normal; when no eligible node has one, every backend fails
    /// and the load balancer drops all traffic. The same holds for a client
    /// that addresses a node's NodePort itself: a node without a ready
    /// endpoint drops it.
    ///
    /// ## How to fix
    /// Run ready pods on nodes the load balancer uses (spread the pods,
    /// remove the exclusion label, fix the nodeSelector), or switch to
    /// `externalTrafficPolicy: Cluster` (which loses the client address).
    ///
    /// ## Example
    /// `kubectl -n shop patch service web -p '{"spec":{"externalTrafficPolicy":"Cluster"}}'`
    pub static CHECK = {
        name: "loadbalancer-health-check-local",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [LoadBalancer],
        reads: [Service, Node, Pod],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "externalTrafficPolicy Local and no load-balancer node hosts a ready endpoint",
        run: run,
    };
}

pub use crate::checks::entry::loadbalancer_no_eligible_nodes::EXCLUDE_LABEL;

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in cx.entry_services() {
        if e.via == Via::NodePort {
            node_port_local(cx, e, out);
            continue;
        }
        if e.via != Via::LoadBalancer {
            continue;
        }
        let Some(spec) = e.svc.spec.as_ref() else {
            continue;
        };
        if e.svc.external_traffic_policy() != TrafficPolicy::Local
            || e.svc.service_type() != ServiceType::LoadBalancer
        {
            continue;
        }
        let pods = selected_pods(cx.snap, e.svc);
        if pods.is_empty() || cx.snap.nodes.is_empty() {
            continue; // the Service checks say why there are no pods
        }
        let ready_nodes: Vec<&str> = pods
            .iter()
            .filter(|p| is_ready(p))
            .filter_map(|p| node_name(p))
            .collect();
        if ready_nodes.is_empty() {
            continue; // no ready endpoint at all: service-no-ready-endpoints
        }
        // The nodes the load balancer uses (label and, before 1.21, the
        // legacy master role: `loadbalancer-no-eligible-nodes`, which also
        // reports the case of none at all).
        let (eligible_nodes, excluded_nodes) =
            crate::checks::entry::loadbalancer_no_eligible_nodes::eligible_nodes(cx.snap);
        if eligible_nodes.is_empty() {
            continue;
        }
        let eligible: Vec<&str> = eligible_nodes.iter().map(|n| n.name()).collect();
        let version = crate::checks::entry::loadbalancer_no_eligible_nodes::cluster_minor(cx.snap);
        let passing: Vec<&str> = eligible
            .iter()
            .copied()
            .filter(|n| ready_nodes.contains(n))
            .collect();
        if !passing.is_empty() {
            continue;
        }
        let mut hosts = ready_nodes.clone();
        hosts.sort();
        hosts.dedup();
        let f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::NoLoadBalancerNodeHostsEndpoint {
                health_check_node_port: spec.health_check_node_port,
            },
        )
        .evidence(Evidence::LoadBalancerNodesNonePass {
            nodes: eligible.iter().map(|n| n.to_string()).collect(),
        })
        .evidence(Evidence::ReadyEndpointsOn {
            nodes: hosts.iter().map(|n| n.to_string()).collect(),
        })
        .evidence_all(
            crate::checks::entry::loadbalancer_no_eligible_nodes::exclusion_evidence(
                &excluded_nodes,
                version,
            ),
        )
        .fix(format!("kubectl -n {} patch service {} -p '{{\"spec\":{{\"externalTrafficPolicy\":\"Cluster\"}}}}'", e.svc.ns(), e.svc.name()))
        .related(hosts.iter().map(|n| crate::object::ObjectRef::cluster(crate::Kind::Node, n)))
        .on_paths(e.paths.clone());
        out.push(f);
    }
}

/// The same rule for a client that addresses nodes' NodePorts directly:
/// with `Local`, a node without a ready endpoint drops what arrives on its
/// NodePort.
fn node_port_local(cx: &Context<'_>, e: &crate::context::EntryService<'_>, out: &mut Vec<Finding>) {
    if e.svc.external_traffic_policy() != TrafficPolicy::Local || e.for_ingress {
        return;
    }
    // Only a client that names its node(s): a node-address target.
    let entry_nodes: Vec<String> = e
        .paths
        .iter()
        .flat_map(|&i| cx.res.paths[i].entry.nodes.clone())
        .collect();
    if e.address.is_none() || entry_nodes.is_empty() {
        return;
    }
    let ready_nodes: Vec<&str> = selected_pods(cx.snap, e.svc)
        .into_iter()
        .filter(|p| is_ready(p))
        .filter_map(node_name)
        .collect();
    if ready_nodes.is_empty()
        || entry_nodes
            .iter()
            .any(|n| ready_nodes.contains(&n.as_str()))
    {
        return;
    }
    let mut hosts = ready_nodes.clone();
    hosts.sort();
    hosts.dedup();
    out.push(
        Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::EntryNodeHostsNoEndpoint {
                nodes: entry_nodes.clone(),
            },
        )
        .evidence(Evidence::ReadyEndpointsOn {
            nodes: hosts.iter().map(|n| n.to_string()).collect(),
        })
        .evidence(Evidence::LocalForwardsOnlyToSameNode)
        .fix(format!("kubectl -n {} patch service {} -p '{{\"spec\":{{\"externalTrafficPolicy\":\"Cluster\"}}}}'", e.svc.ns(), e.svc.name()))
        .on_paths(e.paths.clone()),
    );
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
