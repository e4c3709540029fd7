//! Bytes of one file → the documents in it, as `serde_json::Value`s.
//!
//! JSON input (first non-blank character `{` or `[`) goes through
//! `serde_json` as a stream of concatenated documents, which also covers
//! NDJSON and the stdout form of `kubectl cluster-info dump` (whose
//! `==== START logs … ==== END logs …` blocks and log-request error lines
//! between the documents are skipped). Everything else is YAML, parsed by
//! `serde-saphyr` with a budget that grows with the input: its defaults
//! reject real dumps (about 1,100 pods), and no budget at all would let an
//! alias bomb through.
//!
//! This module knows nothing about Kubernetes: lists, kinds and typing are
//! in `objects`.

use serde_json::Value;

use crate::error::{LoadError, Syntax, one_line};

/// The documents of one file.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub values: Vec<Value>,
    /// The file had `kubectl cluster-info dump` log blocks between its
    /// documents: it is that command's stdout.
    pub dump_logs: bool,
}

/// Parses one file. `display` names it in errors; `yaml_name` says the
/// file's name ends in `.yaml`/`.yml`, so JSON-looking content that is not
/// JSON gets a second chance as YAML (a flow mapping is valid YAML).
pub(crate) fn parse_file(
    bytes: &[u8],
    display: &str,
    yaml_name: bool,
) -> Result<Parsed, LoadError> {
    // `kubectl get -o yaml > file` in Windows PowerShell 5 writes UTF-16.
    if let Some(text) = utf16(bytes) {
        return match text {
            Some(t) => parse_file(t.as_bytes(), display, yaml_name),
            None => Err(LoadError::Parse {
                path: display.to_string(),
                line: None,
                column: None,
                syntax: Syntax::Yaml,
                message: "the file starts with a UTF-16 byte-order mark but is not UTF-16".into(),
            }),
        };
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_col(bytes, e.valid_up_to());
            return Err(LoadError::Parse {
                path: display.to_string(),
                line: Some(line),
                column: Some(column),
                syntax: if looks_like_json(bytes) {
                    Syntax::Json
                } else {
                    Syntax::Yaml
                },
                message: "the file is not UTF-8 text".into(),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_json(text.as_bytes()) {
        match parse_json_stream(text, display) {
            Ok(p) => Ok(p),
            Err(json_err) if yaml_name => match parse_yaml(text, display) {
                Ok(values) => Ok(Parsed {
                    values,
                    dump_logs: false,
                }),
                Err(_) => Err(json_err),
            },
            Err(e) => Err(e),
        }
    } else {
        Ok(Parsed {
            values: parse_yaml(text, display)?,
            dump_logs: false,
        })
    }
}

/// `Some` when `bytes` start with a UTF-16 byte-order mark: the decoded
/// text, or `None` when the rest is not UTF-16.
fn utf16(bytes: &[u8]) -> Option<Option<String>> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(None);
    }
    let units = body.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok(),
    )
}

fn looks_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

const START_LOGS: &str = "==== START logs for ";
const END_LOGS: &str = "==== END logs for ";
/// Lines `kubectl cluster-info dump` prints when it cannot fetch a log.
const LOG_ERROR_PREFIXES: [&str; 2] = ["Create log request error:", "Request log error:"];

/// Concatenated JSON documents, separated by nothing but whitespace, with the
/// log blocks of `kubectl cluster-info dump` skipped.
fn parse_json_stream(text: &str, display: &str) -> Result<Parsed, LoadError> {
    let bytes = text.as_bytes();
    let mut out = Parsed::default();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            break;
        }
        let rest = &text[pos..];
        if let Some(header) = rest.strip_prefix(START_LOGS) {
            // Skip to the END line of the same container and pod, so that a
            // log quoting another END line does not end the block early.
            let subject = header.lines().next().unwrap_or("");
            let end_marker = format!("{END_LOGS}{subject}");
            pos = match rest.find(&end_marker) {
                Some(i) => pos + i + end_line_len(&rest[i..]),
                None => bytes.len(),
            };
            out.dump_logs = true;
            continue;
        }
        if LOG_ERROR_PREFIXES.iter().any(|p| rest.starts_with(p)) {
            pos += end_line_len(rest);
            continue;
        }
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                out.values.push(v);
                pos += stream.byte_offset();
            }
            Some(Err(e)) => return Err(json_error(text, pos, &e, display)),
            None => break,
        }
    }
    Ok(out)
}

