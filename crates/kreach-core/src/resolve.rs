//! Target → access paths. A pure function of the snapshot, the target and
//! the options: [`resolve`] finds every way the client reaches the target's
//! pods and records what did not resolve ([`Issue`]) for the checks that
//! report it (`target-not-found`, `service-not-exposed`,
//! `nodeport-not-exposed`, `service-port-not-found`,
//! `ingress-no-matching-rule`). It judges nothing else.

use std::net::IpAddr;

use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};

use crate::controller::{controller_of, ingress_addresses, service_by_lb_address};
use crate::ingress::{NearMiss, RuleMatch, closest_rule, match_ingress};
use crate::labels::map_selects;
use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::path::{AccessPath, Entry, IngressHop, PortRef, ServiceHop, Via};
use crate::snapshot::{Kind, Snapshot};
use crate::target::{ObjectKind, Target};

/// What resolving a target reads, besides what the checks declare: the
/// objects a target can name or an address can belong to, and the
/// ingress controllers' classes and workloads.
pub const READS: &[Kind] = &[
    Kind::Namespace,
    Kind::Node,
    Kind::Pod,
    Kind::Service,
    Kind::Ingress,
    Kind::IngressClass,
    Kind::Deployment,
    Kind::DaemonSet,
    Kind::StatefulSet,
];
use crate::workload::{node_addresses, node_name, pod_ips, pods_of, selected_pods};

/// What the diagnosis was asked, beyond the target.
#[derive(Debug, Clone)]
pub struct Options {
    /// `-n`: the namespace of object targets.
    pub namespace: String,
    pub via: Option<Via>,
    /// `--from`: the client's address.
    pub from: Option<IpAddr>,
    /// The instant taken as now.
    pub now: k8s_openapi::jiff::Timestamp,
    /// `--since`: the window of `recent-change`, in seconds.
    pub since_secs: i64,
    /// Whether probes ran (they never do on a snapshot).
    pub probes: bool,
    /// Why they did not, for the report's unknowns.
    pub probes_off: crate::diagnose::UnknownReason,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "default".into(),
            via: None,
            from: None,
            now: k8s_openapi::jiff::Timestamp::UNIX_EPOCH,
            since_secs: 24 * 3600,
            probes: false,
            probes_off: crate::diagnose::UnknownReason::ProbesOff,
        }
    }
}

/// Why a target did not fully resolve.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    /// The object, address or host matches nothing.
    NotFound { object: ObjectRef, what: Missing },
    /// A Service (or Deployment) with no external entry, or none of the
    /// kind `--via` asks for.
    NotExposed { object: ObjectRef, via: Option<Via> },
    /// A node address with a port no Service uses as nodePort, or a
    /// Service without NodePorts and `--via nodeport`.
    NodePortNotExposed {
        object: ObjectRef,
        port: Option<u16>,
        address: Option<String>,
    },
    /// The entry's Service has no such port.
    PortNotFound {
        service: ObjectRef,
        port: u16,
        address: String,
    },
    /// Host and path match no rule; the closest rule and why.
    NoMatchingRule {
        ingress: ObjectRef,
        host: String,
        path: String,
        miss: NearMiss,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    Object,
    Namespace,
    Address { address: String, port: u16 },
    Host { host: String },
}

#[derive(Debug, Clone)]
pub struct Resolution {
    pub input: String,
    /// The target's kind for the report: Service, Ingress, Pod, Deployment, URL, Address.
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub paths: Vec<AccessPath>,
    /// A `pod/` target: that pod's own findings block.
    pub focus_pod: Option<ObjectRef>,
    pub issues: Vec<Issue>,
    /// Kinds the resolution depended on that the source could not read: a
    /// way in through them may exist unseen (a URL an unread Ingress
    /// serves, a node address of unread Nodes).
    pub unread: Vec<Kind>,
}

impl Resolution {
    /// Indexes of the paths that contain `object`.
    pub fn paths_with(&self, object: &ObjectRef) -> Vec<usize> {
        self.paths
            .iter()
            .enumerate()
            .filter(|(_, p)| p.objects().contains(object))
            .map(|(i, _)| i)
            .collect()
    }

    /// The distinct Services on the paths (backends and entry owners).
    pub fn services(&self) -> Vec<ObjectRef> {
        let mut v: Vec<ObjectRef> = Vec::new();
        for p in &self.paths {
            if let Some(s) = &p.service
                && !v.contains(&s.service)
            {
                v.push(s.service.clone());
            }
        }
        v
    }
}

