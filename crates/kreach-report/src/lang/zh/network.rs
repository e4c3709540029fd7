//! The network checks' words (zh), and NetworkPolicy rejections (shared
//! with `kreach policy`). Names, reasons and messages quoted from the
//! cluster stay as they are, in backticks.

use kreach_core::checks;
use kreach_core::checks::cloud::cloud_health_check_mismatch::{Cloud, ExpectedPort, Mismatch};
use kreach_core::checks::network::networkpolicy_denies::Arriving;
use kreach_core::message::network::Evidence;
use kreach_core::path::Via;
use kreach_core::traffic::{LegKind, NodeAddress, NodeSource};
use kreach_netpol::{
    Direction, Invalid, OtherEnd, PeerMismatch, PeerScope, PortScope, Rejection, RejectionCause,
    RequirementProblem, RuleMiss, RuleNote, labels_text, selector_is_empty, selector_text,
};

use super::*;

/// `a、b、c`: every item.
fn all(items: &[String]) -> String {
    items.join("、")
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::NodeCondition {
            type_,
            status,
            since,
            reason,
            message,
        } => {
            let since = since
                .as_deref()
                .map(|t| format!("，自 {t} 起"))
                .unwrap_or_default();
            let reason = reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| format!("：`{r}`"))
                .unwrap_or_default();
            let message = message
                .as_deref()
                .map(|m| format!("（`{m}`）"))
                .unwrap_or_default();
            format!("节点状况 `{type_}={status}`{since}{reason}{message}")
        }
        Evidence::PodCondition {
            type_,
            status,
            since,
            message,
        } => {
            let since = since
                .as_deref()
                .map(|t| format!("，自 {t} 起"))
                .unwrap_or_default();
            let message = message
                .as_deref()
                .map(|m| format!("：`{m}`"))
                .unwrap_or_default();
            format!("Pod 状况 `{type_}={status}`{since}{message}")
        }
        Evidence::OtherEntryNodesRemain { count } => {
            format!("还有 {count} 个其他入口节点可用")
        }
        Evidence::ReadyEndpointsOnOtherNodes => {
            "其他节点上的就绪端点仍承担部分流量".into()
        }
        Evidence::PodsCutOff { node, pods } => format!(
            "该路径在节点 `{node}` 上的 Pod：{}（与其他节点断开）",
            list(&ticks(pods), 5)
        ),
        Evidence::OtherNodesServe => "其他节点仍有就绪端点：只有部分流量失败".into(),
        Evidence::EntryNodeOfPath { node } => format!(
            "节点 `{node}` 是该路径的入口节点：它的 NodePort 转发规则由这个 kube-proxy 维护"
        ),
        Evidence::LastExit { exit_code, reason } => format!(
            "上次退出：退出码 {exit_code}，原因 {}",
            reason
                .as_deref()
                .map(|r| format!("`{r}`"))
                .unwrap_or_else(|| "未知".into())
        ),
        Evidence::KubeProxyMode { mode } => {
            format!("kube-proxy 配置（ConfigMap）中的代理模式：`{mode}`")
        }
        Evidence::EntryNodesAffected { affected, total } => {
            format!("{total} 个入口节点中有 {affected} 个受影响")
        }
        Evidence::PodNetwork { cidrs } => format!("Pod 网段：{}", all(cidrs)),
        Evidence::RepliesRoutedIntoPodNetwork => {
            "发给客户端的回包被路由进 Pod 网络，回不到客户端".into()
        }
        Evidence::InNodePodCidr { address, node } => {
            format!("{address} 位于节点 `{node}` 的 `podCIDR` 内")
        }
        Evidence::ServiceNetworkInferred { network } => format!(
            "Service 网段 {network}，由正在使用的 ClusterIP 推断（`kubernetes.default` 占用其第一个地址）"
        ),
        Evidence::RepliesCapturedByKubeProxy => "节点把 Service 网段内的目标地址当作自己的：发给客户端的回包可能被 kube-proxy 的规则截获，而不是路由给客户端".into(),
        Evidence::IsClusterIp { address } => {
            format!("{address} 甚至是某个 Service 的 ClusterIP")
        }
        Evidence::CidrsMustNotOverlap => "Service 网段与 Pod 网段不能重叠".into(),
        Evidence::NodeAndPodRoutesCollide => "每个节点上的节点路由与 Pod 路由都会冲突".into(),
        Evidence::RenumberClient => {
            "为客户端（VPN 地址池）换一个不在集群 Pod 网段和 Service 网段内的地址范围".into()
        }
        Evidence::RenumberNodeNetwork => "重新规划节点网络或 Pod 网段".into(),
        Evidence::PolicyRejects { rejection: r } => rejection(r),
        Evidence::PoliciesSelectingPod { policies } => {
            format!("选中该 Pod 的网络策略：{}", all(&strings(policies)))
        }
        Evidence::SomeNodeAddressesAdmitted {
            pod,
            admitted,
            denied,
        } => format!(
            "对 Pod `{pod}`，网络策略放行 {}，但不放行 {}",
            all(&strings(admitted)),
            all(&denied
                .iter()
                .map(|n| format!("{}（{}）", n.ip, node_address(&n.address)))
                .collect::<Vec<_>>())
        ),
        Evidence::SomePodsAdmit => "仍有部分 Pod 放行该流量：只有部分请求失败".into(),
        Evidence::IpBlockReading {
            pod_ips_match: true,
            cni,
        } => format!(
            "{}：Pod IP 落在 ipBlock 网段内即匹配（上游一致性测试的理解）；换另一种理解，这条流量会被放行",
            match cni {
                Some(c) => format!("按集群 CNI（`{c}`）的方式理解 ipBlock"),
                None => "按 NetworkPolicy 一致性测试的方式理解 ipBlock（CNI 未知）".into(),
            }
        ),
        Evidence::IpBlockReading {
            pod_ips_match: false,
            cni,
        } => format!(
            "按集群 CNI（{}）的方式理解 ipBlock：Pod IP 从不匹配网段，只匹配集群外地址；按一致性测试的理解，这条流量会被放行",
            cni.as_deref().map_or("未知".to_string(), |c| format!("`{c}`"))
        ),
        Evidence::MinimalRule { rule } => format!(
            "可放行该流量的最小入站规则：`{}`",
            serde_json::to_value(rule).unwrap_or_default()
        ),
        Evidence::MinimalRuleNote { note } => rule_note(note),
        Evidence::ClientAddressUnknown => {
            "客户端地址未知：用 `--from ADDR` 指定客户端地址再检查".into()
        }
        Evidence::HealthCheckMismatch { mismatch } => health_check_mismatch(mismatch),
        Evidence::LocalHealthCheckNodePort { port } => format!(
            "`externalTrafficPolicy: Local`：由 kube-proxy 在 `healthCheckNodePort` {port} 上应答健康检查"
        ),
    }
}

