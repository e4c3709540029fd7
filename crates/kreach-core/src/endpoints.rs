//! What the control plane (or whoever wrote them) published for a Service:
//! its Endpoints and EndpointSlices read as one list of endpoints, each with
//! its addresses, readiness, ports and the object it points at.
//!
//! These are runtime evidence: the endpoints controller resolved the named
//! targetPorts against the pods it saw, and the readiness it copied is the
//! kubelet's. Checks that infer from declarations ask here before claiming
//! what the controller's own output contradicts.

use k8s_openapi::api::core::v1::{ObjectReference, Pod};

use crate::object::MetaExt;
use crate::snapshot::Snapshot;
use crate::workload::{host_network, long_running, pod_ips};

/// A port an endpoint is published with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPort {
    /// The Service port's name (empty for a single unnamed port).
    pub name: String,
    pub port: i32,
    /// `TCP` when unset.
    pub protocol: String,
}

/// One published endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub addresses: Vec<String>,
    /// `addresses` of Endpoints, `conditions.ready` of an EndpointSlice
    /// (unset means ready, as the API documents).
    pub ready: bool,
    /// An EndpointSlice endpoint that is `serving` while `terminating`:
    /// kube-proxy falls back to those when a Service has no ready one.
    pub serving_terminating: bool,
    /// The object the endpoint is for (`targetRef`), when it says.
    pub target: Option<ObjectReference>,
    pub ports: Vec<PublishedPort>,
}

impl Published {
    /// Whether the endpoint is `pod`'s: by `targetRef` when it has one
    /// (kind Pod, namespace, name, and uid when both know it), else by the
    /// pod's IP (see [`pods_of`] for how IPs are matched).
    pub fn names_pod(&self, pod: &Pod) -> Option<bool> {
        let t = self.target.as_ref()?;
        if t.kind.as_deref().is_some_and(|k| k != "Pod") {
            return Some(false);
        }
        let uid_ok = match (t.uid.as_deref(), pod.metadata.uid.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        Some(
            t.name.as_deref() == Some(pod.name())
                && t.namespace.as_deref().is_none_or(|ns| ns == pod.ns())
                && uid_ok,
        )
    }

    /// The port published under the Service port named `name` (`""` for
    /// an unnamed one) with `protocol`.
    pub fn port_named(&self, name: &str, protocol: &str) -> Option<i32> {
        self.ports
            .iter()
            .find(|p| p.name == name && p.protocol.eq_ignore_ascii_case(protocol))
            .map(|p| p.port)
    }
}

/// Every endpoint published for the Service `ns/name`, from its Endpoints
/// object and its EndpointSlices (the two usually mirror each other, so an
/// endpoint may appear twice: ask about it, do not count it).
pub fn published(snap: &Snapshot, ns: &str, name: &str) -> Vec<Published> {
    let mut out = Vec::new();
    if let Some(e) = snap.endpoints_for(ns, name) {
        for s in e.subsets.iter().flatten() {
            let ports: Vec<PublishedPort> = s
                .ports
                .iter()
                .flatten()
                .map(|p| PublishedPort {
                    name: p.name.clone().unwrap_or_default(),
                    port: p.port,
                    protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                })
                .collect();
            for (list, ready) in [(&s.addresses, true), (&s.not_ready_addresses, false)] {
                for a in list.iter().flatten() {
                    out.push(Published {
                        addresses: vec![a.ip.clone()],
                        ready,
                        serving_terminating: false,
                        target: a.target_ref.clone(),
                        ports: ports.clone(),
                    });
                }
            }
        }
    }
    for s in snap.endpoint_slices_for(ns, name) {
        let ports: Vec<PublishedPort> = s
            .ports
            .iter()
            .flatten()
            .filter_map(|p| {
                Some(PublishedPort {
                    name: p.name.clone().unwrap_or_default(),
                    port: p.port?,
                    protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                })
            })
            .collect();
        for ep in s.endpoints.iter().flatten() {
            out.push(Published {
                addresses: ep.addresses.clone(),
                ready: ep.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true),
                serving_terminating: ep
                    .conditions
                    .as_ref()
                    .is_some_and(|c| c.serving == Some(true) && c.terminating == Some(true)),
                target: ep.target_ref.clone(),
                ports: ports.clone(),
            });
        }
    }
    out
}

