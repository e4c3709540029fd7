//! Every word of the reports in English: one function per check's
//! [`Problem`], one per evidence group, and the helpers they share. The
//! matches are exhaustive: a new problem or evidence variant without a
//! wording here is a compile error.

use kreach_core::diagnose::UnknownReason;
use kreach_core::message::common::{DeclaredPort, PodState, Seconds};
use kreach_core::message::{Evidence, Fix, Problem};
use kreach_core::path::HopDetail;

use super::Frame;

mod common;
mod entry;
mod ingress;
mod network;
mod pod;
mod policy;
mod service;

/// What a finding says is wrong.
pub fn problem(p: &Problem) -> String {
    use Problem as P;
    match p {
        P::CidrOverlap(p) => network::cidr_overlap(p),
        P::CloudHealthCheckMismatch(p) => network::cloud_health_check_mismatch(p),
        P::IngressAlbTargetTypeMismatch(p) => network::ingress_alb_target_type_mismatch(p),
        P::CniNotReady(p) => network::cni_not_ready(p),
        P::IngressBackendPortNotFound(p) => ingress::ingress_backend_port_not_found(p),
        P::IngressBackendServiceNotFound(p) => ingress::ingress_backend_service_not_found(p),
        P::IngressClassNotFound(p) => ingress::ingress_class_not_found(p),
        P::IngressControllerNotReady(p) => ingress::ingress_controller_not_ready(p),
        P::IngressNoAddress(p) => ingress::ingress_no_address(p),
        P::IngressNoMatchingRule(p) => ingress::ingress_no_matching_rule(p),
        P::IngressTlsCertificateExpired(p) => ingress::ingress_tls_certificate_expired(p),
        P::IngressTlsHostMismatch(p) => ingress::ingress_tls_host_mismatch(p),
        P::IngressTlsSecretNotFound(p) => ingress::ingress_tls_secret_not_found(p),
        P::KubeProxyNotReady(p) => network::kube_proxy_not_ready(p),
        P::LoadbalancerAddressFamilyMismatch(p) => entry::loadbalancer_address_family_mismatch(p),
        P::LoadbalancerHealthCheckLocal(p) => entry::loadbalancer_health_check_local(p),
        P::LoadbalancerNoEligibleNodes(p) => entry::loadbalancer_no_eligible_nodes(p),
        P::LoadbalancerPending(p) => entry::loadbalancer_pending(p),
        P::LoadbalancerSourceRanges(p) => entry::loadbalancer_source_ranges(p),
        P::LoadbalancerSyncFailed(p) => entry::loadbalancer_sync_failed(p),
        P::NetworkpolicyDenies(p) => network::networkpolicy_denies(p),
        P::NodeNoExternalAddress(p) => entry::node_no_external_address(p),
        P::NodeNotReady(p) => network::node_not_ready(p),
        P::NodeportNotExposed(p) => entry::nodeport_not_exposed(p),
        P::PodCrashLooping(p) => pod::pod_crash_looping(p),
        P::PodLivenessFailing(p) => pod::pod_liveness_failing(p),
        P::PodNotReady(p) => pod::pod_not_ready(p),
        P::PodOnUnreadyNode(p) => pod::pod_on_unready_node(p),
        P::PodPending(p) => pod::pod_pending(p),
        P::PodProbePortMismatch(p) => pod::pod_probe_port_mismatch(p),
        P::PodTerminating(p) => pod::pod_terminating(p),
        P::RecentChange(p) => pod::recent_change(p),
        P::ServiceExternalName(p) => service::service_external_name(p),
        P::ServiceNoEndpoints(p) => service::service_no_endpoints(p),
        P::ServiceNoReadyEndpoints(p) => service::service_no_ready_endpoints(p),
        P::ServiceNotExposed(p) => entry::service_not_exposed(p),
        P::ServicePortNotFound(p) => service::service_port_not_found(p),
        P::ServiceProtocolMismatch(p) => service::service_protocol_mismatch(p),
        P::ServiceSelectorMatchesNoPod(p) => service::service_selector_matches_no_pod(p),
        P::ServiceSelectorMatchesOtherNamespace(p) => {
            service::service_selector_matches_other_namespace(p)
        }
        P::ServiceTargetPortMismatch(p) => service::service_target_port_mismatch(p),
        P::TargetNotFound(p) => entry::target_not_found(p),
    }
}

/// One line of evidence.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::Common(e) => common::evidence(e),
        Evidence::Ingress(e) => ingress::evidence(e),
        Evidence::Entry(e) => entry::evidence(e),
        Evidence::Service(e) => service::evidence(e),
        Evidence::Network(e) => network::evidence(e),
        Evidence::Pod(e) => pod::evidence(e),
    }
}

