//! Certificate metadata of `kubernetes.io/tls` Secrets.
//!
//! Only the certificate chain in `tls.crt` is read; `tls.key` and every
//! other data key are never looked at, kept or printed. What is kept is what
//! an SRE reads off `openssl x509 -noout -text`: subject, issuer, SANs and
//! validity.

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::jiff::Timestamp;
use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;

use crate::object::ObjectRef;

#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    /// DNS and IP subject alternative names.
    pub sans: Vec<String>,
    /// The subject's common name, if any (only used when there are no SANs).
    pub common_name: Option<String>,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TlsSecret {
    pub object: ObjectRef,
    pub created: Option<Timestamp>,
    /// The chain in `tls.crt`, leaf first. Empty when it could not be read.
    pub chain: Vec<Certificate>,
    /// Why the chain could not be read, if it could not.
    pub error: Option<String>,
}

impl TlsSecret {
    /// Reads the certificate of a TLS Secret. Redacted data (support bundles
    /// replace values with `***HIDDEN***`) gives an error, not a panic.
    pub fn from_secret(secret: &Secret) -> Self {
        let object = ObjectRef::of(crate::Kind::Secret, &secret.metadata);
        let created = secret.metadata.creation_timestamp.as_ref().map(|t| t.0);
        let crt = secret
            .data
            .as_ref()
            .and_then(|d| d.get("tls.crt"))
            .map(|b| b.0.clone())
            .or_else(|| {
                secret
                    .string_data
                    .as_ref()
                    .and_then(|d| d.get("tls.crt"))
                    .map(|s| s.as_bytes().to_vec())
            });
        let (chain, error) = match crt {
            None => (Vec::new(), Some("the Secret has no tls.crt".to_string())),
            Some(bytes) => match parse_chain(&bytes) {
                Ok(c) if c.is_empty() => (c, Some("tls.crt holds no PEM certificate".into())),
                Ok(c) => (c, None),
                Err(e) => (Vec::new(), Some(e)),
            },
        };
        TlsSecret {
            object,
            created,
            chain,
            error,
        }
    }

    pub fn leaf(&self) -> Option<&Certificate> {
        self.chain.first()
    }
}

/// Parses every PEM certificate in `bytes`. Other PEM blocks (a key pasted
/// into `tls.crt` by mistake) are skipped without being decoded further.
pub fn parse_chain(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    let mut out = Vec::new();
    for pem in Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|e| format!("tls.crt is not valid PEM: {e}"))?;
        if pem.label != "CERTIFICATE" {
            continue;
        }
        let cert = pem
            .parse_x509()
            .map_err(|e| format!("tls.crt holds a certificate that does not parse: {e}"))?;
        out.push(certificate_of(&cert));
    }
    Ok(out)
}

fn certificate_of(cert: &x509_parser::certificate::X509Certificate<'_>) -> Certificate {
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for name in &ext.value.general_names {
            match name {
                GeneralName::DNSName(d) => sans.push(d.to_string()),
                GeneralName::IPAddress(ip) => {
                    let s = match ip.len() {
                        4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
                        16 => {
                            let mut a = [0u8; 16];
                            a.copy_from_slice(ip);
                            std::net::Ipv6Addr::from(a).to_string()
                        }
                        _ => continue,
                    };
                    sans.push(s);
                }
                _ => {}
            }
        }
    }
    let common_name = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string);
    let ts = |t: x509_parser::time::ASN1Time| {
        Timestamp::from_second(t.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
    };
    Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        common_name,
        not_before: ts(cert.validity().not_before),
        not_after: ts(cert.validity().not_after),
    }
}

/// Whether a certificate name covers a host, with the wildcard rule of
/// RFC 6125 §6.4.3: `*.example.com` covers exactly one label
/// (`a.example.com`, not `example.com` nor `a.b.example.com`).
pub fn name_covers(pattern: &str, host: &str) -> bool {
    let p = pattern.trim_end_matches('.').to_ascii_lowercase();
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(rest) = p.strip_prefix("*.") {
        match h.split_once('.') {
            Some((first, tail)) => !first.is_empty() && tail == rest,
            None => false,
        }
    } else {
        p == h
    }
}