pub fn resolve(snap: &Snapshot, input: &str, target: &Target, opts: &Options) -> Resolution {
    let mut r = Resolution {
        input: input.to_string(),
        kind: String::new(),
        namespace: None,
        name: None,
        paths: vec![],
        focus_pod: None,
        issues: vec![],
        unread: vec![],
    };
    match target {
        Target::Object { kind, name } => {
            r.kind = kind.kind().to_string();
            r.namespace = Some(opts.namespace.clone());
            r.name = Some(name.clone());
            resolve_object(snap, *kind, name, opts, &mut r);
        }
        Target::Url {
            host, port, path, ..
        } => {
            r.kind = "URL".into();
            resolve_url(snap, host, *port, path, opts, &mut r);
        }
        Target::Address { host, port } => {
            r.kind = "Address".into();
            resolve_address(snap, host, *port, opts, &mut r);
        }
    }
    if let Some(via) = opts.via
        && !matches!(
            target,
            Target::Object {
                kind: ObjectKind::Service | ObjectKind::Deployment | ObjectKind::Pod,
                ..
            }
        )
    {
        let before = std::mem::take(&mut r.paths);
        let (kept, other): (Vec<AccessPath>, Vec<AccessPath>) =
            before.into_iter().partition(|p| p.via == via);
        r.paths = kept;
        // None of the ways in is of the kind asked for: each Service the
        // others lead to has no entry of that kind (a URL only an Ingress
        // serves, asked `--via nodeport`), so the verdict says why.
        if r.paths.is_empty() {
            for p in &other {
                // The Service the way in leads to; an Ingress whose backend
                // Service is missing is the way in itself.
                let object = match (&p.service, &p.ingress) {
                    (Some(s), _) if s.found => Some(s.service.clone()),
                    (_, Some(i)) => Some(i.ingress.clone()),
                    (Some(s), None) => Some(s.service.clone()),
                    (None, None) => None,
                };
                if let Some(object) = object {
                    let issue = Issue::NotExposed {
                        object,
                        via: Some(via),
                    };
                    if !r.issues.contains(&issue) {
                        r.issues.push(issue);
                    }
                }
            }
        }
    }
    r.unread = depends_on(target, opts, &r)
        .into_iter()
        .filter(|k| snap.missing_reason(*k).is_some())
        .collect();
    r
}

/// The kinds whose objects could add, remove or place a way in for this
/// target: the Services and Pods of every path; the Ingresses that may
/// serve a URL, an address or lead to a Service, Deployment or Pod (unless
/// `--via` rules them out); the Nodes whose addresses an address target or
/// a NodePort entry uses; the Deployment a target names. Checks declare
/// their own reads; these are the resolver's.
fn depends_on(target: &Target, opts: &Options, r: &Resolution) -> Vec<Kind> {
    let mut v = vec![Kind::Service, Kind::Pod];
    let ingress_may_serve = opts.via.is_none_or(|via| via == Via::Ingress);
    let nodes_may_serve = opts.via.is_none_or(|via| via == Via::NodePort)
        || r.paths.iter().any(|p| p.via == Via::NodePort);
    match target {
        Target::Object { kind, .. } => match kind {
            ObjectKind::Ingress => v.push(Kind::Ingress),
            ObjectKind::Deployment => v.push(Kind::Deployment),
            ObjectKind::Service | ObjectKind::Pod => {}
        },
        Target::Url { host, .. } => {
            if host.parse::<IpAddr>().is_ok() && nodes_may_serve {
                v.push(Kind::Node);
            }
        }
        Target::Address { .. } => {
            if nodes_may_serve {
                v.push(Kind::Node);
            }
        }
    }
    // A node port belongs to kube-proxy on every node: once the address's
    // port is found to be a Service's nodePort, no Ingress can own it too.
    // (A load balancer or external IP may be an ingress controller's, whose
    // Ingresses then route it.)
    let owner_found = matches!(target, Target::Address { .. } | Target::Url { .. })
        && !r.paths.is_empty()
        && r.paths.iter().all(|p| p.via == Via::NodePort);
    if ingress_may_serve
        && !owner_found
        && !matches!(
            target,
            Target::Object {
                kind: ObjectKind::Ingress,
                ..
            }
        )
    {
        v.push(Kind::Ingress);
    }
    if r.paths.iter().any(|p| p.via == Via::NodePort) {
        v.push(Kind::Node);
    }
    // Which controller holds an address (and so which Ingresses route it)
    // goes through the Ingresses' classes.
    let by_address = match target {
        Target::Address { .. } => true,
        Target::Url { host, .. } => host.parse::<IpAddr>().is_ok(),
        Target::Object { .. } => false,
    };
    if by_address && v.contains(&Kind::Ingress) {
        v.push(Kind::IngressClass);
    }
    v.sort();
    v.dedup();
    v
}

fn not_found(snap: &Snapshot, r: &mut Resolution, kind: &str, ns: &str, name: &str) {
    let what = if snap.namespace_exists(ns) == Some(false) {
        Missing::Namespace
    } else {
        Missing::Object
    };
    r.issues.push(Issue::NotFound {
        object: ObjectRef::namespaced(crate::object::RefKind::parse(kind), ns, name),
        what,
    });
}

