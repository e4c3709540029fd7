//! The `loadbalancer-no-eligible-nodes` check: the load balancer has no node it may send traffic to.
//!
//! Its explanation (what `kreach explain loadbalancer-no-eligible-nodes` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-no-eligible-nodes/`.

use k8s_openapi::api::core::v1::Node;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::MetaExt;
use crate::object::{ServiceExt, ServiceType};
use crate::path::Via;
use crate::snapshot::Snapshot;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Every node is left out of load balancers: the load balancer has no
    /// backend node at all.
    NoEligibleNode {
        /// How many nodes the cluster has.
        nodes: usize,
    },
}

declare_check! {
    /// ## What it checks
    /// Which nodes the load balancer of a `LoadBalancer` Service on the
    /// path may send traffic to, as the service controller (and MetalLB's
    /// speakers) choose them, and whether any is left:
    ///
    /// - a node labelled `node.kubernetes.io/exclude-from-external-load-balancers`
    ///   is never a backend (feature gate `ServiceNodeExclusion`: alpha
    ///   from 1.8, on by default from 1.19, GA in 1.21; KEP-1143,
    ///   <https://kubernetes.io/docs/reference/labels-annotations-taints/#node-kubernetes-io-exclude-from-external-load-balancers>);
    /// - before 1.21 a node labelled `node-role.kubernetes.io/master` was
    ///   left out too (`LegacyNodeRoleBehavior`, on by default until 1.21,
    ///   removed in 1.22; KEP-1143 "Appropriate use of node-role labels").
    ///   The newer `node-role.kubernetes.io/control-plane` label never
    ///   excluded a node: from 1.21 a control-plane node is a backend
    ///   unless it carries the exclusion label (kubeadm sets it on its
    ///   control-plane nodes).
    ///
    /// The version is the newest kubelet's (`status.nodeInfo.kubeletVersion`):
    /// the control plane is never older than its kubelets. NotReady and
    /// unschedulable nodes are not left out: since 1.27
    /// (`StableLoadBalancerNodeSet`, GA in 1.30) the service controller
    /// keeps them and the load balancer's own health checks route around
    /// them; the readiness of the pods behind them is judged by the Pod
    /// and Service checks.
    ///
    /// ## Why it breaks reachability
    /// With no eligible node, the cloud load balancer has an empty backend
    /// pool (MetalLB announces the address from no node): connections to
    /// its address time out, whatever the state of the pods.
    ///
    /// ## How to fix
    /// Remove the exclusion label from the nodes that should serve
    /// (`kubectl label node NODE node.kubernetes.io/exclude-from-external-load-balancers-`),
    /// or add worker nodes that do not carry it.
    ///
    /// ## Example
    /// `kubectl label node worker-a node.kubernetes.io/exclude-from-external-load-balancers-`
    pub static CHECK = {
        name: "loadbalancer-no-eligible-nodes",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [LoadBalancer],
        reads: [Service, Node],
        uses: [],
        explained_by: [],
        summary: "the load balancer has no node it may send traffic to",
        run: run,
    };
}

/// The label that leaves a node out of load balancers.
pub const EXCLUDE_LABEL: &str = "node.kubernetes.io/exclude-from-external-load-balancers";
/// The legacy role label that left a node out before 1.21.
pub const LEGACY_MASTER_LABEL: &str = "node-role.kubernetes.io/master";

/// `(major, minor)` of a kubelet version such as `v1.30.6` or
/// `v1.31.4+k3s1`.
fn minor_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim_start_matches('v');
    let mut it = v.split('.');
    let major = it.next()?.parse().ok()?;
    let minor: String = it
        .next()?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    Some((major, minor.parse().ok()?))
}

/// The cluster's version as far as the nodes tell: the newest kubelet's
/// (a kubelet is never newer than its API server).
pub fn cluster_minor(snap: &Snapshot) -> Option<(u32, u32)> {
    snap.nodes
        .iter()
        .filter_map(|n| n.status.as_ref()?.node_info.as_ref())
        .filter_map(|i| minor_version(&i.kubelet_version))
        .max()
}

/// Why a node is not a load-balancer backend, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// `node.kubernetes.io/exclude-from-external-load-balancers`.
    Label,
    /// `node-role.kubernetes.io/master` before 1.21.
    LegacyMaster,
}

