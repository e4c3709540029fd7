//! The `ingress-tls-host-mismatch` check: the TLS certificate's names do not cover the host.
//!
//! Its explanation (what `kreach explain ingress-tls-host-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-tls-host-mismatch/`.

use crate::checks::entry::tls_common::{tls_uses, uncovered_https_host};
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::Fix;
use crate::message::ingress::Evidence;
use crate::object::{MetaExt, obj_ref};
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The certificate in the TLS block's Secret does not cover these
    /// hosts.
    NotCovered {
        secret: String,
        /// Every host it does not cover.
        hosts: Vec<String>,
    },
    /// An `https://` request for a host no TLS block of the Ingress lists:
    /// it gets the controller's default certificate.
    NoTlsBlock { host: String },
}

declare_check! {
    /// ## What it checks
    /// The certificate in the Ingress's TLS Secret covers the host: a DNS
    /// subject alternative name equal to it, or a wildcard `*.example.com`
    /// covering exactly one label (`shop.example.com`, not
    /// `api.shop.example.com`); the common name only when there are no SANs.
    ///
    /// ## Why it breaks reachability
    /// Clients check the name: a certificate for other names fails the
    /// handshake with a name-mismatch error.
    ///
    /// ## How to fix
    /// Issue a certificate whose SANs include the host (or a wildcard one
    /// level up), or point the TLS block at the Secret that has it.
    ///
    /// ## Example
    /// `*.example.com` does not cover `api.shop.example.com`: add
    /// `api.shop.example.com` (or `*.shop.example.com`) to the certificate.
    pub static CHECK = {
        name: "ingress-tls-host-mismatch",
        layer: Entry,
        needs: State,
        blocks: Maybe,
        decides: [Ingress],
        reads: [Ingress, Secret],
        uses: [],
        applies: crate::checks::entry::tls_common::has_tls,
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "the TLS certificate's names do not cover the host",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::Secret) {
        return;
    }
    for (ing, paths) in cx.ingresses() {
        if let Some(host) = uncovered_https_host(cx, ing) {
            if !tls_terminated_elsewhere(cx, ing, &paths) {
                out.push(no_tls_block(cx, ing, &host).on_paths(paths.clone()));
            }
            continue;
        }
        for u in tls_uses(cx, ing) {
            let Some(name) = &u.secret else { continue };
            let Some(secret) = cx.snap.tls_secret(ing.ns(), name) else {
                continue;
            };
            let Some(leaf) = secret.leaf() else { continue };
            let uncovered: Vec<&String> = u.hosts.iter().filter(|h| !leaf.covers(h)).collect();
            if uncovered.is_empty() {
                continue;
            }
            let hosts: Vec<String> = uncovered.iter().map(|s| s.to_string()).collect();
            let mut f = Finding::new(
                &CHECK,
                obj_ref(ing),
                Problem::NotCovered {
                    secret: name.clone(),
                    hosts: hosts.clone(),
                },
            )
            .evidence(Evidence::CertificateNames {
                sans: leaf.sans.clone(),
                common_name: leaf.common_name.clone(),
            });
            for h in &hosts {
                if let Some(w) = leaf
                    .sans
                    .iter()
                    .find(|s| s.starts_with("*.") && h.ends_with(&s[1..]))
                {
                    f = f.evidence(Evidence::WildcardOneLabel {
                        wildcard: w.clone(),
                        host: h.clone(),
                    });
                }
            }
            f = f
                .fix(format!(
                    "kubectl -n {} get secret {name} -o jsonpath='{{.data.tls\\.crt}}' | base64 -d | openssl x509 -noout -ext subjectAltName",
                    ing.ns()
                ))
                .related([secret.object.clone()])
                .blocking(u.blocks)
                .on_paths(paths.clone());
            out.push(f);
        }
    }
}

/// TLS may end before the controller: a cloud certificate on the Ingress
/// (ALB, GKE managed certificates) or on the controller's load balancer, or
/// a controller Service whose HTTPS port leads to plain HTTP.
fn tls_terminated_elsewhere(
    cx: &Context<'_>,
    ing: &k8s_openapi::api::networking::v1::Ingress,
    paths: &[usize],
) -> bool {
    let cert_key = |k: &str| {
        k.contains("certificate")
            || k.contains("ssl-cert")
            || k.contains("pre-shared-cert")
            || k.contains("tls-secret")
    };
    if ing
        .meta()
        .annotations
        .iter()
        .flatten()
        .any(|(k, _)| cert_key(k))
    {
        return true;
    }
    for &i in paths {
        let Some(sref) = &cx.res.paths[i].entry.service else {
            continue;
        };
        let Some(svc) = cx.snap.service(sref.ns(), &sref.name) else {
            continue;
        };
        if svc
            .meta()
            .annotations
            .iter()
            .flatten()
            .any(|(k, _)| cert_key(k))
        {
            return true;
        }
        let to_http = svc.spec.iter().flat_map(|s| s.ports.iter().flatten()).any(|p| {
            p.port == 443
                && matches!(&p.target_port, Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(n)) if n == "http" || n == "web")
        });
        if to_http {
            return true;
        }
    }
    false
}

/// HTTPS for a host no TLS block lists: the controller presents its default
/// certificate (ingress-nginx's is self-signed, "Kubernetes Ingress
/// Controller Fake Certificate"), unless it was given one that covers the
/// host with `--default-ssl-certificate`.
fn no_tls_block(
    cx: &Context<'_>,
    ing: &k8s_openapi::api::networking::v1::Ingress,
    host: &str,
) -> Finding {
    let default_cert = crate::controller::controller_of(cx.snap, ing).and_then(|c| {
        c.args.iter().find_map(|a| {
            a.strip_prefix("--default-ssl-certificate=")
                .map(str::to_string)
        })
    });
    let covered_by_default = default_cert
        .as_deref()
        .and_then(|r| r.split_once('/'))
        .and_then(|(ns, name)| cx.snap.tls_secret(ns, name))
        .and_then(|s| s.leaf().map(|l| l.covers(host)))
        .unwrap_or(false);
    let tls_hosts: Vec<String> = ing
        .spec
        .as_ref()
        .and_then(|s| s.tls.as_ref())
        .iter()
        .flat_map(|t| t.iter().flat_map(|b| b.hosts.iter().flatten().cloned()))
        .collect();
    let mut f = Finding::new(
        &CHECK,
        obj_ref(ing),
        Problem::NoTlsBlock {
            host: host.to_string(),
        },
    )
    .evidence(Evidence::TlsHosts { hosts: tls_hosts });
    f = match default_cert {
        Some(d) => f
            .evidence(Evidence::DefaultCertificate {
                secret: d,
                host: host.to_string(),
                covers: covered_by_default,
            })
            .blocking(!covered_by_default),
        None => f.evidence(Evidence::NoDefaultCertificate).blocking(true),
    };
    f.fix(Fix::CommandWithNote {
        command: format!("kubectl -n {} edit ingress {}", ing.ns(), ing.name()),
        note: Evidence::AddTlsBlock {
            host: host.to_string(),
        }
        .into(),
    })
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
