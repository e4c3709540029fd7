//! Oracle: np-guard/netpol-analyzer (Apache-2.0, "Copyright 2023- IBM Inc."),
//! commit e54a334 — see `tests/oracles/SOURCES.md`. Inputs under
//! `tests/oracles/np-guard-netpol-analyzer/tests/<dir>` and expected outputs
//! under `test_outputs/connlist/` are copied verbatim; `eval_cases.yaml` is
//! a hand transcription of `pkg/netpol/eval/eval_test.go`.
//!
//! What runs here:
//! - `eval_cases.yaml` `basic`: point queries and allowed connection sets.
//! - connlist: for every copied input dir with a `_connlist_output.txt`,
//!   build netpol-analyzer's workload peers and external address blocks,
//!   compute each pair's connection set with this crate, print it in
//!   netpol-analyzer's syntax and compare as a set of lines.
//! - explain: each "Allowed/Denied ... due to" block of the
//!   `_explain_output.txt` files against [`evaluate`]'s verdict, admitting
//!   rules and rejections.
//! - onlineboutique `connections_map_output.txt`: 144 pod-to-pod
//!   connection sets.
//!
//! Left out, with the reason printed in the summary:
//! - `{ingress-controller}` lines and `Ingress '…'` / `Route '…'` reasons:
//!   they model an ingress controller reaching pods through Ingress and
//!   OpenShift Route objects, which is outside `networking.k8s.io/v1`
//!   NetworkPolicy (kreach's ingress checks cover that path).
//! - `eval_cases.yaml` `dir_cases` and the `anp_test_7*` dirs: they need
//!   AdminNetworkPolicy / BaselineAdminNetworkPolicy (the
//!   network-policy-api, not `networking.k8s.io/v1`), out of scope; the
//!   dir_cases inputs are not copied either.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::net::{IpAddr, Ipv4Addr};

use common::Cluster;
use ipnet::IpNet;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kreach_netpol::{
    Basis, ConnectionSet, Direction, Peer, PortScope, Protocol, RejectionCause, RuleRef,
    allowed_connections, evaluate,
};
use serde_json::Value;

const INGRESS_CONTROLLER: &str = "{ingress-controller}";

fn np_guard_dir() -> std::path::PathBuf {
    common::oracle_dir().join("np-guard-netpol-analyzer")
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    excluded: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(what());
        }
    }

    fn report(&self, what: &str) {
        let evaluated = self.passed + self.failed.len();
        println!(
            "{what}: {} of {evaluated} pass, {} excluded",
            self.passed,
            self.excluded.len()
        );
        for reason in summarize(&self.excluded) {
            println!("  excluded: {reason}");
        }
        assert!(
            self.failed.is_empty(),
            "{what} failures:\n{}",
            self.failed.join("\n")
        );
    }
}

/// Exclusion reasons with their counts.
fn summarize(reasons: &[String]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in reasons {
        *counts.entry(reason).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(reason, n)| format!("{n} × {reason}"))
        .collect()
}

// ---------------------------------------------------------------- eval_cases

#[test]
fn eval_cases_basic() {
    let text = fs::read_to_string(np_guard_dir().join("eval_cases.yaml")).unwrap();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    let basic = &doc["basic"];
    let mut docs: Vec<Value> = Vec::new();
    for ns in basic["namespaces"].as_array().unwrap() {
        docs.push(serde_json::json!({"kind": "Namespace", "metadata": {"name": ns["name"], "labels": ns["labels"]}}));
    }
    for pod in basic["pods"].as_array().unwrap() {
        let mut pod = pod.clone();
        pod["kind"] = "Pod".into();
        docs.push(pod);
    }
    docs.extend(basic["policies"].as_array().unwrap().iter().cloned());
    let cluster = Cluster::from_documents(docs);

    let peer = |name: &str| -> Peer<'_> {
        match cluster.pods.get(name) {
            Some(pod) => Peer::pod(pod, cluster.pod_namespace_labels(pod)),
            None => Peer::External(name.parse().expect("an address")),
        }
    };
    let mut tally = Tally::default();
    for case in basic["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let (src, dst) = (
            peer(case["src"].as_str().unwrap()),
            peer(case["dst"].as_str().unwrap()),
        );
        let protocol: Protocol = case["protocol"].as_str().unwrap().parse().unwrap();
        let port: u16 = case["port"].as_str().unwrap().parse().unwrap();
        let decision = evaluate(&cluster.policies, &src, &dst, port, protocol);
        let want = case["res"].as_bool().unwrap();
        tally.check(decision.allowed == want, || {
            format!("{name}: CheckIfAllowed want {want}, got {decision:#?}")
        });
        let conns = allowed_connections(&cluster.policies, &src, &dst).to_string();
        let want = case["all_conns"].as_str().unwrap();
        tally.check(conns == want, || {
            format!("{name}: AllAllowedConnections want {want:?}, got {conns:?}")
        });
    }
    for case in doc["dir_cases"].as_array().unwrap() {
        let _ = case;
        tally.excluded.push(
            "dir_cases: AdminNetworkPolicy test dirs (network-policy-api, not networking.k8s.io/v1), not copied".into(),
        );
    }
    tally.report("np-guard eval_cases (basic: CheckIfAllowed + AllAllowedConnections)");
}

