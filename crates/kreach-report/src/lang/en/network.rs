//! The network checks' words (en), and NetworkPolicy rejections (shared
//! with `kreach policy`).

use kreach_core::checks;
use kreach_core::checks::cloud::cloud_health_check_mismatch::{Cloud, ExpectedPort, Mismatch};
use kreach_core::checks::network::networkpolicy_denies::Arriving;
use kreach_core::message::network::Evidence;
use kreach_core::traffic::{LegKind, NodeAddress, NodeSource};
use kreach_netpol::{
    Direction, Invalid, OtherEnd, PeerMismatch, PeerScope, PortScope, Rejection, RejectionCause,
    RequirementProblem, RuleMiss, RuleNote, labels_text, selector_is_empty, selector_text,
};

use super::*;

/// One line of evidence of this group.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::NodeCondition {
            type_,
            status,
            since,
            reason,
            message,
        } => format!(
            "{type_}={status} since {}: {}{}",
            since.as_deref().unwrap_or("?"),
            reason.as_deref().unwrap_or(""),
            message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ),
        Evidence::PodCondition {
            type_,
            status,
            since,
            message,
        } => format!(
            "{type_}={status} since {}{}",
            since.as_deref().unwrap_or(""),
            message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ),
        Evidence::OtherEntryNodesRemain { count } => format!("{count} other entry nodes remain"),
        Evidence::ReadyEndpointsOnOtherNodes => {
            "ready endpoints on other nodes still serve part of the traffic".into()
        }
        Evidence::PodsCutOff { node, pods } => format!(
            "pods of the path on {node}: {} (cut off from the other nodes)",
            pods.join(", ")
        ),
        Evidence::OtherNodesServe => {
            "other nodes still serve ready endpoints: part of the traffic fails".into()
        }
        Evidence::EntryNodeOfPath { node } => format!(
            "node {node} is an entry node of the path: its NodePort rules come from this kube-proxy"
        ),
        Evidence::LastExit { exit_code, reason } => format!(
            "last exit: code {exit_code}, reason {}",
            reason.as_deref().unwrap_or("unknown")
        ),
        Evidence::KubeProxyMode { mode } => format!("kube-proxy mode in its ConfigMap: {mode}"),
        Evidence::EntryNodesAffected { affected, total } => {
            format!("{affected} of {total} entry nodes are affected")
        }
        Evidence::PodNetwork { cidrs } => format!("pod network: {}", cidrs.join(", ")),
        Evidence::RepliesRoutedIntoPodNetwork => {
            "replies to the client are routed into the pod network, not back to the client".into()
        }
        Evidence::InNodePodCidr { address, node } => {
            format!("{address} is in node {node}'s podCIDR")
        }
        Evidence::ServiceNetworkInferred { network } => format!(
            "Service network {network}, inferred from the ClusterIPs in use (kubernetes.default holds its first address)"
        ),
        Evidence::RepliesCapturedByKubeProxy => "nodes treat Service-network destinations as their own: replies to the client can be captured by kube-proxy's rules instead of being routed to it".into(),
        Evidence::IsClusterIp { address } => format!("{address} is even the ClusterIP of a Service"),
        Evidence::CidrsMustNotOverlap => "the Service CIDR and the pod CIDR must not overlap".into(),
        Evidence::NodeAndPodRoutesCollide => "node and pod routes collide on every node".into(),
        Evidence::RenumberClient => {
            "give the client (VPN pool) a range outside the cluster's pod and Service networks"
                .into()
        }
        Evidence::RenumberNodeNetwork => "renumber the node network or the pod CIDR".into(),
        Evidence::PolicyRejects { rejection: r } => rejection(r),
        Evidence::PoliciesSelectingPod { policies } => format!(
            "policies selecting the pod: {}",
            policies
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Evidence::SomeNodeAddressesAdmitted {
            pod,
            admitted,
            denied,
        } => format!(
            "from {pod} the policies admit {} but not {}",
            admitted
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            denied
                .iter()
                .map(|n| format!("{} ({})", n.ip, node_address(&n.address)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Evidence::SomePodsAdmit => {
            "some pods still admit it: the traffic fails only for part of the requests".into()
        }
        Evidence::IpBlockReading {
            pod_ips_match: true,
            cni,
        } => format!(
            "{}: a pod's IP inside an ipBlock matches it (the upstream conformance reading); the other reading would admit this traffic",
            match cni {
                Some(c) => format!("ipBlock read as the cluster's CNI ({c}) reads it"),
                None => "ipBlock read as the NetworkPolicy conformance tests do (the CNI is not known)".into(),
            }
        ),
        Evidence::IpBlockReading {
            pod_ips_match: false,
            cni,
        } => format!(
            "ipBlock read as the cluster's CNI ({}) reads it: pod IPs never match a block, only addresses outside the cluster; the conformance reading would admit this traffic",
            cni.as_deref().unwrap_or("unknown")
        ),
        Evidence::MinimalRule { rule } => format!(
            "a minimal ingress rule that admits it: {}",
            serde_json::to_value(rule).unwrap_or_default()
        ),
        Evidence::MinimalRuleNote { note } => rule_note(note),
        Evidence::ClientAddressUnknown => {
            "the client's address is unknown: pass --from ADDR to check a particular client".into()
        }
        Evidence::HealthCheckMismatch { mismatch } => health_check_mismatch(mismatch),
        Evidence::LocalHealthCheckNodePort { port } => format!(
            "externalTrafficPolicy Local: kube-proxy answers health checks on healthCheckNodePort {port}"
        ),
    }
}

pub fn cidr_overlap(p: &checks::network::cidr_overlap::Problem) -> String {
    use checks::network::cidr_overlap::Problem as P;
    match p {
        P::ClientInPodNetwork { client, network } => {
            format!("client address {client} lies inside the pod network {network}")
        }
        P::ClientInServiceNetwork { client, network } => {
            format!("client address {client} lies inside the Service network {network}")
        }
        P::PodNetworkOverlapsServiceNetwork {
            pod_network,
            service_network,
        } => {
            format!("the pod network {pod_network} overlaps the Service network {service_network}")
        }
        P::ClusterIpsInPodNetwork { cluster_ips } => format!(
            "ClusterIPs lie inside the pod network: {}",
            cluster_ips
                .iter()
                .take(4)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        P::NodeAddressInPodNetwork {
            address, network, ..
        } => format!("node address {address} lies inside the pod network {network}"),
        P::PodCidrsOverlap {
            node,
            pod_cidr,
            other_node,
            other_pod_cidr,
        } => format!(
            "podCIDR {pod_cidr} of node {node} overlaps podCIDR {other_pod_cidr} of node {other_node}"
        ),
    }
}

pub fn ingress_alb_target_type_mismatch(
    p: &checks::cloud::ingress_alb_target_type_mismatch::Problem,
) -> String {
    use checks::cloud::ingress_alb_target_type_mismatch::Problem as P;
    match p {
        P::InstanceTargetWithoutNodePort {
            service,
            service_type,
            set_on,
        } => format!(
            "the AWS Load Balancer Controller registers targets of type instance ({}) on the node port of Service {service}, which is {service_type} and has none: the ALB gets no target",
            match set_on {
                Some(o) => format!("set on {o}"),
                None => "the default".into(),
            }
        ),
    }
}

pub fn cloud_health_check_mismatch(
    p: &checks::cloud::cloud_health_check_mismatch::Problem,
) -> String {
    use checks::cloud::cloud_health_check_mismatch::Problem as P;
    match p {
        P::BackendConfig { backend_config } => format!(
            "GKE health check is set by BackendConfig {backend_config}, which kreach does not read"
        ),
        P::GkeDefaultHealthCheck {
            serving_port,
            probe_port: None,
        } => format!(
            "GKE Ingress health-checks this backend with GET / on port {serving_port}, and only a 200 passes (a redirect or a 404 fails it, though the kubelet counts 3xx as ready): the pods have no HTTP readiness probe to derive the check from"
        ),
        P::GkeDefaultHealthCheck {
            serving_port,
            probe_port: Some(probe),
        } => format!(
            "GKE Ingress health-checks this backend with GET / on port {serving_port}, and only a 200 passes: the pods' HTTP readiness probe is on port {probe}, not the serving port, so GKE does not use its path"
        ),
        P::Mismatch { cloud, mismatch } => format!(
            "{} load-balancer health check does not fit the pods: {}",
            match cloud {
                Cloud::Aws => "AWS",
                Cloud::Azure => "Azure",
                Cloud::AlibabaCloud => "Alibaba Cloud",
            },
            health_check_mismatch(mismatch)
        ),
    }
}

fn health_check_mismatch(m: &Mismatch) -> String {
    match m {
        Mismatch::HttpsAgainstHttp {
            annotation,
            value,
            probe_schemes,
        } => format!(
            "{annotation}={value}, but the pods serve plain HTTP (their probes use {})",
            probe_schemes.join(", ")
        ),
        Mismatch::HttpAgainstHttps { annotation, value } => {
            format!("{annotation}={value}, but the pods serve HTTPS (their probes use HTTPS)")
        }
        Mismatch::PortNotServed {
            annotation,
            value,
            expected,
        } => {
            let want = match expected {
                ExpectedPort::HealthCheckNodePort { port } => format!("healthCheckNodePort {port}"),
                ExpectedPort::NodePort { ports } => format!(
                    "a nodePort ({})",
                    ports
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!(
                "{annotation}={value} is not a port the nodes serve for this Service: the check must hit {want} or traffic-port"
            )
        }
        Mismatch::PathNotProbed {
            annotation,
            value,
            probe_paths,
        } => format!(
            "{annotation}={value} is not a path the pods' probes use ({}): it may not answer 200",
            probe_paths.join(", ")
        ),
        Mismatch::DefaultPathNotProbed {
            port,
            app_protocol,
            version,
            probe_paths,
        } => format!(
            "no annotation sets the probe, and since Kubernetes 1.24 (the nodes run {version}) Azure probes port {port} with its appProtocol {app_protocol} on /, a path the pods' probes do not use ({}): it may not answer 200",
            probe_paths.join(", ")
        ),
    }
}

/// `kube-proxy is not working: Running, not ready, …` (the agent's state,
/// or that it has no pod on the node).
fn agent_state(state: &Option<PodState>) -> String {
    match state {
        Some(st) => pod_state(st),
        None => "no pod on this node".into(),
    }
}

pub fn cni_not_ready(p: &checks::network::cni_not_ready::Problem) -> String {
    use checks::network::cni_not_ready::Problem as P;
    match p {
        P::AgentNotWorking { agent, node, state } => format!(
            "{agent} on node {node} is not working: {}",
            agent_state(state)
        ),
    }
}

pub fn kube_proxy_not_ready(p: &checks::network::kube_proxy_not_ready::Problem) -> String {
    use checks::network::kube_proxy_not_ready::Problem as P;
    match p {
        P::NotWorking { node, state } => format!(
            "kube-proxy on node {node} is not working: {}",
            agent_state(state)
        ),
    }
}

pub fn networkpolicy_denies(p: &checks::network::networkpolicy_denies::Problem) -> String {
    use checks::network::networkpolicy_denies::Problem as P;
    match p {
        P::AdmitsNone {
            policy,
            pods,
            leg,
            source,
            port,
            protocol,
        } => format!(
            "{policy} selects {} and admits none of the traffic that arrives ({}): {} on port {port}/{protocol}",
            if pods.len() == 1 {
                format!("pod {}", pods[0])
            } else {
                format!("{} pods", pods.len())
            },
            leg_kind(leg),
            arriving(source),
        ),
        P::ExternalClientsOnlyFrom { ranges } => format!(
            "NetworkPolicies admit external clients only from {}",
            ranges.join(", ")
        ),
    }
}

pub fn node_not_ready(p: &checks::network::node_not_ready::Problem) -> String {
    use checks::network::node_not_ready::Problem as P;
    match p {
        P::EntryNodeNotReady { node, status } => format!(
            "entry node {node} is {}",
            if status == "Unknown" {
                "Unknown (not reporting)"
            } else {
                "NotReady"
            }
        ),
        P::NetworkUnavailable { node } => format!("node {node} reports NetworkUnavailable"),
    }
}

/// `client → ingress controller`.
fn leg_kind(l: &LegKind) -> String {
    match l {
        LegKind::ClientToPod => "client → pod".into(),
        LegKind::ClientThroughService { via } => format!("client → {} → pods", via.name()),
        LegKind::CloudLoadBalancer { product } => format!("{product} load balancer → pods"),
        LegKind::ClientToController => "client → ingress controller".into(),
        LegKind::ControllerToPods => "ingress controller → pods".into(),
    }
}

/// Who arrives at the pods: `client 203.0.113.7`, `SNATed node addresses …`.
fn arriving(a: &Arriving) -> String {
    match a {
        Arriving::Client { ip } => format!("client {ip}"),
        Arriving::AnyExternalClient => "any external client".into(),
        Arriving::SnatNodeAddresses { addresses } => {
            let shown: Vec<String> = addresses.iter().map(node_source).collect();
            format!("SNATed node addresses {}", list(&shown, 4))
        }
        Arriving::ControllerPod { namespace, name } => {
            format!("ingress controller pod {namespace}/{name}")
        }
    }
}

/// `10.0.0.11 (InternalIP of node-a)`.
fn node_source(n: &NodeSource) -> String {
    format!("{} ({} of {})", n.ip, node_address(&n.address), n.node)
}

fn node_address(a: &NodeAddress) -> String {
    match a {
        NodeAddress::InternalIp => "InternalIP".into(),
        NodeAddress::CniGateway { pod_cidr } => format!("CNI gateway in podCIDR {pod_cidr}"),
    }
}

fn rule_note(n: &RuleNote) -> String {
    match n {
        RuleNote::AdmitsWholeNamespace {
            source_namespace,
            destination_namespace,
            destination,
        } => format!(
            "the source pod has no identifying labels, so the rule admits every pod in namespace {source_namespace} (to {destination_namespace}/{destination})"
        ),
    }
}

// ------------------------------------------------------------ NetworkPolicy

/// `NetworkPolicy/ns/name: rule 1 admits only …; source … does not match`.
pub fn rejection(r: &Rejection) -> String {
    format!("{}: {}", r.policy, rejection_cause(r.direction, &r.cause))
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

/// What the other end of the connection is called.
fn role(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "source",
        Direction::Egress => "destination",
    }
}

fn rejection_cause(d: Direction, cause: &RejectionCause) -> String {
    let (rules, other, port, protocol) = match cause {
        RejectionCause::NoRules => {
            return format!("policy has no {} rules (deny all)", direction(d));
        }
        RejectionCause::RulesMiss {
            rules,
            other,
            port,
            protocol,
        } => (rules, other, port, protocol),
    };
    let role = role(d);
    if cause.ports_only() {
        let mut admitted: Vec<String> = Vec::new();
        for scope in rules.iter().flat_map(|miss| miss.ports.iter().flatten()) {
            let text = port_scope(scope);
            if !admitted.contains(&text) {
                admitted.push(text);
            }
        }
        return format!(
            "no rule admits port {port}/{protocol} (rules admit {})",
            admitted.join(", ")
        );
    }
    if let [miss] = rules.as_slice() {
        let peers = miss.peers.as_deref().unwrap_or_default();
        let mut message = format!(
            "{}; {}",
            rule_miss(miss),
            peer_mismatch(PeerMismatch::of(peers, other), role, other)
        );
        if miss.ports.is_some() {
            message.push_str(&format!(
                ", and port {port}/{protocol} is not admitted either"
            ));
        }
        return message;
    }
    let fragments: Vec<String> = rules.iter().map(rule_miss).collect();
    format!(
        "no rule admits {role} {} on port {port}/{protocol}: {}",
        other_end(other),
        fragments.join("; ")
    )
}

/// `rule 2 admits only pods with app=web in namespace shop on 80/TCP`.
fn rule_miss(miss: &RuleMiss) -> String {
    let rule = miss.index + 1;
    let peers = |p: &[PeerScope]| p.iter().map(peer_scope).collect::<Vec<_>>().join(" or ");
    let ports = |p: &[PortScope]| p.iter().map(port_scope).collect::<Vec<_>>().join(", ");
    match (&miss.peers, &miss.ports) {
        (Some(pe), None) => format!("rule {rule} admits only {}", peers(pe)),
        (None, Some(po)) => format!("rule {rule} admits only {}", ports(po)),
        (Some(pe), Some(po)) => {
            format!("rule {rule} admits only {} on {}", peers(pe), ports(po))
        }
        (None, None) => format!("rule {rule} admits it"),
    }
}

/// Why the far end is outside the peers.
fn peer_mismatch(m: PeerMismatch, role: &str, other: &OtherEnd) -> String {
    let text = other_end(other);
    match (m, other) {
        (PeerMismatch::AddressOutsideCluster, _) => {
            format!("{role} {text} is an address outside the cluster")
        }
        (PeerMismatch::AddressNotInBlocks, _) => {
            format!("{role} {text} is not in those addresses")
        }
        (PeerMismatch::PodNotAnAddress, _) => format!(
            "{role} {text} is a pod, and ipBlock peers are taken to admit only addresses outside the cluster"
        ),
        (
            PeerMismatch::PodNamespaceDoesNotMatch,
            OtherEnd::Pod {
                namespace,
                namespace_labels,
                ..
            },
        ) => format!(
            "{role} {text} in namespace {namespace} ({}) does not match",
            labels_text(namespace_labels)
        ),
        (PeerMismatch::PodNamespaceDoesNotMatch | PeerMismatch::PodDoesNotMatch, _) => {
            format!("{role} {text} does not match")
        }
    }
}

/// `pod shop/web (app=web)` or `10.0.0.11`.
pub(super) fn other_end(o: &OtherEnd) -> String {
    match o {
        OtherEnd::Address { ip } => ip.to_string(),
        OtherEnd::Pod {
            namespace,
            name,
            labels,
            ..
        } => {
            let labels = labels_text(labels);
            if labels.is_empty() {
                format!("pod {namespace}/{name} (no labels)")
            } else {
                format!("pod {namespace}/{name} ({labels})")
            }
        }
    }
}

/// What one peer of a rule admits: `pods with app=web in namespace shop`.
fn peer_scope(p: &PeerScope) -> String {
    match p {
        PeerScope::Any => "any peer".into(),
        PeerScope::Pods {
            pod_selector,
            namespace_selector,
            policy_namespace,
        } => {
            let pods = match pod_selector.as_ref().filter(|s| !selector_is_empty(s)) {
                Some(sel) => format!("pods with {}", selector_text(sel)),
                None => "all pods".into(),
            };
            let namespaces = match namespace_selector {
                None => format!(" in namespace {policy_namespace}"),
                Some(sel) if selector_is_empty(sel) => " in all namespaces".into(),
                Some(sel) => format!(" in namespaces with {}", selector_text(sel)),
            };
            format!("{pods}{namespaces}")
        }
        PeerScope::Addresses { cidr, except } if except.is_empty() => {
            format!("addresses in {cidr}")
        }
        PeerScope::Addresses { cidr, except } => {
            format!("addresses in {cidr} except {}", except.join(", "))
        }
        PeerScope::Invalid { reason } => format!("nothing ({})", invalid(reason)),
    }
}

/// What one `ports` entry admits: `443/TCP`, `http/TCP (= 8080)`.
fn port_scope(p: &PortScope) -> String {
    match p {
        PortScope::Any => "any port".into(),
        PortScope::AllPorts { protocol } => format!("all {protocol} ports"),
        PortScope::Numbers {
            first,
            last,
            protocol,
        } if first == last => format!("{first}/{protocol}"),
        PortScope::Numbers {
            first,
            last,
            protocol,
        } => format!("{first}-{last}/{protocol}"),
        PortScope::Named {
            name,
            protocol,
            resolved: None,
        } => format!("{name}/{protocol} (a named port, and the destination is not a pod)"),
        PortScope::Named {
            name,
            protocol,
            resolved: Some(ports),
        } if ports.is_empty() => format!(
            "{name}/{protocol} (no {protocol} container port of the destination pod is named {name})"
        ),
        PortScope::Named {
            name,
            protocol,
            resolved: Some(ports),
        } => format!(
            "{name}/{protocol} (= {})",
            ports
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        PortScope::Invalid { reason } => format!("nothing ({})", invalid(reason)),
    }
}

/// Why the API server would reject a peer or port entry.
fn invalid(i: &Invalid) -> String {
    match i {
        Invalid::IpBlockWithSelector => "peer sets ipBlock together with a selector".into(),
        Invalid::EmptyPeer => "peer sets none of podSelector, namespaceSelector, ipBlock".into(),
        Invalid::BadCidr { cidr } => format!("ipBlock cidr {cidr:?} is not a valid CIDR"),
        Invalid::BadExcept { except } => {
            format!("ipBlock except entry {except:?} is not a valid CIDR")
        }
        Invalid::BadRequirement {
            key,
            operator,
            problem,
        } => format!(
            "selector requirement on {key:?} with operator {operator:?} {}",
            match problem {
                RequirementProblem::NeedsValues => "needs at least one value",
                RequirementProblem::MustNotHaveValues => "must not have values",
                RequirementProblem::UnknownOperator =>
                    "is not one of In, NotIn, Exists, DoesNotExist",
            }
        ),
        Invalid::UnknownProtocol { protocol } => {
            format!("unknown protocol {protocol:?} (expected TCP, UDP or SCTP)")
        }
        Invalid::EndPortWithoutPort => "endPort without port".into(),
        Invalid::PortOutOfRange { port } => format!("port {port} is outside 1-65535"),
        Invalid::EndPortBelowPort { port, end_port } => {
            format!("endPort {end_port} is below port {port}")
        }
        Invalid::EndPortWithNamedPort => "endPort with a named port".into(),
    }
}

#[cfg(test)]
mod tests {
    //! The wording of NetworkPolicy rejections, from decisions of the
    //! evaluator (the sentences `kreach-netpol` used to write itself).
    use std::collections::BTreeMap;

    use k8s_openapi::api::core::v1::Pod;
    use k8s_openapi::api::networking::v1::NetworkPolicy;
    use kreach_netpol::{Decision, Peer, Protocol, evaluate};
    use serde_json::{Value, json};

    use super::rejection;

    fn pod(name: &str, labels: Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "shop", "labels": labels},
            "spec": {"containers": [{"name": "main", "ports": [
                {"name": "http", "containerPort": 8080},
                {"name": "dns", "containerPort": 53, "protocol": "UDP"},
            ]}]},
        }))
        .unwrap()
    }

    fn policy(name: &str, spec: Value) -> NetworkPolicy {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "shop"}, "spec": spec,
        }))
        .unwrap()
    }

    static NONE: BTreeMap<String, String> = BTreeMap::new();

    fn ip(s: &str) -> Peer<'static> {
        Peer::External(s.parse().unwrap())
    }

    fn tcp(policies: &[NetworkPolicy], src: &Peer<'_>, dst: &Peer<'_>, port: u16) -> Decision {
        evaluate(policies, src, dst, port, Protocol::Tcp)
    }

    fn ingress(d: &Decision) -> Vec<String> {
        d.ingress.rejections.iter().map(rejection).collect()
    }

    #[test]
    fn rejections_read_as_before() {
        let web = pod("web", json!({}));
        let w = Peer::pod(&web, &NONE);
        let deny = policy("deny", json!({"podSelector": {}}));
        assert_eq!(
            ingress(&tcp(std::slice::from_ref(&deny), &ip("10.0.0.11"), &w, 80)),
            ["NetworkPolicy/shop/deny: policy has no ingress rules (deny all)"]
        );
        let egress = policy(
            "deny-egress",
            json!({"podSelector": {}, "policyTypes": ["Egress"]}),
        );
        let d = tcp(&[egress], &w, &ip("203.0.113.9"), 443);
        assert_eq!(
            rejection(&d.egress.rejections[0]),
            "NetworkPolicy/shop/deny-egress: policy has no egress rules (deny all)"
        );
        let ports = policy(
            "p",
            json!({"podSelector": {}, "ingress": [{"ports": [{"port": 443}]}]}),
        );
        assert_eq!(
            ingress(&tcp(&[ports], &ip("203.0.113.9"), &w, 8080)),
            ["NetworkPolicy/shop/p: no rule admits port 8080/TCP (rules admit 443/TCP)"]
        );
        let dns = policy(
            "p",
            json!({"podSelector": {}, "ingress": [{"ports": [{"port": "dns"}]}]}),
        );
        assert!(
            ingress(&tcp(&[dns], &ip("203.0.113.9"), &w, 53))[0]
                .contains("dns/TCP (no TCP container port of the destination pod is named dns)")
        );
        let frontend = policy(
            "allow-frontend",
            json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}]}]}),
        );
        assert_eq!(
            ingress(&tcp(
                std::slice::from_ref(&frontend),
                &ip("10.0.0.11"),
                &w,
                8080
            )),
            [
                "NetworkPolicy/shop/allow-frontend: rule 1 admits only pods with app=frontend in namespace shop; source 10.0.0.11 is an address outside the cluster"
            ]
        );
        let stranger = pod(
            "stranger",
            json!({"app": "stranger", "pod-template-hash": "abc"}),
        );
        assert_eq!(
            ingress(&tcp(&[frontend], &Peer::pod(&stranger, &NONE), &w, 8080)),
            [
                "NetworkPolicy/shop/allow-frontend: rule 1 admits only pods with app=frontend in namespace shop; source pod shop/stranger (app=stranger) does not match"
            ]
        );
        let two = policy(
            "two",
            json!({"podSelector": {}, "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"app": "nope"}}}]},
                {"from": [{"podSelector": {"matchLabels": {"app": "frontend"}}}], "ports": [{"port": 80}]}]}),
        );
        assert_eq!(
            ingress(&tcp(&[deny, two], &ip("10.0.0.11"), &w, 8080)),
            [
                "NetworkPolicy/shop/deny: policy has no ingress rules (deny all)",
                "NetworkPolicy/shop/two: no rule admits source 10.0.0.11 on port 8080/TCP: rule 1 admits only pods with app=nope in namespace shop; \
                 rule 2 admits only pods with app=frontend in namespace shop on 80/TCP",
            ]
        );
        let block = policy(
            "egress-block",
            json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "192.0.2.0/24"}}]}]}),
        );
        let d = tcp(std::slice::from_ref(&block), &w, &ip("198.51.100.7"), 443);
        assert_eq!(
            rejection(&d.egress.rejections[0]),
            "NetworkPolicy/shop/egress-block: rule 1 admits only addresses in 192.0.2.0/24; destination 198.51.100.7 is not in those addresses"
        );
        let client = pod("client", json!({}));
        let d = tcp(&[block], &w, &Peer::pod(&client, &NONE), 443);
        assert_eq!(
            rejection(&d.egress.rejections[0]),
            "NetworkPolicy/shop/egress-block: rule 1 admits only addresses in 192.0.2.0/24; destination pod shop/client (no labels) is a pod, and ipBlock peers are taken to admit only addresses outside the cluster"
        );
    }

    #[test]
    fn broken_rules_say_why_they_admit_nothing() {
        let web = pod("web", json!({}));
        let w = Peer::pod(&web, &NONE);
        let cases = [
            (
                json!({"from": [{"ipBlock": {"cidr": "10.0.0.0"}}]}),
                "nothing (ipBlock cidr \"10.0.0.0\" is not a valid CIDR)",
            ),
            (
                json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["bogus"]}}]}),
                "ipBlock except entry \"bogus\" is not a valid CIDR",
            ),
            (
                json!({"from": [{}]}),
                "peer sets none of podSelector, namespaceSelector, ipBlock",
            ),
            (
                json!({"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}),
                "peer sets ipBlock together with a selector",
            ),
            (
                json!({"ports": [{"port": 90, "endPort": 80}]}),
                "endPort 80 is below port 90",
            ),
            (json!({"ports": [{"port": 0}]}), "port 0 is outside 1-65535"),
            (
                json!({"ports": [{"port": "http", "endPort": 90}]}),
                "endPort with a named port",
            ),
            (json!({"ports": [{"endPort": 90}]}), "endPort without port"),
            (
                json!({"ports": [{"protocol": "ICMP"}]}),
                "unknown protocol \"ICMP\" (expected TCP, UDP or SCTP)",
            ),
            (
                json!({"from": [{"podSelector": {"matchExpressions": [
                    {"key": "app", "operator": "Equals", "values": ["x"]}]}}]}),
                "selector requirement on \"app\" with operator \"Equals\" is not one of In, NotIn, Exists, DoesNotExist",
            ),
        ];
        for (rule, why) in cases {
            let p = policy("p", json!({"podSelector": {}, "ingress": [rule.clone()]}));
            let text = ingress(&tcp(&[p], &ip("10.0.0.1"), &w, 80)).join("\n");
            assert!(text.contains(why), "{rule}: {text}");
        }
    }
}
