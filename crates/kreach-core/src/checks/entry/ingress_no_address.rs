//! The `ingress-no-address` check: the Ingress has no address: no controller serves it (yet).
//!
//! Its explanation (what `kreach explain ingress-no-address` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-no-address/`.

use crate::context::Context;
use crate::controller::{class_of, find_controller, ingress_addresses, watch_excludes};
use crate::declare_check;
use crate::finding::Finding;
use crate::message::ingress::Evidence;
use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::workload::is_ready;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// No controller has published an address for the Ingress.
    NoAddress,
    /// No address, and the controller's flags exclude the Ingress's
    /// namespace.
    NamespaceNotWatched {
        namespace: String,
        /// The flag that excludes it, as the controller runs with it.
        flag: String,
    },
}

declare_check! {
    /// ## What it checks
    /// An Ingress on the path has no address in `status.loadBalancer.ingress`
    /// (`kubectl get ingress` shows an empty ADDRESS).
    ///
    /// ## Why it breaks reachability
    /// The controller writes the address once it serves the Ingress. An
    /// empty one usually means nobody serves it: no controller for its
    /// class, a controller that is down, a controller that does not watch the
    /// namespace, or a load balancer that is still pending. It blocks unless
    /// a ready controller claims the class and watches the namespace (some
    /// controllers simply do not publish an address).
    ///
    /// ## How to fix
    /// Follow the cause kreach links (class, controller, load balancer); for
    /// a controller that watches only some namespaces, label the namespace or
    /// widen its flags.
    ///
    /// ## Example
    /// `kubectl get ingress -n shop web` shows no ADDRESS;
    /// `kubectl -n ingress-nginx logs deploy/ingress-nginx-controller | grep shop/web`
    pub static CHECK = {
        name: "ingress-no-address",
        layer: Entry,
        needs: State,
        blocks: Maybe,
        decides: [Ingress],
        reads: [Ingress, IngressClass, Pod, Service],
        uses: [Namespace, Event],
        explained_by: [
            crate::checks::entry::loadbalancer_pending::CHECK => Linked,
            crate::checks::entry::ingress_class_not_found::CHECK => Linked,
            crate::checks::entry::ingress_controller_not_ready::CHECK => Linked,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Ingress has no address: no controller serves it (yet)",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (ing, paths) in cx.ingresses() {
        if !ingress_addresses(ing).is_empty() {
            continue;
        }
        let class = class_of(cx.snap, ing);
        let mut f = Finding::new(&CHECK, obj_ref(ing), Problem::NoAddress);
        let mut blocks = true;
        let mut related: Vec<ObjectRef> = class
            .name
            .iter()
            .map(|n| ObjectRef::cluster(crate::Kind::IngressClass, n))
            .collect();
        match class.controller() {
            None => {
                f = f.evidence(match &class.name {
                    Some(n) => Evidence::ClassWithoutIngressClass { class: n.clone() },
                    None => Evidence::NoClassNoDefault,
                });
            }
            Some(ctrl) => {
                let c = find_controller(cx.snap, ctrl, class.name.as_deref());
                related.extend(c.workload.clone());
                related.extend(c.services.iter().map(|s| obj_ref(*s)));
                let ready = c.pods.iter().filter(|p| is_ready(p)).count();
                f = f.evidence(Evidence::ServedBy {
                    class: class.name.clone(),
                    workload: c.workload.clone(),
                    product: c.known_product(),
                    controller: ctrl.to_string(),
                    external: c.external,
                    ready_pods: ready,
                    pods: c.pods.len(),
                });
                // Which namespaces a selector watches needs their labels:
                // without them, whether the controller sees this Ingress is
                // not known.
                let selects = watch_excludes(cx.snap, &c, ing.ns());
                if selects
                    .as_deref()
                    .is_some_and(|f| f.starts_with("--watch-namespace-selector="))
                    && !cx.has_kind(crate::Kind::Namespace)
                {
                    f = f.undecided_without(crate::Kind::Namespace);
                } else if let Some(flag) = selects {
                    f = f
                        .evidence(Evidence::WatchExcludes {
                            flag: flag.clone(),
                            namespace: ing.ns().to_string(),
                            labels: cx.snap.namespace_labels(ing.ns()),
                        })
                        .problem_replace(Problem::NamespaceNotWatched {
                            namespace: ing.ns().to_string(),
                            flag: flag.clone(),
                        });
                    if let Some(sel) = flag.strip_prefix("--watch-namespace-selector=") {
                        let first = sel.split(',').next().unwrap_or(sel);
                        if let Some((k, v)) = first.split_once('=') {
                            f = f.fix(format!(
                                "kubectl label namespace {} {}={}",
                                ing.ns(),
                                k.trim(),
                                v.trim()
                            ));
                        }
                    }
                    // Other Ingresses of the class that do have addresses.
                    let served: Vec<String> = cx
                        .snap
                        .ingresses
                        .iter()
                        .filter(|o| {
                            !ingress_addresses(o).is_empty()
                                && class_of(cx.snap, o).name == class.name
                        })
                        .map(|o| format!("{}/{}", o.ns(), o.name()))
                        .collect();
                    if !served.is_empty() {
                        f = f.evidence(Evidence::SameClassWithAddress { ingresses: served });
                    }
                } else if ready > 0 || c.external {
                    // Served, but the controller does not publish status.
                    blocks = false;
                    f = f.evidence(Evidence::MayServeWithoutAddress);
                }
            }
        }
        f = f
            .fix(format!(
                "kubectl -n {} describe ingress {}",
                ing.ns(),
                ing.name()
            ))
            .blocking(blocks)
            .related(related)
            .on_paths(paths);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
