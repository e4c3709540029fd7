//! The entry checks' words (en).
use kreach_core::checks;
use kreach_core::message::entry::{Evidence, KnownAddress, LbController, LbControllerKind};

use super::*;

/// Every item, joined.
fn all(items: &[String]) -> String {
    list(items, usize::MAX)
}

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::LoadBalancerNodesNonePass { nodes } => format!(
            "load-balancer nodes: {}; none passes",
            if nodes.is_empty() {
                "none".to_string()
            } else {
                all(nodes)
            }
        ),
        Evidence::ReadyEndpointsOn { nodes } => format!("ready endpoints run on: {}", all(nodes)),
        Evidence::ExcludedFromLoadBalancers { label, nodes } => {
            format!("excluded from load balancers ({label}): {}", all(nodes))
        }
        Evidence::LocalForwardsOnlyToSameNode => {
            "with Local, kube-proxy forwards NodePort traffic only to pods on the same node".into()
        }
        Evidence::NoLoadBalancerEvents => {
            "no load-balancer events on the Service: no controller has tried to provision it".into()
        }
        Evidence::LoadBalancerClass { class } => {
            format!("loadBalancerClass {class}: only a controller for that class will provision it")
        }
        Evidence::NoLoadBalancerController => "no load-balancer controller found: no cloud providerID on the nodes, no MetalLB, kube-vip, servicelb, Cilium LB IPAM or OpenELB".into(),
        Evidence::LoadBalancerControllers { controllers } => format!(
            "load-balancer controllers: {}",
            controllers
                .iter()
                .map(lb_controller)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Evidence::SourceRanges { source, ranges } => format!("{source}: {}", all(ranges)),
        Evidence::LegacyMasterExcluded {
            label,
            version,
            nodes,
        } => format!(
            "left out of load balancers by the legacy role label {label} (Kubernetes {version}, before 1.21): {}",
            all(nodes)
        ),
        Evidence::ServiceIpFamilies { families, policy } => {
            format!("spec.ipFamilies: {}, ipFamilyPolicy: {policy}", all(families))
        }
        Evidence::OtherFamilyHasNoBackends { family } => format!(
            "the Service has no {family} side: no {family} EndpointSlice, and kube-proxy programs no {family} rule for its load-balancer address"
        ),
        Evidence::OutsideSourceRangesDropped => "connections from other addresses are dropped before they reach a node (they time out)".into(),
        Evidence::NoClientAddress => "pass --from ADDR to check a particular client".into(),
        Evidence::KeepsLastGoodConfiguration => "the load balancer keeps its last good configuration; the Service's latest changes have not reached it".into(),
        Evidence::InternalIpsOnly { addresses } => {
            let shown: Vec<String> = addresses
                .iter()
                .map(|a| format!("{} {}", a.node, a.address))
                .collect();
            format!("node addresses: {} (InternalIP only)", list(&shown, 5))
        }
        Evidence::ClientOnInternet { client } => {
            format!("the client {client} is on the internet: it cannot reach private node addresses")
        }
        Evidence::ClientOnPrivateNetwork { client } => format!(
            "the client {client} is on a private network: it may reach the InternalIPs (VPN, peering)"
        ),
        Evidence::ClientAddressUnknown => "the client's address is unknown (--from): clients on the internet cannot reach these addresses; clients on the nodes' network can".into(),
        Evidence::NoNodePortInCluster => "no Service in the cluster uses a NodePort".into(),
        Evidence::NodePortsInUse { ports } => {
            let shown: Vec<String> = ports
                .iter()
                .map(|u| {
                    format!(
                        "{} → Service {}/{} port {}",
                        u.node_port, u.namespace, u.service, u.port
                    )
                })
                .collect();
            format!("nodePorts in use: {}", list(&shown, 6))
        }
        Evidence::OutsideNodePortRange { port } => {
            format!("{port} is outside the default NodePort range 30000-32767")
        }
        Evidence::NoServiceSelectsDeployment { namespace } => format!(
            "no Service in {namespace} has a selector matching the Deployment's pod labels"
        ),
        Evidence::NoIngressRoutesTo {
            service,
            service_type,
            namespace,
            ingresses,
        } => format!(
            "type {service_type}; {ingresses} Ingress(es) in {namespace}, none routes to {service}"
        ),
        Evidence::ClosestNamespaces { namespaces } => {
            format!("closest namespaces: {}", all(namespaces))
        }
        Evidence::ClosestNames { namespace, names } => {
            format!("closest names in {namespace}: {}", all(names))
        }
        Evidence::ObjectsInNamespace {
            object_kind,
            namespace,
            count,
        } => format!(
            "{count} {}s in {namespace}",
            object_kind.name().to_ascii_lowercase()
        ),
        Evidence::ExistsInNamespaces {
            object_kind,
            name,
            namespaces,
        } => format!(
            "{} {name} exists in namespace {}",
            object_kind.name().to_ascii_lowercase(),
            all(namespaces)
        ),
        Evidence::ClusterAddresses { addresses } => format!(
            "addresses the cluster has: {}",
            addresses
                .iter()
                .map(known_address)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Evidence::ClosestIngressHosts { hosts } => format!("closest Ingress hosts: {}", all(hosts)),
        Evidence::IngressHosts { hosts } => format!("Ingress hosts: {}", list(hosts, 5)),
        Evidence::Unreadable { resource, reason } => {
            format!("{resource} could not be read: {}", super::not_read(reason))
        }
    }
}

