//! The `cidr-overlap` check: pod, Service, node or client address ranges overlap.
//!
//! Its explanation (what `kreach explain cidr-overlap` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/cidr-overlap/`.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::Fix;
use crate::message::network::Evidence;
use crate::netinfo::{cluster_cidr, cluster_ips, node_for_pod_ip, pod_cidrs, service_cidr};
use crate::object::{MetaExt, ObjectRef};
use crate::workload::node_addresses;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The client's address (`--from`) lies inside the pod network.
    ClientInPodNetwork {
        client: IpAddr,
        /// The pod range that holds it (a podCIDR or `clusterCIDR`).
        network: String,
    },
    /// The client's address lies inside the Service network.
    ClientInServiceNetwork { client: IpAddr, network: String },
    /// The pod network and the Service network overlap.
    PodNetworkOverlapsServiceNetwork {
        pod_network: String,
        service_network: String,
    },
    /// ClusterIPs in use lie inside the pod network (every one of them).
    ClusterIpsInPodNetwork { cluster_ips: Vec<IpAddr> },
    /// A node's address lies inside the pod network.
    NodeAddressInPodNetwork {
        node: String,
        address: String,
        network: String,
    },
    /// Two nodes' podCIDRs overlap.
    PodCidrsOverlap {
        node: String,
        pod_cidr: String,
        other_node: String,
        other_pod_cidr: String,
    },
}

