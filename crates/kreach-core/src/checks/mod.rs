//! The check registry: every check kreach runs, in one sorted list.
//! `kreach checks`, `kreach explain` and the diagnosis read it, so the
//! catalog, the docs and what runs cannot drift apart.

pub mod util;

pub mod entry {
    pub mod target_not_found;
}

pub mod service {
    pub mod service_external_name;
    pub mod service_no_endpoints;
    pub mod service_no_ready_endpoints;
    pub mod service_port_not_found;
    pub mod service_protocol_mismatch;
    pub mod service_selector_matches_no_pod;
    pub mod service_selector_matches_other_namespace;
    pub mod service_target_port_mismatch;
}

pub mod pod {
    pub mod pod_crash_looping;
    pub mod pod_liveness_failing;
    pub mod pod_not_ready;
    pub mod pod_on_unready_node;
    pub mod pod_pending;
    pub mod pod_probe_port_mismatch;
    pub mod pod_terminating;
}

use crate::check::CheckDef;

/// Every check, sorted by name (a test keeps it sorted).
pub static CHECKS: &[&CheckDef] = &[
    &pod::pod_crash_looping::CHECK,
    &pod::pod_liveness_failing::CHECK,
    &pod::pod_not_ready::CHECK,
    &pod::pod_on_unready_node::CHECK,
    &pod::pod_pending::CHECK,
    &pod::pod_probe_port_mismatch::CHECK,
    &pod::pod_terminating::CHECK,
    &service::service_external_name::CHECK,
    &service::service_no_endpoints::CHECK,
    &service::service_no_ready_endpoints::CHECK,
    &service::service_port_not_found::CHECK,
    &service::service_protocol_mismatch::CHECK,
    &service::service_selector_matches_no_pod::CHECK,
    &service::service_selector_matches_other_namespace::CHECK,
    &service::service_target_port_mismatch::CHECK,
    &entry::target_not_found::CHECK,
];

pub fn find(name: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().copied().find(|c| c.name == name)
}
