//! What a plain YAML/JSON file or directory evidently lacks, and objects
//! that a dump holds twice.
//!
//! A plain file or directory is taken as a whole cluster (a kind without
//! objects has none) unless what it holds shows otherwise. [`Census`]
//! counts what was read and [`Census::infer`] names the kinds that are then
//! unknown (`NotRead::NotInDump`), in this order (the first reason found for
//! a kind is the one reported):
//!
//! 1. Pods scheduled (`spec.nodeName`) on Nodes it does not hold: Nodes
//!    unknown, whether some Nodes are there or none at all. Objects read
//!    from a cluster (with `metadata.uid`) but not one Node: Nodes unknown.
//! 2. Workloads report ready replicas but it holds no Pod at all: Pods
//!    unknown (any format: Pods were not collected).
//! 3. It holds only kinds `kubectl get all` prints (Pods, Services,
//!    workloads, Jobs, CronJobs, HPAs, ReplicationControllers), with at
//!    least a Service and a Pod or workload: every other kind kreach reads
//!    is unknown.
//! 4. A directory (or archive) of objects read from a cluster (they carry
//!    `metadata.uid`) that holds neither Nodes nor Namespaces: every kind it
//!    does not hold is unknown. Hand-written manifests (no uids) and dumps
//!    that hold Nodes and Namespaces are complete.
//!
//! Duplicates ([`Dedup`]): an object whose kind, namespace, name and
//! `metadata.uid` were already read (a dump concatenated with itself, the
//! same object in two files) counts once. The same kind, namespace and name under another uid (or a
//! different copy without uid) is a conflict: the first copy read is kept
//! and a warning names both.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use kreach_core::Kind;
use kreach_core::snapshot::{DumpEvidence, Holder, MissingKind, NotRead, Warning};
use serde_json::Value;

use crate::load::SourceFormat;
use crate::objects::{Object, kind_of, str_field};

/// The kinds `kubectl get all` prints (its `all` category).
const GET_ALL: [&str; 10] = [
    "Pod",
    "Service",
    "DaemonSet",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "HorizontalPodAutoscaler",
];

/// How many node names a message lists.
const NAMES_SHOWN: usize = 3;

