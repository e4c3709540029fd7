//! kreach-serve: a read-only Kubernetes API over a snapshot, so that real
//! `kubectl` and kreach's own live mode can run against a cluster state that
//! exists only as files.
//!
//! It answers what clients need to read: `/version`, discovery (`/api`,
//! `/apis`, each group version with its resources), GET of one object,
//! LISTs per namespace and cluster-wide with `labelSelector`,
//! `fieldSelector`, `limit`/`continue`, metadata-only lists
//! (`as=PartialObjectMetadataList`) and server-side Table output (the
//! columns `kubectl get` prints). It serves the snapshot's original JSON, not
//! a typed round-trip, so fields k8s-openapi does not know survive.
//!
//! It deliberately does not write, watch or authenticate: writes are `405`,
//! watches are refused with a Status, and there is no TLS — it binds to
//! loopback unless told otherwise. Every request is recorded in a
//! [`RequestLog`] (method, path, query, status, bytes) that tests read to
//! check what a client asked.

mod api;
pub mod selector;
pub mod store;
pub mod table;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use kreach_collect::Documents;

pub use store::Store;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    /// The raw query string, percent-decoded.
    pub query: String,
    pub status: u16,
    /// Bytes of the response body.
    pub bytes: usize,
    /// What the client asked the answer to be: `json`, `metadata`
    /// (`PartialObjectMetadata`) or `table`.
    pub shape: &'static str,
}

impl RequestRecord {
    /// `GET /api/v1/pods?labelSelector=app=web 200 1234`: one log line.
    pub fn line(&self) -> String {
        let q = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!(
            "{} {}{q} {} {}",
            self.method, self.path, self.status, self.bytes
        )
    }
}

/// The requests a server answered, shared with whoever started it.
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    records: Arc<Mutex<Vec<RequestRecord>>>,
    file: Option<Arc<Mutex<std::fs::File>>>,
}

impl RequestLog {
    /// A log that also appends one line per request to `path`.
    pub fn with_file(path: &std::path::Path) -> std::io::Result<RequestLog> {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(RequestLog {
            records: Arc::default(),
            file: Some(Arc::new(Mutex::new(f))),
        })
    }

    pub fn push(&self, r: RequestRecord) {
        tracing::debug!("{}", r.line());
        if let Some(f) = &self.file
            && let Ok(mut f) = f.lock()
        {
            let _ = writeln!(f, "{}", r.line());
        }
        if let Ok(mut v) = self.records.lock() {
            v.push(r);
        }
    }

    pub fn records(&self) -> Vec<RequestRecord> {
        self.records.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Forgets what was recorded (between two measured runs).
    pub fn clear(&self) {
        if let Ok(mut v) = self.records.lock() {
            v.clear();
        }
    }
}

/// How to start a server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Also write the request log here.
    pub log_file: Option<PathBuf>,
    /// Resources answered with `403 Forbidden`, as RBAC would: `secrets`
    /// (everywhere) or `networkpolicies/shop` (in one namespace). For
    /// showing and testing degraded access.
    pub forbid: Vec<String>,
    /// When set, requests without `Authorization: Bearer TOKEN` get `401`.
    pub token: Option<String>,
    /// The most objects one LIST page holds, whatever `limit` the client
    /// asks for (an API server may return fewer than asked; clients must
    /// follow `metadata.continue`). `None`: as many as `limit` asks.
    pub page_size: Option<usize>,
    /// Answer this many requests that carry a continue token with `410
    /// Gone`, as an API server does when etcd compacted the revision the
    /// token points at (`usize::MAX`: every one).
    pub expire_continue: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            log_file: None,
            forbid: Vec::new(),
            token: None,
            page_size: None,
            expire_continue: 0,
        }
    }
}

/// A bound server, not yet answering: [`Bound::run`] serves until the
/// process ends (or the future is dropped).
pub struct Bound {
    pub addr: SocketAddr,
    pub log: RequestLog,
    listener: tokio::net::TcpListener,
    app: axum::Router,
}

impl std::fmt::Debug for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bound").field("addr", &self.addr).finish()
    }
}

impl Bound {
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.app).await
    }

    /// Serves until `stop` completes.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(stop)
            .await
    }
}

/// Binds the API over `docs`. The address is the one actually bound (port 0
/// picks a free one).
pub async fn bind(docs: Documents, opts: &ServeOptions) -> std::io::Result<Bound> {
    let log = match &opts.log_file {
        Some(p) => RequestLog::with_file(p)?,
        None => RequestLog::default(),
    };
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(api::State {
        store: Store::new(docs),
        log: log.clone(),
        addr,
        forbid: opts.forbid.clone(),
        token: opts.token.clone(),
        page_size: opts.page_size,
        expire_continue: std::sync::atomic::AtomicUsize::new(opts.expire_continue),
    });
    let app = api::router(state);
    Ok(Bound {
        addr,
        log,
        listener,
        app,
    })
}

/// A server running on its own thread and runtime, for tests and
/// benchmarks that drive it from synchronous code. It stops when dropped.
#[derive(Debug)]
pub struct Background {
    pub addr: SocketAddr,
    pub log: RequestLog,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn spawn(docs: Documents, opts: ServeOptions) -> std::io::Result<Background> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("kreach-serve".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            rt.block_on(async move {
                match bind(docs, &opts).await {
                    Ok(b) => {
                        let _ = tx.send(Ok((b.addr, b.log.clone())));
                        let _ = b
                            .run_until(async {
                                let _ = stop_rx.await;
                            })
                            .await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                    }
                }
            });
        })?;
    let (addr, log) = rx
        .recv()
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    Ok(Background {
        addr,
        log,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

/// A kubeconfig whose only context points at the server (plain HTTP, no
/// credentials).
pub fn kubeconfig(addr: SocketAddr, namespace: Option<&str>) -> String {
    kubeconfig_with_token(addr, namespace, None)
}

/// The same, with a bearer token for a server started with
/// [`ServeOptions::token`].
pub fn kubeconfig_with_token(
    addr: SocketAddr,
    namespace: Option<&str>,
    token: Option<&str>,
) -> String {
    let user = match token {
        Some(t) => format!("\n    token: {t}"),
        None => " {}".to_string(),
    };
    let ns = namespace
        .map(|n| format!("    namespace: {n}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kreach-serve\n  cluster:\n    server: http://{addr}\ncontexts:\n- name: kreach-serve\n  context:\n    cluster: kreach-serve\n    user: kreach-serve\n{ns}current-context: kreach-serve\nusers:\n- name: kreach-serve\n  user:{user}\npreferences: {{}}\n"
    )
}
