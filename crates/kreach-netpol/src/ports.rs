//! Protocols, port sets and the `ports` list of a NetworkPolicy rule.
//!
//! A rule's `ports` turn into a [`ConnectionSet`] (port ranges per
//! protocol) plus the [`PortScope`] of each entry, which is what a report
//! shows. Named ports resolve against the containers of the *destination*
//! pod, by name and protocol, as the API documents for both ingress and
//! egress rules; a named port can never match a destination that is not a
//! pod.
//!
//! Port numbers live in 1–65535; port 0 is not a port and is only ever
//! admitted where policies do not restrict the traffic at all.

use std::fmt;
use std::str::FromStr;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicyPort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use crate::Invalid;

/// A transport protocol a NetworkPolicy can name.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    /// Every protocol, in the order netpol-analyzer prints them (alphabetical).
    pub const ALL: [Protocol; 3] = [Protocol::Sctp, Protocol::Tcp, Protocol::Udp];

    /// The API spelling: `TCP`, `UDP`, `SCTP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    fn index(self) -> usize {
        match self {
            Protocol::Tcp => 0,
            Protocol::Udp => 1,
            Protocol::Sctp => 2,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A protocol name that is none of TCP, UDP, SCTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProtocol(pub String);

impl fmt::Display for UnknownProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown protocol {:?} (expected TCP, UDP or SCTP)",
            self.0
        )
    }
}

impl std::error::Error for UnknownProtocol {}

impl FromStr for Protocol {
    type Err = UnknownProtocol;

    /// Case-insensitive, so that both the API spelling and a CLI's
    /// `--protocol udp` parse.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            "SCTP" => Ok(Protocol::Sctp),
            _ => Err(UnknownProtocol(s.to_string())),
        }
    }
}

/// The protocol of a port entry or container port: TCP when absent.
pub(crate) fn protocol_or_tcp(protocol: Option<&str>) -> Result<Protocol, UnknownProtocol> {
    protocol.map_or(Ok(Protocol::Tcp), str::parse)
}

/// A set of connections: for each protocol, a set of port ranges within
/// 1–65535. Used for "which connections may flow from A to B".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ConnectionSet {
    /// Sorted, disjoint, non-adjacent inclusive ranges, indexed TCP, UDP, SCTP.
    ranges: [Vec<(u16, u16)>; 3],
}

impl ConnectionSet {
    /// No connection at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every port of every protocol.
    pub fn all() -> Self {
        let mut set = Self::none();
        for protocol in Protocol::ALL {
            set.insert_range(protocol, 1, u16::MAX);
        }
        set
    }

    /// Add the inclusive range `first..=last` of `protocol` (port 0 is dropped).
    pub fn insert_range(&mut self, protocol: Protocol, first: u16, last: u16) {
        let first = first.max(1);
        if first > last {
            return;
        }
        let ranges = &mut self.ranges[protocol.index()];
        ranges.push((first, last));
        normalize(ranges);
    }

    /// Add every port of `protocol`.
    pub fn insert_protocol(&mut self, protocol: Protocol) {
        self.insert_range(protocol, 1, u16::MAX);
    }

    /// Whether `port` of `protocol` is in the set.
    pub fn contains(&self, protocol: Protocol, port: u16) -> bool {
        self.ranges[protocol.index()]
            .iter()
            .any(|&(first, last)| first <= port && port <= last)
    }

    /// The ranges of one protocol, sorted and disjoint.
    pub fn ranges(&self, protocol: Protocol) -> &[(u16, u16)] {
        &self.ranges[protocol.index()]
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.iter().all(Vec::is_empty)
    }

    pub fn is_all(&self) -> bool {
        Protocol::ALL.iter().all(|&p| self.is_all_ports(p))
    }

    /// Whether every port of `protocol` is in the set.
    pub fn is_all_ports(&self, protocol: Protocol) -> bool {
        self.ranges[protocol.index()] == [(1, u16::MAX)]
    }

    pub fn union(&self, other: &ConnectionSet) -> ConnectionSet {
        let mut out = self.clone();
        for (mine, theirs) in out.ranges.iter_mut().zip(&other.ranges) {
            mine.extend_from_slice(theirs);
            normalize(mine);
        }
        out
    }

    pub fn intersection(&self, other: &ConnectionSet) -> ConnectionSet {
        let mut out = ConnectionSet::none();
        for (i, slot) in out.ranges.iter_mut().enumerate() {
            for &(a1, a2) in &self.ranges[i] {
                for &(b1, b2) in &other.ranges[i] {
                    let (first, last) = (a1.max(b1), a2.min(b2));
                    if first <= last {
                        slot.push((first, last));
                    }
                }
            }
            normalize(slot);
        }
        out
    }

