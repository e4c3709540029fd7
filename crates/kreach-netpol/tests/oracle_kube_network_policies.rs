//! Oracle: kubernetes-sigs/kube-network-policies, the table-driven tests of
//! `pkg/networkpolicy/networkpolicy_test.go` (Apache-2.0), transcribed to
//! `tests/oracles/kube-network-policies/packet_cases.yaml` — see
//! `tests/oracles/SOURCES.md` for commit and credit.
//!
//! kube-network-policies is a dataplane: it matches `ipBlock` against pod
//! addresses too. The cases run with [`IpBlockScope::AlsoPodIps`], its
//! reading; the test also shows which cases the default (netpol-analyzer's
//! "ipBlock is for cluster-external addresses") answers differently, so the
//! choice stays visible.

mod common;

use std::collections::BTreeMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kreach_netpol::{IpBlockScope, Options, Peer, PolicySet, Protocol};
use serde_json::{Value, json};

struct Fixtures {
    namespaces: BTreeMap<String, BTreeMap<String, String>>,
    pods: Vec<Pod>,
    policies: BTreeMap<String, NetworkPolicy>,
}

/// `makePod(name, ns, ip)` upstream: labels as given, one container port
/// `http` = 80/TCP, `status.podIP` = ip.
fn make_pod(name: &str, namespace: &str, ip: &str, labels: &Value, ports: &Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {"containers": [{"name": "write-pod", "ports": ports}]},
        "status": {"podIP": ip, "podIPs": [{"ip": ip}]},
    }))
    .expect("pod")
}

fn policy(value: &Value) -> NetworkPolicy {
    serde_json::from_value(value.clone()).expect("policy decodes")
}

fn load() -> (Value, Fixtures) {
    let path = common::oracle_dir().join("kube-network-policies/packet_cases.yaml");
    let doc: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let fixtures = &doc["fixtures"];
    let namespaces = fixtures["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ns| {
            let labels = serde_json::from_value(ns["labels"].clone()).unwrap();
            (ns["name"].as_str().unwrap().to_string(), labels)
        })
        .collect();
    let ports = &fixtures["container_ports_all_pods"];
    let pods = fixtures["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            make_pod(
                p["name"].as_str().unwrap(),
                p["namespace"].as_str().unwrap(),
                p["ip"].as_str().unwrap(),
                &p["labels"],
                ports,
            )
        })
        .collect();
    let policies = doc["policies"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| (key.clone(), policy(value)))
        .collect();
    (
        doc.clone(),
        Fixtures {
            namespaces,
            pods,
            policies,
        },
    )
}

static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

/// An address is the pod that has it, else an external peer (upstream looks
/// pods up by IP the same way). Namespace "blocked" is not in the store
/// upstream: its labels are unknown, so empty here.
fn peer<'a>(fixtures: &'a Fixtures, ip: &str) -> Peer<'a> {
    let addr: IpAddr = ip.parse().unwrap();
    match fixtures
        .pods
        .iter()
        .find(|pod| pod.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip))
    {
        Some(pod) => {
            let ns = pod.metadata.namespace.as_deref().unwrap();
            Peer::Pod {
                pod,
                namespace_labels: fixtures.namespaces.get(ns).unwrap_or(&NO_LABELS),
            }
        }
        None => Peer::External(addr),
    }
}

fn protocol(value: &Value) -> Protocol {
    value.as_str().unwrap_or("TCP").parse().unwrap()
}

#[derive(Default)]
struct Tally {
    passed: Vec<String>,
    failed: Vec<String>,
    excluded: Vec<String>,
}

