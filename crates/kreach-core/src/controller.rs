//! Which IngressClass an Ingress belongs to, and which controller (its
//! workload, pods and Service) serves that class.
//!
//! The class comes from `spec.ingressClassName`, else the legacy
//! `kubernetes.io/ingress.class` annotation, else the IngressClass marked
//! default. The controller is found from `IngressClass.spec.controller`
//! using what the common controllers look like (image, labels, flags), and
//! from the Service whose load-balancer address the Ingress reports. This
//! module decides nothing: the entry checks judge what it finds.

use k8s_openapi::api::core::v1::{Container, Pod, PodTemplateSpec, Service};
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};

use crate::labels::map_selects;
use crate::object::{MetaExt, ObjectRef};
use crate::snapshot::Snapshot;
use crate::workload::{owner_of, pods_of};

pub const LEGACY_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassSource {
    Spec,
    Annotation,
    Default,
    None,
}

#[derive(Debug, Clone)]
pub struct ClassOf<'a> {
    /// The class name the Ingress asks for (or the default class's name).
    pub name: Option<String>,
    pub source: ClassSource,
    /// The IngressClass object, when it exists.
    pub class: Option<&'a IngressClass>,
    /// Without an IngressClass object: the controller that serves the
    /// class anyway, where the cluster shows it does (see
    /// [`implicit_controller`]).
    pub implicit: Option<&'static str>,
}

impl ClassOf<'_> {
    /// `spec.controller` of the class, or the controller that serves it
    /// without an IngressClass object.
    pub fn controller(&self) -> Option<&str> {
        self.class
            .and_then(|c| c.spec.as_ref())
            .and_then(|s| s.controller.as_deref())
            .or(self.implicit)
    }
}

/// Annotations GKE's ingress-gce writes on the Ingresses it serves (the
/// load-balancer resources it created for them).
const INGRESS_GCE_ANNOTATIONS: &[&str] = &[
    "ingress.kubernetes.io/backends",
    "ingress.kubernetes.io/url-map",
    "ingress.kubernetes.io/forwarding-rule",
    "ingress.kubernetes.io/https-forwarding-rule",
    "ingress.kubernetes.io/target-proxy",
    "ingress.kubernetes.io/https-target-proxy",
];

/// The cluster is a GKE cluster: its nodes say so (`gce://` provider IDs,
/// the `cloud.google.com/gke-nodepool` label).
fn on_gke(snap: &Snapshot) -> bool {
    snap.nodes.iter().any(|n| {
        n.spec
            .as_ref()
            .and_then(|s| s.provider_id.as_deref())
            .is_some_and(|p| p.starts_with("gce://"))
            || n.labels().contains_key("cloud.google.com/gke-nodepool")
    })
}

/// The controller that serves an Ingress's class (None: no class, or no
/// default) though the cluster has no IngressClass object of that name,
/// when the cluster shows that it does:
/// - GKE's ingress-gce runs outside the cluster and serves the classes
///   `gce` and `gce-internal`, and Ingresses without a class when no
///   IngressClass is the default (cloud.google.com/kubernetes-engine/docs/
///   concepts/ingress); it shows by the annotations it writes on them, or
///   by GKE nodes;
/// - the AWS Load Balancer Controller serves the legacy annotation
///   `kubernetes.io/ingress.class: alb`, Azure's Application Gateway
///   Ingress Controller `azure/application-gateway`, both from pods in the
///   cluster; they show by those pods, by their own annotations on the
///   Ingress with an address set, or by an address of their cloud's load
///   balancers.
pub fn implicit_controller(
    snap: &Snapshot,
    ing: &Ingress,
    name: Option<&str>,
) -> Option<&'static str> {
    let written_by_gce = INGRESS_GCE_ANNOTATIONS
        .iter()
        .any(|a| ing.annotation(a).is_some());
    let addresses = ingress_addresses(ing);
    let annotated = |prefix: &str| {
        ing.metadata
            .annotations
            .iter()
            .flatten()
            .any(|(k, _)| k.starts_with(prefix))
    };
    let runs = |controller: &str| {
        let c = find_controller(snap, controller, name);
        c.workload.is_some() || !c.pods.is_empty()
    };
    match name {
        Some("gce" | "gce-internal") | None if written_by_gce || on_gke(snap) => {
            Some("k8s.io/ingress-gce")
        }
        Some("alb")
            if runs("ingress.k8s.aws/alb")
                || addresses.iter().any(|a| a.ends_with(".elb.amazonaws.com"))
                || (annotated("alb.ingress.kubernetes.io/") && !addresses.is_empty()) =>
        {
            Some("ingress.k8s.aws/alb")
        }
        Some("azure/application-gateway")
            if runs("azure/application-gateway")
                || (annotated("appgw.ingress.kubernetes.io/") && !addresses.is_empty()) =>
        {
            Some("azure/application-gateway")
        }
        _ => None,
    }
}