fn ticks(items: &[String]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

pub fn cidr_overlap(p: &checks::network::cidr_overlap::Problem) -> String {
    use checks::network::cidr_overlap::Problem as P;
    match p {
        P::ClientInPodNetwork { client, network } => {
            format!("客户端地址 {client} 位于 Pod 网段 {network} 内")
        }
        P::ClientInServiceNetwork { client, network } => {
            format!("客户端地址 {client} 位于 Service 网段 {network} 内")
        }
        P::PodNetworkOverlapsServiceNetwork {
            pod_network,
            service_network,
        } => format!("Pod 网段 {pod_network} 与 Service 网段 {service_network} 重叠"),
        P::ClusterIpsInPodNetwork { cluster_ips } => format!(
            "有 ClusterIP 位于 Pod 网段内：{}",
            list(&strings(cluster_ips), 4)
        ),
        P::NodeAddressInPodNetwork {
            node,
            address,
            network,
        } => format!("节点 `{node}` 的地址 {address} 位于 Pod 网段 {network} 内"),
        P::PodCidrsOverlap {
            node,
            pod_cidr,
            other_node,
            other_pod_cidr,
        } => format!(
            "节点 `{node}` 的 `podCIDR` {pod_cidr} 与节点 `{other_node}` 的 `podCIDR` {other_pod_cidr} 重叠"
        ),
    }
}

pub fn ingress_alb_target_type_mismatch(
    p: &checks::cloud::ingress_alb_target_type_mismatch::Problem,
) -> String {
    use checks::cloud::ingress_alb_target_type_mismatch::Problem as P;
    match p {
        P::InstanceTargetWithoutNodePort {
            service,
            service_type,
            set_on,
        } => format!(
            "AWS 负载均衡器控制器以 `instance` 类型注册目标（{}），即注册 Service `{service}` 的节点端口，而它是 `{service_type}`，没有节点端口：`ALB` 没有任何目标",
            match set_on {
                Some(o) => format!("由 `{o}` 设置"),
                None => "默认值".into(),
            }
        ),
    }
}

pub fn cloud_health_check_mismatch(
    p: &checks::cloud::cloud_health_check_mismatch::Problem,
) -> String {
    use checks::cloud::cloud_health_check_mismatch::Problem as P;
    match p {
        P::BackendConfig { backend_config } => {
            format!("GKE 的健康检查由 BackendConfig `{backend_config}` 配置，kreach 不读取它")
        }
        P::GkeDefaultHealthCheck {
            serving_port,
            probe_port: None,
        } => format!(
            "GKE 的 Ingress 用 `GET /`（端口 {serving_port}）对这个后端做健康检查，只有 200 才算通过（重定向或 404 都会失败，尽管 kubelet 把 3xx 视为就绪）：Pod 没有可供推导的 HTTP 就绪探针"
        ),
        P::GkeDefaultHealthCheck {
            serving_port,
            probe_port: Some(probe),
        } => format!(
            "GKE 的 Ingress 用 `GET /`（端口 {serving_port}）对这个后端做健康检查，只有 200 才算通过：Pod 的 HTTP 就绪探针在端口 {probe} 上，而不是服务端口，GKE 不会采用它的路径"
        ),
        P::Mismatch { cloud, mismatch } => format!(
            "{}负载均衡器的健康检查与 Pod 不匹配：{}",
            match cloud {
                Cloud::Aws => "AWS ",
                Cloud::Azure => "`Azure` ",
                Cloud::AlibabaCloud => "阿里云",
            },
            health_check_mismatch(mismatch)
        ),
    }
}

fn health_check_mismatch(m: &Mismatch) -> String {
    match m {
        Mismatch::HttpsAgainstHttp {
            annotation,
            value,
            probe_schemes,
        } => format!(
            "`{annotation}={value}`，但 Pod 提供的是普通 HTTP（其探针使用 {}）",
            all(probe_schemes)
        ),
        Mismatch::HttpAgainstHttps { annotation, value } => {
            format!("`{annotation}={value}`，但 Pod 提供的是 HTTPS（其探针使用 HTTPS）")
        }
        Mismatch::PortNotServed {
            annotation,
            value,
            expected,
        } => {
            let want = match expected {
                ExpectedPort::HealthCheckNodePort { port } => {
                    format!(" `healthCheckNodePort` {port} ")
                }
                ExpectedPort::NodePort { ports } => {
                    format!("某个 `nodePort`（{}）", all(&strings(ports)))
                }
            };
            format!(
                "`{annotation}={value}` 不是节点为该 Service 提供服务的端口：健康检查应访问{want}或 `traffic-port`"
            )
        }
        Mismatch::PathNotProbed {
            annotation,
            value,
            probe_paths,
        } => format!(
            "`{annotation}={value}` 不是 Pod 探针使用的路径（{}）：它可能不返回 200",
            all(probe_paths)
        ),
        Mismatch::DefaultPathNotProbed {
            port,
            app_protocol,
            version,
            probe_paths,
        } => format!(
            "没有注解配置健康探测；自 1.24 版起（节点运行 `{version}`），Azure 按端口 `{port}` 的 `appProtocol`（`{app_protocol}`）探测路径 `/`，而 Pod 的探针不使用该路径（{}）：它可能不返回 200",
            all(probe_paths)
        ),
    }
}

/// The agent pod's state (`` `Running`，未就绪，容器 `kube-proxy`
/// `CrashLoopBackOff`，重启 12 次 ``), or that it has no pod on the node.
/// The phase and reasons are the cluster's words, in backticks.
fn agent_state(state: &Option<PodState>) -> String {
    let Some(st) = state else {
        return "该节点上没有它的 Pod".into();
    };
    let mut parts = vec![
        format!("`{}`", st.phase),
        if st.ready { "已就绪" } else { "未就绪" }.to_string(),
    ];
    for c in &st.containers {
        if let Some(w) = &c.waiting {
            parts.push(format!("容器 `{}` `{w}`", c.name));
        }
        if c.restarts > 0 {
            parts.push(format!("重启 {} 次", c.restarts));
        }
    }
    parts.join("，")
}

pub fn cni_not_ready(p: &checks::network::cni_not_ready::Problem) -> String {
    use checks::network::cni_not_ready::Problem as P;
    match p {
        P::AgentNotWorking { agent, node, state } => format!(
            "节点 `{node}` 上的网络插件 `{agent}` 工作不正常：{}",
            agent_state(state)
        ),
    }
}

pub fn kube_proxy_not_ready(p: &checks::network::kube_proxy_not_ready::Problem) -> String {
    use checks::network::kube_proxy_not_ready::Problem as P;
    match p {
        P::NotWorking { node, state } => format!(
            "节点 `{node}` 上的 kube-proxy 工作不正常：{}",
            agent_state(state)
        ),
    }
}

pub fn networkpolicy_denies(p: &checks::network::networkpolicy_denies::Problem) -> String {
    use checks::network::networkpolicy_denies::Problem as P;
    match p {
        P::AdmitsNone {
            policy,
            pods,
            leg,
            source,
            port,
            protocol,
        } => format!(
            "{policy} 选中了{}，却不放行实际到达的任何流量（{}）：{}，端口 {port}/{protocol}",
            if pods.len() == 1 {
                format!(" Pod `{}`", pods[0])
            } else {
                format!(" {} 个 Pod", pods.len())
            },
            leg_kind(leg),
            arriving(source),
        ),
        P::ExternalClientsOnlyFrom { ranges } => {
            format!("网络策略只放行来自 {} 的外部客户端", all(ranges))
        }
    }
}

pub fn node_not_ready(p: &checks::network::node_not_ready::Problem) -> String {
    use checks::network::node_not_ready::Problem as P;
    match p {
        P::EntryNodeNotReady { node, status } => {
            if status == "Unknown" {
                format!("入口节点 `{node}` 状态为 `Unknown`（已停止上报）")
            } else {
                format!("入口节点 `{node}` 处于 `NotReady` 状态")
            }
        }
        P::NetworkUnavailable { node } => {
            format!("节点 `{node}` 报告 `NetworkUnavailable`（网络不可用）")
        }
    }
}

fn via(v: Via) -> &'static str {
    match v {
        Via::Ingress => "Ingress",
        Via::LoadBalancer => "LoadBalancer",
        Via::NodePort => "NodePort",
        Via::ExternalIp => "ExternalIP",
        Via::Pod => "Pod",
        Via::Service => "Service",
    }
}

