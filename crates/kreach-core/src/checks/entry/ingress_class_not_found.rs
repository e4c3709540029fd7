//! The `ingress-class-not-found` check: the Ingress's class names no IngressClass, or no default class exists.
//!
//! Its explanation (what `kreach explain ingress-class-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-class-not-found/`.

use crate::context::Context;
use crate::controller::{ClassSource, class_of, default_classes};
use crate::declare_check;
use crate::finding::Finding;
use crate::message::ingress::{Evidence, IngressClassInfo};
use crate::object::{MetaExt, obj_ref};
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// `spec.ingressClassName` names no IngressClass.
    ClassNameNotFound { class: String },
    /// The legacy `kubernetes.io/ingress.class` annotation names no
    /// IngressClass (and no controller serves it by flag).
    AnnotationClassNotFound { class: String },
    /// No class is set and several IngressClasses are marked default.
    SeveralDefaults {
        /// How many are marked default.
        defaults: usize,
    },
    /// No class is set and no IngressClass is marked default.
    NoDefault,
}

declare_check! {
    /// ## What it checks
    /// The class of each Ingress on the path: `spec.ingressClassName` (or
    /// the legacy `kubernetes.io/ingress.class` annotation) names no
    /// IngressClass, or none is set and no IngressClass is marked default.
    /// Classes that a controller serves without an IngressClass object are
    /// not reported where the cluster shows it serves them: GKE's
    /// ingress-gce (`gce`, `gce-internal`, and classless Ingresses on GKE;
    /// shown by the load-balancer annotations it writes on the Ingress or by
    /// GKE nodes), the AWS Load Balancer Controller's legacy `alb`
    /// annotation and Azure's `azure/application-gateway` (shown by their
    /// pods or their load balancer's address).
    ///
    /// ## Why it breaks reachability
    /// Controllers only serve Ingresses of their class. An Ingress whose
    /// class nobody owns is ignored: no controller routes its hosts and it
    /// never gets an address.
    ///
    /// ## How to fix
    /// Set `ingressClassName` to a class that exists (kreach lists them and
    /// their controllers), or mark one class as the default.
    ///
    /// ## Example
    /// `kubectl -n shop patch ingress web -p '{"spec":{"ingressClassName":"nginx"}}'`
    pub static CHECK = {
        name: "ingress-class-not-found",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [Ingress, IngressController],
        reads: [Ingress, IngressClass, Pod],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Ingress's class names no IngressClass, or no default class exists",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::IngressClass) {
        return;
    }
    for (ing, paths) in cx.ingresses() {
        let c = class_of(cx.snap, ing);
        // A controller that serves the class without an IngressClass
        // object (GKE's ingress-gce, the legacy alb and Application
        // Gateway annotations) where the cluster shows it does.
        if c.class.is_some() || c.implicit.is_some() {
            continue;
        }
        let existing: Vec<IngressClassInfo> = cx
            .snap
            .ingress_classes
            .iter()
            .map(|ic| IngressClassInfo {
                name: ic.name().to_string(),
                controller: ic.spec.as_ref().and_then(|s| s.controller.clone()),
                default: ic.annotation(crate::controller::DEFAULT_CLASS_ANNOTATION) == Some("true"),
            })
            .collect();
        let message = match (&c.source, &c.name) {
            (ClassSource::Spec, Some(n)) => Problem::ClassNameNotFound { class: n.clone() },
            (ClassSource::Annotation, Some(n)) => {
                // Older controllers serve a class named only by their flag.
                let served = cx.snap.pods.iter().any(|p| {
                    p.spec.iter().flat_map(|s| s.containers.iter()).any(|co| {
                        co.args
                            .iter()
                            .flatten()
                            .any(|a| a == &format!("--ingress-class={n}"))
                    })
                });
                if served {
                    continue;
                }
                Problem::AnnotationClassNotFound { class: n.clone() }
            }
            _ if serves_classless(cx) => continue,
            _ => {
                let defaults = default_classes(cx.snap);
                if defaults.len() > 1 {
                    Problem::SeveralDefaults {
                        defaults: defaults.len(),
                    }
                } else {
                    Problem::NoDefault
                }
            }
        };
        let mut f = Finding::new(&CHECK, obj_ref(ing), message)
            .evidence(if existing.is_empty() {
                Evidence::NoIngressClasses
            } else {
                Evidence::IngressClasses { classes: existing }
            })
            .related(
                c.name
                    .iter()
                    .map(|n| crate::object::ObjectRef::cluster(crate::Kind::IngressClass, n)),
            )
            .on_paths(paths);
        if let Some(first) = cx.snap.ingress_classes.first() {
            let pick = default_classes(cx.snap)
                .first()
                .map(|c| c.name())
                .unwrap_or(first.name());
            let near = c
                .name
                .as_deref()
                .map(|n| {
                    crate::labels::closest(n, cx.snap.ingress_classes.iter().map(|c| c.name()), 1)
                })
                .unwrap_or_default();
            let pick = near.first().map(String::as_str).unwrap_or(pick);
            f = f.fix(format!("kubectl -n {} patch ingress {} --type merge -p '{{\"spec\":{{\"ingressClassName\":\"{pick}\"}}}}'", ing.ns(), ing.name()));
        }
        out.push(f);
    }
}

/// Controllers that serve Ingresses without a class: ingress-nginx with
/// `--watch-ingress-without-class=true`, Traefik unless its
/// `--providers.kubernetesingress.ingressclass` narrows it.
fn serves_classless(cx: &Context<'_>) -> bool {
    cx.snap.pods.iter().any(|p| {
        p.spec.iter().flat_map(|s| s.containers.iter()).any(|c| {
            let args: Vec<&String> = c
                .args
                .iter()
                .flatten()
                .chain(c.command.iter().flatten())
                .collect();
            let image = c.image.as_deref().unwrap_or("");
            args.iter().any(|a| {
                a.as_str() == "--watch-ingress-without-class=true"
                    || a.as_str() == "--watch-ingress-without-class"
            }) || (image.contains("traefik")
                && args.iter().any(|a| {
                    a.to_ascii_lowercase()
                        .starts_with("--providers.kubernetesingress")
                })
                && !args.iter().any(|a| {
                    a.to_ascii_lowercase()
                        .starts_with("--providers.kubernetesingress.ingressclass")
                }))
        })
    })
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
