//! The ingress checks' words (zh).
use kreach_core::checks;
use kreach_core::ingress::{HostMiss, MissReason, PathMiss};
use kreach_core::message::ingress::{BackendPort, Evidence, IngressClassInfo, ServicePortMap};

use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    use Evidence as E;
    match e {
        E::ServicePorts { ports } => format!(
            "Service 的端口：{}",
            if ports.is_empty() {
                "无".into()
            } else {
                ports.iter().map(service_port).collect::<Vec<_>>().join("、")
            }
        ),
        E::TargetPortNotServicePort {
            target_port,
            service_port,
        } => format!(
            "{target_port} 是该 Service 的 `targetPort`；Ingress 必须指向 Service 端口 {service_port}"
        ),
        E::UsedByRule { rule, host, path } => format!(
            "使用它的是规则 {rule}：域名 {}，路径 {}",
            host.as_deref().unwrap_or("*"),
            path.as_deref().unwrap_or("/")
        ),
        E::UsedByDefaultBackend => "使用它的是默认后端（`defaultBackend`）".into(),
        E::SimilarServices {
            namespace,
            services,
        } => format!(
            "命名空间 {namespace} 中名称相近的 Service：{}",
            codes(services)
        ),
        E::ServiceInOtherNamespaces {
            service,
            namespaces,
            namespace,
        } => format!(
            "命名空间 {} 中有 Service `{service}`，但 Ingress 的后端必须位于 Ingress 自己的命名空间（{namespace}）",
            codes(namespaces)
        ),
        E::NoIngressClasses => "集群中没有任何 IngressClass".into(),
        E::IngressClasses { classes } => format!(
            "现有 IngressClass：{}",
            classes
                .iter()
                .map(ingress_class)
                .collect::<Vec<_>>()
                .join("、")
        ),
        E::ClassController { class, controller } => format!(
            "IngressClass {} → 控制器 `{controller}`",
            code(class.as_deref().unwrap_or("?"))
        ),
        E::ControllerPod { pod, state } => {
            let waiting: Vec<&str> = state
                .containers
                .iter()
                .filter_map(|c| c.waiting.as_deref())
                .collect();
            format!(
                "Pod {pod}：`{}`，{}{}",
                state.phase,
                if state.ready { "已就绪" } else { "未就绪" },
                if waiting.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", waiting.join("、"))
                }
            )
        }
        E::ClassWithoutIngressClass { class } => {
            format!("类 `{class}` 没有对应的 IngressClass，因此没有控制器认领它")
        }
        E::NoClassNoDefault => "该 Ingress 未指定类，集群中也没有默认的 IngressClass".into(),
        E::ServedBy {
            class,
            workload,
            product,
            controller,
            external,
            ready_pods,
            pods,
        } => format!(
            "类 {} 由 {}（`{controller}`）提供服务{}",
            code(class.as_deref().unwrap_or("?")),
            workload
                .as_ref()
                .map(|w| w.to_string())
                .unwrap_or_else(|| format!("{} 控制器", product_name(product.as_deref()))),
            if *external {
                "，该控制器运行在集群之外".to_string()
            } else {
                format!("，{pods} 个 Pod 中 {ready_pods} 个已就绪")
            }
        ),
        E::WatchExcludes {
            flag,
            namespace,
            labels,
        } => format!(
            "控制器以 {flag} 运行，不包含命名空间 {namespace}（该命名空间的标签：{}）",
            labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("、")
        ),
        E::SameClassWithAddress { ingresses } => {
            format!("同一类中已有地址的 Ingress：{}", list(ingresses, 4))
        }
        E::MayServeWithoutAddress => "已有就绪的控制器认领该类：它可能已在转发该 Ingress 的流量，只是不发布地址（检查其 --publish-service / --report-status 参数）".into(),
        E::ClosestRule { reason } => format!("最接近的规则：{}", miss_reason(reason)),
        E::DefaultBackendAnswers => {
            "不匹配任何规则的请求会转到控制器的默认后端（通常返回 404）".into()
        }
        E::HostTheRuleServes => "该规则所服务的域名".into(),
        E::CertificateValidity {
            not_before,
            not_after,
        } => format!("证书有效期：{not_before} 至 {not_after}"),
        E::CertificateSubject { subject, issuer } => {
            format!("证书主体 `{subject}`，签发者 `{issuer}`")
        }
        E::UsedByIngressTls {
            namespace,
            ingress,
            tls_index,
        } => format!("被 Ingress {namespace}/{ingress} 的 `tls[{tls_index}]` 使用"),
        E::CertificateNames { sans, common_name } => format!(
            "证书包含的名称：{}",
            if sans.is_empty() {
                format!("通用名称 {}", common_name.as_deref().unwrap_or("-"))
            } else {
                sans.join("、")
            }
        ),
        E::WildcardOneLabel { wildcard, host } => {
            format!("{wildcard} 只覆盖一级子域名：不覆盖 {host}")
        }
        E::TlsHosts { hosts } => format!(
            "`tls` 中的域名：{}",
            if hosts.is_empty() {
                "无".into()
            } else {
                hosts.join("、")
            }
        ),
        E::DefaultCertificate {
            secret,
            host,
            covers,
        } => format!(
            "控制器的 --default-ssl-certificate={secret} {}{host}",
            if *covers { "覆盖 " } else { "不覆盖 " }
        ),
        E::NoDefaultCertificate => {
            "控制器未设置 --default-ssl-certificate：它使用自签名证书".into()
        }
        E::AddTlsBlock { host } => format!(
            "添加一个 `tls` 配置块：`hosts: [{host}]`，`secretName` 指向一个 `kubernetes.io/tls` 类型的 Secret"
        ),
        E::TlsBlockSecret {
            index,
            hosts,
            secret,
        } => format!(
            "`tls[{index}]` 的域名 {} → `secretName` {secret}",
            if hosts.is_empty() {
                "*".to_string()
            } else {
                hosts.join("、")
            }
        ),
        E::DefaultCertificateServed => {
            "缺少该 Secret 时，控制器会使用其默认的自签名证书".into()
        }
        E::SecretInOtherNamespaces {
            secret,
            namespaces,
            namespace,
        } => format!(
            "命名空间 {} 中有 Secret `{secret}`，但 Ingress 只能读取自己命名空间（{namespace}）中的 Secret",
            codes(namespaces)
        ),
    }
}

