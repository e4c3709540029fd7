//! The check framework: one [`CheckDef`] per check, declared with
//! [`declare_check!`](crate::declare_check) in its own file next to its logic and tests, and the
//! one registry ([`crate::checks::CHECKS`]) that `kreach checks`,
//! `kreach explain` and the diagnosis all read.

use serde::Serialize;

use crate::context::Context;
use crate::finding::Finding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    pub run: fn(&Context<'_>, &mut Vec<Finding>),
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
#[macro_export]
macro_rules! declare_check {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            name: $name:literal,
            layer: $layer:ident,
            needs: $needs:ident,
            blocks: $blocks:ident,
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
            run: $run,
        };
    };
}
