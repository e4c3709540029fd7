//! One test (or pair: fires / stays silent) per point of the
//! `networking.k8s.io/v1` NetworkPolicy semantics, named for the point.

use std::collections::BTreeMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyIngressRule};
use kreach_netpol::{
    Admitted, Basis, Decision, Direction, Invalid, IpBlockScope, Options, OtherEnd, Peer,
    PeerMismatch, PeerScope, PolicyRef, PolicySet, PortScope, Protocol, Rejection, RejectionCause,
    RequirementProblem, RuleMiss, RuleNote, RuleRef, admitted_external_ranges, allowed_connections,
    evaluate, label_selector_matches, minimal_ingress_rule, selector_text,
};
use serde_json::{Value, json};

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A pod with container ports `http` 8080/TCP and `dns` 53/UDP.
fn pod(namespace: &str, name: &str, pod_labels: &[(&str, &str)]) -> Pod {
    pod_with(namespace, name, pod_labels, json!({}))
}

fn pod_with(namespace: &str, name: &str, pod_labels: &[(&str, &str)], status: Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": namespace, "labels": labels(pod_labels)},
        "spec": {"containers": [{"name": "main", "ports": [
            {"name": "http", "containerPort": 8080},
            {"name": "dns", "containerPort": 53, "protocol": "UDP"},
        ]}]},
        "status": status,
    }))
    .unwrap()
}

fn policy(namespace: &str, name: &str, spec: Value) -> NetworkPolicy {
    serde_json::from_value(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }))
    .unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

static NONE: BTreeMap<String, String> = BTreeMap::new();

fn p(pod: &Pod) -> Peer<'_> {
    Peer::pod(pod, &NONE)
}

fn tcp(policies: &[NetworkPolicy], src: Peer<'_>, dst: Peer<'_>, port: u16) -> Decision {
    evaluate(policies, &src, &dst, port, Protocol::Tcp)
}

fn policy_ref(namespace: &str, name: &str) -> PolicyRef {
    PolicyRef {
        namespace: namespace.into(),
        name: name.into(),
    }
}

// ------------------------------------------------------------ policyTypes

#[test]
fn policy_types_default_to_ingress_only_without_egress_rules() {
    let web = pod("shop", "web", &[("app", "web")]);
    let policies = [policy(
        "shop",
        "ingress-only",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 443}]}]}),
    )];
    let out = tcp(&policies, p(&web), Peer::External(ip("203.0.113.9")), 25);
    assert!(
        out.allowed,
        "egress is not isolated by an ingress-only policy"
    );
    assert_eq!(out.egress.basis, Basis::NotIsolated);
}

#[test]
fn policy_types_default_adds_egress_when_egress_rules_exist() {
    let web = pod("shop", "web", &[("app", "web")]);
    let policies = [policy(
        "shop",
        "egress-rules",
        json!({"podSelector": {}, "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}),
    )];
    let out = tcp(&policies, p(&web), Peer::External(ip("203.0.113.9")), 443);
    assert!(!out.allowed);
    assert_eq!(out.egress.selecting, [policy_ref("shop", "egress-rules")]);
    // ...and Ingress too, with no ingress rules: it denies all ingress.
    let out = tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 443);
    assert!(!out.allowed);
    assert_eq!(out.ingress.rejections[0].cause, RejectionCause::NoRules);
    assert_eq!(out.ingress.rejections[0].direction, Direction::Ingress);
}

#[test]
fn policy_types_default_ignores_an_empty_egress_list() {
    let web = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "egress": []}),
    )];
    assert!(tcp(&policies, p(&web), Peer::External(ip("203.0.113.9")), 443).allowed);
}

#[test]
fn explicit_egress_type_without_rules_denies_all_egress_only() {
    let web = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "deny-egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    )];
    let out = tcp(&policies, p(&web), Peer::External(ip("203.0.113.9")), 443);
    assert!(!out.allowed);
    assert_eq!(out.egress.rejections[0].cause, RejectionCause::NoRules);
    assert_eq!(out.egress.rejections[0].direction, Direction::Egress);
    assert!(tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 443).allowed);
}

#[test]
fn policy_without_spec_denies_all_ingress_like_the_api_default() {
    let web = pod("shop", "web", &[]);
    let bare: NetworkPolicy =
        serde_json::from_value(json!({"metadata": {"name": "bare", "namespace": "shop"}})).unwrap();
    assert!(
        !tcp(
            std::slice::from_ref(&bare),
            Peer::External(ip("203.0.113.9")),
            p(&web),
            80
        )
        .allowed
    );
    assert!(tcp(&[bare], p(&web), Peer::External(ip("203.0.113.9")), 80).allowed);
}

// ------------------------------------------------------- which pods a policy selects

