//! Evidence about the network part of the path (see [`super`]).

use serde::Serialize;

/// A fact shown under a finding of the network checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {}
