//! The `target-not-found` check: the named object, host or address matches nothing in the cluster.
//!
//! Its explanation (what `kreach explain target-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/target-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::labels::closest;
use crate::message::entry::{Evidence, KnownAddress};
use crate::object::MetaExt;
use crate::resolve::{Issue, Missing, lb_addresses};
use crate::snapshot::Kind;
use crate::workload::node_addresses;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The target's namespace does not exist.
    NamespaceNotFound {
        /// `Service`, `Ingress`, `Pod`, `Deployment`.
        object_kind: crate::object::RefKind,
        name: String,
        namespace: String,
        /// The existing namespaces closest to it (did you mean…), best first.
        closest_namespaces: Vec<String>,
        /// Other namespaces that hold an object of that kind and name.
        namesakes: Vec<String>,
    },
    /// No object of that kind and name in the namespace.
    ObjectNotFound {
        /// `Service`, `Ingress`, `Pod`, `Deployment`.
        object_kind: crate::object::RefKind,
        name: String,
        namespace: String,
        /// The names of that kind in the namespace closest to it (did you
        /// mean…), best first.
        closest_names: Vec<String>,
        /// Other namespaces that hold an object of that kind and name.
        namesakes: Vec<String>,
    },
    /// No load balancer, node, external IP or pod has the address.
    AddressNotFound {
        address: String,
        port: u16,
        /// The cluster's addresses closest to it, best first.
        closest_addresses: Vec<KnownAddress>,
    },
    /// No Ingress rule and no load balancer serves the host.
    HostNotFound {
        host: String,
        /// The Ingress hosts closest to it, best first.
        closest_hosts: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// The target (an object name, a host, or an address) matches nothing in
    /// the cluster state.
    ///
    /// ## Why it breaks reachability
    /// If kreach cannot find it, neither can the client's request: a
    /// misspelt or deleted Service, the wrong namespace, a host no Ingress
    /// serves, an address no load balancer, node or pod holds.
    ///
    /// ## How to fix
    /// Check the name and namespace (kreach lists the closest names and the
    /// namespaces that have this name); for hosts and addresses, the hosts
    /// the Ingresses serve and the addresses the cluster has.
    ///
    /// ## Example
    /// `kreach diagnose svc/webb -n shop` → did you mean `web`?
    pub static CHECK = {
        name: "target-not-found",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [],
        reads: [Service, Ingress, Pod, Deployment, Node],
        uses: [Namespace],
        unread: Judged,
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the named object, host or address matches nothing in the cluster",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::NotFound { object, what } = issue else {
            continue;
        };
        let snap = cx.snap;
        let mut f;
        match what {
            Missing::Namespace => {
                let names = snap.namespace_names();
                let near = closest(object.ns(), names.iter().map(String::as_str), 3);
                let namesakes = elsewhere(cx, object.kind.name(), &object.name);
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    Problem::NamespaceNotFound {
                        object_kind: object.kind.clone(),
                        name: object.name.clone(),
                        namespace: object.ns().to_string(),
                        closest_namespaces: near.clone(),
                        namesakes: namesakes.clone(),
                    },
                );
                if !near.is_empty() {
                    f = f.evidence(Evidence::ClosestNamespaces { namespaces: near });
                }
                f = f.evidence_all(namesakes_evidence(object, namesakes));
            }
            Missing::Object => {
                let ns = object.ns();
                let names: Vec<String> = names_of(cx, object.kind.name(), Some(ns));
                let near = closest(&object.name, names.iter().map(String::as_str), 3);
                let namesakes = elsewhere(cx, object.kind.name(), &object.name);
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    Problem::ObjectNotFound {
                        object_kind: object.kind.clone(),
                        name: object.name.clone(),
                        namespace: ns.to_string(),
                        closest_names: near.clone(),
                        namesakes: namesakes.clone(),
                    },
                );
                if near.is_empty() {
                    f = f.evidence(Evidence::ObjectsInNamespace {
                        object_kind: object.kind.clone(),
                        namespace: ns.to_string(),
                        count: names.len(),
                    });
                } else {
                    f = f.evidence(Evidence::ClosestNames {
                        namespace: ns.to_string(),
                        names: near.clone(),
                    });
                }
                f = f.evidence_all(namesakes_evidence(object, namesakes));
                if let Some(n) = near.first() {
                    f = f.fix(format!(
                        "kreach diagnose {}/{n} -n {ns}",
                        short_kind(object.kind.name())
                    ));
                }
            }
            Missing::Address { address, port } => {
                let mut known: Vec<KnownAddress> = Vec::new();
                for s in &snap.services {
                    for a in lb_addresses(s) {
                        known.push(KnownAddress::LoadBalancer {
                            address: a.to_string(),
                            namespace: s.ns().to_string(),
                            service: s.name().to_string(),
                        });
                    }
                }
                for n in &snap.nodes {
                    for t in [
                        crate::object::AddressType::ExternalIP,
                        crate::object::AddressType::InternalIP,
                    ] {
                        for a in node_addresses(n, t) {
                            known.push(KnownAddress::Node {
                                address: a.to_string(),
                                address_type: t.name().to_string(),
                                node: n.name().to_string(),
                            });
                        }
                    }
                }
                // Closest first; then by address, node addresses (external
                // before internal) before load balancers.
                let key = |k: &KnownAddress| {
                    let (rank, rest) = match k {
                        KnownAddress::Node {
                            address_type, node, ..
                        } => (
                            u8::from(address_type != crate::object::AddressType::ExternalIP.name()),
                            node.clone(),
                        ),
                        KnownAddress::LoadBalancer {
                            namespace, service, ..
                        } => (2, format!("{namespace}/{service}")),
                    };
                    (
                        crate::labels::edit_distance(address, k.address()),
                        k.address().to_string(),
                        rank,
                        rest,
                    )
                };
                known.sort_by_cached_key(key);
                known.truncate(4);
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    Problem::AddressNotFound {
                        address: address.clone(),
                        port: *port,
                        closest_addresses: known.clone(),
                    },
                );
                if !known.is_empty() {
                    f = f.evidence(Evidence::ClusterAddresses { addresses: known });
                }
            }
            Missing::Host { host } => {
                let hosts: Vec<String> = snap
                    .ingresses
                    .iter()
                    .flat_map(|i| {
                        i.spec
                            .iter()
                            .flat_map(|s| s.rules.iter().flatten())
                            .filter_map(|r| r.host.clone())
                    })
                    .collect();
                let near = closest(host, hosts.iter().map(String::as_str), 3);
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    Problem::HostNotFound {
                        host: host.clone(),
                        closest_hosts: near.clone(),
                    },
                );
                if !near.is_empty() {
                    f = f.evidence(Evidence::ClosestIngressHosts { hosts: near });
                } else if !hosts.is_empty() {
                    f = f.evidence(Evidence::IngressHosts { hosts });
                }
                f = f.fix("kubectl get ingress -A");
            }
        }
        // Not finding what the source could not read is not knowing.
        // Of the kinds it reads, those that could hold what was not found.
        let needed: Vec<Kind> = CHECK
            .reads
            .iter()
            .flat_map(|r| r.kinds())
            .filter(|k| match what {
                Missing::Host { .. } => *k == Kind::Ingress,
                Missing::Address { .. } => matches!(k, Kind::Service | Kind::Node | Kind::Pod),
                _ => object.kind == *k,
            })
            .collect();
        let unread: Vec<Evidence> = needed
            .iter()
            .filter_map(|k| {
                snap.missing_reason(*k).map(|r| Evidence::Unreadable {
                    resource: k.resource().to_string(),
                    reason: r.clone(),
                })
            })
            .collect();
        if !unread.is_empty() {
            f = f.evidence_all(unread).blocking(false);
        }
        out.push(f);
    }
}

