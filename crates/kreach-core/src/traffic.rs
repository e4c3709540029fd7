//! Which source address the destination pods actually see on each path —
//! the question NetworkPolicies are evaluated against.
//!
//! - Direct to a pod, or `externalTrafficPolicy: Local`: the client keeps
//!   its address (`--from`, or "any external address").
//! - `externalTrafficPolicy: Cluster` NodePort / load balancer / external IP:
//!   kube-proxy SNATs to the address of the node the traffic entered:
//!   its InternalIP, or the CNI's per-node gateway / tunnel address in its
//!   podCIDR, depending on the route to the pod. Both are candidates.
//! - Through an Ingress: the ingress controller's pods (or their nodes'
//!   addresses when they use `hostNetwork`), after a first leg from the
//!   client to the controller.

use std::net::IpAddr;

use ipnet::IpNet;
use k8s_openapi::api::core::v1::{Pod, Service};
use serde::Serialize;

use crate::context::Context;
use crate::controller::controller_of;
use crate::object::MetaExt;
use crate::path::{AccessPath, Via};
use crate::workload::{host_network, node_addresses, selected_pods};

/// A candidate source address of SNATed traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NodeSource {
    pub node: String,
    pub ip: IpAddr,
    /// Which of the node's addresses it is.
    pub address: NodeAddress,
}

/// Which address of its node a [`NodeSource`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NodeAddress {
    /// The node's `InternalIP`.
    InternalIp,
    /// The CNI's gateway / tunnel address in the node's `podCIDR`.
    CniGateway { pod_cidr: String },
}

/// Which hop of a path a [`Leg`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LegKind {
    /// From the client straight to a pod address.
    ClientToPod,
    /// From the client through a NodePort, load balancer or external IP
    /// (`via`) to the pods.
    ClientThroughService { via: Via },
    /// From a cloud load balancer that an Ingress controller programs
    /// (`product`: AWS Load Balancer Controller, GKE, …) to the pods.
    CloudLoadBalancer { product: String },
    /// From the client to the ingress controller's pods.
    ClientToController,
    /// From the ingress controller's pods to the backend pods.
    ControllerToPods,
}

#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// The client, with its address when `--from` gives it.
    Client(Option<IpAddr>),
    /// SNAT to the entry nodes' addresses.
    Nodes(Vec<NodeSource>),
    /// Pods of the ingress controller.
    Pods(Vec<&'a Pod>),
}

/// One hop of traffic that NetworkPolicies judge: who arrives at which pods.
#[derive(Debug, Clone)]
pub struct Leg<'a> {
    pub path: usize,
    pub source: Source<'a>,
    pub pods: Vec<&'a Pod>,
    /// The Service whose port is used (for the target port), if any.
    pub service: Option<&'a Service>,
    /// Fixed destination port (the controller's container port, or a
    /// pod-IP target's port); else resolved from the Service per pod.
    pub port: Option<u16>,
    /// Which hop of the path this is.
    pub kind: LegKind,
}

/// The CNI's per-node gateway address: the first address of the node's
/// podCIDR (`cni0`/`cbr0` bridges, Calico/flannel tunnel addresses sit there
/// or nearby).
fn gateway(cidr: &IpNet) -> Option<IpAddr> {
    match cidr {
        IpNet::V4(n) => {
            let base = u32::from(n.network());
            Some(IpAddr::V4(std::net::Ipv4Addr::from(base.checked_add(1)?)))
        }
        IpNet::V6(n) => {
            let base = u128::from(n.network());
            Some(IpAddr::V6(std::net::Ipv6Addr::from(base.checked_add(1)?)))
        }
    }
}

/// The addresses SNATed traffic from `nodes` may carry.
pub fn node_sources(cx: &Context<'_>, nodes: &[String]) -> Vec<NodeSource> {
    let mut v = Vec::new();
    for name in nodes {
        let Some(n) = cx.snap.node(name) else {
            continue;
        };
        for a in node_addresses(n, crate::object::AddressType::InternalIP) {
            if let Ok(ip) = a.parse() {
                v.push(NodeSource {
                    node: name.clone(),
                    ip,
                    address: NodeAddress::InternalIp,
                });
            }
        }
        let cidrs = n
            .spec
            .as_ref()
            .map(|s| {
                s.pod_cidrs
                    .clone()
                    .unwrap_or_else(|| s.pod_cidr.iter().cloned().collect())
            })
            .unwrap_or_default();
        for c in cidrs {
            if let Ok(net) = c.parse::<IpNet>()
                && let Some(ip) = gateway(&net)
            {
                v.push(NodeSource {
                    node: name.clone(),
                    ip,
                    address: NodeAddress::CniGateway {
                        pod_cidr: c.clone(),
                    },
                });
            }
        }
    }
    v
}

fn etp_local(svc: &Service) -> bool {
    crate::object::ServiceExt::external_traffic_policy(svc) == crate::object::TrafficPolicy::Local
}