impl Certificate {
    /// Whether the certificate is valid for `host`: its SANs, or its common
    /// name when it has no SANs (what old clients still accept).
    pub fn covers(&self, host: &str) -> bool {
        if self.sans.is_empty() {
            return self
                .common_name
                .as_deref()
                .is_some_and(|cn| name_covers(cn, host));
        }
        self.sans.iter().any(|s| name_covers(s, host))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use k8s_openapi::ByteString;
    use k8s_openapi::api::core::v1::Secret;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use rcgen::{CertificateParams, DnType, KeyPair, date_time_ymd};

    use super::*;

    /// A PEM certificate and its key, made in the test.
    fn cert(sans: &[&str], cn: &str, from: (i32, u8, u8), to: (i32, u8, u8)) -> (String, String) {
        let mut p =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.not_before = date_time_ymd(from.0, from.1, from.2);
        p.not_after = date_time_ymd(to.0, to.1, to.2);
        let key = KeyPair::generate().unwrap();
        let c = p.self_signed(&key).unwrap();
        (c.pem(), key.serialize_pem())
    }

    fn secret(crt: &str, key: &str) -> Secret {
        Secret {
            metadata: ObjectMeta {
                name: Some("tls".into()),
                namespace: Some("shop".into()),
                ..Default::default()
            },
            type_: Some("kubernetes.io/tls".into()),
            data: Some(BTreeMap::from([
                ("tls.crt".to_string(), ByteString(crt.as_bytes().to_vec())),
                ("tls.key".to_string(), ByteString(key.as_bytes().to_vec())),
            ])),
            ..Default::default()
        }
    }

    #[test]
    fn reads_validity_and_sans_and_never_keeps_the_key() {
        let (crt, key) = cert(
            &["shop.example.com", "*.shop.example.com"],
            "shop",
            (2026, 1, 1),
            (2026, 11, 18),
        );
        let s = TlsSecret::from_secret(&secret(&crt, &key));
        assert_eq!(s.error, None);
        let leaf = s.leaf().unwrap();
        assert_eq!(leaf.sans, vec!["shop.example.com", "*.shop.example.com"]);
        assert_eq!(
            leaf.not_after.strftime("%Y-%m-%d").to_string(),
            "2026-11-18"
        );
        let now: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
        assert!(leaf.not_after < now, "expired");
        let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(
            !format!("{s:?}").contains(&body[..40]),
            "no key material kept"
        );
    }

    #[test]
    fn not_yet_valid_certificates_are_seen() {
        let (crt, key) = cert(&["a.example.com"], "a", (2027, 1, 1), (2028, 1, 1));
        let leaf = TlsSecret::from_secret(&secret(&crt, &key)).chain.remove(0);
        assert!(leaf.not_before > "2026-11-20T12:00:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn wildcards_cover_exactly_one_label() {
        let (crt, key) = cert(&["*.example.com"], "wild", (2026, 1, 1), (2027, 1, 1));
        let leaf = TlsSecret::from_secret(&secret(&crt, &key)).chain.remove(0);
        assert!(leaf.covers("shop.example.com"));
        assert!(
            leaf.covers("SHOP.example.com."),
            "case and a trailing dot do not matter"
        );
        assert!(!leaf.covers("api.shop.example.com"), "two labels");
        assert!(!leaf.covers("example.com"), "no label");
        let (crt, key) = cert(&["other.example.net"], "other", (2026, 1, 1), (2027, 1, 1));
        let leaf = TlsSecret::from_secret(&secret(&crt, &key)).chain.remove(0);
        assert!(!leaf.covers("shop.example.com"), "wrong SAN");
    }

    #[test]
    fn broken_or_redacted_data_is_an_error_not_a_panic() {
        let s = TlsSecret::from_secret(&secret("***HIDDEN***", "x"));
        assert!(s.chain.is_empty() && s.error.is_some());
        let mut no_crt = secret("", "");
        no_crt.data = None;
        assert_eq!(
            TlsSecret::from_secret(&no_crt).error.as_deref(),
            Some("the Secret has no tls.crt")
        );
    }
}
