//! Ownership and pod-state helpers shared by the checks: which Deployment
//! owns a pod, which pods a workload runs, whether a pod is Ready.

use k8s_openapi::api::core::v1::{Container, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::labels::{map_selects, selector_selects};
use crate::object::{MetaExt, ObjectRef};
use crate::snapshot::Snapshot;

/// The top-level workload that owns a pod: Deployment (through its
/// ReplicaSet), DaemonSet, StatefulSet, or the ReplicaSet / pod itself.
pub fn owner_of(snap: &Snapshot, pod: &Pod) -> ObjectRef {
    let ns = pod.ns();
    let Some(owner) = controller_ref(&pod.metadata) else {
        return ObjectRef::namespaced(crate::Kind::Pod, ns, pod.name());
    };
    if owner.0 == "ReplicaSet" {
        if let Some(rs) = snap
            .replica_sets
            .iter()
            .find(|r| r.ns() == ns && r.name() == owner.1)
            && let Some(dep) = controller_ref(&rs.metadata)
            && dep.0 == "Deployment"
        {
            return ObjectRef::namespaced(crate::Kind::Deployment, ns, &dep.1);
        }
        // Without the ReplicaSet, the name still tells: <deployment>-<hash>.
        if let Some((dep, hash)) = owner.1.rsplit_once('-')
            && hash.len() >= 5
            && hash.chars().all(|c| c.is_ascii_alphanumeric())
            && snap
                .deployments
                .iter()
                .any(|d| d.ns() == ns && d.name() == dep)
        {
            return ObjectRef::namespaced(crate::Kind::Deployment, ns, dep);
        }
    }
    ObjectRef::namespaced(crate::object::RefKind::parse(&owner.0), ns, &owner.1)
}

fn controller_ref(meta: &ObjectMeta) -> Option<(String, String)> {
    let refs = meta.owner_references.as_ref()?;
    let r = refs
        .iter()
        .find(|r| r.controller == Some(true))
        .or_else(|| refs.first())?;
    Some((r.kind.clone(), r.name.clone()))
}

/// The pods a workload runs: owned by it, or selected by its selector.
pub fn pods_of<'a>(snap: &'a Snapshot, workload: &ObjectRef) -> Vec<&'a Pod> {
    let ns = workload.ns();
    let selector = match workload.kind.api() {
        Some(crate::Kind::Deployment) => snap
            .deployments
            .iter()
            .find(|d| d.ns() == ns && d.name() == workload.name)
            .map(|d| d.spec.selector.clone()),
        Some(crate::Kind::DaemonSet) => snap
            .daemon_sets
            .iter()
            .find(|d| d.ns() == ns && d.name() == workload.name)
            .map(|d| d.spec.selector.clone()),
        Some(crate::Kind::StatefulSet) => snap
            .stateful_sets
            .iter()
            .find(|d| d.ns() == ns && d.name() == workload.name)
            .map(|d| d.spec.selector.clone()),
        _ => None,
    };
    snap.pods_in(ns)
        .filter(|p| {
            &owner_of(snap, p) == workload
                || selector.as_ref().is_some_and(|s| {
                    (s.match_labels.is_some() || s.match_expressions.is_some())
                        && selector_selects(s, p.labels())
                })
        })
        .collect()
}

/// Pods a Service selects in its own namespace.
pub fn selected_pods<'a>(snap: &'a Snapshot, svc: &'a Service) -> Vec<&'a Pod> {
    let Some(sel) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return vec![];
    };
    snap.pods_in(svc.ns())
        .filter(|p| map_selects(sel, p.labels()))
        .collect()
}

pub fn condition<'a>(
    pod: &'a Pod,
    type_: &str,
) -> Option<&'a k8s_openapi::api::core::v1::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Unknown")
}

pub fn is_ready(pod: &Pod) -> bool {
    phase(pod) == "Running"
        && pod.metadata.deletion_timestamp.is_none()
        && condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// The pod's regular containers (`spec.containers`), without its init
/// containers and native sidecars; see [`long_running`] for every
/// container that runs beside the app.
pub fn containers(pod: &Pod) -> &[Container] {
    pod.spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or_default()
}

/// Whether an init container is a native sidecar (`restartPolicy: Always`,
/// Kubernetes >= 1.29): it keeps running beside the app containers, serves
/// its ports and takes part in the pod's readiness.
pub fn is_native_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// Where a container sits in the pod spec: `spec.containers` or
/// `spec.initContainers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerList {
    Containers,
    InitContainers,
}

impl ContainerList {
    /// The field of the pod spec (`containers`, `initContainers`), for
    /// JSON patches.
    pub fn field(self) -> &'static str {
        match self {
            ContainerList::Containers => "containers",
            ContainerList::InitContainers => "initContainers",
        }
    }
}

/// A container that runs for the life of the pod, with its place in the
/// spec.
#[derive(Debug, Clone, Copy)]
pub struct Running<'a> {
    pub container: &'a Container,
    pub list: ContainerList,
    /// Its index in that list.
    pub index: usize,
}