/// `` 80 "http" → `8080` ``.
fn service_port(p: &ServicePortMap) -> String {
    format!(
        "{}{} → `{}`",
        p.port,
        p.name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default(),
        p.target_port
    )
}

/// `` `nginx`（`k8s.io/ingress-nginx`，默认）``.
fn ingress_class(c: &IngressClassInfo) -> String {
    format!(
        "`{}`（`{}`{}）",
        c.name,
        c.controller.as_deref().unwrap_or("?"),
        if c.default { "，默认" } else { "" }
    )
}

/// A controller product, or a generic name for one kreach does not know.
fn product_name(p: Option<&str>) -> String {
    p.map(code).unwrap_or_else(|| "Ingress".into())
}

/// A value from the cluster, in backticks.
fn code(s: &str) -> String {
    format!("`{s}`")
}

/// Values from the cluster, in backticks: `` `a`、`b` ``.
fn codes(items: &[String]) -> String {
    items.iter().map(|s| code(s)).collect::<Vec<_>>().join("、")
}

/// Why the closest rule misses: its host, its path, or both.
pub fn miss_reason(r: &MissReason) -> String {
    match (&r.host, &r.path) {
        (Some(h), Some(p)) => format!("{}；并且{}", host_miss(h), path_miss(p)),
        (Some(h), None) => host_miss(h),
        (None, Some(p)) => path_miss(p),
        (None, None) => "该规则不匹配".into(),
    }
}

fn host_miss(h: &HostMiss) -> String {
    match h {
        HostMiss::WildcardNeedsOneLabel {
            host,
            rule_host,
            suffix,
        } => format!(
            "域名 {host} 不在 {rule_host} 的范围内：通配符要求前面恰好多一级（例如 www.{suffix}）"
        ),
        HostMiss::WildcardOneLabelOnly { host, rule_host } => {
            format!("域名 {host} 不在 {rule_host} 的范围内：通配符只覆盖一级子域名，不能覆盖多级")
        }
        HostMiss::Typo {
            host,
            rule_host,
            distance,
        } => format!("域名 {host} 与规则的域名 {rule_host} 相差 {distance} 个字符（拼写错误？）"),
        HostMiss::Other { host, rule_host } => {
            format!("域名 {host} 不是规则的域名 {rule_host}")
        }
    }
}

