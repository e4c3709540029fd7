//! Access paths: how a client outside the cluster reaches the target's
//! pods, as data. A path is entry → (Ingress rule) → Service port →
//! endpoints → Pods; [`AccessPath::hops`] lists the objects on it in that
//! order. Paths are produced by [`crate::resolve`], a pure function.

use k8s_openapi::api::core::v1::ServicePort;
use serde::Serialize;

use crate::object::ObjectRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub enum Via {
    #[serde(rename = "ingress")]
    Ingress,
    #[serde(rename = "loadbalancer")]
    LoadBalancer,
    #[serde(rename = "nodeport")]
    NodePort,
    #[serde(rename = "externalip")]
    ExternalIp,
    #[serde(rename = "pod")]
    Pod,
    /// No external entry: the Service itself (cluster-internal), walked so
    /// that its pods are still checked.
    #[serde(rename = "service")]
    Service,
}

impl Via {
    pub fn name(self) -> &'static str {
        match self {
            Via::Ingress => "ingress",
            Via::LoadBalancer => "loadbalancer",
            Via::NodePort => "nodeport",
            Via::ExternalIp => "externalip",
            Via::Pod => "pod",
            Via::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        match s {
            "ingress" => Some(Via::Ingress),
            "loadbalancer" | "lb" => Some(Via::LoadBalancer),
            "nodeport" => Some(Via::NodePort),
            "externalip" => Some(Via::ExternalIp),
            "pod" => Some(Via::Pod),
            _ => None,
        }
    }
}

/// What the client addresses.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub via: Via,
    /// The Service that owns the entry (load balancer, NodePort, external
    /// IP): the backend Service itself, or the ingress controller's.
    pub service: Option<ObjectRef>,
    /// The address the client uses: LB IP/hostname, node address, external
    /// IP, pod IP. None for a pending load balancer or all nodes.
    pub address: Option<String>,
    /// The port the client connects to (Service port or nodePort).
    pub port: Option<u16>,
    /// The owning Service's port that the client hits, when one port is meant.
    pub service_port: Option<ServicePort>,
    /// NodePort entries: the nodes the client may use.
    pub nodes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IngressHop {
    pub ingress: ObjectRef,
    /// None for the default backend.
    pub rule: Option<usize>,
    pub path_index: Option<usize>,
    pub host: Option<String>,
    pub path: Option<String>,
    pub path_type: Option<String>,
    /// The backend Service name and port (number or name) as written.
    pub backend_service: Option<String>,
    pub backend_port: Option<PortRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortRef {
    Number(i32),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceHop {
    pub service: ObjectRef,
    /// Whether the Service exists (an Ingress backend may name a missing one).
    pub found: bool,
    /// The Service port the traffic uses; None = every port of the Service.
    pub port: Option<ServicePort>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccessPath {
    pub via: Via,
    pub entry: Entry,
    pub ingress: Option<IngressHop>,
    pub service: Option<ServiceHop>,
    /// The pods the Service selects (or the target pod).
    pub pods: Vec<ObjectRef>,
    /// Nodes hosting those pods.
    pub nodes: Vec<String>,
}

/// The role of a hop on a path (JSON `paths[].hops[].kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HopKind {
    LoadBalancer,
    NodePort,
    ExternalIp,
    IngressController,
    Ingress,
    Service,
    Pod,
}

impl HopKind {
    /// The name scripts see: `LoadBalancer`, `NodePort`, `ExternalIP`, ….
    pub fn name(self) -> &'static str {
        match self {
            HopKind::LoadBalancer => "LoadBalancer",
            HopKind::NodePort => "NodePort",
            HopKind::ExternalIp => "ExternalIP",
            HopKind::IngressController => "IngressController",
            HopKind::Ingress => "Ingress",
            HopKind::Service => "Service",
            HopKind::Pod => "Pod",
        }
    }
}

impl std::fmt::Display for HopKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// The facts a hop shows beside its object (worded by the report):
/// `203.0.113.50:443`, `shop.example.com/ Prefix`, `port 80 → http`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HopDetail {
    None,
    /// Where the client connects: an address and port; `node_port` when
    /// the address is any node's (`<node>:PORT`), with the nodes.
    Entry {
        address: Option<String>,
        port: Option<u16>,
        node_port: bool,
        nodes: Vec<String>,
    },
    /// The Ingress rule the request matches.
    Rule {
        host: Option<String>,
        path: Option<String>,
        path_type: Option<String>,
    },
    /// The Ingress's default backend serves the request.
    DefaultBackend,
    /// The Service port used and where it sends (`targetPort`).
    ServicePort {
        port: i32,
        target: String,
    },
    /// The Service does not exist.
    ServiceNotFound,
    /// Every port of the Service.
    AllPorts,
}

