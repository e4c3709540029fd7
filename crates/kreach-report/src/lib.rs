//! kreach-report: renders a [`kreach_core::Diagnosis`] for people
//! ([`human`]) and for scripts ([`json`], the `kreach/v1` schema). Pure:
//! everything writes to an `impl Write`, nothing reads the cluster. Also the
//! check catalog as Markdown ([`catalog`]).

pub mod catalog;
pub mod graph;
pub mod human;
pub mod json;
pub mod lang;
pub mod markdown;
pub mod policy;