/// `客户端 → Ingress 控制器`.
fn leg_kind(l: &LegKind) -> String {
    match l {
        LegKind::ClientToPod => "客户端 → Pod".into(),
        LegKind::ClientThroughService { via: v } => format!("客户端 → {} → Pod", via(*v)),
        LegKind::CloudLoadBalancer { product } => format!("{product} 负载均衡器 → Pod"),
        LegKind::ClientToController => "客户端 → Ingress 控制器".into(),
        LegKind::ControllerToPods => "Ingress 控制器 → Pod".into(),
    }
}

/// Who arrives at the pods.
fn arriving(a: &Arriving) -> String {
    match a {
        Arriving::Client { ip } => format!("客户端 {ip}"),
        Arriving::AnyExternalClient => "任意外部客户端".into(),
        Arriving::SnatNodeAddresses { addresses } => {
            let shown: Vec<String> = addresses.iter().map(node_source).collect();
            format!("经 SNAT 后的节点地址 {}", list(&shown, 4))
        }
        Arriving::ControllerPod { namespace, name } => {
            format!("Ingress 控制器 Pod {namespace}/{name}")
        }
    }
}

/// `10.0.0.11（节点 node-a 的 InternalIP）`.
fn node_source(n: &NodeSource) -> String {
    let sep = match n.address {
        NodeAddress::InternalIp => " ",
        NodeAddress::CniGateway { .. } => "",
    };
    format!(
        "{}（节点 `{}` 的{sep}{}）",
        n.ip,
        n.node,
        node_address(&n.address)
    )
}

