//! Nodes on the path and the node agents that move traffic there:
//! kube-proxy (or its replacement) and the CNI agent.

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::context::Context;
use crate::object::MetaExt;
use crate::path::Via;
use crate::snapshot::Snapshot;
use crate::workload::{node_name, owner_of};

/// The nodes of each path: the entry nodes (addressed by the client: a
/// node-address target, or the nodes of a NodePort entry; nodes behind a
/// load balancer are not entry nodes) and the hosts of the pods the traffic
/// reaches (backend pods, and the ingress controller's pods).
#[derive(Debug, Clone, Default)]
pub struct PathNodes {
    pub entry: Vec<String>,
    pub hosts: Vec<String>,
}

pub fn path_nodes(cx: &Context<'_>, i: usize) -> PathNodes {
    let p = &cx.res.paths[i];
    let mut out = PathNodes::default();
    let ctrl_nodeport = p.entry.via == Via::Ingress
        && p.entry
            .service
            .as_ref()
            .and_then(|s| cx.snap.service(s.ns(), &s.name))
            .is_some_and(|s| {
                crate::object::ServiceExt::service_type(s) == crate::object::ServiceType::NodePort
            });
    if p.entry.via == Via::NodePort
        || (ctrl_nodeport && !p.entry.nodes.is_empty())
        || (p.entry.via == Via::Ingress && !p.entry.nodes.is_empty())
    {
        out.entry = p.entry.nodes.clone();
    }
    out.hosts = p.nodes.clone();
    if p.entry.via == Via::Ingress
        && let Some(s) = p
            .entry
            .service
            .as_ref()
            .and_then(|s| cx.snap.service(s.ns(), &s.name))
    {
        for pod in crate::workload::selected_pods(cx.snap, s) {
            if let Some(n) = node_name(pod)
                && !out.hosts.iter().any(|h| h == n)
            {
                out.hosts.push(n.to_string());
            }
        }
    }
    out
}

/// The kind of node agent a pod is, if it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    KubeProxy,
    Cni(&'static str),
}

const CNI_AGENTS: &[&str] = &[
    "calico-node",
    "canal",
    "kube-flannel",
    "flannel",
    "cilium",
    "weave-net",
    "antrea-agent",
    "kube-router",
    "aws-node",
    "kube-ovn-cni",
    "ovnkube-node",
];

pub fn agent_of(snap: &Snapshot, pod: &Pod) -> Option<Agent> {
    let owner = owner_of(snap, pod);
    let base = if owner.kind == crate::Kind::DaemonSet {
        owner.name.clone()
    } else {
        pod.name()
            .rsplit_once('-')
            .map(|(b, _)| b.to_string())
            .unwrap_or_default()
    };
    let labels = pod.labels();
    let k8s_app = labels.get("k8s-app").map(String::as_str).unwrap_or("");
    if base == "kube-proxy"
        || k8s_app == "kube-proxy"
        || (owner.kind == crate::Kind::Node && pod.name().starts_with("kube-proxy-"))
        || (owner.kind == crate::Kind::Pod && pod.name().starts_with("kube-proxy-"))
    {
        return Some(Agent::KubeProxy);
    }
    if owner.kind != crate::Kind::DaemonSet {
        return None;
    }
    CNI_AGENTS
        .iter()
        .find(|a| {
            base == **a
                || base.starts_with(&format!("{a}-ds"))
                || k8s_app == **a
                || labels.get("app").map(String::as_str) == Some(**a)
        })
        .map(|a| Agent::Cni(a))
}

/// Why kube-proxy is not expected as pods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyReplaced {
    /// k3s embeds kube-proxy in its own process (the kubelet version says k3s).
    K3s { kubelet: String },
    /// microk8s runs kube-proxy inside its kubelite daemon.
    MicroK8s,
    /// Cilium's kube-proxy replacement (no kube-proxy pods run).
    Cilium,
    /// No kube-proxy pods at all: it may run outside Kubernetes, or be replaced.
    NoPods,
}

/// Why kube-proxy is not expected as pods, if it is not: a replacement
/// (Cilium's kube-proxy replacement) or a distribution that embeds it.
pub fn kube_proxy_replaced(snap: &Snapshot) -> Option<ProxyReplaced> {
    let proxies = snap
        .pods
        .iter()
        .any(|p| agent_of(snap, p) == Some(Agent::KubeProxy))
        || snap.daemon_sets.iter().any(|d| d.name() == "kube-proxy");
    for n in &snap.nodes {
        let v = n
            .status
            .as_ref()
            .and_then(|s| s.node_info.as_ref())
            .map(|i| i.kubelet_version.clone())
            .unwrap_or_default();
        if v.contains("k3s") {
            return Some(ProxyReplaced::K3s { kubelet: v });
        }
        if n.labels().contains_key("microk8s.io/cluster") {
            return Some(ProxyReplaced::MicroK8s);
        }
    }
    if !proxies {
        let cilium = snap
            .pods
            .iter()
            .any(|p| agent_of(snap, p) == Some(Agent::Cni("cilium")));
        let kpr = snap.pods.iter().any(|p| {
            p.spec.iter().flat_map(|s| s.containers.iter()).any(|c| {
                c.args
                    .iter()
                    .flatten()
                    .chain(c.command.iter().flatten())
                    .any(|a| {
                        a.contains("kube-proxy-replacement=true")
                            || a.contains("kube-proxy-replacement=strict")
                    })
                    || c.env.iter().flatten().any(|e| {
                        e.name == "KUBE_PROXY_REPLACEMENT"
                            && e.value
                                .as_deref()
                                .is_some_and(|v| v == "true" || v == "strict")
                    })
            })
        });
        if cilium || kpr {
            return Some(ProxyReplaced::Cilium);
        }
        return Some(ProxyReplaced::NoPods);
    }
    None
}

pub fn node_condition<'a>(
    node: &'a Node,
    type_: &str,
) -> Option<&'a k8s_openapi::api::core::v1::NodeCondition> {
    node.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// Whether a node is tainted so that DaemonSet pods may be missing there on
/// purpose.
pub fn tainted(node: &Node) -> bool {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .is_some_and(|t| {
            t.iter().any(|t| {
                (t.effect == "NoSchedule" || t.effect == "NoExecute")
                    && !t.key.starts_with("node.kubernetes.io/")
            })
        })
}