/// One step of a path, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub kind: HopKind,
    pub object: ObjectRef,
    pub detail: HopDetail,
}

impl AccessPath {
    /// The hops outside in.
    pub fn hops(&self) -> Vec<Hop> {
        let mut v = Vec::new();
        let e = &self.entry;
        let entry = || HopDetail::Entry {
            address: e.address.clone(),
            port: e.port,
            node_port: e.via == Via::NodePort,
            nodes: if e.via == Via::NodePort {
                e.nodes.clone()
            } else {
                vec![]
            },
        };
        match e.via {
            Via::NodePort | Via::LoadBalancer | Via::ExternalIp => {
                if let Some(s) = &e.service {
                    let kind = match e.via {
                        Via::NodePort => HopKind::NodePort,
                        Via::LoadBalancer => HopKind::LoadBalancer,
                        _ => HopKind::ExternalIp,
                    };
                    v.push(Hop {
                        kind,
                        object: s.clone(),
                        detail: entry(),
                    });
                }
            }
            Via::Ingress => {
                if let Some(s) = &e.service {
                    v.push(Hop {
                        kind: HopKind::IngressController,
                        object: s.clone(),
                        detail: HopDetail::Entry {
                            address: e.address.clone(),
                            port: e.port,
                            node_port: false,
                            nodes: vec![],
                        },
                    });
                }
            }
            Via::Pod | Via::Service => {}
        }
        if let Some(i) = &self.ingress {
            let detail = match &i.rule {
                None => HopDetail::DefaultBackend,
                Some(_) => HopDetail::Rule {
                    host: i.host.clone(),
                    path: i.path.clone(),
                    path_type: i.path_type.clone(),
                },
            };
            v.push(Hop {
                kind: HopKind::Ingress,
                object: i.ingress.clone(),
                detail,
            });
        }
        if let Some(s) = &self.service {
            let detail = match &s.port {
                Some(p) => {
                    let target = p
                        .target_port
                        .as_ref()
                        .map(|t| match t {
                            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => {
                                n.to_string()
                            }
                            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(
                                s,
                            ) => s.clone(),
                        })
                        .unwrap_or_else(|| p.port.to_string());
                    HopDetail::ServicePort {
                        port: p.port,
                        target,
                    }
                }
                None if !s.found => HopDetail::ServiceNotFound,
                None => HopDetail::AllPorts,
            };
            v.push(Hop {
                kind: HopKind::Service,
                object: s.service.clone(),
                detail,
            });
        }
        for p in &self.pods {
            v.push(Hop {
                kind: HopKind::Pod,
                object: p.clone(),
                detail: HopDetail::None,
            });
        }
        v
    }

    /// Every object on the path, for matching findings to paths.
    pub fn objects(&self) -> Vec<ObjectRef> {
        let mut v: Vec<ObjectRef> = self.hops().into_iter().map(|h| h.object).collect();
        v.extend(
            self.nodes
                .iter()
                .map(|n| ObjectRef::cluster(crate::Kind::Node, n)),
        );
        v.extend(
            self.entry
                .nodes
                .iter()
                .map(|n| ObjectRef::cluster(crate::Kind::Node, n)),
        );
        v
    }
}