/// Length of the first line of `s`, its newline included.
fn end_line_len(s: &str) -> usize {
    s.find('\n').map_or(s.len(), |i| i + 1)
}

fn json_error(text: &str, pos: usize, e: &serde_json::Error, display: &str) -> LoadError {
    // serde_json counts from where this document's parse started.
    let (base_line, base_col) = line_col(text.as_bytes(), pos);
    let (line, column) = if e.line() <= 1 {
        (base_line, base_col - 1 + e.column() as u64)
    } else {
        (base_line + e.line() as u64 - 1, e.column() as u64)
    };
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    LoadError::Parse {
        path: display.to_string(),
        line: Some(line),
        column: Some(column),
        syntax: Syntax::Json,
        message: one_line(&msg),
    }
}

/// 1-based line and column of byte offset `pos`.
fn line_col(bytes: &[u8], pos: usize) -> (u64, u64) {
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// A YAML budget that scales with the input. Every limit that bounds the
/// size of ordinary data grows with the input length (a node, an event or a
/// document needs at least one input byte, give or take a constant), while
/// the limits that stop alias bombs keep their defaults.
fn yaml_options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(len.saturating_add(16));
    budget.max_events = budget
        .max_events
        .max(len.saturating_mul(4).saturating_add(64));
    budget.max_documents = budget.max_documents.max(len / 3 + 16);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len.saturating_mul(2));
    // Kubernetes objects nest about 20 deep; managedFields and CRDs deeper.
    budget.max_depth = 256;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    // kubectl (sigs.k8s.io/yaml) takes the last of duplicate keys; so do we,
    // rather than refusing a manifest the cluster accepted.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    // Scalars keep their text where it could be a string: `namespace: no`,
    // `on`, `y` are the strings they look like, `name: 0123` keeps its zero.
    // Where the typed object wants a boolean or an integer, decoding turns
    // them back (`kreach_core::ingest::decode`), as sigs.k8s.io/yaml decodes
    // YAML into the typed struct.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options
}

/// One step of the way from a document to a value in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The 1-based line of the value at `steps` in document `doc` of a YAML
/// (or JSON) text, or of the deepest value on the way that exists. Only
/// for messages: it parses the text again, with positions.
pub(crate) fn line_of(bytes: &[u8], doc: usize, steps: &[Step]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let docs: Vec<Loc> =
        serde_saphyr::from_multiple_with_options(text, yaml_options(text.len())).ok()?;
    let mut at = docs.get(doc)?;
    for step in steps {
        let next = match (step, &at.kids) {
            (Step::Key(k), Kids::Map(entries)) => {
                entries.iter().find(|(n, _)| n == k).map(|(_, v)| v)
            }
            (Step::Index(i), Kids::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => break,
        }
    }
    (at.line > 0).then_some(at.line)
}

/// A YAML node with where it is, for [`line_of`].
struct Loc {
    line: u64,
    kids: Kids,
}

enum Kids {
    Leaf,
    Seq(Vec<Loc>),
    Map(Vec<(String, Loc)>),
}

impl<'de> serde::Deserialize<'de> for Loc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Kids>::deserialize(d)?;
        Ok(Loc {
            line: s.referenced.line(),
            kids: s.value,
        })
    }
}

impl<'de> serde::Deserialize<'de> for Kids {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KidsVisitor)
    }
}

struct KidsVisitor;

