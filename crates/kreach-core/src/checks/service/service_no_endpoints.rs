//! The `service-no-endpoints` check: a Service without selector has no endpoints, or only stale pod IPs.
//!
//! Its explanation (what `kreach explain service-no-endpoints` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-no-endpoints/`.

use std::net::IpAddr;

use crate::checks::service::service_no_ready_endpoints::endpoint_counts;
use crate::context::Context;
use crate::declare_check;
use crate::endpoints::{any_usable, published};
use crate::finding::Finding;
use crate::message::service::Evidence;
use crate::netinfo::{in_pod_network, pod_cidrs};
use crate::object::MetaExt;
use crate::object::{ServiceExt, ServiceType};
use crate::snapshot::Kind;
use crate::workload::pod_ips;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service has no selector and neither Endpoints nor EndpointSlices.
    NoEndpointObjects,
    /// The Service has no selector, and its Endpoints / EndpointSlices list
    /// no address.
    NoAddresses,
    /// The Service has no selector, and every address of its endpoints is
    /// marked not ready (`notReadyAddresses` of Endpoints,
    /// `conditions.ready: false` of EndpointSlices, none serving while
    /// terminating): kube-proxy sends the traffic to none of them.
    NotReadyAddresses {
        /// The not-ready addresses, sorted, every one.
        addresses: Vec<String>,
    },
    /// The Service has no selector, and every address of its endpoints is
    /// a pod-network IP that no Pod holds any more.
    StaleAddresses {
        /// The stale addresses, sorted, every one.
        addresses: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service without a selector (its endpoints are written by hand or by
    /// another controller) has no Endpoints / EndpointSlices, they list no
    /// ready address (only `notReadyAddresses`, or EndpointSlice endpoints
    /// with `conditions.ready: false`), or only pod-network addresses that
    /// no Pod holds any more.
    ///
    /// ## Why it breaks reachability
    /// Without a selector nothing keeps the endpoints up to date. When they
    /// are missing, kube-proxy has nowhere to send the traffic; when every
    /// address is marked not ready, kube-proxy leaves them all out (it
    /// falls back only to EndpointSlice endpoints still `serving` while
    /// `terminating`); when they point at pod IPs of deleted pods,
    /// connections go to nobody. Addresses
    /// outside the cluster (a VM, a database) cannot be judged from state and
    /// are not reported.
    ///
    /// kube-proxy reads only EndpointSlices (the control plane mirrors
    /// hand-written Endpoints into them), so without EndpointSlices the
    /// answer is unknown.
    ///
    /// ## How to fix
    /// Create or correct the Endpoints / EndpointSlice, or give the Service a
    /// selector so that the control plane manages them. An address marked
    /// not ready stays so until who wrote it moves it back to `addresses`
    /// (or sets `ready: true`).
    ///
    /// ## Example
    /// Service `orders` has no selector and no Endpoints:
    /// `kubectl -n shop get endpoints,endpointslices -l kubernetes.io/service-name=orders`
    pub static CHECK = {
        name: "service-no-endpoints",
        layer: Service,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, EndpointSlice],
        uses: [Pod, Node, ConfigMap, Endpoints],
        applies: selector_less,
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a Service without selector has no ready endpoints, or only stale pod IPs",
        run: run,
    };
}

/// Where it applies: the Service hop of a Service without selector. Its
/// EndpointSlices decide (kube-proxy reads nothing else; hand-written
/// Endpoints are mirrored into them, hand-written EndpointSlices have no
/// Endpoints), so without them its answer is unknown.
fn selector_less(snap: &crate::Snapshot, hop: &crate::path::Hop) -> bool {
    snap.service(hop.object.ns(), &hop.object.name)
        .is_some_and(|s| {
            s.service_type() != ServiceType::ExternalName
                && s.spec
                    .as_ref()
                    .and_then(|sp| sp.selector.as_ref())
                    .is_none_or(|sel| sel.is_empty())
        })
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for f in &cx.services {
        if f.has_selector() || f.svc.service_type() == ServiceType::ExternalName {
            continue;
        }
        let (ns, name) = (f.svc.ns(), f.svc.name());
        let slices: Vec<_> = cx.snap.endpoint_slices_for(ns, name).collect();
        let eps: Vec<_> = cx.snap.endpoints_for(ns, name).into_iter().collect();
        if !cx.has_kind(Kind::Endpoints) && !cx.has_kind(Kind::EndpointSlice) {
            continue; // unknown, reported as such
        }
        let published = published(cx.snap, ns, name);
        let mut addrs: Vec<String> = published
            .iter()
            .flat_map(|e| e.addresses.iter().cloned())
            .collect();
        addrs.sort();
        addrs.dedup();
        let cmd = format!(
            "kubectl -n {ns} get endpoints,endpointslices -l kubernetes.io/service-name={name}; kubectl -n {ns} get endpoints {name} -o yaml"
        );
        if addrs.is_empty() {
            let problem = if eps.is_empty() && slices.is_empty() {
                Problem::NoEndpointObjects
            } else {
                Problem::NoAddresses
            };
            out.push(
                Finding::new(&CHECK, f.sref.clone(), problem)
                    .evidence(Evidence::EndpointsWrittenByHand)
                    .fix(cmd)
                    .on_paths(f.paths.clone()),
            );
            continue;
        }
        // Addresses in the pod network that no pod holds: stale.
        let cidrs = pod_cidrs(cx.snap);
        let stale: Vec<&String> = addrs
            .iter()
            .filter(|a| {
                a.parse::<IpAddr>()
                    .is_ok_and(|ip| in_pod_network(cx.snap, ip))
                    && !cx
                        .snap
                        .pods
                        .iter()
                        .any(|p| pod_ips(p).iter().any(|x| x == *a))
            })
            .collect();
        if !stale.is_empty() && stale.len() == addrs.len() {
            out.push(
                Finding::new(
                    &CHECK,
                    f.sref.clone(),
                    Problem::StaleAddresses {
                        addresses: stale.into_iter().cloned().collect(),
                    },
                )
                .evidence(Evidence::StaleInPodNetwork {
                    pod_cidrs: cidrs.iter().map(|c| c.to_string()).collect(),
                })
                .fix(cmd)
                .on_paths(f.paths.clone()),
            );
            continue;
        }
        // Addresses marked not ready: kube-proxy uses none of them.
        if !any_usable(&published) {
            out.push(
                Finding::new(
                    &CHECK,
                    f.sref.clone(),
                    Problem::NotReadyAddresses { addresses: addrs },
                )
                .evidence(Evidence::EndpointsWrittenByHand)
                .evidence_all(endpoint_counts(cx, f.svc))
                .fix(cmd)
                .on_paths(f.paths.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