pub fn default_classes(snap: &Snapshot) -> Vec<&IngressClass> {
    snap.ingress_classes
        .iter()
        .filter(|c| c.annotation(DEFAULT_CLASS_ANNOTATION) == Some("true"))
        .collect()
}

pub fn class_of<'a>(snap: &'a Snapshot, ing: &Ingress) -> ClassOf<'a> {
    let find = |n: &str| snap.ingress_classes.iter().find(|c| c.name() == n);
    if let Some(n) = ing
        .spec
        .as_ref()
        .and_then(|s| s.ingress_class_name.as_deref())
        .filter(|n| !n.is_empty())
    {
        let class = find(n);
        return ClassOf {
            name: Some(n.to_string()),
            source: ClassSource::Spec,
            class,
            implicit: class
                .is_none()
                .then(|| implicit_controller(snap, ing, Some(n)))
                .flatten(),
        };
    }
    if let Some(n) = ing
        .annotation(LEGACY_CLASS_ANNOTATION)
        .filter(|n| !n.is_empty())
    {
        let class = find(n);
        return ClassOf {
            name: Some(n.to_string()),
            source: ClassSource::Annotation,
            class,
            implicit: class
                .is_none()
                .then(|| implicit_controller(snap, ing, Some(n)))
                .flatten(),
        };
    }
    let defaults = default_classes(snap);
    // With several default classes the API server refuses to default; the
    // newest one is what admission would have picked when only one existed.
    match defaults.as_slice() {
        [one] => ClassOf {
            name: Some(one.name().to_string()),
            source: ClassSource::Default,
            class: Some(one),
            implicit: None,
        },
        // Several defaults: the API server refuses to pick; none: GKE's
        // controller may serve it.
        [] => ClassOf {
            name: None,
            source: ClassSource::None,
            class: None,
            implicit: implicit_controller(snap, ing, None),
        },
        _ => ClassOf {
            name: None,
            source: ClassSource::None,
            class: None,
            implicit: None,
        },
    }
}

/// A controller that serves a class.
#[derive(Debug, Clone, Default)]
pub struct Controller<'a> {
    /// `spec.controller` of the class.
    pub controller: String,
    /// A human name: "ingress-nginx", "Traefik", …; "ingress controller"
    /// for a controller kreach does not know (see [`Controller::known`]).
    pub product: &'static str,
    /// The controller is one kreach knows, so that [`Controller::product`]
    /// is a product's name (reports word unknown ones themselves).
    pub known: bool,
    /// The Deployment / DaemonSet running it (or the pod's owner).
    pub workload: Option<ObjectRef>,
    /// The pods that carry the traffic.
    pub pods: Vec<&'a Pod>,
    /// Services that expose those pods (LoadBalancer / NodePort first).
    pub services: Vec<&'a Service>,
    /// The controller runs outside the cluster (GKE's ingress-gce): no pods
    /// to look at, and none missing.
    pub external: bool,
    /// Command-line arguments of the controller container.
    pub args: Vec<String>,
    /// Replicas the workload wants (None when unknown).
    pub desired: Option<i32>,
    /// Requests pass through the controller's pods (false for cloud
    /// load-balancer controllers, whose load balancer reaches the pods).
    pub proxies: bool,
}

impl Controller<'_> {
    /// The product's name when kreach knows the controller (None: an
    /// unknown controller, which the reports name generically).
    pub fn known_product(&self) -> Option<String> {
        self.known.then(|| self.product.to_string())
    }
}

struct Known {
    controller: &'static str,
    product: &'static str,
    /// Substrings of the data-plane container image.
    images: &'static [&'static str],
    /// Values of the pod template's `app.kubernetes.io/name` (or `app`,
    /// `k8s-app`) label that the product's charts and manifests set: how a
    /// controller run from a mirrored or custom image is still recognised.
    labels: &'static [&'static str],
    external: bool,
    /// Whether requests pass through the controller's pods. The cloud
    /// load-balancer controllers (AWS ALB, GKE, Azure Application Gateway)
    /// only configure a load balancer that sends traffic to the pods itself.
    proxies: bool,
}