fn node_address(a: &NodeAddress) -> String {
    match a {
        NodeAddress::InternalIp => "`InternalIP`".into(),
        NodeAddress::CniGateway { pod_cidr } => {
            format!("网络插件网关地址，`podCIDR` {pod_cidr}")
        }
    }
}

/// The space between a name and the Chinese that follows, unless the
/// name ends in a full-width bracket.
fn gap(text: &str) -> &'static str {
    if text.ends_with('）') { "" } else { " " }
}

fn rule_note(n: &RuleNote) -> String {
    match n {
        RuleNote::AdmitsWholeNamespace {
            source_namespace,
            destination_namespace,
            destination,
        } => format!(
            "源 Pod 没有可用于识别的标签，因此该规则会放行命名空间 `{source_namespace}` 中的所有 Pod（访问 {destination_namespace}/{destination}）"
        ),
    }
}

// ------------------------------------------------------------ NetworkPolicy

/// `NetworkPolicy/ns/name：规则 1 只放行……；源……不匹配`.
pub fn rejection(r: &Rejection) -> String {
    format!("{}：{}", r.policy, rejection_cause(r.direction, &r.cause))
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "入站",
        Direction::Egress => "出站",
    }
}

/// What the other end of the connection is called.
fn role(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "源",
        Direction::Egress => "目标",
    }
}

