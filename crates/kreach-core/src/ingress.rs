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
use serde::Serialize;

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
    /// Boxed: it is large, and `resolve::Issue` carries a `NearMiss`.
    pub reason: Box<MissReason>,
}

/// Why a rule misses a request: its host, its path, or both. At least one
/// is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MissReason {
    /// The rule's host does not match the request's host.
    pub host: Option<HostMiss>,
    /// The rule's path does not match the request's path (or, when its host
    /// matches, the rule has no paths).
    pub path: Option<PathMiss>,
}

/// How a rule's host misses the request's host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HostMiss {
    /// The request is the wildcard's own domain (`example.com` for
    /// `*.example.com`): a wildcard needs exactly one more label.
    WildcardNeedsOneLabel {
        /// The request's host.
        host: String,
        /// The rule's host, `*.` included.
        rule_host: String,
        /// The rule's host without `*.`, lowercase.
        suffix: String,
    },
    /// The request has several labels where the wildcard covers one
    /// (`a.b.example.com` for `*.example.com`).
    WildcardOneLabelOnly { host: String, rule_host: String },
    /// The hosts are close: likely a typo.
    Typo {
        host: String,
        rule_host: String,
        /// Edit distance between the two (1 to 3).
        distance: usize,
    },
    /// Another host altogether.
    Other { host: String, rule_host: String },
}

/// How a rule's path misses the request's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PathMiss {
    /// An `Exact` path that differs only by a trailing slash.
    ExactTrailingSlash { path: String, rule_path: String },
    /// An `Exact` path that differs only in case.
    ExactCase { path: String, rule_path: String },
    /// An `Exact` path that is another path.
    ExactOther { path: String, rule_path: String },
    /// A prefix path the request starts with as a string but not element
    /// by element (`/v1` and `/v1beta`).
    PrefixStringOnly {
        path: String,
        rule_path: String,
        /// `Prefix` or `ImplementationSpecific` (read as `Prefix`).
        path_type: String,
    },
    /// A prefix path that differs only in case.
    PrefixCase {
        path: String,
        rule_path: String,
        path_type: String,
    },
    /// A prefix path the request is not under.
    PrefixOther {
        path: String,
        rule_path: String,
        path_type: String,
    },
    /// The rule (whose host matches) has no `http.paths`.
    NoHttpPaths,
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
        let host_miss = (!host_ok).then(|| host_miss_reason(rh.unwrap_or(""), host));
        let paths = r
            .http
            .as_ref()
            .map(|h| h.paths.as_slice())
            .unwrap_or_default();
        if paths.is_empty() {
            let path_miss = host_miss.is_none().then_some(PathMiss::NoHttpPaths);
            let cand = NearMiss {
                rule: ri,
                path: None,
                host: rh.map(str::to_string),
                rule_path: None,
                path_type: None,
                distance: host_dist * 4 + 50,
                reason: Box::new(MissReason {
                    host: host_miss,
                    path: path_miss,
                }),
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
            if host_ok && path_ok {
                continue;
            }
            let path_dist = if path_ok { 0 } else { edit_distance(rp, path) };
            let path_miss = (!path_ok).then(|| path_miss_reason(kind, &p.path_type, rp, path));
            let cand = NearMiss {
                rule: ri,
                path: Some(pi),
                host: rh.map(str::to_string),
                rule_path: Some(rp.to_string()),
                path_type: Some(p.path_type.clone()),
                distance: host_dist * 4 + path_dist,
                reason: Box::new(MissReason {
                    host: host_miss.clone(),
                    path: path_miss,
                }),
            };
            if best.as_ref().is_none_or(|b| cand.distance < b.distance) {
                best = Some(cand);
            }
        }
    }
    best
}

fn host_miss_reason(rule_host: &str, host: &str) -> HostMiss {
    let rule_l = rule_host.to_ascii_lowercase();
    let (host, rule_host) = (host.to_string(), rule_host.to_string());
    if let Some(suffix) = rule_l.strip_prefix("*.") {
        if host == suffix {
            return HostMiss::WildcardNeedsOneLabel {
                host,
                rule_host,
                suffix: suffix.to_string(),
            };
        }
        if host.ends_with(&format!(".{suffix}")) {
            return HostMiss::WildcardOneLabelOnly { host, rule_host };
        }
    }
    let distance = edit_distance(&rule_l, &host);
    if distance <= 3 {
        HostMiss::Typo {
            host,
            rule_host,
            distance,
        }
    } else {
        HostMiss::Other { host, rule_host }
    }
}

