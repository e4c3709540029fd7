//! The typed facts of a finding: what each check reports ([`Problem`]),
//! the evidence behind it ([`Evidence`]) and the fix ([`Fix`]). Nothing
//! here is prose: `kreach-report` words every variant, once per language
//! (`lang::en`, `lang::zh`), and a missing wording is a compile error
//! there. JSON reports carry a finding's [`Problem`] as `details`.
//!
//! Each check declares its own `Problem` next to its logic; evidence is
//! grouped by the part of the path it is about ([`common`], [`ingress`],
//! [`entry`], [`service`], [`network`], [`pod`]).

use serde::Serialize;

pub mod common;
pub mod entry;
pub mod ingress;
pub mod network;
pub mod pod;
pub mod service;

/// One variant per check, holding that check's own `Problem`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Problem {
    CidrOverlap(crate::checks::network::cidr_overlap::Problem),
    CloudHealthCheckMismatch(crate::checks::cloud::cloud_health_check_mismatch::Problem),
    CniNotReady(crate::checks::network::cni_not_ready::Problem),
    IngressAlbTargetTypeMismatch(crate::checks::cloud::ingress_alb_target_type_mismatch::Problem),
    IngressBackendPortNotFound(crate::checks::entry::ingress_backend_port_not_found::Problem),
    IngressBackendServiceNotFound(crate::checks::entry::ingress_backend_service_not_found::Problem),
    IngressClassNotFound(crate::checks::entry::ingress_class_not_found::Problem),
    IngressControllerNotReady(crate::checks::entry::ingress_controller_not_ready::Problem),
    IngressNoAddress(crate::checks::entry::ingress_no_address::Problem),
    IngressNoMatchingRule(crate::checks::entry::ingress_no_matching_rule::Problem),
    IngressTlsCertificateExpired(crate::checks::entry::ingress_tls_certificate_expired::Problem),
    IngressTlsHostMismatch(crate::checks::entry::ingress_tls_host_mismatch::Problem),
    IngressTlsSecretNotFound(crate::checks::entry::ingress_tls_secret_not_found::Problem),
    KubeProxyNotReady(crate::checks::network::kube_proxy_not_ready::Problem),
    LoadbalancerAddressFamilyMismatch(
        crate::checks::entry::loadbalancer_address_family_mismatch::Problem,
    ),
    LoadbalancerHealthCheckLocal(crate::checks::entry::loadbalancer_health_check_local::Problem),
    LoadbalancerNoEligibleNodes(crate::checks::entry::loadbalancer_no_eligible_nodes::Problem),
    LoadbalancerPending(crate::checks::entry::loadbalancer_pending::Problem),
    LoadbalancerSourceRanges(crate::checks::entry::loadbalancer_source_ranges::Problem),
    LoadbalancerSyncFailed(crate::checks::entry::loadbalancer_sync_failed::Problem),
    NetworkpolicyDenies(crate::checks::network::networkpolicy_denies::Problem),
    NodeNoExternalAddress(crate::checks::entry::node_no_external_address::Problem),
    NodeNotReady(crate::checks::network::node_not_ready::Problem),
    NodeportNotExposed(crate::checks::entry::nodeport_not_exposed::Problem),
    PodCrashLooping(crate::checks::pod::pod_crash_looping::Problem),
    PodLivenessFailing(crate::checks::pod::pod_liveness_failing::Problem),
    PodNotReady(crate::checks::pod::pod_not_ready::Problem),
    PodOnUnreadyNode(crate::checks::pod::pod_on_unready_node::Problem),
    PodPending(crate::checks::pod::pod_pending::Problem),
    PodProbePortMismatch(crate::checks::pod::pod_probe_port_mismatch::Problem),
    PodTerminating(crate::checks::pod::pod_terminating::Problem),
    RecentChange(crate::checks::change::recent_change::Problem),
    ServiceExternalName(crate::checks::service::service_external_name::Problem),
    ServiceNoEndpoints(crate::checks::service::service_no_endpoints::Problem),
    ServiceNoReadyEndpoints(crate::checks::service::service_no_ready_endpoints::Problem),
    ServiceNotExposed(crate::checks::entry::service_not_exposed::Problem),
    ServicePortNotFound(crate::checks::service::service_port_not_found::Problem),
    ServiceProtocolMismatch(crate::checks::service::service_protocol_mismatch::Problem),
    ServiceSelectorMatchesNoPod(crate::checks::service::service_selector_matches_no_pod::Problem),
    ServiceSelectorMatchesOtherNamespace(
        crate::checks::service::service_selector_matches_other_namespace::Problem,
    ),
    ServiceTargetPortMismatch(crate::checks::service::service_target_port_mismatch::Problem),
    TargetNotFound(crate::checks::entry::target_not_found::Problem),
}

macro_rules! problem_from {
    ($($variant:ident => $ty:path),* $(,)?) => {
        $(impl From<$ty> for Problem {
            fn from(p: $ty) -> Self {
                Problem::$variant(p)
            }
        })*
    };
}

