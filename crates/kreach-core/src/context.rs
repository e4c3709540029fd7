//! What every check reads: the snapshot, the resolved paths, the options,
//! and facts computed once for all checks (the Services on the paths and the
//! pods they select).

use k8s_openapi::api::core::v1::{Pod, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::object::{ServiceExt, ServiceType};
use crate::resolve::{Options, Resolution};
use crate::snapshot::{Kind, Snapshot};
use crate::target::Target;
use crate::workload::{is_ready, selected_pods};

/// A Service on the paths and what it selects.
#[derive(Debug)]
pub struct ServiceFacts<'a> {
    pub svc: &'a Service,
    pub sref: ObjectRef,
    /// Pods its selector picks in its namespace.
    pub pods: Vec<&'a Pod>,
    /// How many of them are ready.
    pub ready: usize,
    /// The ports the paths use: one port when a path names it, else all.
    pub ports: Vec<ServicePort>,
    /// Indexes of the paths through it.
    pub paths: Vec<usize>,
}

impl ServiceFacts<'_> {
    /// Whether the Service selects pods (an ExternalName Service ignores a
    /// leftover selector).
    pub fn has_selector(&self) -> bool {
        self.svc.service_type() != ServiceType::ExternalName
            && self
                .svc
                .spec
                .as_ref()
                .and_then(|s| s.selector.as_ref())
                .is_some_and(|s| !s.is_empty())
    }

    /// The selector of a Service that selects pods but matches none in its
    /// namespace (what both selector checks start from).
    pub fn selector_matching_nothing(&self) -> Option<crate::labels::Labels> {
        if !self.has_selector() || !self.pods.is_empty() {
            return None;
        }
        self.svc.spec.as_ref().and_then(|s| s.selector.clone())
    }

    /// The ports on the path with what the checks ask of each: its index in
    /// `spec.ports` (for JSON patches), its protocol, and its targetPort
    /// (the port itself when unset).
    pub fn path_ports(&self) -> Vec<PathPort> {
        let all = self
            .svc
            .spec
            .as_ref()
            .and_then(|s| s.ports.clone())
            .unwrap_or_default();
        self.ports
            .iter()
            .map(|sp| PathPort {
                index: all
                    .iter()
                    .position(|p| p.port == sp.port && p.protocol == sp.protocol)
                    .unwrap_or(0),
                protocol: crate::checks::util::protocol_of(sp.protocol.as_deref()).to_string(),
                target: sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port)),
                port: sp.clone(),
            })
            .collect()
    }

    pub fn type_(&self) -> &str {
        self.svc
            .spec
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            .unwrap_or("ClusterIP")
    }
}

/// A Service port on the path, see [`ServiceFacts::path_ports`].
#[derive(Debug, Clone)]
pub struct PathPort {
    pub index: usize,
    pub protocol: String,
    pub target: IntOrString,
    pub port: ServicePort,
}

pub struct Context<'a> {
    pub snap: &'a Snapshot,
    pub target: &'a Target,
    pub res: &'a Resolution,
    pub opts: &'a Options,
    pub services: Vec<ServiceFacts<'a>>,
    /// Entry Services on the paths, computed once (see [`Context::entry_services`]).
    entries: Vec<EntryService<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(
        snap: &'a Snapshot,
        target: &'a Target,
        res: &'a Resolution,
        opts: &'a Options,
    ) -> Self {
        let mut services: Vec<ServiceFacts<'a>> = Vec::new();
        for (i, p) in res.paths.iter().enumerate() {
            let Some(hop) = &p.service else { continue };
            if !hop.found {
                continue;
            }
            let Some(svc) = snap.service(hop.service.ns(), &hop.service.name) else {
                continue;
            };
            let port = hop.port.clone();
            match services.iter_mut().find(|f| f.sref == hop.service) {
                Some(f) => {
                    f.paths.push(i);
                    add_port(f, svc, port);
                }
                None => {
                    let external_name = svc.service_type() == ServiceType::ExternalName;
                    let pods = if external_name {
                        vec![]
                    } else {
                        selected_pods(snap, svc)
                    };
                    // publishNotReadyAddresses: every running pod gets traffic.
                    let publish_all = svc
                        .spec
                        .as_ref()
                        .and_then(|s| s.publish_not_ready_addresses)
                        .unwrap_or(false);
                    let ready = pods
                        .iter()
                        .filter(|p| {
                            is_ready(p)
                                || (publish_all
                                    && crate::workload::phase(p) == "Running"
                                    && !crate::workload::is_terminating(p))
                        })
                        .count();
                    let mut f = ServiceFacts {
                        svc,
                        sref: obj_ref(svc),
                        pods,
                        ready,
                        ports: vec![],
                        paths: vec![i],
                    };
                    add_port(&mut f, svc, port);
                    services.push(f);
                }
            }
        }
        let entries = Self::find_entry_services(snap, res);
        Context {
            snap,
            target,
            res,
            opts,
            services,
            entries,
        }
    }

    /// The pods the checks of the pod layer look at: those the Services on
    /// the path select, and the target pod. With each, whether its own
    /// findings block: it is the target pod, or no Service it backs has a
    /// ready endpoint left.
    pub fn target_pods(&self) -> Vec<(&'a Pod, bool)> {
        let mut out: Vec<(&'a Pod, bool)> = Vec::new();
        for f in &self.services {
            for p in &f.pods {
                let blocks = f.ready == 0;
                match out.iter_mut().find(|(q, _)| std::ptr::eq(*q, *p)) {
                    Some(e) => e.1 = e.1 || blocks,
                    None => out.push((p, blocks)),
                }
            }
        }
        for path in &self.res.paths {
            for pr in &path.pods {
                if let Some(p) = self.snap.pod(pr.ns(), &pr.name)
                    && !out.iter().any(|(q, _)| std::ptr::eq(*q, p))
                {
                    out.push((p, path.service.is_none()));
                }
            }
        }
        if let Some(fp) = &self.res.focus_pod {
            for e in out.iter_mut() {
                if obj_ref(e.0) == *fp {
                    e.1 = true;
                }
            }
        }
        out
    }

    pub fn has_kind(&self, kind: Kind) -> bool {
        self.snap.has_kind(kind)
    }

    pub fn now(&self) -> k8s_openapi::jiff::Timestamp {
        self.opts.now
    }

    pub fn pod_ref(&self, pod: &Pod) -> ObjectRef {
        ObjectRef::namespaced(crate::Kind::Pod, pod.ns(), pod.name())
    }
}

