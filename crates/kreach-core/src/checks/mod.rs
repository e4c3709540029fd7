//! The check registry: every check kreach runs, in one sorted list.
//! `kreach checks`, `kreach explain` and the diagnosis read it, so the
//! catalog, the docs and what runs cannot drift apart; `docs/checks.md` is
//! generated from it (`kreach checks -o markdown`, kept current by a test of
//! kreach-report).

pub mod util;

pub mod entry {
    pub mod ingress_backend_port_not_found;
    pub mod ingress_backend_service_not_found;
    pub mod ingress_class_not_found;
    pub mod ingress_controller_not_ready;
    pub mod ingress_no_address;
    pub mod ingress_no_matching_rule;
    pub mod ingress_tls_certificate_expired;
    pub mod ingress_tls_host_mismatch;
    pub mod ingress_tls_secret_not_found;
    pub mod loadbalancer_address_family_mismatch;
    pub mod loadbalancer_health_check_local;
    pub mod loadbalancer_no_eligible_nodes;
    pub mod loadbalancer_pending;
    pub mod loadbalancer_source_ranges;
    pub mod loadbalancer_sync_failed;
    pub mod node_no_external_address;
    pub mod nodeport_not_exposed;
    pub mod service_not_exposed;
    pub mod target_not_found;
    pub mod tls_common;
}

pub mod network {
    pub mod agent_common;
    pub mod cidr_overlap;
    pub mod cni_not_ready;
    pub mod kube_proxy_not_ready;
    pub mod networkpolicy_denies;
    pub mod node_not_ready;
}

pub mod change {
    pub mod recent_change;
}

pub mod cloud {
    pub mod cloud_health_check_mismatch;
    pub mod ingress_alb_target_type_mismatch;
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
    &network::cidr_overlap::CHECK,
    &cloud::cloud_health_check_mismatch::CHECK,
    &network::cni_not_ready::CHECK,
    &cloud::ingress_alb_target_type_mismatch::CHECK,
    &entry::ingress_backend_port_not_found::CHECK,
    &entry::ingress_backend_service_not_found::CHECK,
    &entry::ingress_class_not_found::CHECK,
    &entry::ingress_controller_not_ready::CHECK,
    &entry::ingress_no_address::CHECK,
    &entry::ingress_no_matching_rule::CHECK,
    &entry::ingress_tls_certificate_expired::CHECK,
    &entry::ingress_tls_host_mismatch::CHECK,
    &entry::ingress_tls_secret_not_found::CHECK,
    &network::kube_proxy_not_ready::CHECK,
    &entry::loadbalancer_address_family_mismatch::CHECK,
    &entry::loadbalancer_health_check_local::CHECK,
    &entry::loadbalancer_no_eligible_nodes::CHECK,
    &entry::loadbalancer_pending::CHECK,
    &entry::loadbalancer_source_ranges::CHECK,
    &entry::loadbalancer_sync_failed::CHECK,
    &network::networkpolicy_denies::CHECK,
    &entry::node_no_external_address::CHECK,
    &network::node_not_ready::CHECK,
    &entry::nodeport_not_exposed::CHECK,
    &pod::pod_crash_looping::CHECK,
    &pod::pod_liveness_failing::CHECK,
    &pod::pod_not_ready::CHECK,
    &pod::pod_on_unready_node::CHECK,
    &pod::pod_pending::CHECK,
    &pod::pod_probe_port_mismatch::CHECK,
    &pod::pod_terminating::CHECK,
    &change::recent_change::CHECK,
    &service::service_external_name::CHECK,
    &service::service_no_endpoints::CHECK,
    &service::service_no_ready_endpoints::CHECK,
    &entry::service_not_exposed::CHECK,
    &service::service_port_not_found::CHECK,
    &service::service_protocol_mismatch::CHECK,
    &service::service_selector_matches_no_pod::CHECK,
    &service::service_selector_matches_other_namespace::CHECK,
    &service::service_target_port_mismatch::CHECK,
    &entry::target_not_found::CHECK,
];