/// The controllers we know by their `spec.controller` value. Distributions
/// rename classes (microk8s' `public`) but keep the controller value.
const KNOWN: &[Known] = &[
    Known {
        controller: "k8s.io/ingress-nginx",
        product: "ingress-nginx",
        images: &[
            "ingress-nginx/controller",
            "nginx-ingress-controller",
            "ingress-nginx",
        ],
        labels: &["ingress-nginx"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "nginx.org/ingress-controller",
        product: "NGINX Ingress Controller (F5 NGINX)",
        images: &["nginx/nginx-ingress", "nginx-plus-ingress", "nginx-ic"],
        labels: &["nginx-ingress"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "traefik.io/ingress-controller",
        product: "Traefik",
        images: &["traefik"],
        labels: &["traefik"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "haproxy.org/ingress-controller/haproxy",
        product: "HAProxy Kubernetes Ingress",
        images: &["haproxytech/kubernetes-ingress", "kubernetes-ingress"],
        labels: &["kubernetes-ingress"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "haproxy-ingress.github.io/controller",
        product: "HAProxy Ingress",
        images: &["haproxy-ingress"],
        labels: &["haproxy-ingress"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "projectcontour.io/ingress-controller",
        product: "Contour (Envoy)",
        images: &["envoyproxy/envoy", "/envoy:", "contour"],
        labels: &["envoy"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "ingress-controllers.konghq.com/kong",
        product: "Kong",
        images: &["kong"],
        labels: &["kong"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "istio.io/ingress-controller",
        product: "Istio ingress gateway",
        images: &["istio/proxyv2", "proxyv2"],
        labels: &["istio-ingressgateway"],
        external: false,
        proxies: true,
    },
    Known {
        controller: "ingress.k8s.aws/alb",
        product: "AWS Load Balancer Controller",
        images: &["aws-load-balancer-controller"],
        labels: &["aws-load-balancer-controller"],
        external: false,
        proxies: false,
    },
    Known {
        controller: "k8s.io/ingress-gce",
        product: "GKE Ingress (ingress-gce)",
        images: &[],
        labels: &[],
        external: true,
        proxies: false,
    },
    Known {
        controller: "azure/application-gateway",
        product: "Application Gateway Ingress Controller",
        images: &["application-gateway-kubernetes-ingress", "agic"],
        labels: &["ingress-azure", "ingress-appgw"],
        external: false,
        proxies: false,
    },
    Known {
        controller: "k8s.io/ingress-azure",
        product: "Application Gateway Ingress Controller",
        images: &["application-gateway-kubernetes-ingress", "agic"],
        labels: &["ingress-azure", "ingress-appgw"],
        external: false,
        proxies: false,
    },
    Known {
        controller: "citrix.com/ingress-controller",
        product: "Citrix ingress controller",
        images: &["citrix-k8s-ingress-controller"],
        labels: &["citrix-ingress-controller"],
        external: false,
        proxies: true,
    },
];

fn container_args(c: &Container) -> Vec<String> {
    c.command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect()
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let prefix = format!("{flag}=");
    args.iter().find_map(|a| {
        a.strip_prefix(&prefix)
            .or_else(|| a.strip_prefix(&prefix[1..]))
    })
}

/// Whether a container is the controller for `controller` / `class`.
/// How well a container matches the controller: `Some(0)` when its
/// `--controller-class` names it, `Some(1 + i)` when its image is the known
/// controller's `i`-th image (data plane first), `Some(100)` for a flag
/// naming the class or controller; None when it is not the controller.
fn container_rank(
    c: &Container,
    known: Option<&Known>,
    controller: &str,
    class: Option<&str>,
) -> Option<usize> {
    let args = container_args(c);
    if let Some(cc) = flag_value(&args, "--controller-class") {
        return (cc == controller).then_some(0);
    }
    let image = c.image.as_deref().unwrap_or("");
    if let Some(k) = known
        && let Some(i) = k.images.iter().position(|i| image.contains(i))
    {
        // ingress-nginx without --controller-class serves k8s.io/ingress-nginx;
        // an --ingress-class flag narrows it to one class name.
        let ok = match (flag_value(&args, "--ingress-class"), class) {
            (Some(ic), Some(cl)) => ic == cl || k.controller != "k8s.io/ingress-nginx",
            _ => true,
        };
        return ok.then_some(1 + i);
    }
    // Unknown controllers: a flag naming the class or controller.
    (args.iter().any(|a| a.contains(controller))
        || class.is_some_and(|cl| flag_value(&args, "--ingress-class") == Some(cl)))
    .then_some(100)
}

fn template_rank(
    t: &PodTemplateSpec,
    known: Option<&Known>,
    controller: &str,
    class: Option<&str>,
) -> Option<usize> {
    let labels = t.metadata.as_ref().and_then(|m| m.labels.as_ref());
    t.spec
        .as_ref()?
        .containers
        .iter()
        .filter_map(|c| container_rank(c, known, controller, class))
        .min()
        .or_else(|| labels_rank(labels, known))
}

/// Parts of a controller's chart that carry its name label but serve no
/// traffic.
const NOT_THE_DATA_PLANE: &[&str] = &[
    "default-backend",
    "admission-webhook",
    "webhook",
    "certgen",
    "metrics",
];

/// `Some(50)` when the labels are the known product's name label (a
/// mirrored or rebuilt image: ranked after every image match).
fn labels_rank(
    labels: Option<&std::collections::BTreeMap<String, String>>,
    known: Option<&Known>,
) -> Option<usize> {
    let (labels, known) = (labels?, known?);
    let named = ["app.kubernetes.io/name", "app", "k8s-app"]
        .iter()
        .filter_map(|k| labels.get(*k))
        .any(|v| known.labels.contains(&v.as_str()));
    let component = labels
        .get("app.kubernetes.io/component")
        .map(String::as_str)
        .unwrap_or("");
    (named && !NOT_THE_DATA_PLANE.contains(&component)).then_some(50)
}

/// Finds the controller serving `controller` (an IngressClass's
/// `spec.controller`) for class `class`.
pub fn find_controller<'a>(
    snap: &'a Snapshot,
    controller: &str,
    class: Option<&str>,
) -> Controller<'a> {
    let known = KNOWN.iter().find(|k| k.controller == controller);
    let mut out = Controller {
        controller: controller.to_string(),
        product: known.map_or("ingress controller", |k| k.product),
        known: known.is_some(),
        external: known.is_some_and(|k| k.external),
        proxies: known.is_none_or(|k| k.proxies),
        ..Default::default()
    };
    if out.external {
        return out;
    }
    // Workloads first: a controller scaled to zero has no pods but still has
    // its Deployment. The best-ranked one wins (the data plane: Contour's
    // Envoy, not its control plane).
    let args_of = |t: &PodTemplateSpec| -> Vec<String> {
        t.spec
            .as_ref()
            .map(|p| p.containers.iter().flat_map(container_args).collect())
            .unwrap_or_default()
    };
    let mut workloads: Vec<(usize, ObjectRef, Option<i32>, Vec<String>)> = Vec::new();
    for d in &snap.deployments {
        if let Some(rank) = template_rank(&d.spec.template, known, controller, class) {
            workloads.push((
                rank,
                ObjectRef::namespaced(crate::Kind::Deployment, d.ns(), d.name()),
                Some(d.spec.replicas.unwrap_or(1)),
                args_of(&d.spec.template),
            ));
        }
    }
    for d in &snap.daemon_sets {
        if let Some(rank) = template_rank(&d.spec.template, known, controller, class) {
            let desired = d.status.as_ref().map(|st| st.desired_number_scheduled);
            workloads.push((
                rank,
                ObjectRef::namespaced(crate::Kind::DaemonSet, d.ns(), d.name()),
                desired,
                args_of(&d.spec.template),
            ));
        }
    }
    for d in &snap.stateful_sets {
        if let Some(rank) = template_rank(&d.spec.template, known, controller, class) {
            workloads.push((
                rank,
                ObjectRef::namespaced(crate::Kind::StatefulSet, d.ns(), d.name()),
                Some(d.spec.replicas.unwrap_or(1)),
                args_of(&d.spec.template),
            ));
        }
    }
    workloads.sort_by_key(|w| w.0);
    let workloads: Vec<(ObjectRef, Option<i32>, Vec<String>)> = workloads
        .into_iter()
        .map(|(_, w, d, a)| (w, d, a))
        .collect();
    if let Some((w, desired, args)) = workloads.into_iter().next() {
        out.pods = pods_of(snap, &w);
        out.workload = Some(w);
        out.desired = desired;
        out.args = args;
    } else {
        out.pods = snap
            .pods
            .iter()
            .filter(|p| {
                p.spec.as_ref().is_some_and(|s| {
                    s.containers
                        .iter()
                        .any(|c| container_rank(c, known, controller, class).is_some())
                }) || labels_rank(p.metadata.labels.as_ref(), known).is_some()
            })
            .collect();
        if let Some(p) = out.pods.first() {
            out.workload = Some(owner_of(snap, p));
            out.args = p
                .spec
                .as_ref()
                .map(|s| s.containers.iter().flat_map(container_args).collect())
                .unwrap_or_default();
        }
    }
    out.services = controller_services(snap, &out);
    out
}

/// The controller serving an Ingress: the one its class names (see
/// [`find_controller`]), else, when that finds no workload, the one its
/// address leads to: the pods behind the Service whose load-balancer status
/// holds the address, or the `hostNetwork` pods listening on 80 or 443 of
/// the node that holds it. What a controller is counts, not only what its
/// image is called. None when the class names no controller.
pub fn controller_of<'a>(snap: &'a Snapshot, ing: &Ingress) -> Option<Controller<'a>> {
    let class = class_of(snap, ing);
    let mut c = find_controller(snap, class.controller()?, class.name.as_deref());
    if c.external || c.workload.is_some() {
        return Some(c);
    }
    for a in ingress_addresses(ing) {
        let pods: Vec<&Pod> = match service_by_lb_address(snap, &a) {
            Some(svc) => crate::workload::selected_pods(snap, svc),
            None => hostnetwork_listeners(snap, &a),
        };
        if let Some(&first) = pods.first() {
            let w = owner_of(snap, first);
            let of_w = pods_of(snap, &w);
            c.pods = if of_w.is_empty() { pods } else { of_w };
            c.args = first
                .spec
                .as_ref()
                .map(|s| s.containers.iter().flat_map(container_args).collect())
                .unwrap_or_default();
            c.desired = match w.kind.api() {
                Some(crate::Kind::Deployment) => snap
                    .deployments
                    .iter()
                    .find(|d| d.ns() == w.ns() && d.name() == w.name)
                    .map(|d| d.spec.replicas.unwrap_or(1)),
                _ => None,
            };
            c.workload = Some(w);
            c.services = controller_services(snap, &c);
            return Some(c);
        }
    }
    Some(c)
}

/// `hostNetwork` pods on the node that holds `address` (any of its
/// addresses) whose containers listen on 80 or 443: an ingress controller
/// run as a host-network DaemonSet, whose address is its node's.
fn hostnetwork_listeners<'a>(snap: &'a Snapshot, address: &str) -> Vec<&'a Pod> {
    let Some(node) = crate::netinfo::node_holding(snap, address) else {
        return vec![];
    };
    snap.pods
        .iter()
        .filter(|p| {
            crate::workload::host_network(p)
                && crate::workload::node_name(p) == Some(node.name())
                && p.spec.iter().flat_map(|s| s.containers.iter()).any(|c| {
                    c.ports.iter().flatten().any(|cp| {
                        [80, 443].contains(&cp.container_port)
                            || cp.host_port.is_some_and(|h| [80, 443].contains(&h))
                    })
                })
        })
        .collect()
}

/// Services in the controller's namespace that select its pods (or its
/// template's labels, when it has no pods), externally reachable ones first.
fn controller_services<'a>(snap: &'a Snapshot, c: &Controller<'a>) -> Vec<&'a Service> {
    let Some(w) = &c.workload else { return vec![] };
    let template_labels = match w.kind.api() {
        Some(crate::Kind::Deployment) => snap
            .deployments
            .iter()
            .find(|d| d.ns() == w.ns() && d.name() == w.name)
            .and_then(|d| d.spec.template.metadata.as_ref())
            .and_then(|m| m.labels.clone()),
        Some(crate::Kind::DaemonSet) => snap
            .daemon_sets
            .iter()
            .find(|d| d.ns() == w.ns() && d.name() == w.name)
            .and_then(|d| d.spec.template.metadata.as_ref())
            .and_then(|m| m.labels.clone()),
        _ => None,
    };
    let mut v: Vec<&Service> = snap
        .services
        .iter()
        .filter(|s| s.ns() == w.ns())
        .filter(|s| {
            let Some(sel) = s.spec.as_ref().and_then(|sp| sp.selector.as_ref()) else {
                return false;
            };
            c.pods.iter().any(|p| map_selects(sel, p.labels()))
                || template_labels
                    .as_ref()
                    .is_some_and(|l| map_selects(sel, l))
        })
        .collect();
    let rank = |s: &Service| match crate::object::ServiceExt::service_type(s) {
        crate::object::ServiceType::LoadBalancer => 0,
        crate::object::ServiceType::NodePort => 1,
        _ => 2,
    };
    v.sort_by_key(|s| {
        (
            rank(s),
            s.name().contains("admission")
                || s.name().contains("webhook")
                || s.name().contains("metrics"),
        )
    });
    v
}

/// Whether the controller's flags exclude the Ingress's namespace
/// (`--watch-namespace`, `--watch-namespace-selector` of ingress-nginx and
/// NGINX Inc.). Returns the flag that excludes it.
pub fn watch_excludes(snap: &Snapshot, c: &Controller<'_>, namespace: &str) -> Option<String> {
    if let Some(ns) = flag_value(&c.args, "--watch-namespace").filter(|v| !v.is_empty()) {
        let list: Vec<&str> = ns.split(',').map(str::trim).collect();
        if !list.contains(&namespace) && !ns.contains("$(") {
            return Some(format!("--watch-namespace={ns}"));
        }
    }
    if let Some(sel) = flag_value(&c.args, "--watch-namespace-selector").filter(|v| !v.is_empty()) {
        let labels = snap.namespace_labels(namespace);
        let ok = sel.split(',').all(|term| {
            let term = term.trim();
            if let Some((k, v)) = term.split_once("!=") {
                labels.get(k.trim()).map(String::as_str) != Some(v.trim())
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                labels.get(k.trim()).map(String::as_str) == Some(v.trim())
            } else if let Some(k) = term.strip_prefix('!') {
                !labels.contains_key(k.trim())
            } else {
                labels.contains_key(term)
            }
        });
        if !ok {
            return Some(format!("--watch-namespace-selector={sel}"));
        }
    }
    None
}

/// The Service whose load-balancer status holds one of the Ingress's
/// addresses: how the controller is found when its class tells nothing.
pub fn service_by_lb_address<'a>(snap: &'a Snapshot, address: &str) -> Option<&'a Service> {
    snap.services.iter().find(|s| {
        s.status
            .as_ref()
            .and_then(|st| st.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .is_some_and(|ing| {
                ing.iter().any(|i| {
                    i.ip.as_deref() == Some(address) || i.hostname.as_deref() == Some(address)
                })
            })
    })
}