#[test]
fn empty_pod_selector_selects_every_pod_of_its_namespace_only() {
    let web = pod("shop", "web", &[("app", "web")]);
    let other = pod("blog", "web", &[("app", "web")]);
    let policies = [policy("shop", "deny", json!({"podSelector": {}}))];
    let client = Peer::External(ip("203.0.113.9"));
    assert!(!tcp(&policies, client, p(&web), 80).allowed);
    let out = tcp(&policies, client, p(&other), 80);
    assert!(out.allowed);
    assert!(out.ingress.selecting.is_empty());
}

#[test]
fn absent_pod_selector_selects_every_pod() {
    let web = pod("shop", "web", &[("app", "web")]);
    let policies = [policy("shop", "deny", json!({"policyTypes": ["Ingress"]}))];
    assert!(!tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 80).allowed);
}

#[test]
fn pod_selector_selects_by_labels() {
    let web = pod("shop", "web", &[("app", "web")]);
    let db = pod("shop", "db", &[("app", "db")]);
    let policies = [policy(
        "shop",
        "deny-db",
        json!({"podSelector": {"matchLabels": {"app": "db"}}}),
    )];
    let client = Peer::External(ip("203.0.113.9"));
    assert!(tcp(&policies, client, p(&web), 80).allowed);
    assert!(!tcp(&policies, client, p(&db), 80).allowed);
}

// -------------------------------------------------------------- rules and peers

#[test]
fn empty_ingress_list_denies_all_but_an_empty_rule_admits_all() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("203.0.113.9"));
    let deny = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": []}),
    )];
    assert!(!tcp(&deny, client, p(&web), 80).allowed);
    let allow = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{}]}),
    )];
    assert!(tcp(&allow, client, p(&web), 80).allowed);
}

#[test]
fn absent_or_empty_from_admits_every_source() {
    let web = pod("shop", "web", &[]);
    let other_ns = pod("blog", "client", &[("app", "x")]);
    for rule in [
        json!({"ports": [{"port": 8080}]}),
        json!({"from": [], "ports": [{"port": 8080}]}),
    ] {
        let policies = [policy(
            "shop",
            "p",
            json!({"podSelector": {}, "ingress": [rule]}),
        )];
        assert!(tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 8080).allowed);
        assert!(tcp(&policies, p(&other_ns), p(&web), 8080).allowed);
        assert!(!tcp(&policies, p(&other_ns), p(&web), 9090).allowed);
    }
}

#[test]
fn absent_or_empty_ports_admit_every_port_and_protocol() {
    let web = pod("shop", "web", &[]);
    for rule in [json!({}), json!({"ports": []})] {
        let policies = [policy(
            "shop",
            "p",
            json!({"podSelector": {}, "ingress": [rule]}),
        )];
        let client = Peer::External(ip("203.0.113.9"));
        assert!(allowed_connections(&policies, &client, &p(&web)).is_all());
    }
}

#[test]
fn peer_pod_selector_alone_means_the_policy_namespace() {
    let web = pod("shop", "web", &[]);
    let same_ns = pod("shop", "frontend", &[("app", "frontend")]);
    let other_ns = pod("blog", "frontend", &[("app", "frontend")]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}]}]}),
    )];
    assert!(tcp(&policies, p(&same_ns), p(&web), 80).allowed);
    assert!(!tcp(&policies, p(&other_ns), p(&web), 80).allowed);
    assert!(!tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 80).allowed);
}

#[test]
fn peer_namespace_selector_alone_means_all_pods_of_those_namespaces() {
    let web = pod("shop", "web", &[]);
    let monitoring = pod("mon", "prometheus", &[]);
    let blog = pod("blog", "frontend", &[]);
    let mon_labels = labels(&[("team", "ops")]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}}]}]}),
    )];
    assert!(tcp(&policies, Peer::pod(&monitoring, &mon_labels), p(&web), 80).allowed);
    assert!(!tcp(&policies, p(&blog), p(&web), 80).allowed);
    assert!(!tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 80).allowed);
}

#[test]
fn empty_namespace_selector_means_every_pod_but_no_address() {
    let web = pod("shop", "web", &[]);
    let blog = pod("blog", "frontend", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]}),
    )];
    assert!(tcp(&policies, p(&blog), p(&web), 80).allowed);
    assert!(!tcp(&policies, Peer::External(ip("203.0.113.9")), p(&web), 80).allowed);
}

