//! A pure evaluator of Kubernetes `networking.k8s.io/v1` NetworkPolicies:
//! may this source open a connection to this destination on this port, and
//! if not, which policies stop it and why.
//!
//! It implements the API's semantics in full: `policyTypes` defaulting,
//! empty versus absent selectors, rule lists and peer lists, pod / namespace
//! / combined selectors, `matchExpressions`, `ipBlock` with `except` (IPv4
//! and IPv6), numeric and named ports (resolved against the destination
//! pod's containers, for egress too), `endPort` ranges, TCP / UDP / SCTP,
//! the additive union across policies, and per-direction isolation (a pod is
//! isolated for a direction only when some policy selects it for that
//! direction).
//!
//! Entry points: [`evaluate`] (one connection, with the reasons),
//! [`allowed_connections`] (every port and protocol between two ends),
//! [`admitted_external_ranges`] (which outside addresses a pod admits),
//! [`minimal_ingress_rule`] (the fix to propose) and
//! [`label_selector_matches`]. [`PolicySet`] carries [`Options`] for the
//! points the API leaves open.
//!
//! Choices where the API is silent (see [`Options`]):
//! - `ipBlock` matches only addresses outside the cluster
//!   ([`Peer::External`]); pods are matched by selectors alone. This is what
//!   netpol-analyzer computes and what the API recommends ("these should be
//!   cluster-external IPs"); [`IpBlockScope::AlsoPodIps`] gives the
//!   Calico / kube-network-policies reading.
//! - Ingress from the destination pod's own node (`status.hostIPs`) is
//!   always allowed, as the `ingress` field documents.
//! - A pod reaching its own address is allowed ([`Basis::SamePod`]): the
//!   traffic stays inside the pod's network namespace.
//! - `hostNetwork` pods are evaluated like any pod; the API calls their
//!   behaviour undefined and most plugins enforce nothing on them, so a
//!   caller may prefer to treat them as their node's address.
//! - Objects the API server would reject (an unknown operator, an invalid
//!   CIDR, `endPort` below `port`) never panic: the broken part admits
//!   nothing, and the rejection says why ([`Invalid`]).
//!
//! It writes no sentences: a [`Rejection`] is typed facts (the policy, the
//! rules that miss and on what, the far end) for the caller to word, in
//! whatever language it reports in.
//!
//! What it does not do: read anything (no I/O; the caller supplies the
//! policies, pods and namespace labels), know which CNI enforces policies (or
//! whether one does at all), evaluate AdminNetworkPolicy / BaselineAdminNetworkPolicy
//! or CNI-specific policy kinds, or model address rewriting (SNAT, load
//! balancers, `hostNetwork` pods): a caller that knows a packet arrives from
//! a node address passes that address as [`Peer::External`].

mod eval;
mod invalid;
mod ipblock;
mod minimal;
mod peer;
mod ports;
mod selector;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;

pub use eval::{
    Admitted, Basis, Decision, Direction, DirectionDecision, IpBlockScope, Options, PolicyRef,
    PolicySet, Rejection, RejectionCause, RuleMiss, RuleRef,
};
pub use invalid::{Invalid, RequirementProblem};
pub use minimal::{MinimalRule, RuleNote, minimal_ingress_rule};
pub use peer::{NAMESPACE_NAME_LABEL, OtherEnd, Peer, PeerMismatch, PeerScope};
pub use ports::{ConnectionSet, PortScope, Protocol, UnknownProtocol};
pub use selector::{label_selector_matches, labels_text, selector_is_empty, selector_text};

/// May `src` open a connection to `dst` on `port`/`protocol`? Egress
/// policies count when `src` is a pod, ingress policies when `dst` is one.
/// Uses the default [`Options`].
pub fn evaluate(
    policies: &[NetworkPolicy],
    src: &Peer<'_>,
    dst: &Peer<'_>,
    port: u16,
    protocol: Protocol,
) -> Decision {
    PolicySet::new(policies).evaluate(src, dst, port, protocol)
}

/// Every connection `src` may open to `dst` (default [`Options`]).
pub fn allowed_connections(
    policies: &[NetworkPolicy],
    src: &Peer<'_>,
    dst: &Peer<'_>,
) -> ConnectionSet {
    PolicySet::new(policies).allowed_connections(src, dst)
}

/// Which external (non-pod) addresses `dst_pod` admits on `port`/`protocol`:
/// [`Admitted::All`] when no ingress policy restricts it (or a rule admits
/// every source), else exactly the admitting ipBlocks minus their excepts.
pub fn admitted_external_ranges(
    policies: &[NetworkPolicy],
    dst_pod: &Pod,
    namespace_labels: &BTreeMap<String, String>,
    port: u16,
    protocol: Protocol,
) -> Admitted {
    PolicySet::new(policies).admitted_external_ranges(dst_pod, namespace_labels, port, protocol)
}
