//! The `loadbalancer-pending` check: a LoadBalancer Service has no external address (`<pending>`).
//!
//! Its explanation (what `kreach explain loadbalancer-pending` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/loadbalancer-pending/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::entry::{Evidence, LbController, LbControllerKind};
use crate::object::{MetaExt, obj_ref};
use crate::object::{ServiceExt, ServiceType};
use crate::path::Via;
use crate::resolve::lb_addresses;
use crate::snapshot::Snapshot;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The load balancer has no address in `status.loadBalancer.ingress`
    /// (`EXTERNAL-IP <pending>`).
    NoExternalAddress {
        /// The Service's age, when it has a creation timestamp.
        service_age: Option<Seconds>,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service of type `LoadBalancer` on the path has no address in
    /// `status.loadBalancer.ingress` (`EXTERNAL-IP <pending>`).
    ///
    /// ## Why it breaks reachability
    /// Until a controller (the cloud provider's, or a bare-metal one such as
    /// MetalLB, kube-vip, k3s' servicelb, Cilium LB IPAM, OpenELB) assigns
    /// an address, there is nothing for clients to connect to. On a cluster
    /// with no such controller it stays pending forever.
    ///
    /// ## How to fix
    /// Read the Service's events (`SyncLoadBalancerFailed`: quota,
    /// permissions, subnet tags); install or fix a load-balancer controller;
    /// on bare metal give MetalLB an address pool.
    ///
    /// ## Example
    /// `kubectl -n shop describe service web` shows
    /// `Warning SyncLoadBalancerFailed … TooManyLoadBalancers`.
    pub static CHECK = {
        name: "loadbalancer-pending",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [LoadBalancer],
        reads: [Service],
        uses: [Event, Pod, DaemonSet, Ingress, Node],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "a LoadBalancer Service has no external address (<pending>)",
        run: run,
    };
}

/// Which controllers that assign load-balancer addresses seem to run.
pub fn lb_controllers(snap: &Snapshot) -> Vec<LbController> {
    let mut v: Vec<LbController> = Vec::new();
    let mut add = |c: LbController| {
        if !v.contains(&c) {
            v.push(c);
        }
    };
    for n in &snap.nodes {
        if let Some(pid) = n.spec.as_ref().and_then(|s| s.provider_id.as_deref()) {
            let cloud = pid.split("://").next().unwrap_or("");
            if !cloud.is_empty() && !matches!(cloud, "kind" | "k3s" | "kwok" | "rke2") {
                add(LbController::CloudProvider {
                    cloud: cloud.to_string(),
                    provider_id: pid.to_string(),
                });
            }
        }
    }
    for p in &snap.pods {
        let name = p.name();
        let images: Vec<&str> = p
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .filter_map(|c| c.image.as_deref())
            .collect();
        let has = |needle: &str| images.iter().any(|i| i.contains(needle));
        use LbControllerKind as K;
        let what = if has("metallb") {
            Some(K::Metallb)
        } else if has("kube-vip") && !has("cloud-provider") {
            Some(K::KubeVip)
        } else if has("kube-vip-cloud-provider") {
            Some(K::KubeVipCloudProvider)
        } else if has("klipper-lb") || name.starts_with("svclb-") {
            Some(K::K3sServicelb)
        } else if has("openelb") || has("porter") && name.contains("openelb") {
            Some(K::Openelb)
        } else if has("cloud-controller-manager") || name.contains("cloud-controller-manager") {
            Some(K::CloudControllerManager)
        } else if has("aws-load-balancer-controller") {
            Some(K::AwsLoadBalancerController)
        } else {
            None
        };
        if let Some(w) = what {
            add(LbController::Pod {
                controller: w,
                namespace: p.ns().to_string(),
                name: name.to_string(),
                ready: crate::workload::is_ready(p),
            });
        }
    }
    for (k, n) in &snap.other_kinds {
        let what = if k.starts_with("metallb.io/") {
            Some(LbControllerKind::Metallb)
        } else if k.starts_with("cilium.io/") && k.ends_with("CiliumLoadBalancerIPPool") {
            Some(LbControllerKind::CiliumLbIpam)
        } else if k.contains("openelb") {
            Some(LbControllerKind::Openelb)
        } else {
            None
        };
        if let Some(w) = what {
            add(LbController::Objects {
                controller: w,
                count: *n,
                resource: k.clone(),
            });
        }
    }
    v
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in cx.entry_services() {
        if e.via != Via::LoadBalancer || !lb_addresses(e.svc).is_empty() {
            continue;
        }
        if e.svc.service_type() != ServiceType::LoadBalancer {
            continue;
        }
        let created = e
            .svc
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| Seconds::between(t.0, cx.now()));
        let mut f = Finding::new(
            &CHECK,
            e.sref.clone(),
            Problem::NoExternalAddress {
                service_age: created,
            },
        );
        let events = cx.snap.events_for(&obj_ref(e.svc));
        let lb_events: Vec<_> = events
            .iter()
            .filter(|ev| {
                ev.reason.contains("LoadBalancer")
                    || ev.reason.contains("IPAllocat")
                    || ev.reason.contains("AllocationFailed")
            })
            .take(4)
            .collect();
        f = f.evidence_all(lb_events.iter().map(|ev| **ev));
        if lb_events.is_empty() {
            f = f.evidence(Evidence::NoLoadBalancerEvents);
        }
        if let Some(lbc) = e
            .svc
            .spec
            .as_ref()
            .and_then(|s| s.load_balancer_class.as_deref())
        {
            f = f.evidence(Evidence::LoadBalancerClass {
                class: lbc.to_string(),
            });
        }
        let ctrls = lb_controllers(cx.snap);
        f = if ctrls.is_empty() {
            f.evidence(Evidence::NoLoadBalancerController)
        } else {
            f.evidence(Evidence::LoadBalancerControllers { controllers: ctrls })
        };
        f = f.fix(format!(
            "kubectl -n {} describe service {}",
            e.svc.ns(),
            e.svc.name()
        ));
        if e.for_ingress {
            f = f.related(cx.snap.ingresses.iter().map(obj_ref));
        }
        out.push(f.on_paths(e.paths.clone()));
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