macro_rules! leaf {
    ($($name:ident: $t:ty),*) => {
        $(fn $name<E: serde::de::Error>(self, _: $t) -> Result<Kids, E> {
            Ok(Kids::Leaf)
        })*
    };
}

impl<'de> serde::de::Visitor<'de> for KidsVisitor {
    type Value = Kids;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML node")
    }
    leaf!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128, visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);
    fn visit_unit<E: serde::de::Error>(self) -> Result<Kids, E> {
        Ok(Kids::Leaf)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Kids, E> {
        Ok(Kids::Leaf)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Kids, D::Error> {
        d.deserialize_any(KidsVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Kids, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Loc>()? {
            items.push(item);
        }
        Ok(Kids::Seq(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Kids, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_json::Value>()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            entries.push((key, map.next_value::<Loc>()?));
        }
        Ok(Kids::Map(entries))
    }
}

fn parse_yaml(text: &str, display: &str) -> Result<Vec<Value>, LoadError> {
    serde_saphyr::from_multiple_with_options::<Value>(text, yaml_options(text.len())).map_err(|e| {
        let location = e.location();
        let (line, column) = match location {
            Some(l) if l.line() > 0 => (Some(l.line()), Some(l.column())),
            _ => (None, None),
        };
        LoadError::Parse {
            path: display.to_string(),
            line,
            column,
            syntax: Syntax::Yaml,
            message: yaml_message(&e),
        }
    })
}

/// serde-saphyr's message without its own location suffix (the caller puts
/// the location in front, compiler style).
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let mut render = serde_saphyr::RenderOptions::default();
    render.snippets = serde_saphyr::SnippetMode::Off;
    let rendered = e.without_snippet().render_with_options(render);
    let mut msg = one_line(&rendered);
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stream_reads_concatenated_and_ndjson_documents() {
        let p = parse_file(b"{\"a\":1}{\"b\":2}\n{\"c\":3}\n", "x.json", false).unwrap();
        assert_eq!(p.values.len(), 3);
    }

    #[test]
    fn json_error_counts_lines_across_documents() {
        let e = parse_file(b"{\"a\":1}\n{\"b\":\n  ]}\n", "x.json", false).unwrap_err();
        assert_eq!(
            e.to_string().split(": invalid").next().unwrap(),
            "x.json:3:3"
        );
    }

    #[test]
    fn cluster_info_dump_log_blocks_are_skipped() {
        let text = "{\"kind\":\"NodeList\",\"items\":[]}\n\
            ==== START logs for container c of pod ns/p ====\n\
            { not json\n\
            ==== END logs for container c of pod ns/p ====\n\
            Create log request error: boom\n\
            {\"kind\":\"PodList\",\"items\":[]}\n";
        let p = parse_file(text.as_bytes(), "dump.txt", false).unwrap();
        assert_eq!(p.values.len(), 2);
        assert!(p.dump_logs);
    }

    #[test]
    fn yaml_multi_document() {
        let p = parse_file(b"a: 1\n---\nb: 2\n---\n", "x.yaml", true).unwrap();
        assert_eq!(p.values.len(), 2);
    }

    #[test]
    fn yaml_error_has_line_and_column() {
        let e = parse_file(b"a: 1\nb: c: d\n", "x.yaml", true).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("x.yaml:2:"), "{s}");
        assert!(!s.contains('\n'), "{s}");
    }

    #[test]
    fn utf16_from_powershell_redirection() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "kind: Pod\r\nmetadata:\r\n  name: x\r\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let p = parse_file(&bytes, "x.yaml", true).unwrap();
        assert_eq!(p.values[0]["metadata"]["name"], "x");
        assert!(parse_file(&[0xfe, 0xff, 0], "x.yaml", true).is_err());
    }

    #[test]
    fn non_utf8_is_an_error_not_a_panic() {
        assert!(parse_file(b"a: \xff\xfe\n", "x.yaml", true).is_err());
    }
}
