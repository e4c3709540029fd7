//! `cargo bench -p kreach --bench live`: what a live diagnosis costs on a
//! large cluster, against the manual kubectl sequence it replaces.
//!
//! It generates a cluster of 10,000 Pods, 2,000 Services, 500 Nodes and
//! 300 NetworkPolicies (50 application namespaces, an ingress-nginx
//! controller, kube-proxy and calico-node on every node), writes it as one
//! JSON file, serves it with `kreach serve` on 127.0.0.1 and measures:
//!
//! 1. `kreach diagnose svc/X --no-probe` live: requests, bytes, wall time;
//! 2. the seed's manual kubectl sequence (get svc, describe svc, get
//!    endpoints, get pods -l, describe pod, get ingress, describe ingress,
//!    get networkpolicy, get pods -n kube-system) against the same server,
//!    with a warm discovery cache, as a user at a shell would run it;
//! 3. `kreach diagnose --snapshot FILE` on the same cluster (load and
//!    diagnose) with its peak memory (`/usr/bin/time`, when installed).
//!
//! Traffic goes to 127.0.0.1 only; no address in the generated cluster is
//! ever contacted (`--no-probe`). It prints a Markdown table for the README.
//! A benchmark, not a test: it asserts nothing but that the runs succeed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kreach_serve::{Background, ServeOptions};
use serde_json::{Value, json};

const NODES: usize = 500;
const NAMESPACES: usize = 50;
const SERVICES_PER_NS: usize = 40;
const POLICIES_PER_NS: usize = 6;
const CREATED: &str = "2026-03-01T10:00:00Z";

fn node_name(i: usize) -> String {
    format!("node-{i:03}")
}

fn pod_cidr(i: usize) -> String {
    format!("10.{}.{}.0/24", 128 + i / 256, i % 256)
}

fn pod_ip(node: usize, k: usize) -> String {
    format!("10.{}.{}.{}", 128 + node / 256, node % 256, 2 + k % 250)
}

fn meta(name: &str, ns: Option<&str>, labels: Value) -> Value {
    let mut m = json!({"name": name, "uid": format!("uid-{name}-{}", ns.unwrap_or("")), "creationTimestamp": CREATED, "labels": labels});
    if let Some(ns) = ns {
        m["namespace"] = json!(ns);
    }
    m
}

fn ready_pod(
    name: &str,
    ns: &str,
    labels: Value,
    owner: (&str, &str),
    node: usize,
    ip: &str,
    container: Value,
) -> Value {
    let mut m = meta(name, Some(ns), labels);
    m["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": owner.0, "name": owner.1, "uid": format!("uid-{}", owner.1), "controller": true}]);
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": m,
        "spec": {"nodeName": node_name(node), "containers": [container]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": format!("10.0.{}.{}", node / 250, 1 + node % 250),
            "startTime": CREATED,
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": CREATED},
                           {"type": "PodScheduled", "status": "True", "lastTransitionTime": CREATED}],
            "containerStatuses": [{"name": container["name"], "ready": true, "restartCount": 0, "image": container["image"],
                "imageID": "", "started": true, "state": {"running": {"startedAt": CREATED}}}]}})
}

