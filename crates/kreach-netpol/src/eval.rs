//! The evaluation itself: which policies select a pod for a direction, which
//! of their rules admit the other end, and why the others do not.
//!
//! Everything is computed from the k8s-openapi objects on each call; there
//! is no index, because a namespace rarely holds more than a few dozen
//! policies and callers ask a handful of questions per run.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use serde::Serialize;

use crate::ipblock::{AddressRanges, ParsedBlock};
use crate::peer::{End, OtherEnd, Peer, PeerScope, PodView, RulePeer, namespace_of};
use crate::ports::{ConnectionSet, PortScope, Protocol, rule_ports};
use crate::selector::label_selector_matches;

/// The direction of traffic, seen from the pod a policy selects.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    /// The `policyTypes` spelling: `Ingress`, `Egress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which NetworkPolicy; displays as `NetworkPolicy/ns/name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
pub struct PolicyRef {
    pub namespace: String,
    pub name: String,
}

impl PolicyRef {
    pub fn of(policy: &NetworkPolicy) -> Self {
        PolicyRef {
            namespace: namespace_of(&policy.metadata).to_string(),
            name: policy.metadata.name.clone().unwrap_or_default(),
        }
    }
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NetworkPolicy/{}/{}", self.namespace, self.name)
    }
}

/// One rule of a policy: `index` is the 0-based position in `spec.ingress`
/// or `spec.egress` (people count from 1).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
pub struct RuleRef {
    pub policy: PolicyRef,
    pub direction: Direction,
    pub index: usize,
}

/// Whether `ipBlock` peers can match pods.
///
/// The API documents ipBlock for "cluster-external IPs, since Pod IPs are
/// ephemeral and unpredictable", and leaves pod addresses undefined; plugins
/// differ (Calico and kube-network-policies match pod IPs, Cilium does not
/// for its own endpoints, netpol-analyzer never does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IpBlockScope {
    /// ipBlock matches only [`Peer::External`] addresses; pods are matched by
    /// selectors alone. What netpol-analyzer computes, and the default.
    #[default]
    ExternalOnly,
    /// ipBlock also matches a pod whose `status.podIPs` fall in the block.
    AlsoPodIps,
}

/// Evaluation choices where the API leaves room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Options {
    pub ip_block_scope: IpBlockScope,
    /// Admit ingress from the pod's own node (`status.hostIPs`) regardless of
    /// policy, as the `ingress` field documents ("OR if the traffic source is
    /// the pod's local node"). On by default.
    pub local_node_always_allowed: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ip_block_scope: IpBlockScope::default(),
            local_node_always_allowed: true,
        }
    }
}

/// The verdict on one connection.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Decision {
    /// Both directions allow it.
    pub allowed: bool,
    /// The source pod's egress policies.
    pub egress: DirectionDecision,
    /// The destination pod's ingress policies.
    pub ingress: DirectionDecision,
}

/// Why a direction allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// This end is not a pod, so no NetworkPolicy applies (allowed).
    NotAPod,
    /// Source and destination are the same pod: a pod reaching its own
    /// address stays inside its network namespace (loopback), where
    /// NetworkPolicy does not apply (allowed).
    SamePod,
    /// No policy selects the pod for this direction (allowed).
    NotIsolated,
    /// Ingress from the pod's own node is always allowed.
    LocalNode,
    /// At least one rule of a selecting policy admits it (allowed).
    Admitted,
    /// Policies select the pod and none of their rules admits it (denied).
    Denied,
}

/// The verdict of one direction.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DirectionDecision {
    pub allowed: bool,
    pub basis: Basis,
    /// Policies that select the pod for this direction.
    pub selecting: Vec<PolicyRef>,
    /// Rules of selecting policies that admit the connection.
    pub admitting: Vec<RuleRef>,
    /// For each selecting policy none of whose rules admits the connection:
    /// why (also when another policy admits it).
    pub rejections: Vec<Rejection>,
}

impl DirectionDecision {
    fn unrestricted(basis: Basis) -> Self {
        DirectionDecision {
            allowed: true,
            basis,
            selecting: Vec::new(),
            admitting: Vec::new(),
            rejections: Vec::new(),
        }
    }

    /// The policies that decided: those whose rules admit the connection when
    /// allowed, every selecting one when denied (the `decided_by` of
    /// `kreach policy`).
    pub fn decided_by(&self) -> Vec<PolicyRef> {
        if self.allowed {
            let mut refs: Vec<PolicyRef> =
                self.admitting.iter().map(|r| r.policy.clone()).collect();
            refs.dedup();
            refs
        } else {
            self.selecting.clone()
        }
    }
}

