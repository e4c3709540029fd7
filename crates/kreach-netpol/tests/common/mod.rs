//! Test support: load the oracle inputs (multi-document YAML, `List` and
//! `*List` kinds, workload manifests) into pods, namespaces and policies,
//! the way netpol-analyzer builds its model.

#![allow(dead_code)] // each test binary uses a different part

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use serde_json::{Value, json};

pub fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles")
}

/// Every document of a YAML stream, `List` / `*List` items expanded, nulls
/// (empty documents) dropped.
pub fn parse_documents(text: &str) -> Vec<Value> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).expect("oracle YAML parses");
    let mut out = Vec::new();
    for doc in docs {
        expand(doc, &mut out);
    }
    out
}

fn expand(doc: Value, out: &mut Vec<Value>) {
    if doc.is_null() {
        return;
    }
    let is_list = doc["kind"]
        .as_str()
        .is_some_and(|k| k == "List" || k.ends_with("List"));
    if is_list {
        let kind = doc["kind"]
            .as_str()
            .unwrap_or_default()
            .trim_end_matches("List")
            .to_string();
        for mut item in doc["items"].as_array().cloned().unwrap_or_default() {
            // Items of a typed list (PodList) carry no kind of their own.
            if item.get("kind").is_none() && !kind.is_empty() {
                item["kind"] = json!(kind);
            }
            expand(item, out);
        }
    } else {
        out.push(doc);
    }
}

/// Go's YAML decoding leaves a missing `containerPort` at 0 (netpol-analyzer
/// reads `containerport: 3535`, a typo in one oracle input, that way); the
/// typed Rust decoding would refuse the whole Pod, so fill it in.
fn fill_missing_container_ports(pod_spec: &mut Value) {
    for list in ["containers", "initContainers"] {
        let Some(containers) = pod_spec.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for container in containers {
            let Some(ports) = container.get_mut("ports").and_then(Value::as_array_mut) else {
                continue;
            };
            for port in ports {
                if port.get("containerPort").is_none() {
                    port["containerPort"] = json!(0);
                }
            }
        }
    }
}

/// A peer of netpol-analyzer's connlist: a workload, shown `ns/name[Kind]`,
/// represented by one pod.
pub struct Workload {
    pub id: String,
    pub pod: Pod,
}

#[derive(Default)]
pub struct Cluster {
    pub namespaces: BTreeMap<String, BTreeMap<String, String>>,
    pub workloads: Vec<Workload>,
    /// Every pod by `ns/name` (pod objects only, not templates).
    pub pods: BTreeMap<String, Pod>,
    pub policies: Vec<NetworkPolicy>,
    /// Kinds seen but not modelled (Service, Ingress, Route, …).
    pub ignored_kinds: Vec<String>,
}

static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

impl Cluster {
    pub fn load_dir(dir: &Path) -> Cluster {
        let mut files: Vec<PathBuf> = fs::read_dir(dir)
            .expect("oracle dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect();
        files.sort();
        let mut docs = Vec::new();
        for file in files {
            docs.extend(parse_documents(
                &fs::read_to_string(&file).expect("read oracle file"),
            ));
        }
        Cluster::from_documents(docs)
    }

    pub fn from_documents(docs: Vec<Value>) -> Cluster {
        let mut cluster = Cluster::default();
        for doc in docs {
            let kind = doc["kind"].as_str().unwrap_or_default().to_string();
            let namespace = doc["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default")
                .to_string();
            let name = doc["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            match kind.as_str() {
                "Namespace" => {
                    let labels = serde_json::from_value(doc["metadata"]["labels"].clone())
                        .unwrap_or_default();
                    cluster.namespaces.insert(name, labels);
                }
                "NetworkPolicy" => {
                    cluster
                        .policies
                        .push(serde_json::from_value(doc).expect("NetworkPolicy decodes"));
                }
                "Pod" => {
                    let mut doc = doc;
                    if let Some(spec) = doc.get_mut("spec") {
                        fill_missing_container_ports(spec);
                    }
                    let pod: Pod = serde_json::from_value(doc.clone()).expect("Pod decodes");
                    let owner = doc["metadata"]["ownerReferences"]
                        .as_array()
                        .and_then(|owners| {
                            owners
                                .iter()
                                .find(|o| o["controller"].as_bool() == Some(true))
                                .or_else(|| owners.first())
                        })
                        .map(|o| {
                            format!(
                                "{namespace}/{}[{}]",
                                o["name"].as_str().unwrap_or_default(),
                                o["kind"].as_str().unwrap_or_default()
                            )
                        });
                    let id = owner.unwrap_or_else(|| format!("{namespace}/{name}[Pod]"));
                    cluster
                        .pods
                        .insert(format!("{namespace}/{name}"), pod.clone());
                    cluster.add_workload(id, pod);
                }
                "Deployment"
                | "ReplicaSet"
                | "StatefulSet"
                | "DaemonSet"
                | "Job"
                | "ReplicationController"
                | "CronJob" => {
                    let template = if kind == "CronJob" {
                        &doc["spec"]["jobTemplate"]["spec"]["template"]
                    } else {
                        &doc["spec"]["template"]
                    };
                    let mut spec = template["spec"].clone();
                    fill_missing_container_ports(&mut spec);
                    let pod = json!({
                        "apiVersion": "v1",
                        "kind": "Pod",
                        "metadata": {
                            "name": name,
                            "namespace": namespace,
                            "labels": template["metadata"]["labels"].clone(),
                        },
                        "spec": spec,
                    });
                    let pod: Pod = serde_json::from_value(pod).expect("pod template decodes");
                    cluster.add_workload(format!("{namespace}/{name}[{kind}]"), pod);
                }
                other => cluster.ignored_kinds.push(other.to_string()),
            }
        }
        cluster
    }

    fn add_workload(&mut self, id: String, pod: Pod) {
        // netpol-analyzer represents a workload by its pods, which share a
        // template; the first one stands for all.
        if !self.workloads.iter().any(|w| w.id == id) {
            self.workloads.push(Workload { id, pod });
        }
    }

    pub fn namespace_labels(&self, namespace: &str) -> &BTreeMap<String, String> {
        self.namespaces.get(namespace).unwrap_or(&NO_LABELS)
    }

    pub fn pod_namespace_labels(&self, pod: &Pod) -> &BTreeMap<String, String> {
        self.namespace_labels(pod.metadata.namespace.as_deref().unwrap_or("default"))
    }
}
