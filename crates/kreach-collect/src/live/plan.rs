//! The query plan: which GETs and LISTs a diagnosis needs, as a pure
//! function of the target and of what earlier rounds returned.
//!
//! Collection runs in rounds. [`needed`] looks at the target and at the
//! partial snapshot collected so far (resolving the target on it, the same
//! `resolve` the analysis runs) and returns every query the analysis will
//! want; the executor sends those not yet sent, all at once, and asks again
//! until nothing new is needed. Knowledge only grows, so the rounds end
//! (typically three: the target and its namespace; the paths it leads to,
//! the ingress controller and the node agents; their namespaces).
//!
//! What it fetches, and why:
//! - always: Nodes, Namespaces, IngressClasses, DaemonSets (all namespaces:
//!   a handful, and they tell where the node agents and some ingress
//!   controllers run), kube-proxy's ConfigMap;
//! - the *namespaces the paths touch* (the target's, the backends', the
//!   ingress controller's): their Pods, Deployments, ReplicaSets and
//!   NetworkPolicies (and StatefulSets when a pod there is owned by one),
//!   their Services (for a `svc/` target only that Service in its own
//!   namespace), Events by involved kind (field selectors);
//! - per Service on a path: its Endpoints and its EndpointSlices by
//!   `kubernetes.io/service-name`; per Ingress: its TLS Secrets, by name;
//! - node agents (kube-proxy, the CNI): the pods of their DaemonSets, by the
//!   DaemonSet's selector; ingress controllers by their well-known
//!   `app.kubernetes.io/name` labels when the DaemonSets do not show them;
//! - cross-namespace lists only where the answer needs them, as narrow as
//!   the target allows: URL and address targets list Services and
//!   Ingresses of all namespaces (an address or host can be anywhere), a
//!   Pod IP is looked up by `status.podIP`, a node address on a port no
//!   NodePort serves by that node's pods (`spec.nodeName`: a hostPort
//!   ingress controller), a selector that matches nothing
//!   at home is tried in other namespaces by `labelSelector`, a name that
//!   is not found is looked for elsewhere by `metadata.name`.
//!
//! It never lists all Pods of all namespaces for a diagnosis. It does no
//! I/O: `live::collect` runs the queries.

use std::collections::BTreeSet;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use kreach_core::controller::{class_of, controller_of};
use kreach_core::nodes::{Agent, agent_of};
use kreach_core::object::MetaExt;
use kreach_core::policy::End;
use kreach_core::resolve::{Issue, Missing, Options, resolve};
use kreach_core::target::{ObjectKind, Target};
use kreach_core::{Kind, Snapshot};

/// One read request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Query {
    pub kind: Kind,
    /// `None`: cluster-scoped, or all namespaces.
    pub namespace: Option<String>,
    /// `Some`: GET of one object; `None`: a LIST.
    pub name: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// Ask for `PartialObjectMetadataList`: names, namespaces and labels
    /// only, where that is all the answer needs (namesakes elsewhere, pods
    /// a selector would pick in other namespaces, Secrets by name).
    pub metadata_only: bool,
}

impl Query {
    pub fn list(kind: Kind) -> Query {
        Query {
            kind,
            namespace: None,
            name: None,
            label_selector: None,
            field_selector: None,
            metadata_only: false,
        }
    }

    pub fn list_in(kind: Kind, ns: &str) -> Query {
        Query {
            namespace: Some(ns.to_string()),
            ..Query::list(kind)
        }
    }

    pub fn get(kind: Kind, ns: Option<&str>, name: &str) -> Query {
        Query {
            namespace: ns.map(str::to_string),
            name: Some(name.to_string()),
            ..Query::list(kind)
        }
    }

    pub fn labels(mut self, selector: impl Into<String>) -> Query {
        self.label_selector = Some(selector.into());
        self
    }

    /// Names, namespaces and labels only.
    pub fn metadata(mut self) -> Query {
        self.metadata_only = true;
        self
    }

    pub fn fields(mut self, selector: impl Into<String>) -> Query {
        self.field_selector = Some(selector.into());
        self
    }

