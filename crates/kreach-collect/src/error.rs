//! The one error type of the loader, [`LoadError`]: why a snapshot could not
//! be loaded at all.
//!
//! Every message is one line naming the file (and, for syntax errors, the
//! line and column) so that the binary can print it after `error:` and exit
//! with status 2. Problems that do not stop loading (an object of a known
//! kind that does not deserialize, a bundle file that does not parse) are not
//! errors: they end up in `Snapshot::warnings`.

use std::fmt;
use std::io;

/// The syntax a file was parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Syntax::Yaml => "YAML",
            Syntax::Json => "JSON",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path (or a file below it) could not be read.
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    /// A file is not valid YAML or JSON.
    #[error("{}", parse_line(.path, *.line, *.column, *.syntax, .message))]
    Parse {
        path: String,
        /// 1-based, when the parser knows it.
        line: Option<u64>,
        /// 1-based, when the parser knows it.
        column: Option<u64>,
        syntax: Syntax,
        message: String,
    },
    /// A `.tar`/`.tar.gz`/`.gz` archive could not be unpacked.
    #[error("{path}: invalid archive: {message}")]
    Archive { path: String, message: String },
    /// A `kreach snapshot` manifest is present but unusable.
    #[error("{path}: invalid snapshot manifest: {message}")]
    Manifest { path: String, message: String },
    /// The source parsed but holds no Kubernetes object at all; `found`
    /// says what it holds instead.
    #[error("{path}: no Kubernetes objects found{}", found_text(.found))]
    NoObjects { path: String, found: Found },
    /// An object of a kind kreach reads that does not decode, in a file
    /// the user named: leaving it out would make the diagnosis wrong.
    #[error("{}", undecodable_line(.path, *.line, &.object.object, &.object.field, &.object.problem))]
    Undecodable {
        path: String,
        /// 1-based: the field's line, or the object's.
        line: Option<u64>,
        object: Box<BadObject>,
    },
}

/// Which object did not decode, where in it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadObject {
    /// `Service shop/web`.
    pub object: String,
    /// `spec.ports[0].port`; empty for the object as a whole.
    pub field: String,
    pub problem: Problem,
}

/// What a source that holds no Kubernetes object holds instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Mappings without a `kind`.
    pub kindless: usize,
    /// Their first top-level keys.
    pub keys: Vec<String>,
    /// Some keys are Go struct field names (`Kind`, `ObjectMeta`): a Go
    /// struct dump, not the API's JSON.
    pub go_fields: bool,
    /// Scalars and other values that are not mappings.
    pub not_objects: usize,
}

fn found_text(f: &Found) -> String {
    if f.go_fields {
        format!(
            ": it holds Go struct fields ({}), not the API's (kind, metadata, spec): print the objects with `kubectl get -o yaml`",
            f.keys.join(", ")
        )
    } else if f.kindless > 0 {
        format!(
            ": {} mapping(s) without a kind, with keys {} (a Helm values file, or another tool's output?)",
            f.kindless,
            f.keys.join(", ")
        )
    } else if f.not_objects > 0 {
        format!(": {} value(s) that are not objects", f.not_objects)
    } else {
        String::new()
    }
}

/// Why an object does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The decoder's message, as it is.
    Invalid(String),
    /// `kind: service`: kinds are case-sensitive; `kind` is the one meant.
    KindCase { written: String, kind: &'static str },
}

fn undecodable_line(
    path: &str,
    line: Option<u64>,
    object: &str,
    field: &str,
    problem: &Problem,
) -> String {
    let at = match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    };
    let field = if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    };
    let problem = match problem {
        Problem::Invalid(m) => m.clone(),
        Problem::KindCase { written, kind } => {
            format!("no kind {written:?} (kinds are case-sensitive: {kind}?)")
        }
    };
    format!("{at}: {object}: {field}{problem}")
}

fn parse_line(
    path: &str,
    line: Option<u64>,
    column: Option<u64>,
    syntax: Syntax,
    message: &str,
) -> String {
    match (line, column) {
        (Some(l), Some(c)) if c > 0 => format!("{path}:{l}:{c}: invalid {syntax}: {message}"),
        (Some(l), _) => format!("{path}:{l}: invalid {syntax}: {message}"),
        _ => format!("{path}: invalid {syntax}: {message}"),
    }
}

impl LoadError {
    pub(crate) fn read(path: impl Into<String>, err: &io::Error) -> Self {
        LoadError::Read {
            path: path.into(),
            message: io_message(err),
        }
    }
}

/// `No such file or directory (os error 2)` → `No such file or directory`:
/// the OS error number helps nobody reading a one-line message.
pub(crate) fn io_message(err: &io::Error) -> String {
    let s = err.to_string();
    let s = match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    };
    one_line(&s)
}

/// Collapses any run of whitespace (newlines included) to one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_file_line_and_column() {
        let e = LoadError::Parse {
            path: "snapshot.yaml".into(),
            line: Some(17),
            column: Some(3),
            syntax: Syntax::Yaml,
            message: "mapping values are not allowed here".into(),
        };
        assert_eq!(
            e.to_string(),
            "snapshot.yaml:17:3: invalid YAML: mapping values are not allowed here"
        );
    }

    #[test]
    fn read_error_drops_the_os_error_number() {
        let io = io::Error::from_raw_os_error(2);
        let e = LoadError::read("/x/y", &io);
        assert_eq!(e.to_string(), "cannot read /x/y: No such file or directory");
    }
}
