//! `kreach snapshot`: writes collected objects as something `--snapshot`
//! reads back, redacted so that it can be attached to a ticket.
//!
//! Formats, by the output name: `.tar.gz`/`.tgz` (one JSON `List` per kind
//! plus `manifest.json`: the recommended form), a directory (the same files
//! unpacked), or a single `.json`/`.yaml` `List` (which has no room for the
//! manifest: the loader then takes it as complete).
//!
//! Redaction ([`redact`]) happens here, on the way out, whatever the
//! source held: Secrets keep only their type and, for TLS Secrets, the
//! certificate (never `tls.key` or any other data); ConfigMaps other than
//! kube-proxy's are dropped; container `env` values in Pods and pod
//! templates are replaced (except the few the analysis reads, which are
//! settings, not secrets); the `last-applied-configuration` annotation,
//! which repeats the whole object as applied, is removed. It does not
//! scrub free text (event messages, labels, args).

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

/// What `manifest.json` records; `load_snapshot` reads it back.
#[derive(Debug, Clone)]
pub struct SnapshotManifest {
    pub collected_at: String,
    pub cluster_version: Option<String>,
    pub kreach_version: String,
    /// `-n NS`, or `None` for `-A`.
    pub namespace: Option<String>,
    /// Kinds that could not be collected, and why.
    pub missing: Vec<kreach_core::snapshot::MissingKind>,
}

impl SnapshotManifest {
    pub fn to_json(&self) -> Value {
        json!({
            "collected_at": self.collected_at,
            "cluster_version": self.cluster_version,
            "kreach_version": self.kreach_version,
            "scope": match &self.namespace { Some(ns) => format!("namespace {ns}"), None => "all namespaces".into() },
            "missing": self.missing.iter().map(|m| json!({"kind": m.kind.name(), "reason": m.reason})).collect::<Vec<_>>(),
        })
    }
}

/// Container env vars whose values are settings the analysis reads.
const KEEP_ENV: &[&str] = &["KUBE_PROXY_REPLACEMENT"];

use kreach_core::ingest::LAST_APPLIED;

fn redact_pod_spec(spec: &mut Value) {
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(cs) = spec.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in cs {
            let Some(env) = c.get_mut("env").and_then(Value::as_array_mut) else {
                continue;
            };
            for e in env {
                let keep = e
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| KEEP_ENV.contains(&n));
                if let Some(o) = e.as_object_mut()
                    && o.contains_key("value")
                    && !keep
                {
                    o.insert("value".into(), json!("REDACTED"));
                }
            }
        }
    }
}

/// Redacts one object in place; `false` when it must not be written at all.
pub fn redact(v: &mut Value) -> bool {
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(ann) = v
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        ann.remove(LAST_APPLIED);
    }
    match kind.as_str() {
        // The loader's own reduction: only a well-formed `tls.crt` survives.
        "Secret" => match v.as_object_mut() {
            Some(o) => {
                kreach_core::ingest::sanitize(o);
                true
            }
            None => false,
        },
        "ConfigMap" => v
            .as_object()
            .is_some_and(kreach_core::ingest::is_kube_proxy_config_map),
        "Pod" => {
            if let Some(spec) = v.get_mut("spec") {
                redact_pod_spec(spec);
            }
            true
        }
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => {
            if let Some(spec) = v.pointer_mut("/spec/template/spec") {
                redact_pod_spec(spec);
            }
            true
        }
        _ => true,
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub objects: usize,
    pub bytes: u64,
    /// The output cannot hold the manifest (a single file).
    pub manifest_dropped: bool,
}

