//! The live half of the CLI: the tokio runtime, `-v` logging, the spinner,
//! and the `snapshot` and `serve` subcommands. Collection itself is
//! `kreach_collect::live`, the API server `kreach_serve`; this module only
//! wires them to arguments, stderr and exit codes (3 when the cluster cannot
//! be read, with one line saying why).

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kreach_collect::live::{Collected, LiveOptions, Purpose, collect, connect};

use super::{ServeArgs, SnapshotArgs, fail};

/// Debug logging on stderr for kreach's own crates (each API request).
pub fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let targets = Targets::new()
        .with_target("kreach", LevelFilter::DEBUG)
        .with_target("kreach_collect", LevelFilter::DEBUG)
        .with_target("kreach_serve", LevelFilter::DEBUG);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .without_time();
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(targets)
        .try_init();
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// A one-line spinner on stderr while waiting for the API, only when
/// stderr is a terminal and nothing else is logging there.
struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    fn start(message: &'static str, enabled: bool) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (enabled && std::io::stderr().is_terminal()).then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let frames = ['|', '/', '-', '\\'];
                let mut i = 0;
                // Quick answers need no spinner.
                std::thread::sleep(std::time::Duration::from_millis(300));
                while !stop.load(Ordering::Relaxed) {
                    eprint!("\r{} {message}", frames[i % frames.len()]);
                    i += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                if i > 0 {
                    eprint!("\r{}\r", " ".repeat(message.len() + 2));
                }
            })
        });
        Spinner { stop, thread }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Connects and collects what `purpose(namespace)` needs; the namespace is
/// `-n` or the context's. `Err` is the exit code, the reason already printed.
pub fn collect_live(
    opts: &LiveOptions,
    namespace: Option<&str>,
    purpose: impl Fn(&str) -> Purpose,
    verbose: bool,
) -> Result<(Collected, String), u8> {
    let rt = runtime().map_err(|e| fail(3, format!("cannot start the runtime: {e}")))?;
    rt.block_on(async {
        // Exec plugins may prompt while the client is built: no spinner yet.
        let conn = connect(opts).await.map_err(|e| fail(3, e))?;
        let ns = namespace.map_or_else(|| conn.default_namespace.clone(), str::to_string);
        tracing::debug!("API server {}, namespace {ns}", conn.server);
        let spinner = Spinner::start("reading the cluster…", !verbose);
        let res = collect(&conn, &purpose(&ns)).await;
        drop(spinner);
        let c = res.map_err(|e| fail(3, e))?;
        tracing::debug!(
            "collected {} objects with {} requests ({} bytes) in {} rounds",
            c.documents.len(),
            c.requests,
            c.bytes,
            c.rounds
        );
        for m in &c.missing {
            tracing::debug!("not read: {}: {}", m.kind.resource(), m.reason);
        }
        Ok((c, ns))
    })
}

pub fn run_snapshot(a: SnapshotArgs, verbose: bool) -> u8 {
    let opts = a.cluster.live_options();
    let all = a.all_namespaces;
    let purpose = |ns: &str| Purpose::Snapshot {
        namespace: (!all).then(|| ns.to_string()),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(3, format!("cannot start the runtime: {e}")),
    };
    let version = rt.block_on(async {
        match connect(&opts).await {
            Ok(c) => c.server_version().await,
            Err(_) => None,
        }
    });
    let (c, ns) = match collect_live(&opts, a.namespace.as_deref(), purpose, verbose) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let manifest = kreach_collect::snapshot_writer::SnapshotManifest {
        collected_at: c
            .snapshot
            .collected_at
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        cluster_version: version,
        kreach_version: env!("CARGO_PKG_VERSION").to_string(),
        namespace: (!all).then(|| ns.clone()),
        missing: c.missing.clone(),
    };
    match kreach_collect::snapshot_writer::write_snapshot(&a.output, c.documents, &manifest) {
        Ok(w) => {
            let scope = if all {
                "all namespaces".to_string()
            } else {
                format!("namespace {ns}")
            };
            eprintln!(
                "kreach: wrote {} objects of {scope} ({} bytes, redacted) to {}",
                w.objects,
                w.bytes,
                a.output.display()
            );
            for m in &c.missing {
                eprintln!("kreach: not collected: {}: {}", m.kind.resource(), m.reason);
            }
            if w.manifest_dropped {
                eprintln!(
                    "kreach: note: a single file has no manifest (collection time, kinds not collected); write FILE.tar.gz to keep it"
                );
            }
            0
        }
        Err(e) => fail(3, format!("cannot write {}: {e}", a.output.display())),
    }
}

pub fn run_serve(a: ServeArgs) -> u8 {
    let docs = match kreach_collect::load_documents(&a.path) {
        Ok(d) => d,
        Err(e) => return fail(2, e),
    };
    for w in &docs.warnings {
        eprintln!("kreach: warning: {w}");
    }
    if !a.addr.ip().is_loopback() {
        eprintln!(
            "kreach: warning: serving on {} — not loopback: anyone who reaches it can read the snapshot",
            a.addr
        );
    }
    let n = docs.documents.len();
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(3, format!("cannot start the runtime: {e}")),
    };
    rt.block_on(async {
        let opts = kreach_serve::ServeOptions {
            addr: a.addr,
            log_file: a.log.clone(),
            forbid: a.forbid.clone(),
            token: None,
        };
        let bound = match kreach_serve::bind(docs, &opts).await {
            Ok(b) => b,
            Err(e) => return fail(3, format!("cannot listen on {}: {e}", a.addr)),
        };
        let kubeconfig = kreach_serve::kubeconfig(bound.addr, None);
        match &a.kubeconfig_out {
            Some(p) => {
                if let Err(e) = std::fs::write(p, &kubeconfig) {
                    return fail(3, format!("cannot write {}: {e}", p.display()));
                }
                eprintln!(
                    "kreach: serving {n} objects of {} read-only on http://{} (kubeconfig in {}; Ctrl-C stops)",
                    a.path.display(),
                    bound.addr,
                    p.display()
                );
            }
            None => {
                eprintln!(
                    "kreach: serving {n} objects of {} read-only on http://{} (Ctrl-C stops); kubeconfig:",
                    a.path.display(),
                    bound.addr
                );
                print!("{kubeconfig}");
                use std::io::Write;
                let _ = std::io::stdout().flush();
            }
        }
        match bound.run().await {
            Ok(()) => 0,
            Err(e) => fail(3, format!("the server stopped: {e}")),
        }
    })
}