problem_from! {
    CidrOverlap => crate::checks::network::cidr_overlap::Problem,
    CloudHealthCheckMismatch => crate::checks::cloud::cloud_health_check_mismatch::Problem,
    CniNotReady => crate::checks::network::cni_not_ready::Problem,
    IngressAlbTargetTypeMismatch => crate::checks::cloud::ingress_alb_target_type_mismatch::Problem,
    IngressBackendPortNotFound => crate::checks::entry::ingress_backend_port_not_found::Problem,
    IngressBackendServiceNotFound => crate::checks::entry::ingress_backend_service_not_found::Problem,
    IngressClassNotFound => crate::checks::entry::ingress_class_not_found::Problem,
    IngressControllerNotReady => crate::checks::entry::ingress_controller_not_ready::Problem,
    IngressNoAddress => crate::checks::entry::ingress_no_address::Problem,
    IngressNoMatchingRule => crate::checks::entry::ingress_no_matching_rule::Problem,
    IngressTlsCertificateExpired => crate::checks::entry::ingress_tls_certificate_expired::Problem,
    IngressTlsHostMismatch => crate::checks::entry::ingress_tls_host_mismatch::Problem,
    IngressTlsSecretNotFound => crate::checks::entry::ingress_tls_secret_not_found::Problem,
    KubeProxyNotReady => crate::checks::network::kube_proxy_not_ready::Problem,
    LoadbalancerAddressFamilyMismatch => crate::checks::entry::loadbalancer_address_family_mismatch::Problem,
    LoadbalancerHealthCheckLocal => crate::checks::entry::loadbalancer_health_check_local::Problem,
    LoadbalancerNoEligibleNodes => crate::checks::entry::loadbalancer_no_eligible_nodes::Problem,
    LoadbalancerPending => crate::checks::entry::loadbalancer_pending::Problem,
    LoadbalancerSourceRanges => crate::checks::entry::loadbalancer_source_ranges::Problem,
    LoadbalancerSyncFailed => crate::checks::entry::loadbalancer_sync_failed::Problem,
    NetworkpolicyDenies => crate::checks::network::networkpolicy_denies::Problem,
    NodeNoExternalAddress => crate::checks::entry::node_no_external_address::Problem,
    NodeNotReady => crate::checks::network::node_not_ready::Problem,
    NodeportNotExposed => crate::checks::entry::nodeport_not_exposed::Problem,
    PodCrashLooping => crate::checks::pod::pod_crash_looping::Problem,
    PodLivenessFailing => crate::checks::pod::pod_liveness_failing::Problem,
    PodNotReady => crate::checks::pod::pod_not_ready::Problem,
    PodOnUnreadyNode => crate::checks::pod::pod_on_unready_node::Problem,
    PodPending => crate::checks::pod::pod_pending::Problem,
    PodProbePortMismatch => crate::checks::pod::pod_probe_port_mismatch::Problem,
    PodTerminating => crate::checks::pod::pod_terminating::Problem,
    RecentChange => crate::checks::change::recent_change::Problem,
    ServiceExternalName => crate::checks::service::service_external_name::Problem,
    ServiceNoEndpoints => crate::checks::service::service_no_endpoints::Problem,
    ServiceNoReadyEndpoints => crate::checks::service::service_no_ready_endpoints::Problem,
    ServiceNotExposed => crate::checks::entry::service_not_exposed::Problem,
    ServicePortNotFound => crate::checks::service::service_port_not_found::Problem,
    ServiceProtocolMismatch => crate::checks::service::service_protocol_mismatch::Problem,
    ServiceSelectorMatchesNoPod => crate::checks::service::service_selector_matches_no_pod::Problem,
    ServiceSelectorMatchesOtherNamespace => crate::checks::service::service_selector_matches_other_namespace::Problem,
    ServiceTargetPortMismatch => crate::checks::service::service_target_port_mismatch::Problem,
    TargetNotFound => crate::checks::entry::target_not_found::Problem,
}

/// One line of evidence: a fact, typed by the part of the path it is about.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Evidence {
    Common(common::Evidence),
    Ingress(ingress::Evidence),
    Entry(entry::Evidence),
    Service(service::Evidence),
    Network(network::Evidence),
    Pod(pod::Evidence),
}

macro_rules! evidence_from {
    ($($variant:ident => $ty:path),* $(,)?) => {
        $(impl From<$ty> for Evidence {
            fn from(e: $ty) -> Self {
                Evidence::$variant(e)
            }
        })*
    };
}

evidence_from! {
    Common => common::Evidence,
    Ingress => ingress::Evidence,
    Entry => entry::Evidence,
    Service => service::Evidence,
    Network => network::Evidence,
    Pod => pod::Evidence,
}

/// How to fix it: a command to run (never translated), or advice where no
/// single command fits.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Fix {
    /// A shell command (`kubectl …`, `kreach …`, `dig …`), printed as it is.
    Command(String),
    /// A command followed by a worded note (`# then check …`).
    CommandWithNote { command: String, note: Evidence },
    /// Advice in words, for fixes outside the cluster's API.
    Advice(Evidence),
}

impl From<String> for Fix {
    fn from(s: String) -> Self {
        Fix::Command(s)
    }
}

impl From<&str> for Fix {
    fn from(s: &str) -> Self {
        Fix::Command(s.to_string())
    }
}
