//! The entry checks' words (zh).
use kreach_core::checks;
use kreach_core::message::entry::{Evidence, KnownAddress, LbController, LbControllerKind};

use super::*;

/// Every item, joined.
fn all(items: &[String]) -> String {
    list(items, usize::MAX)
}

/// Every item in backticks, joined: names the report suggests, which are
/// not objects of the finding.
fn ticked(items: &[String]) -> String {
    let v: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    all(&v)
}

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::LoadBalancerNodesNonePass { nodes } => format!(
            "负载均衡器可用的后端节点：{}；均未通过健康检查",
            if nodes.is_empty() {
                "无".to_string()
            } else {
                all(nodes)
            }
        ),
        Evidence::ReadyEndpointsOn { nodes } => format!("就绪端点所在的节点：{}", all(nodes)),
        Evidence::ExcludedFromLoadBalancers { label, nodes } => {
            format!("不作为负载均衡器后端的节点（标签 `{label}`）：{}", all(nodes))
        }
        Evidence::LocalForwardsOnlyToSameNode => {
            "`externalTrafficPolicy` 为 `Local` 时，kube-proxy 只把 NodePort 流量转发给同一节点上的 Pod".into()
        }
        Evidence::NoLoadBalancerEvents => {
            "该 Service 上没有负载均衡器相关事件：还没有控制器尝试为它创建负载均衡器".into()
        }
        Evidence::LoadBalancerClass { class } => {
            format!("`loadBalancerClass` 为 {class}：只有该类别的控制器才会为它创建负载均衡器")
        }
        Evidence::NoLoadBalancerController => "未发现负载均衡器控制器：节点上没有云厂商的 `providerID`，也没有 `MetalLB`、`kube-vip`、`servicelb`、`Cilium LB IPAM` 或 `OpenELB`".into(),
        Evidence::LoadBalancerControllers { controllers } => format!(
            "负载均衡器控制器：{}",
            controllers
                .iter()
                .map(lb_controller)
                .collect::<Vec<_>>()
                .join("；")
        ),
        Evidence::SourceRanges { source, ranges } => format!("`{source}`：{}", all(ranges)),
        Evidence::LegacyMasterExcluded {
            label,
            version,
            nodes,
        } => format!(
            "因旧的角色标签 `{label}` 被排除在负载均衡器之外（集群版本 {version}，早于 1.21）：{}",
            all(nodes)
        ),
        Evidence::ServiceIpFamilies { families, policy } => format!(
            "`spec.ipFamilies`：{}，`ipFamilyPolicy`：`{policy}`",
            all(families)
        ),
        Evidence::OtherFamilyHasNoBackends { family } => format!(
            "该 Service 没有 {family} 一侧：没有 {family} 的 EndpointSlice，kube-proxy 也不会为其负载均衡器地址编写 {family} 规则"
        ),
        Evidence::OutsideSourceRangesDropped => {
            "来自其他地址的连接在到达节点之前就被丢弃（表现为连接超时）".into()
        }
        Evidence::NoClientAddress => "加上 `--from <客户端地址>` 可检查某个具体的客户端".into(),
        Evidence::KeepsLastGoodConfiguration => {
            "负载均衡器沿用最后一次成功同步的配置；Service 的最新变更尚未同步到负载均衡器".into()
        }
        Evidence::InternalIpsOnly { addresses } => {
            let shown: Vec<String> = addresses
                .iter()
                .map(|a| format!("{} {}", a.node, a.address))
                .collect();
            format!("节点地址：{}（只有 InternalIP）", list(&shown, 5))
        }
        Evidence::ClientOnInternet { client } => {
            format!("客户端 {client} 位于公网：无法访问节点的私有地址")
        }
        Evidence::ClientOnPrivateNetwork { client } => format!(
            "客户端 {client} 位于私有网络：可能可以访问节点的 InternalIP（经由虚拟专用网络或对等连接）"
        ),
        Evidence::ClientAddressUnknown => "客户端地址未知（未指定 `--from`）：公网上的客户端无法访问这些地址；与节点处于同一网络的客户端可以访问".into(),
        Evidence::NoNodePortInCluster => "集群中没有任何 Service 使用 NodePort".into(),
        Evidence::NodePortsInUse { ports } => {
            let shown: Vec<String> = ports
                .iter()
                .map(|u| {
                    format!(
                        "{} → Service {}/{} 端口 {}",
                        u.node_port, u.namespace, u.service, u.port
                    )
                })
                .collect();
            format!("已在使用的 `nodePort`：{}", list(&shown, 6))
        }
        Evidence::OutsideNodePortRange { port } => {
            format!("{port} 不在默认的 NodePort 端口范围 30000-32767 内")
        }
        Evidence::NoServiceSelectsDeployment { namespace } => format!(
            "命名空间 {namespace} 中没有任何 Service 的选择器匹配该 Deployment 的 Pod 标签"
        ),
        Evidence::NoIngressRoutesTo {
            service,
            service_type,
            namespace,
            ingresses,
        } => format!(
            "类型为 {service_type}；命名空间 {namespace} 中有 {ingresses} 个 Ingress，没有一个路由到 {service}"
        ),
        Evidence::ClosestNamespaces { namespaces } => {
            format!("名称最接近的命名空间：{}", ticked(namespaces))
        }
        Evidence::ClosestNames { namespace, names } => {
            format!("命名空间 {namespace} 中最接近的名称：{}", ticked(names))
        }
        Evidence::ObjectsInNamespace {
            object_kind,
            namespace,
            count,
        } => format!("命名空间 {namespace} 中共有 {count} 个 {object_kind}"),
        Evidence::ExistsInNamespaces {
            object_kind,
            name,
            namespaces,
        } => format!(
            "命名空间 {} 中存在 {object_kind} {name}",
            ticked(namespaces)
        ),
        Evidence::ClusterAddresses { addresses } => format!(
            "集群中已有的地址：{}",
            addresses
                .iter()
                .map(known_address)
                .collect::<Vec<_>>()
                .join("、")
        ),
        Evidence::ClosestIngressHosts { hosts } => {
            format!("最接近的 Ingress 主机名：{}", ticked(hosts))
        }
        Evidence::IngressHosts { hosts } => format!("Ingress 主机名：{}", list(hosts, 5)),
        Evidence::Unreadable { resource, reason } => format!("无法读取 {resource}：{}", super::not_read(reason)),
    }
}