#[test]
fn pod_and_namespace_selector_in_one_peer_are_anded_in_two_peers_ored() {
    let web = pod("shop", "web", &[]);
    let ops_frontend = pod("mon", "frontend", &[("app", "frontend")]);
    let ops_other = pod("mon", "other", &[("app", "other")]);
    let blog_frontend = pod("blog", "frontend", &[("app", "frontend")]);
    let ops = labels(&[("team", "ops")]);
    let and = [policy(
        "shop",
        "and",
        json!({"podSelector": {}, "ingress": [{"from": [{
            "namespaceSelector": {"matchLabels": {"team": "ops"}},
            "podSelector": {"matchLabels": {"app": "frontend"}},
        }]}]}),
    )];
    assert!(tcp(&and, Peer::pod(&ops_frontend, &ops), p(&web), 80).allowed);
    assert!(!tcp(&and, Peer::pod(&ops_other, &ops), p(&web), 80).allowed);
    assert!(!tcp(&and, p(&blog_frontend), p(&web), 80).allowed);
    let or = [policy(
        "shop",
        "or",
        json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"team": "ops"}}},
            {"podSelector": {"matchLabels": {"app": "frontend"}}},
        ]}]}),
    )];
    assert!(tcp(&or, Peer::pod(&ops_other, &ops), p(&web), 80).allowed);
    // The pod selector alone is about the policy's namespace, not blog.
    assert!(!tcp(&or, p(&blog_frontend), p(&web), 80).allowed);
    let shop_frontend = pod("shop", "frontend", &[("app", "frontend")]);
    assert!(tcp(&or, p(&shop_frontend), p(&web), 80).allowed);
}

#[test]
fn match_expressions_in_peers() {
    let web = pod("shop", "web", &[]);
    let canary = pod("shop", "c", &[("track", "canary")]);
    let stable = pod("shop", "s", &[("track", "stable")]);
    let unlabelled = pod("shop", "u", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
            {"key": "track", "operator": "NotIn", "values": ["canary"]},
        ]}}]}]}),
    )];
    assert!(!tcp(&policies, p(&canary), p(&web), 80).allowed);
    assert!(tcp(&policies, p(&stable), p(&web), 80).allowed);
    assert!(
        tcp(&policies, p(&unlabelled), p(&web), 80).allowed,
        "NotIn matches pods without the key"
    );
    let exists = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
            {"key": "track", "operator": "Exists"},
        ]}}]}]}),
    )];
    assert!(tcp(&exists, p(&canary), p(&web), 80).allowed);
    assert!(!tcp(&exists, p(&unlabelled), p(&web), 80).allowed);
}

#[test]
fn namespace_name_label_is_added_when_missing() {
    let web = pod("shop", "web", &[]);
    let client = pod("mon", "prometheus", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "mon"}}}]}]}),
    )];
    assert!(tcp(&policies, Peer::pod(&client, &NONE), p(&web), 80).allowed);
    let blog = pod("blog", "x", &[]);
    assert!(!tcp(&policies, p(&blog), p(&web), 80).allowed);
}

// ------------------------------------------------------------------- ipBlock

fn ip_block_policy(block: Value) -> [NetworkPolicy; 1] {
    [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": block}]}]}),
    )]
}

#[test]
fn ip_block_with_except_ipv4() {
    let web = pod("shop", "web", &[]);
    let policies = ip_block_policy(json!({"cidr": "10.0.0.0/8", "except": ["10.9.0.0/16"]}));
    assert!(tcp(&policies, Peer::External(ip("10.1.2.3")), p(&web), 80).allowed);
    assert!(!tcp(&policies, Peer::External(ip("10.9.2.3")), p(&web), 80).allowed);
    assert!(!tcp(&policies, Peer::External(ip("11.0.0.1")), p(&web), 80).allowed);
}

#[test]
fn ip_block_with_except_ipv6() {
    let web = pod("shop", "web", &[]);
    let policies =
        ip_block_policy(json!({"cidr": "2001:db8::/32", "except": ["2001:db8:bad::/48"]}));
    assert!(tcp(&policies, Peer::External(ip("2001:db8:1::1")), p(&web), 80).allowed);
    assert!(
        !tcp(
            &policies,
            Peer::External(ip("2001:db8:bad::1")),
            p(&web),
            80
        )
        .allowed
    );
    assert!(!tcp(&policies, Peer::External(ip("10.0.0.1")), p(&web), 80).allowed);
}

#[test]
fn ip_block_matches_pods_only_when_asked() {
    let web = pod("shop", "web", &[]);
    let client = pod_with(
        "shop",
        "client",
        &[],
        json!({"podIP": "10.1.2.3", "podIPs": [{"ip": "10.1.2.3"}]}),
    );
    let policies = ip_block_policy(json!({"cidr": "10.0.0.0/8"}));
    let out = tcp(&policies, p(&client), p(&web), 80);
    assert!(
        !out.allowed,
        "default: ipBlock is for cluster-external addresses"
    );
    assert_eq!(
        mismatch(&out.ingress.rejections[0]),
        Some(PeerMismatch::PodNotAnAddress),
        "{:?}",
        out.ingress.rejections[0]
    );
    let options = Options {
        ip_block_scope: IpBlockScope::AlsoPodIps,
        ..Options::default()
    };
    let out = PolicySet::new(&policies).with_options(options).evaluate(
        &p(&client),
        &p(&web),
        80,
        Protocol::Tcp,
    );
    assert!(out.allowed);
}

