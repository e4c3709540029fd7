//! Every word of the reports in Chinese (written in the seed guide's own terms): one function per check's
//! [`Problem`], one per evidence group, and the helpers they share. The
//! matches are exhaustive: a new problem or evidence variant without a
//! wording here is a compile error.

use kreach_core::diagnose::UnknownReason;
use kreach_core::message::common::{DeclaredPort, PodState, Seconds};
use kreach_core::message::{Evidence, Fix, Problem};
use kreach_core::path::HopDetail;

use super::Frame;

mod common;
pub mod docs;
mod entry;
mod ingress;
mod network;
mod pod;
mod policy;
mod service;

/// What a finding says is wrong.
pub fn problem(p: &Problem) -> String {
    use Problem as P;
    match p {
        P::CidrOverlap(p) => network::cidr_overlap(p),
        P::CloudHealthCheckMismatch(p) => network::cloud_health_check_mismatch(p),
        P::IngressAlbTargetTypeMismatch(p) => network::ingress_alb_target_type_mismatch(p),
        P::CniNotReady(p) => network::cni_not_ready(p),
        P::IngressBackendPortNotFound(p) => ingress::ingress_backend_port_not_found(p),
        P::IngressBackendServiceNotFound(p) => ingress::ingress_backend_service_not_found(p),
        P::IngressClassNotFound(p) => ingress::ingress_class_not_found(p),
        P::IngressControllerNotReady(p) => ingress::ingress_controller_not_ready(p),
        P::IngressNoAddress(p) => ingress::ingress_no_address(p),
        P::IngressNoMatchingRule(p) => ingress::ingress_no_matching_rule(p),
        P::IngressTlsCertificateExpired(p) => ingress::ingress_tls_certificate_expired(p),
        P::IngressTlsHostMismatch(p) => ingress::ingress_tls_host_mismatch(p),
        P::IngressTlsSecretNotFound(p) => ingress::ingress_tls_secret_not_found(p),
        P::KubeProxyNotReady(p) => network::kube_proxy_not_ready(p),
        P::LoadbalancerAddressFamilyMismatch(p) => entry::loadbalancer_address_family_mismatch(p),
        P::LoadbalancerHealthCheckLocal(p) => entry::loadbalancer_health_check_local(p),
        P::LoadbalancerNoEligibleNodes(p) => entry::loadbalancer_no_eligible_nodes(p),
        P::LoadbalancerPending(p) => entry::loadbalancer_pending(p),
        P::LoadbalancerSourceRanges(p) => entry::loadbalancer_source_ranges(p),
        P::LoadbalancerSyncFailed(p) => entry::loadbalancer_sync_failed(p),
        P::NetworkpolicyDenies(p) => network::networkpolicy_denies(p),
        P::NodeNoExternalAddress(p) => entry::node_no_external_address(p),
        P::NodeNotReady(p) => network::node_not_ready(p),
        P::NodeportNotExposed(p) => entry::nodeport_not_exposed(p),
        P::PodCrashLooping(p) => pod::pod_crash_looping(p),
        P::PodLivenessFailing(p) => pod::pod_liveness_failing(p),
        P::PodNotReady(p) => pod::pod_not_ready(p),
        P::PodOnUnreadyNode(p) => pod::pod_on_unready_node(p),
        P::PodPending(p) => pod::pod_pending(p),
        P::PodProbePortMismatch(p) => pod::pod_probe_port_mismatch(p),
        P::PodTerminating(p) => pod::pod_terminating(p),
        P::RecentChange(p) => pod::recent_change(p),
        P::ServiceExternalName(p) => service::service_external_name(p),
        P::ServiceNoEndpoints(p) => service::service_no_endpoints(p),
        P::ServiceNoReadyEndpoints(p) => service::service_no_ready_endpoints(p),
        P::ServiceNotExposed(p) => entry::service_not_exposed(p),
        P::ServicePortNotFound(p) => service::service_port_not_found(p),
        P::ServiceProtocolMismatch(p) => service::service_protocol_mismatch(p),
        P::ServiceSelectorMatchesNoPod(p) => service::service_selector_matches_no_pod(p),
        P::ServiceSelectorMatchesOtherNamespace(p) => {
            service::service_selector_matches_other_namespace(p)
        }
        P::ServiceTargetPortMismatch(p) => service::service_target_port_mismatch(p),
        P::TargetNotFound(p) => entry::target_not_found(p),
    }
}

/// One line of evidence.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::Common(e) => common::evidence(e),
        Evidence::Ingress(e) => ingress::evidence(e),
        Evidence::Entry(e) => entry::evidence(e),
        Evidence::Service(e) => service::evidence(e),
        Evidence::Network(e) => network::evidence(e),
        Evidence::Pod(e) => pod::evidence(e),
    }
}

