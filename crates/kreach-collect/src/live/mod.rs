//! The live source: reads a real cluster through its API, read-only, and
//! fills the same [`Snapshot`] the offline loader fills, so every check runs
//! unchanged.
//!
//! [`connect`] builds a kube-rs client from the kubeconfig (`KUBECONFIG`,
//! `--kubeconfig`, `--context`; client certificates, tokens and exec
//! plugins as kubeconfig allows) or the in-cluster service account.
//! [`collect`] runs the rounds of the query [`plan`]: each round's requests
//! go out concurrently, each under its own timeout, and are logged at debug
//! level. Only GETs are sent.
//!
//! Failure is graded. A `403` on a kind marks it missing, with the
//! `kubectl auth can-i` command that shows what the user lacks, and the
//! collection goes on; so does a `404` on a list (a kind the server does not
//! serve). A `404` on a single object means it does not exist (the analysis
//! says `target-not-found`). An unreachable server, a `401`, or a request
//! that times out stops the collection with a one-line [`LiveError`].

pub mod plan;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use kreach_core::snapshot::NotRead;
use kreach_core::{Kind, Snapshot};
use serde_json::Value;

pub use plan::{Purpose, Query, needed};

/// How to reach the cluster.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// `--kubeconfig`: one file, instead of `KUBECONFIG` / `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`.
    pub context: Option<String>,
    /// The timeout of each request.
    pub request_timeout: Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            kubeconfig: None,
            context: None,
            request_timeout: Duration::from_secs(20),
        }
    }
}

/// Why the live source could not give a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveError {
    /// No usable kubeconfig or in-cluster configuration.
    Config(String),
    /// The API server did not answer, or the connection failed.
    Unreachable(String),
    /// The API server refused the credentials (401).
    Unauthorized(String),
}

impl std::fmt::Display for LiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveError::Config(m) => write!(f, "no cluster configuration: {m}"),
            LiveError::Unreachable(m) => write!(f, "the API server is unreachable: {m}"),
            LiveError::Unauthorized(m) => write!(f, "the API server refused the credentials: {m}"),
        }
    }
}

impl std::error::Error for LiveError {}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A client and where it points.
#[derive(Clone)]
pub struct Connection {
    client: kube::Client,
    /// The context's namespace (`default` when it names none).
    pub default_namespace: String,
    /// The API server URL.
    pub server: String,
    timeout: Duration,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.server)
            .finish()
    }
}

/// Builds a client. Exec-plugin credentials may run a program here; no
/// request is sent yet.
pub async fn connect(opts: &LiveOptions) -> Result<Connection, LiveError> {
    let kc_opts = kube::config::KubeConfigOptions {
        context: opts.context.clone(),
        cluster: None,
        user: None,
    };
    let mut config = match &opts.kubeconfig {
        Some(path) => {
            let kc = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| LiveError::Config(one_line(&e.to_string())))?;
            kube::Config::from_custom_kubeconfig(kc, &kc_opts)
                .await
                .map_err(|e| LiveError::Config(one_line(&e.to_string())))?
        }
        None if opts.context.is_some() => kube::Config::from_kubeconfig(&kc_opts)
            .await
            .map_err(|e| LiveError::Config(one_line(&e.to_string())))?,
        None => kube::Config::infer()
            .await
            .map_err(|e| LiveError::Config(one_line(&e.to_string())))?,
    };
    config.connect_timeout = Some(opts.request_timeout);
    config.read_timeout = Some(opts.request_timeout);
    let server = config.cluster_url.to_string();
    let default_namespace = config.default_namespace.clone();
    let client =
        kube::Client::try_from(config).map_err(|e| LiveError::Config(one_line(&e.to_string())))?;
    Ok(Connection {
        client,
        default_namespace,
        server,
        timeout: opts.request_timeout,
    })
}

