//! kreach-collect: the sources of cluster state. The offline one:
//! [`load_snapshot`] reads a YAML/JSON file or directory, a `kubectl
//! cluster-info dump`, a troubleshoot.sh support bundle or a `kreach
//! snapshot` archive into the same [`kreach_core::Snapshot`] the live
//! collector fills, recording which kinds the source could not hold.
//! [`load_documents`] gives the same objects untyped, as the source had them,
//! for `kreach serve`. The live source ([`live`]) reads a cluster through
//! its API with targeted queries into the same `Snapshot`;
//! [`snapshot_writer`] writes what it read as a redacted `kreach snapshot`.
//!
//! It does no analysis and prints nothing: problems that do not stop loading
//! go to `Snapshot::warnings`, the rest is a one-line [`LoadError`].

mod error;
pub mod live;
mod load;
mod objects;
mod parse;
mod partial;
pub mod snapshot_writer;
mod tree;

pub use error::{BadObject, Found, LoadError, Problem, Syntax};
pub use load::{Document, Documents, SourceFormat, load_documents, load_snapshot};
