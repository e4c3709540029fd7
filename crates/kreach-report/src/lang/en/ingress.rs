//! The ingress checks' words (en).
use kreach_core::checks;
use kreach_core::ingress::{HostMiss, MissReason, PathMiss};
use kreach_core::message::ingress::{BackendPort, Evidence, IngressClassInfo, ServicePortMap};

use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    use Evidence as E;
    match e {
        E::ServicePorts { ports } => format!(
            "Service ports: {}",
            if ports.is_empty() {
                "none".into()
            } else {
                ports.iter().map(service_port).collect::<Vec<_>>().join(", ")
            }
        ),
        E::TargetPortNotServicePort {
            target_port,
            service_port,
        } => format!(
            "{target_port} is the Service's targetPort; the Ingress must name the Service port {service_port}"
        ),
        E::UsedByRule { rule, host, path } => format!(
            "used by rule {rule}: {} path {}",
            host.as_deref().unwrap_or("*"),
            path.as_deref().unwrap_or("/")
        ),
        E::UsedByDefaultBackend => "used by the default backend".into(),
        E::SimilarServices {
            namespace,
            services,
        } => format!("similar Services in {namespace}: {}", services.join(", ")),
        E::ServiceInOtherNamespaces {
            service,
            namespaces,
            namespace,
        } => format!(
            "a Service {service} exists in {}, but an Ingress backend must be in the Ingress's namespace ({namespace})",
            namespaces.join(", ")
        ),
        E::NoIngressClasses => "the cluster has no IngressClass".into(),
        E::IngressClasses { classes } => format!(
            "IngressClasses: {}",
            classes
                .iter()
                .map(ingress_class)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::ClassController { class, controller } => format!(
            "class {} → controller {controller}",
            class.as_deref().unwrap_or("?")
        ),
        E::ControllerPod { pod, state } => {
            let waiting: Vec<&str> = state
                .containers
                .iter()
                .filter_map(|c| c.waiting.as_deref())
                .collect();
            format!(
                "pod {pod}: {}, {}{}",
                state.phase,
                if state.ready { "ready" } else { "not ready" },
                if waiting.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", waiting.join(", "))
                }
            )
        }
        E::ClassWithoutIngressClass { class } => {
            format!("class {class} has no IngressClass, so no controller claims it")
        }
        E::NoClassNoDefault => "the Ingress has no class and there is no default class".into(),
        E::ServedBy {
            class,
            workload,
            product,
            controller,
            external,
            ready_pods,
            pods,
        } => format!(
            "class {} is served by {} ({controller}){}",
            class.as_deref().unwrap_or("?"),
            workload
                .as_ref()
                .map(|w| w.to_string())
                .unwrap_or_else(|| product.clone().unwrap_or_else(|| "ingress controller".into())),
            if *external {
                ", which runs outside the cluster".to_string()
            } else {
                format!(", {ready_pods} of {pods} pods ready")
            }
        ),
        E::WatchExcludes {
            flag,
            namespace,
            labels,
        } => format!(
            "the controller runs with {flag}, which does not include namespace {namespace} (labels: {})",
            labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::SameClassWithAddress { ingresses } => format!(
            "Ingresses of the same class with an address: {}",
            list(ingresses, 4)
        ),
        E::MayServeWithoutAddress => "a ready controller claims the class: it may serve the Ingress without publishing an address (check its --publish-service / --report-status flags)".into(),
        E::ClosestRule { reason } => format!("closest rule: {}", miss_reason(reason)),
        E::DefaultBackendAnswers => {
            "requests that match no rule go to the controller's default backend (usually 404)"
                .into()
        }
        E::HostTheRuleServes => "the host the rule serves".into(),
        E::CertificateValidity {
            not_before,
            not_after,
        } => format!("notBefore {not_before}, notAfter {not_after}"),
        E::CertificateSubject { subject, issuer } => {
            format!("subject {subject}, issuer {issuer}")
        }
        E::UsedByIngressTls {
            namespace,
            ingress,
            tls_index,
        } => format!("used by Ingress {namespace}/{ingress} tls[{tls_index}]"),
        E::CertificateNames { sans, common_name } => format!(
            "certificate names: {}",
            if sans.is_empty() {
                format!("CN {}", common_name.as_deref().unwrap_or("-"))
            } else {
                sans.join(", ")
            }
        ),
        E::WildcardOneLabel { wildcard, host } => {
            format!("{wildcard} covers exactly one label: it does not cover {host}")
        }
        E::TlsHosts { hosts } => format!(
            "tls hosts: {}",
            if hosts.is_empty() {
                "none".into()
            } else {
                hosts.join(", ")
            }
        ),
        E::DefaultCertificate {
            secret,
            host,
            covers,
        } => format!(
            "the controller's --default-ssl-certificate={secret} {} {host}",
            if *covers { "covers" } else { "does not cover" }
        ),
        E::NoDefaultCertificate => {
            "the controller has no --default-ssl-certificate: it serves a self-signed one".into()
        }
        E::AddTlsBlock { host } => format!(
            "add a tls block: hosts [{host}], secretName <a kubernetes.io/tls Secret>"
        ),
        E::TlsBlockSecret {
            index,
            hosts,
            secret,
        } => format!(
            "tls[{index}] hosts {} → secretName {secret}",
            if hosts.is_empty() {
                "*".to_string()
            } else {
                hosts.join(", ")
            }
        ),
        E::DefaultCertificateServed => {
            "without it the controller serves its default self-signed certificate".into()
        }
        E::SecretInOtherNamespaces {
            secret,
            namespaces,
            namespace,
        } => format!(
            "a Secret {secret} exists in namespace {}, but an Ingress only reads Secrets from its own namespace ({namespace})",
            namespaces.join(", ")
        ),
    }
}