fn lb_controller_kind(k: LbControllerKind) -> &'static str {
    match k {
        LbControllerKind::Metallb => "MetalLB",
        LbControllerKind::KubeVip => "kube-vip",
        LbControllerKind::KubeVipCloudProvider => "kube-vip cloud provider",
        LbControllerKind::K3sServicelb => "k3s servicelb (klipper-lb)",
        LbControllerKind::Openelb => "OpenELB",
        LbControllerKind::CloudControllerManager => "a cloud-controller-manager",
        LbControllerKind::AwsLoadBalancerController => "AWS Load Balancer Controller",
        LbControllerKind::CiliumLbIpam => "Cilium LB IPAM",
    }
}

/// `MetalLB (metallb-system/controller-x ready)`.
fn lb_controller(c: &LbController) -> String {
    match c {
        LbController::CloudProvider { cloud, provider_id } => {
            format!("cloud provider {cloud} (node providerID {provider_id})")
        }
        LbController::Pod {
            controller,
            namespace,
            name,
            ready,
        } => format!(
            "{} ({namespace}/{name} {})",
            lb_controller_kind(*controller),
            if *ready { "ready" } else { "NOT ready" }
        ),
        LbController::Objects {
            controller,
            count,
            resource,
        } => format!(
            "{} ({count} {resource} object(s))",
            lb_controller_kind(*controller)
        ),
    }
}

/// `203.0.113.7 (load balancer of Service shop/web)`.
fn known_address(a: &KnownAddress) -> String {
    match a {
        KnownAddress::LoadBalancer {
            address,
            namespace,
            service,
        } => format!("{address} (load balancer of Service {namespace}/{service})"),
        KnownAddress::Node {
            address,
            address_type,
            node,
        } => format!("{address} ({address_type} of node {node})"),
    }
}

pub fn loadbalancer_health_check_local(
    p: &checks::entry::loadbalancer_health_check_local::Problem,
) -> String {
    use checks::entry::loadbalancer_health_check_local::Problem as P;
    match p {
        P::NoLoadBalancerNodeHostsEndpoint {
            health_check_node_port,
        } => format!(
            "externalTrafficPolicy is Local and none of the load balancer's nodes hosts a ready endpoint: every health check on healthCheckNodePort {} fails",
            health_check_node_port
                .map(|p| p.to_string())
                .unwrap_or_else(|| "unset".into())
        ),
        P::EntryNodeHostsNoEndpoint { nodes } => format!(
            "externalTrafficPolicy is Local and node {} hosts no ready endpoint: its NodePort drops the traffic",
            all(nodes)
        ),
    }
}