    /// Whether the kind lives in namespaces.
    pub fn namespaced(kind: Kind) -> bool {
        kind.namespaced()
    }

    /// The request path with its query string, percent-encoded.
    pub fn path(&self) -> String {
        let (prefix, plural) = (self.kind.api_path(), self.kind.meta().plural);
        let mut p = prefix;
        if let Some(ns) = &self.namespace {
            p.push_str("/namespaces/");
            p.push_str(ns);
        }
        p.push('/');
        p.push_str(plural);
        if let Some(n) = &self.name {
            p.push('/');
            p.push_str(n);
        }
        let mut q = Vec::new();
        if let Some(l) = &self.label_selector {
            q.push(format!("labelSelector={}", encode(l)));
        }
        if let Some(f) = &self.field_selector {
            q.push(format!("fieldSelector={}", encode(f)));
        }
        if !q.is_empty() {
            p.push('?');
            p.push_str(&q.join("&"));
        }
        p
    }

    /// `get`/`list`, as RBAC names the verb.
    pub fn verb(&self) -> &'static str {
        if self.name.is_some() { "get" } else { "list" }
    }

    /// The command that tells whether the user may send this request:
    /// `kubectl auth can-i list networkpolicies.networking.k8s.io -n shop`.
    pub fn can_i(&self) -> String {
        let scope = match &self.namespace {
            Some(ns) => format!(" -n {ns}"),
            None if Self::namespaced(self.kind) => " -A".to_string(),
            None => String::new(),
        };
        format!(
            "kubectl auth can-i {} {}{scope}",
            self.verb(),
            self.kind.resource()
        )
    }
}

/// Percent-encodes a query value (selectors hold `=`, `,`, `!`, spaces, parentheses).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What is being collected for.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// `kreach diagnose TARGET`.
    Diagnose { target: Target, options: Options },
    /// `kreach policy FROM TO`.
    Policy { from: End, to: End },
    /// `kreach snapshot -n NS` (`Some`) or `-A` (`None`).
    Snapshot { namespace: Option<String> },
}

/// Known ingress controllers (`IngressClass.spec.controller`) and the
/// `app.kubernetes.io/name` values their charts and manifests label their
/// workloads with.
const CONTROLLER_LABELS: &[(&str, &[&str])] = &[
    (
        "k8s.io/ingress-nginx",
        &["ingress-nginx", "rke2-ingress-nginx"],
    ),
    ("nginx.org/ingress-controller", &["nginx-ingress"]),
    ("traefik.io/ingress-controller", &["traefik"]),
    (
        "haproxy.org/ingress-controller/haproxy",
        &["kubernetes-ingress"],
    ),
    ("haproxy-ingress.github.io/controller", &["haproxy-ingress"]),
    (
        "projectcontour.io/ingress-controller",
        &["contour", "envoy"],
    ),
    ("ingress-controllers.konghq.com/kong", &["kong", "gateway"]),
    ("istio.io/ingress-controller", &["istio-ingressgateway"]),
    ("ingress.k8s.aws/alb", &["aws-load-balancer-controller"]),
    ("azure/application-gateway", &["ingress-azure"]),
    ("k8s.io/ingress-azure", &["ingress-azure"]),
];

/// Images of load-balancer controllers that run as DaemonSets (MetalLB's
/// speaker, kube-vip, k3s' servicelb, OpenELB).
const LB_DAEMON_IMAGES: &[&str] = &["metallb", "kube-vip", "klipper-lb", "openelb"];