declare_check! {
    /// ## What it checks
    /// The address ranges the path depends on do not overlap: the pod
    /// network (the nodes' podCIDRs, kube-proxy's `clusterCIDR`), the
    /// Service network (from the ClusterIPs in use), the nodes' addresses,
    /// and the client's address (`--from`).
    ///
    /// ## Why it breaks reachability
    /// Overlapping ranges make routing ambiguous. A client whose address lies
    /// in the pod network gets its replies routed to a pod on some node
    /// instead of back to it (typical with a VPN handing out addresses from
    /// the same private range); a node address inside the pod network
    /// confuses every node's routes.
    ///
    /// ## How to fix
    /// Renumber the side that is easier to change: the VPN / client pool, or
    /// (on a new cluster) the pod or Service CIDR.
    ///
    /// ## Example
    /// A VPN pool 10.244.0.0/16 equal to the pod CIDR: give the VPN
    /// 10.250.0.0/16.
    pub static CHECK = {
        name: "cidr-overlap",
        layer: Network,
        needs: State,
        blocks: Maybe,
        decides: [Pod],
        reads: [Node, Service, ConfigMap],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "pod, Service, node or client address ranges overlap",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let pods = pod_cidrs(cx.snap);
    let cluster = cluster_cidr(cx.snap);
    let in_pods = |ip: IpAddr| {
        pods.iter()
            .chain(cluster.iter())
            .find(|n| n.contains(&ip))
            .copied()
    };
    let target_obj = cx.res.services().first().cloned();
    // 1. The client inside the pod network.
    if let Some(from) = cx.opts.from
        && let Some(net) = in_pods(from)
    {
        let node = node_for_pod_ip(cx.snap, from);
        let object = node
            .map(|n| ObjectRef::cluster(crate::Kind::Node, n))
            .or(target_obj.clone())
            .unwrap_or_else(|| {
                ObjectRef::cluster(crate::object::RefKind::Address, &from.to_string())
            });
        let mut f = Finding::new(
            &CHECK,
            object,
            Problem::ClientInPodNetwork {
                client: from,
                network: net.to_string(),
            },
        )
        .evidence(Evidence::PodNetwork {
            cidrs: pods
                .iter()
                .chain(cluster.iter())
                .map(|n| n.to_string())
                .collect(),
        })
        .evidence(Evidence::RepliesRoutedIntoPodNetwork)
        .blocking(true);
        if let Some(n) = node {
            f = f.evidence(Evidence::InNodePodCidr {
                address: from,
                node: n.to_string(),
            });
        }
        out.push(f.fix(Fix::Advice(Evidence::RenumberClient.into())));
    }
    // 1b. The client inside the Service network.
    let svc_net = service_cidr(cx.snap);
    if let (Some(from), Some(net)) = (cx.opts.from, svc_net)
        && net.contains(&from)
        && in_pods(from).is_none()
    {
        let is_cluster_ip = cluster_ips(cx.snap).contains(&from);
        let object = target_obj.clone().unwrap_or_else(|| {
            ObjectRef::cluster(crate::object::RefKind::Address, &from.to_string())
        });
        let mut f = Finding::new(
            &CHECK,
            object,
            Problem::ClientInServiceNetwork {
                client: from,
                network: net.to_string(),
            },
        )
        .evidence(Evidence::ServiceNetworkInferred {
            network: net.to_string(),
        })
        .evidence(Evidence::RepliesCapturedByKubeProxy)
        .blocking(true);
        if is_cluster_ip {
            f = f.evidence(Evidence::IsClusterIp { address: from });
        }
        out.push(f.fix(Fix::Advice(Evidence::RenumberClient.into())));
    }
    // 1c. The pod network overlapping the Service network.
    if let Some(net) = svc_net
        && let Some(p) = pods
            .iter()
            .chain(cluster.iter())
            .find(|p| p.contains(&net.network()) || net.contains(&p.network()))
        && let Some(obj) = &target_obj
    {
        out.push(
            Finding::new(
                &CHECK,
                obj.clone(),
                Problem::PodNetworkOverlapsServiceNetwork {
                    pod_network: p.to_string(),
                    service_network: net.to_string(),
                },
            )
            .blocking(false)
            .evidence(Evidence::CidrsMustNotOverlap),
        );
    }
    // 2. ClusterIPs inside the pod network.
    let overlapping: Vec<IpAddr> = cluster_ips(cx.snap)
        .into_iter()
        .filter(|ip| in_pods(*ip).is_some())
        .collect();
    if !overlapping.is_empty()
        && let Some(obj) = &target_obj
    {
        out.push(
            Finding::new(
                &CHECK,
                obj.clone(),
                Problem::ClusterIpsInPodNetwork {
                    cluster_ips: overlapping.clone(),
                },
            )
            .blocking(false)
            .evidence(Evidence::CidrsMustNotOverlap),
        );
    }
    // 3. Node addresses inside the pod network, and podCIDRs shared by nodes.
    for n in &cx.snap.nodes {
        for a in node_addresses(n, crate::object::AddressType::InternalIP)
            .chain(node_addresses(n, crate::object::AddressType::ExternalIP))
        {
            if let Ok(ip) = a.parse::<IpAddr>()
                && let Some(net) = in_pods(ip)
            {
                out.push(
                    Finding::new(
                        &CHECK,
                        ObjectRef::cluster(crate::Kind::Node, n.name()),
                        Problem::NodeAddressInPodNetwork {
                            node: n.name().to_string(),
                            address: a.to_string(),
                            network: net.to_string(),
                        },
                    )
                    .blocking(true)
                    .evidence(Evidence::NodeAndPodRoutesCollide)
                    .fix(Fix::Advice(Evidence::RenumberNodeNetwork.into())),
                );
            }
        }
        let mine: Vec<IpNet> = n
            .spec
            .iter()
            .flat_map(|s| s.pod_cidrs.iter().flatten())
            .filter_map(|c| c.parse().ok())
            .collect();
        for other in cx.snap.nodes.iter().filter(|o| o.name() > n.name()) {
            let theirs: Vec<IpNet> = other
                .spec
                .iter()
                .flat_map(|s| s.pod_cidrs.iter().flatten())
                .filter_map(|c| c.parse().ok())
                .collect();
            for a in &mine {
                for b in &theirs {
                    if a.contains(&b.network()) || b.contains(&a.network()) {
                        out.push(
                            Finding::new(
                                &CHECK,
                                ObjectRef::cluster(crate::Kind::Node, n.name()),
                                Problem::PodCidrsOverlap {
                                    node: n.name().to_string(),
                                    pod_cidr: a.to_string(),
                                    other_node: other.name().to_string(),
                                    other_pod_cidr: b.to_string(),
                                },
                            )
                            .blocking(true)
                            .related([ObjectRef::cluster(crate::Kind::Node, other.name())]),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