/// `80 "http" → 8080`.
fn service_port(p: &ServicePortMap) -> String {
    format!(
        "{}{} → {}",
        p.port,
        p.name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default(),
        p.target_port
    )
}

/// `nginx (k8s.io/ingress-nginx, default)`.
fn ingress_class(c: &IngressClassInfo) -> String {
    format!(
        "{} ({}{})",
        c.name,
        c.controller.as_deref().unwrap_or("?"),
        if c.default { ", default" } else { "" }
    )
}

/// A controller product, or a generic name for one kreach does not know.
fn product_name(p: Option<&str>) -> &str {
    p.unwrap_or("ingress")
}

/// Why the closest rule misses: its host, its path, or both.
pub fn miss_reason(r: &MissReason) -> String {
    match (&r.host, &r.path) {
        (Some(h), Some(p)) => format!("{}; and {}", host_miss(h), path_miss(p)),
        (Some(h), None) => host_miss(h),
        (None, Some(p)) => path_miss(p),
        (None, None) => "the rule does not match".into(),
    }
}

fn host_miss(h: &HostMiss) -> String {
    match h {
        HostMiss::WildcardNeedsOneLabel {
            host,
            rule_host,
            suffix,
        } => format!(
            "host {host} is not covered by {rule_host}: a wildcard needs exactly one more label (e.g. www.{suffix})"
        ),
        HostMiss::WildcardOneLabelOnly { host, rule_host } => format!(
            "host {host} is not covered by {rule_host}: a wildcard covers exactly one label, not several"
        ),
        HostMiss::Typo {
            host,
            rule_host,
            distance,
        } => format!(
            "host {host} differs from the rule's host {rule_host} (a typo? {distance} character(s) apart)"
        ),
        HostMiss::Other { host, rule_host } => {
            format!("host {host} is not the rule's host {rule_host}")
        }
    }
}

/// `Prefix`, or `ImplementationSpecific (read as Prefix)`.
fn prefix_type(path_type: &str) -> String {
    if path_type == "Prefix" {
        "Prefix".to_string()
    } else {
        format!("{path_type} (read as Prefix)")
    }
}

fn path_miss(p: &PathMiss) -> String {
    match p {
        PathMiss::ExactTrailingSlash { path, rule_path } => format!(
            "path {path} does not equal the Exact path {rule_path}: Exact paths must match byte for byte, trailing slash included"
        ),
        PathMiss::ExactCase { path, rule_path } => format!(
            "path {path} differs from the Exact path {rule_path} in case: paths are case-sensitive"
        ),
        PathMiss::ExactOther { path, rule_path } => {
            format!("path {path} does not equal the Exact path {rule_path}")
        }
        PathMiss::PrefixStringOnly {
            path,
            rule_path,
            path_type,
        } => {
            let rp = rule_path.trim_end_matches('/');
            format!(
                "path {path} starts with {rule_path} only as a string: {} paths match whole path elements, so {rule_path} matches {rp} and {rp}/… but not {path}",
                prefix_type(path_type)
            )
        }
        PathMiss::PrefixCase {
            path,
            rule_path,
            path_type,
        } => format!(
            "path {path} differs from the {} path {rule_path} in case: paths are case-sensitive",
            prefix_type(path_type)
        ),
        PathMiss::PrefixOther {
            path,
            rule_path,
            path_type,
        } => format!(
            "path {path} is not under the {} path {rule_path}",
            prefix_type(path_type)
        ),
        PathMiss::NoHttpPaths => "the rule has no http paths".into(),
    }
}

pub fn ingress_backend_port_not_found(
    p: &checks::entry::ingress_backend_port_not_found::Problem,
) -> String {
    use checks::entry::ingress_backend_port_not_found::Problem as P;
    match p {
        P::PortNotFound { service, port } => {
            let (shown, what) = match port {
                BackendPort::Number(n) => (n.to_string(), format!("port number {n}")),
                BackendPort::Name(s) => (s.clone(), format!("port name \"{s}\"")),
            };
            format!(
                "backend {}:{shown} uses {what}, which Service {service} does not have",
                service.name
            )
        }
    }
}

pub fn ingress_backend_service_not_found(
    p: &checks::entry::ingress_backend_service_not_found::Problem,
) -> String {
    use checks::entry::ingress_backend_service_not_found::Problem as P;
    match p {
        P::ServiceNotFound { service, namespace } => {
            format!("backend Service \"{service}\" does not exist in namespace {namespace}")
        }
    }
}

