//! The `service-selector-matches-no-pod` check: the Service's selector matches no pod in its namespace.
//!
//! Its explanation (what `kreach explain service-selector-matches-no-pod` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-selector-matches-no-pod/`.

use std::collections::BTreeMap;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::labels::{LabelDiff, Labels, map_selects};
use crate::message::service::Evidence;
use crate::object::MetaExt;
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service's selector matches no Pod of its namespace (nor of any
    /// other: that is `service-selector-matches-other-namespace`).
    MatchesNoPod {
        /// `spec.selector`.
        selector: Labels,
        /// The Service's namespace.
        namespace: String,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service on the path has a selector, and no Pod in the Service's
    /// namespace carries all of its labels.
    ///
    /// ## Why it breaks reachability
    /// The endpoints controllers publish exactly the pods the selector
    /// matches. With none, the Service has no endpoints and kube-proxy
    /// rejects or drops every connection to it, however healthy the pods are.
    ///
    /// ## How to fix
    /// Make the two sides agree: patch the Service selector to the labels
    /// the pods carry (the smaller change), or relabel the pod template.
    /// kreach shows the closest pods and the exact keys and values that
    /// differ.
    ///
    /// ## Example
    /// Service `web` selects `app=web,tier=frontend`; after a rollout the pods
    /// are labelled `tier=front-end`:
    /// `kubectl -n shop patch service web --type merge -p '{"spec":{"selector":{"tier":"front-end"}}}'`
    pub static CHECK = {
        name: "service-selector-matches-no-pod",
        layer: Service,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, Pod],
        uses: [Deployment],
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service's selector matches no pod in its namespace",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::Pod) {
        return;
    }
    for f in &cx.services {
        let Some(sel) = f.selector_matching_nothing() else {
            continue;
        };
        // Pods elsewhere that match: the other-namespace check reports it.
        if cx
            .snap
            .pods
            .iter()
            .any(|p| p.ns() != f.svc.ns() && map_selects(&sel, p.labels()))
        {
            continue;
        }
        let ns = f.svc.ns();
        let mut finding = Finding::new(
            &CHECK,
            f.sref.clone(),
            Problem::MatchesNoPod {
                selector: sel.clone(),
                namespace: ns.to_string(),
            },
        );
        // Group the closest pods by how they differ.
        let mut groups: BTreeMap<(usize, LabelDiff), Vec<String>> = BTreeMap::new();
        for p in cx.snap.pods_in(ns) {
            let d = LabelDiff::of(&sel, p.labels());
            if d.matching == 0 {
                continue;
            }
            groups
                .entry((d.mismatches(), d))
                .or_default()
                .push(p.name().to_string());
        }
        let mut best: Vec<_> = groups.into_iter().collect();
        best.sort_by_key(|((m, _), pods)| (*m, std::cmp::Reverse(pods.len())));
        for ((_, diff), pods) in best.iter().take(3) {
            finding = finding.evidence(Evidence::PodsDiffer {
                pods: pods.clone(),
                diff: diff.clone(),
            });
        }
        if let Some(((_, diff), _)) = best.first() {
            let mut patch = serde_json::Map::new();
            for l in &diff.differing {
                patch.insert(l.key.clone(), serde_json::Value::String(l.actual.clone()));
            }
            for l in &diff.missing {
                patch.insert(l.key.clone(), serde_json::Value::Null);
            }
            let body = serde_json::json!({"spec": {"selector": patch}}).to_string();
            finding = finding.fix(format!(
                "kubectl -n {ns} patch service {} --type merge -p '{body}'",
                f.svc.name()
            ));
        } else {
            let total = cx.snap.pods_in(ns).count();
            finding = finding.evidence(if total == 0 {
                Evidence::NamespaceHasNoPods {
                    namespace: ns.to_string(),
                }
            } else {
                Evidence::NoPodCarriesSelectorLabels {
                    namespace: ns.to_string(),
                    pods: total,
                }
            });
            // A workload whose template matches but runs no pods.
            for d in cx.snap.deployments.iter().filter(|d| d.ns() == ns) {
                let tl = d
                    .spec
                    .template
                    .metadata
                    .as_ref()
                    .and_then(|m| m.labels.clone())
                    .unwrap_or_default();
                if map_selects(&sel, &tl) {
                    let replicas = d.spec.replicas.unwrap_or(1);
                    finding = finding.evidence(Evidence::DeploymentMatches {
                        namespace: ns.to_string(),
                        name: d.name().to_string(),
                        replicas,
                    });
                    if replicas == 0 {
                        finding = finding.fix(format!(
                            "kubectl -n {ns} scale deployment {} --replicas=1",
                            d.name()
                        ));
                    }
                }
            }
            finding = finding.fix(format!("kubectl -n {ns} get pods --show-labels"));
        }
        out.push(finding.on_paths(f.paths.clone()));
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
