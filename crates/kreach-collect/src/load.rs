//! The offline loader: a snapshot path → its format → its objects → a
//! `Snapshot` (or the raw documents, for `kreach serve`).
//!
//! Formats, detected from the files, never from a flag:
//! - YAML/JSON files, a single one or a directory of them: complete, so a
//!   kind without objects has none, unless what they hold shows they are not
//!   (`kubectl get all` output, Pods on Nodes they do not hold, …: see
//!   `partial`). A file that does not parse is an error.
//! - `kubectl cluster-info dump`, as a directory (`nodes.json`,
//!   `<ns>/pods.json`, …) or as its stdout in one file: the kinds that
//!   command never writes are marked missing.
//! - troubleshoot.sh support bundles (`cluster-resources/…`, also packed as
//!   `.tar.gz`): a kind whose directory is absent, or whose `*-errors.json`
//!   records errors, is missing; files that do not parse are skipped with a
//!   warning (redaction can leave invalid YAML behind).
//! - `kreach snapshot` archives: YAML/JSON files plus a `manifest.json`
//!   saying when they were collected and which kinds could not be.
//!
//! The loader decides what a source can tell; it does not judge the objects
//! (that is the checks' job) and never keeps Secret data (see `objects`).

use std::collections::BTreeSet;
use std::path::Path;

use k8s_openapi::jiff::Timestamp;
use kreach_core::snapshot::{Holder, MissingKind, NotRead, Warning};
use kreach_core::{Kind, Snapshot};
use serde_json::Value;

use crate::error::{BadObject, LoadError, Problem, one_line};
use crate::objects::{self, Flattened, Found, Object, str_field};
use crate::parse::{self, Step};
use crate::partial::{Census, Dedup};
use crate::tree::{self, Entry, Tree, TreeKind};
use kreach_core::ingest::{DecodeProblem, Undecodable};

/// What produced a snapshot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// A YAML/JSON file or a directory of them.
    Files,
    /// `kubectl cluster-info dump`, directory or stdout form.
    ClusterInfoDump,
    /// A troubleshoot.sh support bundle, unpacked or `.tar.gz`.
    SupportBundle,
    /// A `kreach snapshot` archive (or a directory with its `manifest.json`).
    KreachSnapshot,
}

impl SourceFormat {
    /// How the report names the source.
    pub fn describe(self) -> &'static str {
        match self {
            SourceFormat::Files => "YAML/JSON files",
            SourceFormat::ClusterInfoDump => "kubectl cluster-info dump",
            SourceFormat::SupportBundle => "support bundle",
            SourceFormat::KreachSnapshot => "kreach snapshot",
        }
    }
}

/// One Kubernetes object as it was in the source (lists flattened, the
/// `apiVersion`/`kind` of typed list items filled in, Secret data other than
/// `tls.crt` removed).
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it came from, as messages name it.
    pub source: String,
    /// Always a JSON object with `apiVersion` and `kind`.
    pub value: Value,
}

/// Everything a snapshot path holds, untyped: what `kreach serve` hands out.
#[derive(Debug, Clone)]
pub struct Documents {
    pub format: SourceFormat,
    pub documents: Vec<Document>,
    /// Kinds the source cannot tell about, and why.
    pub missing: Vec<MissingKind>,
    /// Problems that did not stop loading (a bundle file skipped).
    pub warnings: Vec<Warning>,
    pub collected_at: Option<Timestamp>,
    /// `v1.23.5`, when the source records it.
    pub cluster_version: Option<String>,
}

/// Loads a snapshot path into a typed [`Snapshot`], indexes built.
pub fn load_snapshot(path: &Path) -> Result<Snapshot, LoadError> {
    let mut sink = SnapshotSink(Snapshot::default());
    let outcome = drive(path, &mut sink)?;
    let mut snap = sink.0;
    snap.collected_at = outcome.collected_at;
    for m in outcome.missing {
        snap.mark_missing(m.kind, m.reason);
    }
    snap.finish();
    Ok(snap)
}