fn rejection_cause(d: Direction, cause: &RejectionCause) -> String {
    let (rules, other, port, protocol) = match cause {
        RejectionCause::NoRules => {
            let dir = direction(d);
            return format!("该策略没有任何{dir}规则（拒绝全部{dir}流量）");
        }
        RejectionCause::RulesMiss {
            rules,
            other,
            port,
            protocol,
        } => (rules, other, port, protocol),
    };
    let role = role(d);
    if cause.ports_only() {
        let mut admitted: Vec<String> = Vec::new();
        for scope in rules.iter().flat_map(|miss| miss.ports.iter().flatten()) {
            let text = port_scope(scope);
            if !admitted.contains(&text) {
                admitted.push(text);
            }
        }
        return format!(
            "没有规则放行端口 {port}/{protocol}（规则只放行 {}）",
            admitted.join("、")
        );
    }
    if let [miss] = rules.as_slice() {
        let peers = miss.peers.as_deref().unwrap_or_default();
        let mut message = format!(
            "{}；{}",
            rule_miss(miss),
            peer_mismatch(PeerMismatch::of(peers, other), role, other)
        );
        if miss.ports.is_some() {
            message.push_str(&format!("，端口 {port}/{protocol} 也不在放行范围内"));
        }
        return message;
    }
    let fragments: Vec<String> = rules.iter().map(rule_miss).collect();
    let text = other_end(other);
    format!(
        "没有规则放行{role} {text}{}访问端口 {port}/{protocol}：{}",
        gap(&text),
        fragments.join("；")
    )
}