#[test]
fn egress_ip_block_admits_addresses() {
    let web = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "192.0.2.0/24"}}]}]}),
    )];
    assert!(tcp(&policies, p(&web), Peer::External(ip("192.0.2.7")), 443).allowed);
    let out = tcp(&policies, p(&web), Peer::External(ip("198.51.100.7")), 443);
    assert!(!out.allowed);
    let rejection = &out.egress.rejections[0];
    assert_eq!(rejection.direction, Direction::Egress);
    assert_eq!(
        rejection.cause,
        RejectionCause::RulesMiss {
            rules: vec![RuleMiss {
                index: 0,
                peers: Some(vec![PeerScope::Addresses {
                    cidr: "192.0.2.0/24".into(),
                    except: vec![]
                }]),
                ports: None,
            }],
            other: OtherEnd::Address {
                ip: ip("198.51.100.7")
            },
            port: 443,
            protocol: Protocol::Tcp,
        }
    );
    assert_eq!(mismatch(rejection), Some(PeerMismatch::AddressNotInBlocks));
}

// --------------------------------------------------------------------- ports

#[test]
fn numeric_ports_and_protocol_default_to_tcp() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("203.0.113.9"));
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 443}]}]}),
    )];
    assert!(tcp(&policies, client, p(&web), 443).allowed);
    assert!(!evaluate(&policies, &client, &p(&web), 443, Protocol::Udp).allowed);
    let out = tcp(&policies, client, p(&web), 8080);
    assert!(!out.allowed);
    let cause = &out.ingress.rejections[0].cause;
    assert!(cause.ports_only(), "{cause:?}");
    let RejectionCause::RulesMiss { rules, .. } = cause else {
        panic!("{cause:?}")
    };
    assert_eq!(
        rules[0].ports,
        Some(vec![PortScope::Numbers {
            first: 443,
            last: 443,
            protocol: Protocol::Tcp
        }])
    );
}

#[test]
fn udp_and_sctp_rules_admit_only_their_protocol() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("203.0.113.9"));
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"protocol": "SCTP"}]}]}),
    )];
    assert!(evaluate(&policies, &client, &p(&web), 53, Protocol::Udp).allowed);
    assert!(!evaluate(&policies, &client, &p(&web), 53, Protocol::Tcp).allowed);
    assert!(evaluate(&policies, &client, &p(&web), 9999, Protocol::Sctp).allowed);
    assert_eq!(
        allowed_connections(&policies, &client, &p(&web)).to_string(),
        "SCTP 1-65535,UDP 53"
    );
}

#[test]
fn end_port_ranges_are_inclusive() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("203.0.113.9"));
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 8000, "endPort": 8100}]}]}),
    )];
    assert!(!tcp(&policies, client, p(&web), 7999).allowed);
    assert!(tcp(&policies, client, p(&web), 8000).allowed);
    assert!(tcp(&policies, client, p(&web), 8100).allowed);
    assert!(!tcp(&policies, client, p(&web), 8101).allowed);
}

#[test]
fn named_ingress_port_resolves_against_the_destination_by_name_and_protocol() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("203.0.113.9"));
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "http"}]}]}),
    )];
    assert!(tcp(&policies, client, p(&web), 8080).allowed);
    assert!(!tcp(&policies, client, p(&web), 80).allowed);
    // `dns` is a UDP container port: a TCP `dns` entry names nothing.
    let tcp_dns = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "dns"}]}]}),
    )];
    let out = tcp(&tcp_dns, client, p(&web), 53);
    assert!(!out.allowed);
    let RejectionCause::RulesMiss { rules, .. } = &out.ingress.rejections[0].cause else {
        panic!("{:?}", out.ingress.rejections[0])
    };
    assert_eq!(
        rules[0].ports,
        Some(vec![PortScope::Named {
            name: "dns".into(),
            protocol: Protocol::Tcp,
            resolved: Some(vec![])
        }]),
        "no TCP container port of the destination pod is named dns"
    );
    let udp_dns = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "dns", "protocol": "UDP"}]}]}),
    )];
    assert!(evaluate(&udp_dns, &client, &p(&web), 53, Protocol::Udp).allowed);
}