/// Why `node` is left out of load balancers on a cluster of `version`.
pub fn exclusion(node: &Node, version: Option<(u32, u32)>) -> Option<Exclusion> {
    let labels = node.labels();
    if labels.contains_key(EXCLUDE_LABEL) {
        return Some(Exclusion::Label);
    }
    if labels.contains_key(LEGACY_MASTER_LABEL) && version.is_some_and(|v| v < (1, 21)) {
        return Some(Exclusion::LegacyMaster);
    }
    None
}

/// The nodes a load balancer may use, and the ones left out (with why).
pub fn eligible_nodes(snap: &Snapshot) -> (Vec<&Node>, Vec<(&Node, Exclusion)>) {
    let version = cluster_minor(snap);
    let mut eligible = Vec::new();
    let mut excluded = Vec::new();
    for n in &snap.nodes {
        match exclusion(n, version) {
            Some(x) => excluded.push((n, x)),
            None => eligible.push(n),
        }
    }
    (eligible, excluded)
}

/// The evidence of why nodes are left out, one line per reason.
pub fn exclusion_evidence(
    excluded: &[(&Node, Exclusion)],
    version: Option<(u32, u32)>,
) -> Vec<Evidence> {
    let names = |x: Exclusion| -> Vec<String> {
        excluded
            .iter()
            .filter(|(_, e)| *e == x)
            .map(|(n, _)| n.name().to_string())
            .collect()
    };
    let mut v = Vec::new();
    let label = names(Exclusion::Label);
    if !label.is_empty() {
        v.push(Evidence::ExcludedFromLoadBalancers {
            label: EXCLUDE_LABEL.to_string(),
            nodes: label,
        });
    }
    let legacy = names(Exclusion::LegacyMaster);
    if !legacy.is_empty() {
        v.push(Evidence::LegacyMasterExcluded {
            label: LEGACY_MASTER_LABEL.to_string(),
            version: version.map(|(a, b)| format!("{a}.{b}")).unwrap_or_default(),
            nodes: legacy,
        });
    }
    v
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.snap.nodes.is_empty() {
        return;
    }
    let (eligible, excluded) = eligible_nodes(cx.snap);
    if !eligible.is_empty() {
        return;
    }
    let version = cluster_minor(cx.snap);
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer || e.svc.service_type() != ServiceType::LoadBalancer {
            continue;
        }
        let fix = excluded
            .iter()
            .find(|(_, x)| *x == Exclusion::Label)
            .map(|(n, _)| format!("kubectl label node {} {EXCLUDE_LABEL}-", n.name()));
        let mut f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::NoEligibleNode {
                nodes: cx.snap.nodes.len(),
            },
        )
        .evidence_all(exclusion_evidence(&excluded, version))
        .related(
            excluded
                .iter()
                .map(|(n, _)| crate::object::ObjectRef::cluster(crate::Kind::Node, n.name())),
        )
        .on_paths(e.paths.clone());
        if let Some(fix) = fix {
            f = f.fix(fix);
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::check_fixtures!(super::CHECK);

    fn node(labels: &[&str], kubelet: &str) -> Node {
        let labels: serde_json::Map<String, serde_json::Value> = labels
            .iter()
            .map(|l| (l.to_string(), serde_json::Value::String(String::new())))
            .collect();
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "n", "labels": labels},
            "status": {"nodeInfo": {
                "kubeletVersion": kubelet, "architecture": "amd64", "bootID": "",
                "containerRuntimeVersion": "", "kernelVersion": "", "kubeProxyVersion": "",
                "machineID": "", "operatingSystem": "linux", "osImage": "", "systemUUID": ""
            }}
        }))
        .unwrap()
    }

    #[test]
    fn the_legacy_master_label_excludes_only_before_1_21_and_control_plane_never() {
        let master = node(&[LEGACY_MASTER_LABEL], "v1.20.15");
        assert_eq!(minor_version("v1.20.15"), Some((1, 20)));
        assert_eq!(minor_version("v1.31.4+k3s1"), Some((1, 31)));
        assert_eq!(
            exclusion(&master, Some((1, 20))),
            Some(Exclusion::LegacyMaster)
        );
        assert_eq!(exclusion(&master, Some((1, 21))), None);
        assert_eq!(exclusion(&master, None), None);
        let cp = node(&["node-role.kubernetes.io/control-plane"], "v1.20.15");
        assert_eq!(exclusion(&cp, Some((1, 20))), None);
        let labelled = node(&[EXCLUDE_LABEL], "v1.30.6");
        assert_eq!(exclusion(&labelled, Some((1, 30))), Some(Exclusion::Label));
    }
}