/// Whether kube-proxy has somewhere to send the traffic among `endpoints`:
/// a ready endpoint, or failing that one that is still serving while it
/// terminates.
pub fn any_usable(endpoints: &[Published]) -> bool {
    endpoints.iter().any(|e| e.ready || e.serving_terminating)
}

/// The pods behind published endpoints. An endpoint with a `targetRef`
/// is the pod it names (none when that pod is gone). One without is
/// matched by IP: to the pods that have the IP on the pod network; a
/// `hostNetwork` pod shares its node's IP with every other one on the node,
/// so it is the endpoint's only when it alone of them declares one of the
/// endpoint's ports (else the address is the node's, not a pod's: the
/// control plane behind `default/kubernetes`).
pub fn pods_of<'a>(snap: &'a Snapshot, ns: &str, endpoints: &[Published]) -> Vec<&'a Pod> {
    let mut out: Vec<&'a Pod> = Vec::new();
    let mut add = |p: &'a Pod| {
        if !out.iter().any(|q| std::ptr::eq(*q, p)) {
            out.push(p);
        }
    };
    for e in endpoints {
        if let Some(t) = &e.target {
            if t.kind.as_deref().is_none_or(|k| k == "Pod")
                && let Some(name) = t.name.as_deref()
                && let Some(pod) = snap.pod(t.namespace.as_deref().unwrap_or(ns), name)
                && e.names_pod(pod) == Some(true)
            {
                add(pod);
            }
            continue;
        }
        for ip in &e.addresses {
            let holders: Vec<&'a Pod> = snap
                .pods
                .iter()
                .filter(|p| pod_ips(p).iter().any(|x| x == ip))
                .collect();
            let own: Vec<&'a Pod> = holders
                .iter()
                .copied()
                .filter(|p| !host_network(p))
                .collect();
            if !own.is_empty() {
                own.into_iter().for_each(&mut add);
                continue;
            }
            let serving: Vec<&'a Pod> = holders
                .into_iter()
                .filter(|p| {
                    long_running(p)
                        .iter()
                        .flat_map(|r| r.container.ports.iter().flatten())
                        .any(|cp| e.ports.iter().any(|ep| ep.port == cp.container_port))
                })
                .collect();
            if let [one] = serving.as_slice() {
                add(one);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(yaml: &str) -> Snapshot {
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(yaml).expect("yaml");
        let mut s = Snapshot::default();
        for d in docs {
            s.add_value(d, "test");
        }
        s.finish();
        s
    }

    /// A kind control-plane node: kube-apiserver, etcd and kube-proxy share
    /// the node's IP; a pod-network pod has its own.
    const NODE_PODS: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-kind-control-plane, namespace: kube-system, uid: a1}
spec:
  hostNetwork: true
  nodeName: kind-control-plane
  containers: [{name: kube-apiserver, image: registry.k8s.io/kube-apiserver:v1.31.0}]
status: {phase: Running, podIP: 172.18.0.2, podIPs: [{ip: 172.18.0.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: kube-proxy-7xk2p, namespace: kube-system, uid: a2}
spec:
  hostNetwork: true
  nodeName: kind-control-plane
  containers: [{name: kube-proxy, image: registry.k8s.io/kube-proxy:v1.31.0}]
status: {phase: Running, podIP: 172.18.0.2, podIPs: [{ip: 172.18.0.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, uid: b1}
spec:
  nodeName: kind-control-plane
  containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 8080}]}]
status: {phase: Running, podIP: 10.244.0.7, podIPs: [{ip: 10.244.0.7}]}
"#;

    #[test]
    fn a_node_address_is_no_host_network_pod_s_endpoint() {
        let s = snap(&format!(
            "{NODE_PODS}---
apiVersion: v1
kind: Endpoints
metadata: {{name: kubernetes, namespace: default}}
subsets:
- addresses: [{{ip: 172.18.0.2}}]
  ports: [{{name: https, port: 6443, protocol: TCP}}]
"
        ));
        let eps = published(&s, "default", "kubernetes");
        assert_eq!(eps.len(), 1);
        assert!(pods_of(&s, "default", &eps).is_empty());
    }

    #[test]
    fn a_host_network_pod_that_alone_serves_the_port_is_the_endpoint() {
        let s = snap(&format!(
            "{NODE_PODS}---
apiVersion: v1
kind: Pod
metadata: {{name: node-exporter-x, namespace: monitoring, uid: c1}}
spec:
  hostNetwork: true
  nodeName: kind-control-plane
  containers: [{{name: node-exporter, image: ne, ports: [{{name: metrics, containerPort: 9100}}]}}]
status: {{phase: Running, podIP: 172.18.0.2}}
---
apiVersion: v1
kind: Endpoints
metadata: {{name: node-exporter, namespace: monitoring}}
subsets:
- addresses: [{{ip: 172.18.0.2}}]
  ports: [{{name: metrics, port: 9100}}]
"
        ));
        let eps = published(&s, "monitoring", "node-exporter");
        let names: Vec<&str> = pods_of(&s, "monitoring", &eps)
            .iter()
            .map(|p| p.name())
            .collect();
        assert_eq!(names, ["node-exporter-x"]);
    }

    #[test]
    fn target_ref_names_the_pod_and_its_uid_must_match() {
        let s = snap(&format!(
            "{NODE_PODS}---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abcde
  namespace: shop
  labels: {{kubernetes.io/service-name: web}}
addressType: IPv4
endpoints:
- addresses: [10.244.0.7]
  conditions: {{ready: true}}
  targetRef: {{kind: Pod, name: web-1, namespace: shop, uid: b1}}
- addresses: [10.244.0.9]
  conditions: {{ready: false}}
  targetRef: {{kind: Pod, name: web-1, namespace: shop, uid: old}}
- addresses: [172.18.0.2]
  targetRef: {{kind: Pod, name: kube-proxy-7xk2p, namespace: kube-system, uid: a2}}
ports: [{{name: http, port: 8080, protocol: TCP}}]
"
        ));
        let eps = published(&s, "shop", "web");
        assert_eq!(eps.len(), 3);
        assert!(eps[0].ready && !eps[1].ready && eps[2].ready);
        assert_eq!(eps[0].port_named("http", "TCP"), Some(8080));
        assert_eq!(eps[0].port_named("http", "UDP"), None);
        let names: Vec<&str> = pods_of(&s, "shop", &eps).iter().map(|p| p.name()).collect();
        // The stale uid is no pod; a targetRef names a hostNetwork pod too.
        assert_eq!(names, ["web-1", "kube-proxy-7xk2p"]);
    }

    #[test]
    fn endpoints_split_ready_and_not_ready_addresses() {
        let s = snap(
            r#"
apiVersion: v1
kind: Endpoints
metadata: {name: legacy-db, namespace: shop}
subsets:
- addresses: [{ip: 192.0.2.10}]
  notReadyAddresses: [{ip: 192.0.2.11}]
  ports: [{port: 5432}]
"#,
        );
        let eps = published(&s, "shop", "legacy-db");
        let ready: Vec<(bool, &str)> = eps
            .iter()
            .map(|e| (e.ready, e.addresses[0].as_str()))
            .collect();
        assert_eq!(ready, [(true, "192.0.2.10"), (false, "192.0.2.11")]);
        assert_eq!(eps[0].port_named("", "TCP"), Some(5432));
        assert!(any_usable(&eps));
        assert!(!any_usable(&eps[1..]));
    }

    #[test]
    fn unset_readiness_is_ready_and_serving_while_terminating_is_a_fallback() {
        let s = snap(
            r#"
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-db-1
  namespace: shop
  labels: {kubernetes.io/service-name: legacy-db}
addressType: IPv4
endpoints:
- addresses: [192.0.2.10]
- addresses: [192.0.2.11]
  conditions: {ready: false, serving: true, terminating: true}
- addresses: [192.0.2.12]
  conditions: {ready: false, serving: false}
ports: [{port: 5432}]
"#,
        );
        let eps = published(&s, "shop", "legacy-db");
        assert!(eps[0].ready && !eps[1].ready && !eps[2].ready);
        assert!(any_usable(&eps[1..2]));
        assert!(!any_usable(&eps[2..]));
    }
}