    /// Everything not in the set.
    pub fn complement(&self) -> ConnectionSet {
        let mut out = ConnectionSet::none();
        for (i, slot) in out.ranges.iter_mut().enumerate() {
            let mut next: u32 = 1;
            for &(first, last) in &self.ranges[i] {
                if u32::from(first) > next {
                    slot.push((next as u16, first - 1));
                }
                next = u32::from(last) + 1;
            }
            if next <= u32::from(u16::MAX) {
                slot.push((next as u16, u16::MAX));
            }
        }
        out
    }
}

fn normalize(ranges: &mut Vec<(u16, u16)>) {
    ranges.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for &(first, last) in ranges.iter() {
        match merged.last_mut() {
            Some(prev) if u32::from(first) <= u32::from(prev.1) + 1 => prev.1 = prev.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    *ranges = merged;
}

/// netpol-analyzer's connection-set syntax: `All Connections`,
/// `No Connections`, or `SCTP 1-65535,TCP 1-79,81-65535,UDP 53`.
impl fmt::Display for ConnectionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("All Connections");
        }
        if self.is_empty() {
            return f.write_str("No Connections");
        }
        let mut first_protocol = true;
        for protocol in Protocol::ALL {
            let ranges = self.ranges(protocol);
            if ranges.is_empty() {
                continue;
            }
            if !first_protocol {
                f.write_str(",")?;
            }
            first_protocol = false;
            write!(f, "{protocol} ")?;
            for (i, (first, last)) in ranges.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                if first == last {
                    write!(f, "{first}")?;
                } else {
                    write!(f, "{first}-{last}")?;
                }
            }
        }
        Ok(())
    }
}

/// What one entry of a rule's `ports` admits, as the policy says it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PortScope {
    /// The rule has no `ports` (or an empty list): every port and protocol.
    Any,
    /// An entry with a protocol but no port: every port of that protocol.
    AllPorts { protocol: Protocol },
    /// `port`, or `port`–`endPort` (clamped to 65535).
    Numbers {
        first: u16,
        last: u16,
        protocol: Protocol,
    },
    /// A named port; `resolved` holds the destination pod's container ports
    /// with that name and protocol, or is `None` when the destination is not
    /// a pod (a named port never matches an address).
    Named {
        name: String,
        protocol: Protocol,
        resolved: Option<Vec<u16>>,
    },
    /// An entry the API server would reject; it admits nothing.
    Invalid { reason: Invalid },
}

/// The connections a rule's `ports` admit, and how each entry reads.
pub(crate) fn rule_ports(
    ports: Option<&[NetworkPolicyPort]>,
    destination_pod: Option<&Pod>,
) -> (ConnectionSet, Vec<PortScope>) {
    let ports = ports.unwrap_or_default();
    if ports.is_empty() {
        return (ConnectionSet::all(), vec![PortScope::Any]);
    }
    let mut set = ConnectionSet::none();
    let mut scopes = Vec::with_capacity(ports.len());
    for entry in ports {
        let scope = port_scope(entry, destination_pod);
        match &scope {
            PortScope::Any => set = ConnectionSet::all(),
            PortScope::AllPorts { protocol } => set.insert_protocol(*protocol),
            PortScope::Numbers {
                first,
                last,
                protocol,
            } => set.insert_range(*protocol, *first, *last),
            PortScope::Named {
                protocol,
                resolved: Some(resolved),
                ..
            } => {
                for &port in resolved {
                    set.insert_range(*protocol, port, port);
                }
            }
            PortScope::Named { resolved: None, .. } | PortScope::Invalid { .. } => {}
        }
        scopes.push(scope);
    }
    (set, scopes)
}

fn port_scope(entry: &NetworkPolicyPort, destination_pod: Option<&Pod>) -> PortScope {
    let protocol = match protocol_or_tcp(entry.protocol.as_deref()) {
        Ok(protocol) => protocol,
        Err(UnknownProtocol(protocol)) => {
            return PortScope::Invalid {
                reason: Invalid::UnknownProtocol { protocol },
            };
        }
    };
    match (&entry.port, entry.end_port) {
        (None, None) => PortScope::AllPorts { protocol },
        (None, Some(_)) => PortScope::Invalid {
            reason: Invalid::EndPortWithoutPort,
        },
        (Some(IntOrString::Int(port)), end_port) => {
            let Some(first) = u16::try_from(*port).ok().filter(|p| *p > 0) else {
                return PortScope::Invalid {
                    reason: Invalid::PortOutOfRange { port: *port },
                };
            };
            let last = match end_port {
                None => first,
                Some(end) if end < *port => {
                    return PortScope::Invalid {
                        reason: Invalid::EndPortBelowPort {
                            port: *port,
                            end_port: end,
                        },
                    };
                }
                // Above 65535 the API server rejects it; evaluators that
                // accept it (kube-network-policies) read it as open-ended.
                Some(end) => u16::try_from(end).unwrap_or(u16::MAX),
            };
            PortScope::Numbers {
                first,
                last,
                protocol,
            }
        }
        (Some(IntOrString::String(_)), Some(_)) => PortScope::Invalid {
            reason: Invalid::EndPortWithNamedPort,
        },
        (Some(IntOrString::String(name)), None) => PortScope::Named {
            name: name.clone(),
            protocol,
            resolved: destination_pod.map(|pod| named_container_ports(pod, name, protocol)),
        },
    }
}

