//! Why the API server would reject a rule's peer or port entry: such a
//! part admits nothing (see the crate docs), and a report says why.

use serde::Serialize;

/// What is wrong with a peer (`from` / `to` entry) or a `ports` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invalid {
    /// A peer sets `ipBlock` together with a selector.
    IpBlockWithSelector,
    /// A peer sets none of `podSelector`, `namespaceSelector`, `ipBlock`.
    EmptyPeer,
    /// `ipBlock.cidr` is not a CIDR.
    BadCidr { cidr: String },
    /// An `ipBlock.except` entry is not a CIDR.
    BadExcept { except: String },
    /// A selector requirement the API server rejects.
    BadRequirement {
        key: String,
        operator: String,
        problem: RequirementProblem,
    },
    /// A protocol other than TCP, UDP, SCTP.
    UnknownProtocol { protocol: String },
    /// `endPort` without `port`.
    EndPortWithoutPort,
    /// `port` outside 1–65535.
    PortOutOfRange { port: i32 },
    /// `endPort` below `port`.
    EndPortBelowPort { port: i32, end_port: i32 },
    /// `endPort` with a named `port`.
    EndPortWithNamedPort,
}

/// What is wrong with a selector requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequirementProblem {
    /// `In` / `NotIn` without values.
    NeedsValues,
    /// `Exists` / `DoesNotExist` with values.
    MustNotHaveValues,
    /// An operator other than `In`, `NotIn`, `Exists`, `DoesNotExist`.
    UnknownOperator,
}
