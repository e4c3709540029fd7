//! Evidence about the network part of the path (see [`super`]): the
//! nodes, their agents (kube-proxy, the CNI), address ranges,
//! NetworkPolicies and the cloud load balancer's health check.

use std::net::IpAddr;

use kreach_netpol::{PolicyRef, Rejection, RuleNote};
use serde::Serialize;

use crate::checks::cloud::cloud_health_check_mismatch::Mismatch;
use crate::traffic::NodeSource;

/// A fact shown under a finding of the network checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    // --- nodes and their agents
    /// A node condition, with its API reason and message:
    /// `Ready=Unknown since …: NodeStatusUnknown (Kubelet stopped posting
    /// node status.)`.
    NodeCondition {
        /// `Ready`, `NetworkUnavailable`, …
        type_: String,
        /// `True`, `False`, `Unknown`.
        status: String,
        /// RFC 3339 `lastTransitionTime`, when set.
        since: Option<String>,
        reason: Option<String>,
        message: Option<String>,
    },
    /// A pod condition that is not true (the agent pod's `Ready`), with its
    /// API message.
    PodCondition {
        type_: String,
        status: String,
        /// RFC 3339 `lastTransitionTime`, when set.
        since: Option<String>,
        message: Option<String>,
    },
    /// Other entry nodes of the path remain (`count` of them).
    OtherEntryNodesRemain { count: usize },
    /// Ready backend pods on other nodes still serve part of the traffic.
    ReadyEndpointsOnOtherNodes,
    /// The backend pods of the path on a node whose CNI agent is down: cut
    /// off from the other nodes.
    PodsCutOff { node: String, pods: Vec<String> },
    /// Other nodes still serve ready endpoints: part of the traffic fails.
    OtherNodesServe,
    /// The node is an entry node of the path: its NodePort rules come from
    /// its kube-proxy.
    EntryNodeOfPath { node: String },
    /// A container's last termination.
    LastExit {
        exit_code: i32,
        /// The API reason (`Error`, `OOMKilled`), when given.
        reason: Option<String>,
    },
    /// The `mode` in kube-proxy's ConfigMap (`iptables`, `ipvs`, …).
    KubeProxyMode { mode: String },
    /// `affected` of the `total` entry nodes of the path are affected.
    EntryNodesAffected { affected: usize, total: usize },

    // --- address ranges
    /// The pod network's ranges (the nodes' podCIDRs, `clusterCIDR`).
    PodNetwork { cidrs: Vec<String> },
    /// Replies to the client are routed into the pod network.
    RepliesRoutedIntoPodNetwork,
    /// The address lies in the node's podCIDR.
    InNodePodCidr { address: IpAddr, node: String },
    /// The Service network, inferred from the ClusterIPs in use.
    ServiceNetworkInferred { network: String },
    /// Nodes treat Service-network destinations as their own.
    RepliesCapturedByKubeProxy,
    /// The address is the ClusterIP of a Service.
    IsClusterIp { address: IpAddr },
    /// The Service CIDR and the pod CIDR must not overlap.
    CidrsMustNotOverlap,
    /// Node and pod routes collide on every node.
    NodeAndPodRoutesCollide,
    /// Advice: give the client (VPN pool) a range outside the cluster's
    /// pod and Service networks.
    RenumberClient,
    /// Advice: renumber the node network or the pod CIDR.
    RenumberNodeNetwork,

    // --- NetworkPolicies
    /// Why one selecting policy does not admit the traffic.
    PolicyRejects { rejection: Rejection },
    /// Every policy that selects the pod.
    PoliciesSelectingPod { policies: Vec<PolicyRef> },
    /// For SNATed traffic to `pod`: the policies admit some candidate node
    /// addresses and not others.
    SomeNodeAddressesAdmitted {
        pod: String,
        admitted: Vec<IpAddr>,
        denied: Vec<NodeSource>,
    },
    /// Some pods still admit the traffic: it fails for part of the
    /// requests.
    SomePodsAdmit,
    /// How `ipBlock` peers were read for pod addresses decided the answer:
    /// whether a pod's IP inside a block matches it (the conformance
    /// reading, Calico and most plugins) or not (Cilium), and the CNI that
    /// decided it (None: not known, the conformance reading).
    IpBlockReading {
        pod_ips_match: bool,
        cni: Option<String>,
    },
    /// A minimal ingress rule that admits the traffic (the object, printed
    /// as JSON).
    MinimalRule {
        /// A `networking.k8s.io/v1` NetworkPolicyIngressRule.
        #[schemars(with = "serde_json::Value")]
        rule: k8s_openapi::api::networking::v1::NetworkPolicyIngressRule,
    },
    /// What the minimal rule admits beyond the one source.
    MinimalRuleNote { note: RuleNote },
    /// The client's address is unknown (`--from ADDR` names one).
    ClientAddressUnknown,

    // --- cloud load balancer
    /// One more way the health check does not fit the pods.
    HealthCheckMismatch { mismatch: Mismatch },
    /// With `externalTrafficPolicy: Local`, kube-proxy answers health
    /// checks on `healthCheckNodePort` (0: not allocated).
    LocalHealthCheckNodePort { port: i32 },
}