#[test]
fn named_egress_port_resolves_against_the_destination_pod() {
    // The source names its own port 9090 `http`; the destination's `http` is
    // 8080. Only 8080 is admitted.
    let src: Pod = serde_json::from_value(json!({
        "metadata": {"name": "client", "namespace": "shop"},
        "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 9090}]}]},
    }))
    .unwrap();
    let dst = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": "http"}]}]}),
    )];
    assert!(tcp(&policies, p(&src), p(&dst), 8080).allowed);
    assert!(!tcp(&policies, p(&src), p(&dst), 9090).allowed);
    // An address has no named ports.
    let out = tcp(&policies, p(&src), Peer::External(ip("198.51.100.1")), 8080);
    assert!(!out.allowed);
    let RejectionCause::RulesMiss { rules, .. } = &out.egress.rejections[0].cause else {
        panic!()
    };
    assert!(matches!(
        &rules[0].ports.as_ref().unwrap()[0],
        PortScope::Named { resolved: None, .. }
    ));
}

// ------------------------------------------------------ combining policies

#[test]
fn policies_union_and_the_decision_names_them() {
    let web = pod("shop", "web", &[("app", "web")]);
    let frontend = pod("shop", "frontend", &[("app", "frontend")]);
    let policies = [
        policy("shop", "deny-all", json!({"podSelector": {}})),
        policy(
            "shop",
            "allow-frontend",
            json!({"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"app": "nope"}}}]},
                {"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}], "ports": [{"port": 8080}]},
            ]}),
        ),
        policy("blog", "elsewhere", json!({"podSelector": {}})),
    ];
    let out = tcp(&policies, p(&frontend), p(&web), 8080);
    assert!(out.allowed);
    assert_eq!(out.ingress.basis, Basis::Admitted);
    assert_eq!(
        out.ingress.selecting,
        [
            policy_ref("shop", "deny-all"),
            policy_ref("shop", "allow-frontend")
        ]
    );
    assert_eq!(
        out.ingress.admitting,
        [RuleRef {
            policy: policy_ref("shop", "allow-frontend"),
            direction: Direction::Ingress,
            index: 1
        }]
    );
    assert_eq!(
        out.ingress.admitting[0].policy.to_string(),
        "NetworkPolicy/shop/allow-frontend"
    );
    assert_eq!(
        out.ingress.rejections.len(),
        1,
        "deny-all still does not admit"
    );
    assert_eq!(
        out.ingress.decided_by(),
        [policy_ref("shop", "allow-frontend")]
    );

    let out = tcp(&policies, Peer::External(ip("10.0.0.11")), p(&web), 8080);
    assert!(!out.allowed);
    assert_eq!(out.ingress.decided_by(), out.ingress.selecting);
    let rejections = &out.ingress.rejections;
    assert_eq!(rejections.len(), 2);
    assert_eq!(rejections[0].cause, RejectionCause::NoRules);
    let RejectionCause::RulesMiss {
        rules,
        other,
        port,
        protocol,
    } = &rejections[1].cause
    else {
        panic!("{:?}", rejections[1])
    };
    assert_eq!(
        (other, *port, *protocol),
        (
            &OtherEnd::Address {
                ip: ip("10.0.0.11")
            },
            8080,
            Protocol::Tcp
        )
    );
    let selectors: Vec<String> = rules
        .iter()
        .map(|miss| match miss.peers.as_deref() {
            Some(
                [
                    PeerScope::Pods {
                        pod_selector: Some(sel),
                        namespace_selector: None,
                        policy_namespace,
                    },
                ],
            ) => format!("{policy_namespace}: {}", selector_text(sel)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(selectors, ["shop: app=nope", "shop: app=frontend"]);
    assert!(rules.iter().all(|miss| miss.ports.is_none()));
}

#[test]
fn single_rule_rejection_says_what_the_rule_admits_and_why_the_source_misses() {
    let web = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "allow-frontend",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}]}]}),
    )];
    let out = tcp(&policies, Peer::External(ip("10.0.0.11")), p(&web), 8080);
    assert_eq!(
        mismatch(&out.ingress.rejections[0]),
        Some(PeerMismatch::AddressOutsideCluster)
    );
    let stranger = pod(
        "shop",
        "stranger",
        &[("app", "stranger"), ("pod-template-hash", "abc")],
    );
    let out = tcp(&policies, p(&stranger), p(&web), 8080);
    assert_eq!(
        mismatch(&out.ingress.rejections[0]),
        Some(PeerMismatch::PodDoesNotMatch)
    );
    let RejectionCause::RulesMiss { other, .. } = &out.ingress.rejections[0].cause else {
        panic!("{:?}", out.ingress.rejections[0])
    };
    assert_eq!(
        other,
        &OtherEnd::Pod {
            namespace: "shop".into(),
            name: "stranger".into(),
            labels: labels(&[("app", "stranger")]),
            namespace_labels: labels(&[("kubernetes.io/metadata.name", "shop")]),
        },
        "per-instance labels are left out"
    );
}