/// One fix line: commands are printed as they are.
pub fn fix(f: &Fix) -> String {
    match f {
        Fix::Command(c) => c.clone(),
        Fix::CommandWithNote { command, note } => format!("{command}  # {}", evidence(note)),
        Fix::Advice(e) => evidence(e),
    }
}

/// `a、b、c 等 5 个`.
pub fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join("、")
    } else {
        format!("{} 等 {} 个", items[..max].join("、"), items.len())
    }
}

/// A duration: `5分钟`, `3小时12分钟`, `4天`.
pub fn age(d: Seconds) -> String {
    let secs = d.0;
    if secs < 0 {
        return "尚未到来".into();
    }
    let (d, h, m) = (secs / 86400, (secs % 86400) / 3600, (secs % 3600) / 60);
    if d > 0 {
        if d < 3 && h > 0 {
            format!("{d}天{h}小时")
        } else {
            format!("{d}天")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}小时{m}分钟")
        } else {
            format!("{h}小时")
        }
    } else if m > 0 {
        format!("{m}分钟")
    } else {
        format!("{secs}秒")
    }
}

/// `8080/TCP "http"（容器 app）`.
pub fn declared_port(p: &DeclaredPort) -> String {
    let name = p
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    format!("{}/{}{}（容器 {}）", p.port, p.protocol, name, p.container)
}