/// Why one selecting policy does not admit a connection: typed facts, for
/// a caller to word (this crate writes no sentences).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Rejection {
    pub policy: PolicyRef,
    /// The direction of the policy that rejects: `Ingress` (the destination
    /// pod's policies) or `Egress` (the source pod's).
    pub direction: Direction,
    pub cause: RejectionCause,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RejectionCause {
    /// The policy has no rules for this direction: it only isolates (deny
    /// all).
    NoRules,
    /// Every rule misses, each for the reasons given.
    RulesMiss {
        rules: Vec<RuleMiss>,
        /// The far end of the connection: the source for an ingress
        /// policy, the destination for an egress policy.
        other: OtherEnd,
        /// The connection's port and protocol.
        port: u16,
        protocol: Protocol,
    },
}

impl RejectionCause {
    /// Whether every rule admits the other end and misses on the port
    /// alone (the rules' ports are then all that matters).
    pub fn ports_only(&self) -> bool {
        match self {
            RejectionCause::NoRules => false,
            RejectionCause::RulesMiss { rules, .. } => rules.iter().all(|m| m.peers.is_none()),
        }
    }
}

/// Why one rule does not admit a connection: its peers, its ports, or both.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleMiss {
    /// 0-based position in `spec.ingress` / `spec.egress`.
    pub index: usize,
    /// The rule's peers, when the other end matches none of them.
    pub peers: Option<Vec<PeerScope>>,
    /// The rule's ports, when the connection's port/protocol is not among them.
    pub ports: Option<Vec<PortScope>>,
}

/// The external addresses a pod admits on a port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "cidrs", rename_all = "snake_case")]
pub enum Admitted {
    /// Every address.
    All,
    /// Exactly these (the union of admitting ipBlocks, minus their excepts);
    /// possibly none.
    Only(
        #[serde(serialize_with = "cidr_strings")]
        #[schemars(with = "Vec<String>")]
        Vec<IpNet>,
    ),
}

/// CIDRs as text, without needing ipnet's serde feature.
fn cidr_strings<S: serde::Serializer>(nets: &[IpNet], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(nets.iter().map(ToString::to_string))
}

impl Admitted {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match self {
            Admitted::All => true,
            Admitted::Only(nets) => nets.iter().any(|n| n.contains(&ip.to_canonical())),
        }
    }
}

/// The policies of a cluster (or of the namespaces that matter) with the
/// evaluation options; the entry point when the defaults do not suit.
#[derive(Clone, Copy, Debug)]
pub struct PolicySet<'p> {
    policies: &'p [NetworkPolicy],
    options: Options,
}

struct RuleAnalysis<'p> {
    index: usize,
    peers: Vec<RulePeer<'p>>,
    /// The other end matches one of the peers (or the rule has none).
    peer_matched: bool,
    ports: ConnectionSet,
    port_scopes: Vec<PortScope>,
}

struct PolicyAnalysis<'p> {
    policy: PolicyRef,
    rules: Vec<RuleAnalysis<'p>>,
}