fn resolve_object(
    snap: &Snapshot,
    kind: ObjectKind,
    name: &str,
    opts: &Options,
    r: &mut Resolution,
) {
    let ns = opts.namespace.as_str();
    match kind {
        ObjectKind::Service => match snap.service(ns, name) {
            Some(svc) => service_target(snap, svc, opts, r),
            None => not_found(snap, r, "Service", ns, name),
        },
        ObjectKind::Ingress => match snap
            .ingresses
            .iter()
            .find(|i| i.ns() == ns && i.name() == name)
        {
            Some(ing) => {
                let entry = ingress_entry(snap, ing, None);
                for m in all_rules(ing) {
                    r.paths.push(ingress_path(snap, ing, &m, entry.clone()));
                }
                if r.paths.is_empty() {
                    // An Ingress without rules or backend still is the entry.
                    r.paths.push(AccessPath {
                        via: Via::Ingress,
                        entry,
                        ingress: Some(IngressHop {
                            ingress: obj_ref(ing),
                            rule: None,
                            path_index: None,
                            host: None,
                            path: None,
                            path_type: None,
                            backend_service: None,
                            backend_port: None,
                        }),
                        service: None,
                        pods: vec![],
                        nodes: vec![],
                    });
                }
            }
            None => not_found(snap, r, "Ingress", ns, name),
        },
        ObjectKind::Pod => match snap.pod(ns, name) {
            Some(pod) => {
                r.focus_pod = Some(obj_ref(pod));
                let svcs = services_selecting(snap, ns, |sel| map_selects(sel, pod.labels()));
                let svcs = if svcs.is_empty() {
                    meant_services(snap, ns, pod.labels())
                } else {
                    svcs
                };
                if svcs.is_empty() || opts.via == Some(Via::Pod) {
                    r.paths.push(pod_path(snap, pod, None));
                } else {
                    for s in svcs {
                        service_target(snap, s, opts, r);
                    }
                }
            }
            None => not_found(snap, r, "Pod", ns, name),
        },
        ObjectKind::Deployment => match snap
            .deployments
            .iter()
            .find(|d| d.ns() == ns && d.name() == name)
        {
            Some(dep) => {
                let dref = obj_ref(dep);
                let pods = pods_of(snap, &dref);
                let template = dep
                    .spec
                    .template
                    .metadata
                    .as_ref()
                    .and_then(|m| m.labels.clone())
                    .unwrap_or_default();
                let svcs = services_selecting(snap, ns, |sel| {
                    pods.iter().any(|p| map_selects(sel, p.labels())) || map_selects(sel, &template)
                });
                // No Service selects the pods: the one meant to (a selector
                // typo, a relabelled template) is the one that selects no
                // pod at all while sharing labels with these.
                let svcs = if svcs.is_empty() {
                    meant_services(snap, ns, &template)
                } else {
                    svcs
                };
                if svcs.is_empty() {
                    r.issues.push(Issue::NotExposed {
                        object: dref,
                        via: opts.via,
                    });
                    for p in pods {
                        r.paths.push(pod_path(snap, p, Some(Via::Service)));
                    }
                } else {
                    for s in svcs {
                        service_target(snap, s, opts, r);
                    }
                }
            }
            None => not_found(snap, r, "Deployment", ns, name),
        },
    }
}

/// Services of `ns` whose selector satisfies `selects`.
fn services_selecting<'a>(
    snap: &'a Snapshot,
    ns: &str,
    selects: impl Fn(&crate::labels::Labels) -> bool,
) -> Vec<&'a Service> {
    snap.services
        .iter()
        .filter(|s| s.ns() == ns)
        .filter(|s| {
            s.spec
                .as_ref()
                .and_then(|sp| sp.selector.as_ref())
                .is_some_and(&selects)
        })
        .collect()
}

/// Services of `ns` that select no pod at all but share at least one
/// selector label (key and value) with `labels`: the Services meant to
/// select a workload whose labels or whose selector changed.
fn meant_services<'a>(
    snap: &'a Snapshot,
    ns: &str,
    labels: &crate::labels::Labels,
) -> Vec<&'a Service> {
    services_selecting(snap, ns, |sel| {
        sel.iter().any(|(k, v)| labels.get(k) == Some(v))
    })
    .into_iter()
    .filter(|s| selected_pods(snap, s).is_empty())
    .collect()
}

fn svc_ports(svc: &Service) -> &[ServicePort] {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or_default()
}

