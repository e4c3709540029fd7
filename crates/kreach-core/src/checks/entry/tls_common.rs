//! Which TLS block of an Ingress serves a request, shared by the three
//! `ingress-tls-*` checks.

use k8s_openapi::api::networking::v1::Ingress;

use crate::context::Context;
use crate::ingress::host_matches;
use crate::object::MetaExt;
use crate::path::{Hop, HopKind};
use crate::snapshot::Snapshot;

/// Where the TLS checks apply: an Ingress hop whose Ingress has TLS blocks.
pub fn has_tls(snap: &Snapshot, hop: &Hop) -> bool {
    hop.kind == HopKind::Ingress
        && snap
            .ingresses
            .iter()
            .find(|i| i.ns() == hop.object.ns() && i.name() == hop.object.name)
            .and_then(|i| i.spec.as_ref()?.tls.as_ref())
            .is_some_and(|t| !t.is_empty())
}

/// A TLS block that applies on the path: its Secret name and the host(s)
/// it must serve.
#[derive(Debug, Clone)]
pub struct TlsUse {
    pub index: usize,
    pub secret: Option<String>,
    /// The hosts the certificate must cover: the request host for an
    /// `https://` target, else the block's hosts.
    pub hosts: Vec<String>,
    /// Whether HTTPS requests of the target depend on it (an `https://`
    /// target), so that a problem blocks.
    pub blocks: bool,
}

/// An `https://` request whose host no TLS block of the Ingress covers:
/// the controller answers with its default certificate.
pub fn uncovered_https_host(cx: &Context<'_>, ing: &Ingress) -> Option<String> {
    let (Some(host), true) = (cx.url_host(), cx.https()) else {
        return None;
    };
    let blocks = ing
        .spec
        .as_ref()
        .and_then(|s| s.tls.clone())
        .unwrap_or_default();
    let covered = blocks.iter().any(|b| {
        let hosts = b.hosts.clone().unwrap_or_default();
        hosts.is_empty() || hosts.iter().any(|h| host_matches(Some(h), host))
    });
    (!covered).then(|| host.to_string())
}

/// The TLS blocks of `ing` that matter for the target.
pub fn tls_uses(cx: &Context<'_>, ing: &Ingress) -> Vec<TlsUse> {
    let blocks: Vec<_> = ing
        .spec
        .as_ref()
        .and_then(|s| s.tls.clone())
        .unwrap_or_default();
    let mut out = Vec::new();
    match (cx.url_host(), cx.https()) {
        (Some(host), true) => {
            for (i, b) in blocks.iter().enumerate() {
                let hosts = b.hosts.clone().unwrap_or_default();
                // A block without hosts applies to every host (ingress-nginx).
                if hosts.is_empty() || hosts.iter().any(|h| host_matches(Some(h), host)) {
                    out.push(TlsUse {
                        index: i,
                        secret: b.secret_name.clone(),
                        hosts: vec![host.to_string()],
                        blocks: true,
                    });
                    break;
                }
            }
        }
        (_, false) => {
            for (i, b) in blocks.iter().enumerate() {
                out.push(TlsUse {
                    index: i,
                    secret: b.secret_name.clone(),
                    hosts: b.hosts.clone().unwrap_or_default(),
                    blocks: false,
                });
            }
        }
        _ => {}
    }
    out
}

/// The three TLS checks end to end, on certificates made in the test:
/// expired, not yet valid, wrong SAN, and a good one.
#[cfg(test)]
mod tests {
    use rcgen::{CertificateParams, KeyPair, date_time_ymd};

    use crate::testing::load_fixture;

    fn cert(sans: &[&str], from: (i32, u8, u8), to: (i32, u8, u8)) -> (String, String) {
        let mut p =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        p.not_before = date_time_ymd(from.0, from.1, from.2);
        p.not_after = date_time_ymd(to.0, to.1, to.2);
        let key = KeyPair::generate().unwrap();
        (p.self_signed(&key).unwrap().pem(), key.serialize_pem())
    }

    /// Base64 as the API server writes Secret data.
    fn b64(s: &str) -> String {
        serde_json::to_value(k8s_openapi::ByteString(s.as_bytes().to_vec()))
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Runs `https://store.example.org/` against the base cluster with a TLS
    /// block for `host` whose Secret holds `crt`.
    fn run(host: &str, crt: Option<(String, String)>) -> Vec<(String, bool)> {
        let dir = std::env::temp_dir().join(format!(
            "kreach-tls-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let secret = match crt {
            Some((c, k)) => format!(
                "- apiVersion: v1\n  kind: Secret\n  metadata: {{name: store-tls, namespace: store, creationTimestamp: \"2026-10-01T00:00:00Z\"}}\n  type: kubernetes.io/tls\n  data:\n    tls.crt: {}\n    tls.key: {}\n",
                b64(&c),
                b64(&k)
            ),
            None => String::new(),
        };
        let text = format!(
            "# base: store\n# target: https://store.example.org/\n# args: --now 2026-11-20T12:00:00Z\napiVersion: v1\nkind: List\nitems:\n{secret}- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata: {{name: frontend, namespace: store}}\n  spec:\n    ingressClassName: traefik\n    tls:\n    - hosts: [{host}]\n      secretName: store-tls\n    rules:\n    - host: store.example.org\n      http:\n        paths:\n        - {{path: /, pathType: Prefix, backend: {{service: {{name: frontend, port: {{number: 80}}}}}}}}\n  status:\n    loadBalancer:\n      ingress:\n      - ip: 198.51.100.80\n"
        );
        let path = dir.join("case.yaml");
        std::fs::write(&path, text).unwrap();
        let d = load_fixture(&path).run();
        let _ = std::fs::remove_dir_all(&dir);
        d.findings
            .iter()
            .filter(|f| f.check.starts_with("ingress-tls"))
            .map(|f| (f.check.to_string(), f.blocks))
            .collect()
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    }

    #[test]
    fn tls_checks_on_generated_certificates() {
        let ok = cert(&["store.example.org"], (2026, 1, 1), (2027, 1, 1));
        assert_eq!(
            run("store.example.org", Some(ok)),
            vec![],
            "a good certificate"
        );
        let expired = cert(&["store.example.org"], (2025, 1, 1), (2026, 11, 1));
        assert_eq!(
            run("store.example.org", Some(expired)),
            vec![("ingress-tls-certificate-expired".to_string(), true)]
        );
        let future = cert(&["store.example.org"], (2027, 1, 1), (2028, 1, 1));
        assert_eq!(
            run("store.example.org", Some(future)),
            vec![("ingress-tls-certificate-expired".to_string(), true)]
        );
        let wrong = cert(
            &["shop.example.com", "*.store.example.org"],
            (2026, 1, 1),
            (2027, 1, 1),
        );
        assert_eq!(
            run("store.example.org", Some(wrong)),
            vec![("ingress-tls-host-mismatch".to_string(), true)]
        );
        let wildcard = cert(&["*.example.org"], (2026, 1, 1), (2027, 1, 1));
        assert_eq!(
            run("store.example.org", Some(wildcard)),
            vec![],
            "a wildcard one level up covers it"
        );
        assert_eq!(
            run("store.example.org", None),
            vec![("ingress-tls-secret-not-found".to_string(), true)]
        );
        // A TLS block for other hosts only: the controller's default certificate.
        let other = cert(&["shop.example.com"], (2026, 1, 1), (2027, 1, 1));
        assert_eq!(
            run("shop.example.com", Some(other)),
            vec![("ingress-tls-host-mismatch".to_string(), true)]
        );
    }
}
