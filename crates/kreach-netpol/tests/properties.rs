//! Properties over random policies, pods and connections, drawn from a small
//! universe of labels, namespaces, CIDRs and ports so that rules often match.
//!
//! (a) adding a policy turns a denied connection into an allowed one only
//!     through a rule of that policy, in a direction where it selects the
//!     pod (destination for ingress, source for egress);
//! (b) a pod that no policy selects for ingress is always admitted;
//! (c) the point evaluator and the connection-set evaluator agree.

use std::collections::BTreeMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kreach_netpol::{
    Basis, Direction, DirectionDecision, Peer, Protocol, allowed_connections, evaluate,
    label_selector_matches,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const NAMESPACES: [&str; 2] = ["n1", "n2"];

fn namespace_labels(namespace: &str) -> BTreeMap<String, String> {
    let team = if namespace == "n1" { "red" } else { "blue" };
    BTreeMap::from([("team".to_string(), team.to_string())])
}

fn selector() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({})),
        prop_oneof![Just("a"), Just("b"), Just("c")]
            .prop_map(|v| json!({"matchLabels": {"app": v}})),
        Just(json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["x"]}]})),
        Just(json!({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]})),
        Just(json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]})),
    ]
}

fn namespace_selector() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({})),
        Just(json!({"matchLabels": {"team": "red"}})),
        Just(json!({"matchLabels": {"kubernetes.io/metadata.name": "n2"}})),
    ]
}

fn peer() -> impl Strategy<Value = Value> {
    prop_oneof![
        selector().prop_map(|s| json!({"podSelector": s})),
        namespace_selector().prop_map(|n| json!({"namespaceSelector": n})),
        (selector(), namespace_selector())
            .prop_map(|(s, n)| json!({"podSelector": s, "namespaceSelector": n})),
        prop_oneof![
            Just(json!({"cidr": "10.0.0.0/8"})),
            Just(json!({"cidr": "10.1.0.0/16"})),
            Just(json!({"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]})),
        ]
        .prop_map(|b| json!({"ipBlock": b})),
    ]
}

fn port() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"port": 80})),
        Just(json!({"port": 443})),
        Just(json!({"port": "http"})),
        Just(json!({"port": 8000, "endPort": 9000})),
        Just(json!({"port": 53, "protocol": "UDP"})),
        Just(json!({"protocol": "UDP"})),
    ]
}

/// A rule: peers absent / empty / some, ports absent / some.
fn rule(peers_key: &'static str) -> impl Strategy<Value = Value> {
    let peers = prop_oneof![
        Just(None),
        Just(Some(vec![])),
        prop::collection::vec(peer(), 1..3).prop_map(Some),
    ];
    let ports = prop_oneof![
        Just(None),
        prop::collection::vec(port(), 1..3).prop_map(Some)
    ];
    (peers, ports).prop_map(move |(peers, ports)| {
        let mut rule = json!({});
        if let Some(peers) = peers {
            rule[peers_key] = json!(peers);
        }
        if let Some(ports) = ports {
            rule["ports"] = json!(ports);
        }
        rule
    })
}

fn policy(name: String) -> impl Strategy<Value = NetworkPolicy> {
    let types = prop_oneof![
        Just(None),
        Just(Some(vec!["Ingress"])),
        Just(Some(vec!["Egress"])),
        Just(Some(vec!["Ingress", "Egress"])),
    ];
    (
        prop::sample::select(NAMESPACES.to_vec()),
        prop::option::of(selector()),
        types,
        prop::option::of(prop::collection::vec(rule("from"), 0..3)),
        prop::option::of(prop::collection::vec(rule("to"), 0..3)),
    )
        .prop_map(move |(namespace, pod_selector, types, ingress, egress)| {
            let mut spec = json!({});
            if let Some(s) = pod_selector {
                spec["podSelector"] = s;
            }
            if let Some(t) = types {
                spec["policyTypes"] = json!(t);
            }
            if let Some(i) = ingress {
                spec["ingress"] = json!(i);
            }
            if let Some(e) = egress {
                spec["egress"] = json!(e);
            }
            serde_json::from_value(
                json!({"metadata": {"name": name, "namespace": namespace}, "spec": spec}),
            )
            .unwrap()
        })
}

fn policies() -> impl Strategy<Value = Vec<NetworkPolicy>> {
    prop::collection::vec(any::<u8>(), 0..4).prop_flat_map(|ids| {
        ids.into_iter()
            .enumerate()
            .map(|(i, _)| policy(format!("p{i}")))
            .collect::<Vec<_>>()
    })
}

fn pod(name: &'static str) -> impl Strategy<Value = Pod> {
    (
        prop::sample::select(NAMESPACES.to_vec()),
        prop::option::of(prop_oneof![Just("a"), Just("b"), Just("c")]),
        prop::option::of(prop_oneof![Just("x"), Just("y")]),
        prop_oneof![Just(80), Just(8080)],
        prop_oneof![Just("10.1.2.3"), Just("192.0.2.5")],
    )
        .prop_map(move |(namespace, app, tier, http, ip)| {
            let mut labels = BTreeMap::new();
            if let Some(app) = app {
                labels.insert("app", app);
            }
            if let Some(tier) = tier {
                labels.insert("tier", tier);
            }
            serde_json::from_value(json!({
                "metadata": {"name": name, "namespace": namespace, "labels": labels},
                "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": http}]}]},
                "status": {"podIP": ip, "podIPs": [{"ip": ip}]},
            }))
            .unwrap()
        })
}