pub fn ingress_class_not_found(p: &checks::entry::ingress_class_not_found::Problem) -> String {
    use checks::entry::ingress_class_not_found::Problem as P;
    match p {
        P::ClassNameNotFound { class } => format!("ingressClassName {class} names no IngressClass"),
        P::AnnotationClassNotFound { class } => {
            format!("annotation kubernetes.io/ingress.class={class} names no IngressClass")
        }
        P::SeveralDefaults { defaults } => {
            format!("no ingressClassName and {defaults} IngressClasses are marked default")
        }
        P::NoDefault => "no ingressClassName, and no IngressClass is marked default".into(),
    }
}

pub fn ingress_controller_not_ready(
    p: &checks::entry::ingress_controller_not_ready::Problem,
) -> String {
    use checks::entry::ingress_controller_not_ready::Problem as P;
    match p {
        P::NoControllerFound {
            product,
            controller,
            class,
        } => format!(
            "no pods of the {} controller ({controller}) were found for class {}",
            product_name(product.as_deref()),
            class.as_deref().unwrap_or("?")
        ),
        P::NoPods {
            product,
            desired_replicas,
        } => format!(
            "the {} controller has no pods{}",
            product_name(product.as_deref()),
            desired_replicas
                .map(|d| format!(" (it wants {d} replicas)"))
                .unwrap_or_default()
        ),
        P::NoneReady { product, pods } => format!(
            "none of the {pods} {} controller pods is ready",
            product_name(product.as_deref())
        ),
    }
}

pub fn ingress_no_address(p: &checks::entry::ingress_no_address::Problem) -> String {
    use checks::entry::ingress_no_address::Problem as P;
    match p {
        P::NoAddress => "ingress has no address: no controller has published one for it".into(),
        P::NamespaceNotWatched { namespace, flag } => format!(
            "ingress has no address: its controller does not watch namespace {namespace} ({flag})"
        ),
    }
}

pub fn ingress_no_matching_rule(p: &checks::entry::ingress_no_matching_rule::Problem) -> String {
    use checks::entry::ingress_no_matching_rule::Problem as P;
    match p {
        P::NoRule {
            host,
            path,
            ingress,
            rule: _,
            rule_host,
            rule_path,
            path_type,
        } => format!(
            "{host}{path} matches no Ingress rule; the closest is {}{} ({}) in {ingress}",
            rule_host.as_deref().unwrap_or("*"),
            rule_path.as_deref().unwrap_or(""),
            path_type.as_deref().unwrap_or("no paths")
        ),
    }
}

pub fn ingress_tls_certificate_expired(
    p: &checks::entry::ingress_tls_certificate_expired::Problem,
) -> String {
    use checks::entry::ingress_tls_certificate_expired::Problem as P;
    match p {
        P::Expired { not_after, ago } => {
            format!("certificate expired on {not_after} ({} ago)", age(*ago))
        }
        P::NotYetValid {
            not_before,
            starts_in,
        } => format!(
            "certificate is not valid before {not_before} ({} from now)",
            age(*starts_in)
        ),
    }
}

pub fn ingress_tls_host_mismatch(p: &checks::entry::ingress_tls_host_mismatch::Problem) -> String {
    use checks::entry::ingress_tls_host_mismatch::Problem as P;
    match p {
        P::NotCovered { secret, hosts } => format!(
            "certificate in Secret {secret} does not cover {}",
            hosts.join(", ")
        ),
        P::NoTlsBlock { host } => format!(
            "no TLS block of the Ingress covers {host}: HTTPS gets the controller's default certificate"
        ),
    }
}

pub fn ingress_tls_secret_not_found(
    p: &checks::entry::ingress_tls_secret_not_found::Problem,
) -> String {
    use checks::entry::ingress_tls_secret_not_found::Problem as P;
    match p {
        P::SecretNotFound { secret, namespace } => {
            format!("TLS Secret {secret} does not exist in namespace {namespace}")
        }
        P::NotTlsType { secret, namespace } => {
            format!("TLS Secret {secret} in {namespace} is not of type kubernetes.io/tls")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miss_reasons_combine_host_and_path() {
        let r = MissReason {
            host: Some(HostMiss::Other {
                host: "a.example".into(),
                rule_host: "b.example".into(),
            }),
            path: Some(PathMiss::PrefixOther {
                path: "/x".into(),
                rule_path: "/api".into(),
                path_type: "ImplementationSpecific".into(),
            }),
        };
        assert_eq!(
            miss_reason(&r),
            "host a.example is not the rule's host b.example; and path /x is not under the ImplementationSpecific (read as Prefix) path /api"
        );
    }

    #[test]
    fn unknown_controllers_are_named_generically() {
        use checks::entry::ingress_controller_not_ready::Problem as P;
        assert_eq!(
            ingress_controller_not_ready(&P::NoPods {
                product: None,
                desired_replicas: None
            }),
            "the ingress controller has no pods"
        );
    }
}
