//! The service checks' words (zh).
#![allow(unused_imports)]
use kreach_core::checks;
use kreach_core::message::service::Evidence;

#[allow(unused_imports)]
use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match *e {}
}

pub fn service_external_name(p: &checks::service::service_external_name::Problem) -> String {
    match *p {}
}

pub fn service_no_endpoints(p: &checks::service::service_no_endpoints::Problem) -> String {
    match *p {}
}

pub fn service_no_ready_endpoints(
    p: &checks::service::service_no_ready_endpoints::Problem,
) -> String {
    match *p {}
}

pub fn service_port_not_found(p: &checks::service::service_port_not_found::Problem) -> String {
    match *p {}
}

pub fn service_protocol_mismatch(
    p: &checks::service::service_protocol_mismatch::Problem,
) -> String {
    match *p {}
}

pub fn service_selector_matches_no_pod(
    p: &checks::service::service_selector_matches_no_pod::Problem,
) -> String {
    match *p {}
}

pub fn service_selector_matches_other_namespace(
    p: &checks::service::service_selector_matches_other_namespace::Problem,
) -> String {
    match *p {}
}

pub fn service_target_port_mismatch(
    p: &checks::service::service_target_port_mismatch::Problem,
) -> String {
    match *p {}
}
