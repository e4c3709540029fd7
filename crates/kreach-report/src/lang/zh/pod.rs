//! The pod checks' words (zh).
#![allow(unused_imports)]
use kreach_core::checks;
use kreach_core::message::pod::Evidence;

#[allow(unused_imports)]
use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match *e {}
}

pub fn pod_crash_looping(p: &checks::pod::pod_crash_looping::Problem) -> String {
    match *p {}
}

pub fn pod_liveness_failing(p: &checks::pod::pod_liveness_failing::Problem) -> String {
    match *p {}
}

pub fn pod_not_ready(p: &checks::pod::pod_not_ready::Problem) -> String {
    match *p {}
}

pub fn pod_on_unready_node(p: &checks::pod::pod_on_unready_node::Problem) -> String {
    match *p {}
}

pub fn pod_pending(p: &checks::pod::pod_pending::Problem) -> String {
    match *p {}
}

pub fn pod_probe_port_mismatch(p: &checks::pod::pod_probe_port_mismatch::Problem) -> String {
    match *p {}
}

pub fn pod_terminating(p: &checks::pod::pod_terminating::Problem) -> String {
    match *p {}
}

pub fn recent_change(p: &checks::change::recent_change::Problem) -> String {
    match *p {}
}