fn lists_by_kind(objects: Vec<Value>) -> Vec<(String, Value)> {
    let mut groups: Vec<(String, String, Vec<Value>)> = Vec::new();
    for o in objects {
        let kind = o
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("Object")
            .to_string();
        let api = o
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("v1")
            .to_string();
        match groups.iter_mut().find(|(k, a, _)| *k == kind && *a == api) {
            Some(g) => g.2.push(o),
            None => groups.push((kind, api, vec![o])),
        }
    }
    groups
        .into_iter()
        .map(|(kind, api, items)| {
            let group = api
                .split_once('/')
                .map(|(g, _)| format!("{g}-"))
                .unwrap_or_default();
            let file = format!("{group}{}.json", kind.to_ascii_lowercase());
            (
                file,
                json!({"apiVersion": "v1", "kind": "List", "items": items}),
            )
        })
        .collect()
}

/// Counts the bytes that pass through to `inner`.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The gzip-compressed tar archive (`manifest.json`, `objects/*.json`) of
/// already redacted objects, written to `out`; the bytes written.
fn write_archive(out: impl Write, kept: Vec<Value>, manifest_bytes: &[u8]) -> std::io::Result<u64> {
    let counting = Counting {
        inner: out,
        bytes: 0,
    };
    let gz = flate2::write::GzEncoder::new(counting, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let add = |tar: &mut tar::Builder<_>, rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        tar.append_data(&mut h, rel, bytes)
    };
    add(&mut tar, "manifest.json", manifest_bytes)?;
    for (file, list) in lists_by_kind(kept) {
        add(
            &mut tar,
            &format!("objects/{file}"),
            &serde_json::to_vec(&list)?,
        )?;
    }
    let gz = tar.into_inner()?;
    let mut counting = gz.finish()?;
    counting.flush()?;
    Ok(counting.bytes)
}

/// Redacts `objects` and writes the archive that `write_snapshot` writes
/// to a `.tar.gz` path to `out` instead (`kreach snapshot -o -`).
pub fn write_snapshot_to(
    out: impl Write,
    objects: Vec<Value>,
    manifest: &SnapshotManifest,
) -> std::io::Result<Written> {
    let kept: Vec<Value> = objects
        .into_iter()
        .filter_map(|mut o| redact(&mut o).then_some(o))
        .collect();
    let n = kept.len();
    let manifest_bytes = serde_json::to_vec_pretty(&manifest.to_json())?;
    let bytes = write_archive(out, kept, &manifest_bytes)?;
    Ok(Written {
        objects: n,
        bytes,
        manifest_dropped: false,
    })
}