/// One fix line: commands are printed as they are.
pub fn fix(f: &Fix) -> String {
    match f {
        Fix::Command(c) => c.clone(),
        Fix::CommandWithNote { command, note } => format!("{command}  # {}", evidence(note)),
        Fix::Advice(e) => evidence(e),
    }
}

/// `a, b, c and 2 more`.
pub fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// `s` when `n` is not one.
pub fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A kubectl-style age: `5m`, `3h12m`, `4d`.
pub fn age(d: Seconds) -> String {
    let secs = d.0;
    if secs < 0 {
        return "in the future".into();
    }
    let (d, h, m) = (secs / 86400, (secs % 86400) / 3600, (secs % 3600) / 60);
    if d > 0 {
        if d < 3 && h > 0 {
            format!("{d}d{h}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}h{m}m")
        } else {
            format!("{h}h")
        }
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{secs}s")
    }
}

/// `8080/TCP "http" (container app)`.
pub fn declared_port(p: &DeclaredPort) -> String {
    let name = p
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    format!(
        "{}/{}{} (container {})",
        p.port, p.protocol, name, p.container
    )
}

/// Every declared port, or `no declared ports`.
pub fn declared_ports(ports: &[DeclaredPort]) -> String {
    if ports.is_empty() {
        "no declared ports".into()
    } else {
        ports
            .iter()
            .map(declared_port)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `Running, not ready, app CrashLoopBackOff, 3 restarts`.
pub fn pod_state(st: &PodState) -> String {
    let mut parts = vec![
        st.phase.clone(),
        if st.ready {
            "ready".into()
        } else {
            "not ready".into()
        },
    ];
    for c in &st.containers {
        if let Some(w) = &c.waiting {
            parts.push(format!("{} {w}", c.name));
        }
        if c.restarts > 0 {
            parts.push(format!("{} restarts", c.restarts));
        }
    }
    parts.join(", ")
}

pub const FRAME: Frame = Frame {
    broken: "BROKEN",
    degraded: "DEGRADED",
    ok: "OK",
    inconclusive: "INCONCLUSIVE",
    sum_broken: "every way in is blocked",
    sum_degraded: "some ways in, nodes or endpoints are blocked",
    sum_ok: "nothing blocks the path",
    sum_inconclusive: "nothing blocks what kreach could read, but some of it could not be read",
    path: "Path",
    via: "via",
    pods: "Pods",
    none_selected: "none selected",
    root_cause: "Root cause",
    root_causes: "Root causes",
    other: "Other findings",
    not_checked: "Not checked",
    because: "because of",
    fix: "fix:",
    all_clear: "no problem found on any path",
    is_root_cause: " (root cause)",
    on: "on",
    client: "client",
    more: |n| format!("and {n} more"),
    more_pods: |n| format!("… {n} more"),
};

/// `203.0.113.50:443`, `<node>:30080 on node-a`, `shop.example.com/ Prefix`,
/// `port 80 → http`.
pub fn hop_detail(d: &HopDetail) -> String {
    match d {
        HopDetail::None => String::new(),
        HopDetail::Entry {
            address,
            port,
            node_port,
            nodes,
        } => {
            let addr = match (address, port) {
                (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
                (Some(a), Some(p)) => format!("{a}:{p}"),
                (Some(a), None) => a.clone(),
                (None, Some(p)) if *node_port => format!("<node>:{p}"),
                (None, Some(p)) => format!("<no address>:{p}"),
                (None, None) => String::new(),
            };
            let on = if nodes.is_empty() {
                String::new()
            } else {
                format!(" on {}", nodes.join(", "))
            };
            format!("{addr}{on}").trim().to_string()
        }
        HopDetail::Rule {
            host,
            path,
            path_type,
        } => format!(
            "{}{} {}",
            host.as_deref().unwrap_or("*"),
            path.as_deref().unwrap_or("/"),
            path_type.as_deref().unwrap_or("")
        )
        .trim()
        .to_string(),
        HopDetail::DefaultBackend => "default backend".into(),
        HopDetail::ServicePort { port, target } => format!("port {port} → {target}"),
        HopDetail::ServiceNotFound => "not found".into(),
        HopDetail::AllPorts => "all ports".into(),
    }
}

/// Why a hop is undecided.
pub fn unknown_reason(r: &UnknownReason) -> String {
    match r {
        UnknownReason::ProbesOff => "probes were off (--no-probe, or a snapshot's addresses are not this machine's network): the entry was not tested from here".into(),
        UnknownReason::ProbesNotBuilt => "this build sends no probes yet: the entry was not tested from here".into(),
        UnknownReason::NotRead { resource, why } => {
            format!("{resource} could not be read: {}", not_read(why))
        }
    }
}

/// Why a source lacks a kind.
pub fn not_read(r: &kreach_core::snapshot::NotRead) -> String {
    use kreach_core::snapshot::NotRead;
    match r {
        NotRead::Forbidden { can_i, message } if message.is_empty() => {
            format!("forbidden: {can_i}")
        }
        NotRead::Forbidden { can_i, message } => format!("forbidden: {can_i} ({message})"),
        NotRead::NotServed => "the API server does not serve it".into(),
        NotRead::Failed { message } => message.clone(),
        NotRead::ContinueExpired { relists } => format!(
            "the API server expired the paged LIST's continue token (410 Gone) {} times: the objects change faster than they can be read page by page; retry, or collect a snapshot at a quieter moment",
            relists + 1
        ),
        NotRead::NotInClusterInfoDump { kind } => {
            format!(
                "a kubectl cluster-info dump does not hold {}",
                plural(*kind)
            )
        }
        NotRead::BundleErrors {
            file,
            first,
            more: 0,
        } => {
            format!("the support bundle recorded errors collecting {file}: {first}")
        }
        NotRead::BundleErrors { file, first, more } => format!(
            "the support bundle recorded errors collecting {file}: {first} (and {more} more)"
        ),
        NotRead::NotInBundle { file } => format!("the support bundle has no {file}"),
        NotRead::BundleHoldsNoSecrets => "a support bundle does not hold Secrets".into(),
        NotRead::Recorded { reason } if reason.is_empty() => {
            "the snapshot could not collect it".into()
        }
        NotRead::Recorded { reason } => reason.clone(),
        NotRead::Undecodable {
            file,
            object,
            field,
            error,
        } => {
            let field = if field.is_empty() {
                String::new()
            } else {
                format!("{field}: ")
            };
            format!(
                "{file} holds {object}, which could not be read ({field}{error}): the kind is only partly known"
            )
        }
        NotRead::NotInDump { holder, evidence } => {
            format!(
                "{}; collect a complete snapshot with `{COLLECT}`",
                not_in_dump(*holder, evidence)
            )
        }
    }
}

/// How to get a snapshot that holds every kind.
const COLLECT: &str = "kreach snapshot -A -o snapshot.tar.gz";

/// Why a plain file or directory evidently lacks a kind.
fn not_in_dump(
    holder: kreach_core::snapshot::Holder,
    evidence: &kreach_core::snapshot::DumpEvidence,
) -> String {
    use kreach_core::snapshot::{DumpEvidence as E, Holder};
    let h = match holder {
        Holder::File => "the file",
        Holder::Directory => "the directory",
    };
    let and_more = |more: usize| {
        if more == 0 {
            String::new()
        } else {
            format!(" and {more} more")
        }
    };
    match evidence {
        E::PodsOnAbsentNodes { nodes, more } => format!(
            "{h} holds no Node {}{}, though its Pods run there",
            nodes.join(", "),
            and_more(*more)
        ),
        E::NoNodes => {
            format!("{h} holds objects read from a cluster (they have uids) but not one Node")
        }
        E::GetAll => format!(
            "{h} holds only kinds `kubectl get all` prints (Pods, Services, workloads), which leaves out Nodes, NetworkPolicies, Ingresses, IngressClasses, Endpoints, EndpointSlices, Namespaces, Secrets and Events"
        ),
        E::ReadyReplicasWithoutPods {
            workload,
            ready,
            more,
        } => {
            let others = if *more == 0 {
                String::new()
            } else {
                format!(" (and {more} more workloads)")
            };
            format!(
                "{h} holds no Pod, though {workload} reports {ready} ready replica{}{others}: Pods were not collected",
                if *ready == 1 { "" } else { "s" }
            )
        }
        E::OnlySomeKinds { kinds } => {
            let names: Vec<String> = kinds.iter().map(|k| plural(*k)).collect();
            let held = match names.split_last() {
                None => "no kind kreach reads".to_string(),
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            };
            format!(
                "{h} holds only {held}, read from a cluster without its Nodes or Namespaces: the other kinds were not collected"
            )
        }
    }
}

/// `NetworkPolicies`, `Endpoints`.
fn plural(kind: kreach_core::Kind) -> String {
    use kreach_core::Kind;
    match kind {
        Kind::Endpoints => "Endpoints".into(),
        Kind::Ingress => "Ingresses".into(),
        Kind::IngressClass => "IngressClasses".into(),
        Kind::NetworkPolicy => "NetworkPolicies".into(),
        k => format!("{}s", k.name()),
    }
}
