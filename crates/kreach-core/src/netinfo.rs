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
