//! The `target-not-found` check: the named object, host or address matches nothing in the cluster.
//!
//! Its explanation (what `kreach explain target-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/target-not-found/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::labels::closest;
use crate::object::MetaExt;
use crate::resolve::{Issue, Missing, lb_addresses};
use crate::snapshot::Kind;
use crate::workload::node_addresses;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    format!("namespace {} does not exist", object.ns()),
                );
                let near = closest(object.ns(), names.iter().map(String::as_str), 3);
                if !near.is_empty() {
                    f = f.evidence(format!("closest namespaces: {}", near.join(", ")));
                }
                f = f.evidence_all(elsewhere(cx, &object.kind, &object.name));
            }
            Missing::Object => {
                let ns = object.ns();
                let names: Vec<String> = names_of(cx, &object.kind, Some(ns));
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    format!(
                        "{} {} not found in namespace {ns}",
                        object.kind.to_ascii_lowercase(),
                        object.name
                    ),
                );
                let near = closest(&object.name, names.iter().map(String::as_str), 3);
                if near.is_empty() {
                    f = f.evidence(format!(
                        "{} {}s in {ns}",
                        names.len(),
                        object.kind.to_ascii_lowercase()
                    ));
                } else {
                    f = f.evidence(format!("closest names in {ns}: {}", near.join(", ")));
                }
                f = f.evidence_all(elsewhere(cx, &object.kind, &object.name));
                if let Some(n) = near.first() {
                    f = f.fix(format!(
                        "kreach diagnose {}/{n} -n {ns}",
                        short_kind(&object.kind)
                    ));
                }
            }
            Missing::Address { address, port } => {
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    format!(
                        "no load balancer, node, external IP or pod has address {address} (port {port})"
                    ),
                );
                let mut known: Vec<String> = Vec::new();
                for s in &snap.services {
                    for a in lb_addresses(s) {
                        known.push(format!(
                            "{a} (load balancer of Service {}/{})",
                            s.ns(),
                            s.name()
                        ));
                    }
                }
                for n in &snap.nodes {
                    for t in ["ExternalIP", "InternalIP"] {
                        for a in node_addresses(n, t) {
                            known.push(format!("{a} ({t} of node {})", n.name()));
                        }
                    }
                }
                let near: Vec<String> = {
                    let mut v: Vec<(usize, &String)> = known
                        .iter()
                        .map(|k| {
                            (
                                crate::labels::edit_distance(
                                    address,
                                    k.split(' ').next().unwrap_or(""),
                                ),
                                k,
                            )
                        })
                        .collect();
                    v.sort();
                    v.into_iter().take(4).map(|(_, k)| k.clone()).collect()
                };
                if !near.is_empty() {
                    f = f.evidence(format!("addresses the cluster has: {}", near.join(", ")));
                }
            }
            Missing::Host { host } => {
                f = Finding::new(
                    &CHECK,
                    object.clone(),
                    format!("no Ingress rule and no load balancer serves host {host}"),
                );
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
                if !near.is_empty() {
                    f = f.evidence(format!("closest Ingress hosts: {}", near.join(", ")));
                } else if !hosts.is_empty() {
                    f = f.evidence(format!(
                        "Ingress hosts: {}",
                        crate::checks::util::short_list(&hosts, 5)
                    ));
                }
                f = f.fix("kubectl get ingress -A");
            }
        }
        // Not finding what the source could not read is not knowing.
        let needed: &[Kind] = match what {
            Missing::Host { .. } => &[Kind::Ingress],
            Missing::Address { .. } => &[Kind::Service, Kind::Node, Kind::Pod],
            _ => match object.kind.as_str() {
                "Service" => &[Kind::Service],
                "Ingress" => &[Kind::Ingress],
                "Pod" => &[Kind::Pod],
                "Deployment" => &[Kind::Deployment],
                _ => &[],
            },
        };
        let unread: Vec<String> = needed
            .iter()
            .filter_map(|k| {
                snap.missing_reason(*k)
                    .map(|r| format!("{} could not be read: {r}", k.resource()))
            })
            .collect();
        if !unread.is_empty() {
            f = f.evidence_all(unread).blocking(false);
        }
        out.push(f);
    }
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
    let nss: Vec<String> = match kind {
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
    };
    if nss.is_empty() {
        vec![]
    } else {
        vec![format!(
            "{} {name} exists in namespace {}",
            kind.to_ascii_lowercase(),
            nss.join(", ")
        )]
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
