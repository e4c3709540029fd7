//! Access paths: how a client outside the cluster reaches the target's
//! pods, as data. A path is entry → (Ingress rule) → Service port →
//! endpoints → Pods; [`AccessPath::hops`] lists the objects on it in that
//! order. Paths are produced by [`crate::resolve`], a pure function.

use k8s_openapi::api::core::v1::ServicePort;
use serde::Serialize;

use crate::object::ObjectRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// One step of a path, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub kind: &'static str,
    pub object: ObjectRef,
    /// A short description: `203.0.113.50:443`, `shop.example.com/ Prefix`, `port 80 → http`.
    pub detail: String,
}

impl AccessPath {
    /// The hops outside in.
    pub fn hops(&self) -> Vec<Hop> {
        let mut v = Vec::new();
        let e = &self.entry;
        let addr = match (&e.address, e.port) {
            (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
            (Some(a), Some(p)) => format!("{a}:{p}"),
            (Some(a), None) => a.clone(),
            (None, Some(p)) if e.via == Via::NodePort => format!("<node>:{p}"),
            (None, Some(p)) => format!("<no address>:{p}"),
            (None, None) => String::new(),
        };
        match e.via {
            Via::NodePort | Via::LoadBalancer | Via::ExternalIp => {
                if let Some(s) = &e.service {
                    let label = match e.via {
                        Via::NodePort => "NodePort",
                        Via::LoadBalancer => "LoadBalancer",
                        _ => "ExternalIP",
                    };
                    let nodes = if e.via == Via::NodePort && !e.nodes.is_empty() {
                        format!(" on {}", e.nodes.join(", "))
                    } else {
                        String::new()
                    };
                    v.push(Hop {
                        kind: label,
                        object: s.clone(),
                        detail: format!("{addr}{nodes}").trim().to_string(),
                    });
                }
            }
            Via::Ingress => {
                if let Some(s) = &e.service {
                    v.push(Hop {
                        kind: "IngressController",
                        object: s.clone(),
                        detail: addr,
                    });
                }
            }
            Via::Pod | Via::Service => {}
        }
        if let Some(i) = &self.ingress {
            let detail = match (&i.rule, &i.host, &i.path) {
                (None, _, _) => "default backend".to_string(),
                (_, h, p) => format!(
                    "{}{} {}",
                    h.as_deref().unwrap_or("*"),
                    p.as_deref().unwrap_or("/"),
                    i.path_type.as_deref().unwrap_or("")
                )
                .trim()
                .to_string(),
            };
            v.push(Hop {
                kind: "Ingress",
                object: i.ingress.clone(),
                detail,
            });
        }
        if let Some(s) = &self.service {
            let detail = match &s.port {
                Some(p) => {
                    let tp = p
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
                    format!("port {} → {}", p.port, tp)
                }
                None if !s.found => "not found".to_string(),
                None => "all ports".to_string(),
            };
            v.push(Hop {
                kind: "Service",
                object: s.service.clone(),
                detail,
            });
        }
        for p in &self.pods {
            v.push(Hop {
                kind: "Pod",
                object: p.clone(),
                detail: String::new(),
            });
        }
        v
    }

    /// Every object on the path, for matching findings to paths.
    pub fn objects(&self) -> Vec<ObjectRef> {
        let mut v: Vec<ObjectRef> = self.hops().into_iter().map(|h| h.object).collect();
        v.extend(self.nodes.iter().map(|n| ObjectRef::cluster("Node", n)));
        v.extend(
            self.entry
                .nodes
                .iter()
                .map(|n| ObjectRef::cluster("Node", n)),
        );
        v
    }
}
