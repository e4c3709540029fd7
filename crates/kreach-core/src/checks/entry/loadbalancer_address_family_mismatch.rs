//! The `loadbalancer-address-family-mismatch` check: the load balancer's address is of an IP family the Service does not have.
//!
//! Its explanation (what `kreach explain loadbalancer-address-family-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-address-family-mismatch/`.

use std::net::IpAddr;

use k8s_openapi::api::core::v1::Service;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::entry::Evidence;
use crate::object::MetaExt;
use crate::object::{ServiceExt, ServiceType};
use crate::path::Via;
use crate::target::Target;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Addresses in `status.loadBalancer.ingress` whose IP family is not
    /// among the Service's `spec.ipFamilies`.
    AddressFamilyNotServed {
        /// The load-balancer addresses of the other family.
        addresses: Vec<IpAddr>,
        /// Their family: `IPv4` or `IPv6`.
        family: String,
        /// The Service's `spec.ipFamilies` (inferred from its cluster IPs
        /// when unset).
        service_families: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A `LoadBalancer` Service on the path whose
    /// `status.loadBalancer.ingress` holds an IP address of a family that
    /// is not in the Service's `spec.ipFamilies`: an IPv6 load-balancer
    /// address on a single-stack IPv4 Service (`ipFamilyPolicy:
    /// SingleStack`, `ipFamilies: [IPv4]`), or an IPv4 address on a
    /// single-stack IPv6 one. A dual-stack Service (`PreferDualStack` or
    /// `RequireDualStack` with both families) serves both; load balancers
    /// that publish a hostname (AWS ELB) are not judged.
    ///
    /// ## Why it breaks reachability
    /// A Service exists only in the families of `spec.ipFamilies`: the
    /// EndpointSlice controller writes slices of those address types only,
    /// and kube-proxy programs the Service, its NodePorts and its
    /// load-balancer addresses only in the proxier of those families
    /// (kube-proxy's service change tracker drops the load-balancer IPs of
    /// a family the proxier does not serve, kubernetes `pkg/proxy/service.go`:
    /// "ignored the following load balancer ingress IPs … as they don't
    /// match the IP Family"). Packets a load balancer delivers to the nodes for an
    /// address of the other family (MetalLB, kube-vip, Cilium LB IPAM, the
    /// floating-IP load balancers of GCP and Azure keep the destination
    /// address) match no rule and get no backend; see
    /// <https://kubernetes.io/docs/concepts/services-networking/dual-stack/#services>
    /// and
    /// <https://kubernetes.io/docs/concepts/services-networking/dual-stack/#load-balancers>.
    /// The check blocks when every load-balancer address is of the other
    /// family, or when the client uses one of them; otherwise clients of
    /// the other addresses still get through and it is a warning.
    ///
    /// ## How to fix
    /// Make the Service dual-stack (on a dual-stack cluster) so that it has
    /// the load balancer's family, or have the load-balancer controller
    /// assign an address of the Service's family (an address pool or
    /// annotation of that family).
    ///
    /// ## Example
    /// `kubectl -n shop patch service web -p '{"spec":{"ipFamilyPolicy":"PreferDualStack"}}'`
    pub static CHECK = {
        name: "loadbalancer-address-family-mismatch",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [LoadBalancer],
        reads: [Service],
        uses: [],
        explained_by: [],
        summary: "the load balancer's address is of an IP family the Service does not have",
        run: run,
    };
}

fn family(ip: &IpAddr) -> &'static str {
    if ip.is_ipv4() { "IPv4" } else { "IPv6" }
}

/// The Service's IP families: `spec.ipFamilies`, or the families of its
/// cluster IPs when that is unset (objects written before dual-stack).
fn service_families(svc: &Service) -> Vec<String> {
    let Some(spec) = svc.spec.as_ref() else {
        return vec![];
    };
    if let Some(f) = spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        return f.clone();
    }
    let mut v: Vec<String> = spec
        .cluster_ips
        .iter()
        .flatten()
        .chain(spec.cluster_ip.iter())
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .map(|ip| family(&ip).to_string())
        .collect();
    v.dedup();
    v.sort();
    v.dedup();
    v
}

/// The IPs (not hostnames) of `status.loadBalancer.ingress`, and how many
/// entries there are in all.
fn lb_ips(svc: &Service) -> (Vec<IpAddr>, usize) {
    let ingress = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref());
    let Some(ingress) = ingress else {
        return (vec![], 0);
    };
    let ips = ingress
        .iter()
        .filter_map(|i| i.ip.as_deref())
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .collect();
    (ips, ingress.len())
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer || e.svc.service_type() != ServiceType::LoadBalancer {
            continue;
        }
        let families = service_families(e.svc);
        if families.is_empty() {
            continue;
        }
        let (ips, entries) = lb_ips(e.svc);
        let other: Vec<IpAddr> = ips
            .iter()
            .copied()
            .filter(|ip| !families.iter().any(|f| f == family(ip)))
            .collect();
        let Some(first) = other.first() else {
            continue;
        };
        let fam = family(first);
        // The client names a load-balancer address itself (a URL or
        // `IP:PORT` target): it uses that one.
        let named = match cx.target {
            Target::Url { host, .. } | Target::Address { host, .. } => Some(host.as_str()),
            Target::Object { .. } => None,
        };
        let client_uses_other = named
            .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
            .and_then(|a| a.parse::<IpAddr>().ok())
            .is_some_and(|a| other.contains(&a));
        let all_other = other.len() == entries;
        let policy = e
            .svc
            .spec
            .as_ref()
            .and_then(|s| s.ip_family_policy.clone())
            .unwrap_or_else(|| "SingleStack".to_string());
        // The paths through an address of the other family (all of the
        // entry's when the resolution kept no address).
        let on_other = |i: &usize| {
            cx.res.paths[*i]
                .entry
                .address
                .as_deref()
                .and_then(|a| a.parse::<IpAddr>().ok())
                .is_some_and(|a| other.contains(&a))
        };
        let mut paths: Vec<usize> = e.paths.iter().copied().filter(on_other).collect();
        if paths.is_empty() {
            paths = e.paths.clone();
        }
        let mut f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::AddressFamilyNotServed {
                addresses: other.clone(),
                family: fam.to_string(),
                service_families: families.clone(),
            },
        )
        .evidence(Evidence::ServiceIpFamilies {
            families: families.clone(),
            policy,
        })
        .evidence(Evidence::OtherFamilyHasNoBackends {
            family: fam.to_string(),
        })
        .fix(format!(
            "kubectl -n {} patch service {} -p '{{\"spec\":{{\"ipFamilyPolicy\":\"PreferDualStack\"}}}}'",
            e.svc.ns(),
            e.svc.name()
        ))
        .on_paths(paths);
        if !(all_other || client_uses_other) {
            f = f.blocking(false).partial();
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