/// The outcome of one request.
enum Reply {
    Ok(Value, usize),
    NotFound,
    Forbidden(String),
    /// Another API error that does not stop the collection.
    Failed(String),
    /// 410 Gone: a continue token expired.
    Gone(String),
    /// A LIST whose continue token expired on every attempt (it started
    /// over this many times).
    Expired(usize),
}

/// Objects a LIST asks for per page, as `kubectl get` does (`--chunk-size`).
pub const PAGE_LIMIT: usize = 500;
/// How many times a LIST starts over after its continue token expired.
pub const MAX_RELISTS: usize = 3;
/// Pages one LIST may take before kreach gives up on it (a server that
/// always answers with a continue token would otherwise be followed
/// forever).
const MAX_PAGES: usize = 10_000;

impl Connection {
    async fn send(&self, path: &str, metadata_only: bool) -> Result<Reply, LiveError> {
        let accept = if metadata_only {
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
        } else {
            "application/json"
        };
        let req = http::Request::get(path)
            .header(http::header::ACCEPT, accept)
            .body(Vec::new())
            .map_err(|e| LiveError::Config(e.to_string()))?;
        let started = Instant::now();
        let res = tokio::time::timeout(self.timeout, self.client.request_text(req)).await;
        let ms = started.elapsed().as_millis();
        let res = match res {
            Err(_) => {
                tracing::debug!("GET {path} timed out after {ms}ms");
                return Err(LiveError::Unreachable(format!(
                    "GET {path} got no answer within {}s",
                    self.timeout.as_secs()
                )));
            }
            Ok(r) => r,
        };
        match res {
            Ok(text) => {
                tracing::debug!("GET {path} 200 {} bytes {ms}ms", text.len());
                let v: Value = serde_json::from_str(&text).map_err(|e| {
                    LiveError::Unreachable(format!(
                        "GET {path} answered something that is not JSON: {e}"
                    ))
                })?;
                Ok(Reply::Ok(v, text.len()))
            }
            Err(kube::Error::Api(status)) => {
                tracing::debug!("GET {path} {} {ms}ms: {}", status.code, status.message);
                match status.code {
                    401 => Err(LiveError::Unauthorized(format!(
                        "401 Unauthorized on GET {path}{}",
                        if status.message.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", one_line(&status.message))
                        }
                    ))),
                    403 => Ok(Reply::Forbidden(one_line(&status.message))),
                    410 => Ok(Reply::Gone(one_line(&status.message))),
                    404 => Ok(Reply::NotFound),
                    code => Ok(Reply::Failed(format!(
                        "GET {path} failed with {code}: {}",
                        one_line(&status.message)
                    ))),
                }
            }
            Err(e) => {
                tracing::debug!("GET {path} failed {ms}ms: {e}");
                let mut msg = one_line(&e.to_string());
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    let part = one_line(&s.to_string());
                    if !msg.contains(&part) {
                        msg = format!("{msg}: {part}");
                    }
                    src = s.source();
                }
                Err(LiveError::Unreachable(format!("{} ({msg})", self.server)))
            }
        }
    }

    /// One query: a GET, or a LIST read whole page by page (`limit`, then
    /// `continue` until the server gives none), started over when a
    /// continue token expires (410 Gone), at most [`MAX_RELISTS`] times.
    /// The pages come back as one list, with the first page's metadata
    /// (its `continue` dropped) and the bytes of every page.
    /// Also returns how many requests it sent.
    async fn read(&self, q: &Query) -> Result<(Reply, usize), LiveError> {
        let base = q.path();
        if q.name.is_some() {
            return Ok((self.send(&base, q.metadata_only).await?, 1));
        }
        let mut sent = 0;
        let sep = if base.contains('?') { '&' } else { '?' };
        let mut relists = 0;
        'list: loop {
            let mut items: Vec<Value> = Vec::new();
            let mut first: Option<Value> = None;
            let mut bytes = 0;
            let mut token: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let path = match &token {
                    None => format!("{base}{sep}limit={PAGE_LIMIT}"),
                    Some(t) => {
                        format!("{base}{sep}limit={PAGE_LIMIT}&continue={}", plan::encode(t))
                    }
                };
                sent += 1;
                let mut v = match self.send(&path, q.metadata_only).await? {
                    Reply::Ok(v, n) => {
                        bytes += n;
                        v
                    }
                    Reply::Gone(message) if token.is_some() => {
                        tracing::debug!(
                            "{base}: continue token expired ({message}), listing again"
                        );
                        if relists == MAX_RELISTS {
                            return Ok((Reply::Expired(relists), sent));
                        }
                        relists += 1;
                        continue 'list;
                    }
                    other => return Ok((other, sent)),
                };
                if let Some(Value::Array(page)) = v.get_mut("items").map(Value::take) {
                    items.extend(page);
                }
                let next = v
                    .pointer("/metadata/continue")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                if first.is_none() {
                    first = Some(v);
                }
                match next {
                    Some(t) => token = Some(t),
                    None => {
                        let mut whole = first.unwrap_or_else(|| Value::Object(Default::default()));
                        if let Some(Value::Object(m)) = whole.get_mut("metadata") {
                            m.remove("continue");
                            m.remove("remainingItemCount");
                        }
                        whole["items"] = Value::Array(items);
                        return Ok((Reply::Ok(whole, bytes), sent));
                    }
                }
            }
            return Ok((
                Reply::Failed(format!(
                    "GET {base} was still paging after {MAX_PAGES} pages of {PAGE_LIMIT}"
                )),
                sent,
            ));
        }
    }

    /// `/version`'s `gitVersion`, when the server tells it.
    pub async fn server_version(&self) -> Option<String> {
        match self.send("/version", false).await {
            Ok(Reply::Ok(v, _)) => v
                .get("gitVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }
    }
}

/// What a live collection gave.
#[derive(Debug)]
pub struct Collected {
    /// Typed, indexes built, forbidden kinds marked missing.
    pub snapshot: Snapshot,
    /// Every object as the API returned it (deduplicated, sorted by kind,
    /// namespace and name): what `kreach snapshot` writes.
    pub documents: Vec<Value>,
    /// Kinds that could not be read, and why.
    pub missing: Vec<kreach_core::snapshot::MissingKind>,
    /// Requests sent, bytes received, rounds run.
    pub requests: usize,
    pub bytes: usize,
    pub rounds: usize,
}

/// The API's `*List` answer or single object → its objects, with
/// `apiVersion`/`kind` filled in (list items leave them out).
fn objects_of(v: Value, q: &Query) -> Vec<Value> {
    let kind_name = q.kind.name();
    let api = q.kind.meta().api_version;
    let mut items = match v {
        Value::Object(mut m) if m.get("items").is_some() => match m.remove("items") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        other => vec![other],
    };
    for item in &mut items {
        if let Value::Object(o) = item {
            // Metadata-only items say `PartialObjectMetadata`: they are of the
            // kind asked for, with nothing but their metadata.
            if o.get("kind").and_then(Value::as_str) == Some("PartialObjectMetadata") {
                o.remove("kind");
                o.remove("apiVersion");
            }
            o.entry("apiVersion")
                .or_insert_with(|| Value::String(api.into()));
            o.entry("kind")
                .or_insert_with(|| Value::String(kind_name.into()));
        }
    }
    items
}

fn fields(v: &Value) -> usize {
    v.as_object().map_or(0, |o| o.len())
}

fn key(v: &Value) -> (usize, String, String) {
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .and_then(Kind::from_name);
    let ord = kind.map_or(usize::MAX, |k| {
        Kind::ALL.iter().position(|x| *x == k).unwrap_or(usize::MAX)
    });
    let s = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (ord, s("/metadata/namespace"), s("/metadata/name"))
}

/// Builds a snapshot from raw objects (the same path as every source:
/// `Snapshot::add_value`).
fn build(documents: &[Value], missing: &[kreach_core::snapshot::MissingKind]) -> Snapshot {
    let mut snap = Snapshot::default();
    for d in documents {
        snap.add_value(d.clone(), "the API server");
    }
    for m in missing {
        snap.mark_missing(m.kind, m.reason.clone());
    }
    snap.finish();
    snap
}

/// The most rounds a collection runs; the plan needs about three.
const MAX_ROUNDS: usize = 6;

/// Collects what `purpose` needs, round after round.
pub async fn collect(conn: &Connection, purpose: &Purpose) -> Result<Collected, LiveError> {
    let mut done: BTreeSet<Query> = BTreeSet::new();
    let mut documents: Vec<Value> = Vec::new();
    let mut missing: Vec<kreach_core::snapshot::MissingKind> = Vec::new();
    let mut snap = Snapshot::default();
    let (mut requests, mut bytes, mut rounds) = (0usize, 0usize, 0usize);
    loop {
        let want: Vec<Query> = needed(purpose, &snap, &done)
            .into_iter()
            .filter(|q| !done.contains(q))
            .collect();
        if want.is_empty() || rounds == MAX_ROUNDS {
            break;
        }
        rounds += 1;
        tracing::debug!("round {rounds}: {} requests", want.len());
        let mut set = tokio::task::JoinSet::new();
        for (i, q) in want.iter().enumerate() {
            let conn = conn.clone();
            let q = q.clone();
            set.spawn(async move { (i, conn.read(&q).await) });
        }
        let mut replies: Vec<Option<Result<(Reply, usize), LiveError>>> =
            (0..want.len()).map(|_| None).collect();
        while let Some(r) = set.join_next().await {
            let (i, reply) =
                r.map_err(|e| LiveError::Unreachable(format!("a request task failed: {e}")))?;
            replies[i] = Some(reply);
        }
        for (q, reply) in want.iter().zip(replies) {
            let Some(reply) = reply else { continue };
            let (reply, sent) = reply?;
            requests += sent;
            match reply {
                Reply::Ok(v, n) => {
                    bytes += n;
                    documents.extend(objects_of(v, q));
                }
                Reply::NotFound if q.name.is_some() => {}
                Reply::NotFound => push_missing(&mut missing, q.kind, NotRead::NotServed),
                Reply::Forbidden(msg) => push_missing(
                    &mut missing,
                    q.kind,
                    NotRead::Forbidden {
                        can_i: q.can_i(),
                        message: msg,
                    },
                ),
                Reply::Failed(message) => {
                    push_missing(&mut missing, q.kind, NotRead::Failed { message })
                }
                Reply::Gone(message) => push_missing(
                    &mut missing,
                    q.kind,
                    NotRead::Failed {
                        message: format!("GET {} failed with 410: {message}", q.path()),
                    },
                ),
                Reply::Expired(relists) => {
                    push_missing(&mut missing, q.kind, NotRead::ContinueExpired { relists })
                }
            }
            done.insert(q.clone());
        }
        documents.sort_by_key(key);
        // One object fetched twice (whole and metadata-only): keep it whole.
        documents.dedup_by(|later, kept| {
            let same = key(later) == key(kept) && later.get("apiVersion") == kept.get("apiVersion");
            if same && fields(later) > fields(kept) {
                std::mem::swap(later, kept);
            }
            same
        });
        snap = build(&documents, &missing);
    }
    snap.collected_at = Some(k8s_openapi::jiff::Timestamp::now());
    Ok(Collected {
        snapshot: snap,
        documents,
        missing,
        requests,
        bytes,
        rounds,
    })
}

fn push_missing(
    missing: &mut Vec<kreach_core::snapshot::MissingKind>,
    kind: Kind,
    reason: NotRead,
) {
    if !missing.iter().any(|m| m.kind == kind) {
        missing.push(kreach_core::snapshot::MissingKind { kind, reason });
    }
}