// ------------------------------------------------------------------ connlist

/// netpol-analyzer splits the IPv4 space at every ipBlock boundary and
/// reports each block as one `[External]` peer: sources at the boundaries of
/// ingress rules' ipBlocks, destinations at those of egress rules'.
fn external_blocks(policies: &[NetworkPolicy], direction: Direction) -> Vec<(u32, u32)> {
    let mut starts: BTreeSet<u64> = BTreeSet::from([0]);
    let peers = policies
        .iter()
        .filter_map(|p| p.spec.as_ref())
        .flat_map(|spec| {
            let ingress = spec
                .ingress
                .iter()
                .flatten()
                .flat_map(|r| r.from.iter().flatten());
            let egress = spec
                .egress
                .iter()
                .flatten()
                .flat_map(|r| r.to.iter().flatten());
            match direction {
                Direction::Ingress => ingress.collect::<Vec<_>>(),
                Direction::Egress => egress.collect(),
            }
        });
    for block in peers.filter_map(|peer| peer.ip_block.as_ref()) {
        for cidr in std::iter::once(&block.cidr).chain(block.except.iter().flatten()) {
            if let Ok(IpNet::V4(net)) = cidr.parse::<IpNet>() {
                let net = net.trunc();
                starts.insert(u64::from(u32::from(net.network())));
                starts.insert(u64::from(u32::from(net.broadcast())) + 1);
            }
        }
    }
    starts.insert(1 << 32);
    let starts: Vec<u64> = starts.into_iter().collect();
    starts
        .windows(2)
        .map(|w| (w[0] as u32, (w[1] - 1) as u32))
        .collect()
}

fn block_name((first, last): (u32, u32)) -> String {
    format!(
        "{}-{}[External]",
        Ipv4Addr::from(first),
        Ipv4Addr::from(last)
    )
}

/// A connlist peer: a workload (index) or an external block.
#[derive(Clone, Copy)]
enum End {
    Workload(usize),
    Block((u32, u32)),
}

fn peer_of<'a>(cluster: &'a Cluster, end: End) -> Peer<'a> {
    match end {
        End::Workload(i) => {
            let pod = &cluster.workloads[i].pod;
            Peer::pod(pod, cluster.pod_namespace_labels(pod))
        }
        // Every address of a block behaves alike (blocks are cut at every
        // ipBlock boundary), so its first address stands for it.
        End::Block((first, _)) => Peer::External(IpAddr::V4(Ipv4Addr::from(first))),
    }
}

fn name_of(cluster: &Cluster, end: End) -> String {
    match end {
        End::Workload(i) => cluster.workloads[i].id.clone(),
        End::Block(block) => block_name(block),
    }
}

fn connlist(cluster: &Cluster) -> BTreeSet<String> {
    let workloads: Vec<End> = (0..cluster.workloads.len()).map(End::Workload).collect();
    let sources = external_blocks(&cluster.policies, Direction::Ingress)
        .into_iter()
        .map(End::Block);
    let destinations = external_blocks(&cluster.policies, Direction::Egress)
        .into_iter()
        .map(End::Block);
    let mut pairs: Vec<(End, End)> = Vec::new();
    for (i, &src) in workloads.iter().enumerate() {
        for (j, &dst) in workloads.iter().enumerate() {
            if i != j {
                pairs.push((src, dst));
            }
        }
    }
    pairs.extend(sources.flat_map(|src| workloads.iter().map(move |&dst| (src, dst))));
    pairs.extend(destinations.flat_map(|dst| workloads.iter().map(move |&src| (src, dst))));
    let mut lines = BTreeSet::new();
    for (src, dst) in pairs {
        let conns = allowed_connections(
            &cluster.policies,
            &peer_of(cluster, src),
            &peer_of(cluster, dst),
        );
        if !conns.is_empty() {
            lines.insert(format!(
                "{} => {} : {conns}",
                name_of(cluster, src),
                name_of(cluster, dst)
            ));
        }
    }
    lines
}