/// The generated cluster, as one `kind: List`.
fn generate() -> (Value, usize) {
    let mut items: Vec<Value> = Vec::new();
    let mut pods = 0usize;
    let mut next_node = 0usize;
    let mut ip_seq = vec![0usize; NODES];
    let mut place = || {
        let n = next_node % NODES;
        next_node += 1;
        ip_seq[n] += 1;
        (n, pod_ip(n, ip_seq[n]))
    };
    for i in 0..NODES {
        let mut addrs = vec![
            json!({"type": "InternalIP", "address": format!("10.0.{}.{}", i / 250, 1 + i % 250)}),
            json!({"type": "Hostname", "address": node_name(i)}),
        ];
        if i % 5 == 0 {
            addrs.push(json!({"type": "ExternalIP", "address": format!("203.0.{}.{}", 113 + i / 250, 1 + i % 250)}));
        }
        items.push(json!({"apiVersion": "v1", "kind": "Node",
            "metadata": meta(&node_name(i), None, json!({"kubernetes.io/hostname": node_name(i), "topology.kubernetes.io/zone": format!("zone-{}", i % 3)})),
            "spec": {"podCIDR": pod_cidr(i), "podCIDRs": [pod_cidr(i)]},
            "status": {"addresses": addrs,
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "lastTransitionTime": CREATED, "lastHeartbeatTime": CREATED}],
                "nodeInfo": {"kubeletVersion": "v1.30.6", "kubeProxyVersion": "v1.30.6", "osImage": "Ubuntu 22.04.5 LTS", "kernelVersion": "5.15.0",
                    "containerRuntimeVersion": "containerd://1.7.22", "operatingSystem": "linux", "architecture": "amd64",
                    "machineID": "", "systemUUID": "", "bootID": ""}}}));
    }
    for ns in ["default", "kube-system", "ingress-nginx"] {
        items.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(ns, None, json!({"kubernetes.io/metadata.name": ns})), "status": {"phase": "Active"}}));
    }
    // Node agents.
    for (agent, image) in [
        ("kube-proxy", "registry.k8s.io/kube-proxy:v1.30.6"),
        ("calico-node", "docker.io/calico/node:v3.28.2"),
    ] {
        items.push(json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta(agent, Some("kube-system"), json!({"k8s-app": agent})),
            "spec": {"selector": {"matchLabels": {"k8s-app": agent}},
                "template": {"metadata": {"labels": {"k8s-app": agent}}, "spec": {"containers": [{"name": agent, "image": image}]}}},
            "status": {"desiredNumberScheduled": NODES, "numberReady": NODES, "currentNumberScheduled": NODES, "numberMisscheduled": 0}}));
        for n in 0..NODES {
            let name = format!("{agent}-{n:05x}");
            items.push(ready_pod(
                &name,
                "kube-system",
                json!({"k8s-app": agent}),
                ("DaemonSet", agent),
                n,
                &format!("10.0.{}.{}", n / 250, 1 + n % 250),
                json!({"name": agent, "image": image}),
            ));
            pods += 1;
        }
    }
    items.push(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("kube-proxy", Some("kube-system"), json!({"app": "kube-proxy"})),
        "data": {"config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.128.0.0/9\nmode: iptables\n"}}));
    // The ingress controller.
    let ctrl_labels = json!({"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx"});
    let ctrl_container = json!({"name": "controller", "image": "registry.k8s.io/ingress-nginx/controller:v1.11.3",
        "args": ["/nginx-ingress-controller", "--ingress-class=nginx", "--controller-class=k8s.io/ingress-nginx"],
        "ports": [{"name": "http", "containerPort": 80}, {"name": "https", "containerPort": 443}]});
    items.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
        "metadata": {"name": "nginx", "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}, "creationTimestamp": CREATED},
        "spec": {"controller": "k8s.io/ingress-nginx"}}));
    items.push(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("ingress-nginx-controller", Some("ingress-nginx"), ctrl_labels.clone()),
        "spec": {"replicas": 2, "selector": {"matchLabels": ctrl_labels.clone()},
            "template": {"metadata": {"labels": ctrl_labels.clone()}, "spec": {"containers": [ctrl_container.clone()]}}},
        "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2}}));
    items.push(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "ingress-nginx-controller-6c7559c89", "namespace": "ingress-nginx",
        "labels": ctrl_labels.clone(), "creationTimestamp": CREATED,
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "ingress-nginx-controller", "uid": "u", "controller": true}]},
        "spec": {"replicas": 2, "selector": {"matchLabels": ctrl_labels.clone()}, "template": {"metadata": {"labels": ctrl_labels.clone()}, "spec": {"containers": [ctrl_container.clone()]}}},
        "status": {"replicas": 2, "readyReplicas": 2}}));
    for k in 0..2 {
        let (n, ip) = place();
        items.push(ready_pod(
            &format!("ingress-nginx-controller-6c7559c89-{k}abcd"),
            "ingress-nginx",
            ctrl_labels.clone(),
            ("ReplicaSet", "ingress-nginx-controller-6c7559c89"),
            n,
            &ip,
            ctrl_container.clone(),
        ));
        pods += 1;
    }
    items.push(json!({"apiVersion": "v1", "kind": "Service", "metadata": meta("ingress-nginx-controller", Some("ingress-nginx"), ctrl_labels.clone()),
        "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.50", "selector": ctrl_labels.clone(), "externalTrafficPolicy": "Cluster",
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 31380, "protocol": "TCP"},
                      {"name": "https", "port": 443, "targetPort": "https", "nodePort": 31443, "protocol": "TCP"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.50"}]}}}));
    // Applications.
    let mut cluster_ip = 1000usize;
    for a in 0..NAMESPACES {
        let ns = format!("ns-{a:03}");
        items.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(&ns, None, json!({"kubernetes.io/metadata.name": ns})), "status": {"phase": "Active"}}));
        for s in 0..SERVICES_PER_NS {
            let app = format!("svc-{s:02}");
            let labels = json!({"app": app});
            let replicas = if (a * SERVICES_PER_NS + s).is_multiple_of(2) {
                4
            } else {
                5
            };
            let container = json!({"name": "app", "image": format!("registry.example/{app}:1.0"),
                "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                "env": [{"name": "MODE", "value": "production"}],
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}});
            cluster_ip += 1;
            let svc_type = if s % 10 == 0 { "NodePort" } else { "ClusterIP" };
            let mut port =
                json!({"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"});
            if svc_type == "NodePort" {
                port["nodePort"] = json!(30000 + (a * 4 + s / 10) % 2700);
            }
            items.push(json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(&app, Some(&ns), labels.clone()),
                "spec": {"type": svc_type, "clusterIP": format!("10.96.{}.{}", cluster_ip / 250, cluster_ip % 250 + 1), "selector": labels.clone(), "ports": [port]},
                "status": {"loadBalancer": {}}}));
            items.push(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(&app, Some(&ns), labels.clone()),
                "spec": {"replicas": replicas, "selector": {"matchLabels": labels.clone()},
                    "template": {"metadata": {"labels": labels.clone()}, "spec": {"containers": [container.clone()]}}},
                "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "updatedReplicas": replicas}}));
            let rs = format!("{app}-5d8f7c9b4");
            items.push(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": rs, "namespace": ns, "labels": labels.clone(), "creationTimestamp": CREATED,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": app, "uid": format!("uid-{app}"), "controller": true}]},
                "spec": {"replicas": replicas, "selector": {"matchLabels": labels.clone()}, "template": {"metadata": {"labels": labels.clone()}, "spec": {"containers": [container.clone()]}}},
                "status": {"replicas": replicas, "readyReplicas": replicas}}));
            let mut endpoints = Vec::new();
            for r in 0..replicas {
                let (n, ip) = place();
                let name = format!("{rs}-{r}x{s:02}q");
                items.push(ready_pod(
                    &name,
                    &ns,
                    labels.clone(),
                    ("ReplicaSet", &rs),
                    n,
                    &ip,
                    container.clone(),
                ));
                pods += 1;
                endpoints.push(json!({"addresses": [ip], "conditions": {"ready": true, "serving": true, "terminating": false},
                    "nodeName": node_name(n), "targetRef": {"kind": "Pod", "name": name, "namespace": ns}}));
            }
            let addresses: Vec<Value> = endpoints
                .iter()
                .map(|e| json!({"ip": e["addresses"][0], "nodeName": e["nodeName"], "targetRef": e["targetRef"]}))
                .collect();
            items.push(json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(&app, Some(&ns), labels.clone()),
                "subsets": [{"addresses": addresses, "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}));
            items.push(json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": format!("{app}-abcde"), "namespace": ns, "creationTimestamp": CREATED,
                    "labels": {"kubernetes.io/service-name": app, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
                "addressType": "IPv4", "endpoints": endpoints, "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}));
        }
        for p in 0..POLICIES_PER_NS {
            items.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta(&format!("allow-{p}"), Some(&ns), json!({})),
                "spec": {"podSelector": {"matchLabels": {"app": format!("svc-{:02}", p * 6)}}, "policyTypes": ["Ingress"],
                    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}},
                                          {"podSelector": {}}],
                                 "ports": [{"port": 8080, "protocol": "TCP"}]}]}}));
        }
        let paths: Vec<Value> = (0..8)
            .map(|s| json!({"path": format!("/svc-{s:02}"), "pathType": "Prefix", "backend": {"service": {"name": format!("svc-{s:02}"), "port": {"number": 80}}}}))
            .collect();
        items.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("web", Some(&ns), json!({})),
            "spec": {"ingressClassName": "nginx", "rules": [{"host": format!("{ns}.example.com"), "http": {"paths": paths}}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.50"}]}}}));
    }
    (
        json!({"apiVersion": "v1", "kind": "List", "items": items}),
        pods,
    )
}

