//! Label selectors with the exact `metav1.LabelSelector` semantics, and their
//! kubectl-style text (`app=web,tier in (a,b),!canary`).
//!
//! An empty selector (`{}`) matches everything. A *missing* selector means
//! different things in different places (a peer without `podSelector` is not
//! "all pods"), so the `Option` is the caller's business: these functions only
//! ever see a selector that is present.
//!
//! A selector the API server would reject (unknown operator, `In` without
//! values, `Exists` with values) matches nothing here, as it does in the
//! `LabelSelectorAsSelector` conversion that network plugins use;
//! [`selector_problem`] says why, so that a report can show it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

use crate::{Invalid, RequirementProblem};

/// Whether `labels` satisfy `selector`: every `matchLabels` pair and every
/// `matchExpressions` requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`)
/// must hold. An empty selector matches every label set; an invalid one
/// matches none.
///
/// `NotIn` and `DoesNotExist` match objects that lack the key, as in
/// Kubernetes.
pub fn label_selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_hold = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(key, value)| labels.get(key) == Some(value));
    labels_hold
        && selector
            .match_expressions
            .iter()
            .flatten()
            .all(|requirement| requirement_matches(requirement, labels))
}

fn requirement_matches(
    requirement: &LabelSelectorRequirement,
    labels: &BTreeMap<String, String>,
) -> bool {
    let values = requirement.values.as_deref().unwrap_or_default();
    let current = labels.get(&requirement.key);
    // The empty-values guards make a requirement the API server would reject
    // match nothing, rather than everything.
    match requirement.operator.as_str() {
        "In" => !values.is_empty() && current.is_some_and(|v| values.contains(v)),
        "NotIn" => !values.is_empty() && current.is_none_or(|v| !values.contains(v)),
        "Exists" => values.is_empty() && current.is_some(),
        "DoesNotExist" => values.is_empty() && current.is_none(),
        _ => false,
    }
}

/// Why the API server would reject `selector`, if it would.
pub(crate) fn selector_problem(selector: &LabelSelector) -> Option<Invalid> {
    for requirement in selector.match_expressions.iter().flatten() {
        let has_values = requirement.values.as_ref().is_some_and(|v| !v.is_empty());
        let problem = match requirement.operator.as_str() {
            "In" | "NotIn" if !has_values => RequirementProblem::NeedsValues,
            "Exists" | "DoesNotExist" if has_values => RequirementProblem::MustNotHaveValues,
            "In" | "NotIn" | "Exists" | "DoesNotExist" => continue,
            _ => RequirementProblem::UnknownOperator,
        };
        return Some(Invalid::BadRequirement {
            key: requirement.key.clone(),
            operator: requirement.operator.clone(),
            problem,
        });
    }
    None
}

/// Whether the selector has neither labels nor expressions (matches all).
pub fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector
        .match_labels
        .as_ref()
        .is_none_or(BTreeMap::is_empty)
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(Vec::is_empty)
}

/// kubectl-style text of a selector; empty for an empty selector.
pub fn selector_text(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for requirement in selector.match_expressions.iter().flatten() {
        let key = &requirement.key;
        let values = requirement.values.as_deref().unwrap_or_default().join(",");
        parts.push(match requirement.operator.as_str() {
            "In" => format!("{key} in ({values})"),
            "NotIn" => format!("{key} notin ({values})"),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => format!("{key} {other} ({values})"),
        });
    }
    parts.join(",")
}

/// `k=v,k2=v2` for a label map, leaving out the per-instance labels that
/// controllers add (they only make messages longer).
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    let mut text = String::new();
    for (k, v) in labels.iter().filter(|(k, _)| !is_per_instance_label(k)) {
        if !text.is_empty() {
            text.push(',');
        }
        let _ = write!(text, "{k}={v}");
    }
    text
}

