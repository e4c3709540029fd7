//! What the user asked about: `svc/web`, a URL, or `IP:PORT`.
//!
//! Parsing only: whether the target exists is decided by [`crate::resolve`].
//! A malformed target is a usage error (exit 2); a well-formed one that
//! matches nothing becomes the finding `target-not-found`.

use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Service,
    Ingress,
    Pod,
    Deployment,
}

impl ObjectKind {
    pub fn kind(self) -> &'static str {
        match self {
            ObjectKind::Service => "Service",
            ObjectKind::Ingress => "Ingress",
            ObjectKind::Pod => "Pod",
            ObjectKind::Deployment => "Deployment",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `svc/NAME`, `ingress/NAME`, `pod/NAME`, `deploy/NAME` in a namespace.
    Object { kind: ObjectKind, name: String },
    /// `http(s)://HOST[:PORT]/PATH`.
    Url {
        https: bool,
        host: String,
        /// The port the client connects to (80/443 when the URL has none).
        port: u16,
        path: String,
    },
    /// `IP:PORT` or `HOST:PORT`.
    Address { host: String, port: u16 },
}

/// Why a target does not parse (worded by `kreach-report`, which also
/// lists the target forms). `input` is the whole target as given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum TargetError {
    Empty,
    /// `cronjob/x`: a kind that is not a target kind.
    UnknownKind {
        kind: String,
        input: String,
    },
    /// Not a Kubernetes object name.
    InvalidName {
        name: String,
        input: String,
    },
    UnclosedBracket {
        input: String,
    },
    NotIpv6 {
        ip: String,
        input: String,
    },
    AfterBracket {
        after: String,
        input: String,
    },
    /// An IPv6 address with a port, without brackets.
    UnbracketedIpv6 {
        input: String,
    },
    InvalidPort {
        port: String,
        input: String,
    },
    InvalidHost {
        host: String,
        input: String,
    },
    /// An IP address without a port.
    NoPort {
        input: String,
    },
    /// None of the target forms.
    Unreadable {
        input: String,
    },
}

impl Target {
    pub fn parse(input: &str) -> Result<Target, TargetError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(TargetError::Empty);
        }
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return parse_url(s);
        }
        if let Some((prefix, name)) = s.split_once('/') {
            let kind = match prefix.to_ascii_lowercase().as_str() {
                "svc" | "service" | "services" => ObjectKind::Service,
                "ing" | "ingress" | "ingresses" => ObjectKind::Ingress,
                "po" | "pod" | "pods" => ObjectKind::Pod,
                "deploy" | "deployment" | "deployments" => ObjectKind::Deployment,
                other => {
                    return Err(TargetError::UnknownKind {
                        kind: other.to_string(),
                        input: s.to_string(),
                    });
                }
            };
            if name.is_empty() || name.contains('/') || !valid_name(name) {
                return Err(TargetError::InvalidName {
                    name: name.to_string(),
                    input: s.to_string(),
                });
            }
            return Ok(Target::Object {
                kind,
                name: name.to_string(),
            });
        }
        parse_address(s)
    }

    /// The host part of a URL or address target.
    pub fn host(&self) -> Option<&str> {
        match self {
            Target::Url { host, .. } | Target::Address { host, .. } => Some(host),
            Target::Object { .. } => None,
        }
    }

    pub fn host_ip(&self) -> Option<IpAddr> {
        self.host().and_then(|h| h.parse().ok())
    }
}

fn valid_name(name: &str) -> bool {
    name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

fn parse_host_port(hp: &str, whole: &str) -> Result<(String, Option<u16>), TargetError> {
    // [v6]:port
    if let Some(rest) = hp.strip_prefix('[') {
        let (ip, after) = rest
            .split_once(']')
            .ok_or_else(|| TargetError::UnclosedBracket {
                input: whole.to_string(),
            })?;
        if ip.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(TargetError::NotIpv6 {
                ip: ip.to_string(),
                input: whole.to_string(),
            });
        }
        let port = match after.strip_prefix(':') {
            Some(p) => Some(parse_port(p, whole)?),
            None if after.is_empty() => None,
            None => {
                return Err(TargetError::AfterBracket {
                    after: after.to_string(),
                    input: whole.to_string(),
                });
            }
        };
        return Ok((ip.to_string(), port));
    }
    if hp.matches(':').count() > 1 {
        return Err(TargetError::UnbracketedIpv6 {
            input: whole.to_string(),
        });
    }
    match hp.split_once(':') {
        Some((h, p)) => Ok((h.to_string(), Some(parse_port(p, whole)?))),
        None => Ok((hp.to_string(), None)),
    }
}

