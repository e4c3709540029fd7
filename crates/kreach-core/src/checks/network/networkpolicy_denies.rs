//! The `networkpolicy-denies` check: NetworkPolicies drop the traffic that really reaches the pods.
//!
//! Its explanation (what `kreach explain networkpolicy-denies` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/networkpolicy-denies/`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kreach_netpol::{
    Admitted, IpBlockScope, Peer, PolicyRef, PolicySet, Protocol, minimal_ingress_rule,
};

use crate::checks::util::protocol_of;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::network::Evidence;
use crate::object::{MetaExt, ObjectRef};
use crate::snapshot::Kind;
use crate::traffic::{Leg, LegKind, NodeSource, Source, legs};
use crate::workload::is_ready;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A policy selects destination pods of a leg and admits none of the
    /// traffic that arrives there (shown: the first denied connection).
    AdmitsNone {
        policy: PolicyRef,
        /// The denied destination pods (sorted).
        pods: Vec<String>,
        /// The hop of the path.
        leg: LegKind,
        /// Who the traffic arriving at the pods is.
        source: Arriving,
        port: u16,
        protocol: Protocol,
    },
    /// The client's address is unknown and the policies admit external
    /// clients only from these ranges (info).
    ExternalClientsOnlyFrom { ranges: Vec<String> },
}

/// Who the traffic arriving at a pod is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Arriving {
    /// The client, by its address (`--from`).
    Client { ip: IpAddr },
    /// Any client outside the cluster (the address is unknown).
    AnyExternalClient,
    /// The entry nodes' addresses after kube-proxy's SNAT (every denied
    /// candidate).
    SnatNodeAddresses { addresses: Vec<NodeSource> },
    /// An ingress controller pod.
    ControllerPod { namespace: String, name: String },
}

declare_check! {
    /// ## What it checks
    /// NetworkPolicies selecting the destination pods, evaluated for the
    /// traffic that really arrives: the client's own address (direct to a
    /// pod, or `externalTrafficPolicy: Local`), the entry node's address
    /// after kube-proxy's SNAT (`externalTrafficPolicy: Cluster`: its
    /// InternalIP or the CNI's gateway address), or the ingress
    /// controller's pods (through an Ingress) — on the port the pod
    /// listens on, named ports resolved.
    ///
    /// ## Why it breaks reachability
    /// Once a policy selects a pod for ingress, only what some policy admits
    /// gets in; the rest is dropped silently (connections time out). A
    /// policy written for "the frontend pods" does not admit the ingress
    /// controller, and one written for client addresses does not admit the
    /// node addresses that SNAT produces.
    ///
    /// ## How to fix
    /// Add an ingress rule that admits the real source (kreach prints a
    /// minimal one), or change `externalTrafficPolicy` so that the source is
    /// what the policy expects.
    ///
    /// ## Example
    /// Admit ingress-nginx to the web pods:
    /// `kubectl -n shop patch networkpolicy web --type json -p '[{"op":"add","path":"/spec/ingress/-","value":{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}},"podSelector":{"matchLabels":{"app.kubernetes.io/name":"ingress-nginx"}}}]}}]'`
    pub static CHECK = {
        name: "networkpolicy-denies",
        layer: Network,
        needs: State,
        blocks: Yes,
        decides: [Pod],
        reads: [NetworkPolicy, Node, Pod, Service],
        uses: [Namespace],
        // Nodes matter only to SNATed traffic (it arrives from their
        // addresses): without them the check still judges what arrives
        // from clients and controller pods, and leaves the SNATed legs
        // unknown (the Pod hop says so, as for any unread kind).
        unread: Judged,
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "NetworkPolicies drop the traffic that really reaches the pods",
        run: run,
    };
}

/// The port a pod receives on: the Service's targetPort resolved by name
/// and protocol against the pod, or the fixed port of the leg.
fn dest_ports(leg: &Leg<'_>, svc: Option<&Service>, pod: &Pod) -> Vec<(u16, Protocol)> {
    if let Some(p) = leg.port {
        return vec![(p, Protocol::Tcp)];
    }
    let Some(svc) = svc else { return vec![] };
    let mut v = Vec::new();
    for sp in svc.spec.iter().flat_map(|s| s.ports.iter().flatten()) {
        let proto: Protocol = protocol_of(sp.protocol.as_deref())
            .parse()
            .unwrap_or(Protocol::Tcp);
        let port = match sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port)) {
            IntOrString::Int(n) => u16::try_from(n).ok(),
            IntOrString::String(name) => {
                crate::checks::util::resolve_named_port(pod, &name, proto.as_str())
                    .and_then(|n| u16::try_from(n).ok())
            }
        };
        if let Some(p) = port
            && !v.contains(&(p, proto))
        {
            v.push((p, proto));
        }
    }
    v
}

