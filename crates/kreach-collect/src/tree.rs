//! A snapshot path → the files in it, whatever holds them: one file, a
//! directory (recursively), or an archive (`.tar.gz`, `.tgz`, `.tar`, or a
//! single gzipped file), recognized by content, not by name.
//!
//! Every file gets a path relative to the root, `/`-separated, which the
//! format detection in `load` reads (`cluster-resources/pods/x.json`), and a
//! display name for messages (`dump/kube-system/pods.json`,
//! `bundle.tar.gz!/bundle/cluster-resources/pods/x.json`). A single top-level
//! directory (how archives and unpacked bundles usually look) is looked
//! through. Directory files are read when the loader gets to them; archive
//! members are unpacked into memory up front.
//!
//! Hidden entries (`.git`, `.DS_Store`) are skipped. Nothing here parses YAML
//! or JSON.

use std::borrow::Cow;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::LoadError;

/// Directories deeper than this are not entered (a symlink loop ends here).
const MAX_DEPTH: usize = 32;

#[derive(Debug)]
pub(crate) struct Entry {
    /// Relative to the tree's root, `/`-separated, without a leading `./`.
    pub rel: String,
    /// How messages name the file.
    pub display: String,
    content: Content,
}

#[derive(Debug)]
enum Content {
    Disk(PathBuf),
    Memory(Vec<u8>),
}

impl Entry {
    pub fn read(&self) -> Result<Cow<'_, [u8]>, LoadError> {
        match &self.content {
            Content::Disk(p) => fs::read(p)
                .map(Cow::Owned)
                .map_err(|e| LoadError::read(&self.display, &e)),
            Content::Memory(b) => Ok(Cow::Borrowed(b)),
        }
    }

    /// The last path component.
    pub fn file_name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(&self.rel)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TreeKind {
    File,
    Directory,
    Archive,
}

#[derive(Debug)]
pub(crate) struct Tree {
    pub kind: TreeKind,
    pub entries: Vec<Entry>,
}

pub(crate) fn open(path: &Path) -> Result<Tree, LoadError> {
    let display = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| LoadError::read(&display, &e))?;
    if meta.is_dir() {
        let mut entries = Vec::new();
        walk(path, "", &display, 0, &mut entries)?;
        strip_single_top_dir(&mut entries);
        return Ok(Tree {
            kind: TreeKind::Directory,
            entries,
        });
    }
    let bytes = fs::read(path).map_err(|e| LoadError::read(&display, &e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.clone());
    open_bytes(bytes, &name, &display)
}

fn open_bytes(bytes: Vec<u8>, name: &str, display: &str) -> Result<Tree, LoadError> {
    let archive_err = |e: std::io::Error| LoadError::Archive {
        path: display.to_string(),
        message: crate::error::io_message(&e),
    };
    let (bytes, gzipped) = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(archive_err)?;
        (out, true)
    } else {
        (bytes, false)
    };
    if is_tar(&bytes) {
        let mut entries = untar(&bytes, display).map_err(archive_err)?;
        strip_single_top_dir(&mut entries);
        return Ok(Tree {
            kind: TreeKind::Archive,
            entries,
        });
    }
    // A lone file, possibly gzipped (`pods.yaml.gz`): named without `.gz` so
    // that its extension still says YAML.
    let rel = if gzipped {
        name.strip_suffix(".gz").unwrap_or(name).to_string()
    } else {
        name.to_string()
    };
    Ok(Tree {
        kind: TreeKind::File,
        entries: vec![Entry {
            rel,
            display: display.to_string(),
            content: Content::Memory(bytes),
        }],
    })
}

/// POSIX and GNU tar both put `ustar` at offset 257 of the first header.
fn is_tar(bytes: &[u8]) -> bool {
    bytes.len() >= 512 && bytes.get(257..262) == Some(b"ustar")
}

fn untar(bytes: &[u8], display: &str) -> std::io::Result<Vec<Entry>> {
    let mut archive = tar::Archive::new(bytes);
    let mut entries = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let rel = normalize_rel(&path);
        if rel.is_empty() || rel.split('/').any(|c| c.starts_with('.')) {
            continue;
        }
        let mut data = Vec::with_capacity(entry.size().min(1 << 30) as usize);
        entry.read_to_end(&mut data)?;
        entries.push(Entry {
            display: format!("{display}!/{rel}"),
            rel,
            content: Content::Memory(data),
        });
    }
    entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(entries)
}

fn normalize_rel(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(
    dir: &Path,
    rel: &str,
    display: &str,
    depth: usize,
    out: &mut Vec<Entry>,
) -> Result<(), LoadError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let here = if rel.is_empty() {
        display.to_string()
    } else {
        format!("{}/{rel}", display.trim_end_matches('/'))
    };
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(|e| LoadError::read(&here, &e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let child_display = format!("{}/{child_rel}", display.trim_end_matches('/'));
        // Follows symlinks; a dangling one is skipped like any unreadable
        // non-snapshot file would be.
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, &child_rel, display, depth + 1, out)?;
        } else if meta.is_file() {
            out.push(Entry {
                rel: child_rel,
                display: child_display,
                content: Content::Disk(path),
            });
        }
    }
    Ok(())
}

/// `bundle-2024/cluster-resources/…` → `cluster-resources/…` when every file
/// is under the one directory. Only one level, and never into a directory
/// whose name the format detection looks for.
fn strip_single_top_dir(entries: &mut [Entry]) {
    let Some((top, _)) = entries.first().and_then(|e| e.rel.split_once('/')) else {
        return;
    };
    if top == "cluster-resources" {
        return;
    }
    let prefix = format!("{top}/");
    if !entries.iter().all(|e| e.rel.starts_with(&prefix)) {
        return;
    }
    for e in entries.iter_mut() {
        e.rel = e.rel[prefix.len()..].to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gzip_is_an_archive_error() {
        let e = open_bytes(vec![0x1f, 0x8b, 1, 2, 3], "x.tgz", "x.tgz").unwrap_err();
        assert!(e.to_string().starts_with("x.tgz: invalid archive: "), "{e}");
    }

    #[test]
    fn gzipped_single_file_keeps_its_inner_name() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"kind: Pod\n").unwrap();
        let t = open_bytes(gz.finish().unwrap(), "p.yaml.gz", "d/p.yaml.gz").unwrap();
        assert_eq!(t.kind, TreeKind::File);
        assert_eq!(t.entries[0].rel, "p.yaml");
        assert_eq!(&*t.entries[0].read().unwrap(), b"kind: Pod\n");
    }
}
