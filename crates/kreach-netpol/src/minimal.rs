//! The smallest ingress rule that would admit one source to a pod: the fix a
//! report proposes when policies deny a connection.
//!
//! For an address the rule admits exactly that address (`/32` or `/128`).
//! For a pod it admits the pods that share the source's identifying label
//! (`app.kubernetes.io/name`, `app`, …) in the source's namespace, so the
//! rule keeps working when the pod is replaced. The rule goes into the
//! `spec.ingress` of a policy in the destination's namespace that selects
//! the destination pod; it does not check that other policies' egress rules
//! let the source out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ipnet::IpNet;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use crate::peer::{NAMESPACE_NAME_LABEL, Peer, namespace_of};
use crate::ports::Protocol;
use crate::selector::is_per_instance_label;

/// A proposed ingress rule.
#[derive(Clone, Debug, PartialEq)]
pub struct MinimalRule {
    pub rule: NetworkPolicyIngressRule,
    /// The rule as a YAML list item, ready to paste under `spec.ingress:`.
    pub yaml: String,
    /// What the rule admits beyond the one source, when that is worth saying.
    pub note: Option<RuleNote>,
}

/// What a proposed rule admits beyond the one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleNote {
    /// The source pod has no identifying labels, so the rule admits every
    /// pod of its namespace `source_namespace`, to the destination pod
    /// `destination_namespace/destination`.
    AdmitsWholeNamespace {
        source_namespace: String,
        destination_namespace: String,
        destination: String,
    },
}

/// Labels that name an application rather than one pod, most specific
/// convention first.
const IDENTIFYING_LABELS: &[&str] = &[
    "app.kubernetes.io/name",
    "app",
    "k8s-app",
    "name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "component",
    "run",
];

/// The smallest ingress rule that admits `src` to `dst_pod` on
/// `port`/`protocol` (see the module docs).
pub fn minimal_ingress_rule(
    src: &Peer<'_>,
    dst_pod: &Pod,
    port: u16,
    protocol: Protocol,
) -> MinimalRule {
    let ports = Some(vec![NetworkPolicyPort {
        port: Some(IntOrString::Int(i32::from(port))),
        protocol: Some(protocol.as_str().to_string()),
        end_port: None,
    }]);
    let (peer, note) = match *src {
        Peer::External(ip) => {
            let ip = ip.to_canonical();
            let cidr = IpNet::from(ip).to_string();
            (
                NetworkPolicyPeer {
                    ip_block: Some(IPBlock { cidr, except: None }),
                    ..Default::default()
                },
                None,
            )
        }
        Peer::Pod { pod, .. } => {
            let namespace = namespace_of(&pod.metadata).to_string();
            let (labels, note) = identifying_labels(pod, &namespace);
            let peer = NetworkPolicyPeer {
                pod_selector: Some(LabelSelector {
                    match_labels: Some(labels),
                    match_expressions: None,
                }),
                namespace_selector: Some(LabelSelector {
                    match_labels: Some(BTreeMap::from([(
                        NAMESPACE_NAME_LABEL.to_string(),
                        namespace,
                    )])),
                    match_expressions: None,
                }),
                ip_block: None,
            };
            (peer, note)
        }
    };
    let rule = NetworkPolicyIngressRule {
        from: Some(vec![peer]),
        ports,
    };
    let yaml = rule_yaml(&rule);
    let note = note.map(|source_namespace| RuleNote::AdmitsWholeNamespace {
        source_namespace,
        destination_namespace: namespace_of(&dst_pod.metadata).to_string(),
        destination: dst_pod.metadata.name.clone().unwrap_or_default(),
    });
    MinimalRule { rule, yaml, note }
}

/// The labels that identify the source pod's application, and its
/// namespace when it has none (the rule then admits the whole namespace).
fn identifying_labels(pod: &Pod, namespace: &str) -> (BTreeMap<String, String>, Option<String>) {
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    if let Some((key, value)) = IDENTIFYING_LABELS
        .iter()
        .find_map(|key| labels.get_key_value(*key))
    {
        return (BTreeMap::from([(key.clone(), value.clone())]), None);
    }
    let stable: BTreeMap<String, String> = labels
        .into_iter()
        .filter(|(key, _)| !is_per_instance_label(key))
        .collect();
    let note = stable.is_empty().then(|| namespace.to_string());
    (stable, note)
}

fn rule_yaml(rule: &NetworkPolicyIngressRule) -> String {
    let mut out = String::from("- from:\n");
    for peer in rule.from.iter().flatten() {
        let mut first = true;
        let mut item = |out: &mut String| {
            out.push_str(if first { "  - " } else { "    " });
            first = false;
        };
        if let Some(block) = &peer.ip_block {
            item(&mut out);
            let _ = writeln!(out, "ipBlock:\n        cidr: {}", scalar(&block.cidr));
        }
        for (field, selector) in [
            ("podSelector", &peer.pod_selector),
            ("namespaceSelector", &peer.namespace_selector),
        ] {
            let Some(selector) = selector else { continue };
            item(&mut out);
            let labels = selector.match_labels.clone().unwrap_or_default();
            if labels.is_empty() {
                let _ = writeln!(out, "{field}: {{}}");
                continue;
            }
            let _ = writeln!(out, "{field}:\n        matchLabels:");
            for (key, value) in &labels {
                let _ = writeln!(out, "          {}: {}", scalar(key), scalar(value));
            }
        }
    }
    out.push_str("  ports:\n");
    for port in rule.ports.iter().flatten() {
        let number = match &port.port {
            Some(IntOrString::Int(n)) => n.to_string(),
            Some(IntOrString::String(s)) => scalar(s),
            None => String::new(),
        };
        let _ = writeln!(out, "  - port: {number}");
        if let Some(protocol) = &port.protocol {
            let _ = writeln!(out, "    protocol: {protocol}");
        }
    }
    out
}

/// A YAML scalar that reads back as the same string: plain when that is
/// unambiguous, double-quoted otherwise (numbers, booleans, `null`, …).
fn scalar(text: &str) -> String {
    let plain_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    let starts_plain = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    if plain_chars && starts_plain && !reserved {
        return text.to_string();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_what_yaml_would_retype() {
        assert_eq!(scalar("web"), "web");
        assert_eq!(scalar("app.kubernetes.io/name"), "app.kubernetes.io/name");
        assert_eq!(scalar("8080"), "\"8080\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("No"), "\"No\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("a b"), "\"a b\"");
        assert_eq!(scalar("10.0.0.1/32"), "\"10.0.0.1/32\"");
    }
}