/// Every declared port, or `未声明任何端口`.
pub fn declared_ports(ports: &[DeclaredPort]) -> String {
    if ports.is_empty() {
        "未声明任何端口".into()
    } else {
        ports
            .iter()
            .map(declared_port)
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// `` `Running`，未就绪，容器 `app` 处于 `CrashLoopBackOff`，重启 3 次 ``.
pub fn pod_state(st: &PodState) -> String {
    let mut parts = vec![
        format!("`{}`", st.phase),
        if st.ready {
            "已就绪".into()
        } else {
            "未就绪".into()
        },
    ];
    for c in &st.containers {
        if let Some(w) = &c.waiting {
            parts.push(format!("容器 `{}` 处于 `{w}`", c.name));
        }
        if c.restarts > 0 {
            parts.push(format!("重启 {} 次", c.restarts));
        }
    }
    parts.join("，")
}

pub const FRAME: Frame = Frame {
    broken: "不可达",
    degraded: "部分可达",
    ok: "正常",
    inconclusive: "无法确定",
    sum_broken: "所有访问路径都被阻断",
    sum_degraded: "部分访问路径、节点或端点被阻断",
    sum_ok: "访问路径上没有阻断",
    sum_inconclusive: "已读取的状态中没有阻断，但有部分状态无法读取",
    path: "路径",
    via: "经由",
    pods: "Pod",
    none_selected: "没有选中任何 Pod",
    root_cause: "根因",
    root_causes: "根因",
    other: "其他发现",
    not_checked: "未检查",
    because: "由于",
    fix: "修复：",
    all_clear: "所有路径均未发现问题",
    is_root_cause: "（根因）",
    on: "于",
    client: "客户端",
    more: |n| format!("及另外 {n} 个"),
    more_pods: |n| format!("… 另有 {n} 个"),
};

/// The role of a hop: Kubernetes names stay, the controller is worded.
pub fn hop_kind(k: kreach_core::path::HopKind) -> &'static str {
    use kreach_core::path::HopKind as K;
    match k {
        K::IngressController => "Ingress 控制器",
        K::LoadBalancer => "LoadBalancer",
        K::NodePort => "NodePort",
        K::ExternalIp => "ExternalIP",
        K::Ingress => "Ingress",
        K::Service => "Service",
        K::Pod => "Pod",
    }
}

/// `203.0.113.50:443`，`<节点>:30080（节点 node-a）`，`shop.example.com/ Prefix`，
/// `端口 80 → http`.
pub fn hop_detail(d: &HopDetail) -> String {
    match d {
        HopDetail::None => String::new(),
        HopDetail::Entry {
            address,
            port,
            node_port,
            nodes,
        } => {
            let addr = match (address, port) {
                (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
                (Some(a), Some(p)) => format!("{a}:{p}"),
                (Some(a), None) => a.clone(),
                (None, Some(p)) if *node_port => format!("<节点>:{p}"),
                (None, Some(p)) => format!("<无地址>:{p}"),
                (None, None) => String::new(),
            };
            let on = if nodes.is_empty() {
                String::new()
            } else {
                format!("（节点 {}）", nodes.join("、"))
            };
            format!("{addr}{on}").trim().to_string()
        }
        HopDetail::Rule {
            host,
            path,
            path_type,
        } => format!(
            "{}{} {}",
            host.as_deref().unwrap_or("*"),
            path.as_deref().unwrap_or("/"),
            path_type.as_deref().unwrap_or("")
        )
        .trim()
        .to_string(),
        HopDetail::DefaultBackend => "默认后端".into(),
        HopDetail::ServicePort { port, target } => format!("端口 {port} → {target}"),
        HopDetail::ServiceNotFound => "不存在".into(),
        HopDetail::AllPorts => "所有端口".into(),
    }
}

/// Why a hop is undecided.
pub fn unknown_reason(r: &UnknownReason) -> String {
    match r {
        UnknownReason::ProbesOff => {
            "未发送探测（指定了 --no-probe，或快照中的地址不属于本机网络）：没有从本机实际测试入口"
                .into()
        }
        UnknownReason::ProbesNotBuilt => "当前版本尚不发送探测：没有从本机实际测试入口".into(),
        UnknownReason::NotRead { resource, why } => {
            format!("无法读取 {resource}：{}", not_read(why))
        }
    }
}

/// 数据源为什么缺少某类资源。
pub fn not_read(r: &kreach_core::snapshot::NotRead) -> String {
    use kreach_core::snapshot::NotRead;
    match r {
        NotRead::Forbidden { can_i, message } if message.is_empty() => {
            format!("没有权限（RBAC 拒绝）：{can_i}")
        }
        NotRead::Forbidden { can_i, message } => {
            format!("没有权限（RBAC 拒绝）：{can_i}（{message}）")
        }
        NotRead::NotServed => "API Server 不提供这类资源".into(),
        NotRead::Failed { message } => format!("请求失败：{message}"),
        NotRead::ContinueExpired { relists } => format!(
            "分页 LIST 的 continue 令牌被 API Server 判为过期（410 Gone），共 {} 次：对象变化太快，无法逐页读完；请重试，或在集群较空闲时采集快照",
            relists + 1
        ),
        NotRead::NotInClusterInfoDump { kind } => {
            format!("kubectl cluster-info dump 导出的内容不包含 {}", kind.name())
        }
        NotRead::BundleErrors {
            file,
            first,
            more: 0,
        } => {
            format!("诊断包（support bundle）采集 {file} 时记录了错误：{first}")
        }
        NotRead::BundleErrors { file, first, more } => {
            format!("诊断包（support bundle）采集 {file} 时记录了错误：{first}（另有 {more} 条）")
        }
        NotRead::NotInBundle { file } => format!("诊断包中没有 {file}"),
        NotRead::BundleHoldsNoSecrets => "诊断包不包含 Secret".into(),
        NotRead::Recorded { reason } if reason.is_empty() => "快照未能采集".into(),
        NotRead::Recorded { reason } => format!("快照记录的原因：{reason}"),
        NotRead::Undecodable {
            file,
            object,
            field,
            error,
        } => {
            let field = if field.is_empty() {
                String::new()
            } else {
                format!("{field}：")
            };
            format!("{file} 中的 {object} 无法读取（{field}{error}）：这类资源只知道一部分")
        }
        NotRead::NotInDump { holder, evidence } => format!(
            "{}；可用 `kreach snapshot -A -o snapshot.tar.gz` 采集完整快照",
            not_in_dump(*holder, evidence)
        ),
    }
}

/// 普通文件或目录明显缺少某类资源的原因。
fn not_in_dump(
    holder: kreach_core::snapshot::Holder,
    evidence: &kreach_core::snapshot::DumpEvidence,
) -> String {
    use kreach_core::snapshot::{DumpEvidence as E, Holder};
    let h = match holder {
        Holder::File => "该文件",
        Holder::Directory => "该目录",
    };
    let more = |n: usize, what: &str| {
        if n == 0 {
            String::new()
        } else {
            format!("（另有 {n} 个{what}）")
        }
    };
    match evidence {
        E::PodsOnAbsentNodes { nodes, more: n } => format!(
            "{h}中没有节点 {}{} 的 Node 对象，但其中的 Pod 运行在这些节点上",
            nodes.join("、"),
            more(*n, "节点")
        ),
        E::NoNodes => format!("{h}中是从集群读取的对象（带 uid），但没有任何 Node"),
        E::GetAll => format!(
            "{h}只包含 `kubectl get all` 输出的类型（Pod、Service、工作负载），其中没有 Node、NetworkPolicy、Ingress、IngressClass、Endpoints、EndpointSlice、Namespace、Secret 和 Event"
        ),
        E::ReadyReplicasWithoutPods {
            workload,
            ready,
            more: n,
        } => format!(
            "{h}中没有任何 Pod，但 {workload} 报告有 {ready} 个就绪副本{}：Pod 没有被采集",
            more(*n, "工作负载")
        ),
        E::OnlySomeKinds { kinds } => {
            let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
            let held = if names.is_empty() {
                "kreach 不读取的类型".to_string()
            } else {
                names.join("、")
            };
            format!(
                "{h}只包含 {held}，是从集群读取的对象，但没有 Node 和 Namespace：其他类型没有被采集"
            )
        }
    }
}
