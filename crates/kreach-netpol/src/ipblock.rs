//! `ipBlock` peers: a CIDR minus `except` CIDRs, for IPv4 and IPv6.
//!
//! CIDRs with host bits set (`192.168.242.213/24`) are masked to their
//! network, as older API servers accepted them and netpol-analyzer reads
//! them. A block whose `cidr` or any `except` entry does not parse matches
//! nothing: ignoring just a broken `except` would admit more than the author
//! meant. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are compared as
//! IPv4.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};
use k8s_openapi::api::networking::v1::IPBlock;

use crate::Invalid;

/// A parsed, valid `ipBlock`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParsedBlock {
    pub cidr: IpNet,
    pub except: Vec<IpNet>,
}

impl ParsedBlock {
    pub fn parse(block: &IPBlock) -> Result<Self, Invalid> {
        let cidr = parse_cidr(&block.cidr).ok_or_else(|| Invalid::BadCidr {
            cidr: block.cidr.clone(),
        })?;
        let except = block
            .except
            .iter()
            .flatten()
            .map(|s| parse_cidr(s).ok_or_else(|| Invalid::BadExcept { except: s.clone() }))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { cidr, except })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.cidr.contains(&ip) && !self.except.iter().any(|e| e.contains(&ip))
    }

    /// The addresses of the block as the fewest CIDRs.
    pub fn to_cidrs(&self) -> Vec<IpNet> {
        let mut ranges = AddressRanges::default();
        ranges.insert(self.cidr);
        for except in &self.except {
            ranges.remove(*except);
        }
        ranges.to_cidrs()
    }
}

fn parse_cidr(text: &str) -> Option<IpNet> {
    text.trim().parse::<IpNet>().ok().map(|net| net.trunc())
}

/// Sets of addresses as inclusive ranges, one list per family.
#[derive(Clone, Debug, Default)]
pub(crate) struct AddressRanges {
    v4: Vec<(u128, u128)>,
    v6: Vec<(u128, u128)>,
}

fn bounds(net: IpNet) -> (bool, u128, u128) {
    match net {
        IpNet::V4(n) => (
            true,
            u128::from(u32::from(n.network())),
            u128::from(u32::from(n.broadcast())),
        ),
        IpNet::V6(n) => (false, u128::from(n.network()), u128::from(n.broadcast())),
    }
}

impl AddressRanges {
    pub fn insert(&mut self, net: IpNet) {
        let (v4, first, last) = bounds(net);
        let list = if v4 { &mut self.v4 } else { &mut self.v6 };
        list.push((first, last));
        list.sort_unstable();
        let mut merged: Vec<(u128, u128)> = Vec::with_capacity(list.len());
        for &(a, b) in list.iter() {
            match merged.last_mut() {
                Some(prev) if a <= prev.1.saturating_add(1) => prev.1 = prev.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *list = merged;
    }

    pub fn remove(&mut self, net: IpNet) {
        let (v4, first, last) = bounds(net);
        let list = if v4 { &mut self.v4 } else { &mut self.v6 };
        let mut kept = Vec::with_capacity(list.len() + 1);
        for &(a, b) in list.iter() {
            if b < first || a > last {
                kept.push((a, b));
                continue;
            }
            if a < first {
                kept.push((a, first - 1));
            }
            if b > last {
                kept.push((last + 1, b));
            }
        }
        *list = kept;
    }

    pub fn to_cidrs(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(first, last) in &self.v4 {
            // The v4 list only ever holds 32-bit values.
            let (first, last) = (Ipv4Addr::from(first as u32), Ipv4Addr::from(last as u32));
            out.extend(Ipv4Subnets::new(first, last, 0).map(IpNet::V4));
        }
        for &(first, last) in &self.v6 {
            out.extend(
                Ipv6Subnets::new(Ipv6Addr::from(first), Ipv6Addr::from(last), 0).map(IpNet::V6),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(cidr: &str, except: &[&str]) -> IPBlock {
        IPBlock {
            cidr: cidr.into(),
            except: (!except.is_empty()).then(|| except.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_minus_except() {
        let b = ParsedBlock::parse(&block("10.0.0.0/8", &["10.1.0.0/16"])).unwrap();
        assert!(b.contains(ip("10.0.0.1")));
        assert!(!b.contains(ip("10.1.2.3")));
        assert!(!b.contains(ip("11.0.0.1")));
        assert!(!b.contains(ip("::1")));
    }

    #[test]
    fn ipv6_blocks() {
        let b = ParsedBlock::parse(&block("2001:db8::/32", &["2001:db8:1::/48"])).unwrap();
        assert!(b.contains(ip("2001:db8::5")));
        assert!(!b.contains(ip("2001:db8:1::5")));
        assert!(!b.contains(ip("10.0.0.1")));
    }

    #[test]
    fn mapped_ipv4_compares_as_ipv4() {
        let b = ParsedBlock::parse(&block("10.0.0.0/8", &[])).unwrap();
        assert!(b.contains(ip("::ffff:10.0.0.1")));
    }

    #[test]
    fn host_bits_are_masked() {
        let b = ParsedBlock::parse(&block("192.168.242.213/24", &[])).unwrap();
        assert_eq!(b.cidr.to_string(), "192.168.242.0/24");
        assert!(b.contains(ip("192.168.242.0")));
    }

    #[test]
    fn invalid_cidr_or_except_is_an_error() {
        assert!(ParsedBlock::parse(&block("10.0.0.0", &[])).is_err());
        assert!(ParsedBlock::parse(&block("banana", &[])).is_err());
        assert!(ParsedBlock::parse(&block("10.0.0.0/8", &["10.1.0.0/33"])).is_err());
    }

    #[test]
    fn to_cidrs_splits_around_excepts() {
        let b = ParsedBlock::parse(&block("10.0.0.0/8", &["10.0.0.0/9"])).unwrap();
        assert_eq!(b.to_cidrs(), vec!["10.128.0.0/9".parse::<IpNet>().unwrap()]);
        let b = ParsedBlock::parse(&block("0.0.0.0/0", &["10.0.0.0/8"])).unwrap();
        let cidrs = b.to_cidrs();
        assert!(cidrs.iter().all(|c| !c.contains(&ip("10.2.3.4"))));
        assert!(cidrs.iter().any(|c| c.contains(&ip("11.0.0.0"))));
        assert!(cidrs.iter().any(|c| c.contains(&ip("9.255.255.255"))));
        let b = ParsedBlock::parse(&block("::/0", &[])).unwrap();
        assert_eq!(b.to_cidrs(), vec!["::/0".parse::<IpNet>().unwrap()]);
    }
}