fn lb_controller_kind(k: LbControllerKind) -> &'static str {
    match k {
        LbControllerKind::Metallb => "`MetalLB`",
        LbControllerKind::KubeVip => "`kube-vip`",
        LbControllerKind::KubeVipCloudProvider => "`kube-vip-cloud-provider`",
        LbControllerKind::K3sServicelb => "k3s 的 `servicelb`（`klipper-lb`）",
        LbControllerKind::Openelb => "`OpenELB`",
        LbControllerKind::CloudControllerManager => "`cloud-controller-manager`",
        LbControllerKind::AwsLoadBalancerController => "`aws-load-balancer-controller`",
        LbControllerKind::CiliumLbIpam => "`Cilium LB IPAM`",
    }
}

/// `` `MetalLB`（metallb-system/controller-x 已就绪） ``.
fn lb_controller(c: &LbController) -> String {
    match c {
        LbController::CloudProvider { cloud, provider_id } => {
            format!("云厂商 `{cloud}`（节点 `providerID` {provider_id}）")
        }
        LbController::Pod {
            controller,
            namespace,
            name,
            ready,
        } => format!(
            "{}（{namespace}/{name} {}）",
            lb_controller_kind(*controller),
            if *ready { "已就绪" } else { "未就绪" }
        ),
        LbController::Objects {
            controller,
            count,
            resource,
        } => format!(
            "{}（{count} 个 {resource} 对象）",
            lb_controller_kind(*controller)
        ),
    }
}

