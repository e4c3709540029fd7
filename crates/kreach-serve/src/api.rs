//! Request routing: a Kubernetes API path and query → a JSON answer.
//!
//! One fallback handler parses the path itself (the API's paths are
//! regular: `/api/v1[/namespaces/NS]/PLURAL[/NAME]` and the same under
//! `/apis/GROUP/VERSION`), so that unknown paths get a Kubernetes `Status`
//! rather than the router's plain 404. It reads only; it keeps no state
//! between requests other than the request log.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri, header};
use serde_json::{Value, json};

use crate::selector::{FieldSelector, LabelSelector};
use crate::store::{Resource, Store};
use crate::{RequestLog, RequestRecord, table};

pub(crate) struct State {
    pub store: Store,
    pub log: RequestLog,
    pub addr: SocketAddr,
    /// `plural` or `plural/namespace` answered with 403.
    pub forbid: Vec<String>,
    pub token: Option<String>,
    /// See `ServeOptions::page_size`.
    pub page_size: Option<usize>,
    /// Continue tokens still to expire (see `ServeOptions::expire_continue`).
    pub expire_continue: std::sync::atomic::AtomicUsize,
}

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Percent-decodes one query component (`+` is a space).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(x) => {
                        out.push(x);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    content_type: &'static str,
}

fn json_answer(status: StatusCode, v: &Value) -> Answer {
    Answer {
        status,
        body: serde_json::to_vec(v).unwrap_or_default(),
        content_type: "application/json",
    }
}

fn status(code: StatusCode, reason: &str, message: &str) -> Answer {
    json_answer(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code.as_u16()}),
    )
}

async fn handle(
    AxState(st): AxState<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    let path = uri.path().to_string();
    let raw_query = uri.query().unwrap_or("");
    let query = parse_query(raw_query);
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let authorized = match &st.token {
        None => true,
        Some(t) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Bearer {t}")),
    };
    let a = if authorized {
        answer(&st, &method, &path, &query, &accept)
    } else {
        status(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized")
    };
    st.log.push(RequestRecord {
        method: method.to_string(),
        path,
        query: decode(raw_query),
        status: a.status.as_u16(),
        bytes: a.body.len(),
        shape: match shape(&accept) {
            Shape::Plain => "json",
            Shape::Metadata => "metadata",
            Shape::Table => "table",
        },
    });
    Response::builder()
        .status(a.status)
        .header(header::CONTENT_TYPE, a.content_type)
        .body(Body::from(a.body))
        .unwrap_or_default()
}

fn q<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn answer(
    st: &State,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    accept: &str,
) -> Answer {
    if method != Method::GET && method != Method::HEAD {
        return status(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!("{method} is not allowed: kreach serve is a read-only API over a snapshot"),
        );
    }
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let watching = matches!(q(query, "watch"), Some("true" | "1"))
        || segs.get(2) == Some(&"watch")
        || (segs.first() == Some(&"apis") && segs.get(3) == Some(&"watch"));
    if watching {
        return status(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "watch is not supported: kreach serve answers from a snapshot, which never changes",
        );
    }
    match segs.as_slice() {
        ["version"] => version(&st.store),
        ["healthz" | "livez" | "readyz"] => Answer {
            status: StatusCode::OK,
            body: b"ok".to_vec(),
            content_type: "text/plain",
        },
        ["api"] => json_answer(
            StatusCode::OK,
            &json!({"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": st.addr.to_string()}]}),
        ),
        ["apis"] => api_groups(&st.store),
        ["api", version] => resource_list(&st.store, "", version),
        ["apis", group] => match st.store.groups().get(*group) {
            Some(versions) => json_answer(StatusCode::OK, &group_json(group, versions)),
            None => not_found_path(path),
        },
        ["apis", group, version] => resource_list(&st.store, group, version),
        ["api", version, rest @ ..] => objects(st, "", version, rest, query, accept, path),
        ["apis", group, version, rest @ ..] => {
            objects(st, group, version, rest, query, accept, path)
        }
        _ => not_found_path(path),
    }
}

fn not_found_path(path: &str) -> Answer {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("the server could not find the requested resource ({path})"),
    )
}

fn version(store: &Store) -> Answer {
    let gv = &store.git_version;
    let mut parts = gv.trim_start_matches('v').split('.');
    let major = parts.next().unwrap_or("1").to_string();
    let minor = parts.next().unwrap_or("30").to_string();
    json_answer(
        StatusCode::OK,
        &json!({"major": major, "minor": minor, "gitVersion": gv, "gitCommit": "kreach-serve",
                "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "none",
                "compiler": "kreach", "platform": "snapshot"}),
    )
}

