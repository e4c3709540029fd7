//! The `kreach` program (also installed as `kubectl-reach`): command-line
//! arguments → configuration → wiring → exit code. All analysis lives in kreach-core, all rendering in
//! kreach-report, all reading of cluster state in kreach-collect (offline and
//! live), the read-only API of `kreach serve` in kreach-serve. This file
//! decides only where state comes from and what the exit status is.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kreach_collect::live::{LiveOptions, Purpose};
use kreach_core::diagnose::UnknownReason;
use kreach_core::path::Via;
use kreach_core::{Options, Target, diagnose};
use kreach_report::lang::Lang;
use kreach_report::lang::cli::{Msg, msg};

mod cli_checks;
mod live;

#[derive(Parser, Debug)]
#[command(
    name = "kreach",
    version,
    about = "Why is my Kubernetes service unreachable from outside? One command: the access path, the root cause, the fix."
)]
struct Cli {
    /// Log each API request (and other debug detail) on stderr.
    #[arg(short = 'v', long, global = true)]
    verbose: bool,
    /// Language of reports and messages (default: from LC_ALL, LC_MESSAGES
    /// or LANG; `zh_*` is Chinese, anything else English).
    #[arg(long, global = true, value_parser = ["en", "zh"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Where a live run finds its cluster.
#[derive(clap::Args, Debug, Clone)]
struct ClusterArgs {
    /// Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the
    /// in-cluster service account).
    #[arg(long)]
    kubeconfig: Option<PathBuf>,
    /// Kubeconfig context.
    #[arg(long)]
    context: Option<String>,
    /// Seconds each API request may take.
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    request_timeout: u64,
}

impl ClusterArgs {
    fn live_options(&self) -> LiveOptions {
        LiveOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            request_timeout: std::time::Duration::from_secs(self.request_timeout.max(1)),
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Walk every access path of TARGET outside in and name what blocks it.
    Diagnose(DiagnoseArgs),
    /// May FROM open a connection to TO under the NetworkPolicies?
    /// FROM and TO: pod/NAMESPACE/NAME, NAMESPACE/NAME, or an IP address.
    Policy(PolicyArgs),
    /// What a check means, why it breaks reachability, how to fix it.
    Explain {
        /// A check name, as `kreach checks` lists them.
        check: String,
    },
    /// The check catalog, one line a check (`-o markdown`: the whole catalog
    /// with every explanation, as in docs/checks.md).
    Checks {
        #[arg(short = 'o', long, value_enum, default_value = "human")]
        output: ChecksOutput,
    },
    /// Collect a redacted snapshot of the cluster (a support bundle that
    /// `--snapshot` reads back).
    Snapshot(SnapshotArgs),
    /// Serve a snapshot as a read-only Kubernetes API (for kubectl, and for
    /// testing live mode without a cluster).
    Serve(ServeArgs),
}

#[derive(clap::Args, Debug)]
struct SnapshotArgs {
    /// Namespace to collect (default: the context's), with the cluster-wide
    /// kinds, node agents and ingress controllers its paths need.
    #[arg(short = 'n', long, conflicts_with = "all_namespaces")]
    namespace: Option<String>,
    /// Collect every namespace.
    #[arg(short = 'A', long)]
    all_namespaces: bool,
    /// Output: FILE.tar.gz (recommended), FILE.json, FILE.yaml, a directory,
    /// or `-`: the .tar.gz archive on stdout (not to a terminal).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// A snapshot: YAML/JSON file or directory, cluster-info dump, support
    /// bundle or `kreach snapshot` archive.
    path: PathBuf,
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: std::net::SocketAddr,
    /// Write the kubeconfig that points at the server here instead of
    /// printing it.
    #[arg(long, value_name = "FILE")]
    kubeconfig_out: Option<PathBuf>,
    /// Append one line per request (method, path, query, status, bytes).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Answer 403 for a resource, as RBAC would: `secrets` (everywhere) or
    /// `networkpolicies/shop` (one namespace). Repeatable.
    #[arg(long, value_name = "RESOURCE[/NAMESPACE]")]
    forbid: Vec<String>,
    /// Answer LISTs in pages of at most N objects, whatever `limit` asks
    /// (clients must follow `metadata.continue`, as on a big cluster).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
    /// Answer the first N requests that carry a continue token with `410
    /// Gone`, as after an etcd compaction (`all`: every one).
    #[arg(long, value_name = "N|all")]
    expire_continue: Option<String>,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum Output {
    Human,
    Json,
    Markdown,
    Dot,
    Mermaid,
}

#[derive(clap::Args, Debug)]
struct PolicyArgs {
    from: String,
    to: String,
    /// Destination port; without it, every allowed connection is listed.
    #[arg(long)]
    port: Option<u16>,
    #[arg(long, default_value = "tcp", value_parser = ["tcp", "udp", "sctp", "TCP", "UDP", "SCTP"])]
    protocol: String,
    /// Read cluster state from a file, directory, dump or bundle.
    #[arg(long)]
    snapshot: Option<PathBuf>,
    #[arg(short = 'o', long, value_enum, default_value = "human")]
    output: PolicyOutput,
    #[command(flatten)]
    cluster: ClusterArgs,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ChecksOutput {
    Human,
    Markdown,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum PolicyOutput {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ViaArg {
    Nodeport,
    Loadbalancer,
    Ingress,
    Externalip,
    Pod,
}

#[derive(clap::Args, Debug)]
struct DiagnoseArgs {
    /// svc/NAME, service/NAME, ing/NAME, ingress/NAME, pod/NAME, deploy/NAME,
    /// http(s)://HOST[:PORT]/PATH, or IP:PORT.
    target: String,
    /// Namespace of object targets (default: the context's namespace live,
    /// `default` with --snapshot).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Read cluster state from a file, directory, dump or bundle instead of the API.
    #[arg(long)]
    snapshot: Option<PathBuf>,
    /// The client's address (answers that depend on it use it).
    #[arg(long)]
    from: Option<std::net::IpAddr>,
    /// Keep one kind of entry.
    #[arg(long, value_enum)]
    via: Option<ViaArg>,
    /// Send probes from here (on by default live, never with --snapshot).
    #[arg(long, overrides_with = "no_probe")]
    probe: bool,
    /// Send no probes.
    #[arg(long)]
    no_probe: bool,
    /// In-cluster probes (a debug pod, created and removed again): part of
    /// the contract, not implemented yet: the run stops with exit status 2.
    #[arg(long)]
    cluster_probe: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "human")]
    output: Output,
    /// Window of "what changed recently", e.g. 24h, 90m, 2d.
    #[arg(long, default_value = "24h")]
    since: String,
    /// The instant taken as now (RFC 3339). Default: the snapshot's
    /// collection time, else the clock.
    #[arg(long)]
    now: Option<String>,
}

/// The whole program; `src/main.rs` and `src/bin/kubectl-reach.rs` call it.
pub fn main() -> ExitCode {
    // One TLS provider for the whole process, before any client exists
    // (two in the graph make rustls panic at the first handshake).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    if cli.verbose {
        live::init_logging();
    }
    let lang = cli
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(Lang::from_env);
    let _ = LANG.set(lang);
    let code = match cli.command {
        Command::Diagnose(a) => run_diagnose(a, cli.verbose, lang),
        Command::Policy(a) => run_policy(a, cli.verbose, lang),
        Command::Explain { check } => cli_checks::explain(&check, lang),
        Command::Checks { output } => match output {
            ChecksOutput::Human => cli_checks::list(lang),
            ChecksOutput::Markdown => cli_checks::markdown(),
        },
        Command::Snapshot(a) => live::run_snapshot(a, cli.verbose),
        Command::Serve(a) => live::run_serve(a),
    };
    ExitCode::from(code)
}

/// The language of this run's messages (set once by [`main`]).
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// One line on stderr, in the run's language. A closed or full stderr is
/// no reason to stop (nor to panic, as `eprintln!` would).
fn say(m: Msg<'_>) {
    err_line(&format!("kreach: {}", msg(lang(), &m)));
}

/// One line on stderr, write errors ignored.
fn err_line(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// One line on stderr and the exit code.
fn fail(code: u8, m: Msg<'_>) -> u8 {
    say(m);
    code
}

fn parse_since(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().ok()?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" | "" => 3600,
        "d" => 86400,
        _ => return None,
    };
    Some(n * mult)
}

fn run_diagnose(a: DiagnoseArgs, verbose: bool, lang: Lang) -> u8 {
    if a.cluster_probe {
        return fail(2, Msg::ClusterProbeNotBuilt);
    }
    let target = match Target::parse(&a.target) {
        Ok(t) => t,
        Err(e) => return fail(2, Msg::BadTarget(&e)),
    };
    let Some(since_secs) = parse_since(&a.since) else {
        return fail(2, Msg::BadSince(&a.since));
    };
    let now_arg = match a
        .now
        .as_deref()
        .map(str::parse::<k8s_openapi::jiff::Timestamp>)
    {
        None => None,
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => {
            return fail(2, Msg::BadNow(a.now.as_deref().unwrap_or_default(), &e));
        }
    };
    let via = a.via.map(|v| match v {
        ViaArg::Nodeport => Via::NodePort,
        ViaArg::Loadbalancer => Via::LoadBalancer,
        ViaArg::Ingress => Via::Ingress,
        ViaArg::Externalip => Via::ExternalIp,
        ViaArg::Pod => Via::Pod,
    });
    let (snap, namespace) = match &a.snapshot {
        Some(path) => {
            if a.probe {
                say(Msg::ProbesOffWithSnapshot);
            }
            let snap = match kreach_collect::load_snapshot(path) {
                Ok(s) => s,
                Err(e) => return fail(2, Msg::Load(&e)),
            };
            (
                snap,
                a.namespace.clone().unwrap_or_else(|| "default".into()),
            )
        }
        None => {
            let opts = |namespace: String| Options {
                namespace,
                via,
                from: a.from,
                now: now_arg.unwrap_or_else(clock_now),
                since_secs,
                probes: false,
                probes_off: UnknownReason::ProbesOff,
            };
            let purpose = |ns: &str| Purpose::Diagnose {
                target: target.clone(),
                options: opts(ns.to_string()),
            };
            match live::collect_live(
                &a.cluster.live_options(),
                a.namespace.as_deref(),
                purpose,
                verbose,
            ) {
                Ok((c, ns)) => (c.snapshot, ns),
                Err(code) => return code,
            }
        }
    };
    for w in &snap.warnings {
        say(Msg::Warning(w));
    }
    let now = now_arg.or(snap.collected_at).unwrap_or_else(clock_now);
    // Live, probes would be on by default; this build has none yet.
    let probes_off = if a.snapshot.is_none() && !a.no_probe {
        UnknownReason::ProbesNotBuilt
    } else {
        UnknownReason::ProbesOff
    };
    let opts = Options {
        namespace,
        via,
        from: a.from,
        now,
        since_secs,
        probes: false,
        probes_off,
    };
    let d = diagnose(&snap, &a.target, &target, &opts);
    let mut out = anstream::stdout().lock();
    let res = match a.output {
        Output::Json => kreach_report::json::write(&d, &mut out),
        Output::Human => kreach_report::human::write_in(&d, lang, &mut out),
        Output::Markdown => kreach_report::markdown::write_in(&d, lang, &mut out),
        Output::Dot => kreach_report::graph::write_dot_in(&d, lang, &mut out),
        Output::Mermaid => kreach_report::graph::write_mermaid_in(&d, lang, &mut out),
    };
    if let Err(e) = res.and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(3, Msg::CannotWriteReport(&e));
    }
    d.exit_code() as u8
}

fn clock_now() -> k8s_openapi::jiff::Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    k8s_openapi::jiff::Timestamp::from_second(secs)
        .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
}

fn run_policy(a: PolicyArgs, verbose: bool, lang: Lang) -> u8 {
    use kreach_core::policy::{End, query};
    let (from, to) = match (End::parse(&a.from), End::parse(&a.to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return fail(2, Msg::Policy(&e)),
    };
    let protocol: kreach_netpol::Protocol = match a.protocol.parse() {
        Ok(p) => p,
        Err(_) => return fail(2, Msg::BadProtocol(&a.protocol)),
    };
    let snap = match &a.snapshot {
        Some(path) => match kreach_collect::load_snapshot(path) {
            Ok(s) => s,
            Err(e) => return fail(2, Msg::Load(&e)),
        },
        None => {
            let purpose = |_: &str| Purpose::Policy {
                from: from.clone(),
                to: to.clone(),
            };
            match live::collect_live(&a.cluster.live_options(), None, purpose, verbose) {
                Ok((c, _)) => c.snapshot,
                Err(code) => return code,
            }
        }
    };
    let answer = match query(&snap, &from, &to, a.port, protocol) {
        Ok(x) => x,
        Err(e) => return fail(2, Msg::Policy(&e)),
    };
    let mut out = anstream::stdout().lock();
    let res = match a.output {
        PolicyOutput::Json => kreach_report::policy::write_json(&answer, &mut out),
        PolicyOutput::Human => kreach_report::policy::write_in(&answer, lang, &mut out),
    };
    if let Err(e) = res
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(3, Msg::CannotWriteAnswer(&e));
    }
    if answer.allowed { 0 } else { 1 }
}
