//! kreach-core: the pure analysis behind `kreach diagnose`.
//!
//! A source fills a [`Snapshot`]; [`resolve`] turns a target into access
//! paths; the [`checks`] read both and emit findings; [`diagnose()`] links
//! symptoms to causes and gives the verdict. Nothing here does I/O or
//! prints: rendering lives in `kreach-report`, collection in
//! `kreach-collect`.

pub mod check;
pub mod checks;
pub mod context;
pub mod controller;
pub mod diagnose;
pub mod endpoints;
pub mod event;
pub mod finding;
pub mod ingest;
pub mod ingress;
pub mod labels;
pub mod message;
pub mod netinfo;
pub mod nodes;
pub mod object;
pub mod path;
pub mod policy;
pub mod resolve;
pub mod snapshot;
pub mod target;
pub mod tls;
pub mod traffic;
pub mod workload;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use check::{CheckDef, Layer};
pub use diagnose::{Diagnosis, Verdict, diagnose};
pub use finding::{Finding, Severity};
pub use object::ObjectRef;
pub use resolve::Options;
pub use snapshot::{Kind, Snapshot};
pub use target::Target;
