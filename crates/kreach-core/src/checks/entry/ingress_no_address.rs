//! The `ingress-no-address` check: the Ingress has no address: no controller serves it (yet).
//!
//! Its explanation (what `kreach explain ingress-no-address` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-no-address/`.

use crate::context::Context;
use crate::controller::{class_of, find_controller, ingress_addresses, watch_excludes};
use crate::declare_check;
use crate::finding::Finding;
use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::workload::is_ready;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
        let mut f = Finding::new(
            &CHECK,
            obj_ref(ing),
            "ingress has no address: no controller has published one for it",
        );
        let mut blocks = true;
        let mut related: Vec<ObjectRef> = class
            .name
            .iter()
            .map(|n| ObjectRef::cluster("IngressClass", n))
            .collect();
        match class.controller() {
            None => {
                f = f.evidence(match &class.name {
                    Some(n) => format!("class {n} has no IngressClass, so no controller claims it"),
                    None => "the Ingress has no class and there is no default class".to_string(),
                });
            }
            Some(ctrl) => {
                let c = find_controller(cx.snap, ctrl, class.name.as_deref());
                related.extend(c.workload.clone());
                related.extend(c.services.iter().map(|s| obj_ref(*s)));
                let ready = c.pods.iter().filter(|p| is_ready(p)).count();
                f = f.evidence(format!(
                    "class {} is served by {} ({ctrl}){}",
                    class.name.as_deref().unwrap_or("?"),
                    c.workload
                        .as_ref()
                        .map(|w| w.to_string())
                        .unwrap_or_else(|| c.product.to_string()),
                    if c.external {
                        ", which runs outside the cluster".to_string()
                    } else {
                        format!(", {ready} of {} pods ready", c.pods.len())
                    }
                ));
                if let Some(flag) = watch_excludes(cx.snap, &c, ing.ns()) {
                    let labels = cx.snap.namespace_labels(ing.ns());
                    let shown: Vec<String> =
                        labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    f = f
                        .evidence(format!("the controller runs with {flag}, which does not include namespace {} (labels: {})", ing.ns(), shown.join(", ")))
                        .problem_replace(format!("ingress has no address: its controller does not watch namespace {} ({flag})", ing.ns()));
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
                        f = f.evidence(format!(
                            "Ingresses of the same class with an address: {}",
                            crate::checks::util::short_list(&served, 4)
                        ));
                    }
                } else if ready > 0 || c.external {
                    // Served, but the controller does not publish status.
                    blocks = false;
                    f = f.evidence("a ready controller claims the class: it may serve the Ingress without publishing an address (check its --publish-service / --report-status flags)");
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
