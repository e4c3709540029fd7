//! The `service-no-ready-endpoints` check: the Service's pods exist but none is ready.
//!
//! Its explanation (what `kreach explain service-no-ready-endpoints` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-no-ready-endpoints/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::service::{Evidence, PodReadiness};
use crate::object::MetaExt;
use crate::workload::{condition, is_terminating, phase};

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service's selector matches pods, but none of them is ready.
    NoneReady {
        /// How many pods the selector matches.
        selected: usize,
    },
}

declare_check! {
    /// ## What it checks
    /// The Service's selector matches pods, but none of them is ready.
    ///
    /// ## Why it breaks reachability
    /// Only ready pods are published as ready endpoints; with none, the
    /// Service forwards nowhere. This is a symptom: the pod findings say why
    /// the pods are not ready, and this finding names them in `explained_by`.
    ///
    /// ## How to fix
    /// Fix what keeps the pods from being ready (see the pod findings).
    ///
    /// ## Example
    /// `kubectl -n shop get pods -l app=web` shows `0/1` READY on every pod.
    pub static CHECK = {
        name: "service-no-ready-endpoints",
        layer: Service,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, Endpoints | EndpointSlice],
        uses: [Pod],
        explained_by: [
            crate::checks::pod::pod_crash_looping::CHECK => CauseRelated,
            crate::checks::pod::pod_liveness_failing::CHECK => CauseRelated,
            crate::checks::pod::pod_not_ready::CHECK => CauseRelated,
            crate::checks::pod::pod_on_unready_node::CHECK => CauseRelated,
            crate::checks::pod::pod_pending::CHECK => CauseRelated,
            crate::checks::pod::pod_probe_port_mismatch::CHECK => CauseRelated,
            crate::checks::pod::pod_terminating::CHECK => CauseRelated,
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service's pods exist but none is ready",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for f in &cx.services {
        if f.pods.is_empty() || f.ready > 0 {
            continue;
        }
        let pods: Vec<PodReadiness> = f
            .pods
            .iter()
            .map(|p| PodReadiness {
                name: p.name().to_string(),
                terminating: is_terminating(p),
                phase: phase(p).to_string(),
                ready: condition(p, "Ready").map(|c| c.status.clone()),
            })
            .collect();
        let sel = f
            .svc
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default();
        let sel = crate::labels::format_selector(&sel);
        out.push(
            Finding::new(
                &CHECK,
                f.sref.clone(),
                Problem::NoneReady {
                    selected: f.pods.len(),
                },
            )
            .evidence(Evidence::SelectedPods { pods })
            .evidence_all(endpoint_counts(cx, f.svc))
            .fix(format!(
                "kubectl -n {} get pods -l {sel} -o wide",
                f.svc.ns()
            ))
            .related(f.pods.iter().map(|p| cx.pod_ref(p)))
            .on_paths(f.paths.clone()),
        );
    }
}

/// What the endpoints controllers published: EndpointSlices when there are
/// any, else the Endpoints object.
pub(crate) fn endpoint_counts(
    cx: &Context<'_>,
    svc: &k8s_openapi::api::core::v1::Service,
) -> Option<Evidence> {
    let (ns, name) = (svc.ns(), svc.name());
    let slices: Vec<_> = cx.snap.endpoint_slices_for(ns, name).collect();
    if !slices.is_empty() {
        let eps: Vec<_> = slices
            .iter()
            .flat_map(|s| s.endpoints.iter().flatten())
            .collect();
        let cond = |f: fn(&k8s_openapi::api::discovery::v1::EndpointConditions) -> Option<bool>| {
            eps.iter()
                .filter(|e| e.conditions.as_ref().and_then(f).unwrap_or(false))
                .count()
        };
        return Some(Evidence::EndpointSliceCounts {
            endpoints: eps.len(),
            ready: cond(|c| c.ready),
            serving: cond(|c| c.serving),
            terminating: cond(|c| c.terminating),
        });
    }
    let e = cx.snap.endpoints_for(ns, name)?;
    let count = |ready: bool| -> usize {
        e.subsets
            .iter()
            .flatten()
            .map(|s| {
                if ready {
                    s.addresses.as_ref().map_or(0, Vec::len)
                } else {
                    s.not_ready_addresses.as_ref().map_or(0, Vec::len)
                }
            })
            .sum()
    };
    Some(Evidence::EndpointsCounts {
        ready: count(true),
        not_ready: count(false),
    })
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