/// The nodes traffic enters through for an entry.
fn entry_nodes(cx: &Context<'_>, p: &AccessPath) -> Vec<String> {
    if !p.entry.nodes.is_empty() && p.entry.address.is_some() {
        return p.entry.nodes.clone();
    }
    // A load balancer or every NodePort: every node that may take traffic.
    cx.snap
        .nodes
        .iter()
        .filter(|n| {
            !n.labels()
                .contains_key(crate::checks::entry::loadbalancer_health_check_local::EXCLUDE_LABEL)
                || p.entry.via == Via::NodePort
        })
        .map(|n| n.name().to_string())
        .collect()
}

fn path_pods<'a>(cx: &Context<'a>, p: &AccessPath) -> Vec<&'a Pod> {
    p.pods
        .iter()
        .filter_map(|r| cx.snap.pod(r.ns(), &r.name))
        .collect()
}

/// Every leg NetworkPolicies judge on the paths.
pub fn legs<'a>(cx: &Context<'a>) -> Vec<Leg<'a>> {
    let mut out = Vec::new();
    for (i, p) in cx.res.paths.iter().enumerate() {
        let pods = path_pods(cx, p);
        let backend = p
            .service
            .as_ref()
            .and_then(|s| cx.snap.service(s.service.ns(), &s.service.name));
        match p.via {
            Via::Service => {}
            Via::Pod => out.push(Leg {
                path: i,
                source: Source::Client(cx.opts.from),
                pods,
                service: None,
                port: p.entry.port,
                kind: LegKind::ClientToPod,
            }),
            Via::NodePort | Via::LoadBalancer | Via::ExternalIp => {
                let Some(svc) = backend else { continue };
                let source = if etp_local(svc) {
                    Source::Client(cx.opts.from)
                } else {
                    Source::Nodes(node_sources(cx, &entry_nodes(cx, p)))
                };
                out.push(Leg {
                    path: i,
                    source,
                    pods,
                    service: Some(svc),
                    port: None,
                    kind: LegKind::ClientThroughService { via: p.via },
                });
            }
            Via::Ingress => {
                // A cloud load-balancer controller (ALB, GKE, Application
                // Gateway): its load balancer reaches the pods from
                // addresses outside the cluster.
                let ing = p
                    .ingress
                    .as_ref()
                    .and_then(|h| cx.snap.ingress(h.ingress.ns(), &h.ingress.name));
                if let Some(ing) = ing
                    && let Some(c) = controller_of(cx.snap, ing)
                    && !c.proxies
                {
                    if !pods.is_empty() {
                        out.push(Leg {
                            path: i,
                            source: Source::Client(None),
                            pods,
                            service: backend,
                            port: None,
                            kind: LegKind::CloudLoadBalancer {
                                product: c.product.to_string(),
                            },
                        });
                    }
                    continue;
                }
                // Leg 1: client → controller pods, through the controller's Service.
                let ctrl_svc = p
                    .entry
                    .service
                    .as_ref()
                    .and_then(|s| cx.snap.service(s.ns(), &s.name));
                let ing = p
                    .ingress
                    .as_ref()
                    .and_then(|h| cx.snap.ingress(h.ingress.ns(), &h.ingress.name));
                let ctrl_pods: Vec<&'a Pod> = match (ctrl_svc, ing) {
                    (Some(s), _) => selected_pods(cx.snap, s),
                    (None, Some(ing)) => controller_of(cx.snap, ing)
                        .map(|c| c.pods)
                        .unwrap_or_default(),
                    _ => vec![],
                };
                if let Some(s) = ctrl_svc
                    && !ctrl_pods.is_empty()
                {
                    let source = if etp_local(s) {
                        Source::Client(cx.opts.from)
                    } else {
                        Source::Nodes(node_sources(cx, &entry_nodes(cx, p)))
                    };
                    out.push(Leg {
                        path: i,
                        source,
                        pods: ctrl_pods.clone(),
                        service: Some(s),
                        port: None,
                        kind: LegKind::ClientToController,
                    });
                }
                // Leg 2: controller → backend pods.
                if !ctrl_pods.is_empty() && !pods.is_empty() {
                    let source = if ctrl_pods.iter().all(|c| host_network(c)) {
                        let nodes: Vec<String> = ctrl_pods
                            .iter()
                            .filter_map(|c| crate::workload::node_name(c).map(str::to_string))
                            .collect();
                        Source::Nodes(
                            node_sources(cx, &nodes)
                                .into_iter()
                                .filter(|n| n.address == NodeAddress::InternalIp)
                                .collect(),
                        )
                    } else {
                        Source::Pods(ctrl_pods)
                    };
                    out.push(Leg {
                        path: i,
                        source,
                        pods,
                        service: backend,
                        port: None,
                        kind: LegKind::ControllerToPods,
                    });
                }
            }
        }
    }
    out
}
