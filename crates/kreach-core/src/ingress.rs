//! Ingress rule matching with the semantics of the Ingress API
//! (networking.k8s.io/v1): exact and `*.` wildcard hosts (one label),
//! `Exact` and `Prefix` paths (element-wise), longest match wins, `Exact`
//! beats `Prefix` on a tie, `ImplementationSpecific` treated as `Prefix`,
//! and the `defaultBackend` when no path matches.
//!
//! It also explains a miss: the closest rule and why it does not match,
//! which is what `ingress-no-matching-rule` reports. It does not know about
//! controller-specific extensions (regex paths, rewrite annotations).

use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};

use crate::labels::edit_distance;

/// Whether an Ingress rule host matches a request host. An empty rule host
/// matches every host.
pub fn host_matches(rule_host: Option<&str>, host: &str) -> bool {
    let Some(rule) = rule_host.filter(|h| !h.is_empty()) else {
        return true;
    };
    let rule = rule.to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match rule.strip_prefix("*.") {
        Some(suffix) => match host.split_once('.') {
            Some((first, rest)) => !first.is_empty() && rest == suffix,
            None => false,
        },
        None => rule == host,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Exact,
    Prefix,
}

impl PathKind {
    pub fn of(path_type: &str) -> PathKind {
        if path_type == "Exact" {
            PathKind::Exact
        } else {
            // Prefix, and ImplementationSpecific read as Prefix.
            PathKind::Prefix
        }
    }
}

fn elements(p: &str) -> Vec<&str> {
    p.split('/').filter(|s| !s.is_empty()).collect()
}

/// Whether a rule path matches a request path.
pub fn path_matches(kind: PathKind, rule_path: &str, request: &str) -> bool {
    match kind {
        PathKind::Exact => rule_path == request,
        PathKind::Prefix => {
            let r = elements(rule_path);
            let q = elements(request);
            r.len() <= q.len() && r.iter().zip(&q).all(|(a, b)| a == b)
        }
    }
}

/// Where a request landed.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMatch {
    /// Index into `spec.rules`, None for the default backend.
    pub rule: Option<usize>,
    /// Index into the rule's `http.paths`.
    pub path: Option<usize>,
    pub host: Option<String>,
    pub rule_path: Option<String>,
    pub path_type: Option<String>,
    pub backend: IngressBackend,
}

/// Matches a request against one Ingress: the rule whose host matches (an
/// exact host before a wildcard one before a catch-all rule, as
/// controllers merge them) and, in it, the longest matching path.
pub fn match_ingress(ing: &Ingress, host: &str, path: &str) -> Option<RuleMatch> {
    let spec = ing.spec.as_ref()?;
    let rules = spec.rules.as_deref().unwrap_or_default();
    // Rules whose host matches, most specific host first.
    let mut candidates: Vec<(usize, u8)> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| host_matches(r.host.as_deref(), host))
        .map(|(i, r)| {
            let rank = match r.host.as_deref() {
                Some(h) if !h.is_empty() && !h.starts_with("*.") => 0,
                Some(h) if h.starts_with("*.") => 1,
                _ => 2,
            };
            (i, rank)
        })
        .collect();
    candidates.sort_by_key(|&(i, rank)| (rank, i));
    let mut best: Option<(u8, usize, usize, bool)> = None; // (rank, rule, path, exact)
    let mut best_len = 0usize;
    for (ri, rank) in candidates {
        if let Some((brank, ..)) = best
            && rank > brank
        {
            break;
        }
        let Some(http) = rules[ri].http.as_ref() else {
            continue;
        };
        for (pi, p) in http.paths.iter().enumerate() {
            let rule_path = p.path.as_deref().unwrap_or("/");
            let kind = PathKind::of(&p.path_type);
            if !path_matches(kind, rule_path, path) {
                continue;
            }
            let len = match kind {
                PathKind::Exact => rule_path.len(),
                PathKind::Prefix => elements(rule_path).iter().map(|e| e.len() + 1).sum(),
            };
            let exact = kind == PathKind::Exact;
            let better = match best {
                None => true,
                Some((_, _, _, bexact)) => len > best_len || (len == best_len && exact && !bexact),
            };
            if better {
                best = Some((rank, ri, pi, exact));
                best_len = len;
            }
        }
    }
    if let Some((_, ri, pi, _)) = best {
        let r = &rules[ri];
        let p = &r.http.as_ref().expect("matched above").paths[pi];
        return Some(RuleMatch {
            rule: Some(ri),
            path: Some(pi),
            host: r.host.clone().filter(|h| !h.is_empty()),
            rule_path: Some(p.path.clone().unwrap_or_else(|| "/".into())),
            path_type: Some(p.path_type.clone()),
            backend: p.backend.clone(),
        });
    }
    spec.default_backend.as_ref().map(|b| RuleMatch {
        rule: None,
        path: None,
        host: None,
        rule_path: None,
        path_type: None,
        backend: b.clone(),
    })
}