enum DirectionAnalysis<'p> {
    Unrestricted(Basis, Vec<PolicyAnalysis<'p>>),
    Selected(Vec<PolicyAnalysis<'p>>),
}

impl<'p> PolicySet<'p> {
    pub fn new(policies: &'p [NetworkPolicy]) -> Self {
        PolicySet {
            policies,
            options: Options::default(),
        }
    }

    pub fn with_options(self, options: Options) -> Self {
        PolicySet { options, ..self }
    }

    /// May `src` open a connection to `dst` on `port`/`protocol`?
    pub fn evaluate(
        &self,
        src: &Peer<'_>,
        dst: &Peer<'_>,
        port: u16,
        protocol: Protocol,
    ) -> Decision {
        let (src, dst) = (End::new(src), End::new(dst));
        if same_pod(&src, &dst) {
            let same = DirectionDecision::unrestricted(Basis::SamePod);
            return Decision {
                allowed: true,
                egress: same.clone(),
                ingress: same,
            };
        }
        let egress = self.decide(Direction::Egress, &src, &dst, port, protocol);
        let ingress = self.decide(Direction::Ingress, &dst, &src, port, protocol);
        Decision {
            allowed: egress.allowed && ingress.allowed,
            egress,
            ingress,
        }
    }

    /// Every connection (protocol and port) `src` may open to `dst`.
    pub fn allowed_connections(&self, src: &Peer<'_>, dst: &Peer<'_>) -> ConnectionSet {
        let (src, dst) = (End::new(src), End::new(dst));
        if same_pod(&src, &dst) {
            return ConnectionSet::all();
        }
        let egress = self.direction_connections(Direction::Egress, &src, &dst);
        let ingress = self.direction_connections(Direction::Ingress, &dst, &src);
        egress.intersection(&ingress)
    }

    /// Which external (non-pod) addresses `dst_pod` admits on
    /// `port`/`protocol`, by its ingress policies alone. The pod's own node
    /// is always admitted as well (see [`Options`]) and is not listed.
    pub fn admitted_external_ranges(
        &self,
        dst_pod: &Pod,
        namespace_labels: &BTreeMap<String, String>,
        port: u16,
        protocol: Protocol,
    ) -> Admitted {
        let view = PodView::new(dst_pod, namespace_labels);
        let mut selected = false;
        let mut ranges = AddressRanges::default();
        for policy in self.selecting(&view, Direction::Ingress) {
            selected = true;
            for (peers, ports) in rules(policy, Direction::Ingress) {
                let (ports, _) = rule_ports(ports, Some(dst_pod));
                if !ports.contains(protocol, port) {
                    continue;
                }
                let peers = peers.unwrap_or_default();
                if peers.is_empty() {
                    return Admitted::All;
                }
                for peer in peers {
                    let only_block =
                        peer.namespace_selector.is_none() && peer.pod_selector.is_none();
                    if let (Some(block), true) = (&peer.ip_block, only_block) {
                        // An unparsable block admits nothing.
                        if let Ok(block) = ParsedBlock::parse(block) {
                            block
                                .to_cidrs()
                                .into_iter()
                                .for_each(|net| ranges.insert(net));
                        }
                    }
                }
            }
        }
        if selected {
            Admitted::Only(ranges.to_cidrs())
        } else {
            Admitted::All
        }
    }

    fn selecting<'a>(
        &'a self,
        view: &'a PodView<'_>,
        direction: Direction,
    ) -> impl Iterator<Item = &'p NetworkPolicy> + 'a {
        self.policies
            .iter()
            .filter(move |policy| selects(policy, view, direction))
    }

    /// `subject` is the end whose policies apply; `other` the far end.
    fn analyze(
        &self,
        direction: Direction,
        subject: &End<'_>,
        other: &End<'_>,
    ) -> DirectionAnalysis<'p> {
        let Some(view) = subject.pod() else {
            return DirectionAnalysis::Unrestricted(Basis::NotAPod, Vec::new());
        };
        let destination_pod = match direction {
            Direction::Ingress => Some(view.pod),
            Direction::Egress => other.pod().map(|v| v.pod),
        };
        let selecting: Vec<PolicyAnalysis<'p>> = self
            .selecting(view, direction)
            .map(|policy| {
                let policy_namespace = namespace_of(&policy.metadata);
                let rules = rules(policy, direction)
                    .into_iter()
                    .enumerate()
                    .map(|(index, (peers, ports))| {
                        let peers: Vec<RulePeer<'p>> = peers
                            .unwrap_or_default()
                            .iter()
                            .map(|peer| RulePeer::new(peer, policy_namespace))
                            .collect();
                        let peer_matched = peers.is_empty()
                            || peers.iter().any(|peer| {
                                peer.matches(other, policy_namespace, self.options.ip_block_scope)
                            });
                        let (ports, port_scopes) = rule_ports(ports, destination_pod);
                        RuleAnalysis {
                            index,
                            peers,
                            peer_matched,
                            ports,
                            port_scopes,
                        }
                    })
                    .collect();
                PolicyAnalysis {
                    policy: PolicyRef::of(policy),
                    rules,
                }
            })
            .collect();
        if selecting.is_empty() {
            return DirectionAnalysis::Unrestricted(Basis::NotIsolated, selecting);
        }
        let from_own_node = match (direction, other) {
            (Direction::Ingress, End::External(ip)) => view.host_ips().contains(ip),
            _ => false,
        };
        if from_own_node && self.options.local_node_always_allowed {
            return DirectionAnalysis::Unrestricted(Basis::LocalNode, selecting);
        }
        DirectionAnalysis::Selected(selecting)
    }

    fn decide(
        &self,
        direction: Direction,
        subject: &End<'_>,
        other: &End<'_>,
        port: u16,
        protocol: Protocol,
    ) -> DirectionDecision {
        let (basis, policies) = match self.analyze(direction, subject, other) {
            DirectionAnalysis::Unrestricted(basis, policies) => (Some(basis), policies),
            DirectionAnalysis::Selected(policies) => (None, policies),
        };
        let mut decision = DirectionDecision::unrestricted(basis.unwrap_or(Basis::Denied));
        for policy in &policies {
            decision.selecting.push(policy.policy.clone());
            let admitting: Vec<RuleRef> = policy
                .rules
                .iter()
                .filter(|rule| rule.peer_matched && rule.ports.contains(protocol, port))
                .map(|rule| RuleRef {
                    policy: policy.policy.clone(),
                    direction,
                    index: rule.index,
                })
                .collect();
            if admitting.is_empty() {
                decision
                    .rejections
                    .push(rejection(policy, direction, other, port, protocol));
            }
            decision.admitting.extend(admitting);
        }
        if basis.is_none() {
            decision.allowed = !decision.admitting.is_empty();
            decision.basis = if decision.allowed {
                Basis::Admitted
            } else {
                Basis::Denied
            };
        }
        decision
    }

    fn direction_connections(
        &self,
        direction: Direction,
        subject: &End<'_>,
        other: &End<'_>,
    ) -> ConnectionSet {
        match self.analyze(direction, subject, other) {
            DirectionAnalysis::Unrestricted(..) => ConnectionSet::all(),
            DirectionAnalysis::Selected(policies) => policies
                .iter()
                .flat_map(|policy| &policy.rules)
                .filter(|rule| rule.peer_matched)
                .fold(ConnectionSet::none(), |acc, rule| acc.union(&rule.ports)),
        }
    }
}

