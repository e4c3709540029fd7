//! The service checks' words (en).
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kreach_core::checks;
use kreach_core::labels::LabelDiff;
use kreach_core::message::service::{Evidence, ListedPort, PodReadiness};

use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    use Evidence as E;
    match e {
        E::ExternalName { external_name } => format!("externalName: {external_name}"),
        E::CheckServiceBehindName => "then check the service behind it".into(),
        E::EndpointsWrittenByHand => {
            "a Service without selector only gets the endpoints someone writes for it".into()
        }
        E::StaleInPodNetwork { pod_cidrs } => format!(
            "pod network {}; no current pod has these addresses",
            pod_cidrs.join(", ")
        ),
        E::SelectedPods { pods } => {
            let states: Vec<String> = pods.iter().map(pod_readiness).collect();
            list(&states, 5)
        }
        E::EndpointSliceCounts {
            endpoints,
            ready,
            serving,
            terminating,
        } => format!(
            "EndpointSlices: {endpoints} endpoints, {ready} ready, {serving} serving, {terminating} terminating"
        ),
        E::EndpointsCounts { ready, not_ready } => {
            format!("Endpoints: {ready} ready addresses, {not_ready} not ready")
        }
        E::ServicePorts { ports } => format!(
            "the Service's ports: {}",
            if ports.is_empty() {
                "none".into()
            } else {
                ports.iter().map(listed_port).collect::<Vec<_>>().join(", ")
            }
        ),
        E::UsePortOrAddIt {
            use_port,
            address,
            requested_port,
            command,
        } => format!(
            "use port {use_port} (e.g. {address}:{use_port}), or add port {requested_port}: {command}"
        ),
        E::PodDeclaresPort { pod, port } => format!("{pod}: {}", declared_port(port)),
        E::PodDeclaresPorts { pod, ports } => format!("{pod} declares {}", declared_ports(ports)),
        E::DeclaredOnlyUnder {
            pods,
            selected,
            protocol,
        } => format!("{pods} of {selected} selected pods declare it only under {protocol}"),
        E::NamedTargetPortNeedsProtocol => {
            "a named targetPort resolves by name and protocol: the endpoints get no port".into()
        }
        E::NumericTargetPortAsIs => {
            "the numeric targetPort is used as is; the app may still listen on both protocols"
                .into()
        }
        E::DefaultProtocol { protocol } => {
            format!("the Service port has no protocol set, so it is {protocol}")
        }
        E::NamedTargetPortPerPod => {
            "a named targetPort resolves per pod; pods without it are left out of the endpoints"
                .into()
        }
        E::InferredFromDeclaredPorts => "inferred from the containers' declared ports (informational in Kubernetes): confirm with --cluster-probe".into(),
        E::PodsWithoutTargetPort { pods } => format!("pods without it: {}", list(pods, 4)),
        E::PodsDiffer { pods, diff } => {
            let n = pods.len();
            format!(
                "{n} pod{} ({}) differ{}: {}",
                s(n),
                list(pods, 3),
                if n == 1 { "s" } else { "" },
                label_diff(diff)
            )
        }
        E::NamespaceHasNoPods { namespace } => format!("namespace {namespace} has no pods at all"),
        E::NoPodCarriesSelectorLabels { namespace, pods } => {
            format!("none of the {pods} pods in {namespace} carries any of these labels")
        }
        E::DeploymentMatches {
            namespace,
            name,
            replicas,
        } => format!(
            "Deployment {namespace}/{name} has matching pod labels and wants {replicas} replicas"
        ),
        E::SelectsOwnNamespaceOnly => "a Service selects pods only in its own namespace".into(),
        E::MatchingPodsIn { namespace, pods } => format!("{namespace}: {}", list(pods, 4)),
    }
}

/// `web-1 (Running, Ready=False)`, `web-2 (Terminating)`.
fn pod_readiness(p: &PodReadiness) -> String {
    let state = if p.terminating {
        "Terminating".to_string()
    } else {
        format!(
            "{}, Ready={}",
            p.phase,
            p.ready.as_deref().unwrap_or("unknown")
        )
    };
    format!("{} ({state})", p.name)
}

/// `80/TCP "web" (nodePort 31080)`.
fn listed_port(p: &ListedPort) -> String {
    let name = p
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let np = p
        .node_port
        .map(|n| format!(" (nodePort {n})"))
        .unwrap_or_default();
    format!("{}/{}{name}{np}", p.port, p.protocol)
}

/// `tier=frontend (pod has tier=front-end), env=prod (pod has no env)`.
fn label_diff(d: &LabelDiff) -> String {
    let mut parts: Vec<String> = d
        .differing
        .iter()
        .map(|l| format!("{k}={} (pod has {k}={})", l.wanted, l.actual, k = l.key))
        .collect();
    parts.extend(
        d.missing
            .iter()
            .map(|l| format!("{k}={} (pod has no {k})", l.wanted, k = l.key)),
    );
    parts.join(", ")
}