/// Why the closest rule of an Ingress misses a request.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    pub rule: usize,
    pub path: Option<usize>,
    pub host: Option<String>,
    pub rule_path: Option<String>,
    pub path_type: Option<String>,
    /// Lower is closer.
    pub distance: usize,
    pub reason: String,
}

/// The rule of `ing` that comes closest to serving `host` + `path`, and why
/// it does not.
pub fn closest_rule(ing: &Ingress, host: &str, path: &str) -> Option<NearMiss> {
    let rules = ing.spec.as_ref()?.rules.as_deref().unwrap_or_default();
    let mut best: Option<NearMiss> = None;
    for (ri, r) in rules.iter().enumerate() {
        let rh = r.host.as_deref().filter(|h| !h.is_empty());
        let host_ok = host_matches(rh, host);
        let host_dist = if host_ok {
            0
        } else {
            edit_distance(&rh.unwrap_or("").to_ascii_lowercase(), host)
        };
        let host_reason = (!host_ok).then(|| host_miss_reason(rh.unwrap_or(""), host));
        let paths = r
            .http
            .as_ref()
            .map(|h| h.paths.as_slice())
            .unwrap_or_default();
        if paths.is_empty() {
            let cand = NearMiss {
                rule: ri,
                path: None,
                host: rh.map(str::to_string),
                rule_path: None,
                path_type: None,
                distance: host_dist * 4 + 50,
                reason: host_reason.unwrap_or_else(|| "the rule has no http paths".into()),
            };
            if best.as_ref().is_none_or(|b| cand.distance < b.distance) {
                best = Some(cand);
            }
            continue;
        }
        for (pi, p) in paths.iter().enumerate() {
            let rp = p.path.as_deref().unwrap_or("/");
            let kind = PathKind::of(&p.path_type);
            let path_ok = path_matches(kind, rp, path);
            let path_dist = if path_ok { 0 } else { edit_distance(rp, path) };
            let reason = match (&host_reason, path_ok) {
                (Some(h), true) => h.clone(),
                (Some(h), false) => format!(
                    "{h}; and {}",
                    path_miss_reason(kind, &p.path_type, rp, path)
                ),
                (None, false) => path_miss_reason(kind, &p.path_type, rp, path),
                (None, true) => continue,
            };
            let cand = NearMiss {
                rule: ri,
                path: Some(pi),
                host: rh.map(str::to_string),
                rule_path: Some(rp.to_string()),
                path_type: Some(p.path_type.clone()),
                distance: host_dist * 4 + path_dist,
                reason,
            };
            if best.as_ref().is_none_or(|b| cand.distance < b.distance) {
                best = Some(cand);
            }
        }
    }
    best
}

fn host_miss_reason(rule_host: &str, host: &str) -> String {
    let rule_l = rule_host.to_ascii_lowercase();
    if let Some(suffix) = rule_l.strip_prefix("*.") {
        if host == suffix {
            return format!(
                "host {host} is not covered by {rule_host}: a wildcard needs exactly one more label (e.g. www.{suffix})"
            );
        }
        if host.ends_with(&format!(".{suffix}")) {
            return format!(
                "host {host} is not covered by {rule_host}: a wildcard covers exactly one label, not several"
            );
        }
    }
    let d = edit_distance(&rule_l, host);
    if d <= 3 {
        format!(
            "host {host} differs from the rule's host {rule_host} (a typo? {d} character(s) apart)"
        )
    } else {
        format!("host {host} is not the rule's host {rule_host}")
    }
}

