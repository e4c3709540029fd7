//! The entry checks' words (en).
#![allow(unused_imports)]
use kreach_core::checks;
use kreach_core::message::entry::Evidence;

#[allow(unused_imports)]
use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match *e {}
}

pub fn loadbalancer_health_check_local(
    p: &checks::entry::loadbalancer_health_check_local::Problem,
) -> String {
    match *p {}
}

pub fn loadbalancer_pending(p: &checks::entry::loadbalancer_pending::Problem) -> String {
    match *p {}
}

pub fn loadbalancer_source_ranges(
    p: &checks::entry::loadbalancer_source_ranges::Problem,
) -> String {
    match *p {}
}

pub fn loadbalancer_sync_failed(p: &checks::entry::loadbalancer_sync_failed::Problem) -> String {
    match *p {}
}

pub fn node_no_external_address(p: &checks::entry::node_no_external_address::Problem) -> String {
    match *p {}
}

pub fn nodeport_not_exposed(p: &checks::entry::nodeport_not_exposed::Problem) -> String {
    match *p {}
}

pub fn service_not_exposed(p: &checks::entry::service_not_exposed::Problem) -> String {
    match *p {}
}

pub fn target_not_found(p: &checks::entry::target_not_found::Problem) -> String {
    match *p {}
}
