//! The check catalog in Chinese: what `kreach explain` and `kreach checks`
//! print for a Chinese locale. One markdown file per check under `docs/`
//! (the same sections and facts as the English doc comment of its
//! `declare_check!`, the commands unchanged), a one-line summary per check,
//! and the names of the layers and of what a check needs.

use kreach_core::Layer;
use kreach_core::check::Needs;

/// `explain` over the files in `docs/`, one per check, and the list of the
/// names it knows (for the tests).
macro_rules! explanations {
    ($($name:literal),* $(,)?) => {
        /// The Chinese explanation of `check` (markdown with the sections
        /// `## 检查什么`, `## 为什么会导致不可达`, `## 如何修复`, `## 示例`).
        pub fn explain(check: &str) -> Option<&'static str> {
            match check {
                $($name => Some(include_str!(concat!("docs/", $name, ".md"))),)*
                _ => None,
            }
        }

        #[cfg(test)]
        const EXPLAINED: &[&str] = &[$($name),*];
    };
}

explanations! {
    "cidr-overlap",
    "cloud-health-check-mismatch",
    "cni-not-ready",
    "ingress-alb-target-type-mismatch",
    "ingress-backend-port-not-found",
    "ingress-backend-service-not-found",
    "ingress-class-not-found",
    "ingress-controller-not-ready",
    "ingress-no-address",
    "ingress-no-matching-rule",
    "ingress-tls-certificate-expired",
    "ingress-tls-host-mismatch",
    "ingress-tls-secret-not-found",
    "kube-proxy-not-ready",
    "loadbalancer-address-family-mismatch",
    "loadbalancer-health-check-local",
    "loadbalancer-no-eligible-nodes",
    "loadbalancer-pending",
    "loadbalancer-source-ranges",
    "loadbalancer-sync-failed",
    "networkpolicy-denies",
    "node-no-external-address",
    "node-not-ready",
    "nodeport-not-exposed",
    "pod-crash-looping",
    "pod-liveness-failing",
    "pod-not-ready",
    "pod-on-unready-node",
    "pod-pending",
    "pod-probe-port-mismatch",
    "pod-terminating",
    "recent-change",
    "service-external-name",
    "service-no-endpoints",
    "service-no-ready-endpoints",
    "service-not-exposed",
    "service-port-not-found",
    "service-protocol-mismatch",
    "service-selector-matches-no-pod",
    "service-selector-matches-other-namespace",
    "service-target-port-mismatch",
    "target-not-found",
}