fn path_miss_reason(kind: PathKind, path_type: &str, rule_path: &str, path: &str) -> String {
    match kind {
        PathKind::Exact => {
            if rule_path.trim_end_matches('/') == path.trim_end_matches('/') {
                format!(
                    "path {path} does not equal the Exact path {rule_path}: Exact paths must match byte for byte, trailing slash included"
                )
            } else if rule_path.eq_ignore_ascii_case(path) {
                format!(
                    "path {path} differs from the Exact path {rule_path} in case: paths are case-sensitive"
                )
            } else {
                format!("path {path} does not equal the Exact path {rule_path}")
            }
        }
        PathKind::Prefix => {
            let shown = if path_type == "Prefix" {
                "Prefix".to_string()
            } else {
                format!("{path_type} (read as Prefix)")
            };
            let rp = rule_path.trim_end_matches('/');
            if path.starts_with(rp) && !rp.is_empty() {
                format!(
                    "path {path} starts with {rule_path} only as a string: {shown} paths match whole path elements, so {rule_path} matches {rp} and {rp}/… but not {path}"
                )
            } else if path
                .to_ascii_lowercase()
                .starts_with(&rp.to_ascii_lowercase())
            {
                format!(
                    "path {path} differs from the {shown} path {rule_path} in case: paths are case-sensitive"
                )
            } else {
                format!("path {path} is not under the {shown} path {rule_path}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::networking::v1::{
        HTTPIngressPath, HTTPIngressRuleValue, IngressRule, IngressServiceBackend, IngressSpec,
        ServiceBackendPort,
    };

    fn backend(name: &str) -> IngressBackend {
        IngressBackend {
            service: Some(IngressServiceBackend {
                name: name.into(),
                port: Some(ServiceBackendPort {
                    number: Some(80),
                    name: None,
                }),
            }),
            resource: None,
        }
    }

    /// (host, [(path, pathType, service)]).
    type Rules<'a> = Vec<(Option<&'a str>, Vec<(&'a str, &'a str, &'a str)>)>;

    fn ingress(rules: Rules<'_>, default: Option<&str>) -> Ingress {
        Ingress {
            spec: Some(IngressSpec {
                default_backend: default.map(backend),
                rules: Some(
                    rules
                        .into_iter()
                        .map(|(h, paths)| IngressRule {
                            host: h.map(str::to_string),
                            http: Some(HTTPIngressRuleValue {
                                paths: paths
                                    .into_iter()
                                    .map(|(p, t, svc)| HTTPIngressPath {
                                        path: Some(p.into()),
                                        path_type: t.into(),
                                        backend: backend(svc),
                                    })
                                    .collect(),
                            }),
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// Every row of the path table on the Ingress concept page of the
    /// Kubernetes documentation ("Examples" under "Path types"; CC BY 4.0,
    /// The Kubernetes Authors), as transcribed in
    /// shared/oracles/ingress/k8s-docs/path_and_host_matching_examples.yaml.
    #[test]
    fn kubernetes_docs_path_table() {
        type Row = (
            u8,
            &'static [(&'static str, &'static str)],
            &'static str,
            Option<(&'static str, &'static str)>,
        );
        let rows: &[Row] = &[
            (1, &[("/", "Prefix")], "/", Some(("/", "Prefix"))),
            (1, &[("/", "Prefix")], "/foo/bar", Some(("/", "Prefix"))),
            (2, &[("/foo", "Exact")], "/foo", Some(("/foo", "Exact"))),
            (3, &[("/foo", "Exact")], "/bar", None),
            (4, &[("/foo", "Exact")], "/foo/", None),
            (5, &[("/foo/", "Exact")], "/foo", None),
            (6, &[("/foo", "Prefix")], "/foo", Some(("/foo", "Prefix"))),
            (6, &[("/foo", "Prefix")], "/foo/", Some(("/foo", "Prefix"))),
            (7, &[("/foo/", "Prefix")], "/foo", Some(("/foo/", "Prefix"))),
            (
                7,
                &[("/foo/", "Prefix")],
                "/foo/",
                Some(("/foo/", "Prefix")),
            ),
            (8, &[("/aaa/bb", "Prefix")], "/aaa/bbb", None),
            (
                9,
                &[("/aaa/bbb", "Prefix")],
                "/aaa/bbb",
                Some(("/aaa/bbb", "Prefix")),
            ),
            (
                10,
                &[("/aaa/bbb/", "Prefix")],
                "/aaa/bbb",
                Some(("/aaa/bbb/", "Prefix")),
            ),
            (
                11,
                &[("/aaa/bbb", "Prefix")],
                "/aaa/bbb/",
                Some(("/aaa/bbb", "Prefix")),
            ),
            (
                12,
                &[("/aaa/bbb", "Prefix")],
                "/aaa/bbb/ccc",
                Some(("/aaa/bbb", "Prefix")),
            ),
            (13, &[("/aaa/bbb", "Prefix")], "/aaa/bbbxyz", None),
            (
                14,
                &[("/", "Prefix"), ("/aaa", "Prefix")],
                "/aaa/ccc",
                Some(("/aaa", "Prefix")),
            ),
            (
                15,
                &[("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")],
                "/aaa/bbb",
                Some(("/aaa/bbb", "Prefix")),
            ),
            (
                16,
                &[("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")],
                "/ccc",
                Some(("/", "Prefix")),
            ),
            (17, &[("/aaa", "Prefix")], "/ccc", None),
            (
                18,
                &[("/foo", "Prefix"), ("/foo", "Exact")],
                "/foo",
                Some(("/foo", "Exact")),
            ),
        ];
        assert_eq!(rows.len(), 21);
        for (row, paths, request, want) in rows {
            let ing = ingress(
                vec![(None, paths.iter().map(|(p, t)| (*p, *t, "svc")).collect())],
                None,
            );
            let got = match_ingress(&ing, "any.example", request)
                .map(|m| (m.rule_path.unwrap(), m.path_type.unwrap()));
            let want = want.map(|(p, t)| (p.to_string(), t.to_string()));
            assert_eq!(got, want, "row {row}: request {request}");
        }
    }

    /// The hostname-wildcard table of the same page, and the derived checks
    /// on its sample `ingress-wildcard-host`.
    #[test]
    fn kubernetes_docs_host_table() {
        assert!(host_matches(Some("*.foo.com"), "bar.foo.com"));
        assert!(!host_matches(Some("*.foo.com"), "baz.bar.foo.com"));
        assert!(!host_matches(Some("*.foo.com"), "foo.com"));
        let ing = ingress(
            vec![
                (Some("foo.bar.com"), vec![("/bar", "Prefix", "service1")]),
                (Some("*.foo.com"), vec![("/foo", "Prefix", "service2")]),
            ],
            None,
        );
        let svc = |h: &str, p: &str| {
            match_ingress(&ing, h, p)
                .and_then(|m| m.backend.service)
                .map(|s| s.name)
        };
        assert_eq!(svc("foo.bar.com", "/bar/x").as_deref(), Some("service1"));
        assert_eq!(svc("app.foo.com", "/foo").as_deref(), Some("service2"));
        assert_eq!(svc("a.b.foo.com", "/foo"), None);
    }

    #[test]
    fn default_backend_and_implementation_specific() {
        let ing = ingress(
            vec![(
                Some("a.example"),
                vec![("/api", "ImplementationSpecific", "api")],
            )],
            Some("fallback"),
        );
        let m = match_ingress(&ing, "a.example", "/api/v1").unwrap();
        assert_eq!(m.backend.service.unwrap().name, "api");
        let m = match_ingress(&ing, "a.example", "/other").unwrap();
        assert_eq!(
            (m.rule, m.backend.service.unwrap().name.as_str()),
            (None, "fallback")
        );
    }

    #[test]
    fn exact_host_rule_beats_catch_all() {
        let ing = ingress(
            vec![
                (None, vec![("/", "Prefix", "catchall")]),
                (Some("a.example"), vec![("/", "Prefix", "a")]),
            ],
            None,
        );
        assert_eq!(
            match_ingress(&ing, "a.example", "/x")
                .unwrap()
                .backend
                .service
                .unwrap()
                .name,
            "a"
        );
        assert_eq!(
            match_ingress(&ing, "b.example", "/x")
                .unwrap()
                .backend
                .service
                .unwrap()
                .name,
            "catchall"
        );
    }

    #[test]
    fn near_miss_reasons() {
        let ing = ingress(
            vec![(
                Some("shop.example.com"),
                vec![("/api/", "Exact", "api"), ("/v1", "Prefix", "v1")],
            )],
            None,
        );
        let m = closest_rule(&ing, "shop.example.com", "/api").unwrap();
        assert!(m.reason.contains("trailing slash"), "{}", m.reason);
        let m = closest_rule(&ing, "shop.example.com", "/v1beta").unwrap();
        assert!(m.reason.contains("whole path elements"), "{}", m.reason);
        let m = closest_rule(&ing, "shop.exmaple.com", "/v1").unwrap();
        assert!(m.reason.contains("typo"), "{}", m.reason);
        let m = closest_rule(&ing, "shop.example.com", "/V1").unwrap();
        assert!(m.reason.contains("case"), "{}", m.reason);
        let wild = ingress(
            vec![(Some("*.example.com"), vec![("/", "Prefix", "w")])],
            None,
        );
        assert!(
            closest_rule(&wild, "a.b.example.com", "/")
                .unwrap()
                .reason
                .contains("exactly one label")
        );
    }
}
