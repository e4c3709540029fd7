//! The `loadbalancer-source-ranges` check: the client address is outside the load balancer's source ranges.
//!
//! Its explanation (what `kreach explain loadbalancer-source-ranges` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-source-ranges/`.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::MetaExt;
use crate::path::Via;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The client (`--from`) is outside every source range.
    ClientOutsideRanges {
        client: IpAddr,
        /// The source ranges, as written.
        ranges: Vec<String>,
    },
    /// No client address was given: only clients in these ranges pass.
    OnlyClientsIn {
        /// The source ranges, as written.
        ranges: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A load-balancer Service on the path restricts its clients with
    /// `spec.loadBalancerSourceRanges` (or the
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation)
    /// and the client address (`--from`) is outside every range. Without
    /// `--from` it says which client ranges pass.
    ///
    /// ## Why it breaks reachability
    /// The cloud's firewall (or kube-proxy) drops connections from other
    /// addresses before they reach a node: they time out.
    ///
    /// ## How to fix
    /// Add the client's range, or connect from an allowed network.
    ///
    /// ## Example
    /// `kubectl -n shop patch service web --type json -p '[{"op":"add","path":"/spec/loadBalancerSourceRanges/-","value":"198.51.100.7/32"}]'`
    pub static CHECK = {
        name: "loadbalancer-source-ranges",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [LoadBalancer],
        reads: [Service],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the client address is outside the load balancer's source ranges",
        run: run,
    };
}

pub const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn ranges(svc: &k8s_openapi::api::core::v1::Service) -> (Vec<String>, &'static str) {
    let spec: Vec<String> = svc
        .spec
        .as_ref()
        .and_then(|s| s.load_balancer_source_ranges.clone())
        .unwrap_or_default();
    if !spec.is_empty() {
        return (spec, "spec.loadBalancerSourceRanges");
    }
    let ann: Vec<String> = svc
        .annotation(SOURCE_RANGES_ANNOTATION)
        .map(|a| {
            a.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    (ann, SOURCE_RANGES_ANNOTATION)
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer {
            continue;
        }
        let (list, source) = ranges(e.svc);
        if list.is_empty() {
            continue;
        }
        let nets: Vec<IpNet> = list
            .iter()
            .filter_map(|r| {
                r.parse()
                    .ok()
                    .or_else(|| r.parse::<IpAddr>().ok().map(IpNet::from))
            })
            .collect();
        match cx.opts.from {
            Some(ip) if !nets.iter().any(|n| n.contains(&ip)) => {
                let cidr = if ip.is_ipv4() {
                    format!("{ip}/32")
                } else {
                    format!("{ip}/128")
                };
                let fix = if source.starts_with("spec") {
                    format!(
                        "kubectl -n {} patch service {} --type json -p '[{{\"op\":\"add\",\"path\":\"/spec/loadBalancerSourceRanges/-\",\"value\":\"{cidr}\"}}]'",
                        e.svc.ns(),
                        e.svc.name()
                    )
                } else {
                    format!(
                        "kubectl -n {} annotate service {} --overwrite {SOURCE_RANGES_ANNOTATION}={},{cidr}",
                        e.svc.ns(),
                        e.svc.name(),
                        list.join(",")
                    )
                };
                out.push(
                    Finding::new(
                        &CHECK,
                        e.sref.clone(),
                        Problem::ClientOutsideRanges {
                            client: ip,
                            ranges: list.clone(),
                        },
                    )
                    .evidence(Evidence::SourceRanges {
                        source: source.to_string(),
                        ranges: list.clone(),
                    })
                    .evidence(Evidence::OutsideSourceRangesDropped)
                    .fix(fix)
                    .on_paths(e.paths.clone()),
                );
            }
            Some(_) => {}
            None => out.push(
                Finding::new(
                    &CHECK,
                    e.sref.clone(),
                    Problem::OnlyClientsIn {
                        ranges: list.clone(),
                    },
                )
                .info()
                .evidence(Evidence::SourceRanges {
                    source: source.to_string(),
                    ranges: list.clone(),
                })
                .evidence(Evidence::NoClientAddress)
                .on_paths(e.paths.clone()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
