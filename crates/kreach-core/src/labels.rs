//! Label selection as the API server does it, and "how close is this pod"
//! for selector mismatches.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

pub type Labels = BTreeMap<String, String>;

/// A Service selector (a plain map) matches when every pair is present.
/// An empty selector matches nothing here: a Service without selector does
/// not select pods (its endpoints are managed by hand).
pub fn map_selects(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A `metav1.LabelSelector` (Deployments, NetworkPolicies): empty selects all.
pub fn selector_selects(selector: &LabelSelector, labels: &Labels) -> bool {
    if let Some(ml) = &selector.match_labels
        && !ml.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    for e in selector.match_expressions.iter().flatten() {
        let have = labels.get(&e.key);
        let values = e.values.as_deref().unwrap_or_default();
        let ok = match e.operator.as_str() {
            "In" => have.is_some_and(|v| values.contains(v)),
            "NotIn" => have.is_none_or(|v| !values.contains(v)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// How a pod's labels differ from a selector: typed facts (the report
/// words them), also the grouping key of pods that differ the same way.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub struct LabelDiff {
    /// Keys the pod has with another value, in key order.
    pub differing: Vec<DifferingLabel>,
    /// Keys the pod lacks, in key order.
    pub missing: Vec<MissingLabel>,
    /// How many pairs of the selector the pod has.
    pub matching: usize,
}

/// A selector pair the pod has with another value.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub struct DifferingLabel {
    pub key: String,
    /// The selector's value.
    pub wanted: String,
    /// The pod's value.
    pub actual: String,
}

/// A selector pair whose key the pod lacks.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub struct MissingLabel {
    pub key: String,
    /// The selector's value.
    pub wanted: String,
}

impl LabelDiff {
    pub fn of(selector: &Labels, labels: &Labels) -> Self {
        let mut d = LabelDiff {
            differing: vec![],
            missing: vec![],
            matching: 0,
        };
        for (k, v) in selector {
            match labels.get(k) {
                Some(a) if a == v => d.matching += 1,
                Some(a) => d.differing.push(DifferingLabel {
                    key: k.clone(),
                    wanted: v.clone(),
                    actual: a.clone(),
                }),
                None => d.missing.push(MissingLabel {
                    key: k.clone(),
                    wanted: v.clone(),
                }),
            }
        }
        d
    }

    pub fn mismatches(&self) -> usize {
        self.differing.len() + self.missing.len()
    }
}

/// A Service selector as kubectl's `-l` argument: `app=web,tier=frontend`
/// (for fix commands; the report words selectors itself).
pub fn format_selector(selector: &Labels) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Levenshtein distance, for "did you mean" lists.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The names closest to `wanted` (at most `n`, within a sensible distance).
pub fn closest<'a>(
    wanted: &str,
    names: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let limit = (wanted.chars().count() / 2).max(2);
    let mut scored: Vec<(usize, &str)> = names
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= limit || c.contains(wanted) || wanted.contains(*c))
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(n)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn service_selector_needs_every_pair_and_empty_selects_nothing() {
        let pod = l(&[("app", "web"), ("tier", "frontend"), ("x", "y")]);
        assert!(map_selects(
            &l(&[("app", "web"), ("tier", "frontend")]),
            &pod
        ));
        assert!(!map_selects(
            &l(&[("app", "web"), ("tier", "front-end")]),
            &pod
        ));
        assert!(!map_selects(&l(&[]), &pod));
    }

    #[test]
    fn label_selector_expressions() {
        let pod = l(&[("app", "web"), ("env", "prod")]);
        let req = |k: &str, op: &str, v: &[&str]| LabelSelectorRequirement {
            key: k.into(),
            operator: op.into(),
            values: Some(v.iter().map(|s| s.to_string()).collect()),
        };
        let sel = |e: Vec<LabelSelectorRequirement>| LabelSelector {
            match_expressions: Some(e),
            match_labels: None,
        };
        assert!(selector_selects(&LabelSelector::default(), &pod));
        assert!(selector_selects(
            &sel(vec![req("env", "In", &["prod", "stage"])]),
            &pod
        ));
        assert!(!selector_selects(
            &sel(vec![req("env", "NotIn", &["prod"])]),
            &pod
        ));
        assert!(selector_selects(
            &sel(vec![req("team", "NotIn", &["a"])]),
            &pod
        ));
        assert!(selector_selects(
            &sel(vec![req("app", "Exists", &[])]),
            &pod
        ));
        assert!(!selector_selects(
            &sel(vec![req("app", "DoesNotExist", &[])]),
            &pod
        ));
        assert!(!selector_selects(
            &sel(vec![req("app", "Bogus", &[])]),
            &pod
        ));
    }

    #[test]
    fn diff_names_the_differing_and_missing_keys() {
        let d = LabelDiff::of(
            &l(&[("app", "web"), ("tier", "frontend"), ("env", "prod")]),
            &l(&[("app", "web"), ("tier", "front-end")]),
        );
        assert_eq!(d.matching, 1);
        assert_eq!(d.mismatches(), 2);
        assert_eq!(
            d.differing,
            vec![DifferingLabel {
                key: "tier".into(),
                wanted: "frontend".into(),
                actual: "front-end".into(),
            }]
        );
        assert_eq!(
            d.missing,
            vec![MissingLabel {
                key: "env".into(),
                wanted: "prod".into(),
            }]
        );
        assert_eq!(
            format_selector(&l(&[("tier", "frontend"), ("app", "web")])),
            "app=web,tier=frontend"
        );
    }

    #[test]
    fn closest_names() {
        assert_eq!(edit_distance("webb", "web"), 1);
        assert_eq!(
            closest("webb", ["web", "api", "checkout", "web-admin"], 3),
            vec!["web"]
        );
        assert_eq!(
            closest("web", ["web-admin", "api"], 3),
            vec!["web-admin"],
            "a name that contains it"
        );
        assert!(closest("zzzzzz", ["web"], 3).is_empty());
    }
}