#[test]
fn isolation_is_per_direction_and_both_directions_must_allow() {
    let a = pod("one", "a", &[]);
    let b = pod("two", "b", &[]);
    let deny_egress_one = policy(
        "one",
        "deny-egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    );
    let deny_ingress_two = policy(
        "two",
        "deny-ingress",
        json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
    );
    let out = tcp(std::slice::from_ref(&deny_egress_one), p(&a), p(&b), 80);
    assert!(!out.allowed && !out.egress.allowed && out.ingress.allowed);
    assert!(
        tcp(std::slice::from_ref(&deny_egress_one), p(&b), p(&a), 80).allowed,
        "a's ingress is open"
    );
    let out = tcp(std::slice::from_ref(&deny_ingress_two), p(&a), p(&b), 80);
    assert!(!out.allowed && out.egress.allowed && !out.ingress.allowed);
    assert!(
        tcp(&[deny_ingress_two], p(&b), p(&a), 80).allowed,
        "b's egress is open"
    );
}

#[test]
fn addresses_have_no_policies() {
    let policies = [policy(
        "shop",
        "deny",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    )];
    let out = tcp(
        &policies,
        Peer::External(ip("192.0.2.1")),
        Peer::External(ip("192.0.2.2")),
        80,
    );
    assert!(out.allowed);
    assert_eq!(
        (out.egress.basis, out.ingress.basis),
        (Basis::NotAPod, Basis::NotAPod)
    );
}

#[test]
fn the_pods_own_node_is_always_admitted() {
    let web = pod_with(
        "shop",
        "web",
        &[],
        json!({"hostIP": "172.18.0.2", "hostIPs": [{"ip": "172.18.0.2"}]}),
    );
    let policies = [policy("shop", "deny", json!({"podSelector": {}}))];
    let out = tcp(&policies, Peer::External(ip("172.18.0.2")), p(&web), 80);
    assert!(out.allowed);
    assert_eq!(out.ingress.basis, Basis::LocalNode);
    assert!(
        !tcp(&policies, Peer::External(ip("172.18.0.3")), p(&web), 80).allowed,
        "another node"
    );
    let strict = Options {
        local_node_always_allowed: false,
        ..Options::default()
    };
    let out = PolicySet::new(&policies).with_options(strict).evaluate(
        &Peer::External(ip("172.18.0.2")),
        &p(&web),
        80,
        Protocol::Tcp,
    );
    assert!(!out.allowed);
}

#[test]
fn a_pod_reaches_itself() {
    let web = pod("shop", "web", &[]);
    let policies = [policy(
        "shop",
        "deny",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    )];
    let out = tcp(&policies, p(&web), p(&web), 80);
    assert!(out.allowed);
    assert_eq!(out.ingress.basis, Basis::SamePod);
    assert!(allowed_connections(&policies, &p(&web), &p(&web)).is_all());
}

#[test]
fn allowed_connections_intersect_egress_and_ingress() {
    let a = pod("shop", "a", &[("app", "a")]);
    let b = pod("shop", "b", &[("app", "b")]);
    let policies = [
        policy(
            "shop",
            "a-out",
            json!({"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
                   "egress": [{"ports": [{"port": 80}, {"port": 443}, {"port": 53, "protocol": "UDP"}]}]}),
        ),
        policy(
            "shop",
            "b-in",
            json!({"podSelector": {"matchLabels": {"app": "b"}}, "ingress": [{"ports": [{"port": 443}, {"port": 8000, "endPort": 9000}]}]}),
        ),
    ];
    assert_eq!(
        allowed_connections(&policies, &p(&a), &p(&b)).to_string(),
        "TCP 443"
    );
    // Neither b's egress nor a's ingress is restricted.
    assert!(allowed_connections(&policies, &p(&b), &p(&a)).is_all());
    assert_eq!(
        allowed_connections(&policies, &Peer::External(ip("203.0.113.9")), &p(&b)).to_string(),
        "TCP 443,8000-9000"
    );
}

// ----------------------------------------------------------- odd input

#[test]
fn broken_objects_admit_nothing_and_say_why() {
    let web = pod("shop", "web", &[]);
    let client = Peer::External(ip("10.0.0.1"));
    let cases = [
        (
            json!({"from": [{"ipBlock": {"cidr": "10.0.0.0"}}]}),
            Invalid::BadCidr {
                cidr: "10.0.0.0".into(),
            },
        ),
        (
            json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["bogus"]}}]}),
            Invalid::BadExcept {
                except: "bogus".into(),
            },
        ),
        (json!({"from": [{}]}), Invalid::EmptyPeer),
        (
            json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}),
            Invalid::IpBlockWithSelector,
        ),
        (
            json!({"ports": [{"port": 90, "endPort": 80}]}),
            Invalid::EndPortBelowPort {
                port: 90,
                end_port: 80,
            },
        ),
        (
            json!({"ports": [{"port": 0}]}),
            Invalid::PortOutOfRange { port: 0 },
        ),
        (
            json!({"ports": [{"port": "http", "endPort": 90}]}),
            Invalid::EndPortWithNamedPort,
        ),
        (
            json!({"ports": [{"endPort": 90}]}),
            Invalid::EndPortWithoutPort,
        ),
        (
            json!({"ports": [{"protocol": "ICMP"}]}),
            Invalid::UnknownProtocol {
                protocol: "ICMP".into(),
            },
        ),
    ];
    for (rule, why) in cases {
        let policies = [policy(
            "shop",
            "p",
            json!({"podSelector": {}, "ingress": [rule.clone()]}),
        )];
        let out = tcp(&policies, client, p(&web), 80);
        assert!(!out.allowed, "{rule}");
        assert_eq!(invalid_reasons(&out.ingress.rejections[0]), [why], "{rule}");
    }
    let bad_selector = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
            {"key": "app", "operator": "Equals", "values": ["x"]}]}}]}]}),
    )];
    let x = pod("shop", "x", &[("app", "x")]);
    let out = tcp(&bad_selector, p(&x), p(&web), 80);
    assert!(!out.allowed);
    assert_eq!(
        invalid_reasons(&out.ingress.rejections[0]),
        [Invalid::BadRequirement {
            key: "app".into(),
            operator: "Equals".into(),
            problem: RequirementProblem::UnknownOperator,
        }]
    );
}

