//! Evidence about the pod part of the path (see [`super`]).

use serde::Serialize;

/// A fact shown under a finding of the pod checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {}