struct Denial {
    policies: Vec<PolicyRef>,
    rejections: Vec<kreach_netpol::Rejection>,
    source: Arriving,
    pod: ObjectRef,
    port: (u16, Protocol),
    rule: Option<kreach_netpol::MinimalRule>,
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::NetworkPolicy)
        || !cx.has_kind(Kind::Pod)
        || !cx.has_kind(Kind::Service)
        || cx.snap.network_policies.is_empty()
    {
        return;
    }
    let nodes_read = cx.has_kind(Kind::Node);
    // ipBlock peers and pod addresses: as the cluster's CNI reads them.
    let reading = crate::netinfo::ip_block_reading(cx.snap);
    let set = PolicySet::new(&cx.snap.network_policies).with_options(kreach_netpol::Options {
        ip_block_scope: reading.scope,
        ..Default::default()
    });
    let other_reading = match reading.scope {
        IpBlockScope::AlsoPodIps => IpBlockScope::ExternalOnly,
        IpBlockScope::ExternalOnly => IpBlockScope::AlsoPodIps,
    };
    let other_set =
        PolicySet::new(&cx.snap.network_policies).with_options(kreach_netpol::Options {
            ip_block_scope: other_reading,
            ..Default::default()
        });
    // SNATed external traffic carries a node address but is forwarded, not
    // node-originated: the "local node is always allowed" exception (meant
    // for kubelet probes) does not admit it.
    let snat_set = PolicySet::new(&cx.snap.network_policies).with_options(kreach_netpol::Options {
        local_node_always_allowed: false,
        ip_block_scope: reading.scope,
    });
    let mut ns_labels: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut labels_of = |ns: &str| {
        ns_labels
            .entry(ns.to_string())
            .or_insert_with(|| cx.snap.namespace_labels(ns))
            .clone()
    };
    for leg in legs(cx) {
        let mut denials: Vec<Denial> = Vec::new();
        let mut admitted_any = false;
        let mut depends: Vec<Evidence> = Vec::new();
        let mut ranges_note: Option<Vec<String>> = None;
        let mut decided_by_reading = false;
        for pod in &leg.pods {
            let dst_labels = labels_of(pod.ns());
            let dst = Peer::Pod {
                pod,
                namespace_labels: &dst_labels,
            };
            for (port, proto) in dest_ports(&leg, leg.service, pod) {
                match &leg.source {
                    Source::Client(Some(ip)) => {
                        let d = set.evaluate(&Peer::External(*ip), &dst, port, proto);
                        if d.allowed {
                            admitted_any = true;
                        } else {
                            denials.push(denial(
                                &d,
                                Arriving::Client { ip: *ip },
                                pod,
                                port,
                                proto,
                                Some(minimal_ingress_rule(&Peer::External(*ip), pod, port, proto)),
                            ));
                        }
                    }
                    Source::Client(None) => {
                        match set.admitted_external_ranges(pod, &dst_labels, port, proto) {
                            Admitted::All => admitted_any = true,
                            Admitted::Only(r) if r.is_empty() => {
                                let probe: IpAddr = "203.0.113.1".parse().expect("valid");
                                let d = set.evaluate(&Peer::External(probe), &dst, port, proto);
                                denials.push(denial(
                                    &d,
                                    Arriving::AnyExternalClient,
                                    pod,
                                    port,
                                    proto,
                                    None,
                                ));
                            }
                            Admitted::Only(r) => {
                                admitted_any = true;
                                ranges_note = Some(r.iter().map(|n| n.to_string()).collect());
                            }
                        }
                    }
                    // Which addresses SNATed traffic carries is unknown.
                    Source::Nodes(_) if !nodes_read => {}
                    Source::Nodes(nodes) => {
                        let mut ok = Vec::new();
                        let mut bad = Vec::new();
                        for n in nodes {
                            let d = snat_set.evaluate(&Peer::External(n.ip), &dst, port, proto);
                            if d.allowed {
                                ok.push(n);
                            } else {
                                bad.push((n, d));
                            }
                        }
                        if bad.is_empty() {
                            admitted_any = true;
                        } else if ok.is_empty() {
                            let (n, d) = &bad[0];
                            denials.push(denial(
                                d,
                                Arriving::SnatNodeAddresses {
                                    addresses: bad.iter().map(|(n, _)| (*n).clone()).collect(),
                                },
                                pod,
                                port,
                                proto,
                                Some(minimal_ingress_rule(
                                    &Peer::External(n.ip),
                                    pod,
                                    port,
                                    proto,
                                )),
                            ));
                        } else {
                            admitted_any = true;
                            depends.push(Evidence::SomeNodeAddressesAdmitted {
                                pod: pod.name().to_string(),
                                admitted: ok.iter().map(|n| n.ip).collect(),
                                denied: bad.iter().map(|(n, _)| (*n).clone()).collect(),
                            });
                        }
                    }
                    Source::Pods(srcs) => {
                        for s in srcs {
                            let sl = labels_of(s.ns());
                            let src = Peer::Pod {
                                pod: s,
                                namespace_labels: &sl,
                            };
                            let d = set.evaluate(&src, &dst, port, proto);
                            if d.allowed {
                                admitted_any = true;
                            } else {
                                // The other reading of ipBlock would admit
                                // it: the CNI's reading decided.
                                if other_set.evaluate(&src, &dst, port, proto).allowed {
                                    decided_by_reading = true;
                                }
                                let who = Arriving::ControllerPod {
                                    namespace: s.ns().to_string(),
                                    name: s.name().to_string(),
                                };
                                denials.push(denial(
                                    &d,
                                    who,
                                    pod,
                                    port,
                                    proto,
                                    Some(minimal_ingress_rule(&src, pod, port, proto)),
                                ));
                            }
                        }
                    }
                }
            }
        }
        if denials.is_empty() {
            if let Some(r) = ranges_note {
                let f = Finding::new(
                    &CHECK,
                    ObjectRef::namespaced(crate::Kind::Pod, leg.pods[0].ns(), leg.pods[0].name()),
                    Problem::ExternalClientsOnlyFrom { ranges: r },
                )
                .info()
                .evidence(Evidence::ClientAddressUnknown)
                .on_paths(vec![leg.path]);
                out.push(f);
            }
            continue;
        }
        // Whole when nothing of the leg gets through to a ready pod.
        let ready_admitted = admitted_any
            && leg
                .pods
                .iter()
                .any(|p| is_ready(p) && !denials.iter().any(|d| d.pod.name == p.name()));
        let mut by_policy: BTreeMap<&PolicyRef, Vec<&Denial>> = BTreeMap::new();
        for d in &denials {
            for p in &d.policies {
                by_policy.entry(p).or_default().push(d);
            }
        }
        for (policy_ref, ds) in by_policy {
            let (ns, name) = (policy_ref.namespace.as_str(), policy_ref.name.as_str());
            let object = ObjectRef::namespaced(crate::Kind::NetworkPolicy, ns, name);
            let first = ds[0];
            let mut pods: Vec<String> = ds.iter().map(|d| d.pod.name.clone()).collect();
            pods.sort();
            pods.dedup();
            let message = Problem::AdmitsNone {
                policy: policy_ref.clone(),
                pods,
                leg: leg.kind.clone(),
                source: first.source.clone(),
                port: first.port.0,
                protocol: first.port.1,
            };
            if let Some(existing) = out
                .iter_mut()
                .find(|f| f.check == CHECK.name && f.object == object)
            {
                if !existing.paths.contains(&leg.path) {
                    existing.paths.push(leg.path);
                }
                continue;
            }
            let mut f = Finding::new(&CHECK, object.clone(), message);
            for r in first.rejections.iter().take(4) {
                f = f.evidence(Evidence::PolicyRejects {
                    rejection: r.clone(),
                });
            }
            if first.policies.len() > 1 {
                f = f.evidence(Evidence::PoliciesSelectingPod {
                    policies: first.policies.clone(),
                });
            }
            f = f.evidence_all(depends.iter().cloned());
            if decided_by_reading {
                f = f.evidence(Evidence::IpBlockReading {
                    pod_ips_match: reading.scope == IpBlockScope::AlsoPodIps,
                    cni: reading.cni.map(str::to_string),
                });
            }
            if ready_admitted {
                f = f.evidence(Evidence::SomePodsAdmit).partial();
            }
            if let Some(rule) = &first.rule {
                let policy = cx
                    .snap
                    .network_policies
                    .iter()
                    .find(|p| p.ns() == ns && p.name() == name);
                let has_ingress = policy
                    .and_then(|p| p.spec.as_ref())
                    .and_then(|s| s.ingress.as_ref())
                    .is_some();
                let value = serde_json::to_value(&rule.rule).unwrap_or_default();
                let patch = if has_ingress {
                    serde_json::json!([{"op": "add", "path": "/spec/ingress/-", "value": value}])
                } else {
                    serde_json::json!([{"op": "add", "path": "/spec/ingress", "value": [value]}])
                };
                f = f.evidence(Evidence::MinimalRule {
                    rule: rule.rule.clone(),
                });
                if let Some(n) = &rule.note {
                    f = f.evidence(Evidence::MinimalRuleNote { note: n.clone() });
                }
                f = f.fix(format!(
                    "kubectl -n {ns} patch networkpolicy {name} --type json -p '{patch}'"
                ));
            } else {
                f = f.fix(format!("kubectl -n {ns} describe networkpolicy {name}"));
            }
            let rel: Vec<ObjectRef> = ds.iter().map(|d| d.pod.clone()).collect();
            out.push(f.related(rel).on_paths(vec![leg.path]));
        }
    }
}

fn denial(
    d: &kreach_netpol::Decision,
    source: Arriving,
    pod: &Pod,
    port: u16,
    proto: Protocol,
    rule: Option<kreach_netpol::MinimalRule>,
) -> Denial {
    // The direction that denies: ingress of the pod, or egress of the source.
    let dir = if !d.ingress.allowed {
        &d.ingress
    } else {
        &d.egress
    };
    Denial {
        policies: dir.selecting.clone(),
        rejections: dir.rejections.clone(),
        source,
        pod: ObjectRef::namespaced(crate::Kind::Pod, pod.ns(), pod.name()),
        port: (port, proto),
        rule: if d.ingress.allowed { None } else { rule },
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