fn same_pod(src: &End<'_>, dst: &End<'_>) -> bool {
    match (src.pod(), dst.pod()) {
        (Some(a), Some(b)) => {
            std::ptr::eq(a.pod, b.pod)
                || (!a.name.is_empty() && a.name == b.name && a.namespace == b.namespace)
        }
        _ => false,
    }
}

/// Whether `policy` selects the pod for `direction`: same namespace,
/// `podSelector` matches, and `policyTypes` (or its default) names the
/// direction.
fn selects(policy: &NetworkPolicy, view: &PodView<'_>, direction: Direction) -> bool {
    namespace_of(&policy.metadata) == view.namespace
        && affects(policy, direction)
        && policy
            .spec
            .as_ref()
            .and_then(|spec| spec.pod_selector.as_ref())
            .is_none_or(|selector| label_selector_matches(selector, view.labels))
}

/// `policyTypes`, defaulted as the API server does: Ingress always, Egress
/// when there are egress rules. A policy without `spec` is defaulted the
/// same way (all pods, Ingress, no rules: deny all ingress).
fn affects(policy: &NetworkPolicy, direction: Direction) -> bool {
    let Some(spec) = &policy.spec else {
        return direction == Direction::Ingress;
    };
    match spec.policy_types.as_deref() {
        Some(types) if !types.is_empty() => types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(direction.as_str())),
        _ => match direction {
            Direction::Ingress => true,
            Direction::Egress => spec.egress.as_ref().is_some_and(|rules| !rules.is_empty()),
        },
    }
}

type RuleParts<'p> = (
    Option<&'p [NetworkPolicyPeer]>,
    Option<&'p [NetworkPolicyPort]>,
);

fn rules(policy: &NetworkPolicy, direction: Direction) -> Vec<RuleParts<'_>> {
    let Some(spec) = &policy.spec else {
        return Vec::new();
    };
    match direction {
        Direction::Ingress => spec
            .ingress
            .iter()
            .flatten()
            .map(|rule| (rule.from.as_deref(), rule.ports.as_deref()))
            .collect(),
        Direction::Egress => spec
            .egress
            .iter()
            .flatten()
            .map(|rule| (rule.to.as_deref(), rule.ports.as_deref()))
            .collect(),
    }
}

fn rejection(
    policy: &PolicyAnalysis<'_>,
    direction: Direction,
    other: &End<'_>,
    port: u16,
    protocol: Protocol,
) -> Rejection {
    if policy.rules.is_empty() {
        return Rejection {
            policy: policy.policy.clone(),
            direction,
            cause: RejectionCause::NoRules,
        };
    }
    let misses: Vec<RuleMiss> = policy
        .rules
        .iter()
        .map(|rule| RuleMiss {
            index: rule.index,
            peers: (!rule.peer_matched)
                .then(|| rule.peers.iter().map(|p| p.scope.clone()).collect()),
            ports: (!rule.ports.contains(protocol, port)).then(|| rule.port_scopes.clone()),
        })
        .collect();
    Rejection {
        policy: policy.policy.clone(),
        direction,
        cause: RejectionCause::RulesMiss {
            rules: misses,
            other: other.facts(),
            port,
            protocol,
        },
    }
}
