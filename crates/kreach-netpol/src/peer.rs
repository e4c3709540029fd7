//! The two ends of a connection, and the peers (`from` / `to` entries) of a
//! rule: how a peer reads ([`PeerScope`]) and whether it matches an end.

use std::collections::BTreeMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicyPeer;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Serialize;

use crate::ipblock::ParsedBlock;
use crate::selector::{is_per_instance_label, label_selector_matches, selector_problem};
use crate::{Invalid, IpBlockScope};

/// The label every namespace carries since Kubernetes 1.21, set by the API
/// server to the namespace's name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// One end of a connection.
#[derive(Clone, Copy, Debug)]
pub enum Peer<'a> {
    /// A pod, with the labels of its namespace (as read from the Namespace
    /// object; [`NAMESPACE_NAME_LABEL`] is added when missing, so an empty map
    /// is fine when the Namespace is unknown).
    Pod {
        pod: &'a Pod,
        namespace_labels: &'a BTreeMap<String, String>,
    },
    /// An address that belongs to no pod: a client outside the cluster, a
    /// node (SNAT, host-network pods), a load balancer.
    External(IpAddr),
}

impl<'a> Peer<'a> {
    pub fn pod(pod: &'a Pod, namespace_labels: &'a BTreeMap<String, String>) -> Self {
        Peer::Pod {
            pod,
            namespace_labels,
        }
    }
}

static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

/// The namespace a namespaced object lives in; `default` when unset, as
/// `kubectl apply` would place it.
pub(crate) fn namespace_of(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> &str {
    meta.namespace
        .as_deref()
        .filter(|ns| !ns.is_empty())
        .unwrap_or("default")
}

/// A pod end, with what evaluation needs precomputed.
pub(crate) struct PodView<'a> {
    pub pod: &'a Pod,
    pub namespace: &'a str,
    pub name: &'a str,
    pub labels: &'a BTreeMap<String, String>,
    pub namespace_labels: BTreeMap<String, String>,
}

impl<'a> PodView<'a> {
    pub fn new(pod: &'a Pod, namespace_labels: &BTreeMap<String, String>) -> Self {
        let namespace = namespace_of(&pod.metadata);
        let mut namespace_labels = namespace_labels.clone();
        namespace_labels
            .entry(NAMESPACE_NAME_LABEL.to_string())
            .or_insert_with(|| namespace.to_string());
        PodView {
            pod,
            namespace,
            name: pod.metadata.name.as_deref().unwrap_or_default(),
            labels: pod.metadata.labels.as_ref().unwrap_or(&NO_LABELS),
            namespace_labels,
        }
    }

    /// `status.podIPs`, falling back to `status.podIP`; unparsable ones skipped.
    pub fn ips(&self) -> Vec<IpAddr> {
        let Some(status) = &self.pod.status else {
            return Vec::new();
        };
        let listed = status.pod_ips.iter().flatten().map(|p| p.ip.as_str());
        let single = status.pod_ip.as_deref();
        listed
            .chain(single)
            .filter_map(|ip| ip.trim().parse().ok())
            .collect()
    }

    /// `status.hostIPs`, falling back to `status.hostIP`.
    pub fn host_ips(&self) -> Vec<IpAddr> {
        let Some(status) = &self.pod.status else {
            return Vec::new();
        };
        let listed = status.host_ips.iter().flatten().map(|p| p.ip.as_str());
        let single = status.host_ip.as_deref();
        listed
            .chain(single)
            .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical())
            .collect()
    }
}

/// An end as evaluation sees it.
pub(crate) enum End<'a> {
    Pod(PodView<'a>),
    External(IpAddr),
}

impl<'a> End<'a> {
    pub fn new(peer: &Peer<'a>) -> Self {
        match *peer {
            Peer::Pod {
                pod,
                namespace_labels,
            } => End::Pod(PodView::new(pod, namespace_labels)),
            Peer::External(ip) => End::External(ip.to_canonical()),
        }
    }

    pub fn pod(&self) -> Option<&PodView<'a>> {
        match self {
            End::Pod(view) => Some(view),
            End::External(_) => None,
        }
    }

    /// The facts a rejection gives about this end.
    pub fn facts(&self) -> OtherEnd {
        match self {
            End::External(ip) => OtherEnd::Address { ip: *ip },
            End::Pod(view) => OtherEnd::Pod {
                namespace: view.namespace.to_string(),
                name: view.name.to_string(),
                labels: stable_labels(view.labels),
                namespace_labels: stable_labels(&view.namespace_labels),
            },
        }
    }
}

/// The far end of a rejected connection, as a report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OtherEnd {
    /// An address that belongs to no pod.
    Address { ip: IpAddr },
    /// A pod, with its labels and its namespace's labels (without the
    /// per-instance labels controllers stamp on pods, such as
    /// `pod-template-hash`; the namespace's carry [`NAMESPACE_NAME_LABEL`]).
    Pod {
        namespace: String,
        name: String,
        labels: BTreeMap<String, String>,
        namespace_labels: BTreeMap<String, String>,
    },
}

/// Why the far end is outside the peers of the one rule a policy has, as
/// a report says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeerMismatch {
    /// An address, and the peers choose pods only (selectors never match
    /// an address).
    AddressOutsideCluster,
    /// An address outside the peers' ipBlocks.
    AddressNotInBlocks,
    /// A pod, and the peers are ipBlocks only, which are taken to admit
    /// addresses outside the cluster ([`crate::IpBlockScope::ExternalOnly`]).
    PodNotAnAddress,
    /// A pod whose namespace's labels a namespace selector of the peers
    /// judges (the labels are worth showing).
    PodNamespaceDoesNotMatch,
    /// A pod the peers' selectors do not match.
    PodDoesNotMatch,
}