/// The container ports of `pod` named `name` with `protocol`.
///
/// The containers that run for the life of the pod: the regular ones and
/// the native sidecars (init containers with `restartPolicy: Always`,
/// Kubernetes >= 1.29), whose ports a Service or a policy can name as well
/// (`FindPort` in Kubernetes searches `spec.containers`, then those).
/// Plain init containers have exited before the pod serves.
pub(crate) fn named_container_ports(pod: &Pod, name: &str, protocol: Protocol) -> Vec<u16> {
    let mut ports: Vec<u16> = pod
        .spec
        .iter()
        .flat_map(|spec| {
            spec.containers.iter().chain(
                spec.init_containers
                    .iter()
                    .flatten()
                    .filter(|c| c.restart_policy.as_deref() == Some("Always")),
            )
        })
        .flat_map(|container| container.ports.iter().flatten())
        .filter(|port| port.name.as_deref() == Some(name))
        .filter(|port| protocol_or_tcp(port.protocol.as_deref()) == Ok(protocol))
        .filter_map(|port| u16::try_from(port.container_port).ok().filter(|p| *p > 0))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_ports_resolve_in_native_sidecars_but_not_plain_init_containers() {
        let pod: Pod = serde_saphyr::from_str(
            r#"
metadata: {name: web, namespace: shop}
spec:
  initContainers:
  - name: setup
    ports: [{name: admin, containerPort: 9000}]
  - name: auth-proxy
    restartPolicy: Always
    ports: [{name: https, containerPort: 8443}]
  containers:
  - name: web
    ports: [{name: http, containerPort: 8080}]
"#,
        )
        .expect("pod");
        assert_eq!(named_container_ports(&pod, "http", Protocol::Tcp), [8080]);
        assert_eq!(named_container_ports(&pod, "https", Protocol::Tcp), [8443]);
        assert!(named_container_ports(&pod, "https", Protocol::Udp).is_empty());
        assert!(named_container_ports(&pod, "admin", Protocol::Tcp).is_empty());
    }

    #[test]
    fn protocol_parses_case_insensitively() {
        assert_eq!("tcp".parse(), Ok(Protocol::Tcp));
        assert_eq!("Udp".parse(), Ok(Protocol::Udp));
        assert_eq!("SCTP".parse(), Ok(Protocol::Sctp));
        assert!("icmp".parse::<Protocol>().is_err());
        assert_eq!(Protocol::Sctp.to_string(), "SCTP");
    }

    #[test]
    fn connection_set_display_matches_netpol_analyzer() {
        assert_eq!(ConnectionSet::all().to_string(), "All Connections");
        assert_eq!(ConnectionSet::none().to_string(), "No Connections");
        let mut set = ConnectionSet::none();
        set.insert_range(Protocol::Udp, 53, 53);
        set.insert_range(Protocol::Tcp, 80, 80);
        assert_eq!(set.to_string(), "TCP 80,UDP 53");
        let mut only80 = ConnectionSet::none();
        only80.insert_range(Protocol::Tcp, 80, 80);
        assert_eq!(
            only80.complement().to_string(),
            "SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535"
        );
    }

    #[test]
    fn ranges_merge_and_intersect() {
        let mut a = ConnectionSet::none();
        a.insert_range(Protocol::Tcp, 10, 20);
        a.insert_range(Protocol::Tcp, 21, 30);
        a.insert_range(Protocol::Tcp, 5, 12);
        assert_eq!(a.ranges(Protocol::Tcp), &[(5, 30)]);
        let mut b = ConnectionSet::none();
        b.insert_range(Protocol::Tcp, 25, 40);
        b.insert_range(Protocol::Udp, 1, 100);
        assert_eq!(a.intersection(&b).to_string(), "TCP 25-30");
        assert_eq!(a.union(&b).to_string(), "TCP 5-40,UDP 1-100");
        assert_eq!(a.complement().complement(), a);
        assert!(ConnectionSet::none().complement().is_all());
    }

    #[test]
    fn port_zero_is_never_a_member_of_a_range() {
        let mut set = ConnectionSet::none();
        set.insert_range(Protocol::Tcp, 0, 0);
        assert!(set.is_empty());
        assert!(!ConnectionSet::all().contains(Protocol::Tcp, 0));
    }
}
