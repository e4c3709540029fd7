//! The `ingress-no-matching-rule` check: the requested host/path matches no Ingress rule.
//!
//! Its explanation (what `kreach explain ingress-no-matching-rule` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-no-matching-rule/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::Fix;
use crate::message::ingress::Evidence;
use crate::object::ObjectRef;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The request matches no rule of any Ingress; the closest rule is
    /// named (why it misses is the evidence).
    NoRule {
        /// The request's host.
        host: String,
        /// The request's path.
        path: String,
        /// The Ingress of the closest rule.
        ingress: ObjectRef,
        /// Index of the closest rule in `spec.rules`.
        rule: usize,
        /// Its host (None: every host).
        rule_host: Option<String>,
        /// Its path (None: the rule has no paths).
        rule_path: Option<String>,
        /// Its `pathType` (None: the rule has no paths).
        path_type: Option<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// The requested host and path (from a URL target) match no rule of any
    /// Ingress, with the Ingress API's semantics: exact hosts and `*.`
    /// wildcards covering one label, `Exact` paths byte for byte, `Prefix`
    /// paths element by element, no default backend to fall back to.
    ///
    /// ## Why it breaks reachability
    /// The controller answers requests that match no rule with its default
    /// backend, usually a 404: the app behind the Ingress never sees them.
    ///
    /// ## How to fix
    /// Correct the host or path (kreach shows the closest rule and why it
    /// misses: a host typo, `Exact` vs a trailing slash, a prefix that only
    /// matches as a string, a case difference), or add a rule.
    ///
    /// ## Example
    /// Rule `/v1` `Exact`, request `/v1/`: change the rule to `Prefix`, or
    /// request `/v1`.
    pub static CHECK = {
        name: "ingress-no-matching-rule",
        layer: Entry,
        needs: State,
        blocks: Yes,
        decides: [Ingress],
        reads: [Ingress],
        uses: [],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the requested host/path matches no Ingress rule",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for issue in &cx.res.issues {
        let Issue::NoMatchingRule {
            ingress,
            host,
            path,
            miss,
        } = issue
        else {
            continue;
        };
        let mut f = Finding::new(
            &CHECK,
            ingress.clone(),
            Problem::NoRule {
                host: host.clone(),
                path: path.clone(),
                ingress: ingress.clone(),
                rule: miss.rule,
                rule_host: miss.host.clone(),
                rule_path: miss.rule_path.clone(),
                path_type: miss.path_type.clone(),
            },
        )
        .evidence(Evidence::ClosestRule {
            reason: (*miss.reason).clone(),
        })
        .evidence(Evidence::DefaultBackendAnswers);
        if let (Some(rp), Some(pt)) = (&miss.rule_path, &miss.path_type)
            && let Some(ri) = Some(miss.rule)
            && let Some(pi) = miss.path
        {
            if pt == "Exact" {
                f = f.fix(format!(
                    "kubectl -n {} patch ingress {} --type json -p '[{{\"op\":\"replace\",\"path\":\"/spec/rules/{ri}/http/paths/{pi}/pathType\",\"value\":\"Prefix\"}}]'",
                    ingress.ns(),
                    ingress.name
                ));
            } else if !rp.is_empty() {
                f = f.fix(format!(
                    "kubectl -n {} get ingress {} -o yaml",
                    ingress.ns(),
                    ingress.name
                ));
            }
        }
        if miss
            .host
            .as_deref()
            .is_some_and(|h| !crate::ingress::host_matches(Some(h), host))
        {
            f = f.fix(Fix::CommandWithNote {
                command: format!("curl -H 'Host: {}' …", miss.host.as_deref().unwrap_or("")),
                note: Evidence::HostTheRuleServes.into(),
            });
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
