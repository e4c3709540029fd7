//! The network checks' words (zh).
#![allow(unused_imports)]
use kreach_core::checks;
use kreach_core::message::network::Evidence;

#[allow(unused_imports)]
use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match *e {}
}

pub fn cidr_overlap(p: &checks::network::cidr_overlap::Problem) -> String {
    match *p {}
}

pub fn cloud_health_check_mismatch(
    p: &checks::cloud::cloud_health_check_mismatch::Problem,
) -> String {
    match *p {}
}

pub fn cni_not_ready(p: &checks::network::cni_not_ready::Problem) -> String {
    match *p {}
}

pub fn kube_proxy_not_ready(p: &checks::network::kube_proxy_not_ready::Problem) -> String {
    match *p {}
}

pub fn networkpolicy_denies(p: &checks::network::networkpolicy_denies::Problem) -> String {
    match *p {}
}

pub fn node_not_ready(p: &checks::network::node_not_ready::Problem) -> String {
    match *p {}
}
