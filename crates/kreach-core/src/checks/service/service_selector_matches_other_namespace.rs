//! The `service-selector-matches-other-namespace` check: the Service's selector matches pods, but only in other namespaces.
//!
//! Its explanation (what `kreach explain service-selector-matches-other-namespace` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/service-selector-matches-other-namespace/`.

use std::collections::BTreeMap;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::labels::{Labels, map_selects};
use crate::message::service::Evidence;
use crate::object::MetaExt;
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The Service's selector matches no Pod of its namespace, but Pods of
    /// other namespaces.
    MatchesOnlyElsewhere {
        /// `spec.selector`.
        selector: Labels,
        /// The Service's namespace.
        namespace: String,
        /// The namespaces with matching Pods, sorted, every one.
        matching_namespaces: Vec<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// A Service's selector matches no Pod in its own namespace, but Pods in
    /// other namespaces carry its labels.
    ///
    /// ## Why it breaks reachability
    /// A Service only ever selects pods of its own namespace. Pods that
    /// "look right" elsewhere (a workload deployed to the wrong namespace,
    /// a Service applied with the wrong `-n`) never become its endpoints.
    ///
    /// ## How to fix
    /// Deploy the workload into the Service's namespace, or create the
    /// Service in the namespace of the pods (an Ingress must then point at
    /// it from that namespace too).
    ///
    /// ## Example
    /// Service `shop/web` selects `app=web`; the pods run in `shop-v2`:
    /// `kubectl get service web -n shop -o yaml | sed 's/namespace: shop$/namespace: shop-v2/' | kubectl apply -f -`
    pub static CHECK = {
        name: "service-selector-matches-other-namespace",
        layer: Service,
        needs: State,
        blocks: Yes,
        decides: [Service],
        reads: [Service, Pod],
        uses: [],
        explained_by: [
            crate::checks::entry::ingress_controller_not_ready::CHECK => SymptomRelated,
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the Service's selector matches pods, but only in other namespaces",
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
        let mut elsewhere: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for p in cx
            .snap
            .pods
            .iter()
            .filter(|p| p.ns() != f.svc.ns() && map_selects(&sel, p.labels()))
        {
            elsewhere
                .entry(p.ns())
                .or_default()
                .push(p.name().to_string());
        }
        if elsewhere.is_empty() {
            continue;
        }
        let ns = f.svc.ns();
        let namespaces: Vec<&str> = elsewhere.keys().copied().collect();
        let mut finding = Finding::new(
            &CHECK,
            f.sref.clone(),
            Problem::MatchesOnlyElsewhere {
                selector: sel.clone(),
                namespace: ns.to_string(),
                matching_namespaces: namespaces.iter().map(|n| n.to_string()).collect(),
            },
        )
        .evidence(Evidence::SelectsOwnNamespaceOnly);
        for (other, pods) in &elsewhere {
            finding = finding.evidence(Evidence::MatchingPodsIn {
                namespace: other.to_string(),
                pods: pods.clone(),
            });
        }
        let other = namespaces[0];
        finding = finding
            .fix(format!(
                "kubectl get service {name} -n {ns} -o json | jq '.metadata.namespace=\"{other}\" | del(.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.spec.clusterIP,.spec.clusterIPs,.status)' | kubectl apply -f -",
                name = f.svc.name()
            ));
        out.push(finding.on_paths(f.paths.clone()));
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
