//! Shared logic of `kube-proxy-not-ready` and `cni-not-ready`: for each
//! node of the path, the agent pod there and whether it is healthy.

use k8s_openapi::api::core::v1::Pod;

use crate::context::Context;
use crate::message::common::PodState;
use crate::nodes::{Agent, agent_of, tainted};
use crate::object::{MetaExt, ObjectRef};
use crate::workload::{is_ready, node_name};

/// An unhealthy (or missing) agent on a node of the path.
#[derive(Debug)]
pub struct AgentProblem<'a> {
    pub node: String,
    pub pod: Option<&'a Pod>,
    pub object: ObjectRef,
    /// The agent: `kube-proxy`, or the CNI's name (`calico-node`, …).
    pub what: String,
    /// The agent pod's state; None: no agent pod on the node.
    pub state: Option<PodState>,
}

/// Whether a DaemonSet's `nodeSelector` admits the node (unknown owners:
/// yes).
fn daemon_set_wants(
    cx: &Context<'_>,
    owner: &ObjectRef,
    node: &k8s_openapi::api::core::v1::Node,
) -> bool {
    let Some(ds) = cx.snap.daemon_sets.iter().find(|d| {
        owner.kind == crate::Kind::DaemonSet && d.ns() == owner.ns() && d.name() == owner.name
    }) else {
        return true;
    };
    let sel = ds
        .spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    sel.iter().all(|(k, v)| node.labels().get(k) == Some(v))
}

/// Agents of kind `want` on `nodes` that are missing or not ready.
pub fn problems<'a>(
    cx: &Context<'a>,
    want: fn(Agent) -> bool,
    nodes: &[String],
) -> Vec<AgentProblem<'a>> {
    let agents: Vec<(&'a Pod, Agent)> = cx
        .snap
        .pods
        .iter()
        .filter_map(|p| agent_of(cx.snap, p).filter(|a| want(*a)).map(|a| (p, a)))
        .collect();
    if agents.is_empty() {
        return vec![];
    }
    let mut out = Vec::new();
    for n in nodes {
        // On a NotReady/Unknown node the node controller marks every pod not
        // ready: node-not-ready / pod-on-unready-node say what is wrong.
        if cx.snap.node(n).and_then(crate::workload::node_ready) == Some(false) {
            continue;
        }
        let here: Vec<&(&Pod, Agent)> = agents
            .iter()
            .filter(|(p, _)| node_name(p) == Some(n.as_str()))
            .collect();
        if here.is_empty() {
            let Some(node) = cx.snap.node(n) else {
                continue;
            };
            if tainted(node) {
                continue;
            }
            let (sample, a) = agents[0];
            let owner = crate::workload::owner_of(cx.snap, sample);
            // A DaemonSet whose nodeSelector leaves the node out (Windows
            // nodes, dedicated pools) is not missing there.
            if !daemon_set_wants(cx, &owner, node) {
                continue;
            }
            let what = match a {
                Agent::KubeProxy => "kube-proxy".to_string(),
                Agent::Cni(name) => name.to_string(),
            };
            out.push(AgentProblem {
                node: n.clone(),
                pod: None,
                object: owner,
                what,
                state: None,
            });
            continue;
        }
        // Healthy when any agent pod there is ready (a rollout may overlap).
        if here
            .iter()
            .any(|(p, _)| is_ready(p) && p.metadata.deletion_timestamp.is_none())
        {
            continue;
        }
        let (pod, a) = here[0];
        let what = match a {
            Agent::KubeProxy => "kube-proxy".to_string(),
            Agent::Cni(name) => name.to_string(),
        };
        out.push(AgentProblem {
            node: n.clone(),
            pod: Some(pod),
            object: ObjectRef::namespaced(crate::Kind::Pod, pod.ns(), pod.name()),
            what,
            state: Some(PodState::of(pod)),
        });
    }
    out
}