/// Every container that runs for the life of the pod, in the order the
/// endpoints controller searches them for a named port (`FindPort`): the
/// regular containers, then the native sidecars among the init containers.
pub fn long_running(pod: &Pod) -> Vec<Running<'_>> {
    let Some(spec) = pod.spec.as_ref() else {
        return vec![];
    };
    let regular = spec
        .containers
        .iter()
        .enumerate()
        .map(|(index, c)| Running {
            container: c,
            list: ContainerList::Containers,
            index,
        });
    let sidecars = spec
        .init_containers
        .iter()
        .flatten()
        .enumerate()
        .filter(|(_, c)| is_native_sidecar(c))
        .map(|(index, c)| Running {
            container: c,
            list: ContainerList::InitContainers,
            index,
        });
    regular.chain(sidecars).collect()
}

/// The statuses of the containers that run for the life of the pod: the
/// regular containers' (`containerStatuses`) and the native sidecars'
/// (their entries in `initContainerStatuses`). A sidecar that is not ready
/// or crashes keeps the pod from being ready like an app container does.
pub fn long_running_statuses(pod: &Pod) -> Vec<&k8s_openapi::api::core::v1::ContainerStatus> {
    long_running(pod)
        .iter()
        .filter_map(|r| container_status(pod, r))
        .collect()
}

/// The status of a long-running container: `containerStatuses` for a
/// regular one, `initContainerStatuses` for a native sidecar.
pub fn container_status<'a>(
    pod: &'a Pod,
    c: &Running<'_>,
) -> Option<&'a k8s_openapi::api::core::v1::ContainerStatus> {
    let st = pod.status.as_ref()?;
    let list = match c.list {
        ContainerList::Containers => st.container_statuses.as_ref(),
        ContainerList::InitContainers => st.init_container_statuses.as_ref(),
    }?;
    list.iter().find(|s| s.name == c.container.name)
}

pub fn node_name(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()?
        .node_name
        .as_deref()
        .filter(|n| !n.is_empty())
}

pub fn pod_ip(pod: &Pod) -> Option<&str> {
    pod.status
        .as_ref()?
        .pod_ip
        .as_deref()
        .filter(|s| !s.is_empty())
}

pub fn pod_ips(pod: &Pod) -> Vec<String> {
    let mut v: Vec<String> = pod
        .status
        .as_ref()
        .and_then(|s| s.pod_ips.as_ref())
        .map(|ips| ips.iter().map(|i| i.ip.clone()).collect())
        .unwrap_or_default();
    if let Some(ip) = pod_ip(pod)
        && !v.iter().any(|x| x == ip)
    {
        v.push(ip.to_string());
    }
    v
}

pub fn host_network(pod: &Pod) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false)
}

/// Whether a node is Ready, and its Ready condition.
pub fn node_ready(node: &k8s_openapi::api::core::v1::Node) -> Option<bool> {
    let c = node
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?;
    Some(c.status == "True")
}

/// A node's addresses of one type (`InternalIP`, `ExternalIP`, `Hostname`).
pub fn node_addresses<'a>(
    node: &'a k8s_openapi::api::core::v1::Node,
    type_: crate::object::AddressType,
) -> impl Iterator<Item = &'a str> + 'a {
    node.status
        .as_ref()
        .and_then(|s| s.addresses.as_ref())
        .into_iter()
        .flatten()
        .filter(move |a| a.type_ == type_.name())
        .map(|a| a.address.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> Pod {
        serde_saphyr::from_str(yaml).expect("pod")
    }

    #[test]
    fn native_sidecars_run_beside_the_app_and_plain_init_containers_do_not() {
        let p = pod(r#"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  initContainers:
  - name: migrate
    image: migrate:1
  - name: log-shipper
    image: fluent-bit:3
    restartPolicy: Always
    ports: [{name: http-metrics, containerPort: 2020}]
  containers:
  - name: web
    image: web:1
    ports: [{name: http, containerPort: 8080}]
status:
  containerStatuses:
  - {name: web, ready: true, restartCount: 0, image: web:1, imageID: x}
  initContainerStatuses:
  - {name: migrate, ready: false, restartCount: 0, image: migrate:1, imageID: x}
  - {name: log-shipper, ready: true, restartCount: 2, image: fluent-bit:3, imageID: x}
"#);
        let run = long_running(&p);
        let names: Vec<(&str, &str, usize)> = run
            .iter()
            .map(|r| (r.container.name.as_str(), r.list.field(), r.index))
            .collect();
        assert_eq!(
            names,
            [
                ("web", "containers", 0),
                ("log-shipper", "initContainers", 1)
            ]
        );
        assert_eq!(
            container_status(&p, &run[1]).map(|s| s.restart_count),
            Some(2)
        );
        assert_eq!(containers(&p).len(), 1);
    }
}