fn meta<'a>(o: &'a Object, key: &str) -> &'a str {
    o.get("metadata")
        .and_then(|m| m.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// What the objects of a source are, counted as they are read.
#[derive(Debug, Default)]
pub(crate) struct Census {
    /// The `kind` of every object, known to kreach or not.
    kind_names: BTreeSet<String>,
    /// The kinds kreach reads that have objects.
    pub seen: BTreeSet<Kind>,
    node_names: BTreeSet<String>,
    pod_nodes: BTreeSet<String>,
    objects: usize,
    with_uid: usize,
    /// `Deployment shop/web` and its ready replicas.
    ready_workloads: Vec<(String, i32)>,
}

impl Census {
    pub fn add(&mut self, o: &Object) {
        self.objects += 1;
        let kind_name = str_field(o, "kind");
        self.kind_names.insert(kind_name.to_string());
        if !meta(o, "uid").is_empty() {
            self.with_uid += 1;
        }
        let Some(kind) = kind_of(o) else {
            return;
        };
        self.seen.insert(kind);
        match kind {
            Kind::Node => {
                self.node_names.insert(meta(o, "name").to_string());
            }
            Kind::Pod => {
                if let Some(n) = o
                    .get("spec")
                    .and_then(|s| s.get("nodeName"))
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                {
                    self.pod_nodes.insert(n.to_string());
                }
            }
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => {
                let field = if kind == Kind::DaemonSet {
                    "numberReady"
                } else {
                    "readyReplicas"
                };
                let ready = o
                    .get("status")
                    .and_then(|s| s.get(field))
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if ready > 0 {
                    let ns = meta(o, "namespace");
                    let name = meta(o, "name");
                    self.ready_workloads.push((
                        format!("{} {ns}/{name}", kind.name()),
                        i32::try_from(ready).unwrap_or(i32::MAX),
                    ));
                }
            }
            _ => {}
        }
    }

    /// The kinds a source evidently lacks (see the module documentation).
    /// Rules 1, 3 and 4 apply to plain YAML/JSON, rule 2 to every format but
    /// a `kreach snapshot`, whose manifest says what it collected.
    pub fn infer(&self, holder: Holder, format: SourceFormat) -> Vec<MissingKind> {
        let plain = format == SourceFormat::Files;
        let mut out: Vec<MissingKind> = Vec::new();
        let mut mark = |kind: Kind, evidence: DumpEvidence| {
            if !out.iter().any(|m| m.kind == kind) {
                out.push(MissingKind {
                    kind,
                    reason: NotRead::NotInDump { holder, evidence },
                });
            }
        };
        if plain {
            let absent: Vec<&String> = self
                .pod_nodes
                .iter()
                .filter(|n| !self.node_names.contains(*n))
                .collect();
            if !absent.is_empty() {
                mark(
                    Kind::Node,
                    DumpEvidence::PodsOnAbsentNodes {
                        nodes: absent
                            .iter()
                            .take(NAMES_SHOWN)
                            .map(|n| n.to_string())
                            .collect(),
                        more: absent.len().saturating_sub(NAMES_SHOWN),
                    },
                );
            } else if self.node_names.is_empty() && self.with_uid > 0 {
                mark(Kind::Node, DumpEvidence::NoNodes);
            }
        }
        if format != SourceFormat::KreachSnapshot
            && !self.seen.contains(&Kind::Pod)
            && let Some((workload, ready)) = self.ready_workloads.first()
        {
            mark(
                Kind::Pod,
                DumpEvidence::ReadyReplicasWithoutPods {
                    workload: workload.clone(),
                    ready: *ready,
                    more: self.ready_workloads.len() - 1,
                },
            );
        }
        if !plain {
            return out;
        }
        if self.is_get_all() {
            for kind in Kind::ALL {
                if !GET_ALL.contains(&kind.name()) {
                    mark(kind, DumpEvidence::GetAll);
                }
            }
        } else if holder == Holder::Directory
            && self.with_uid > 0
            && !self.seen.contains(&Kind::Node)
            && !self.seen.contains(&Kind::Namespace)
        {
            let kinds: Vec<Kind> = self.seen.iter().copied().collect();
            for kind in Kind::ALL {
                if !self.seen.contains(&kind) {
                    mark(
                        kind,
                        DumpEvidence::OnlySomeKinds {
                            kinds: kinds.clone(),
                        },
                    );
                }
            }
        }
        out.sort_by_key(|m| m.kind);
        out
    }

    /// Only `kubectl get all` kinds, with a Service and a Pod or workload.
    fn is_get_all(&self) -> bool {
        self.objects > 0
            && self
                .kind_names
                .iter()
                .all(|k| GET_ALL.contains(&k.as_str()))
            && self.kind_names.contains("Service")
            && self.kind_names.iter().any(|k| k != "Service")
    }
}

/// Counts objects that a source holds more than once.
#[derive(Debug, Default)]
pub(crate) struct Dedup {
    /// (kind, namespace, name) → the uid (or, without one, a hash of the
    /// object) and the file of the first copy. An object is the same when
    /// its name and uid are: a uid alone is not trusted (hand-made files
    /// copy them from one object to the next).
    names: HashMap<(String, String, String), (Copy, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Copy {
    Uid(String),
    Content(u64),
}

impl Dedup {
    /// Whether to keep an object read from `source`: `Err` with a warning
    /// when it conflicts with an earlier one, `Ok(false)` for a repeat of
    /// one already read.
    pub fn keep(&mut self, source: &str, o: &Object) -> Result<bool, Warning> {
        let uid = meta(o, "uid");
        let name = meta(o, "name");
        if name.is_empty() && uid.is_empty() {
            return Ok(true);
        }
        let copy = if uid.is_empty() {
            let mut h = DefaultHasher::new();
            Value::Object(o.clone()).to_string().hash(&mut h);
            Copy::Content(h.finish())
        } else {
            Copy::Uid(uid.to_string())
        };
        let key = (
            str_field(o, "kind").to_string(),
            meta(o, "namespace").to_string(),
            name.to_string(),
        );
        match self.names.get(&key) {
            None => {
                self.names.insert(key, (copy, source.to_string()));
                Ok(true)
            }
            Some((first, _)) if *first == copy => Ok(false),
            Some((_, first_source)) => Err(Warning::ConflictingCopies {
                object: kreach_core::ingest::describe(o),
                first: first_source.clone(),
                second: source.to_string(),
            }),
        }
    }
}