/// Redacts `objects` and writes them to `path` in the format its name
/// asks for.
pub fn write_snapshot(
    path: &Path,
    objects: Vec<Value>,
    manifest: &SnapshotManifest,
) -> std::io::Result<Written> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        return write_snapshot_to(file, objects, manifest);
    }
    let kept: Vec<Value> = objects
        .into_iter()
        .filter_map(|mut o| redact(&mut o).then_some(o))
        .collect();
    let n = kept.len();
    let manifest_bytes = serde_json::to_vec_pretty(&manifest.to_json())?;
    if name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml") {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": kept});
        let bytes = if name.ends_with(".json") {
            serde_json::to_vec(&list)?
        } else {
            serde_saphyr::to_string(&list)
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .into_bytes()
        };
        std::fs::write(path, &bytes)?;
        return Ok(Written {
            objects: n,
            bytes: bytes.len() as u64,
            manifest_dropped: true,
        });
    }
    // Anything else: a directory.
    std::fs::create_dir_all(path.join("objects"))?;
    std::fs::write(path.join("manifest.json"), &manifest_bytes)?;
    let mut bytes = manifest_bytes.len() as u64;
    for (file, list) in lists_by_kind(kept) {
        let b = serde_json::to_vec(&list)?;
        bytes += b.len() as u64;
        std::fs::write(path.join("objects").join(file), b)?;
    }
    Ok(Written {
        objects: n,
        bytes,
        manifest_dropped: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_keep_only_type_and_certificate() {
        let mut s = json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": "tls", "namespace": "shop", "annotations": {LAST_APPLIED: "{...}", "keep": "me"}},
            "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5", "ca.crt": "Y2E="}, "stringData": {"x": "y"}});
        assert!(redact(&mut s));
        assert_eq!(s["data"], json!({"tls.crt": "Y2VydA=="}));
        assert!(s.get("stringData").is_none());
        assert_eq!(s["metadata"]["annotations"], json!({"keep": "me"}));
        let mut opaque = json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": "db"}, "data": {"password": "cA=="}});
        assert!(redact(&mut opaque));
        assert!(opaque.get("data").is_none());
        assert_eq!(opaque["type"], "Opaque");
    }

    #[test]
    fn config_maps_other_than_kube_proxy_are_dropped() {
        let mut kp = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-proxy", "namespace": "kube-system"},
            "data": {"config.conf": "kind: KubeProxyConfiguration\nmode: iptables\n"}});
        assert!(redact(&mut kp));
        let mut other = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "shop"}, "data": {"db": "x"}});
        assert!(!redact(&mut other));
    }

    #[test]
    fn env_values_are_replaced_in_pods_and_templates() {
        let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c",
            "env": [{"name": "PASSWORD", "value": "hunter2"}, {"name": "KUBE_PROXY_REPLACEMENT", "value": "true"},
                    {"name": "FROM", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}]}});
        assert!(redact(&mut pod));
        let env = &pod["spec"]["containers"][0]["env"];
        assert_eq!(env[0]["value"], "REDACTED");
        assert_eq!(env[1]["value"], "true");
        assert!(env[2].get("value").is_none());
        let mut dep = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"template": {"spec": {"initContainers": [{"name": "i", "env": [{"name": "TOKEN", "value": "t"}]}]}}}});
        assert!(redact(&mut dep));
        assert_eq!(
            dep["spec"]["template"]["spec"]["initContainers"][0]["env"][0]["value"],
            "REDACTED"
        );
    }

    #[test]
    fn an_archive_reads_back_with_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("snap.tar.gz");
        let objs = vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"ports": [{"port": 80}]}}),
        ];
        let manifest = SnapshotManifest {
            collected_at: "2026-11-20T12:00:00Z".into(),
            cluster_version: Some("v1.30.6".into()),
            kreach_version: "0.1.0".into(),
            namespace: Some("shop".into()),
            missing: vec![kreach_core::snapshot::MissingKind {
                kind: kreach_core::Kind::NetworkPolicy,
                reason: kreach_core::snapshot::NotRead::Forbidden {
                    can_i: "kubectl auth can-i list networkpolicies.networking.k8s.io -n shop"
                        .into(),
                    message: String::new(),
                },
            }],
        };
        let w = write_snapshot(&out, objs, &manifest).unwrap();
        assert_eq!(w.objects, 2);
        let snap = crate::load_snapshot(&out).unwrap();
        assert_eq!(snap.services.len(), 1);
        assert!(!snap.has_kind(kreach_core::Kind::NetworkPolicy));
        assert_eq!(
            snap.collected_at.map(|t| t.to_string()).as_deref(),
            Some("2026-11-20T12:00:00Z")
        );
        // The same archive on a stream (`-o -`): byte for byte what the file
        // holds, and the count is what was written.
        let mut streamed = Vec::new();
        let objs = vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"ports": [{"port": 80}]}}),
        ];
        let ws = write_snapshot_to(&mut streamed, objs, &manifest).unwrap();
        assert_eq!(streamed, std::fs::read(&out).unwrap());
        assert_eq!(ws.bytes, streamed.len() as u64);
        assert_eq!((ws.objects, ws.manifest_dropped), (2, false));
    }

    #[test]
    fn a_stream_that_fails_is_an_error_not_a_panic() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "closed",
                ))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let manifest = SnapshotManifest {
            collected_at: String::new(),
            cluster_version: None,
            kreach_version: "0.1.0".into(),
            namespace: None,
            missing: Vec::new(),
        };
        let objs =
            vec![json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})];
        let e = write_snapshot_to(Full, objs, &manifest).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
