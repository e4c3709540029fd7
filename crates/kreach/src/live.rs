//! The live half of the CLI: the tokio runtime, `-v` logging, the spinner,
//! and the `snapshot` and `serve` subcommands. Collection itself is
//! `kreach_collect::live`, the API server `kreach_serve`; this module only
//! wires them to arguments, stderr and exit codes (3 when the cluster cannot
//! be read, with one line saying why).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kreach_collect::live::{Collected, LiveOptions, Purpose, collect, connect};

use super::{Msg, ServeArgs, SnapshotArgs, fail, say};

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
                    let _ = write!(
                        std::io::stderr(),
                        "\r{} {message}",
                        frames[i % frames.len()]
                    );
                    i += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                if i > 0 {
                    let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(message.len() + 2));
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
    let rt = runtime().map_err(|e| fail(3, Msg::CannotStartRuntime(&e)))?;
    rt.block_on(async {
        // Exec plugins may prompt while the client is built: no spinner yet.
        let conn = connect(opts).await.map_err(|e| fail(3, Msg::Live(&e)))?;
        let ns = namespace.map_or_else(|| conn.default_namespace.clone(), str::to_string);
        tracing::debug!("API server {}, namespace {ns}", conn.server);
        let spinner = Spinner::start("reading the cluster…", !verbose);
        let res = collect(&conn, &purpose(&ns)).await;
        drop(spinner);
        let c = res.map_err(|e| fail(3, Msg::Live(&e)))?;
        tracing::debug!(
            "collected {} objects with {} requests ({} bytes) in {} rounds",
            c.documents.len(),
            c.requests,
            c.bytes,
            c.rounds
        );
        for m in &c.missing {
            tracing::debug!("not read: {}: {:?}", m.kind.resource(), m.reason);
        }
        Ok((c, ns))
    })
}

pub fn run_snapshot(a: SnapshotArgs, verbose: bool) -> u8 {
    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout && std::io::stdout().is_terminal() {
        return fail(2, Msg::ArchiveToTerminal);
    }
    let opts = a.cluster.live_options();
    let all = a.all_namespaces;
    let purpose = |ns: &str| Purpose::Snapshot {
        namespace: (!all).then(|| ns.to_string()),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(3, Msg::CannotStartRuntime(&e)),
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
    let written = if to_stdout {
        let mut out = std::io::stdout().lock();
        kreach_collect::snapshot_writer::write_snapshot_to(&mut out, c.documents, &manifest)
    } else {
        kreach_collect::snapshot_writer::write_snapshot(&a.output, c.documents, &manifest)
    };
    let shown = if to_stdout {
        "stdout".to_string()
    } else {
        a.output.display().to_string()
    };
    match written {
        // The reader went away (`| head`): nothing to say, but the archive
        // is incomplete.
        Err(e) if to_stdout && e.kind() == std::io::ErrorKind::BrokenPipe => 3,
        Err(e) if to_stdout => fail(3, Msg::CannotWrite(&"stdout", &e)),
        Ok(w) => {
            say(Msg::Wrote {
                objects: w.objects,
                bytes: w.bytes,
                namespace: (!all).then_some(ns.as_str()),
                path: &shown,
            });
            for m in &c.missing {
                say(Msg::NotCollected(&m.kind.resource(), &m.reason));
            }
            if w.manifest_dropped {
                say(Msg::SingleFileHasNoManifest);
            }
            0
        }
        Err(e) => fail(3, Msg::CannotWrite(&a.output.display(), &e)),
    }
}

pub fn run_serve(a: ServeArgs) -> u8 {
    let docs = match kreach_collect::load_documents(&a.path) {
        Ok(d) => d,
        Err(e) => return fail(2, Msg::Load(&e)),
    };
    for w in &docs.warnings {
        say(Msg::Warning(w));
    }
    if !a.addr.ip().is_loopback() {
        say(Msg::NotLoopback(&a.addr));
    }
    let n = docs.documents.len();
    let expire_continue = match a.expire_continue.as_deref() {
        None => 0,
        Some("all") => usize::MAX,
        Some(v) => match v.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return fail(2, Msg::BadExpireContinue(v)),
        },
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(3, Msg::CannotStartRuntime(&e)),
    };
    rt.block_on(async {
        let opts = kreach_serve::ServeOptions {
            addr: a.addr,
            log_file: a.log.clone(),
            forbid: a.forbid.clone(),
            token: None,
            page_size: a.page_size.map(|n| n as usize),
            expire_continue,
        };
        let bound = match kreach_serve::bind(docs, &opts).await {
            Ok(b) => b,
            Err(e) => return fail(3, Msg::CannotListen(&a.addr, &e)),
        };
        let kubeconfig = kreach_serve::kubeconfig(bound.addr, None);
        match &a.kubeconfig_out {
            Some(p) => {
                if let Err(e) = std::fs::write(p, &kubeconfig) {
                    return fail(3, Msg::CannotWrite(&p.display(), &e));
                }
                say(Msg::Serving {
                    objects: n,
                    path: &a.path.display(),
                    addr: &bound.addr,
                    kubeconfig: Some(&p.display()),
                });
            }
            None => {
                say(Msg::Serving {
                    objects: n,
                    path: &a.path.display(),
                    addr: &bound.addr,
                    kubeconfig: None,
                });
                let mut out = std::io::stdout().lock();
                if let Err(e) = out
                    .write_all(kubeconfig.as_bytes())
                    .and_then(|_| out.flush())
                    && e.kind() != std::io::ErrorKind::BrokenPipe
                {
                    return fail(3, Msg::CannotWrite(&"stdout", &e));
                }
            }
        }
        match bound.run().await {
            Ok(()) => 0,
            Err(e) => fail(3, Msg::ServerStopped(&e)),
        }
    })
}