/// `规则 2 只放行命名空间 shop 中带 app=web 标签的 Pod（端口 80/TCP）`.
fn rule_miss(miss: &RuleMiss) -> String {
    let rule = miss.index + 1;
    let peers = |p: &[PeerScope]| p.iter().map(peer_scope).collect::<Vec<_>>().join("或");
    let ports = |p: &[PortScope]| p.iter().map(port_scope).collect::<Vec<_>>().join("、");
    match (&miss.peers, &miss.ports) {
        (Some(pe), None) => format!("规则 {rule} 只放行{}", peers(pe)),
        (None, Some(po)) => format!("规则 {rule} 只放行端口 {}", ports(po)),
        (Some(pe), Some(po)) => {
            format!("规则 {rule} 只放行{}（端口 {}）", peers(pe), ports(po))
        }
        (None, None) => format!("规则 {rule} 放行该连接"),
    }
}

/// Why the far end is outside the peers.
fn peer_mismatch(m: PeerMismatch, role: &str, other: &OtherEnd) -> String {
    let text = other_end(other);
    let g = gap(&text);
    match (m, other) {
        (PeerMismatch::AddressOutsideCluster, _) => {
            format!("{role} {text}{g}是集群外部的地址")
        }
        (PeerMismatch::AddressNotInBlocks, _) => format!("{role} {text}{g}不在这些地址范围内"),
        (PeerMismatch::PodNotAnAddress, _) => {
            format!("{role} {text}{g}是 Pod，而 `ipBlock` 对端只被视为放行集群外部的地址")
        }
        (
            PeerMismatch::PodNamespaceDoesNotMatch,
            OtherEnd::Pod {
                namespace,
                namespace_labels,
                ..
            },
        ) => format!(
            "{role} {text}{g}所在的命名空间 `{namespace}`（标签 `{}`）不匹配",
            labels_text(namespace_labels)
        ),
        (PeerMismatch::PodNamespaceDoesNotMatch | PeerMismatch::PodDoesNotMatch, _) => {
            format!("{role} {text}{g}不匹配")
        }
    }
}

/// `Pod shop/web（标签 app=web）` or `10.0.0.11`.
pub(super) fn other_end(o: &OtherEnd) -> String {
    match o {
        OtherEnd::Address { ip } => ip.to_string(),
        OtherEnd::Pod {
            namespace,
            name,
            labels,
            ..
        } => {
            let labels = labels_text(labels);
            if labels.is_empty() {
                format!("Pod {namespace}/{name}（无标签）")
            } else {
                format!("Pod {namespace}/{name}（标签 `{labels}`）")
            }
        }
    }
}

/// What one peer of a rule admits: `命名空间 shop 中带 app=web 标签的 Pod`.
fn peer_scope(p: &PeerScope) -> String {
    match p {
        PeerScope::Any => "任意对端".into(),
        PeerScope::Pods {
            pod_selector,
            namespace_selector,
            policy_namespace,
        } => {
            let namespaces = match namespace_selector {
                None => format!("命名空间 `{policy_namespace}` 中"),
                Some(sel) if selector_is_empty(sel) => "所有命名空间中".into(),
                Some(sel) => format!("带 `{}` 标签的命名空间中", selector_text(sel)),
            };
            let pods = match pod_selector.as_ref().filter(|s| !selector_is_empty(s)) {
                Some(sel) => format!("带 `{}` 标签的 Pod", selector_text(sel)),
                None => "的所有 Pod".into(),
            };
            format!("{namespaces}{pods}")
        }
        PeerScope::Addresses { cidr, except } if except.is_empty() => {
            format!(" {cidr} 内的地址")
        }
        PeerScope::Addresses { cidr, except } => {
            format!(" {cidr} 内除 {} 以外的地址", all(except))
        }
        PeerScope::Invalid { reason } => format!("无（{}）", invalid(reason)),
    }
}

/// What one `ports` entry admits: `443/TCP`, `http/TCP（= 8080）`.
fn port_scope(p: &PortScope) -> String {
    match p {
        PortScope::Any => "任意端口".into(),
        PortScope::AllPorts { protocol } => format!("所有 {protocol} 端口"),
        PortScope::Numbers {
            first,
            last,
            protocol,
        } if first == last => format!("{first}/{protocol}"),
        PortScope::Numbers {
            first,
            last,
            protocol,
        } => format!("{first}-{last}/{protocol}"),
        PortScope::Named {
            name,
            protocol,
            resolved: None,
        } => format!("`{name}/{protocol}`（命名端口，而目标不是 Pod）"),
        PortScope::Named {
            name,
            protocol,
            resolved: Some(ports),
        } if ports.is_empty() => {
            format!("`{name}/{protocol}`（目标 Pod 没有名为 `{name}` 的 {protocol} 容器端口）")
        }
        PortScope::Named {
            name,
            protocol,
            resolved: Some(ports),
        } => format!("`{name}/{protocol}`（= {}）", all(&strings(ports))),
        PortScope::Invalid { reason } => format!("无（{}）", invalid(reason)),
    }
}