/// Loads a snapshot path into its raw objects, for callers that need the
/// original JSON (typed round-trips drop fields k8s-openapi does not know).
pub fn load_documents(path: &Path) -> Result<Documents, LoadError> {
    let mut sink = DocumentSink::default();
    let outcome = drive(path, &mut sink)?;
    Ok(Documents {
        format: outcome.format,
        documents: sink.documents,
        missing: outcome.missing,
        warnings: sink.warnings,
        collected_at: outcome.collected_at,
        cluster_version: outcome.cluster_version,
    })
}

/// Where loaded objects go: typed into a snapshot, or kept raw.
trait Sink {
    /// Takes an object; `Err` when it is of a kind kreach reads but does not
    /// decode (the caller decides what that means for the source).
    fn object(&mut self, source: &str, object: Object) -> Result<(), Undecodable>;
    fn warn(&mut self, warning: Warning);
}

/// A file skipped while loading leniently.
fn skipped(e: LoadError) -> Warning {
    let e_text = e.to_string();
    match e {
        LoadError::Read { path, message } => Warning::FileUnreadable { path, message },
        LoadError::Parse {
            path,
            line,
            column,
            syntax,
            message,
        } => Warning::FileInvalid {
            path,
            line,
            column,
            syntax: match syntax {
                crate::Syntax::Yaml => "YAML",
                crate::Syntax::Json => "JSON",
            },
            message,
        },
        LoadError::Archive { path, message } | LoadError::Manifest { path, message } => {
            Warning::FileSkipped { path, message }
        }
        LoadError::NoObjects { path, .. } => Warning::Kindless { path, count: 0 },
        LoadError::Undecodable { path, .. } => Warning::FileSkipped {
            message: e_text.clone(),
            path,
        },
    }
}

struct SnapshotSink(Snapshot);

impl Sink for SnapshotSink {
    fn object(&mut self, _source: &str, object: Object) -> Result<(), Undecodable> {
        objects::add_to_snapshot(&mut self.0, object)
    }
    fn warn(&mut self, warning: Warning) {
        self.0.warnings.push(warning);
    }
}

#[derive(Default)]
struct DocumentSink {
    documents: Vec<Document>,
    warnings: Vec<Warning>,
}

impl Sink for DocumentSink {
    fn object(&mut self, source: &str, object: Object) -> Result<(), Undecodable> {
        self.documents.push(Document {
            source: source.to_string(),
            value: Value::Object(object),
        });
        Ok(())
    }
    fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}

struct Outcome {
    format: SourceFormat,
    missing: Vec<MissingKind>,
    collected_at: Option<Timestamp>,
    cluster_version: Option<String>,
}

/// How the files of a tree are read.
struct Plan {
    format: SourceFormat,
    /// Indexes into the tree's entries, in order.
    files: Vec<usize>,
    /// Unreadable or unparseable files are warnings, not errors.
    lenient: bool,
    /// Documents without a kind are expected (bundle metadata files).
    quiet_kindless: bool,
    manifest: Option<Manifest>,
}

