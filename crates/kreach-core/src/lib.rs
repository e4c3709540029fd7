//! kreach-core: the pure analysis behind `kreach diagnose`.
//!
//! A source fills a [`Snapshot`]; [`resolve`] turns a target into access
//! paths; the [`checks`] read both and emit findings; [`rank`] links
//! symptoms to causes and gives the verdict. Nothing here does I/O or
//! prints: rendering lives in `kreach-report`, collection in
//! `kreach-collect`.

pub mod event;
pub mod object;
pub mod snapshot;
pub mod tls;

pub use object::ObjectRef;
pub use snapshot::{Kind, Snapshot};