/// The addresses an Ingress reports in its status.
pub fn ingress_addresses(ing: &Ingress) -> Vec<String> {
    ing.status
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixtures_dir, load_fixture};

    fn fixture(rel: &str) -> Snapshot {
        load_fixture(&fixtures_dir().join("checks").join(rel)).snapshot
    }

    fn frontend(snap: &Snapshot) -> &Ingress {
        snap.ingresses
            .iter()
            .find(|i| i.name() == "frontend")
            .expect("the storefront Ingress")
    }

    /// ingress-gce serves `gce` (and classless Ingresses) without an
    /// IngressClass where the cluster shows it: its own annotations, or
    /// GKE's nodes. Off GKE, with neither, nothing serves the class.
    #[test]
    fn classes_served_without_an_ingress_class_need_evidence() {
        let off = fixture("ingress-class-not-found/fires-gce-off-gke.yaml");
        assert_eq!(class_of(&off, frontend(&off)).controller(), None);
        let served = fixture("ingress-class-not-found/silent-gce-served-without-class.yaml");
        let c = class_of(&served, frontend(&served));
        assert_eq!(c.controller(), Some("k8s.io/ingress-gce"));
        assert!(find_controller(&served, "k8s.io/ingress-gce", c.name.as_deref()).external);
        // The same off-GKE Ingress, on GKE nodes.
        let mut gke = off.clone();
        for n in &mut gke.nodes {
            n.spec.get_or_insert_default().provider_id =
                Some(format!("gce://shop-prod/europe-west1-b/{}", n.name()));
        }
        assert_eq!(
            class_of(&gke, frontend(&gke)).controller(),
            Some("k8s.io/ingress-gce")
        );
        // A class GKE does not serve stays unserved there.
        let mut other = gke.clone();
        for i in &mut other.ingresses {
            i.metadata
                .annotations
                .get_or_insert_default()
                .insert(LEGACY_CLASS_ANNOTATION.into(), "nginx".into());
        }
        assert_eq!(class_of(&other, frontend(&other)).controller(), None);
        // alb: by the ALB's address.
        let alb = fixture("ingress-class-not-found/silent-alb-annotation.yaml");
        assert_eq!(
            class_of(&alb, frontend(&alb)).controller(),
            Some("ingress.k8s.aws/alb")
        );
    }
}