pub fn lb_addresses(svc: &Service) -> Vec<String> {
    svc.status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|v| {
            v.iter()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn external_ips(svc: &Service) -> Vec<String> {
    svc.spec
        .as_ref()
        .and_then(|s| s.external_ips.clone())
        .unwrap_or_default()
}

/// The nodes a NodePort entry may use: every node (kube-proxy opens
/// NodePorts on all of them); unschedulable or NotReady ones are judged by
/// the checks, not dropped here.
fn entry_nodes(snap: &Snapshot) -> Vec<String> {
    snap.nodes.iter().map(|n| n.name().to_string()).collect()
}

fn backend_hop(
    snap: &Snapshot,
    svc: &Service,
    port: Option<ServicePort>,
) -> (ServiceHop, Vec<ObjectRef>, Vec<String>) {
    let pods = path_pods(snap, svc);
    let nodes = pod_nodes(snap, &pods);
    (
        ServiceHop {
            service: obj_ref(svc),
            found: true,
            port,
        },
        pods,
        nodes,
    )
}

/// A path straight from an entry of a Service to its pods.
fn direct_path(
    snap: &Snapshot,
    svc: &Service,
    entry: Entry,
    port: Option<ServicePort>,
) -> AccessPath {
    let (hop, pods, nodes) = backend_hop(snap, svc, port);
    AccessPath {
        via: entry.via,
        entry,
        ingress: None,
        service: Some(hop),
        pods,
        nodes,
    }
}

impl Entry {
    fn new(
        via: Via,
        service: Option<ObjectRef>,
        address: Option<String>,
        port: Option<u16>,
        nodes: Vec<String>,
    ) -> Entry {
        Entry {
            via,
            service,
            address,
            port,
            service_port: None,
            nodes,
        }
    }

    /// The entry a client addresses directly: `address:port` of `svc`.
    fn at(
        via: Via,
        svc: &Service,
        address: &str,
        port: u16,
        service_port: Option<ServicePort>,
        nodes: Vec<String>,
    ) -> Entry {
        Entry {
            via,
            service: Some(obj_ref(svc)),
            address: Some(address.to_string()),
            port: Some(port),
            service_port,
            nodes,
        }
    }
}

/// The pods behind a Service: those its selector picks, or for a
/// selector-less Service the pods its manual endpoints point at (by
/// `targetRef`, else by a pod-network IP: see [`crate::endpoints::pods_of`]).
fn path_pods(snap: &Snapshot, svc: &Service) -> Vec<ObjectRef> {
    if svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_some_and(|s| !s.is_empty())
    {
        return selected_pods(snap, svc).into_iter().map(obj_ref).collect();
    }
    let published = crate::endpoints::published(snap, svc.ns(), svc.name());
    crate::endpoints::pods_of(snap, svc.ns(), &published)
        .into_iter()
        .map(obj_ref)
        .collect()
}

fn pod_nodes(snap: &Snapshot, pods: &[ObjectRef]) -> Vec<String> {
    let mut v: Vec<String> = pods
        .iter()
        .filter_map(|p| snap.pod(p.ns(), &p.name))
        .filter_map(|p| node_name(p).map(str::to_string))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn pod_path(
    snap: &Snapshot,
    pod: &k8s_openapi::api::core::v1::Pod,
    via: Option<Via>,
) -> AccessPath {
    AccessPath {
        via: via.unwrap_or(Via::Pod),
        entry: Entry::new(
            via.unwrap_or(Via::Pod),
            None,
            pod_ips(pod).first().cloned(),
            None,
            vec![],
        ),
        ingress: None,
        service: None,
        pods: vec![obj_ref(pod)],
        nodes: pod_nodes(snap, &[obj_ref(pod)]),
    }
}

/// Every external entry of a Service, filtered by `--via`.
fn service_target(snap: &Snapshot, svc: &Service, opts: &Options, r: &mut Resolution) {
    let sref = obj_ref(svc);
    let mut paths = Vec::new();
    let (hop, pods, nodes) = backend_hop(snap, svc, None);
    let mk = |entry: Entry| AccessPath {
        via: entry.via,
        entry,
        ingress: None,
        service: Some(hop.clone()),
        pods: pods.clone(),
        nodes: nodes.clone(),
    };
    let t = crate::object::ServiceExt::service_type(svc);
    use crate::object::ServiceType;
    if t == ServiceType::LoadBalancer {
        let addrs = lb_addresses(svc);
        if addrs.is_empty() {
            paths.push(mk(Entry::new(
                Via::LoadBalancer,
                Some(sref.clone()),
                None,
                None,
                vec![],
            )));
        }
        for a in addrs {
            paths.push(mk(Entry::new(
                Via::LoadBalancer,
                Some(sref.clone()),
                Some(a),
                None,
                vec![],
            )));
        }
    }
    if matches!(t, ServiceType::NodePort | ServiceType::LoadBalancer)
        && svc_ports(svc).iter().any(|p| p.node_port.is_some())
    {
        let port = svc_ports(svc)
            .iter()
            .find_map(|p| p.node_port)
            .and_then(|n| u16::try_from(n).ok());
        paths.push(mk(Entry::new(
            Via::NodePort,
            Some(sref.clone()),
            None,
            port,
            entry_nodes(snap),
        )));
    }
    for ip in external_ips(svc) {
        paths.push(mk(Entry::new(
            Via::ExternalIp,
            Some(sref.clone()),
            Some(ip),
            None,
            vec![],
        )));
    }
    if t != ServiceType::ExternalName {
        for ing in snap.ingresses.iter().filter(|i| i.ns() == svc.ns()) {
            let entry = ingress_entry(snap, ing, None);
            for m in all_rules(ing) {
                if m.backend
                    .service
                    .as_ref()
                    .is_some_and(|b| b.name == svc.name())
                {
                    paths.push(ingress_path(snap, ing, &m, entry.clone()));
                }
            }
        }
    }
    if t == ServiceType::ExternalName {
        // Nothing in the cluster serves it; the check says so.
        paths.push(mk(Entry::new(Via::Service, None, None, None, vec![])));
        r.paths.extend(paths);
        return;
    }
    let any_external = !paths.is_empty();
    if let Some(via) = opts.via {
        if via == Via::Pod {
            for p in &pods {
                if let Some(pod) = snap.pod(p.ns(), &p.name) {
                    r.paths.push(pod_path(snap, pod, None));
                }
            }
            return;
        }
        paths.retain(|p| p.via == via);
        if paths.is_empty() {
            if via == Via::NodePort {
                r.issues.push(Issue::NodePortNotExposed {
                    object: sref.clone(),
                    port: None,
                    address: None,
                });
            } else {
                r.issues.push(Issue::NotExposed {
                    object: sref.clone(),
                    via: Some(via),
                });
            }
        }
    } else if !any_external {
        r.issues.push(Issue::NotExposed {
            object: sref.clone(),
            via: None,
        });
    }
    if paths.is_empty() {
        paths.push(mk(Entry::new(Via::Service, None, None, None, vec![])));
    }
    r.paths.extend(paths);
}

/// Every rule path and the default backend of an Ingress, as matches.
fn all_rules(ing: &Ingress) -> Vec<RuleMatch> {
    let mut v = Vec::new();
    let Some(spec) = ing.spec.as_ref() else {
        return v;
    };
    for (ri, rule) in spec.rules.iter().flatten().enumerate() {
        for (pi, p) in rule.http.iter().flat_map(|h| h.paths.iter()).enumerate() {
            v.push(RuleMatch {
                rule: Some(ri),
                path: Some(pi),
                host: rule.host.clone().filter(|h| !h.is_empty()),
                rule_path: Some(p.path.clone().unwrap_or_else(|| "/".into())),
                path_type: Some(p.path_type.clone()),
                backend: p.backend.clone(),
            });
        }
    }
    if let Some(b) = &spec.default_backend {
        v.push(RuleMatch {
            rule: None,
            path: None,
            host: None,
            rule_path: None,
            path_type: None,
            backend: b.clone(),
        });
    }
    v
}

/// Where clients of an Ingress connect: the Service holding the address the
/// Ingress reports, else the Service of the controller of its class.
pub fn ingress_entry(snap: &Snapshot, ing: &Ingress, port: Option<u16>) -> Entry {
    let addrs = ingress_addresses(ing);
    for a in &addrs {
        if let Some(svc) = service_by_lb_address(snap, a) {
            return Entry::new(
                Via::Ingress,
                Some(obj_ref(svc)),
                Some(a.clone()),
                port,
                vec![],
            );
        }
    }
    if let Some(c) = controller_of(snap, ing)
        && let Some(svc) = c.services.first()
    {
        let address = addrs
            .first()
            .cloned()
            .or_else(|| lb_addresses(svc).first().cloned());
        return Entry::new(Via::Ingress, Some(obj_ref(*svc)), address, port, vec![]);
    }
    Entry::new(Via::Ingress, None, addrs.first().cloned(), port, vec![])
}

fn ingress_path(snap: &Snapshot, ing: &Ingress, m: &RuleMatch, entry: Entry) -> AccessPath {
    let (backend_service, backend_port) = backend_names(&m.backend);
    let ihop = IngressHop {
        ingress: obj_ref(ing),
        rule: m.rule,
        path_index: m.path,
        host: m.host.clone(),
        path: m.rule_path.clone(),
        path_type: m.path_type.clone(),
        backend_service: backend_service.clone(),
        backend_port: backend_port.clone(),
    };
    let (service, pods, nodes) = match &backend_service {
        Some(name) => match snap.service(ing.ns(), name) {
            Some(svc) => {
                let port = backend_port
                    .as_ref()
                    .and_then(|bp| {
                        svc_ports(svc).iter().find(|p| match bp {
                            PortRef::Number(n) => p.port == *n,
                            PortRef::Name(s) => p.name.as_deref() == Some(s.as_str()),
                        })
                    })
                    .cloned();
                let (mut hop, pods, nodes) = backend_hop(snap, svc, port);
                // An unresolvable backend port leaves the hop without a
                // port; the check reports it, the pods are still walked.
                hop.found = true;
                (Some(hop), pods, nodes)
            }
            None => (
                Some(ServiceHop {
                    service: ObjectRef::namespaced(crate::Kind::Service, ing.ns(), name),
                    found: false,
                    port: None,
                }),
                vec![],
                vec![],
            ),
        },
        None => (None, vec![], vec![]),
    };
    AccessPath {
        via: Via::Ingress,
        entry,
        ingress: Some(ihop),
        service,
        pods,
        nodes,
    }
}

fn backend_names(b: &IngressBackend) -> (Option<String>, Option<PortRef>) {
    match &b.service {
        Some(s) => {
            let port = s.port.as_ref().and_then(|p| match (&p.number, &p.name) {
                (Some(n), _) => Some(PortRef::Number(*n)),
                (None, Some(name)) if !name.is_empty() => Some(PortRef::Name(name.clone())),
                _ => None,
            });
            (Some(s.name.clone()), port)
        }
        None => (None, None),
    }
}

/// Whether a Service is the front of an ingress controller: some Ingress
/// reports its address, or it selects the pods of a class's controller.
fn controller_service_ingresses<'a>(snap: &'a Snapshot, svc: &Service) -> Vec<&'a Ingress> {
    let addrs = lb_addresses(svc);
    let sref = obj_ref(svc);
    snap.ingresses
        .iter()
        .filter(|ing| {
            ingress_addresses(ing).iter().any(|a| addrs.contains(a))
                || ingress_entry(snap, ing, None).service.as_ref() == Some(&sref)
        })
        .collect()
}

fn resolve_url(
    snap: &Snapshot,
    host: &str,
    port: u16,
    path: &str,
    opts: &Options,
    r: &mut Resolution,
) {
    if host.parse::<IpAddr>().is_ok()
        || snap
            .services
            .iter()
            .any(|s| lb_addresses(s).iter().any(|a| a == host))
    {
        resolve_address_like(snap, host, port, Some(path), opts, r);
        return;
    }
    ingress_request(snap, host, port, path, None, r);
}

fn resolve_address(snap: &Snapshot, host: &str, port: u16, opts: &Options, r: &mut Resolution) {
    if host.parse::<IpAddr>().is_err()
        && !snap
            .services
            .iter()
            .any(|s| lb_addresses(s).iter().any(|a| a == host))
        && !snap.nodes.iter().any(|n| n.name() == host)
    {
        // A host name and port: what a browser would send to it.
        ingress_request(snap, host, port, "/", None, r);
        return;
    }
    resolve_address_like(snap, host, port, None, opts, r);
}

/// An address (IP or load-balancer hostname) and port; with `path` the
/// request is HTTP and goes through Ingress rules when the address belongs
/// to an ingress controller.
fn resolve_address_like(
    snap: &Snapshot,
    host: &str,
    port: u16,
    path: Option<&str>,
    _opts: &Options,
    r: &mut Resolution,
) {
    let is_node_address = snap.nodes.iter().any(|n| {
        [
            crate::object::AddressType::InternalIP,
            crate::object::AddressType::ExternalIP,
        ]
        .into_iter()
        .any(|t| node_addresses(n, t).any(|a| a == host))
    });
    // 1. A load balancer address (on k3s' servicelb also a node address:
    // then a port the load balancer lacks may be a NodePort).
    if let Some(svc) = snap
        .services
        .iter()
        .find(|s| lb_addresses(s).iter().any(|a| a == host))
    {
        let ings = controller_service_ingresses(snap, svc);
        let Some(sp) = svc_ports(svc)
            .iter()
            .find(|p| p.port == i32::from(port))
            .cloned()
        else {
            if !is_node_address {
                r.issues.push(Issue::PortNotFound {
                    service: obj_ref(svc),
                    port,
                    address: host.to_string(),
                });
                return;
            }
            resolve_node_address(snap, host, port, path, r);
            return;
        };
        if let Some(path) = path
            && !ings.is_empty()
        {
            let arrival = Arrival::through(snap, svc, host, port, sp, vec![]);
            ingress_request(snap, host, port, path, Some(arrival), r);
            return;
        }
        let entry = Entry::at(Via::LoadBalancer, svc, host, port, Some(sp.clone()), vec![]);
        r.paths.push(direct_path(snap, svc, entry, Some(sp)));
        return;
    }
    // 2. A node address and a NodePort.
    if resolve_node_address(snap, host, port, path, r) {
        return;
    }
    // 3. An external IP of a Service.
    if let Some(svc) = snap
        .services
        .iter()
        .find(|s| external_ips(s).iter().any(|a| a == host))
    {
        let Some(sp) = svc_ports(svc)
            .iter()
            .find(|p| p.port == i32::from(port))
            .cloned()
        else {
            r.issues.push(Issue::PortNotFound {
                service: obj_ref(svc),
                port,
                address: host.to_string(),
            });
            return;
        };
        let entry = Entry::at(Via::ExternalIp, svc, host, port, Some(sp.clone()), vec![]);
        r.paths.push(direct_path(snap, svc, entry, Some(sp)));
        return;
    }
    // 4. A pod IP.
    if let Some(pod) = snap
        .pods
        .iter()
        .find(|p| pod_ips(p).iter().any(|ip| ip == host) && !crate::workload::host_network(p))
    {
        r.focus_pod = Some(obj_ref(pod));
        let mut p = pod_path(snap, pod, None);
        p.entry.port = Some(port);
        r.paths.push(p);
        return;
    }
    r.issues.push(Issue::NotFound {
        object: ObjectRef::cluster(
            crate::object::RefKind::Address,
            &format!(
                "{}:{port}",
                if host.contains(':') {
                    format!("[{host}]")
                } else {
                    host.to_string()
                }
            ),
        ),
        what: Missing::Address {
            address: host.to_string(),
            port,
        },
    });
}

/// A node address and a NodePort; false when `host` is no node's address.
fn resolve_node_address(
    snap: &Snapshot,
    host: &str,
    port: u16,
    path: Option<&str>,
    r: &mut Resolution,
) -> bool {
    if let Some(node) = snap.nodes.iter().find(|n| {
        {
            use crate::object::AddressType::*;
            [InternalIP, ExternalIP, Hostname, InternalDNS, ExternalDNS]
        }
        .into_iter()
        .any(|t| node_addresses(n, t).any(|a| a == host))
            || n.name() == host
    }) {
        let svc = snap.services.iter().find(|s| {
            crate::object::ServiceExt::has_node_ports(*s)
                && svc_ports(s)
                    .iter()
                    .any(|p| p.node_port == Some(i32::from(port)))
        });
        match svc {
            Some(svc) => {
                let sp = svc_ports(svc)
                    .iter()
                    .find(|p| p.node_port == Some(i32::from(port)))
                    .cloned();
                if let (Some(path), Some(sp)) = (path, sp.clone())
                    && !controller_service_ingresses(snap, svc).is_empty()
                {
                    let arrival =
                        Arrival::through(snap, svc, host, port, sp, vec![node.name().to_string()]);
                    ingress_request(snap, host, port, path, Some(arrival), r);
                    return true;
                }
                let entry = Entry::at(
                    Via::NodePort,
                    svc,
                    host,
                    port,
                    sp.clone(),
                    vec![node.name().to_string()],
                );
                r.paths.push(direct_path(snap, svc, entry, sp));
            }
            None => {
                if let Some(pod) = host_port_pod(snap, node.name(), port) {
                    host_port_target(snap, node.name(), pod, host, port, path, r);
                } else {
                    r.issues.push(Issue::NodePortNotExposed {
                        object: obj_ref(node),
                        port: Some(port),
                        address: Some(host.to_string()),
                    });
                }
            }
        }
        return true;
    }
    false
}

/// A pod on `node` that answers on the node's own `port`: a `hostPort`,
/// or a `hostNetwork` pod's container port (kind/microk8s-style ingress
/// controllers, node-local agents).
fn host_port_pod<'a>(
    snap: &'a Snapshot,
    node: &str,
    port: u16,
) -> Option<&'a k8s_openapi::api::core::v1::Pod> {
    snap.pods.iter().find(|p| {
        node_name(p) == Some(node)
            && p.spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .any(|cp| {
                    cp.host_port == Some(i32::from(port))
                        || (crate::workload::host_network(p)
                            && cp.container_port == i32::from(port))
                })
    })
}