/// The invalid peers and port entries of a rejection's rules.
fn invalid_reasons(rejection: &Rejection) -> Vec<Invalid> {
    let RejectionCause::RulesMiss { rules, .. } = &rejection.cause else {
        return vec![];
    };
    let mut out = Vec::new();
    for miss in rules {
        for peer in miss.peers.iter().flatten() {
            if let PeerScope::Invalid { reason } = peer {
                out.push(reason.clone());
            }
        }
        for port in miss.ports.iter().flatten() {
            if let PortScope::Invalid { reason } = port {
                out.push(reason.clone());
            }
        }
    }
    out
}

/// Why the far end misses the peers of a one-rule policy.
fn mismatch(rejection: &Rejection) -> Option<PeerMismatch> {
    match &rejection.cause {
        RejectionCause::RulesMiss { rules, other, .. } => match rules.as_slice() {
            [miss] => miss.peers.as_deref().map(|p| PeerMismatch::of(p, other)),
            _ => None,
        },
        RejectionCause::NoRules => None,
    }
}

#[test]
fn pods_missing_everything_do_not_panic() {
    let bare = Pod::default();
    let policies = [policy(
        "default",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "http"}]}], "egress": [{}]}),
    )];
    let out = tcp(&policies, p(&bare), p(&bare), 80);
    assert!(out.allowed, "same (unnamed) object");
    let other = Pod::default();
    let out = tcp(&policies, p(&bare), p(&other), 80);
    assert!(!out.allowed, "no container ports, so `http` names nothing");
}

// ------------------------------------------------- admitted external ranges

#[test]
fn admitted_external_ranges_follow_the_ip_blocks() {
    let web = pod("shop", "web", &[]);
    assert_eq!(
        admitted_external_ranges(&[], &web, &NONE, 80, Protocol::Tcp),
        Admitted::All
    );
    let policies = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [
            {"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/9"]}}, {"podSelector": {}}], "ports": [{"port": 80}]},
            {"from": [{"ipBlock": {"cidr": "2001:db8::/32"}}], "ports": [{"port": 80}]},
            {"ports": [{"port": 443}]},
        ]}),
    )];
    let admitted = admitted_external_ranges(&policies, &web, &NONE, 80, Protocol::Tcp);
    assert_eq!(
        admitted,
        Admitted::Only(vec![
            "10.128.0.0/9".parse().unwrap(),
            "2001:db8::/32".parse().unwrap()
        ])
    );
    assert!(admitted.contains(ip("10.200.0.1")) && !admitted.contains(ip("10.1.0.1")));
    assert_eq!(
        admitted_external_ranges(&policies, &web, &NONE, 443, Protocol::Tcp),
        Admitted::All
    );
    assert_eq!(
        admitted_external_ranges(&policies, &web, &NONE, 8080, Protocol::Tcp),
        Admitted::Only(vec![])
    );
    let pods_only = [policy(
        "shop",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]}),
    )];
    assert_eq!(
        admitted_external_ranges(&pods_only, &web, &NONE, 80, Protocol::Tcp),
        Admitted::Only(vec![])
    );
}

// ------------------------------------------------------- minimal ingress rule

