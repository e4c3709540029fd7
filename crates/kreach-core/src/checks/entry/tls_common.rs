//! Which TLS block of an Ingress serves a request, shared by the three
//! `ingress-tls-*` checks.

use k8s_openapi::api::networking::v1::Ingress;

use crate::context::Context;
use crate::ingress::host_matches;

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
