//! Evidence about the entry part of the path (see [`super`]): load
//! balancers, NodePorts, node addresses, and what a target that resolves
//! to nothing could have meant.

use std::net::IpAddr;

use serde::Serialize;

/// A fact shown under a finding of the entry checks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    // --- load balancers -------------------------------------------------
    /// The nodes a load balancer may use as backends; none of them passes
    /// its health check (`externalTrafficPolicy: Local`).
    LoadBalancerNodesNonePass {
        /// Node names; empty when every node is excluded.
        nodes: Vec<String>,
    },
    /// The nodes that run ready endpoints of the Service.
    ReadyEndpointsOn {
        /// Node names, sorted, without duplicates.
        nodes: Vec<String>,
    },
    /// Nodes labelled to be left out of load balancers.
    ExcludedFromLoadBalancers {
        /// The label (`node.kubernetes.io/exclude-from-external-load-balancers`).
        label: String,
        /// Node names.
        nodes: Vec<String>,
    },
    /// Nodes left out of load balancers by the legacy role label (before
    /// Kubernetes 1.21, `LegacyNodeRoleBehavior`).
    LegacyMasterExcluded {
        /// The label (`node-role.kubernetes.io/master`).
        label: String,
        /// The cluster's version as the kubelets tell it (`1.20`).
        version: String,
        /// Node names.
        nodes: Vec<String>,
    },
    /// With `externalTrafficPolicy: Local`, kube-proxy forwards NodePort
    /// traffic only to pods on the node it arrived at.
    LocalForwardsOnlyToSameNode,
    /// No load-balancer event on the Service: no controller tried to
    /// provision it.
    NoLoadBalancerEvents,
    /// The Service's `spec.loadBalancerClass`: only a controller of that
    /// class provisions it.
    LoadBalancerClass {
        /// The class name.
        class: String,
    },
    /// No controller that assigns load-balancer addresses was found (no
    /// cloud `providerID` on the nodes, no MetalLB, kube-vip, servicelb,
    /// Cilium LB IPAM or OpenELB).
    NoLoadBalancerController,
    /// The controllers that assign load-balancer addresses that seem to run.
    LoadBalancerControllers { controllers: Vec<LbController> },
    /// The client ranges a load balancer accepts.
    SourceRanges {
        /// Where they are set: `spec.loadBalancerSourceRanges` or the
        /// `service.beta.kubernetes.io/load-balancer-source-ranges`
        /// annotation.
        source: String,
        /// The ranges, as written.
        ranges: Vec<String>,
    },
    /// Connections from addresses outside the source ranges are dropped
    /// before they reach a node (they time out).
    OutsideSourceRangesDropped,
    /// No client address was given (`--from`) to check against the ranges.
    NoClientAddress,
    /// The Service's IP families and family policy.
    ServiceIpFamilies {
        /// `spec.ipFamilies` (inferred from the cluster IPs when unset).
        families: Vec<String>,
        /// `spec.ipFamilyPolicy` (`SingleStack` when unset).
        policy: String,
    },
    /// The Service has no `family` side: no EndpointSlice of that address
    /// type, no kube-proxy rule for its addresses.
    OtherFamilyHasNoBackends {
        /// `IPv4` or `IPv6`.
        family: String,
    },
    /// After a failed sync the load balancer keeps its last good
    /// configuration; the Service's latest changes have not reached it.
    KeepsLastGoodConfiguration,

    // --- NodePorts and node addresses ------------------------------------
    /// The nodes' addresses when none is an `ExternalIP`.
    InternalIpsOnly {
        /// Every node's `InternalIP` addresses.
        addresses: Vec<NodeAddress>,
    },
    /// The client (`--from`) has a public address: it cannot reach private
    /// node addresses.
    ClientOnInternet { client: IpAddr },
    /// The client (`--from`) has a private address: it may reach the
    /// nodes' `InternalIP`s (VPN, peering).
    ClientOnPrivateNetwork { client: IpAddr },
    /// The client's address is unknown (no `--from`): clients on the
    /// internet cannot reach the nodes' addresses, clients on the nodes'
    /// network can.
    ClientAddressUnknown,
    /// No Service in the cluster uses a NodePort.
    NoNodePortInCluster,
    /// The nodePorts the Services of the cluster use.
    NodePortsInUse {
        /// Sorted by nodePort.
        ports: Vec<NodePortUse>,
    },
    /// The port is outside the default NodePort range (30000-32767).
    OutsideNodePortRange { port: u16 },

    // --- Services without an entry ---------------------------------------
    /// No Service of the namespace selects the Deployment's pod labels.
    NoServiceSelectsDeployment { namespace: String },
    /// The Service's type, and how many Ingresses of its namespace there
    /// are (none of which routes to it).
    NoIngressRoutesTo {
        service: String,
        /// `spec.type` (`ClusterIP`, …).
        service_type: String,
        namespace: String,
        /// The number of Ingresses in the namespace.
        ingresses: usize,
    },

    // --- targets that match nothing --------------------------------------
    /// The existing namespaces closest to the one asked for.
    ClosestNamespaces { namespaces: Vec<String> },
    /// The names of the same kind closest to the one asked for.
    ClosestNames {
        namespace: String,
        names: Vec<String>,
    },
    /// How many objects of the kind the namespace has (none close to the
    /// name asked for).
    ObjectsInNamespace {
        /// `Service`, `Ingress`, `Pod`, `Deployment`.
        object_kind: crate::object::RefKind,
        namespace: String,
        count: usize,
    },
    /// Other namespaces hold an object of that kind and name.
    ExistsInNamespaces {
        /// `Service`, `Ingress`, `Pod`, `Deployment`.
        object_kind: crate::object::RefKind,
        name: String,
        namespaces: Vec<String>,
    },
    /// The cluster's addresses closest to the one asked for.
    ClusterAddresses { addresses: Vec<KnownAddress> },
    /// The Ingress hosts closest to the one asked for.
    ClosestIngressHosts { hosts: Vec<String> },
    /// The hosts of the cluster's Ingress rules (none close to the one
    /// asked for).
    IngressHosts { hosts: Vec<String> },
    /// A resource the source could not read, so that not finding the
    /// target there is not knowing.
    Unreadable {
        /// The API resource (`ingresses.networking.k8s.io`).
        resource: String,
        /// Why the source lacks it.
        reason: crate::snapshot::NotRead,
    },
}

