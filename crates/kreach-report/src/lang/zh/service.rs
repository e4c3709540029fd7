//! The service checks' words (zh).
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kreach_core::checks;
use kreach_core::labels::LabelDiff;
use kreach_core::message::service::{Evidence, ListedPort, PodReadiness};

use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    use Evidence as E;
    match e {
        E::ExternalName { external_name } => format!("externalName 指向 {external_name}"),
        E::CheckServiceBehindName => "然后检查该域名背后的服务".into(),
        E::EndpointsWrittenByHand => {
            "没有选择器的 Service 不会自动生成端点，只有手动写入的端点".into()
        }
        E::StaleInPodNetwork { pod_cidrs } => format!(
            "Pod 网段为 {}；当前没有任何 Pod 使用这些地址",
            pod_cidrs.join("、")
        ),
        E::SelectedPods { pods } => {
            let states: Vec<String> = pods.iter().map(pod_readiness).collect();
            list(&states, 5)
        }
        E::EndpointSliceCounts {
            endpoints,
            ready,
            serving,
            terminating,
        } => format!(
            "EndpointSlice：共 {endpoints} 个端点，就绪 {ready} 个，可服务 {serving} 个，终止中 {terminating} 个"
        ),
        E::EndpointsCounts { ready, not_ready } => {
            format!("Endpoints：就绪地址 {ready} 个，未就绪 {not_ready} 个")
        }
        E::ServicePorts { ports } => {
            if ports.is_empty() {
                "Service 没有任何端口".into()
            } else {
                format!(
                    "Service 的端口：{}",
                    ports.iter().map(listed_port).collect::<Vec<_>>().join("、")
                )
            }
        }
        E::UsePortOrAddIt {
            use_port,
            address,
            requested_port,
            command,
        } => format!(
            "改用端口 {use_port}（例如 {address}:{use_port}），或添加端口 {requested_port}：{command}"
        ),
        E::PodDeclaresPort { pod, port } => format!("{pod}：{}", declared_port(port)),
        E::PodDeclaresPorts { pod, ports } => {
            if ports.is_empty() {
                format!("{pod} 未声明任何端口")
            } else {
                format!("{pod} 声明的端口：{}", declared_ports(ports))
            }
        }
        E::DeclaredOnlyUnder {
            pods,
            selected,
            protocol,
        } => format!(
            "选中的{}",
            some_of(*pods, *selected, &format!("只以 {protocol} 协议声明该端口"))
        ),
        E::NamedTargetPortNeedsProtocol => {
            "具名 targetPort 按名称和协议一起解析：协议不符时端点拿不到端口".into()
        }
        E::NumericTargetPortAsIs => "数字 targetPort 按原值使用；应用可能同时监听两种协议".into(),
        E::DefaultProtocol { protocol } => {
            format!("Service 端口未设置 `protocol`，因此默认为 {protocol}")
        }
        E::NamedTargetPortPerPod => {
            "具名 targetPort 在每个 Pod 上分别解析；没有该端口名的 Pod 不会进入端点".into()
        }
        E::InferredFromDeclaredPorts => {
            "根据容器声明的端口推断（端口声明仅供参考）：请用 --cluster-probe 确认".into()
        }
        E::PodsWithoutTargetPort { pods } => format!("缺少该端口的 Pod：{}", list(pods, 4)),
        E::PodsDiffer { pods, diff } => format!(
            "{} 个 Pod（{}）的标签不一致：{}",
            pods.len(),
            list(pods, 3),
            label_diff(diff)
        ),
        E::NamespaceHasNoPods { namespace } => format!("命名空间 {namespace} 中没有任何 Pod"),
        E::NoPodCarriesSelectorLabels { namespace, pods } => {
            format!("命名空间 {namespace} 中的 {pods} 个 Pod 都不带这些标签中的任何一个")
        }
        E::DeploymentMatches {
            namespace,
            name,
            replicas,
        } => format!(
            "Deployment {namespace}/{name} 的 Pod 模板标签与之匹配，期望副本数为 {replicas}"
        ),
        E::SelectsOwnNamespaceOnly => "Service 只会选择自身命名空间中的 Pod".into(),
        E::MatchingPodsIn { namespace, pods } => format!("{namespace}：{}", list(pods, 4)),
    }
}

/// ``web-1（`Running`，`Ready=False`）``、`web-2（正在终止）`.
fn pod_readiness(p: &PodReadiness) -> String {
    let state = if p.terminating {
        "正在终止".to_string()
    } else {
        let ready = p
            .ready
            .as_deref()
            .map(|r| format!("`Ready={r}`"))
            .unwrap_or_else(|| "没有 `Ready` 状态".into());
        format!("`{}`，{ready}", p.phase)
    };
    format!("{}（{state}）", p.name)
}

/// `80/TCP "web"（nodePort 31080）`.
fn listed_port(p: &ListedPort) -> String {
    let name = p
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let np = p
        .node_port
        .map(|n| format!("（nodePort {n}）"))
        .unwrap_or_default();
    format!("{}/{}{name}{np}", p.port, p.protocol)
}

/// `tier=frontend（Pod 上为 tier=front-end）、env=prod（Pod 没有 env 标签）`.
fn label_diff(d: &LabelDiff) -> String {
    let mut parts: Vec<String> = d
        .differing
        .iter()
        .map(|l| format!("{k}={}（Pod 上为 {k}={}）", l.wanted, l.actual, k = l.key))
        .collect();
    parts.extend(
        d.missing
            .iter()
            .map(|l| format!("{k}={}（Pod 没有 {k} 标签）", l.wanted, k = l.key)),
    );
    parts.join("、")
}

