//! Cluster network facts derived from state: the pod network (node
//! `podCIDR`s and kube-proxy's `clusterCIDR`), the Service network
//! (kube-proxy / ClusterIPs), node addresses.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::object::MetaExt;
use crate::snapshot::Snapshot;

/// The pod CIDRs the cluster uses: every node's `podCIDRs`, plus
/// kube-proxy's `clusterCIDR` when its ConfigMap is there.
pub fn pod_cidrs(snap: &Snapshot) -> Vec<IpNet> {
    let mut v: Vec<IpNet> = Vec::new();
    for n in &snap.nodes {
        if let Some(spec) = &n.spec {
            for c in spec.pod_cidrs.iter().flatten().chain(spec.pod_cidr.iter()) {
                if let Ok(net) = c.parse::<IpNet>()
                    && !v.contains(&net)
                {
                    v.push(net);
                }
            }
        }
    }
    for c in kube_proxy_setting(snap, "clusterCIDR")
        .into_iter()
        .flat_map(|s| {
            s.split(',')
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    {
        if let Ok(net) = c.parse::<IpNet>()
            && !v.contains(&net)
        {
            v.push(net);
        }
    }
    v
}

/// The cluster-wide pod network: kube-proxy's `clusterCIDR` when known.
pub fn cluster_cidr(snap: &Snapshot) -> Vec<IpNet> {
    kube_proxy_setting(snap, "clusterCIDR")
        .map(|s| s.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .unwrap_or_default()
}

/// A top-level scalar setting of kube-proxy's configuration
/// (`KubeProxyConfiguration` in the `kube-proxy` ConfigMap), e.g. `mode`,
/// `clusterCIDR`.
pub fn kube_proxy_setting(snap: &Snapshot, key: &str) -> Option<String> {
    for cm in &snap.config_maps {
        for (_, text) in cm.data.iter().flatten() {
            if !text.contains("KubeProxyConfiguration") {
                continue;
            }
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix(&format!("{key}:")) {
                    let v = rest.trim().trim_matches('"').trim_matches('\'');
                    if !v.is_empty() {
                        return Some(v.to_string());
                    }
                }
            }
        }
    }
    None
}

/// Whether an address lies in the pod network.
pub fn in_pod_network(snap: &Snapshot, ip: IpAddr) -> bool {
    pod_cidrs(snap).iter().any(|n| n.contains(&ip))
}

/// The ClusterIPs in use, for guessing the Service CIDR.
pub fn cluster_ips(snap: &Snapshot) -> Vec<IpAddr> {
    snap.services
        .iter()
        .filter_map(|s| s.spec.as_ref()?.cluster_ip.as_deref()?.parse().ok())
        .collect()
}

/// The Service network, inferred from state (the API server's
/// `--service-cluster-ip-range` is not an object): it starts at the address
/// before the `kubernetes.default` ClusterIP (always the range's first
/// usable address) and is as wide as the ClusterIPs in use need, at least a
/// /16. None when the cluster has no ClusterIPs to go by.
pub fn service_cidr(snap: &Snapshot) -> Option<IpNet> {
    let ips: Vec<std::net::Ipv4Addr> = cluster_ips(snap)
        .into_iter()
        .filter_map(|ip| match ip {
            IpAddr::V4(v) => Some(v),
            IpAddr::V6(_) => None,
        })
        .collect();
    let first = snap
        .service("default", "kubernetes")
        .and_then(|s| {
            s.spec
                .as_ref()?
                .cluster_ip
                .as_deref()?
                .parse::<std::net::Ipv4Addr>()
                .ok()
        })
        .map(|ip| u32::from(ip).saturating_sub(1))
        .or_else(|| ips.iter().map(|ip| u32::from(*ip)).min())?;
    let mut prefix: u8 = 16;
    loop {
        let mask = if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix)
        };
        let net = first & mask;
        if ips.iter().all(|ip| u32::from(*ip) & mask == net) || prefix == 0 {
            return ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(net), prefix)
                .ok()
                .map(IpNet::V4);
        }
        prefix -= 1;
    }
}

/// The node whose podCIDR holds an address.
pub fn node_for_pod_ip(snap: &Snapshot, ip: IpAddr) -> Option<&str> {
    snap.nodes.iter().find_map(|n| {
        let spec = n.spec.as_ref()?;
        spec.pod_cidrs
            .iter()
            .flatten()
            .chain(spec.pod_cidr.iter())
            .filter_map(|c| c.parse::<IpNet>().ok())
            .any(|net| net.contains(&ip))
            .then(|| n.name())
    })
}

/// The Node that has `address` among its status addresses (any type).
pub fn node_holding<'a>(
    snap: &'a Snapshot,
    address: &str,
) -> Option<&'a k8s_openapi::api::core::v1::Node> {
    snap.nodes.iter().find(|n| {
        n.status
            .as_ref()
            .and_then(|s| s.addresses.as_ref())
            .is_some_and(|a| a.iter().any(|x| x.address == address))
    })
}

/// How NetworkPolicy `ipBlock` peers are read for pod addresses, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpBlockReading {
    pub scope: kreach_netpol::IpBlockScope,
    /// The CNI plugin whose behaviour decided it (`cilium`, `calico-node`,
    /// …), None when the cluster's CNI is not known.
    pub cni: Option<&'static str>,
}

/// The `ipBlock` reading of this cluster's CNI. The API leaves it open
/// whether an ipBlock matches pod IPs; the upstream NetworkPolicy
/// conformance tests expect it to (Calico, Antrea, OVN-Kubernetes,
/// kube-router, the AWS VPC CNI agent do), Cilium does not for the
/// endpoints it manages ("CIDR rules do not apply to traffic where both
/// sides are managed by Cilium", docs.cilium.io, Layer 3 policy). Without a
/// known CNI, the conformance reading.
pub fn ip_block_reading(snap: &Snapshot) -> IpBlockReading {
    use crate::nodes::{Agent, agent_of};
    use kreach_netpol::IpBlockScope;
    let cni = snap.pods.iter().find_map(|p| match agent_of(snap, p) {
        Some(Agent::Cni(name)) => Some(name),
        _ => None,
    });
    let scope = match cni {
        Some("cilium") => IpBlockScope::ExternalOnly,
        _ => IpBlockScope::AlsoPodIps,
    };
    IpBlockReading { scope, cni }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixtures_dir, load_fixture};
    use kreach_netpol::IpBlockScope;

    fn fixture(rel: &str) -> crate::testing::Fixture {
        load_fixture(&fixtures_dir().join("checks").join(rel))
    }

    #[test]
    fn the_ip_block_reading_follows_the_cni_and_defaults_to_conformance() {
        let cilium = fixture("networkpolicy-denies/fires-cilium-ipblock.yaml");
        assert_eq!(
            ip_block_reading(&cilium.snapshot),
            IpBlockReading {
                scope: IpBlockScope::ExternalOnly,
                cni: Some("cilium")
            }
        );
        let calico = fixture("networkpolicy-denies/silent-calico-ipblock.yaml");
        assert_eq!(
            ip_block_reading(&calico.snapshot),
            IpBlockReading {
                scope: IpBlockScope::AlsoPodIps,
                cni: Some("calico-node")
            }
        );
        // No agent pods at all (a namespace-only dump): the conformance
        // reading, and no CNI named.
        let mut none = cilium.snapshot.clone();
        none.pods
            .retain(|p| crate::nodes::agent_of(&cilium.snapshot, p).is_none());
        assert_eq!(
            ip_block_reading(&none),
            IpBlockReading {
                scope: IpBlockScope::AlsoPodIps,
                cni: None
            }
        );
    }
}