fn group_json(group: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{group}/{v}"), "version": v}))
        .collect();
    json!({"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": vs, "preferredVersion": vs[0]})
}

fn api_groups(store: &Store) -> Answer {
    let groups: Vec<Value> = store
        .groups()
        .iter()
        .map(|(g, vs)| {
            let mut v = group_json(g, vs);
            if let Some(o) = v.as_object_mut() {
                o.remove("kind");
                o.remove("apiVersion");
            }
            v
        })
        .collect();
    json_answer(
        StatusCode::OK,
        &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
    )
}

fn resource_list(store: &Store, group: &str, version: &str) -> Answer {
    let resources: Vec<Value> = store
        .resources
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .map(|r| {
            let mut v = json!({"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
                               "kind": r.kind, "verbs": ["get", "list"]});
            if !r.short_names.is_empty() {
                v["shortNames"] = json!(r.short_names);
            }
            if r.in_all {
                v["categories"] = json!(["all"]);
            }
            v
        })
        .collect();
    if resources.is_empty() {
        return status(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("the server could not find the requested resource ({group}/{version})"),
        );
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    json_answer(
        StatusCode::OK,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

/// What the client asked the answer to look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    Metadata,
    Table,
}

fn shape(accept: &str) -> Shape {
    // The first media type the server can give wins, as with content negotiation.
    for part in accept.split(',') {
        if part.contains("as=Table") {
            return Shape::Table;
        }
        if part.contains("as=PartialObjectMetadata") {
            return Shape::Metadata;
        }
        let p = part.trim();
        if p.starts_with("application/json") || p.starts_with("*/*") || p.is_empty() {
            return Shape::Plain;
        }
    }
    Shape::Plain
}

fn metadata_only(v: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": v.get("metadata").cloned().unwrap_or(json!({}))})
}

#[allow(clippy::too_many_arguments)]
fn objects(
    st: &State,
    group: &str,
    version: &str,
    rest: &[&str],
    query: &[(String, String)],
    accept: &str,
    path: &str,
) -> Answer {
    let store = &st.store;
    // (namespace, plural, name)
    let (ns, plural, name): (Option<&str>, &str, Option<&str>) = match rest {
        ["namespaces"] => (None, "namespaces", None),
        ["namespaces", n] => (None, "namespaces", Some(*n)),
        ["namespaces", n, "status" | "finalize"] => (None, "namespaces", Some(*n)),
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        ["namespaces", ns, plural, name, "status"] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        [plural, name, "status"] => (None, *plural, Some(*name)),
        _ => return not_found_path(path),
    };
    let Some(ix) = store.resource(group, version, plural) else {
        return not_found_path(path);
    };
    let res = &store.resources[ix];
    if ns.is_some() && !res.namespaced {
        return not_found_path(path);
    }
    let forbidden = st.forbid.iter().any(|f| match f.split_once('/') {
        Some((p, n)) => p == res.plural && ns == Some(n),
        None => *f == res.plural,
    });
    if forbidden {
        let verb = if name.is_some() { "get" } else { "list" };
        let scope = match ns {
            Some(n) => format!(" in the namespace \"{n}\""),
            None if res.namespaced => " at the cluster scope".to_string(),
            None => String::new(),
        };
        let group = if res.group.is_empty() {
            "\"\"".to_string()
        } else {
            format!("\"{}\"", res.group)
        };
        return status(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!(
                "{} is forbidden: User \"kreach-serve\" cannot {verb} resource \"{}\" in API group {group}{scope}",
                qualified(res),
                res.plural
            ),
        );
    }
    let all = &store.objects[ix];
    let in_ns = |v: &&Value| {
        ns.is_none_or(|n| v.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n))
    };
    let shape = shape(accept);
    let include = q(query, "includeObject").unwrap_or("Metadata");
    if let Some(name) = name {
        if res.namespaced && ns.is_none() {
            return not_found_path(path);
        }
        let found = all
            .iter()
            .filter(in_ns)
            .find(|v| v.pointer("/metadata/name").and_then(Value::as_str) == Some(name));
        return match found {
            None => status(
                StatusCode::NOT_FOUND,
                "NotFound",
                &format!("{} \"{name}\" not found", qualified(res)),
            ),
            Some(v) => match shape {
                Shape::Plain => json_answer(StatusCode::OK, v),
                Shape::Metadata => json_answer(StatusCode::OK, &metadata_only(v)),
                Shape::Table => json_answer(StatusCode::OK, &table::table(res, &[v], include)),
            },
        };
    }
    let labels = match LabelSelector::parse(q(query, "labelSelector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return status(StatusCode::BAD_REQUEST, "BadRequest", &e),
    };
    let fields = match FieldSelector::parse(q(query, "fieldSelector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return status(StatusCode::BAD_REQUEST, "BadRequest", &e),
    };
    let matched: Vec<&Value> = all
        .iter()
        .filter(in_ns)
        .filter(|v| labels.matches(v) && fields.matches(v))
        .collect();
    let offset: usize = match q(query, "continue").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => {
            let Some(offset) = parse_continue(c) else {
                return status(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "continue key is not valid: the continue token was not issued by this server",
                );
            };
            let expire = st
                .expire_continue
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| match n {
                    0 => None,
                    usize::MAX => Some(usize::MAX),
                    n => Some(n - 1),
                })
                .is_ok();
            if expire {
                // The words and reason of the API server's answer.
                return status(
                    StatusCode::GONE,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                );
            }
            offset
        }
    };
    let limit: usize = q(query, "limit")
        .and_then(|l| l.parse().ok())
        .filter(|&l| l > 0)
        .unwrap_or(usize::MAX)
        .min(st.page_size.unwrap_or(usize::MAX).max(1));
    let end = offset.saturating_add(limit).min(matched.len());
    let page = &matched[offset.min(end)..end];
    let mut meta = json!({"resourceVersion": "1"});
    if end < matched.len() {
        meta["continue"] = json!(continue_token(end));
        meta["remainingItemCount"] = json!(matched.len() - end);
    }
    match shape {
        Shape::Table => {
            let mut t = table::table(res, page, include);
            t["metadata"] = meta;
            json_answer(StatusCode::OK, &t)
        }
        Shape::Metadata | Shape::Plain => {
            let (kind, api) = if shape == Shape::Metadata {
                (
                    "PartialObjectMetadataList".to_string(),
                    "meta.k8s.io/v1".to_string(),
                )
            } else {
                (format!("{}List", res.kind), res.group_version())
            };
            let mut body = Vec::with_capacity(64 + page.len() * 2048);
            body.extend_from_slice(
                format!("{{\"kind\":\"{kind}\",\"apiVersion\":\"{api}\",\"metadata\":").as_bytes(),
            );
            let _ = serde_json::to_writer(&mut body, &meta);
            body.extend_from_slice(b",\"items\":[");
            for (i, v) in page.iter().enumerate() {
                if i > 0 {
                    body.push(b',');
                }
                let _ = if shape == Shape::Metadata {
                    serde_json::to_writer(&mut body, &metadata_only(v))
                } else {
                    serde_json::to_writer(&mut body, v)
                };
            }
            body.extend_from_slice(b"]}");
            Answer {
                status: StatusCode::OK,
                body,
                content_type: "application/json",
            }
        }
    }
}

/// The opaque continue token of a page that starts at `offset`: like the
/// API server's, it is not a number a client should parse.
fn continue_token(offset: usize) -> String {
    format!("kreach-serve.{offset:x}")
}

fn parse_continue(token: &str) -> Option<usize> {
    usize::from_str_radix(token.strip_prefix("kreach-serve.")?, 16).ok()
}

/// `pods` or `ingresses.networking.k8s.io`, as NotFound messages name them.
fn qualified(r: &Resource) -> String {
    if r.group.is_empty() {
        r.plural.clone()
    } else {
        format!("{}.{}", r.plural, r.group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_percent_decoded() {
        assert_eq!(
            parse_query("labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&limit=500"),
            vec![
                (
                    "labelSelector".to_string(),
                    "app=web,tier in (a,b)".to_string()
                ),
                ("limit".to_string(), "500".to_string())
            ]
        );
        assert_eq!(decode("100%"), "100%");
    }

    #[test]
    fn accept_header_picks_the_shape() {
        assert_eq!(
            shape(
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
            ),
            Shape::Table
        );
        assert_eq!(
            shape(
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
            ),
            Shape::Metadata
        );
        assert_eq!(shape("application/json"), Shape::Plain);
        assert_eq!(shape(""), Shape::Plain);
    }
}
