//! The ingress checks' words (en).
#![allow(unused_imports)]
use kreach_core::checks;
use kreach_core::message::ingress::Evidence;

#[allow(unused_imports)]
use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match *e {}
}

pub fn ingress_backend_port_not_found(
    p: &checks::entry::ingress_backend_port_not_found::Problem,
) -> String {
    match *p {}
}

pub fn ingress_backend_service_not_found(
    p: &checks::entry::ingress_backend_service_not_found::Problem,
) -> String {
    match *p {}
}

pub fn ingress_class_not_found(p: &checks::entry::ingress_class_not_found::Problem) -> String {
    match *p {}
}

pub fn ingress_controller_not_ready(
    p: &checks::entry::ingress_controller_not_ready::Problem,
) -> String {
    match *p {}
}

pub fn ingress_no_address(p: &checks::entry::ingress_no_address::Problem) -> String {
    match *p {}
}

pub fn ingress_no_matching_rule(p: &checks::entry::ingress_no_matching_rule::Problem) -> String {
    match *p {}
}

pub fn ingress_tls_certificate_expired(
    p: &checks::entry::ingress_tls_certificate_expired::Problem,
) -> String {
    match *p {}
}

pub fn ingress_tls_host_mismatch(p: &checks::entry::ingress_tls_host_mismatch::Problem) -> String {
    match *p {}
}

pub fn ingress_tls_secret_not_found(
    p: &checks::entry::ingress_tls_secret_not_found::Problem,
) -> String {
    match *p {}
}