/// The one-line Chinese summary of `check`, for `kreach checks`.
pub fn summary(check: &str) -> Option<&'static str> {
    Some(match check {
        "cidr-overlap" => "Pod、Service、节点或客户端的地址范围相互重叠",
        "cloud-health-check-mismatch" => "云负载均衡器的健康检查与 Pod 实际提供的服务不符",
        "cni-not-ready" => "路径上某个节点的 CNI 代理缺失或未就绪",
        "ingress-alb-target-type-mismatch" => {
            "AWS 负载均衡器控制器无法按目标类型注册 Ingress 的后端"
        }
        "ingress-backend-port-not-found" => "Ingress 后端的端口不是该 Service 的端口",
        "ingress-backend-service-not-found" => "Ingress 后端引用的 Service 在其命名空间中不存在",
        "ingress-class-not-found" => "Ingress 的类指向不存在的 IngressClass，或集群没有默认类",
        "ingress-controller-not-ready" => "为该 Ingress 类服务的控制器 Pod 不存在或未就绪",
        "ingress-no-address" => "Ingress 没有地址：（还）没有控制器为它服务",
        "ingress-no-matching-rule" => "请求的域名或路径不匹配任何 Ingress 规则",
        "ingress-tls-certificate-expired" => "TLS 证书已过期或尚未生效",
        "ingress-tls-host-mismatch" => "TLS 证书中的名称不覆盖请求的域名",
        "ingress-tls-secret-not-found" => "Ingress 的 TLS Secret 在其命名空间中不存在",
        "kube-proxy-not-ready" => "客户端进入集群所经过的节点上 kube-proxy 缺失或未就绪",
        "loadbalancer-address-family-mismatch" => "负载均衡器的地址属于该 Service 没有的 IP 协议族",
        "loadbalancer-health-check-local" => {
            "`externalTrafficPolicy: Local`，但负载均衡器可用的节点上都没有就绪端点"
        }
        "loadbalancer-no-eligible-nodes" => "负载均衡器没有任何可以转发流量的节点",
        "loadbalancer-pending" => "LoadBalancer 类型的 Service 没有外部地址（`<pending>`）",
        "loadbalancer-source-ranges" => "客户端地址不在负载均衡器允许的来源网段内",
        "loadbalancer-sync-failed" => "Service 最近一次负载均衡器同步失败",
        "networkpolicy-denies" => "网络策略丢弃了真正到达 Pod 的流量",
        "node-no-external-address" => "用到了 NodePort，但没有任何节点有 `ExternalIP`",
        "node-not-ready" => "入口节点 `NotReady`，或路径上的节点报告 `NetworkUnavailable`",
        "nodeport-not-exposed" => "没有 Service 使用这个 `nodePort`，或该 Service 没有 NodePort",
        "pod-crash-looping" => "容器不断崩溃重启（`CrashLoopBackOff`）",
        "pod-liveness-failing" => "容器因存活探针失败而被反复重启",
        "pod-not-ready" => "Pod 处于 `Running` 但未就绪（就绪探针失败）",
        "pod-on-unready-node" => "Pod 运行在 `NotReady` 或 `Unknown` 的节点上",
        "pod-pending" => "目标背后的 Pod 处于 `Pending`（无法调度、镜像拉取失败、沙箱创建失败）",
        "pod-probe-port-mismatch" => "探针指向容器未声明的端口",
        "pod-terminating" => "目标背后的 Pod 正在被删除",
        "recent-change" => "路径上的对象最近有变更（“突然”背后的时间线）",
        "service-external-name" => {
            "该 Service 是 ExternalName 别名，集群内没有任何东西为它提供服务"
        }
        "service-no-endpoints" => "没有选择器的 Service 没有就绪的端点，或只有过期的 Pod IP",
        "service-no-ready-endpoints" => "Service 的 Pod 都在，但没有一个就绪",
        "service-not-exposed" => "Service 没有外部入口（ClusterIP 类型，也没有 Ingress 路由到它）",
        "service-port-not-found" => "请求的端口不是该地址背后 Service 的端口",
        "service-protocol-mismatch" => "Service 端口的协议与其指向的容器端口不一致",
        "service-selector-matches-no-pod" => "Service 的选择器在其命名空间中匹配不到任何 Pod",
        "service-selector-matches-other-namespace" => {
            "Service 的选择器只匹配到其他命名空间中的 Pod"
        }
        "service-target-port-mismatch" => "Service 的 `targetPort` 不是其 Pod 声明的端口",
        "target-not-found" => "指定的对象、域名或地址在集群中找不到任何匹配",
        _ => return None,
    })
}

/// The Chinese name of a layer of the path (`entry` → `入口`). Service and
/// Pod keep their kind names, as everywhere in the Chinese reports.
pub fn layer(layer: Layer) -> &'static str {
    match layer {
        Layer::Entry => "入口",
        Layer::Cloud => "云",
        Layer::Service => "Service",
        Layer::Network => "网络",
        Layer::Pod => "Pod",
        Layer::Change => "变更",
    }
}