/// A `targetPort`: a number as it is, a port name quoted (`"http"`), as
/// the declared ports show names.
fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => format!("\"{s}\""),
    }
}

/// ` 1 个 Pod …` (the only one), ` 3 个 Pod 都…` (every one) or
/// ` 5 个 Pod 中有 2 个…` (some of them), `what` for `…`.
fn some_of(n: usize, of: usize, what: &str) -> String {
    if n == of && of == 1 {
        format!(" 1 个 Pod {what}")
    } else if n == of {
        format!(" {of} 个 Pod 都{what}")
    } else {
        format!(" {of} 个 Pod 中有 {n} 个{what}")
    }
}

/// `app=web,tier=frontend`.
fn selector(sel: &std::collections::BTreeMap<String, String>) -> String {
    sel.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn service_external_name(p: &checks::service::service_external_name::Problem) -> String {
    use checks::service::service_external_name::Problem as P;
    match p {
        P::ExternalName { external_name } => format!(
            "Service 是指向 {external_name} 的 ExternalName 别名：集群内没有任何 Pod 为它提供服务"
        ),
    }
}

pub fn service_no_endpoints(p: &checks::service::service_no_endpoints::Problem) -> String {
    use checks::service::service_no_endpoints::Problem as P;
    match p {
        P::NoEndpointObjects => "Service 没有选择器，也没有 Endpoints 和 EndpointSlice".into(),
        P::NoAddresses => "Service 没有选择器，其 Endpoints / EndpointSlice 中没有任何地址".into(),
        P::StaleAddresses { addresses } => format!(
            "这个没有选择器的 Service 的所有端点都是已经没有 Pod 使用的 Pod IP：{}",
            addresses.join("、")
        ),
        P::NotReadyAddresses { addresses } => format!(
            "这个没有选择器的 Service 的所有端点都被标记为未就绪：{}",
            addresses.join("、")
        ),
    }
}

pub fn service_no_ready_endpoints(
    p: &checks::service::service_no_ready_endpoints::Problem,
) -> String {
    use checks::service::service_no_ready_endpoints::Problem as P;
    match p {
        P::NoneReady { selected } => format!("选中的{}", some_of(*selected, *selected, "未就绪")),
    }
}

pub fn service_port_not_found(p: &checks::service::service_port_not_found::Problem) -> String {
    use checks::service::service_port_not_found::Problem as P;
    match p {
        P::NoSuchPort {
            address,
            service,
            port,
        } => format!("{address} 属于 {service}，但它没有端口 {port}"),
    }
}

pub fn service_protocol_mismatch(
    p: &checks::service::service_protocol_mismatch::Problem,
) -> String {
    use checks::service::service_protocol_mismatch::Problem as P;
    match p {
        P::ProtocolMismatch {
            port,
            protocol,
            target_port,
            declared_protocol,
        } => format!(
            "端口 {port}/{protocol} 指向 {}，但容器只以 {declared_protocol} 协议声明了该端口",
            int_or_string(target_port)
        ),
    }
}

pub fn service_selector_matches_no_pod(
    p: &checks::service::service_selector_matches_no_pod::Problem,
) -> String {
    use checks::service::service_selector_matches_no_pod::Problem as P;
    match p {
        P::MatchesNoPod {
            selector: sel,
            namespace,
        } => format!(
            "选择器 {} 在命名空间 {namespace} 中匹配不到任何 Pod",
            selector(sel)
        ),
    }
}

pub fn service_selector_matches_other_namespace(
    p: &checks::service::service_selector_matches_other_namespace::Problem,
) -> String {
    use checks::service::service_selector_matches_other_namespace::Problem as P;
    match p {
        P::MatchesOnlyElsewhere {
            selector: sel,
            namespace,
            matching_namespaces,
        } => format!(
            "选择器 {} 在命名空间 {namespace} 中匹配不到任何 Pod，却匹配到了命名空间 {} 中的 Pod",
            selector(sel),
            matching_namespaces.join("、")
        ),
    }
}

pub fn service_target_port_mismatch(
    p: &checks::service::service_target_port_mismatch::Problem,
) -> String {
    use checks::service::service_target_port_mismatch::Problem as P;
    match p {
        P::NamedPortMissing {
            target_port,
            port,
            protocol,
            lacking,
            selected,
        } => format!(
            "端口 {port}/{protocol} 的 targetPort \"{target_port}\"：选中的{}",
            some_of(*lacking, *selected, "没有这个端口名")
        ),
        P::NumberNotDeclared {
            target_port,
            port,
            protocol,
            lacking,
            declaring,
        } => format!(
            "端口 {port}/{protocol} 的 targetPort {target_port} 未被声明：声明了端口的{}",
            some_of(*lacking, *declaring, "只声明了其他端口")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_all_or_some() {
        assert_eq!(some_of(1, 1, "未就绪"), " 1 个 Pod 未就绪");
        assert_eq!(some_of(3, 3, "未就绪"), " 3 个 Pod 都未就绪");
        assert_eq!(some_of(1, 4, "未就绪"), " 4 个 Pod 中有 1 个未就绪");
    }
}