/// `203.0.113.7（Service shop/web 的负载均衡器）`.
fn known_address(a: &KnownAddress) -> String {
    match a {
        KnownAddress::LoadBalancer {
            address,
            namespace,
            service,
        } => format!("{address}（Service {namespace}/{service} 的负载均衡器）"),
        KnownAddress::Node {
            address,
            address_type,
            node,
        } => format!("{address}（节点 {node} 的 {address_type}）"),
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
            "`externalTrafficPolicy` 为 `Local`，而负载均衡器的后端节点上都没有就绪端点：`healthCheckNodePort` {} 上的健康检查全部失败",
            health_check_node_port
                .map(|p| p.to_string())
                .unwrap_or_else(|| "（未设置）".into())
        ),
        P::EntryNodeHostsNoEndpoint { nodes } => format!(
            "`externalTrafficPolicy` 为 `Local`，而节点 {} 上没有就绪端点：发往其 NodePort 的流量会被丢弃",
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
            "负载均衡器地址 {} 属于 {family}，而该 Service 的 IP 协议族只有 {}：没有任何后端为它服务",
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
        P::NoEligibleNode { nodes } => {
            format!("负载均衡器没有可以转发流量的节点：全部 {nodes} 个节点都被排除在负载均衡器之外")
        }
    }
}

pub fn loadbalancer_pending(p: &checks::entry::loadbalancer_pending::Problem) -> String {
    use checks::entry::loadbalancer_pending::Problem as P;
    match p {
        P::NoExternalAddress { service_age } => format!(
            "负载均衡器没有外部地址（`EXTERNAL-IP` 为 `<pending>`）{}",
            service_age
                .map(|a| format!("，Service 创建于 {}前", age(a)))
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
            "客户端 {client} 不在负载均衡器允许的源地址范围 {} 内",
            all(ranges)
        ),
        P::OnlyClientsIn { ranges } => {
            format!("只有来自 {} 的客户端才能访问该负载均衡器", all(ranges))
        }
    }
}

pub fn loadbalancer_sync_failed(p: &checks::entry::loadbalancer_sync_failed::Problem) -> String {
    use checks::entry::loadbalancer_sync_failed::Problem as P;
    match p {
        P::NewestSyncFailed { reason } => format!("负载均衡器最近一次同步失败：{reason}"),
    }
}

pub fn node_no_external_address(p: &checks::entry::node_no_external_address::Problem) -> String {
    use checks::entry::node_no_external_address::Problem as P;
    match p {
        P::NoNodeExternalIp => "该 Service 通过 NodePort 访问，但没有任何节点有 ExternalIP".into(),
    }
}

pub fn nodeport_not_exposed(p: &checks::entry::nodeport_not_exposed::Problem) -> String {
    use checks::entry::nodeport_not_exposed::Problem as P;
    match p {
        P::NodePortUnused {
            node,
            address,
            node_port,
        } => format!("没有任何 Service 使用节点 {node}（{address}）上的 `nodePort` {node_port}"),
        P::ServiceHasNoNodePorts { service_type } => {
            format!("该 Service 的类型为 {service_type}：没有 NodePort")
        }
    }
}

pub fn service_not_exposed(p: &checks::entry::service_not_exposed::Problem) -> String {
    use checks::entry::service_not_exposed::Problem as P;
    match p {
        P::DeploymentNotSelected { deployment } => {
            format!("没有任何 Service 选中 Deployment {deployment} 的 Pod")
        }
        P::NoEntryOfKind { via, service_type } => format!(
            "该 Service 没有 `--via {}` 所要求的入口（类型为 {service_type}）",
            via.name()
        ),
        P::OnlyIngress { via } => format!(
            "只有该 Ingress 能到达目标：没有 `--via {}` 所要求的入口",
            via.name()
        ),
        P::ClusterInternalOnly { service_type } => format!(
            "该 Service 类型为 {service_type}，没有 `externalIPs`，也没有 Ingress 规则路由到它：只能在集群内部访问"
        ),
    }
}

pub fn target_not_found(p: &checks::entry::target_not_found::Problem) -> String {
    use checks::entry::target_not_found::Problem as P;
    match p {
        P::NamespaceNotFound { namespace, .. } => format!("命名空间 {namespace} 不存在"),
        P::ObjectNotFound {
            object_kind,
            name,
            namespace,
            ..
        } => format!("命名空间 {namespace} 中找不到 {object_kind} {name}"),
        P::AddressNotFound { address, port, .. } => {
            format!("没有任何负载均衡器、节点、外部地址或 Pod 持有地址 {address}（端口 {port}）")
        }
        P::HostNotFound { host, .. } => {
            format!("没有任何 Ingress 规则或负载均衡器服务于主机名 {host}")
        }
    }
}