#[test]
fn minimal_rule_for_an_address_is_a_host_ip_block() {
    let web = pod("shop", "web", &[]);
    let rule = minimal_ingress_rule(&Peer::External(ip("10.0.0.11")), &web, 8080, Protocol::Tcp);
    assert_eq!(
        rule.yaml,
        "- from:\n  - ipBlock:\n        cidr: \"10.0.0.11/32\"\n  ports:\n  - port: 8080\n    protocol: TCP\n"
    );
    let rule6 = minimal_ingress_rule(&Peer::External(ip("2001:db8::1")), &web, 53, Protocol::Udp);
    assert!(rule6.yaml.contains("2001:db8::1/128"), "{}", rule6.yaml);
}

#[test]
fn minimal_rule_for_a_pod_uses_its_identifying_label_and_namespace() {
    let web = pod("shop", "web", &[]);
    let client = pod(
        "front",
        "client-5d9c-x",
        &[
            ("app", "client"),
            ("pod-template-hash", "5d9c"),
            ("tier", "fe"),
        ],
    );
    let rule = minimal_ingress_rule(&p(&client), &web, 8080, Protocol::Tcp);
    assert_eq!(
        rule.yaml,
        "- from:\n  - podSelector:\n        matchLabels:\n          app: client\n    namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: front\n  ports:\n  - port: 8080\n    protocol: TCP\n"
    );
    assert_eq!(rule.note, None);
    let anonymous = pod(
        "front",
        "x",
        &[("pod-template-hash", "5d9c"), ("tier", "fe")],
    );
    let rule = minimal_ingress_rule(&p(&anonymous), &web, 8080, Protocol::Tcp);
    let from = &rule.rule.from.as_ref().unwrap()[0];
    assert_eq!(
        from.pod_selector
            .as_ref()
            .unwrap()
            .match_labels
            .as_ref()
            .unwrap(),
        &labels(&[("tier", "fe")])
    );
    let nameless = pod("front", "y", &[("pod-template-hash", "5d9c")]);
    let rule = minimal_ingress_rule(&p(&nameless), &web, 8080, Protocol::Tcp);
    assert_eq!(
        rule.note,
        Some(RuleNote::AdmitsWholeNamespace {
            source_namespace: "front".into(),
            destination_namespace: "shop".into(),
            destination: "web".into(),
        })
    );
}

#[test]
fn minimal_rule_yaml_reads_back_and_fixes_the_denial() {
    let web = pod("shop", "web", &[("app", "web")]);
    let client = pod(
        "front",
        "client",
        &[("app.kubernetes.io/name", "8080"), ("app", "client")],
    );
    let deny = policy("shop", "deny", json!({"podSelector": {}}));
    for src in [p(&client), Peer::External(ip("198.51.100.4"))] {
        assert!(!tcp(std::slice::from_ref(&deny), src, p(&web), 8080).allowed);
        let fix = minimal_ingress_rule(&src, &web, 8080, Protocol::Tcp);
        let parsed: Vec<NetworkPolicyIngressRule> = serde_saphyr::from_str(&fix.yaml).unwrap();
        assert_eq!(parsed, std::slice::from_ref(&fix.rule), "{}", fix.yaml);
        let mut fixed = policy(
            "shop",
            "fix",
            json!({"podSelector": {"matchLabels": {"app": "web"}}}),
        );
        fixed.spec.as_mut().unwrap().ingress = Some(parsed);
        let out = tcp(&[deny.clone(), fixed], src, p(&web), 8080);
        assert!(out.allowed, "{}", fix.yaml);
        assert!(!tcp(std::slice::from_ref(&deny), src, p(&web), 8080).allowed);
    }
}

#[test]
fn label_selector_helper_is_exported() {
    let sel = serde_json::from_value(json!({"matchLabels": {"app": "web"}})).unwrap();
    assert!(label_selector_matches(&sel, &labels(&[("app", "web")])));
    assert!(!label_selector_matches(&sel, &labels(&[])));
}

#[test]
fn results_serialize_for_json_reports() {
    let web = pod("shop", "web", &[]);
    let policies = [policy("shop", "deny", json!({"podSelector": {}}))];
    let out = tcp(&policies, Peer::External(ip("10.0.0.11")), p(&web), 80);
    let value = serde_json::to_value(&out).unwrap();
    assert_eq!(value["allowed"], json!(false));
    assert_eq!(value["ingress"]["basis"], json!("denied"));
    assert_eq!(
        value["ingress"]["selecting"][0],
        json!({"namespace": "shop", "name": "deny"})
    );
    assert_eq!(
        value["ingress"]["rejections"][0]["cause"],
        json!({"kind": "no_rules"})
    );
    let admitted = Admitted::Only(vec!["10.0.0.0/8".parse().unwrap()]);
    assert_eq!(
        serde_json::to_value(&admitted).unwrap(),
        json!({"kind": "only", "cidrs": ["10.0.0.0/8"]})
    );
    assert_eq!(
        serde_json::to_value(Admitted::All).unwrap(),
        json!({"kind": "all"})
    );
}
