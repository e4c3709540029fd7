//! The check framework: one [`CheckDef`] per check, declared with
//! [`declare_check!`](crate::declare_check) in its own file next to its logic and tests, and the
//! one registry ([`crate::checks::CHECKS`]) that `kreach checks`,
//! `kreach explain` and the diagnosis all read.

use serde::Serialize;

use crate::context::Context;
use crate::finding::Finding;
use crate::path::{Hop, HopKind};
use crate::snapshot::{Kind, Snapshot};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Entry,
    Cloud,
    Service,
    Network,
    Pod,
    Change,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Entry => "entry",
            Layer::Cloud => "cloud",
            Layer::Service => "service",
            Layer::Network => "network",
            Layer::Pod => "pod",
            Layer::Change => "change",
        }
    }

    /// Position on the path, outside in: the order of root causes.
    pub fn depth(self) -> u8 {
        match self {
            Layer::Entry => 0,
            Layer::Cloud => 1,
            Layer::Service => 2,
            Layer::Network => 3,
            Layer::Pod => 4,
            Layer::Change => 5,
        }
    }
}

/// What a check needs to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Needs {
    State,
    Probe,
    ClusterProbe,
}

impl Needs {
    pub fn name(self) -> &'static str {
        match self {
            Needs::State => "state",
            Needs::Probe => "probe",
            Needs::ClusterProbe => "cluster-probe",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Blocks {
    Yes,
    Maybe,
    No,
}

impl Blocks {
    pub fn name(self) -> &'static str {
        match self {
            Blocks::Yes => "yes",
            Blocks::Maybe => "maybe",
            Blocks::No => "no",
        }
    }
}

/// A check: its catalog entry, its documentation and its logic.
pub struct CheckDef {
    pub name: &'static str,
    pub layer: Layer,
    pub needs: Needs,
    pub blocks: Blocks,
    /// One line, for `kreach checks`.
    pub summary: &'static str,
    /// The doc comment of the declaration: what it checks, why it breaks
    /// reachability, how to fix, an example. `kreach explain` prints it.
    pub docs: &'static str,
    /// The hops it decides: when what it reads could not be read, those
    /// hops are unknown (never silently fine).
    pub decides: &'static [HopKind],
    /// Kinds it cannot decide without (besides the Services and Pods every
    /// check sees through [`Context`]).
    pub reads: &'static [Read],
    /// Kinds it reads for evidence only (Events, owners): their absence
    /// makes the finding poorer, not the answer unknown.
    pub uses: &'static [Kind],
    /// Whether it applies to a hop at all (a TLS check to an Ingress with
    /// TLS); its reads matter only where it applies.
    pub applies: fn(&Snapshot, &Hop) -> bool,
    /// What becomes of the check when a kind it reads could not be read.
    pub unread: Unread,
    /// The checks whose findings explain this one's, and how the two
    /// findings must be related.
    pub explained_by: &'static [Cause],
    pub run: fn(&Context<'_>, &mut Vec<Finding>),
}

/// What becomes of a check when a kind it `reads` could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// It does not run: its answer is unknown, and the hops it decides
    /// say so (the default: a check never guesses from what it could not
    /// see).
    Skip,
    /// It runs and judges for itself: its findings say which kinds could
    /// not be read and do not block on them (`target-not-found`: not
    /// finding what could not be read is not knowing).
    Judged,
}

/// What a check reads: one kind, or either of two (Endpoints or
/// EndpointSlices: one of the two is enough).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    One(Kind),
    Either(Kind, Kind),
}

impl Read {
    pub fn kinds(self) -> impl Iterator<Item = Kind> {
        let (a, b) = match self {
            Read::One(k) => (k, None),
            Read::Either(a, b) => (a, Some(b)),
        };
        std::iter::once(a).chain(b)
    }

    /// The kinds missing from the snapshot that leave this read undecided:
    /// none when one of the alternatives was read.
    pub fn unread(self, snap: &Snapshot) -> Vec<Kind> {
        if self.kinds().any(|k| snap.has_kind(k)) {
            vec![]
        } else {
            self.kinds().collect()
        }
    }
}

/// One explained-by link: a finding of `check` explains this check's
/// finding when the two are related as `when` says.
#[derive(Debug, Clone, Copy)]
pub struct Cause {
    pub check: &'static CheckDef,
    pub when: Relation,
}

/// How a cause's finding must relate to its symptom's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Both are about the same object.
    SameObject,
    /// The cause's object is among the symptom's related objects (a pod of
    /// the Service, the node a pod runs on).
    CauseRelated,
    /// The symptom's object is among the cause's related objects (the
    /// Service of a not-ready ingress controller).
    SymptomRelated,
    /// Any of the three above.
    Linked,
    /// The two share a node's pod network (a pod stuck in sandbox creation
    /// and the CNI agent of its node).
    SameNodeNetwork,
}