fn drive(path: &Path, sink: &mut dyn Sink) -> Result<Outcome, LoadError> {
    let tree = tree::open(path)?;
    let mut plan = plan(&tree)?;
    let mut census = Census::default();
    let mut found = Found::default();
    // Kinds with an object that did not decode (support bundles).
    let mut partial: Vec<MissingKind> = Vec::new();
    let mut dedup = Dedup::default();
    let mut objects = 0usize;
    let mut dump_stream = false;
    for &i in &plan.files {
        let entry = &tree.entries[i];
        let bytes = match entry.read() {
            Ok(b) => b,
            Err(e) if plan.lenient => {
                sink.warn(skipped(e));
                continue;
            }
            Err(e) => return Err(e),
        };
        let parsed = match parse::parse_file(&bytes, &entry.display, is_yaml_name(&entry.rel)) {
            Ok(p) => p,
            Err(e) if plan.lenient => {
                sink.warn(skipped(e));
                continue;
            }
            Err(e) => return Err(e),
        };
        drop(bytes);
        if tree.kind == TreeKind::File && is_dump_stream(&parsed) {
            dump_stream = true;
        }
        let mut flat = Flattened::default();
        let mut docs = Vec::new();
        for (doc, value) in parsed.values.into_iter().enumerate() {
            let before = flat.objects.len();
            objects::flatten(value, &mut flat);
            docs.extend(std::iter::repeat_n(doc, flat.objects.len() - before));
        }
        found.merge(&flat.found);
        if flat.kindless > 0 && !plan.quiet_kindless {
            sink.warn(Warning::Kindless {
                path: entry.display.clone(),
                count: flat.kindless,
            });
        }
        for ((object, at), doc) in flat.objects.into_iter().zip(docs) {
            match dedup.keep(&entry.display, &object) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(w) => {
                    sink.warn(w);
                    continue;
                }
            }
            objects += 1;
            census.add(&object);
            let Err(u) = sink.object(&entry.display, object) else {
                continue;
            };
            if !plan.lenient {
                // In a file or directory the user named, an object left out
                // would make the diagnosis wrong: say where it is.
                return Err(undecodable(entry, doc, &at, u));
            }
            sink.warn(Warning::ObjectSkipped {
                source: entry.display.clone(),
                object: u.object.clone(),
                error: decode_message(&u),
            });
            if !partial.iter().any(|m: &MissingKind| m.kind == u.kind) {
                partial.push(MissingKind {
                    kind: u.kind,
                    reason: NotRead::Undecodable {
                        file: entry.display.clone(),
                        object: u.object,
                        error: decode_message_bare(&u.problem, u.kind),
                        field: u.field,
                    },
                });
            }
        }
    }
    if objects == 0 {
        return Err(LoadError::NoObjects {
            path: path.display().to_string(),
            found,
        });
    }
    if dump_stream {
        plan.format = SourceFormat::ClusterInfoDump;
    }
    let seen = &census.seen;
    let mut missing = Vec::new();
    let mut cluster_version = None;
    let mut collected_at = None;
    match plan.format {
        SourceFormat::Files => {}
        SourceFormat::ClusterInfoDump => {
            for kind in DUMP_LACKS {
                if !seen.contains(&kind) {
                    missing.push(MissingKind {
                        kind,
                        reason: NotRead::NotInClusterInfoDump { kind },
                    });
                }
            }
        }
        SourceFormat::SupportBundle => {
            missing = bundle_missing(&tree, seen, sink);
            cluster_version = bundle_cluster_version(&tree);
        }
        SourceFormat::KreachSnapshot => {
            if let Some(m) = plan.manifest.take() {
                collected_at = m.collected_at;
                cluster_version = m.cluster_version;
                missing = m.missing;
                for w in m.warnings {
                    sink.warn(w);
                }
            }
        }
    }
    // What a source evidently lacks comes after what its format cannot
    // hold: the format's reason is the one reported.
    let holder = match tree.kind {
        TreeKind::File => Holder::File,
        TreeKind::Directory | TreeKind::Archive => Holder::Directory,
    };
    for m in partial.into_iter().chain(census.infer(holder, plan.format)) {
        if !missing.iter().any(|x: &MissingKind| x.kind == m.kind) {
            missing.push(m);
        }
    }
    missing.sort_by_key(|m| m.kind);
    Ok(Outcome {
        format: plan.format,
        missing,
        collected_at,
        cluster_version,
    })
}

/// The error for an object that does not decode: the file, the line of
/// the field (or of the object, when the field is not in the text), the
/// object and the field path.
fn undecodable(entry: &Entry, doc: usize, at: &[Step], u: Undecodable) -> LoadError {
    let mut steps = at.to_vec();
    steps.extend(field_steps(&u.field));
    let line = entry
        .read()
        .ok()
        .and_then(|bytes| parse::line_of(&bytes, doc, &steps));
    LoadError::Undecodable {
        path: entry.display.clone(),
        line,
        object: Box::new(BadObject {
            object: u.object,
            field: u.field,
            problem: match u.problem {
                DecodeProblem::Invalid(m) => Problem::Invalid(m),
                DecodeProblem::KindCase { written } => Problem::KindCase {
                    written,
                    kind: u.kind.name(),
                },
            },
        }),
    }
}