/// A controller that assigns load-balancer addresses, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LbController {
    /// A cloud provider, from a node's `spec.providerID`.
    CloudProvider {
        /// The scheme of the providerID (`aws`, `azure`, `gce`, …).
        cloud: String,
        /// The node's whole `spec.providerID`.
        provider_id: String,
    },
    /// A pod of a controller.
    Pod {
        controller: LbControllerKind,
        namespace: String,
        name: String,
        ready: bool,
    },
    /// Custom resources of a controller.
    Objects {
        controller: LbControllerKind,
        /// How many objects of that resource the cluster has.
        count: usize,
        /// `group/version/Kind` (`metallb.io/v1beta1/IPAddressPool`).
        resource: String,
    },
}

/// Which load-balancer controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LbControllerKind {
    Metallb,
    KubeVip,
    KubeVipCloudProvider,
    /// k3s' servicelb (klipper-lb).
    K3sServicelb,
    Openelb,
    /// A cloud-controller-manager.
    CloudControllerManager,
    AwsLoadBalancerController,
    CiliumLbIpam,
}

/// One `InternalIP` of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NodeAddress {
    pub node: String,
    pub address: String,
}

/// A nodePort and the Service port it leads to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct NodePortUse {
    pub node_port: i32,
    pub namespace: String,
    pub service: String,
    /// The Service port.
    pub port: i32,
}

/// An address the cluster has: a load balancer's, or a node's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KnownAddress {
    /// In a Service's `status.loadBalancer.ingress`.
    LoadBalancer {
        address: String,
        namespace: String,
        service: String,
    },
    /// In a node's `status.addresses`.
    Node {
        address: String,
        /// `ExternalIP` or `InternalIP`.
        address_type: String,
        node: String,
    },
}

impl KnownAddress {
    pub fn address(&self) -> &str {
        match self {
            KnownAddress::LoadBalancer { address, .. } | KnownAddress::Node { address, .. } => {
                address
            }
        }
    }
}