/// The evidence that other namespaces hold the object.
fn namesakes_evidence(
    object: &crate::object::ObjectRef,
    namespaces: Vec<String>,
) -> Option<Evidence> {
    (!namespaces.is_empty()).then(|| Evidence::ExistsInNamespaces {
        object_kind: object.kind.clone(),
        name: object.name.clone(),
        namespaces,
    })
}

fn short_kind(kind: &str) -> &'static str {
    match kind {
        "Service" => "svc",
        "Ingress" => "ingress",
        "Pod" => "pod",
        _ => "deploy",
    }
}

fn names_of(cx: &Context<'_>, kind: &str, ns: Option<&str>) -> Vec<String> {
    let s = cx.snap;
    let keep = |n: &str| ns.is_none_or(|x| x == n);
    match kind {
        "Service" => s
            .services
            .iter()
            .filter(|o| keep(o.ns()))
            .map(|o| o.name().to_string())
            .collect(),
        "Ingress" => s
            .ingresses
            .iter()
            .filter(|o| keep(o.ns()))
            .map(|o| o.name().to_string())
            .collect(),
        "Pod" => s
            .pods
            .iter()
            .filter(|o| keep(o.ns()))
            .map(|o| o.name().to_string())
            .collect(),
        _ => s
            .deployments
            .iter()
            .filter(|o| keep(o.ns()))
            .map(|o| o.name().to_string())
            .collect(),
    }
}

/// Other namespaces that hold an object of that kind and name.
fn elsewhere(cx: &Context<'_>, kind: &str, name: &str) -> Vec<String> {
    let s = cx.snap;
    match kind {
        "Service" => s
            .services
            .iter()
            .filter(|o| o.name() == name)
            .map(|o| o.ns().to_string())
            .collect(),
        "Ingress" => s
            .ingresses
            .iter()
            .filter(|o| o.name() == name)
            .map(|o| o.ns().to_string())
            .collect(),
        "Pod" => s
            .pods
            .iter()
            .filter(|o| o.name() == name)
            .map(|o| o.ns().to_string())
            .collect(),
        _ => s
            .deployments
            .iter()
            .filter(|o| o.name() == name)
            .map(|o| o.ns().to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