/// The source: a pod, or an address in or out of the generated CIDRs.
#[derive(Clone, Debug)]
enum Source {
    Pod(Box<Pod>),
    Address(IpAddr),
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        pod("src").prop_map(|pod| Source::Pod(Box::new(pod))),
        prop_oneof![Just("10.1.2.3"), Just("10.200.0.1"), Just("192.0.2.1")]
            .prop_map(|ip| Source::Address(ip.parse().unwrap())),
    ]
}

fn connection() -> impl Strategy<Value = (u16, Protocol)> {
    (
        prop_oneof![
            Just(80),
            Just(443),
            Just(8080),
            Just(8500),
            Just(53),
            Just(9001)
        ],
        prop_oneof![
            Just(Protocol::Tcp),
            Just(Protocol::Udp),
            Just(Protocol::Sctp)
        ],
    )
}

struct Ends {
    src: Source,
    dst: Pod,
    src_ns: BTreeMap<String, String>,
    dst_ns: BTreeMap<String, String>,
}

impl Ends {
    fn new(src: Source, dst: Pod) -> Self {
        let ns = |pod: &Pod| namespace_labels(pod.metadata.namespace.as_deref().unwrap());
        let src_ns = match &src {
            Source::Pod(pod) => ns(pod),
            Source::Address(_) => BTreeMap::new(),
        };
        let dst_ns = ns(&dst);
        Ends {
            src,
            dst,
            src_ns,
            dst_ns,
        }
    }

    fn src(&self) -> Peer<'_> {
        match &self.src {
            Source::Pod(pod) => Peer::pod(pod, &self.src_ns),
            Source::Address(ip) => Peer::External(*ip),
        }
    }

    fn dst(&self) -> Peer<'_> {
        Peer::pod(&self.dst, &self.dst_ns)
    }
}

/// Whether `policy` selects `pod` for `direction`, computed from the API
/// text directly rather than through the crate's evaluation.
fn selects(policy: &NetworkPolicy, pod: &Pod, direction: Direction) -> bool {
    let spec = policy.spec.as_ref().unwrap();
    let affects = match spec.policy_types.as_deref() {
        Some(types) if !types.is_empty() => types.iter().any(|t| t == direction.as_str()),
        _ => direction == Direction::Ingress || spec.egress.as_ref().is_some_and(|e| !e.is_empty()),
    };
    let no_labels = BTreeMap::new();
    affects
        && policy.metadata.namespace == pod.metadata.namespace
        && spec.pod_selector.as_ref().is_none_or(|s| {
            label_selector_matches(s, pod.metadata.labels.as_ref().unwrap_or(&no_labels))
        })
}

fn admitted_by(decision: &DirectionDecision, name: &str) -> bool {
    decision
        .admitting
        .iter()
        .any(|rule| rule.policy.name == name)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_new_policy_admits_only_through_its_own_rules(
        before in policies(),
        extra in policy("extra".into()),
        src in source(),
        dst in pod("dst"),
        (port, protocol) in connection(),
    ) {
        let ends = Ends::new(src, dst);
        let mut after = before.clone();
        after.push(extra.clone());
        let old = evaluate(&before, &ends.src(), &ends.dst(), port, protocol);
        let new = evaluate(&after, &ends.src(), &ends.dst(), port, protocol);
        if !old.ingress.allowed && new.ingress.allowed {
            prop_assert!(selects(&extra, &ends.dst, Direction::Ingress));
            prop_assert!(admitted_by(&new.ingress, "extra"), "{new:#?}");
        }
        if !old.egress.allowed && new.egress.allowed {
            let Source::Pod(src_pod) = &ends.src else { unreachable!("addresses have no egress policies") };
            prop_assert!(selects(&extra, src_pod, Direction::Egress));
            prop_assert!(admitted_by(&new.egress, "extra"), "{new:#?}");
        }
        if !old.allowed && new.allowed {
            prop_assert!(admitted_by(&new.ingress, "extra") || admitted_by(&new.egress, "extra"));
        }
    }

    #[test]
    fn a_pod_no_policy_selects_for_ingress_is_admitted(
        policies in policies(),
        src in source(),
        dst in pod("dst"),
        (port, protocol) in connection(),
    ) {
        let ends = Ends::new(src, dst);
        let decision = evaluate(&policies, &ends.src(), &ends.dst(), port, protocol);
        if !policies.iter().any(|p| selects(p, &ends.dst, Direction::Ingress)) {
            prop_assert!(decision.ingress.allowed);
            prop_assert_eq!(decision.ingress.basis, Basis::NotIsolated);
            prop_assert!(decision.ingress.selecting.is_empty());
        } else {
            prop_assert!(!decision.ingress.selecting.is_empty());
        }
    }

    #[test]
    fn point_and_set_evaluation_agree(
        policies in policies(),
        src in source(),
        dst in pod("dst"),
        (port, protocol) in connection(),
    ) {
        let ends = Ends::new(src, dst);
        let decision = evaluate(&policies, &ends.src(), &ends.dst(), port, protocol);
        let set = allowed_connections(&policies, &ends.src(), &ends.dst());
        prop_assert_eq!(decision.allowed, set.contains(protocol, port), "{} vs {:#?}", set, decision);
        // A denied direction explains every selecting policy.
        for direction in [&decision.egress, &decision.ingress] {
            if !direction.allowed {
                prop_assert_eq!(direction.rejections.len(), direction.selecting.len());
                let explained = direction.rejections.iter().all(|r| match &r.cause {
                    kreach_netpol::RejectionCause::NoRules => true,
                    kreach_netpol::RejectionCause::RulesMiss { rules, .. } => !rules.is_empty(),
                });
                prop_assert!(explained);
            }
        }
    }
}