/// A node's `port` served by a hostPort / hostNetwork pod: through the
/// Ingress rules when it is an ingress controller and the request is HTTP,
/// else straight to the pod.
fn host_port_target(
    snap: &Snapshot,
    node: &str,
    pod: &k8s_openapi::api::core::v1::Pod,
    host: &str,
    port: u16,
    path: Option<&str>,
    r: &mut Resolution,
) {
    let served: Vec<&Ingress> = snap
        .ingresses
        .iter()
        .filter(|ing| {
            controller_of(snap, ing).is_some_and(|c| c.pods.iter().any(|p| std::ptr::eq(*p, pod)))
        })
        .collect();
    let entry = Entry::new(
        Via::Ingress,
        None,
        Some(host.to_string()),
        Some(port),
        vec![node.to_string()],
    );
    if let Some(path) = path
        && !served.is_empty()
    {
        ingress_request(
            snap,
            host,
            port,
            path,
            Some(Arrival {
                ingresses: served,
                entry,
            }),
            r,
        );
        return;
    }
    let mut p = pod_path(snap, pod, None);
    p.entry.address = Some(host.to_string());
    p.entry.port = Some(port);
    p.entry.nodes = vec![node.to_string()];
    r.focus_pod = Some(obj_ref(pod));
    r.paths.push(p);
}