/// Every kind a diagnosis reads: what the checks declare (decisive or for
/// evidence) and what resolving the target reads. The live query plan
/// fetches each of these.
pub fn read_kinds() -> std::collections::BTreeSet<crate::Kind> {
    CHECKS
        .iter()
        .flat_map(|c| c.all_reads())
        .chain(crate::resolve::READS.iter().copied())
        .collect()
}

pub fn find(name: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().copied().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::CHECKS;
    use crate::testing::fixture_paths;

    /// The catalog stays honest: names unique, kebab-case and sorted; every
    /// check documented with the fixed headings and tested both ways.
    #[test]
    fn catalog_is_complete() {
        let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "CHECKS must be sorted by name and unique");
        for c in CHECKS {
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
                    && !c.name.starts_with('-')
                    && !c.name.ends_with('-'),
                "{} is not kebab-case",
                c.name
            );
            for heading in [
                "## What it checks",
                "## Why it breaks reachability",
                "## How to fix",
                "## Example",
            ] {
                assert!(
                    c.docs.contains(heading),
                    "{}: docs lack {heading:?}",
                    c.name
                );
            }
            assert!(
                !c.summary.is_empty() && !c.summary.ends_with('.'),
                "{}: summary",
                c.name
            );
            let (fires, silent) = fixture_paths(c.name);
            assert!(
                fires.is_file(),
                "{}: missing fixture {}",
                c.name,
                fires.display()
            );
            assert!(
                silent.is_file(),
                "{}: missing fixture {}",
                c.name,
                silent.display()
            );
        }
    }

    /// The declarations are true: run on its fixtures with every kind it
    /// does not declare removed (besides the Services and Pods that every
    /// check sees through the context), each check reports exactly what it
    /// reports on the whole fixture. A check that starts reading a new kind
    /// fails here until it declares it, and so cannot be forgotten by the
    /// unknowns of a diagnosis or by the live query plan.
    #[test]
    fn checks_read_only_what_they_declare() {
        use crate::Kind;
        use crate::context::Context;
        use crate::resolve::resolve;
        use crate::testing::{Fixture, load_fixture};
        let mut tried = 0;
        let mut undeclared: Vec<String> = Vec::new();
        for c in CHECKS {
            let declared: Vec<Kind> = c.all_reads().collect();
            for path in Fixture::paths_of(c.name) {
                let fx = load_fixture(&path);
                let (target, opts) = fx.query();
                let res = resolve(&fx.snapshot, &fx.target, &target, &opts);
                let run = |snap: &crate::Snapshot| {
                    let cx = Context::new(snap, &target, &res, &opts);
                    let mut out = Vec::new();
                    (c.run)(&cx, &mut out);
                    format!("{out:#?}")
                };
                let whole = run(&fx.snapshot);
                for k in Kind::ALL {
                    let present = fx
                        .documents
                        .iter()
                        .any(|d| d.as_object().and_then(crate::ingest::kind_of) == Some(k));
                    if !present || declared.contains(&k) {
                        continue;
                    }
                    if run(&fx.without(k)) != whole {
                        let miss = format!("{}: reads {k:?} without declaring it", c.name);
                        if !undeclared.contains(&miss) {
                            undeclared.push(miss);
                        }
                    }
                    tried += 1;
                }
            }
        }
        assert!(undeclared.is_empty(), "{undeclared:#?}");
        assert!(tried > 300, "{tried} runs");
    }

    /// Explained-by links point at other checks, and a check's `applies`
    /// narrows only hops it decides.
    #[test]
    fn explained_by_links_are_between_distinct_checks() {
        for c in CHECKS {
            for cause in c.explained_by {
                assert!(!std::ptr::eq(cause.check, *c), "{} explains itself", c.name);
                assert!(
                    CHECKS.iter().any(|x| std::ptr::eq(*x, cause.check)),
                    "{}: {} is not registered",
                    c.name,
                    cause.check.name
                );
            }
        }
    }
}