/// A `targetPort` as the spec writes it: `8080` or `http`.
fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `app=web,tier=frontend`.
fn selector(sel: &std::collections::BTreeMap<String, String>) -> String {
    sel.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn service_external_name(p: &checks::service::service_external_name::Problem) -> String {
    use checks::service::service_external_name::Problem as P;
    match p {
        P::ExternalName { external_name } => format!(
            "service is an ExternalName alias for {external_name}: nothing in the cluster serves it"
        ),
    }
}

pub fn service_no_endpoints(p: &checks::service::service_no_endpoints::Problem) -> String {
    use checks::service::service_no_endpoints::Problem as P;
    match p {
        P::NoEndpointObjects => {
            "service has no selector and no Endpoints and no EndpointSlices".into()
        }
        P::NoAddresses => {
            "service has no selector and Endpoints / EndpointSlices with no addresses".into()
        }
        P::StaleAddresses { addresses } => format!(
            "every endpoint of this selector-less service is a pod IP that no pod holds: {}",
            addresses.join(", ")
        ),
        P::NotReadyAddresses { addresses } => format!(
            "every endpoint of this selector-less service is marked not ready: {}",
            addresses.join(", ")
        ),
    }
}

pub fn service_no_ready_endpoints(
    p: &checks::service::service_no_ready_endpoints::Problem,
) -> String {
    use checks::service::service_no_ready_endpoints::Problem as P;
    match p {
        P::NoneReady { selected } => format!("0 of {selected} selected pods are ready"),
    }
}

pub fn service_port_not_found(p: &checks::service::service_port_not_found::Problem) -> String {
    use checks::service::service_port_not_found::Problem as P;
    match p {
        P::NoSuchPort {
            address,
            service,
            port,
        } => format!("{address} belongs to {service}, which has no port {port}"),
    }
}

pub fn service_protocol_mismatch(
    p: &checks::service::service_protocol_mismatch::Problem,
) -> String {
    use checks::service::service_protocol_mismatch::Problem as P;
    match p {
        P::ProtocolMismatch {
            port,
            protocol,
            target_port,
            declared_protocol,
        } => format!(
            "port {port}/{protocol} targets {}, which the containers declare only as {declared_protocol}",
            int_or_string(target_port)
        ),
    }
}

pub fn service_selector_matches_no_pod(
    p: &checks::service::service_selector_matches_no_pod::Problem,
) -> String {
    use checks::service::service_selector_matches_no_pod::Problem as P;
    match p {
        P::MatchesNoPod {
            selector: sel,
            namespace,
        } => format!("selector {} matches no pod in {namespace}", selector(sel)),
    }
}

pub fn service_selector_matches_other_namespace(
    p: &checks::service::service_selector_matches_other_namespace::Problem,
) -> String {
    use checks::service::service_selector_matches_other_namespace::Problem as P;
    match p {
        P::MatchesOnlyElsewhere {
            selector: sel,
            namespace,
            matching_namespaces,
        } => format!(
            "selector {} matches no pod in {namespace} but matches pods in {}",
            selector(sel),
            matching_namespaces.join(", ")
        ),
    }
}

pub fn service_target_port_mismatch(
    p: &checks::service::service_target_port_mismatch::Problem,
) -> String {
    use checks::service::service_target_port_mismatch::Problem as P;
    match p {
        P::NamedPortMissing {
            target_port,
            port,
            protocol,
            lacking,
            selected,
        } => format!(
            "targetPort \"{target_port}\" of port {port}/{protocol} is not a port name in {lacking} of {selected} selected pods"
        ),
        P::NumberNotDeclared {
            target_port,
            port,
            protocol,
            lacking,
            declaring,
        } => format!(
            "targetPort {target_port} of port {port}/{protocol} is not declared by {lacking} of {declaring} selected pods, which declare other ports"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pods_differ_agrees_in_number_and_shortens_the_list() {
        let diff = LabelDiff::of(
            &labels(&[("app", "web"), ("tier", "frontend"), ("env", "prod")]),
            &labels(&[("app", "web"), ("tier", "front-end")]),
        );
        let pods = |n: usize| (1..=n).map(|i| format!("web-{i}")).collect::<Vec<_>>();
        assert_eq!(
            evidence(&Evidence::PodsDiffer {
                pods: pods(1),
                diff: diff.clone(),
            }),
            "1 pod (web-1) differs: tier=frontend (pod has tier=front-end), env=prod (pod has no env)"
        );
        assert_eq!(
            evidence(&Evidence::PodsDiffer {
                pods: pods(5),
                diff,
            }),
            "5 pods (web-1, web-2, web-3 and 2 more) differ: tier=frontend (pod has tier=front-end), env=prod (pod has no env)"
        );
    }
}