#[test]
fn connlist_outputs() {
    let dirs = [
        "demo_app_with_routes_and_ingress",
        "ipblockstest_2",
        "k8s_ingress_test",
        "netpol-analysis-example-minimal",
        "netpol_named_port_test",
        "onlineboutique",
    ];
    let mut total = Tally::default();
    for dir in dirs {
        let cluster = Cluster::load_dir(&np_guard_dir().join("tests").join(dir));
        let expected_text = fs::read_to_string(
            np_guard_dir().join(format!("test_outputs/connlist/{dir}_connlist_output.txt")),
        )
        .unwrap();
        let mut tally = Tally::default();
        let mut expected = BTreeSet::new();
        for line in expected_text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if line.contains(INGRESS_CONTROLLER) {
                tally.excluded.push(
                    "{ingress-controller} line (Ingress/Route path, not NetworkPolicy)".into(),
                );
            } else {
                expected.insert(line.to_string());
            }
        }
        let ours = connlist(&cluster);
        for line in expected.union(&ours) {
            let (want, got) = (expected.contains(line), ours.contains(line));
            tally.check(want && got, || {
                format!(
                    "{dir}: {} {line}",
                    if want { "missing" } else { "unexpected" }
                )
            });
        }
        tally.report(&format!("np-guard connlist {dir} (lines)"));
        total.passed += tally.passed;
        total.excluded.extend(tally.excluded);
    }
    total.report("np-guard connlist, all dirs (lines)");
}

/// `default/x-5d9c => default/y` pod pairs with their connection sets.
#[test]
fn onlineboutique_connections_map() {
    let dir = np_guard_dir().join("tests/onlineboutique");
    let cluster = Cluster::load_dir(&dir);
    let text = fs::read_to_string(dir.join("connections_map_output.txt")).unwrap();
    let mut tally = Tally::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // src: NS/POD, dest: NS/POD, allowed conns: SET
        let rest = line.strip_prefix("src: ").unwrap();
        let (src, rest) = rest.split_once(", dest: ").unwrap();
        let (dst, want) = rest.split_once(", allowed conns: ").unwrap();
        let (src_pod, dst_pod) = (&cluster.pods[src], &cluster.pods[dst]);
        let got = allowed_connections(
            &cluster.policies,
            &Peer::pod(src_pod, cluster.pod_namespace_labels(src_pod)),
            &Peer::pod(dst_pod, cluster.pod_namespace_labels(dst_pod)),
        )
        .to_string();
        tally.check(got == want, || {
            format!("{src} => {dst}: want {want:?}, got {got:?}")
        });
    }
    tally.report("np-guard onlineboutique connections_map (pod pairs)");
}

// ------------------------------------------------------------------- explain

/// `TCP, UDP, SCTP` / `TCP:[1-7999,8001-65535], UDP, SCTP`.
fn parse_explain_conns(text: &str) -> ConnectionSet {
    let mut set = ConnectionSet::none();
    for token in text.split(", ") {
        let (protocol, ports) = match token.split_once(":[") {
            Some((p, ports)) => (p, Some(ports.trim_end_matches(']'))),
            None => (token, None),
        };
        let protocol: Protocol = protocol.trim().parse().unwrap();
        match ports {
            None => set.insert_protocol(protocol),
            Some(ports) => {
                for range in ports.split(',') {
                    let (first, last) = range.split_once('-').unwrap_or((range, range));
                    set.insert_range(protocol, first.parse().unwrap(), last.parse().unwrap());
                }
            }
        }
    }
    set
}

/// A sample connection of a set, to ask the point evaluator about.
fn sample(set: &ConnectionSet) -> Option<(Protocol, u16)> {
    [Protocol::Tcp, Protocol::Udp, Protocol::Sctp]
        .into_iter()
        .find_map(|p| set.ranges(p).first().map(|&(first, _)| (p, first)))
}

struct DirectionClaim {
    direction: Direction,
    allowed: bool,
    system_default: bool,
    reasons: Vec<String>,
}

struct Block {
    allowed: bool,
    conns: ConnectionSet,
    directions: Vec<DirectionClaim>,
}