/// Labels a controller stamps on each pod or revision; selecting on them
/// would pin a rule to one generation of pods.
pub(crate) fn is_per_instance_label(key: &str) -> bool {
    matches!(
        key,
        "pod-template-hash"
            | "controller-revision-hash"
            | "pod-template-generation"
            | "statefulset.kubernetes.io/pod-name"
            | "apps.kubernetes.io/pod-index"
            | "controller-uid"
            | "batch.kubernetes.io/controller-uid"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn req(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: if values.is_empty() {
                None
            } else {
                Some(values.iter().map(|v| v.to_string()).collect())
            },
        }
    }

    fn exprs(reqs: Vec<LabelSelectorRequirement>) -> LabelSelector {
        LabelSelector {
            match_expressions: Some(reqs),
            ..Default::default()
        }
    }

    #[test]
    fn empty_selector_matches_everything() {
        assert!(label_selector_matches(
            &LabelSelector::default(),
            &labels(&[])
        ));
        assert!(label_selector_matches(
            &LabelSelector::default(),
            &labels(&[("a", "b")])
        ));
        let explicit_empty = LabelSelector {
            match_labels: Some(BTreeMap::new()),
            match_expressions: Some(vec![]),
        };
        assert!(label_selector_matches(&explicit_empty, &labels(&[])));
    }

    #[test]
    fn match_labels_need_every_pair() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web"), ("tier", "fe")])),
            ..Default::default()
        };
        assert!(label_selector_matches(
            &sel,
            &labels(&[("app", "web"), ("tier", "fe"), ("x", "y")])
        ));
        assert!(!label_selector_matches(&sel, &labels(&[("app", "web")])));
        assert!(!label_selector_matches(
            &sel,
            &labels(&[("app", "web"), ("tier", "be")])
        ));
    }

    #[test]
    fn in_and_not_in() {
        let sel = exprs(vec![req("env", "In", &["prod", "stage"])]);
        assert!(label_selector_matches(&sel, &labels(&[("env", "prod")])));
        assert!(!label_selector_matches(&sel, &labels(&[("env", "dev")])));
        assert!(!label_selector_matches(&sel, &labels(&[])));

        let sel = exprs(vec![req("env", "NotIn", &["prod"])]);
        assert!(label_selector_matches(&sel, &labels(&[("env", "dev")])));
        // Kubernetes: NotIn also matches objects without the key.
        assert!(label_selector_matches(&sel, &labels(&[])));
        assert!(!label_selector_matches(&sel, &labels(&[("env", "prod")])));
    }

    #[test]
    fn exists_and_does_not_exist() {
        let sel = exprs(vec![req("canary", "Exists", &[])]);
        assert!(label_selector_matches(&sel, &labels(&[("canary", "")])));
        assert!(!label_selector_matches(&sel, &labels(&[])));
        let sel = exprs(vec![req("canary", "DoesNotExist", &[])]);
        assert!(label_selector_matches(&sel, &labels(&[])));
        assert!(!label_selector_matches(
            &sel,
            &labels(&[("canary", "true")])
        ));
    }

    #[test]
    fn labels_and_expressions_are_anded() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            match_expressions: Some(vec![req("env", "In", &["prod"])]),
        };
        assert!(label_selector_matches(
            &sel,
            &labels(&[("app", "web"), ("env", "prod")])
        ));
        assert!(!label_selector_matches(
            &sel,
            &labels(&[("app", "web"), ("env", "dev")])
        ));
        assert!(!label_selector_matches(
            &sel,
            &labels(&[("app", "api"), ("env", "prod")])
        ));
    }

    #[test]
    fn invalid_requirements_match_nothing_and_say_why() {
        for bad in [
            req("env", "In", &[]),
            req("env", "NotIn", &[]),
            req("env", "Exists", &["x"]),
            req("env", "DoesNotExist", &["x"]),
            req("env", "in", &["prod"]),
            req("env", "Equals", &["prod"]),
        ] {
            let sel = exprs(vec![bad]);
            assert!(
                !label_selector_matches(&sel, &labels(&[("env", "prod")])),
                "{sel:?}"
            );
            assert!(!label_selector_matches(&sel, &labels(&[])), "{sel:?}");
            assert!(selector_problem(&sel).is_some(), "{sel:?}");
        }
        assert_eq!(
            selector_problem(&exprs(vec![req("env", "In", &["a"])])),
            None
        );
    }

    #[test]
    fn text_is_kubectl_style() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            match_expressions: Some(vec![
                req("env", "In", &["a", "b"]),
                req("x", "NotIn", &["c"]),
                req("y", "Exists", &[]),
                req("z", "DoesNotExist", &[]),
            ]),
        };
        assert_eq!(selector_text(&sel), "app=web,env in (a,b),x notin (c),y,!z");
        assert_eq!(selector_text(&LabelSelector::default()), "");
    }

    #[test]
    fn label_text_skips_controller_hashes() {
        assert_eq!(
            labels_text(&labels(&[("app", "web"), ("pod-template-hash", "abc")])),
            "app=web"
        );
    }
}