/// `` `Prefix` `` (and a space before the next word), or
/// `` `ImplementationSpecific`（按 `Prefix` 处理）``.
fn prefix_type(path_type: &str) -> String {
    if path_type == "Prefix" {
        "`Prefix` ".to_string()
    } else {
        format!("`{path_type}`（按 `Prefix` 处理）")
    }
}

fn path_miss(p: &PathMiss) -> String {
    match p {
        PathMiss::ExactTrailingSlash { path, rule_path } => format!(
            "路径 {path} 不等于 `Exact` 路径 {rule_path}：`Exact` 路径必须逐字节一致，末尾的斜杠也算在内"
        ),
        PathMiss::ExactCase { path, rule_path } => {
            format!("路径 {path} 与 `Exact` 路径 {rule_path} 大小写不同：路径区分大小写")
        }
        PathMiss::ExactOther { path, rule_path } => {
            format!("路径 {path} 不等于 `Exact` 路径 {rule_path}")
        }
        PathMiss::PrefixStringOnly {
            path,
            rule_path,
            path_type,
        } => {
            let rp = rule_path.trim_end_matches('/');
            format!(
                "路径 {path} 只是在字符串上以 {rule_path} 开头：{}路径按完整的路径段匹配，{rule_path} 匹配 {rp} 和 {rp}/…，但不匹配 {path}",
                prefix_type(path_type)
            )
        }
        PathMiss::PrefixCase {
            path,
            rule_path,
            path_type,
        } => format!(
            "路径 {path} 与 {}路径 {rule_path} 大小写不同：路径区分大小写",
            prefix_type(path_type)
        ),
        PathMiss::PrefixOther {
            path,
            rule_path,
            path_type,
        } => format!(
            "路径 {path} 不在 {}路径 {rule_path} 之下",
            prefix_type(path_type)
        ),
        PathMiss::NoHttpPaths => "该规则没有配置 `http.paths`".into(),
    }
}

pub fn ingress_backend_port_not_found(
    p: &checks::entry::ingress_backend_port_not_found::Problem,
) -> String {
    use checks::entry::ingress_backend_port_not_found::Problem as P;
    match p {
        P::PortNotFound { service, port } => {
            let (shown, what) = match port {
                BackendPort::Number(n) => (n.to_string(), format!("端口号 {n}")),
                BackendPort::Name(s) => (s.clone(), format!("端口名 \"{s}\"")),
            };
            format!(
                "后端 {}:{shown} 使用了{what}，但 Service {service} 没有这个端口",
                service.name
            )
        }
    }
}

pub fn ingress_backend_service_not_found(
    p: &checks::entry::ingress_backend_service_not_found::Problem,
) -> String {
    use checks::entry::ingress_backend_service_not_found::Problem as P;
    match p {
        P::ServiceNotFound { service, namespace } => {
            format!("后端 Service \"{service}\" 在命名空间 {namespace} 中不存在")
        }
    }
}

pub fn ingress_class_not_found(p: &checks::entry::ingress_class_not_found::Problem) -> String {
    use checks::entry::ingress_class_not_found::Problem as P;
    match p {
        P::ClassNameNotFound { class } => {
            format!("`ingressClassName` 指定的类 `{class}` 没有对应的 IngressClass")
        }
        P::AnnotationClassNotFound { class } => {
            format!("注解 `kubernetes.io/ingress.class={class}` 指定的类没有对应的 IngressClass")
        }
        P::SeveralDefaults { defaults } => {
            format!("未设置 `ingressClassName`，而有 {defaults} 个 IngressClass 同时被标记为默认")
        }
        P::NoDefault => "未设置 `ingressClassName`，也没有被标记为默认的 IngressClass".into(),
    }
}

pub fn ingress_controller_not_ready(
    p: &checks::entry::ingress_controller_not_ready::Problem,
) -> String {
    use checks::entry::ingress_controller_not_ready::Problem as P;
    match p {
        P::NoControllerFound {
            product,
            controller,
            class,
        } => format!(
            "没有找到为 IngressClass {} 服务的 {} 控制器（`{controller}`）的任何 Pod",
            code(class.as_deref().unwrap_or("?")),
            product_name(product.as_deref())
        ),
        P::NoPods {
            product,
            desired_replicas,
        } => format!(
            "{} 控制器没有任何 Pod{}",
            product_name(product.as_deref()),
            desired_replicas
                .map(|d| format!("（期望副本数为 {d}）"))
                .unwrap_or_default()
        ),
        P::NoneReady { product, pods } => format!(
            "{} 控制器的 {pods} 个 Pod 全部未就绪",
            product_name(product.as_deref())
        ),
    }
}