/// A `metav1.LabelSelector` in URL form: `a=b,c in (d,e),!f`.
pub fn selector_string(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let vals = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({vals})", e.key),
            "NotIn" => format!("{} notin ({vals})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    parts.join(",")
}

fn map_selector(m: &std::collections::BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The pod a DaemonSet would create, so that `agent_of` can tell whether
/// it is a node agent before any of its pods was fetched.
fn template_pod(ds: &k8s_openapi::api::apps::v1::DaemonSet) -> Pod {
    let t = &ds.spec.template;
    Pod {
        metadata: ObjectMeta {
            name: Some(format!("{}-xxxxx", ds.name())),
            namespace: Some(ds.ns().to_string()),
            labels: t.metadata.as_ref().and_then(|m| m.labels.clone()),
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "DaemonSet".into(),
                name: ds.name().to_string(),
                uid: String::new(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..Default::default()
        },
        spec: t.spec.clone(),
        status: None,
    }
}

/// Everything the purpose needs, given what is known. `done` holds the
/// queries already answered (a GET that found nothing is in `done` while
/// its object is missing from `snap`).
pub fn needed(purpose: &Purpose, snap: &Snapshot, done: &BTreeSet<Query>) -> BTreeSet<Query> {
    let mut q = BTreeSet::new();
    let reads = kreach_core::checks::read_kinds();
    for k in reads.iter().copied() {
        match fetch(k) {
            Fetch::Cluster => {
                q.insert(Query::list(k));
            }
            Fetch::KubeProxyConfig => {
                q.insert(Query::get(k, Some("kube-system"), "kube-proxy"));
            }
            _ => {}
        }
    }
    let mut spaces: BTreeSet<String> = BTreeSet::new();
    match purpose {
        Purpose::Diagnose { target, options } => {
            diagnose_needs(target, options, snap, done, &mut q, &mut spaces)
        }
        Purpose::Policy { from, to } => {
            for end in [from, to] {
                match end {
                    End::Pod { namespace, .. } => {
                        spaces.insert(namespace.clone());
                    }
                    End::Address(ip) => {
                        q.insert(Query::list(Kind::Pod).fields(format!("status.podIP={ip}")));
                        for p in snap
                            .pods
                            .iter()
                            .filter(|p| kreach_core::workload::pod_ips(p).contains(&ip.to_string()))
                        {
                            spaces.insert(p.ns().to_string());
                        }
                    }
                }
            }
            for ns in &spaces {
                q.insert(Query::list_in(Kind::Pod, ns));
                q.insert(Query::list_in(Kind::NetworkPolicy, ns));
            }
            return q;
        }
        Purpose::Snapshot { namespace: None } => {
            for k in Kind::ALL {
                match k {
                    Kind::ConfigMap => {}
                    _ => {
                        q.insert(Query::list(k));
                    }
                }
            }
            return q;
        }
        Purpose::Snapshot {
            namespace: Some(ns),
        } => {
            for k in Kind::ALL
                .into_iter()
                .filter(|k| Query::namespaced(*k) && *k != Kind::ConfigMap)
            {
                q.insert(Query::list_in(k, ns));
            }
            q.insert(Query::list_in(Kind::Pod, "kube-system"));
            for ing in snap.ingresses.iter().filter(|i| i.ns() == ns) {
                controller_needs(snap, ing, done, &mut q, &mut spaces);
            }
            spaces.remove(ns);
            for s in &spaces {
                for k in [
                    Kind::Pod,
                    Kind::Service,
                    Kind::Deployment,
                    Kind::ReplicaSet,
                    Kind::Endpoints,
                    Kind::EndpointSlice,
                    Kind::NetworkPolicy,
                    Kind::Event,
                ] {
                    q.insert(Query::list_in(k, s));
                }
            }
            agent_needs(snap, &mut q);
            return q;
        }
    }
    q
}

fn diagnose_needs(
    target: &Target,
    opts: &Options,
    snap: &Snapshot,
    done: &BTreeSet<Query>,
    q: &mut BTreeSet<Query>,
    spaces: &mut BTreeSet<String>,
) {
    let ns = opts.namespace.as_str();
    // The target itself.
    let mut svc_target: Option<&str> = None;
    match target {
        Target::Object { kind, name } => {
            spaces.insert(ns.to_string());
            q.insert(Query::list_in(Kind::Ingress, ns));
            match kind {
                ObjectKind::Service => {
                    svc_target = Some(name);
                    q.insert(Query::get(Kind::Service, Some(ns), name));
                }
                ObjectKind::Ingress | ObjectKind::Pod | ObjectKind::Deployment => {}
            }
        }
        Target::Url { .. } | Target::Address { .. } => {
            q.insert(Query::list(Kind::Service));
            q.insert(Query::list(Kind::Ingress));
        }
    }
    // What the target resolves to on what is known so far. Before the
    // first round has answered, it resolves to nothing worth acting on.
    let primed = done.contains(&Query::list(Kind::Node));
    let res = resolve(snap, "", target, opts);
    for issue in res.issues.iter().filter(|_| primed) {
        match issue {
            Issue::NotFound {
                object,
                what: Missing::Object | Missing::Namespace,
            } => {
                // Its neighbours (closest names) and namesakes elsewhere.
                let kind = object.kind.api().unwrap_or(Kind::Service);
                q.insert(Query::list_in(kind, object.ns()));
                q.insert(
                    Query::list(kind)
                        .fields(format!("metadata.name={}", object.name))
                        .metadata(),
                );
            }
            Issue::NotFound {
                what: Missing::Address { address, .. },
                ..
            } => {
                if let Ok(ip) = address.parse::<IpAddr>() {
                    q.insert(Query::list(Kind::Pod).fields(format!("status.podIP={ip}")));
                }
            }
            Issue::NodePortNotExposed { object, port, .. } => {
                // The finding lists the NodePorts in use across the cluster.
                q.insert(Query::list(Kind::Service));
                // A node's own port may be a hostPort / hostNetwork pod's
                // (an ingress controller on kind or bare metal): that
                // node's pods, wherever their namespace.
                if object.kind == Kind::Node && port.is_some() {
                    q.insert(
                        Query::list(Kind::Pod).fields(format!("spec.nodeName={}", object.name)),
                    );
                }
            }
            _ => {}
        }
    }
    if let Some(fp) = &res.focus_pod {
        spaces.insert(fp.ns().to_string());
    }
    let mut pending_lb = false;
    for p in &res.paths {
        for o in p.objects() {
            if let Some(n) = &o.namespace {
                spaces.insert(n.clone());
            }
        }
        if let Some(e) = &p.entry.service
            && let Some(svc) = snap.service(e.ns(), &e.name)
            && kreach_core::object::ServiceExt::service_type(svc)
                == kreach_core::object::ServiceType::LoadBalancer
            && kreach_core::resolve::lb_addresses(svc).is_empty()
        {
            pending_lb = true;
        }
        for s in p
            .entry
            .service
            .iter()
            .chain(p.service.as_ref().map(|h| &h.service))
        {
            q.insert(Query::get(Kind::Endpoints, Some(s.ns()), &s.name));
            q.insert(
                Query::list_in(Kind::EndpointSlice, s.ns())
                    .labels(format!("kubernetes.io/service-name={}", s.name)),
            );
            if let Some(svc) = snap.service(s.ns(), &s.name)
                && let Some(sel) = svc
                    .spec
                    .as_ref()
                    .and_then(|sp| sp.selector.as_ref())
                    .filter(|m| !m.is_empty())
                && done.contains(&Query::list_in(Kind::Pod, s.ns()))
                && kreach_core::workload::selected_pods(snap, svc).is_empty()
            {
                // A selector that matches nothing at home may match elsewhere.
                q.insert(Query::list(Kind::Pod).labels(map_selector(sel)).metadata());
            }
        }
        if let Some(h) = &p.service
            && !h.found
        {
            q.insert(
                Query::list(Kind::Service)
                    .fields(format!("metadata.name={}", h.service.name))
                    .metadata(),
            );
        }
        if let Some(h) = &p.ingress
            && let Some(ing) = snap
                .ingresses
                .iter()
                .find(|i| i.ns() == h.ingress.ns() && i.name() == h.ingress.name)
        {
            for tls in ing.spec.iter().flat_map(|s| s.tls.iter().flatten()) {
                if let Some(secret) = tls.secret_name.as_deref().filter(|s| !s.is_empty()) {
                    let get = Query::get(Kind::Secret, Some(ing.ns()), secret);
                    let found = snap.tls_secret(ing.ns(), secret).is_some()
                        || snap
                            .other_secrets
                            .iter()
                            .any(|r| r.ns() == ing.ns() && r.name == secret);
                    if done.contains(&get) && !found {
                        // A namesake in another namespace is the usual mistake.
                        q.insert(
                            Query::list(Kind::Secret)
                                .fields(format!("metadata.name={secret}"))
                                .metadata(),
                        );
                    }
                    q.insert(get);
                }
            }
            if kreach_core::controller::ingress_addresses(ing).is_empty() {
                // Which Ingresses of the same class did get an address.
                q.insert(Query::list(Kind::Ingress));
            }
            controller_needs(snap, ing, done, q, spaces);
        }
    }
    if pending_lb {
        lb_controller_needs(snap, q);
    }
    let agent_spaces = agent_needs(snap, q);
    let reads = kreach_core::checks::read_kinds();
    for s in spaces.iter() {
        for k in reads.iter().copied() {
            // A `svc/` target's own namespace: that Service by name (its
            // neighbours only if it is not found, through the issue above).
            let svc_get_only = k == Kind::Service && svc_target.is_some() && s == ns;
            if fetch(k) == Fetch::PathNamespaces && !svc_get_only {
                q.insert(Query::list_in(k, s));
            }
        }
        let owned_by_sts = snap.pods_in(s).any(|p| {
            p.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.kind == "StatefulSet")
        });
        if owned_by_sts {
            q.insert(Query::list_in(Kind::StatefulSet, s));
        }
        for kind in ["Pod", "Service"] {
            q.insert(Query::list_in(Kind::Event, s).fields(format!("involvedObject.kind={kind}")));
        }
        if res
            .paths
            .iter()
            .any(|p| p.ingress.as_ref().is_some_and(|h| h.ingress.ns() == s))
        {
            // Controllers report sync and admission problems on the Ingress.
            q.insert(Query::list_in(Kind::Event, s).fields("involvedObject.kind=Ingress"));
        }
    }
    // Controller workloads report their own events (scaled to zero, failed create).
    for ing in res.paths.iter().filter_map(|p| p.ingress.as_ref()) {
        if let Some(i) = snap.ingress(ing.ingress.ns(), &ing.ingress.name)
            && let Some(w) = controller_of(snap, i).and_then(|c| c.workload)
        {
            q.insert(
                Query::list_in(Kind::Event, w.ns())
                    .fields(format!("involvedObject.kind={}", w.kind)),
            );
        }
    }
    for s in agent_spaces.difference(spaces) {
        q.insert(Query::list_in(Kind::Event, s).fields("involvedObject.kind=Pod"));
    }
}

/// How the plan fetches a kind that the diagnosis reads
/// ([`kreach_core::checks::read_kinds`]): every kind has one way, so a check
/// that starts reading a kind gets it fetched, and a new kind must choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    /// One LIST of the cluster (cluster-scoped, or few and anywhere).
    Cluster,
    /// A LIST in each namespace the paths touch.
    PathNamespaces,
    /// Owned objects: in a path namespace where a pod is owned by one.
    WhereOwned,
    /// Per Service on a path (by name and `kubernetes.io/service-name`).
    PerService,
    /// By name, where an Ingress's TLS block points.
    ByReference,
    /// kube-proxy's own ConfigMap only (others are application data).
    KubeProxyConfig,
    /// Events, by the kinds of the objects on the paths.
    Events,
    /// By what the target names: its namespace, or all for URLs.
    ByTarget,
}

pub fn fetch(kind: Kind) -> Fetch {
    match kind {
        Kind::Namespace | Kind::Node | Kind::IngressClass | Kind::DaemonSet => Fetch::Cluster,
        Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet | Kind::NetworkPolicy => {
            Fetch::PathNamespaces
        }
        Kind::StatefulSet => Fetch::WhereOwned,
        Kind::Endpoints | Kind::EndpointSlice => Fetch::PerService,
        Kind::Secret => Fetch::ByReference,
        Kind::ConfigMap => Fetch::KubeProxyConfig,
        Kind::Event => Fetch::Events,
        Kind::Ingress => Fetch::ByTarget,
    }
}

/// The ingress controller of one Ingress: its namespace when its workload
/// is known, else a label query for the workloads of its kind.
fn controller_needs(
    snap: &Snapshot,
    ing: &k8s_openapi::api::networking::v1::Ingress,
    done: &BTreeSet<Query>,
    q: &mut BTreeSet<Query>,
    spaces: &mut BTreeSet<String>,
) {
    let class = class_of(snap, ing);
    let Some(ctrl) = class.controller() else {
        return;
    };
    let Some(found) = controller_of(snap, ing) else {
        return;
    };
    if found.external {
        return;
    }
    if let Some(w) = &found.workload {
        spaces.insert(w.ns().to_string());
        return;
    }
    let labels_tried = match CONTROLLER_LABELS.iter().find(|(c, _)| *c == ctrl) {
        Some((_, names)) => {
            let sel = format!("app.kubernetes.io/name in ({})", names.join(","));
            let deployments = Query::list(Kind::Deployment).labels(sel.clone());
            let pods = Query::list(Kind::Pod).labels(sel);
            let tried = done.contains(&deployments) && done.contains(&pods);
            if done.contains(&deployments) {
                // No Deployment: it may still run as bare pods.
                q.insert(pods);
            }
            q.insert(deployments);
            tried
        }
        None => true,
    };
    if !labels_tried {
        return;
    }
    // Not labelled as its chart labels it. The Service holding the
    // Ingress's address leads to its namespace; failing that, the
    // workloads of every namespace are searched by image, as offline.
    let addresses = kreach_core::controller::ingress_addresses(ing);
    let holder = addresses
        .iter()
        .find_map(|a| kreach_core::controller::service_by_lb_address(snap, a));
    let all_services = Query::list(Kind::Service);
    // An address of a node: a hostNetwork controller runs there.
    let node = addresses
        .iter()
        .find_map(|a| kreach_core::netinfo::node_holding(snap, a));
    match holder {
        Some(svc) => {
            spaces.insert(svc.ns().to_string());
        }
        None if node.is_some() => {
            let on_node = Query::list(Kind::Pod).fields(format!(
                "spec.nodeName={}",
                node.map(|n| n.name()).unwrap_or_default()
            ));
            if !done.contains(&on_node) {
                q.insert(on_node);
            } else {
                q.insert(Query::list(Kind::Deployment));
            }
        }
        None if !addresses.is_empty() && !done.contains(&all_services) => {
            q.insert(all_services);
        }
        None => {
            q.insert(Query::list(Kind::Deployment));
        }
    }
}

/// Pods of the node agents (kube-proxy, the CNI), by their DaemonSets'
/// selectors. Returns the namespaces they run in.
fn agent_needs(snap: &Snapshot, q: &mut BTreeSet<Query>) -> BTreeSet<String> {
    let mut spaces = BTreeSet::new();
    let mut proxy_ds = false;
    for ds in &snap.daemon_sets {
        let Some(agent) = agent_of(snap, &template_pod(ds)) else {
            continue;
        };
        proxy_ds |= agent == Agent::KubeProxy;
        let sel = selector_string(&ds.spec.selector);
        if sel.is_empty() {
            continue;
        }
        spaces.insert(ds.ns().to_string());
        q.insert(Query::list_in(Kind::Pod, ds.ns()).labels(sel));
    }
    if !proxy_ds {
        // kube-proxy as static pods (no DaemonSet), labelled by kubeadm or
        // by the distribution.
        q.insert(Query::list_in(Kind::Pod, "kube-system").labels("k8s-app=kube-proxy"));
        q.insert(Query::list_in(Kind::Pod, "kube-system").labels("component=kube-proxy"));
        spaces.insert("kube-system".into());
    }
    spaces
}

/// A LoadBalancer is pending: the load-balancer controllers become
/// evidence (kube-system's pods, and the namespaces of LB DaemonSets).
fn lb_controller_needs(snap: &Snapshot, q: &mut BTreeSet<Query>) {
    q.insert(Query::list_in(Kind::Pod, "kube-system"));
    for ds in &snap.daemon_sets {
        let images = ds
            .spec
            .template
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .filter_map(|c| c.image.as_deref());
        let lb = images
            .clone()
            .any(|i| LB_DAEMON_IMAGES.iter().any(|x| i.contains(x)))
            || ds.name().starts_with("svclb-");
        if lb {
            q.insert(Query::list_in(Kind::Pod, ds.ns()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(ns: &str) -> Options {
        Options {
            namespace: ns.into(),
            ..Options::default()
        }
    }

    fn diag(t: &str, ns: &str) -> Purpose {
        Purpose::Diagnose {
            target: Target::parse(t).unwrap(),
            options: opts(ns),
        }
    }

    fn paths(qs: &BTreeSet<Query>) -> Vec<String> {
        qs.iter().map(Query::path).collect()
    }

    #[test]
    fn paths_and_can_i() {
        let q =
            Query::list_in(Kind::EndpointSlice, "shop").labels("kubernetes.io/service-name=web");
        assert_eq!(
            q.path(),
            "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io/service-name%3Dweb"
        );
        assert_eq!(
            q.can_i(),
            "kubectl auth can-i list endpointslices.discovery.k8s.io -n shop"
        );
        assert_eq!(
            Query::get(Kind::Node, None, "n1").path(),
            "/api/v1/nodes/n1"
        );
        assert_eq!(
            Query::list(Kind::Pod).can_i(),
            "kubectl auth can-i list pods -A"
        );
        assert_eq!(
            Query::list(Kind::Pod).labels("app in (a,b)").path(),
            "/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29"
        );
    }

    #[test]
    fn first_round_of_a_service_target_stays_in_its_namespace() {
        let snap = Snapshot::default();
        let q = needed(&diag("svc/web", "shop"), &snap, &BTreeSet::new());
        let p = paths(&q);
        assert!(
            p.contains(&"/api/v1/namespaces/shop/services/web".to_string()),
            "{p:#?}"
        );
        assert!(p.contains(&"/api/v1/namespaces/shop/pods".to_string()));
        assert!(p.contains(&"/apis/networking.k8s.io/v1/namespaces/shop/ingresses".to_string()));
        assert!(
            p.contains(&"/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies".to_string())
        );
        assert!(p.contains(&"/api/v1/nodes".to_string()));
        // Never all pods, all services or all ingresses of the cluster.
        assert!(!p.contains(&"/api/v1/pods".to_string()));
        assert!(!p.contains(&"/api/v1/services".to_string()));
        assert!(!p.contains(&"/apis/networking.k8s.io/v1/ingresses".to_string()));
        assert!(!p.contains(&"/api/v1/namespaces/shop/services".to_string()));
    }

    /// The plan follows the checks' declarations: for an Ingress target
    /// with TLS, once its Service and pods are known, every kind the
    /// diagnosis reads is asked for, each the way [`fetch`] says.
    #[test]
    fn every_kind_the_checks_read_is_fetched() {
        let mut snap = Snapshot::default();
        for doc in [
            serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx"}}),
            serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                "metadata": {"name": "web", "namespace": "shop"},
                "spec": {"ingressClassName": "nginx",
                    "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
                    "rules": [{"host": "shop.example.com", "http": {"paths": [
                    {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]},
                "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.50"}]}}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "web", "namespace": "shop"},
                "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                        "uid": "1", "controller": true}]},
                "spec": {"nodeName": "n1", "containers": [{"name": "web", "image": "web:1"}]},
                "status": {"phase": "Running", "podIP": "10.244.1.7"}}),
        ] {
            snap.add_value(doc, "test");
        }
        snap.finish();
        let purpose = diag("ingress/web", "shop");
        let mut done = BTreeSet::new();
        for _ in 0..4 {
            done.extend(needed(&purpose, &snap, &done));
        }
        for k in kreach_core::checks::read_kinds() {
            let of_kind: Vec<&Query> = done.iter().filter(|q| q.kind == k).collect();
            assert!(!of_kind.is_empty(), "{k:?} is read but never fetched");
            let shop = of_kind
                .iter()
                .any(|q| q.namespace.as_deref() == Some("shop"));
            match fetch(k) {
                Fetch::Cluster => assert!(of_kind.iter().any(|q| q.namespace.is_none())),
                Fetch::PathNamespaces | Fetch::WhereOwned | Fetch::PerService => {
                    assert!(shop, "{k:?} in shop: {of_kind:#?}")
                }
                Fetch::ByReference => assert!(
                    of_kind
                        .iter()
                        .any(|q| q.name.as_deref() == Some("shop-tls")),
                    "{of_kind:#?}"
                ),
                Fetch::KubeProxyConfig => assert!(
                    of_kind
                        .iter()
                        .any(|q| q.name.as_deref() == Some("kube-proxy"))
                ),
                Fetch::Events | Fetch::ByTarget => assert!(shop, "{k:?}: {of_kind:#?}"),
            }
        }
    }

    #[test]
    fn a_missing_service_asks_for_its_neighbours_and_namesakes() {
        let snap = Snapshot::default();
        let mut done = BTreeSet::new();
        done.insert(Query::get(Kind::Service, Some("shop"), "webb"));
        done.insert(Query::list(Kind::Node));
        let p = paths(&needed(&diag("svc/webb", "shop"), &snap, &done));
        assert!(
            p.contains(&"/api/v1/namespaces/shop/services".to_string()),
            "{p:#?}"
        );
        assert!(p.contains(&"/api/v1/services?fieldSelector=metadata.name%3Dwebb".to_string()));
    }

    #[test]
    fn url_targets_list_services_and_ingresses_everywhere_but_not_pods() {
        let p = paths(&needed(
            &diag("http://shop.example.com/", "default"),
            &Snapshot::default(),
            &BTreeSet::new(),
        ));
        assert!(p.contains(&"/api/v1/services".to_string()));
        assert!(p.contains(&"/apis/networking.k8s.io/v1/ingresses".to_string()));
        assert!(!p.iter().any(|x| x.starts_with("/api/v1/pods")), "{p:#?}");
    }

    #[test]
    fn an_unknown_address_is_looked_up_by_pod_ip() {
        let done = BTreeSet::from([Query::list(Kind::Node), Query::list(Kind::Service)]);
        let p = paths(&needed(
            &diag("10.244.1.7:8080", "default"),
            &Snapshot::default(),
            &done,
        ));
        assert!(
            p.contains(&"/api/v1/pods?fieldSelector=status.podIP%3D10.244.1.7".to_string()),
            "{p:#?}"
        );
    }

    fn ingress_snapshot(with_address: bool) -> Snapshot {
        let mut snap = Snapshot::default();
        snap.add_value(
            serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx"}}),
            "test",
        );
        let status = if with_address {
            serde_json::json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.50"}]}})
        } else {
            serde_json::json!({})
        };
        snap.add_value(
            serde_json::json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                "metadata": {"name": "web", "namespace": "shop"},
                "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com", "http": {"paths": [
                    {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]},
                "status": status}),
            "test",
        );
        snap.finish();
        snap
    }

    #[test]
    fn an_unlabelled_ingress_controller_is_found_by_address_then_by_image() {
        let purpose = diag("ingress/web", "shop");
        let snap = ingress_snapshot(true);
        let sel = "app.kubernetes.io/name in (ingress-nginx,rke2-ingress-nginx)";
        let mut done = BTreeSet::from([
            Query::list(Kind::Node),
            Query::list_in(Kind::Ingress, "shop"),
        ]);
        let p = paths(&needed(&purpose, &snap, &done));
        assert!(
            p.iter()
                .any(|x| x.starts_with("/apis/apps/v1/deployments?labelSelector=")),
            "{p:#?}"
        );
        assert!(!p.contains(&"/api/v1/services".to_string()));
        done.insert(Query::list(Kind::Deployment).labels(sel));
        done.insert(Query::list(Kind::Pod).labels(sel));
        let p = paths(&needed(&purpose, &snap, &done));
        assert!(p.contains(&"/api/v1/services".to_string()), "{p:#?}");
        assert!(!p.contains(&"/apis/apps/v1/deployments".to_string()));
        done.insert(Query::list(Kind::Service));
        let p = paths(&needed(&purpose, &snap, &done));
        assert!(
            p.contains(&"/apis/apps/v1/deployments".to_string()),
            "{p:#?}"
        );
    }

    #[test]
    fn selectors_in_url_form() {
        let sel: LabelSelector = serde_json::from_value(serde_json::json!({
            "matchLabels": {"k8s-app": "kube-proxy"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(selector_string(&sel), "k8s-app=kube-proxy,tier in (a,b),!x");
    }
}