struct Section {
    src: String,
    dst: String,
    blocks: Vec<Block>,
}

fn parse_explain(text: &str) -> (Vec<Section>, Vec<(String, String)>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut defaults = Vec::new();
    let mut in_defaults = false;
    for line in text.lines() {
        if line.contains("All Connections due to the system default") {
            in_defaults = true;
            continue;
        }
        if in_defaults {
            if let Some((src, dst)) = line.split_once(" => ") {
                defaults.push((src.trim().to_string(), dst.trim().to_string()));
            }
            continue;
        }
        if let Some(pair) = line.strip_prefix("Connections between ") {
            let (src, dst) = pair.trim_end_matches(':').split_once(" => ").unwrap();
            sections.push(Section {
                src: src.into(),
                dst: dst.into(),
                blocks: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let depth = line.chars().take_while(|c| *c == '\t').count();
        let content = line.trim();
        match depth {
            1 => {
                let (allowed, rest) = if let Some(rest) = content.strip_prefix("Allowed ") {
                    (true, rest)
                } else {
                    (false, content.strip_prefix("Denied ").unwrap())
                };
                let conns = rest.split(" due to ").next().unwrap();
                section.blocks.push(Block {
                    allowed,
                    conns: parse_explain_conns(conns),
                    directions: Vec::new(),
                });
            }
            2 => {
                let block = section.blocks.last_mut().unwrap();
                let direction = if content.starts_with("Egress") {
                    Direction::Egress
                } else {
                    Direction::Ingress
                };
                block.directions.push(DirectionClaim {
                    direction,
                    allowed: content.contains("(Allowed)"),
                    system_default: content.contains("system default"),
                    reasons: Vec::new(),
                });
            }
            3 => {
                let block = section.blocks.last_mut().unwrap();
                block
                    .directions
                    .last_mut()
                    .unwrap()
                    .reasons
                    .push(content.to_string());
            }
            _ => {}
        }
    }
    (sections, defaults)
}

/// `NetworkPolicy 'ns/name' …` → (ns, name).
fn policy_named(reason: &str) -> Option<(String, String)> {
    let rest = reason.strip_prefix("NetworkPolicy '")?;
    let (full, _) = rest.split_once('\'')?;
    let (ns, name) = full.split_once('/')?;
    Some((ns.into(), name.into()))
}

/// `… rule #N …` → N-1.
fn rule_index(reason: &str) -> Option<usize> {
    let (_, rest) = reason.split_once("rule #")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<usize>().ok().map(|n| n - 1)
}

fn find_end(cluster: &Cluster, name: &str) -> Option<End> {
    if let Some(i) = cluster.workloads.iter().position(|w| w.id == name) {
        return Some(End::Workload(i));
    }
    let range = name.strip_suffix("[External]")?;
    let (first, last) = range.split_once('-')?;
    let (first, last): (Ipv4Addr, Ipv4Addr) = (first.parse().ok()?, last.parse().ok()?);
    Some(End::Block((u32::from(first), u32::from(last))))
}

fn check_claim(
    claim: &DirectionClaim,
    decision: &kreach_netpol::DirectionDecision,
    tally: &mut Tally,
    context: &str,
) {
    let context = format!("{context} {:?}", claim.direction);
    tally.check(decision.allowed == claim.allowed, || {
        format!(
            "{context}: allowed want {}, got {decision:#?}",
            claim.allowed
        )
    });
    if claim.system_default {
        tally.check(
            matches!(decision.basis, Basis::NotAPod | Basis::NotIsolated),
            || format!("{context}: system default, but basis {:?}", decision.basis),
        );
    }
    for reason in &claim.reasons {
        if reason.starts_with("Ingress '") || reason.starts_with("Route '") {
            tally
                .excluded
                .push("reason names an Ingress/Route (ingress-controller path)".into());
            continue;
        }
        let Some((namespace, name)) = policy_named(reason) else {
            tally
                .failed
                .push(format!("{context}: unrecognised reason {reason:?}"));
            continue;
        };
        let is_policy = |r: &kreach_netpol::PolicyRef| r.namespace == namespace && r.name == name;
        if reason.contains(" allows connections by ") {
            let want = rule_index(reason).map(|index| RuleRef {
                policy: kreach_netpol::PolicyRef {
                    namespace: namespace.clone(),
                    name: name.clone(),
                },
                direction: claim.direction,
                index,
            });
            tally.check(
                want.is_some_and(|w| decision.admitting.contains(&w)),
                || {
                    format!(
                        "{context}: {reason:?} but admitting = {:?}",
                        decision.admitting
                    )
                },
            );
            continue;
        }
        let rejection = decision.rejections.iter().find(|r| is_policy(&r.policy));
        let ok = match rejection.map(|r| &r.cause) {
            None => false,
            Some(RejectionCause::NoRules) => reason.contains("(no rules defined)"),
            Some(RejectionCause::RulesMiss { rules, .. })
                if reason.contains("named ports of the rule have no match") =>
            {
                let index = rule_index(reason);
                rules.iter().any(|miss| {
                    Some(miss.index) == index
                        && miss.peers.is_none()
                        && miss
                            .ports
                            .iter()
                            .flatten()
                            .any(|p| matches!(p, PortScope::Named { .. }))
                })
            }
            Some(RejectionCause::RulesMiss { rules, .. }) => {
                reason.contains("is not allowed by any")
                    && rules.iter().all(|miss| miss.peers.is_some())
            }
        };
        tally.check(ok, || {
            format!(
                "{context}: {reason:?} but rejections = {:#?}",
                decision.rejections
            )
        });
    }
}

#[test]
fn explain_outputs() {
    let dirs = [
        "demo_app_with_routes_and_ingress",
        "exposure_allow_all_two_workloads_test",
        "netpol_named_port_test",
    ];
    let mut total = Tally::default();
    for dir in dirs {
        let cluster = Cluster::load_dir(&np_guard_dir().join("tests").join(dir));
        let text = fs::read_to_string(
            np_guard_dir().join(format!("test_outputs/connlist/{dir}_explain_output.txt")),
        )
        .unwrap();
        let (sections, defaults) = parse_explain(&text);
        let mut tally = Tally::default();
        for section in &sections {
            if section.src == INGRESS_CONTROLLER || section.dst == INGRESS_CONTROLLER {
                tally.excluded.extend(
                    section
                        .blocks
                        .iter()
                        .map(|_| "{ingress-controller} section (Ingress/Route path)".into()),
                );
                continue;
            }
            let (src, dst) = (
                find_end(&cluster, &section.src).expect("explain source is a known peer"),
                find_end(&cluster, &section.dst).expect("explain destination is a known peer"),
            );
            let (src, dst) = (peer_of(&cluster, src), peer_of(&cluster, dst));
            let ours = allowed_connections(&cluster.policies, &src, &dst);
            for block in &section.blocks {
                let context = format!("{dir}: {} => {}", section.src, section.dst);
                // The block's connections are allowed (or denied) as a whole.
                let consistent = if block.allowed {
                    block.conns.intersection(&ours) == block.conns
                } else {
                    block.conns.intersection(&ours).is_empty()
                };
                tally.check(consistent, || {
                    format!(
                        "{context}: {} {} but ours is {ours}",
                        if block.allowed { "allowed" } else { "denied" },
                        block.conns
                    )
                });
                let Some((protocol, port)) = sample(&block.conns) else {
                    continue;
                };
                let decision = evaluate(&cluster.policies, &src, &dst, port, protocol);
                for claim in &block.directions {
                    let ours = match claim.direction {
                        Direction::Egress => &decision.egress,
                        Direction::Ingress => &decision.ingress,
                    };
                    check_claim(claim, ours, &mut tally, &context);
                }
            }
        }
        for (src, dst) in &defaults {
            let (Some(src), Some(dst)) = (find_end(&cluster, src), find_end(&cluster, dst)) else {
                tally
                    .failed
                    .push(format!("{dir}: unknown pair {src} => {dst}"));
                continue;
            };
            let (src, dst) = (peer_of(&cluster, src), peer_of(&cluster, dst));
            let decision = evaluate(&cluster.policies, &src, &dst, 80, Protocol::Tcp);
            let unrestricted = |d: &kreach_netpol::DirectionDecision| {
                matches!(d.basis, Basis::NotAPod | Basis::NotIsolated)
            };
            tally.check(
                allowed_connections(&cluster.policies, &src, &dst).is_all()
                    && unrestricted(&decision.egress)
                    && unrestricted(&decision.ingress),
                || format!("{dir}: system-default pair is restricted: {decision:#?}"),
            );
        }
        tally.report(&format!("np-guard explain {dir} (claims)"));
        total.passed += tally.passed;
        total.excluded.extend(tally.excluded);
    }
    total.report("np-guard explain, all dirs (claims)");
}