impl PeerMismatch {
    /// Why `other` matches none of `peers`.
    pub fn of(peers: &[PeerScope], other: &OtherEnd) -> Self {
        let any_addresses = peers
            .iter()
            .any(|p| matches!(p, PeerScope::Addresses { .. }));
        let any_pods = peers.iter().any(|p| matches!(p, PeerScope::Pods { .. }));
        match other {
            OtherEnd::Address { .. } if !any_addresses => PeerMismatch::AddressOutsideCluster,
            OtherEnd::Address { .. } => PeerMismatch::AddressNotInBlocks,
            OtherEnd::Pod { .. } if any_addresses && !any_pods => PeerMismatch::PodNotAnAddress,
            OtherEnd::Pod { .. } => {
                let uses_namespace_labels = peers.iter().any(|p| {
                    matches!(
                        p,
                        PeerScope::Pods {
                            namespace_selector: Some(_),
                            ..
                        }
                    )
                });
                if uses_namespace_labels {
                    PeerMismatch::PodNamespaceDoesNotMatch
                } else {
                    PeerMismatch::PodDoesNotMatch
                }
            }
        }
    }
}

fn stable_labels(labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    labels
        .iter()
        .filter(|(k, _)| !is_per_instance_label(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// What one peer of a rule admits, as the policy says it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeerScope {
    /// The rule has no `from` / `to` (or an empty list): every peer.
    Any,
    /// Pods chosen by selectors. Without `namespace_selector` the pods are
    /// in `policy_namespace`; without `pod_selector` they are all pods of the
    /// selected namespaces.
    Pods {
        /// A `metav1.LabelSelector`.
        #[schemars(with = "Option<LabelSelectorSchema>")]
        pod_selector: Option<LabelSelector>,
        /// A `metav1.LabelSelector`.
        #[schemars(with = "Option<LabelSelectorSchema>")]
        namespace_selector: Option<LabelSelector>,
        policy_namespace: String,
    },
    /// Addresses in `cidr` but in no `except` CIDR.
    Addresses { cidr: String, except: Vec<String> },
    /// A peer the API server would reject; it admits nothing.
    Invalid { reason: Invalid },
}

/// A rule peer, parsed once: how it reads and what it matches.
pub(crate) struct RulePeer<'p> {
    pub scope: PeerScope,
    kind: PeerKind<'p>,
}

enum PeerKind<'p> {
    Selectors {
        pod: Option<&'p LabelSelector>,
        namespace: Option<&'p LabelSelector>,
    },
    Block(ParsedBlock),
    Invalid,
}

impl<'p> RulePeer<'p> {
    pub fn new(peer: &'p NetworkPolicyPeer, policy_namespace: &str) -> Self {
        let invalid = |reason: Invalid| RulePeer {
            scope: PeerScope::Invalid { reason },
            kind: PeerKind::Invalid,
        };
        match (&peer.ip_block, &peer.namespace_selector, &peer.pod_selector) {
            (Some(block), None, None) => match ParsedBlock::parse(block) {
                Ok(parsed) => RulePeer {
                    scope: PeerScope::Addresses {
                        cidr: parsed.cidr.to_string(),
                        except: parsed.except.iter().map(ToString::to_string).collect(),
                    },
                    kind: PeerKind::Block(parsed),
                },
                Err(reason) => invalid(reason),
            },
            (Some(_), _, _) => invalid(Invalid::IpBlockWithSelector),
            (None, None, None) => invalid(Invalid::EmptyPeer),
            (None, namespace, pod) => {
                let problem = [namespace, pod]
                    .into_iter()
                    .flatten()
                    .find_map(selector_problem);
                if let Some(problem) = problem {
                    return invalid(problem);
                }
                RulePeer {
                    scope: PeerScope::Pods {
                        pod_selector: pod.clone(),
                        namespace_selector: namespace.clone(),
                        policy_namespace: policy_namespace.to_string(),
                    },
                    kind: PeerKind::Selectors {
                        pod: pod.as_ref(),
                        namespace: namespace.as_ref(),
                    },
                }
            }
        }
    }

    pub fn matches(&self, end: &End<'_>, policy_namespace: &str, scope: IpBlockScope) -> bool {
        match (&self.kind, end) {
            (PeerKind::Invalid, _) => false,
            (PeerKind::Block(block), End::External(ip)) => block.contains(*ip),
            (PeerKind::Block(block), End::Pod(view)) => {
                scope == IpBlockScope::AlsoPodIps
                    && view.ips().into_iter().any(|ip| block.contains(ip))
            }
            // Selectors only ever choose pods.
            (PeerKind::Selectors { .. }, End::External(_)) => false,
            (PeerKind::Selectors { pod, namespace }, End::Pod(view)) => {
                let namespace_ok = match namespace {
                    Some(sel) => label_selector_matches(sel, &view.namespace_labels),
                    None => view.namespace == policy_namespace,
                };
                namespace_ok && pod.is_none_or(|sel| label_selector_matches(sel, view.labels))
            }
        }
    }
}

/// The JSON Schema of a `metav1.LabelSelector` (k8s-openapi's types carry
/// none without its `schemars` feature, which would build one for every API type).
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct LabelSelectorSchema {
    #[schemars(rename = "matchLabels")]
    match_labels: Option<std::collections::BTreeMap<String, String>>,
    #[schemars(rename = "matchExpressions")]
    match_expressions: Option<Vec<RequirementSchema>>,
}

#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct RequirementSchema {
    key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    operator: String,
    values: Option<Vec<String>>,
}