/// Where an HTTP request reaches an ingress controller, when the target's
/// address already tells: the Ingresses that controller serves and the
/// entry.
struct Arrival<'a> {
    ingresses: Vec<&'a Ingress>,
    entry: Entry,
}

impl<'a> Arrival<'a> {
    /// Through the controller's Service (its load balancer or a NodePort).
    fn through(
        snap: &'a Snapshot,
        svc: &Service,
        address: &str,
        port: u16,
        sp: ServicePort,
        nodes: Vec<String>,
    ) -> Self {
        let entry = Entry::at(Via::Ingress, svc, address, port, Some(sp), nodes);
        Arrival {
            ingresses: controller_service_ingresses(snap, svc),
            entry,
        }
    }
}

/// An HTTP request for `host` + `path` arriving at an ingress controller
/// (through `via`, when known): the best rule over every Ingress, as the
/// controller merges them.
fn ingress_request(
    snap: &Snapshot,
    host: &str,
    port: u16,
    path: &str,
    arrival: Option<Arrival<'_>>,
    r: &mut Resolution,
) {
    let (pool, via): (Vec<&Ingress>, Option<Entry>) = match arrival {
        Some(a) => (a.ingresses, Some(a.entry)),
        None => (snap.ingresses.iter().collect(), None),
    };
    let is_ip = host.parse::<IpAddr>().is_ok();
    // (rank, -path length, exact first) — lower is better.
    let mut best: Option<((u8, i64, u8), &Ingress, RuleMatch)> = None;
    for ing in &pool {
        if let Some(m) = match_ingress(ing, host, path) {
            let rank = match (&m.rule, m.host.as_deref()) {
                (None, _) => 3,
                (Some(_), Some(h)) if h.starts_with("*.") => 1,
                (Some(_), Some(_)) => 0,
                (Some(_), None) => 2,
            };
            let len = m.rule_path.as_deref().map_or(0, |p| p.len() as i64);
            let exact = u8::from(m.path_type.as_deref() != Some("Exact"));
            let key = (rank, -len, exact);
            if best.as_ref().is_none_or(|(k, ..)| key < *k) {
                best = Some((key, ing, m));
            }
        }
    }
    if let Some((_, ing, m)) = best {
        let mut entry = match &via {
            Some(e) => e.clone(),
            None => ingress_entry(snap, ing, Some(port)),
        };
        // The controller's Service must expose the port the URL names.
        if via.is_none()
            && let Some(sref) = entry.service.clone()
            && let Some(svc) = snap.service(sref.ns(), &sref.name)
        {
            let sp = svc_ports(svc)
                .iter()
                .find(|p| p.port == i32::from(port) || p.node_port == Some(i32::from(port)))
                .cloned();
            match sp {
                Some(sp) => entry.service_port = Some(sp),
                None => {
                    r.issues.push(Issue::PortNotFound {
                        service: sref,
                        port,
                        address: host.to_string(),
                    });
                    return;
                }
            }
        }
        r.paths.push(ingress_path(snap, ing, &m, entry));
        return;
    }
    // No rule: name the closest one, preferring Ingresses whose host matches.
    let mut miss: Option<(&Ingress, NearMiss)> = None;
    for ing in &pool {
        if let Some(nm) = closest_rule(ing, host, path)
            && miss.as_ref().is_none_or(|(_, b)| nm.distance < b.distance)
        {
            miss = Some((ing, nm));
        }
    }
    match miss {
        Some((ing, nm))
            if !is_ip
                && (nm.distance < 40
                    || nm
                        .host
                        .as_deref()
                        .is_some_and(|h| crate::ingress::host_matches(Some(h), host))) =>
        {
            r.issues.push(Issue::NoMatchingRule {
                ingress: obj_ref(ing),
                host: host.to_string(),
                path: path.to_string(),
                miss: nm,
            });
        }
        Some((ing, nm)) if is_ip => {
            r.issues.push(Issue::NoMatchingRule {
                ingress: obj_ref(ing),
                host: host.to_string(),
                path: path.to_string(),
                miss: nm,
            });
        }
        _ => r.issues.push(Issue::NotFound {
            object: ObjectRef::cluster(crate::object::RefKind::Host, host),
            what: Missing::Host {
                host: host.to_string(),
            },
        }),
    }
}