/// Why the API server would reject a peer or port entry.
fn invalid(i: &Invalid) -> String {
    match i {
        Invalid::IpBlockWithSelector => "对端同时设置了 `ipBlock` 和选择器".into(),
        Invalid::EmptyPeer => {
            "对端没有设置 `podSelector`、`namespaceSelector`、`ipBlock` 中的任何一个".into()
        }
        Invalid::BadCidr { cidr } => format!("`ipBlock.cidr` 的值 `{cidr}` 不是有效的 CIDR"),
        Invalid::BadExcept { except } => {
            format!("`ipBlock.except` 中的 `{except}` 不是有效的 CIDR")
        }
        Invalid::BadRequirement {
            key,
            operator,
            problem,
        } => format!(
            "键 `{key}` 上运算符为 `{operator}` 的选择器条件{}",
            match problem {
                RequirementProblem::NeedsValues => "至少需要一个值",
                RequirementProblem::MustNotHaveValues => "不能带值",
                RequirementProblem::UnknownOperator =>
                    "使用了未知运算符（只能是 `In`、`NotIn`、`Exists`、`DoesNotExist`）",
            }
        ),
        Invalid::UnknownProtocol { protocol } => {
            format!("未知协议 `{protocol}`（应为 TCP、UDP 或 SCTP）")
        }
        Invalid::EndPortWithoutPort => "设置了 `endPort` 却没有 `port`".into(),
        Invalid::PortOutOfRange { port } => format!("端口 {port} 不在 1-65535 范围内"),
        Invalid::EndPortBelowPort { port, end_port } => {
            format!("`endPort` {end_port} 小于 `port` {port}")
        }
        Invalid::EndPortWithNamedPort => "命名端口不能与 `endPort` 同用".into(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use k8s_openapi::api::core::v1::Pod;
    use k8s_openapi::api::networking::v1::NetworkPolicy;
    use kreach_netpol::{Peer, Protocol, evaluate};
    use serde_json::json;

    use super::rejection;

    static NONE: BTreeMap<String, String> = BTreeMap::new();

    #[test]
    fn rejections_in_chinese() {
        let web: Pod = serde_json::from_value(
            json!({"metadata": {"name": "web", "namespace": "shop"}, "spec": {"containers": []}}),
        )
        .unwrap();
        let stranger: Pod = serde_json::from_value(json!({"metadata": {"name": "x", "namespace": "shop", "labels": {"app": "x"}}, "spec": {"containers": []}})).unwrap();
        let policies: Vec<NetworkPolicy> = vec![
            serde_json::from_value(json!({"metadata": {"name": "deny", "namespace": "shop"}, "spec": {"podSelector": {}}})).unwrap(),
            serde_json::from_value(json!({"metadata": {"name": "fe", "namespace": "shop"}, "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}]}]}})).unwrap(),
        ];
        let d = evaluate(
            &policies,
            &Peer::pod(&stranger, &NONE),
            &Peer::pod(&web, &NONE),
            8080,
            Protocol::Tcp,
        );
        let text: Vec<String> = d.ingress.rejections.iter().map(rejection).collect();
        assert_eq!(
            text,
            [
                "NetworkPolicy/shop/deny：该策略没有任何入站规则（拒绝全部入站流量）",
                "NetworkPolicy/shop/fe：规则 1 只放行命名空间 `shop` 中带 `app=frontend` 标签的 Pod；源 Pod shop/x（标签 `app=x`）不匹配",
            ]
        );
    }
}