fn parse_port(p: &str, whole: &str) -> Result<u16, TargetError> {
    match p.parse::<u16>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(TargetError::InvalidPort {
            port: p.to_string(),
            input: whole.to_string(),
        }),
    }
}

fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn parse_url(s: &str) -> Result<Target, TargetError> {
    let (scheme, rest) = s.split_once("://").expect("checked by caller");
    let https = scheme.eq_ignore_ascii_case("https");
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    // Query and fragment do not take part in Ingress matching.
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.is_empty() { "/" } else { path };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = parse_host_port(authority, s)?;
    if host.parse::<IpAddr>().is_err() && !valid_host(&host) {
        return Err(TargetError::InvalidHost {
            host: host.to_string(),
            input: s.to_string(),
        });
    }
    Ok(Target::Url {
        https,
        host: host.to_ascii_lowercase(),
        port: port.unwrap_or(if https { 443 } else { 80 }),
        path: path.to_string(),
    })
}

fn parse_address(s: &str) -> Result<Target, TargetError> {
    let (host, port) = parse_host_port(s, s)?;
    let Some(port) = port else {
        if host.parse::<IpAddr>().is_ok() {
            return Err(TargetError::NoPort {
                input: s.to_string(),
            });
        }
        return Err(TargetError::Unreadable {
            input: s.to_string(),
        });
    };
    if host.parse::<IpAddr>().is_err() && !valid_host(&host) {
        return Err(TargetError::Unreadable {
            input: s.to_string(),
        });
    }
    Ok(Target::Address {
        host: host.to_ascii_lowercase(),
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_forms() {
        for (s, k) in [
            ("svc/web", ObjectKind::Service),
            ("service/web", ObjectKind::Service),
            ("ing/web", ObjectKind::Ingress),
            ("ingress/web", ObjectKind::Ingress),
            ("pod/web-1", ObjectKind::Pod),
            ("deploy/web", ObjectKind::Deployment),
        ] {
            assert_eq!(
                Target::parse(s).unwrap(),
                Target::Object {
                    kind: k,
                    name: s.split('/').nth(1).unwrap().into()
                }
            );
        }
    }

    #[test]
    fn urls_default_ports_and_paths() {
        assert_eq!(
            Target::parse("https://Shop.Example.com/api/orders?x=1").unwrap(),
            Target::Url {
                https: true,
                host: "shop.example.com".into(),
                port: 443,
                path: "/api/orders".into()
            }
        );
        assert_eq!(
            Target::parse("http://shop.example.com:8080").unwrap(),
            Target::Url {
                https: false,
                host: "shop.example.com".into(),
                port: 8080,
                path: "/".into()
            }
        );
        assert_eq!(
            Target::parse("http://[2001:db8::1]/x").unwrap(),
            Target::Url {
                https: false,
                host: "2001:db8::1".into(),
                port: 80,
                path: "/x".into()
            }
        );
    }

    #[test]
    fn addresses() {
        assert_eq!(
            Target::parse("203.0.113.7:30080").unwrap(),
            Target::Address {
                host: "203.0.113.7".into(),
                port: 30080
            }
        );
        assert_eq!(
            Target::parse("[2001:db8::1]:443").unwrap(),
            Target::Address {
                host: "2001:db8::1".into(),
                port: 443
            }
        );
    }

    #[test]
    fn malformed_targets_are_errors_with_a_reason() {
        for bad in [
            "",
            "foo/bar",
            "svc/",
            "svc/Web",
            "10.0.0.1",
            "10.0.0.1:0",
            "10.0.0.1:99999",
            "2001:db8::1:80",
            "web",
            "http://bad host/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Target::parse("cronjob/x").unwrap_err(),
            TargetError::UnknownKind {
                kind: "cronjob".into(),
                input: "cronjob/x".into()
            }
        );
        assert_eq!(
            Target::parse("10.0.0.1").unwrap_err(),
            TargetError::NoPort {
                input: "10.0.0.1".into()
            }
        );
    }
}