#[test]
fn packet_cases() {
    let (doc, fixtures) = load();
    let mut tally = Tally::default();
    let mut differ_by_default = Vec::new();
    let kube_np = Options {
        ip_block_scope: IpBlockScope::AlsoPodIps,
        ..Options::default()
    };
    for case in doc["packet_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap().to_string();
        let policies: Vec<NetworkPolicy> = case["policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|key| fixtures.policies[key.as_str().unwrap()].clone())
            .collect();
        let src = peer(&fixtures, case["src"].as_str().unwrap());
        let dst = peer(&fixtures, case["dst"].as_str().unwrap());
        let port = case["dport"].as_u64().unwrap() as u16;
        let proto = protocol(&case["proto"]);
        let want = case["expect"].as_str().unwrap() == "allow";
        let got = PolicySet::new(&policies)
            .with_options(kube_np)
            .evaluate(&src, &dst, port, proto);
        let by_default = PolicySet::new(&policies).evaluate(&src, &dst, port, proto);
        if case.get("caveat").is_some() {
            // "allow all override deny ingress": the policy has `ingress: []`,
            // which the API documents as "does not allow any traffic"; upstream
            // expects allow. We follow the API, and say so here.
            assert!(!got.allowed, "{name}: an empty ingress list must deny");
            tally.excluded.push(format!(
                "{name} (caveat: `ingress: []` is deny-all by the API; upstream expects allow)"
            ));
            continue;
        }
        if by_default.allowed != want {
            differ_by_default.push(name.clone());
        }
        if got.allowed == want {
            tally.passed.push(name);
        } else {
            tally
                .failed
                .push(format!("{name}: want {want}, got {got:#?}"));
        }
    }
    report("kube-network-policies packet cases", &tally);
    // The two cases where an ipBlock covers a pod's address: only the
    // pod-IP reading admits them.
    assert_eq!(
        differ_by_default,
        ["ip block override deny ingress", "multiport allow egress"],
        "cases whose answer depends on IpBlockScope"
    );
}

fn selecting_policy(rule: Value) -> NetworkPolicy {
    policy(&json!({
        "metadata": {"name": "under-test", "namespace": "b"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [rule]},
    }))
}

#[test]
fn ip_block_cases() {
    let (doc, _) = load();
    let ports = json!([{"name": "http", "containerPort": 80, "protocol": "TCP"}]);
    let pod = make_pod("a", "b", "192.168.1.1", &json!({"a": "b"}), &ports);
    let mut tally = Tally::default();
    for case in doc["ipblock_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap().to_string();
        // Upstream's "empty" case passes a nil ipBlock and a nil IP to the
        // matcher: "no ipBlock constraint". The rule-level equivalent is a
        // rule without `from`, which admits any address.
        let rule = if case["ipBlock"].is_null() {
            json!({})
        } else {
            json!({"from": [{"ipBlock": case["ipBlock"].clone()}]})
        };
        let ip: IpAddr = case["ip"].as_str().unwrap_or("192.0.2.1").parse().unwrap();
        let policies = [selecting_policy(rule)];
        let got = kreach_netpol::evaluate(
            &policies,
            &Peer::External(ip),
            &Peer::Pod {
                pod: &pod,
                namespace_labels: &NO_LABELS,
            },
            80,
            Protocol::Tcp,
        );
        let want = case["want"].as_bool().unwrap();
        if got.allowed == want {
            tally.passed.push(name);
        } else {
            tally
                .failed
                .push(format!("{name}: want {want}, got {}", got.allowed));
        }
    }
    report("kube-network-policies ipBlock cases", &tally);
}

#[test]
fn port_cases() {
    let (doc, _) = load();
    let mut tally = Tally::default();
    for case in doc["port_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap().to_string();
        let ports = if case["dest_pod_ports"].is_null() {
            json!([{"name": "http", "containerPort": 80, "protocol": "TCP"}])
        } else {
            case["dest_pod_ports"].clone()
        };
        let pod = make_pod("a", "b", "192.168.1.1", &json!({"a": "b"}), &ports);
        let rule_ports = case["ports"].clone();
        let rule = if rule_ports.as_array().is_some_and(|p| p.is_empty()) {
            json!({"ports": []})
        } else {
            json!({"ports": rule_ports})
        };
        let policies = [selecting_policy(rule)];
        // Upstream's "empty" case has no port at all; any port shows it.
        let port = case["port"].as_u64().unwrap_or(80) as u16;
        let got = kreach_netpol::evaluate(
            &policies,
            &Peer::External("10.0.0.1".parse().unwrap()),
            &Peer::Pod {
                pod: &pod,
                namespace_labels: &NO_LABELS,
            },
            port,
            protocol(&case["protocol"]),
        );
        let want = case["want"].as_bool().unwrap();
        if got.allowed == want {
            tally.passed.push(name);
        } else {
            tally
                .failed
                .push(format!("{name}: want {want}, got {got:#?}"));
        }
    }
    report("kube-network-policies port cases", &tally);
}

fn report(what: &str, tally: &Tally) {
    let evaluated = tally.passed.len() + tally.failed.len();
    println!(
        "{what}: {} of {evaluated} pass, {} excluded",
        tally.passed.len(),
        tally.excluded.len()
    );
    for excluded in &tally.excluded {
        println!("  excluded: {excluded}");
    }
    assert!(
        tally.failed.is_empty(),
        "{what} failures:\n{}",
        tally.failed.join("\n")
    );
}
