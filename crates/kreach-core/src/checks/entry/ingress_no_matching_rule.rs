//! The `ingress-no-matching-rule` check: the requested host/path matches no Ingress rule.
//!
//! Its explanation (what `kreach explain ingress-no-matching-rule` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-no-matching-rule/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::resolve::Issue;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {}

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
        let rule = format!(
            "{}{} ({})",
            miss.host.as_deref().unwrap_or("*"),
            miss.rule_path.as_deref().unwrap_or(""),
            miss.path_type.as_deref().unwrap_or("no paths")
        );
        let mut f = Finding::new(
            &CHECK,
            ingress.clone(),
            format!("{host}{path} matches no Ingress rule; the closest is {rule} in {ingress}"),
        )
        .evidence(format!("closest rule: {}", miss.reason))
        .evidence(
            "requests that match no rule go to the controller's default backend (usually 404)",
        );
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
            f = f.fix(format!(
                "curl -H 'Host: {}' …  # the host the rule serves",
                miss.host.as_deref().unwrap_or("")
            ));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
