//! What a check reports: a [`Finding`] with its evidence and fix, and the
//! data the ranking needs to link symptoms to causes.

use serde::Serialize;

use crate::check::{Blocks, CheckDef, Layer};
use crate::message::{Evidence, Fix, Problem};
use crate::object::ObjectRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Whether a blocking finding breaks every request on its paths, or only
/// some (one node of several, one endpoint of several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Whole,
    Partial,
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// Assigned by the ranking (`f1`, `f2`, … in report order).
    pub id: String,
    pub check: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub blocks: bool,
    pub scope: Scope,
    pub object: ObjectRef,
    /// What is wrong, as typed facts (worded by `kreach-report`).
    pub problem: Problem,
    pub evidence: Vec<Evidence>,
    pub fix: Vec<Fix>,
    /// Objects this finding depends on: a symptom is explained by a cause
    /// whose object is among them (see `rank`).
    pub related: Vec<ObjectRef>,
    /// Indexes of the access paths this finding sits on; empty = every path
    /// through its object (filled in by the ranking).
    pub paths: Vec<usize>,
    /// Ids of the findings that explain this one.
    pub explained_by: Vec<String>,
    /// Kinds the source could not read that would have decided whether it
    /// blocks: it does not block, and its object is unknown in the
    /// diagnosis (see [`Finding::undecided_without`]).
    pub undecided: Vec<crate::Kind>,
}

impl Finding {
    /// A finding of `check` about `object`. It blocks when the check always
    /// blocks; checks whose blocking depends on the case set it with
    /// [`Finding::blocking`].
    pub fn new(check: &CheckDef, object: ObjectRef, problem: impl Into<Problem>) -> Self {
        let blocks = check.blocks == Blocks::Yes;
        Finding {
            id: String::new(),
            check: check.name,
            layer: check.layer,
            severity: if blocks {
                Severity::Error
            } else {
                Severity::Warning
            },
            blocks,
            scope: Scope::Whole,
            object,
            problem: problem.into(),
            evidence: vec![],
            fix: vec![],
            related: vec![],
            paths: vec![],
            explained_by: vec![],
            undecided: vec![],
        }
    }

    /// The finding cannot say whether it blocks: `kind`, which would
    /// decide it, could not be read. It stops blocking, and the diagnosis
    /// lists its object among the unknowns (with the reason, e.g. the
    /// missing permission).
    pub fn undecided_without(mut self, kind: crate::Kind) -> Self {
        if !self.undecided.contains(&kind) {
            self.undecided.push(kind);
        }
        self.blocking(false)
    }

    pub fn blocking(mut self, blocks: bool) -> Self {
        // An undecided finding never blocks (see `undecided_without`).
        let blocks = blocks && self.undecided.is_empty();
        self.blocks = blocks;
        self.severity = if blocks {
            Severity::Error
        } else {
            Severity::Warning
        };
        self
    }

    pub fn info(mut self) -> Self {
        self.blocks = false;
        self.severity = Severity::Info;
        self
    }

    pub fn partial(mut self) -> Self {
        self.scope = Scope::Partial;
        self
    }

    pub fn problem_replace(mut self, p: impl Into<Problem>) -> Self {
        self.problem = p.into();
        self
    }

    pub fn evidence(mut self, e: impl Into<Evidence>) -> Self {
        self.evidence.push(e.into());
        self
    }

    pub fn evidence_all<E: Into<Evidence>>(mut self, e: impl IntoIterator<Item = E>) -> Self {
        self.evidence.extend(e.into_iter().map(Into::into));
        self
    }

    pub fn fix(mut self, f: impl Into<Fix>) -> Self {
        self.fix.push(f.into());
        self
    }

    pub fn related(mut self, r: impl IntoIterator<Item = ObjectRef>) -> Self {
        for o in r {
            if !self.related.contains(&o) {
                self.related.push(o);
            }
        }
        self
    }

    /// A finding about a pod: it relates to the pod and to the node it runs
    /// on (so that the node's own findings explain it), and blocks as the
    /// caller decided (see `Context::target_pods`).
    pub fn about_pod(self, pod: &k8s_openapi::api::core::v1::Pod, blocks: bool) -> Self {
        use crate::object::MetaExt;
        let mut f = self.blocking(blocks).related([ObjectRef::namespaced(
            crate::Kind::Pod,
            pod.ns(),
            pod.name(),
        )]);
        if let Some(n) = crate::workload::node_name(pod) {
            f = f.related([ObjectRef::cluster(crate::Kind::Node, n)]);
        }
        f
    }

    pub fn on_paths(mut self, paths: Vec<usize>) -> Self {
        self.paths = paths;
        self
    }
}
