//! The `ingress-controller-not-ready` check: the pods of the controller serving the Ingress class are missing or not ready.
//!
//! Its explanation (what `kreach explain ingress-controller-not-ready` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-controller-not-ready/`.

use crate::context::Context;
use crate::controller::{class_of, controller_of};
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::PodState;
use crate::message::ingress::Evidence;
use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::workload::is_ready;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// No workload or pod of the class's controller was found.
    NoControllerFound {
        /// The product (`ingress-nginx`, `Traefik`, …); None for a
        /// controller kreach does not know.
        product: Option<String>,
        /// `spec.controller` of the class.
        controller: String,
        /// The Ingress's class (None: unknown).
        class: Option<String>,
    },
    /// The controller's workload has no pods.
    NoPods {
        /// As in [`Problem::NoControllerFound`].
        product: Option<String>,
        /// The replicas the workload wants (None: unknown).
        desired_replicas: Option<i32>,
    },
    /// The controller has pods, and none is ready.
    NoneReady {
        /// As in [`Problem::NoControllerFound`].
        product: Option<String>,
        /// How many pods it has.
        pods: usize,
    },
}

declare_check! {
    /// ## What it checks
    /// The controller that serves the Ingress's class (found from
    /// `IngressClass.spec.controller`: ingress-nginx and the distributions'
    /// renamed classes, Traefik, HAProxy, Contour/Envoy, Kong, NGINX Inc.,
    /// Istio, AWS Load Balancer Controller, …) has pods, and they are
    /// Running and Ready. Controllers that run outside the cluster (GKE's
    /// ingress-gce) are not judged.
    ///
    /// ## Why it breaks reachability
    /// The controller's pods are the proxies the traffic passes through.
    /// With none ready, the load balancer in front of them has no backend and
    /// every request fails, whatever the Ingress rules say.
    ///
    /// ## How to fix
    /// Bring the controller back: scale it up, fix its crash, its
    /// scheduling or its node.
    ///
    /// ## Example
    /// `kubectl -n ingress-nginx scale deployment ingress-nginx-controller --replicas=2`
    pub static CHECK = {
        name: "ingress-controller-not-ready",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [IngressController, Ingress],
        reads: [Ingress, IngressClass, Pod, Deployment, DaemonSet, Service],
        uses: [Event, ReplicaSet, StatefulSet],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the pods of the controller serving the Ingress class are missing or not ready",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<ObjectRef> = Vec::new();
    for (ing, paths) in cx.ingresses() {
        let class = class_of(cx.snap, ing);
        let Some(ctrl_name) = class.controller() else {
            continue;
        };
        let Some(c) = controller_of(cx.snap, ing) else {
            continue;
        };
        if c.external {
            continue;
        }
        let ready = c.pods.iter().filter(|p| is_ready(p)).count();
        if ready > 0 {
            continue;
        }
        let object = c.workload.clone().unwrap_or_else(|| {
            ObjectRef::cluster(
                crate::Kind::IngressClass,
                class.name.as_deref().unwrap_or(""),
            )
        });
        if let Some(f) = out
            .iter_mut()
            .find(|f| f.check == CHECK.name && f.object == object)
        {
            for p in paths {
                if !f.paths.contains(&p) {
                    f.paths.push(p);
                }
            }
            f.related.push(obj_ref(ing));
            continue;
        }
        if seen.contains(&object) {
            continue;
        }
        seen.push(object.clone());
        let product = c.known_product();
        let problem = if c.workload.is_none() {
            Problem::NoControllerFound {
                product,
                controller: ctrl_name.to_string(),
                class: class.name.clone(),
            }
        } else if c.pods.is_empty() {
            Problem::NoPods {
                product,
                desired_replicas: c.desired,
            }
        } else {
            Problem::NoneReady {
                product,
                pods: c.pods.len(),
            }
        };
        let mut f =
            Finding::new(&CHECK, object.clone(), problem).evidence(Evidence::ClassController {
                class: class.name.clone(),
                controller: ctrl_name.to_string(),
            });
        for p in c.pods.iter().take(5) {
            f = f.evidence(Evidence::ControllerPod {
                pod: p.name().to_string(),
                state: PodState::of(p),
            });
        }
        if let Some(w) = &c.workload {
            let events = cx.snap.events_for(w);
            f = f.evidence_all(events.iter().take(2).copied());
            if c.pods.is_empty() && w.kind == crate::Kind::Deployment {
                f = f.fix(format!(
                    "kubectl -n {} scale deployment {} --replicas=2",
                    w.ns(),
                    w.name
                ));
            }
            f = f.fix(format!(
                "kubectl -n {} describe {} {}",
                w.ns(),
                w.kind.name().to_ascii_lowercase(),
                w.name
            ));
        }
        // The controller's own Services are symptoms of this.
        f = f
            .related(c.services.iter().map(|s| obj_ref(*s)))
            .related([obj_ref(ing)])
            .related(
                class
                    .name
                    .iter()
                    .map(|n| ObjectRef::cluster(crate::Kind::IngressClass, n)),
            )
            .on_paths(paths);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