fn add_port(f: &mut ServiceFacts<'_>, svc: &Service, port: Option<ServicePort>) {
    let all = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    let wanted = match port {
        Some(p) => vec![p],
        None => all,
    };
    for p in wanted {
        if !f
            .ports
            .iter()
            .any(|q| q.port == p.port && q.protocol == p.protocol)
        {
            f.ports.push(p);
        }
    }
}

/// A Service that owns an entry the client uses (a load balancer, a
/// NodePort, an external IP), with the paths through it.
#[derive(Debug)]
pub struct EntryService<'a> {
    pub svc: &'a Service,
    pub sref: ObjectRef,
    pub via: crate::path::Via,
    /// The address the client uses, when known.
    pub address: Option<String>,
    pub paths: Vec<usize>,
    /// The entry serves an Ingress (it is the ingress controller's Service).
    pub for_ingress: bool,
}

impl<'a> Context<'a> {
    /// Entry Services on the paths, one per (Service, kind of entry).
    pub fn entry_services(&self) -> &[EntryService<'a>] {
        &self.entries
    }

    fn find_entry_services(snap: &'a Snapshot, res: &Resolution) -> Vec<EntryService<'a>> {
        use crate::path::Via;
        let mut v: Vec<EntryService<'a>> = Vec::new();
        for (i, p) in res.paths.iter().enumerate() {
            let Some(sref) = &p.entry.service else {
                continue;
            };
            let Some(svc) = snap.service(sref.ns(), &sref.name) else {
                continue;
            };
            // An Ingress entry goes through the controller Service's load
            // balancer (or its NodePorts when it has none).
            let via = match p.entry.via {
                Via::Ingress => match svc.service_type() {
                    ServiceType::LoadBalancer => Via::LoadBalancer,
                    ServiceType::NodePort => Via::NodePort,
                    _ => Via::Ingress,
                },
                other => other,
            };
            let for_ingress = p.entry.via == Via::Ingress;
            match v.iter_mut().find(|e| e.sref == *sref && e.via == via) {
                Some(e) => {
                    e.paths.push(i);
                    e.for_ingress |= for_ingress;
                }
                None => v.push(EntryService {
                    svc,
                    sref: sref.clone(),
                    via,
                    address: p.entry.address.clone(),
                    paths: vec![i],
                    for_ingress,
                }),
            }
        }
        v
    }

    /// The Ingresses on the paths, with the paths through each.
    pub fn ingresses(&self) -> Vec<(&'a k8s_openapi::api::networking::v1::Ingress, Vec<usize>)> {
        let mut v: Vec<(&'a k8s_openapi::api::networking::v1::Ingress, Vec<usize>)> = Vec::new();
        for (i, p) in self.res.paths.iter().enumerate() {
            let Some(h) = &p.ingress else { continue };
            let Some(ing) = self.snap.ingress(h.ingress.ns(), &h.ingress.name) else {
                continue;
            };
            match v.iter_mut().find(|(x, _)| std::ptr::eq(*x, ing)) {
                Some(e) => e.1.push(i),
                None => v.push((ing, vec![i])),
            }
        }
        v
    }

    /// The Ingress paths whose Ingress the controller `controller` serves
    /// (its `spec.controller` value, as [`crate::controller::controller_of`]
    /// finds it), with the Ingress and its backend Service: what a cloud
    /// controller builds its load balancer from.
    pub fn ingress_backends_of(
        &self,
        controller: &str,
    ) -> Vec<(
        usize,
        &'a k8s_openapi::api::networking::v1::Ingress,
        &'a crate::path::ServiceHop,
        &'a Service,
    )> {
        let mut v = Vec::new();
        for (i, p) in self.res.paths.iter().enumerate() {
            let (Some(ih), Some(sh)) = (&p.ingress, &p.service) else {
                continue;
            };
            let Some(ing) = self.snap.ingress(ih.ingress.ns(), &ih.ingress.name) else {
                continue;
            };
            if crate::controller::controller_of(self.snap, ing)
                .is_none_or(|c| c.controller != controller)
            {
                continue;
            }
            if let Some(svc) = self.snap.service(sh.service.ns(), &sh.service.name) {
                v.push((i, ing, sh, svc));
            }
        }
        v
    }

    /// Whether the request is HTTPS (an `https://` URL target).
    pub fn https(&self) -> bool {
        matches!(self.target, Target::Url { https: true, .. })
    }

    /// The host of a URL target.
    pub fn url_host(&self) -> Option<&str> {
        match self.target {
            Target::Url { host, .. } => Some(host),
            _ => None,
        }
    }
}
