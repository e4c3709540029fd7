//! `kreach policy FROM TO`: may FROM open a connection to TO under the
//! NetworkPolicies of a snapshot? A thin, pure layer over kreach-netpol
//! that resolves the two ends from the snapshot.

use std::net::IpAddr;

use kreach_netpol::{
    ConnectionSet, DirectionDecision, Peer, PolicyRef, PolicySet, Protocol, Rejection,
};
use serde::Serialize;

use crate::object::MetaExt;
use crate::snapshot::{Kind, Snapshot};
use crate::workload::pod_ips;

/// One end as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    Pod { namespace: String, name: String },
    Address(IpAddr),
}

/// Why `kreach policy` cannot answer (worded by `kreach-report`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// Neither `pod/NAMESPACE/NAME`, `NAMESPACE/NAME` nor an IP address.
    BadEnd {
        input: String,
    },
    /// The source could not provide the NetworkPolicies.
    PoliciesNotRead(crate::snapshot::NotRead),
    PodNotFound {
        namespace: String,
        name: String,
    },
}

impl End {
    /// `pod/NS/NAME`, `NS/NAME`, or an IP address.
    pub fn parse(s: &str) -> Result<End, PolicyError> {
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(End::Address(ip));
        }
        let rest = s.strip_prefix("pod/").unwrap_or(s);
        match rest.split('/').collect::<Vec<_>>().as_slice() {
            [ns, name] if !ns.is_empty() && !name.is_empty() => Ok(End::Pod {
                namespace: ns.to_string(),
                name: name.to_string(),
            }),
            _ => Err(PolicyError::BadEnd {
                input: s.to_string(),
            }),
        }
    }
}

/// What the user's end turned out to be in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Resolved {
    /// The pod the user named.
    Pod { namespace: String, name: String },
    /// An address that is a pod's (`status.podIPs`; not a `hostNetwork`
    /// pod's).
    PodAddress {
        ip: IpAddr,
        namespace: String,
        name: String,
    },
    /// An address outside every pod: no NetworkPolicy applies to it.
    Address { ip: IpAddr },
}

/// The verdict of one direction. JSON: `allowed`, `policies` and
/// `decided_by` (policies as `NetworkPolicy/NS/NAME`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DirectionAnswer {
    pub allowed: bool,
    /// The policies that select the pod for this direction.
    #[serde(serialize_with = "policy_names")]
    pub policies: Vec<PolicyRef>,
    /// Those whose rules admit it (allowed), or every selecting one
    /// (denied).
    #[serde(serialize_with = "policy_names")]
    pub decided_by: Vec<PolicyRef>,
    /// Why each selecting policy does not admit it.
    #[serde(skip)]
    pub rejections: Vec<Rejection>,
}

fn policy_names<S: serde::Serializer>(refs: &[PolicyRef], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(refs.iter().map(ToString::to_string))
}

#[derive(Debug, Clone)]
pub struct PolicyAnswer {
    pub allowed: bool,
    pub egress: DirectionAnswer,
    pub ingress: DirectionAnswer,
    /// Every connection allowed between the two ends (when no port was given).
    pub connections: Option<ConnectionSet>,
    /// What the ends resolved to.
    pub from: Resolved,
    pub to: Resolved,
    /// The port asked about (`--port`), if any, and the protocol.
    pub port: Option<u16>,
    pub protocol: Protocol,
}

fn answer(d: &DirectionDecision) -> DirectionAnswer {
    DirectionAnswer {
        allowed: d.allowed,
        policies: d.selecting.clone(),
        decided_by: d.decided_by(),
        rejections: d.rejections.clone(),
    }
}

/// Answers the question, or says (one line) why it cannot be asked.
pub fn query(
    snap: &Snapshot,
    from: &End,
    to: &End,
    port: Option<u16>,
    protocol: Protocol,
) -> Result<PolicyAnswer, PolicyError> {
    if let Some(why) = snap.missing_reason(Kind::NetworkPolicy) {
        return Err(PolicyError::PoliciesNotRead(why.clone()));
    }
    let from_pod = pod_of(snap, from)?;
    let to_pod = pod_of(snap, to)?;
    let labels_from = from_pod
        .map(|p| snap.namespace_labels(p.ns()))
        .unwrap_or_default();
    let labels_to = to_pod
        .map(|p| snap.namespace_labels(p.ns()))
        .unwrap_or_default();
    let src = make_peer(from, from_pod, &labels_from);
    let dst = make_peer(to, to_pod, &labels_to);
    let set = PolicySet::new(&snap.network_policies).with_options(kreach_netpol::Options {
        ip_block_scope: crate::netinfo::ip_block_reading(snap).scope,
        ..Default::default()
    });
    let describe = |e: &End, p: &Peer<'_>| match (e, p) {
        (End::Pod { namespace, name }, _) => Resolved::Pod {
            namespace: namespace.clone(),
            name: name.clone(),
        },
        (End::Address(ip), Peer::Pod { pod, .. }) => Resolved::PodAddress {
            ip: *ip,
            namespace: pod.ns().to_string(),
            name: pod.name().to_string(),
        },
        (End::Address(ip), _) => Resolved::Address { ip: *ip },
    };
    let (decision_port, connections) = match port {
        Some(p) => (p, None),
        None => {
            let c = set.allowed_connections(&src, &dst);
            // Judge one port for the per-direction answer: an allowed one if any.
            let p = (1..=65535u16)
                .find(|p| c.contains(protocol, *p))
                .unwrap_or(1);
            (p, Some(c))
        }
    };
    let d = set.evaluate(&src, &dst, decision_port, protocol);
    let allowed = match &connections {
        Some(c) => !c.is_empty(),
        None => d.allowed,
    };
    Ok(PolicyAnswer {
        allowed,
        egress: answer(&d.egress),
        ingress: answer(&d.ingress),
        connections,
        from: describe(from, &src),
        to: describe(to, &dst),
        port,
        protocol,
    })
}

fn make_peer<'a>(
    end: &End,
    pod: Option<&'a k8s_openapi::api::core::v1::Pod>,
    labels: &'a std::collections::BTreeMap<String, String>,
) -> Peer<'a> {
    match (end, pod) {
        (_, Some(pod)) => Peer::Pod {
            pod,
            namespace_labels: labels,
        },
        (End::Address(ip), None) => Peer::External(*ip),
        // pod_of returns the pod or an error for pod ends.
        (End::Pod { .. }, None) => Peer::External(IpAddr::from([0, 0, 0, 0])),
    }
}

/// The pod an end names or whose address it is; None for an address
/// outside every pod.
fn pod_of<'a>(
    snap: &'a Snapshot,
    end: &End,
) -> Result<Option<&'a k8s_openapi::api::core::v1::Pod>, PolicyError> {
    match end {
        End::Pod { namespace, name } => {
            snap.pod(namespace, name)
                .map(Some)
                .ok_or_else(|| PolicyError::PodNotFound {
                    namespace: namespace.clone(),
                    name: name.clone(),
                })
        }
        End::Address(ip) => {
            let s = ip.to_string();
            Ok(snap
                .pods
                .iter()
                .find(|p| !crate::workload::host_network(p) && pod_ips(p).contains(&s)))
        }
    }
}