fn kubeconfig(dir: &Path, server: &Background) -> PathBuf {
    let p = dir.join("kubeconfig");
    std::fs::write(&p, kreach_serve::kubeconfig(server.addr, None)).unwrap();
    p
}

fn kubectl_path() -> Option<PathBuf> {
    if let Ok(k) = std::env::var("KUBECTL") {
        return Some(PathBuf::from(k));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
}

struct Figures {
    requests: usize,
    bytes: usize,
    wall: Duration,
}

fn measured(server: &Background, f: impl FnOnce()) -> Figures {
    server.log.clear();
    let t = Instant::now();
    f();
    let wall = t.elapsed();
    let log = server.log.records();
    Figures {
        requests: log.len(),
        bytes: log.iter().map(|r| r.bytes).sum(),
        wall,
    }
}

fn check(o: std::process::Output, what: &str) -> std::process::Output {
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{what}: exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn mib(b: usize) -> String {
    format!("{:.2} MiB", b as f64 / 1024.0 / 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, and a debug build of the whole benchmark is no test.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("kreach live benchmark: run it with `cargo bench -p kreach --bench live`");
        return;
    }
    let kreach = env!("CARGO_BIN_EXE_kreach");
    let tmp = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (cluster, pods) = generate();
    let file = tmp.path().join("cluster.json");
    std::fs::write(&file, serde_json::to_vec(&cluster).unwrap()).unwrap();
    let size = std::fs::metadata(&file).unwrap().len() as usize;
    eprintln!(
        "generated {pods} pods, {} objects, {} in {:?}",
        cluster["items"].as_array().unwrap().len(),
        mib(size),
        t.elapsed()
    );
    drop(cluster);

    let docs = kreach_collect::load_documents(&file).unwrap();
    let server = kreach_serve::spawn(docs, ServeOptions::default()).unwrap();
    assert!(server.addr.ip().is_loopback());
    let kc = kubeconfig(tmp.path(), &server);
    let (ns, svc) = ("ns-017", "svc-07");
    let target = format!("svc/{svc}");

    // 1. kreach live (best of 3 for time; requests and bytes are the same each run).
    let mut live = Vec::new();
    for _ in 0..3 {
        live.push(measured(&server, || {
            check(
                Command::new(kreach)
                    .args([
                        "diagnose",
                        &target,
                        "-n",
                        ns,
                        "--no-probe",
                        "-o",
                        "json",
                        "--kubeconfig",
                    ])
                    .arg(&kc)
                    .env_remove("KUBECONFIG")
                    .output()
                    .unwrap(),
                "kreach live",
            );
        }));
    }
    live.sort_by_key(|f| f.wall);
    let live = &live[0];

    // 2. The manual kubectl sequence, warm discovery cache.
    let manual = kubectl_path().map(|kubectl| {
        let cache = tmp.path().join("kube-cache");
        let run = |args: &[&str]| {
            let o = Command::new(&kubectl)
                .args(args)
                .arg("--kubeconfig")
                .arg(&kc)
                .arg("--cache-dir")
                .arg(&cache)
                .env("HOME", tmp.path())
                .env_remove("KUBECONFIG")
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "kubectl {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr)
            );
            String::from_utf8_lossy(&o.stdout).to_string()
        };
        run(&["api-resources"]);
        let pod = run(&[
            "get",
            "pods",
            "-n",
            ns,
            "-l",
            &format!("app={svc}"),
            "-o",
            "name",
        ])
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
        let mut best: Option<Figures> = None;
        for _ in 0..3 {
            let f = measured(&server, || {
                run(&["get", "svc", svc, "-n", ns]);
                run(&["describe", "svc", svc, "-n", ns]);
                run(&["get", "endpoints", svc, "-n", ns]);
                run(&["get", "pods", "-n", ns, "-l", &format!("app={svc}")]);
                run(&["describe", &pod, "-n", ns]);
                run(&["get", "ingress", "-n", ns]);
                run(&["describe", "ingress", "web", "-n", ns]);
                run(&["get", "networkpolicy", "-n", ns]);
                run(&["get", "pods", "-n", "kube-system"]);
            });
            if best.as_ref().is_none_or(|b| f.wall < b.wall) {
                best = Some(f);
            }
        }
        best.unwrap()
    });

    // 3. Offline: load + diagnose, peak memory.
    let time = Path::new("/usr/bin/time");
    let mut offline = Vec::new();
    let mut peak_kib: Option<u64> = None;
    for _ in 0..3 {
        let t = Instant::now();
        let o = if time.is_file() {
            Command::new(time)
                .args([
                    "-f",
                    "%M",
                    kreach,
                    "diagnose",
                    &target,
                    "-n",
                    ns,
                    "-o",
                    "json",
                    "--snapshot",
                ])
                .arg(&file)
                .output()
                .unwrap()
        } else {
            Command::new(kreach)
                .args(["diagnose", &target, "-n", ns, "-o", "json", "--snapshot"])
                .arg(&file)
                .output()
                .unwrap()
        };
        offline.push(t.elapsed());
        let o = check(o, "kreach --snapshot");
        if time.is_file() {
            peak_kib = String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok());
        }
    }
    offline.sort();

    let kubectl_version = kubectl_path()
        .and_then(|k| {
            Command::new(k)
                .args(["version", "--client", "-o", "json"])
                .output()
                .ok()
        })
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok())
        .and_then(|v| {
            v["clientVersion"]["gitVersion"]
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "not installed".into());
    println!(
        "cluster: {pods} Pods, 2,000+ Services, {NODES} Nodes, {} NetworkPolicies; one JSON file of {}",
        NAMESPACES * POLICIES_PER_NS,
        mib(size)
    );
    println!();
    println!("| run | requests | bytes received | wall time |");
    println!("|---|---:|---:|---:|");
    println!(
        "| `kreach diagnose {target} -n {ns} --no-probe` (live) | {} | {} | {:.0} ms |",
        live.requests,
        mib(live.bytes),
        live.wall.as_secs_f64() * 1000.0
    );
    match &manual {
        Some(m) => println!(
            "| manual kubectl sequence (9 commands, kubectl {kubectl_version}, warm cache) | {} | {} | {:.0} ms |",
            m.requests,
            mib(m.bytes),
            m.wall.as_secs_f64() * 1000.0
        ),
        None => println!("| manual kubectl sequence | kubectl not installed | | |"),
    }
    println!(
        "| `kreach diagnose {target} --snapshot cluster.json` (load + diagnose) | 0 | {} read | {:.0} ms, peak RSS {} |",
        mib(size),
        offline[0].as_secs_f64() * 1000.0,
        peak_kib
            .map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into())
    );
}