fn path_miss_reason(kind: PathKind, path_type: &str, rule_path: &str, path: &str) -> PathMiss {
    let (path_s, rule_path_s) = (path.to_string(), rule_path.to_string());
    match kind {
        PathKind::Exact => {
            if rule_path.trim_end_matches('/') == path.trim_end_matches('/') {
                PathMiss::ExactTrailingSlash {
                    path: path_s,
                    rule_path: rule_path_s,
                }
            } else if rule_path.eq_ignore_ascii_case(path) {
                PathMiss::ExactCase {
                    path: path_s,
                    rule_path: rule_path_s,
                }
            } else {
                PathMiss::ExactOther {
                    path: path_s,
                    rule_path: rule_path_s,
                }
            }
        }
        PathKind::Prefix => {
            let path_type = path_type.to_string();
            let rp = rule_path.trim_end_matches('/');
            if path.starts_with(rp) && !rp.is_empty() {
                PathMiss::PrefixStringOnly {
                    path: path_s,
                    rule_path: rule_path_s,
                    path_type,
                }
            } else if path
                .to_ascii_lowercase()
                .starts_with(&rp.to_ascii_lowercase())
            {
                PathMiss::PrefixCase {
                    path: path_s,
                    rule_path: rule_path_s,
                    path_type,
                }
            } else {
                PathMiss::PrefixOther {
                    path: path_s,
                    rule_path: rule_path_s,
                    path_type,
                }
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
        let path_only = |p: PathMiss| MissReason {
            host: None,
            path: Some(p),
        };
        let m = closest_rule(&ing, "shop.example.com", "/api").unwrap();
        assert_eq!(
            *m.reason,
            path_only(PathMiss::ExactTrailingSlash {
                path: "/api".into(),
                rule_path: "/api/".into()
            })
        );
        let m = closest_rule(&ing, "shop.example.com", "/v1beta").unwrap();
        assert_eq!(
            *m.reason,
            path_only(PathMiss::PrefixStringOnly {
                path: "/v1beta".into(),
                rule_path: "/v1".into(),
                path_type: "Prefix".into()
            })
        );
        let m = closest_rule(&ing, "shop.exmaple.com", "/v1").unwrap();
        assert_eq!(
            (*m.reason, m.rule_path.as_deref()),
            (
                MissReason {
                    host: Some(HostMiss::Typo {
                        host: "shop.exmaple.com".into(),
                        rule_host: "shop.example.com".into(),
                        distance: 2
                    }),
                    path: None
                },
                Some("/v1")
            )
        );
        let m = closest_rule(&ing, "shop.example.com", "/V1").unwrap();
        assert_eq!(
            *m.reason,
            path_only(PathMiss::PrefixCase {
                path: "/V1".into(),
                rule_path: "/v1".into(),
                path_type: "Prefix".into()
            })
        );
        let m = closest_rule(&ing, "shop.example.com", "/API/").unwrap();
        assert_eq!(
            *m.reason,
            path_only(PathMiss::ExactCase {
                path: "/API/".into(),
                rule_path: "/api/".into()
            })
        );
        let wild = ingress(
            vec![(Some("*.example.com"), vec![("/", "Prefix", "w")])],
            None,
        );
        assert_eq!(
            *closest_rule(&wild, "a.b.example.com", "/").unwrap().reason,
            MissReason {
                host: Some(HostMiss::WildcardOneLabelOnly {
                    host: "a.b.example.com".into(),
                    rule_host: "*.example.com".into()
                }),
                path: None
            }
        );
        assert_eq!(
            closest_rule(&wild, "example.com", "/").unwrap().reason.host,
            Some(HostMiss::WildcardNeedsOneLabel {
                host: "example.com".into(),
                rule_host: "*.example.com".into(),
                suffix: "example.com".into()
            })
        );
        // Host and path both miss: both are reported.
        let one = ingress(
            vec![(Some("shop.example.com"), vec![("/v1", "Prefix", "v1")])],
            None,
        );
        let m = closest_rule(&one, "other.example.net", "/nothing").unwrap();
        assert!(
            matches!(m.reason.host, Some(HostMiss::Other { .. }))
                && matches!(m.reason.path, Some(PathMiss::PrefixOther { .. })),
            "{m:?}"
        );
    }
}