/// The Chinese name of what a check needs to decide: `state` (the cluster's
/// objects alone), `probe` (traffic from kreach's own vantage point),
/// `cluster-probe` (an action inside the cluster).
pub fn needs(needs: Needs) -> &'static str {
    match needs {
        Needs::State => "集群状态",
        Needs::Probe => "外部探测",
        Needs::ClusterProbe => "集群内探测",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use kreach_core::checks::CHECKS;

    use super::*;

    const HEADINGS: [&str; 4] = [
        "## 检查什么",
        "## 为什么会导致不可达",
        "## 如何修复",
        "## 示例",
    ];

    /// The ASCII words allowed outside code spans: every one a proper noun
    /// that Chinese engineers write as it is. Field names, values, object
    /// names and commands go in backticks instead. Each entry must be used
    /// somewhere (`allowlist_has_no_unused_words`), so the list cannot grow
    /// into a loophole.
    const ALLOWED: &[&str] = &[
        // Kubernetes kinds and Service types.
        "Pod",
        "Service",
        "Ingress",
        "IngressClass",
        "Endpoints",
        "EndpointSlice",
        "Secret",
        "ConfigMap",
        "Deployment",
        "ReplicaSet",
        "NodePort",
        "LoadBalancer",
        "ClusterIP",
        "ExternalName",
        // Protocols and network terms.
        "API",
        "BGP",
        "CIDR",
        "CNAME",
        "CNI",
        "DNS",
        "HTTP",
        "HTTPS",
        "IP",
        "IPv4",
        "IPv6",
        "SAN",
        "SNAT",
        "TLS",
        "UDP",
        "URL",
        "VPN",
        // Cluster components and tools.
        "kreach",
        "kube-proxy",
        "kubelet",
        "iptables",
        "IPVS",
        "nftables",
        "GitOps",
        "cert-manager",
        "Certificate",
        "CertificateRequest",
        // Clouds, distributions and products named in the docs.
        "AWS",
        "Azure",
        "GCP",
        "GKE",
        "BackendConfig",
        "k3s",
        "microk8s",
        "Cilium",
        "MetalLB",
        "kube-vip",
        "OpenELB",
        "Traefik",
        "HAProxy",
        "Contour",
        "Envoy",
        "Kong",
        "NGINX",
        "Istio",
    ];

    /// The code (fenced blocks and backtick spans) and the prose of a
    /// markdown text. Panics on an unclosed backtick span.
    fn split_code(text: &str) -> (Vec<String>, String) {
        let mut code = vec![];
        let mut rest = String::new();
        let mut fence: Option<String> = None;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                if let Some(block) = fence.take() {
                    code.push(block);
                } else {
                    fence = Some(String::new());
                }
            } else if let Some(block) = fence.as_mut() {
                block.push_str(line);
                block.push('\n');
            } else {
                rest.push_str(line);
                rest.push('\n');
            }
        }
        assert!(fence.is_none(), "unclosed code block in {text:?}");
        let parts: Vec<&str> = rest.split('`').collect();
        assert!(parts.len() % 2 == 1, "unclosed backtick span in {text:?}");
        let mut prose = String::new();
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 {
                code.push(p.to_string());
            } else {
                prose.push_str(p);
                prose.push(' ');
            }
        }
        (code, prose)
    }

    /// `kubectl …`, `kreach …` and `curl …` spans, whitespace normalised
    /// (the English doc wraps lines).
    fn commands(text: &str) -> BTreeSet<String> {
        split_code(text)
            .0
            .iter()
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|c| {
                ["kubectl ", "kreach ", "curl "]
                    .iter()
                    .any(|p| c.starts_with(p))
            })
            .collect()
    }

    /// The English doc as `kreach explain` prints it.
    fn english(docs: &str) -> String {
        docs.lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The ASCII words of the prose of `text`: runs of letters, digits,
    /// `-`, `_`, `.` that hold a letter, trimmed of punctuation.
    fn latin_words(text: &str) -> Vec<String> {
        let (_, prose) = split_code(text);
        prose
            .split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .map(|w| w.trim_matches(|c: char| "-_.".contains(c)))
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .map(str::to_string)
            .collect()
    }

    fn all_texts() -> Vec<(String, &'static str)> {
        let mut texts = vec![];
        for c in CHECKS {
            texts.push((format!("{} explanation", c.name), explain(c.name).unwrap()));
            texts.push((format!("{} summary", c.name), summary(c.name).unwrap()));
        }
        texts
    }

    #[test]
    fn every_registered_check_has_chinese_explanation_and_summary() {
        for c in CHECKS {
            assert!(
                explain(c.name).is_some(),
                "{}: no Chinese explanation",
                c.name
            );
            assert!(summary(c.name).is_some(), "{}: no Chinese summary", c.name);
        }
        let registered: BTreeSet<&str> = CHECKS.iter().map(|c| c.name).collect();
        let explained: BTreeSet<&str> = EXPLAINED.iter().copied().collect();
        assert_eq!(
            explained, registered,
            "docs/ must hold exactly the registered checks"
        );
        assert_eq!(explain("no-such-check"), None);
        assert_eq!(summary("no-such-check"), None);
    }

    #[test]
    fn explanations_have_the_four_sections_in_order() {
        for c in CHECKS {
            let text = explain(c.name).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let mut at = vec![];
            for h in HEADINGS {
                let found: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == h).collect();
                assert_eq!(found.len(), 1, "{}: heading {h:?} must appear once", c.name);
                at.push(found[0]);
            }
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "{}: headings out of order",
                c.name
            );
            assert_eq!(at[0], 0, "{}: must start with {:?}", c.name, HEADINGS[0]);
            for (i, w) in at.iter().enumerate() {
                let end = at.get(i + 1).copied().unwrap_or(lines.len());
                assert!(
                    lines[w + 1..end].iter().any(|l| !l.trim().is_empty()),
                    "{}: section {:?} is empty",
                    c.name,
                    HEADINGS[i]
                );
            }
        }
    }

    #[test]
    fn explanations_keep_the_commands_of_the_english_doc() {
        for c in CHECKS {
            let en = commands(&english(c.docs));
            let zh = commands(explain(c.name).unwrap());
            assert_eq!(
                zh, en,
                "{}: the commands differ from the English doc",
                c.name
            );
        }
    }

    #[test]
    fn explanations_keep_every_code_span_of_the_english_doc() {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in CHECKS {
            let zh: BTreeSet<String> = split_code(explain(c.name).unwrap())
                .0
                .iter()
                .map(|s| norm(s))
                .collect();
            for span in split_code(&english(c.docs)).0 {
                assert!(
                    zh.contains(&norm(&span)),
                    "{}: `{}` of the English doc is missing",
                    c.name,
                    norm(&span)
                );
            }
        }
    }

    #[test]
    fn summaries_are_one_line_without_final_stop() {
        for c in CHECKS {
            let s = summary(c.name).unwrap();
            assert!(!s.trim().is_empty(), "{}: empty summary", c.name);
            assert!(
                !s.contains('\n'),
                "{}: summary is more than one line",
                c.name
            );
            assert_eq!(s, s.trim(), "{}: summary has outer whitespace", c.name);
            assert!(
                !s.ends_with('。') && !s.ends_with('.'),
                "{}: summary ends with a full stop",
                c.name
            );
        }
    }

    #[test]
    fn no_latin_words_outside_code_but_the_allowlisted() {
        let allowed: BTreeSet<&str> = ALLOWED.iter().copied().collect();
        let mut bad = vec![];
        for (what, text) in all_texts() {
            for w in latin_words(text) {
                if !allowed.contains(w.as_str()) {
                    bad.push(format!("{what}: {w}"));
                }
            }
        }
        for l in [
            Layer::Entry,
            Layer::Cloud,
            Layer::Service,
            Layer::Network,
            Layer::Pod,
            Layer::Change,
        ] {
            for w in latin_words(layer(l)) {
                assert!(allowed.contains(w.as_str()), "layer {}: {w}", l.name());
            }
        }
        for n in [Needs::State, Needs::Probe, Needs::ClusterProbe] {
            assert!(latin_words(needs(n)).is_empty(), "needs {}", n.name());
        }
        assert!(
            bad.is_empty(),
            "English words outside code spans:\n{}",
            bad.join("\n")
        );
    }

    #[test]
    fn allowlist_has_no_unused_words() {
        let used: BTreeSet<String> = all_texts()
            .into_iter()
            .flat_map(|(_, t)| latin_words(t))
            .collect();
        for w in ALLOWED {
            assert!(
                used.contains(*w),
                "allowlisted {w:?} is used nowhere: drop it"
            );
        }
    }

    #[test]
    fn no_english_headings_left() {
        for c in CHECKS {
            let text = explain(c.name).unwrap();
            for h in [
                "## What it checks",
                "## Why it breaks",
                "## How to fix",
                "## Example",
            ] {
                assert!(!text.contains(h), "{}: English heading {h:?}", c.name);
            }
        }
    }
}