impl Relation {
    pub fn holds(self, cause: &Finding, symptom: &Finding) -> bool {
        let same = cause.object == symptom.object;
        let cause_related = symptom.related.contains(&cause.object);
        let symptom_related = cause.related.contains(&symptom.object);
        match self {
            Relation::SameObject => same,
            Relation::CauseRelated => cause_related,
            Relation::SymptomRelated => symptom_related,
            Relation::Linked => same || cause_related || symptom_related,
            Relation::SameNodeNetwork => symptom.related.iter().any(|r| {
                r.kind == crate::object::RefKind::NodeNetwork && cause.related.contains(r)
            }),
        }
    }
}

/// The default of [`CheckDef::applies`]: everywhere it decides.
pub fn everywhere(_: &Snapshot, _: &Hop) -> bool {
    true
}

impl CheckDef {
    /// The kinds it reads that the snapshot could not provide (an `Either`
    /// read counts only when neither alternative was read).
    pub fn unread_kinds(&self, snap: &Snapshot) -> Vec<Kind> {
        let mut v: Vec<Kind> = self
            .reads
            .iter()
            .flat_map(|r| r.unread(snap))
            .filter(|k| snap.missing_reason(*k).is_some())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether it runs on this snapshot: everything it reads was read, or
    /// it judges what was not for itself.
    pub fn runs_on(&self, snap: &Snapshot) -> bool {
        self.unread == Unread::Judged || self.unread_kinds(snap).is_empty()
    }

    /// Whether a finding of `cause` explains `symptom`, a finding of this
    /// check.
    pub fn explained_by(&self, cause: &Finding, symptom: &Finding) -> bool {
        self.explained_by
            .iter()
            .any(|c| c.check.name == cause.check && c.when.holds(cause, symptom))
    }

    /// Every kind it reads, decisive or for evidence.
    pub fn all_reads(&self) -> impl Iterator<Item = Kind> + '_ {
        self.reads
            .iter()
            .flat_map(|r| r.kinds())
            .chain(self.uses.iter().copied())
    }
}

impl std::fmt::Debug for CheckDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckDef")
            .field("name", &self.name)
            .finish()
    }
}

/// Declares a check. The doc comment becomes its explanation and must have
/// the headings `## What it checks`, `## Why it breaks reachability`,
/// `## How to fix` and `## Example` (the catalog test enforces it).
///
/// `decides` names the hops it decides, `reads` the kinds it cannot decide
/// without (`A | B`: either is enough), `uses` the kinds it reads for
/// evidence only, `explained_by` the checks whose findings explain its
/// own (`module::CHECK => Relation`); `applies` optionally narrows where
/// it applies. A test removes each kind a check does not declare from its
/// fixtures and requires the same findings, so the declarations are true;
/// the unknowns of a diagnosis and the live query plan are derived from
/// them.
#[macro_export]
macro_rules! declare_check {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            name: $name:literal,
            layer: $layer:ident,
            needs: $needs:ident,
            blocks: $blocks:ident,
            decides: [$($hop:ident),* $(,)?],
            reads: [$($read:ident $(| $alt:ident)?),* $(,)?],
            uses: [$($use:ident),* $(,)?],
            $(applies: $applies:path,)?
            $(unread: $unread:ident,)?
            explained_by: [$($cause:path => $rel:ident),* $(,)?],
            summary: $summary:literal,
            run: $run:path $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::check::CheckDef = $crate::check::CheckDef {
            name: $name,
            layer: $crate::check::Layer::$layer,
            needs: $crate::check::Needs::$needs,
            blocks: $crate::check::Blocks::$blocks,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            decides: &[$($crate::path::HopKind::$hop),*],
            reads: &[$($crate::declare_check!(@read $read $($alt)?)),*],
            uses: &[$($crate::Kind::$use),*],
            applies: $crate::declare_check!(@applies $($applies)?),
            unread: $crate::declare_check!(@unread $($unread)?),
            explained_by: &[$($crate::check::Cause {
                check: &$cause,
                when: $crate::check::Relation::$rel,
            }),*],
            run: $run,
        };
    };
    (@read $k:ident) => { $crate::check::Read::One($crate::Kind::$k) };
    (@read $k:ident $alt:ident) => {
        $crate::check::Read::Either($crate::Kind::$k, $crate::Kind::$alt)
    };
    (@applies) => { $crate::check::everywhere };
    (@applies $f:path) => { $f };
    (@unread) => { $crate::check::Unread::Skip };
    (@unread $u:ident) => { $crate::check::Unread::$u };
}