/// `spec.ports[0].port` → its steps.
fn field_steps(field: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in field.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Step::Key(rest[..i].to_string()));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    out.push(Step::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else {
            out.push(Step::Key(rest.to_string()));
        }
    }
    out
}

fn decode_message_bare(p: &DecodeProblem, kind: Kind) -> String {
    match p {
        DecodeProblem::Invalid(m) => m.clone(),
        DecodeProblem::KindCase { written } => {
            format!(
                "no kind {written:?}: kinds are case-sensitive ({})",
                kind.name()
            )
        }
    }
}

/// The field and the problem, as a warning shows them.
fn decode_message(u: &Undecodable) -> String {
    let m = decode_message_bare(&u.problem, u.kind);
    if u.field.is_empty() {
        m
    } else {
        format!("{}: {m}", u.field)
    }
}

fn extension(rel: &str) -> String {
    rel.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_yaml_name(rel: &str) -> bool {
    matches!(extension(rel).as_str(), "yaml" | "yml")
}

fn is_snapshot_file(rel: &str) -> bool {
    matches!(extension(rel).as_str(), "yaml" | "yml" | "json")
}

fn plan(tree: &Tree) -> Result<Plan, LoadError> {
    let all = || 0..tree.entries.len();
    if tree.kind == TreeKind::File {
        // A file named on the command line is read whatever its name
        // (`dump.txt` from `kubectl cluster-info dump > dump.txt`).
        return Ok(Plan {
            format: SourceFormat::Files,
            files: all().collect(),
            lenient: false,
            quiet_kindless: false,
            manifest: None,
        });
    }
    let entries = &tree.entries;
    let manifest_ix = entries.iter().position(|e| e.rel == "manifest.json");
    if let Some(i) = manifest_ix
        && let Some(manifest) = read_manifest(&entries[i])?
    {
        return Ok(Plan {
            format: SourceFormat::KreachSnapshot,
            files: all()
                .filter(|&j| j != i && is_snapshot_file(&entries[j].rel))
                .collect(),
            lenient: false,
            quiet_kindless: false,
            manifest: Some(manifest),
        });
    }
    if entries
        .iter()
        .any(|e| e.rel.starts_with("cluster-resources/"))
    {
        return Ok(Plan {
            format: SourceFormat::SupportBundle,
            files: all()
                .filter(|&j| is_bundle_object_file(&entries[j].rel))
                .collect(),
            lenient: true,
            quiet_kindless: true,
            manifest: None,
        });
    }
    let format = if is_dump_dir(entries) {
        SourceFormat::ClusterInfoDump
    } else {
        SourceFormat::Files
    };
    Ok(Plan {
        format,
        files: all()
            .filter(|&j| is_snapshot_file(&entries[j].rel))
            .collect(),
        lenient: false,
        quiet_kindless: false,
        manifest: None,
    })
}

// ---- kubectl cluster-info dump ----

/// The kinds `kubectl cluster-info dump` never writes.
const DUMP_LACKS: [Kind; 9] = [
    Kind::Namespace,
    Kind::Endpoints,
    Kind::EndpointSlice,
    Kind::Ingress,
    Kind::IngressClass,
    Kind::NetworkPolicy,
    Kind::Secret,
    Kind::ConfigMap,
    Kind::StatefulSet,
];

/// The per-namespace files of the directory form.
const DUMP_NS_FILES: [&str; 7] = [
    "events",
    "replication-controllers",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "pods",
];

/// The list kinds of the stdout form, in the order kubectl prints them.
const DUMP_LIST_KINDS: [&str; 8] = [
    "NodeList",
    "EventList",
    "ReplicationControllerList",
    "ServiceList",
    "DaemonSetList",
    "DeploymentList",
    "ReplicaSetList",
    "PodList",
];

fn is_dump_dir(entries: &[Entry]) -> bool {
    let nodes = entries
        .iter()
        .any(|e| matches!(e.rel.as_str(), "nodes.json" | "nodes.yaml"));
    nodes
        && entries.iter().any(|e| {
            let mut parts = e.rel.split('/');
            let (Some(_ns), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
                return false;
            };
            file.rsplit_once('.').is_some_and(|(stem, ext)| {
                DUMP_NS_FILES.contains(&stem) && matches!(ext, "json" | "yaml")
            })
        })
}

/// The stdout form: log blocks between the documents, or a stream of the
/// dump's own list kinds starting with the nodes.
fn is_dump_stream(parsed: &parse::Parsed) -> bool {
    if parsed.dump_logs {
        return true;
    }
    let kind = |v: &Value| {
        v.get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    parsed.values.len() >= 2
        && parsed.values.first().map(kind).as_deref() == Some("NodeList")
        && parsed
            .values
            .iter()
            .all(|v| DUMP_LIST_KINDS.contains(&kind(v).as_str()))
}

// ---- troubleshoot.sh support bundle ----

/// Where a bundle keeps each kind under `cluster-resources/`, as
/// `<name>/<ns>.json` or `<name>.json`; older troubleshoot versions used
/// some other names, listed after the current one.
const BUNDLE_DIRS: [(Kind, &[&str]); 15] = [
    (Kind::Namespace, &["namespaces", "namespace"]),
    (Kind::Node, &["nodes"]),
    (Kind::Pod, &["pods"]),
    (Kind::Service, &["services"]),
    (Kind::Endpoints, &["endpoints"]),
    (Kind::EndpointSlice, &["endpointslices", "endpoint-slices"]),
    (Kind::Ingress, &["ingress", "ingresses"]),
    (Kind::IngressClass, &["ingress-classes", "ingressclasses"]),
    (Kind::NetworkPolicy, &["network-policy", "networkpolicies"]),
    (Kind::Event, &["events"]),
    (Kind::ConfigMap, &["configmaps"]),
    (Kind::Deployment, &["deployments"]),
    (Kind::ReplicaSet, &["replicasets"]),
    (Kind::DaemonSet, &["daemonsets"]),
    (Kind::StatefulSet, &["statefulsets"]),
];

/// Bundle files that never hold Kubernetes objects kreach could use.
const BUNDLE_SKIP: [&str; 5] = [
    "cluster-resources/auth-cani-list/",
    "cluster-resources/image-pull-secrets/",
    "cluster-resources/pods/logs/",
    "cluster-resources/groups.json",
    "cluster-resources/resources.json",
];

fn is_bundle_object_file(rel: &str) -> bool {
    rel.starts_with("cluster-resources/")
        && is_snapshot_file(rel)
        && !rel.ends_with("-errors.json")
        && !BUNDLE_SKIP.iter().any(|s| rel.starts_with(s))
}

fn bundle_missing(tree: &Tree, seen: &BTreeSet<Kind>, sink: &mut dyn Sink) -> Vec<MissingKind> {
    let has = |rel: &str| tree.entries.iter().any(|e| e.rel == rel);
    let has_dir = |dir: &str| tree.entries.iter().any(|e| e.rel.starts_with(dir));
    let mut missing = Vec::new();
    for (kind, names) in BUNDLE_DIRS {
        let errors = names.iter().find_map(|n| {
            let rel = format!("cluster-resources/{n}-errors.json");
            let entry = tree.entries.iter().find(|e| e.rel == rel)?;
            let errs = bundle_errors(entry);
            (!errs.is_empty()).then_some((rel, errs))
        });
        if let Some((rel, errs)) = errors {
            let n = errs.len();
            let first = one_line(&errs[0]);
            sink.warn(Warning::BundleErrors {
                file: rel.clone(),
                count: n,
                first: first.clone(),
            });
            missing.push(MissingKind {
                kind,
                reason: NotRead::BundleErrors {
                    file: format!("cluster-resources/{}", names[0]),
                    first: first.clone(),
                    more: n - 1,
                },
            });
            continue;
        }
        let present = names.iter().any(|n| {
            has(&format!("cluster-resources/{n}.json"))
                || has(&format!("cluster-resources/{n}.yaml"))
                || has_dir(&format!("cluster-resources/{n}/"))
        });
        if !present && !seen.contains(&kind) {
            missing.push(MissingKind {
                kind,
                reason: NotRead::NotInBundle {
                    file: format!("cluster-resources/{}", names[0]),
                },
            });
        }
    }
    if !seen.contains(&Kind::Secret) {
        missing.push(MissingKind {
            kind: Kind::Secret,
            reason: NotRead::BundleHoldsNoSecrets,
        });
    }
    missing.sort_by_key(|m| m.kind);
    missing
}

/// `<kind>-errors.json`: a JSON array of error strings.
fn bundle_errors(entry: &Entry) -> Vec<String> {
    let Ok(bytes) = entry.read() else {
        return vec![format!("{} could not be read", entry.file_name())];
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        Ok(Value::Null) => Vec::new(),
        Ok(other) => vec![other.to_string()],
        Err(_) => vec![format!("{} is not valid JSON", entry.file_name())],
    }
}

fn bundle_cluster_version(tree: &Tree) -> Option<String> {
    let entry = tree
        .entries
        .iter()
        .find(|e| e.rel == "cluster-info/cluster_version.json")?;
    let v: Value = serde_json::from_slice(&entry.read().ok()?).ok()?;
    v.get("string")
        .or_else(|| v.pointer("/info/gitVersion"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

// ---- kreach snapshot manifest ----

struct Manifest {
    collected_at: Option<Timestamp>,
    cluster_version: Option<String>,
    missing: Vec<MissingKind>,
    warnings: Vec<Warning>,
}

/// Reads `manifest.json`. `Ok(None)` when the file is not a kreach manifest
/// (a Kubernetes object that happens to be called `manifest.json`).
fn read_manifest(entry: &Entry) -> Result<Option<Manifest>, LoadError> {
    let bytes = entry.read()?;
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) else {
        return Ok(None);
    };
    let is_manifest = !map.contains_key("kind")
        && ["collected_at", "kreach_version", "missing"]
            .iter()
            .any(|k| map.contains_key(*k));
    if !is_manifest {
        return Ok(None);
    }
    let bad = |message: String| LoadError::Manifest {
        path: entry.display.clone(),
        message,
    };
    let collected_at = match map.get("collected_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            s.parse::<Timestamp>()
                .map_err(|e| bad(format!("collected_at {s:?} is not an RFC 3339 time: {e}")))?,
        ),
        Some(other) => return Err(bad(format!("collected_at is {other}, not a string"))),
    };
    let cluster_version = map
        .get("cluster_version")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let mut missing = Vec::new();
    let mut warnings = Vec::new();
    match map.get("missing") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Some(o) = item.as_object() else {
                    return Err(bad(format!("missing holds {item}, not an object")));
                };
                let name = str_field(o, "kind");
                // The typed reason; an older kreach wrote a sentence.
                let reason = match o.get("reason") {
                    Some(v @ Value::Object(_)) => serde_json::from_value(v.clone())
                        .map_err(|e| bad(format!("missing: reason {v}: {e}")))?,
                    Some(Value::String(s)) if !s.is_empty() => {
                        NotRead::Recorded { reason: s.clone() }
                    }
                    _ => NotRead::Recorded {
                        reason: String::new(),
                    },
                };
                match Kind::from_name(name) {
                    Some(kind) => missing.push(MissingKind { kind, reason }),
                    None => warnings.push(Warning::UnknownMissingKind {
                        path: entry.display.clone(),
                        kind: name.to_string(),
                    }),
                }
            }
        }
        Some(other) => return Err(bad(format!("missing is {other}, not a list"))),
    }
    Ok(Some(Manifest {
        collected_at,
        cluster_version,
        missing,
        warnings,
    }))
}