pub fn loadbalancer_address_family_mismatch(
    p: &checks::entry::loadbalancer_address_family_mismatch::Problem,
) -> String {
    use checks::entry::loadbalancer_address_family_mismatch::Problem as P;
    match p {
        P::AddressFamilyNotServed {
            addresses,
            family,
            service_families,
        } => format!(
            "load balancer address {} is {family}, but the Service's IP families are {}: nothing serves it",
            all(&addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>()),
            all(service_families)
        ),
    }
}

pub fn loadbalancer_no_eligible_nodes(
    p: &checks::entry::loadbalancer_no_eligible_nodes::Problem,
) -> String {
    use checks::entry::loadbalancer_no_eligible_nodes::Problem as P;
    match p {
        P::NoEligibleNode { nodes } => format!(
            "the load balancer has no node to send traffic to: all {nodes} node(s) are left out of load balancers"
        ),
    }
}

pub fn loadbalancer_pending(p: &checks::entry::loadbalancer_pending::Problem) -> String {
    use checks::entry::loadbalancer_pending::Problem as P;
    match p {
        P::NoExternalAddress { service_age } => format!(
            "load balancer has no external address (EXTERNAL-IP <pending>){}",
            service_age
                .map(|a| format!(", service created {} ago", age(a)))
                .unwrap_or_default()
        ),
    }
}

pub fn loadbalancer_source_ranges(
    p: &checks::entry::loadbalancer_source_ranges::Problem,
) -> String {
    use checks::entry::loadbalancer_source_ranges::Problem as P;
    match p {
        P::ClientOutsideRanges { client, ranges } => format!(
            "client {client} is outside the load balancer's source ranges {}",
            all(ranges)
        ),
        P::OnlyClientsIn { ranges } => format!(
            "only clients in {} can reach this load balancer",
            all(ranges)
        ),
    }
}

pub fn loadbalancer_sync_failed(p: &checks::entry::loadbalancer_sync_failed::Problem) -> String {
    use checks::entry::loadbalancer_sync_failed::Problem as P;
    match p {
        P::NewestSyncFailed { reason } => {
            format!("the newest load-balancer sync failed: {reason}")
        }
    }
}

pub fn node_no_external_address(p: &checks::entry::node_no_external_address::Problem) -> String {
    use checks::entry::node_no_external_address::Problem as P;
    match p {
        P::NoNodeExternalIp => {
            "the Service is reached through NodePorts, but no node has an ExternalIP".into()
        }
    }
}

pub fn nodeport_not_exposed(p: &checks::entry::nodeport_not_exposed::Problem) -> String {
    use checks::entry::nodeport_not_exposed::Problem as P;
    match p {
        P::NodePortUnused {
            node,
            address,
            node_port,
        } => format!("no Service uses nodePort {node_port} on node {node} ({address})"),
        P::ServiceHasNoNodePorts { service_type } => {
            format!("service is type {service_type}: it has no NodePorts")
        }
    }
}

pub fn service_not_exposed(p: &checks::entry::service_not_exposed::Problem) -> String {
    use checks::entry::service_not_exposed::Problem as P;
    match p {
        P::DeploymentNotSelected { deployment } => {
            format!("no Service selects the pods of deployment {deployment}")
        }
        P::NoEntryOfKind { via, service_type } => {
            format!("service has no {} entry (type {service_type})", via.name())
        }
        P::OnlyIngress { via } => format!(
            "only this Ingress leads to the target: there is no {} entry",
            via.name()
        ),
        P::ClusterInternalOnly { service_type } => format!(
            "service is type {service_type} with no external IPs and no Ingress rule routing to it: it is reachable only inside the cluster"
        ),
    }
}

pub fn target_not_found(p: &checks::entry::target_not_found::Problem) -> String {
    use checks::entry::target_not_found::Problem as P;
    match p {
        P::NamespaceNotFound { namespace, .. } => format!("namespace {namespace} does not exist"),
        P::ObjectNotFound {
            object_kind,
            name,
            namespace,
            ..
        } => format!(
            "{} {name} not found in namespace {namespace}",
            object_kind.name().to_ascii_lowercase()
        ),
        P::AddressNotFound { address, port, .. } => format!(
            "no load balancer, node, external IP or pod has address {address} (port {port})"
        ),
        P::HostNotFound { host, .. } => {
            format!("no Ingress rule and no load balancer serves host {host}")
        }
    }
}