pub fn ingress_no_address(p: &checks::entry::ingress_no_address::Problem) -> String {
    use checks::entry::ingress_no_address::Problem as P;
    match p {
        P::NoAddress => "Ingress 没有地址：没有任何控制器为它发布地址".into(),
        P::NamespaceNotWatched { namespace, flag } => {
            format!("Ingress 没有地址：它的控制器不监听命名空间 {namespace}（{flag}）")
        }
    }
}

pub fn ingress_no_matching_rule(p: &checks::entry::ingress_no_matching_rule::Problem) -> String {
    use checks::entry::ingress_no_matching_rule::Problem as P;
    match p {
        P::NoRule {
            host,
            path,
            ingress,
            rule: _,
            rule_host,
            rule_path,
            path_type,
        } => {
            let closest = match (rule_path, path_type) {
                (Some(rp), Some(pt)) => {
                    format!("{}{rp}（`{pt}`）", rule_host.as_deref().unwrap_or("*"))
                }
                _ => format!("{}（未配置路径）", rule_host.as_deref().unwrap_or("*")),
            };
            format!("{host}{path} 不匹配任何 Ingress 规则；最接近的是 {ingress} 中的 {closest}")
        }
    }
}

pub fn ingress_tls_certificate_expired(
    p: &checks::entry::ingress_tls_certificate_expired::Problem,
) -> String {
    use checks::entry::ingress_tls_certificate_expired::Problem as P;
    match p {
        P::Expired { not_after, ago } => {
            format!("证书已于 {not_after} 过期（{}前）", age(*ago))
        }
        P::NotYetValid {
            not_before,
            starts_in,
        } => format!("证书要到 {not_before} 才生效（还有 {}）", age(*starts_in)),
    }
}

pub fn ingress_tls_host_mismatch(p: &checks::entry::ingress_tls_host_mismatch::Problem) -> String {
    use checks::entry::ingress_tls_host_mismatch::Problem as P;
    match p {
        P::NotCovered { secret, hosts } => {
            format!("Secret {secret} 中的证书不覆盖 {}", hosts.join("、"))
        }
        P::NoTlsBlock { host } => {
            format!("该 Ingress 没有覆盖 {host} 的 `tls` 配置：HTTPS 请求会拿到控制器的默认证书")
        }
    }
}

pub fn ingress_tls_secret_not_found(
    p: &checks::entry::ingress_tls_secret_not_found::Problem,
) -> String {
    use checks::entry::ingress_tls_secret_not_found::Problem as P;
    match p {
        P::SecretNotFound { secret, namespace } => {
            format!("证书 Secret {secret} 在命名空间 {namespace} 中不存在")
        }
        P::NotTlsType { secret, namespace } => {
            format!("命名空间 {namespace} 中的 Secret {secret} 不是 `kubernetes.io/tls` 类型")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miss_reasons_combine_host_and_path() {
        let r = MissReason {
            host: Some(HostMiss::Other {
                host: "a.example".into(),
                rule_host: "b.example".into(),
            }),
            path: Some(PathMiss::PrefixOther {
                path: "/x".into(),
                rule_path: "/api".into(),
                path_type: "ImplementationSpecific".into(),
            }),
        };
        assert_eq!(
            miss_reason(&r),
            "域名 a.example 不是规则的域名 b.example；并且路径 /x 不在 `ImplementationSpecific`（按 `Prefix` 处理）路径 /api 之下"
        );
    }

    #[test]
    fn unknown_controllers_are_named_generically() {
        use checks::entry::ingress_controller_not_ready::Problem as P;
        assert_eq!(
            ingress_controller_not_ready(&P::NoneReady {
                product: None,
                pods: 2
            }),
            "Ingress 控制器的 2 个 Pod 全部未就绪"
        );
        assert_eq!(
            ingress_controller_not_ready(&P::NoneReady {
                product: Some("Traefik".into()),
                pods: 1
            }),
            "`Traefik` 控制器的 1 个 Pod 全部未就绪"
        );
    }
}
