//! The `ingress-tls-certificate-expired` check: the TLS certificate is expired or not yet valid.
//!
//! Its explanation (what `kreach explain ingress-tls-certificate-expired` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-tls-certificate-expired/`.

use crate::checks::entry::tls_common::tls_uses;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::ingress::Evidence;
use crate::object::MetaExt;
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// The certificate's `notAfter` has passed.
    Expired {
        /// `notAfter`, RFC 3339.
        not_after: String,
        /// How long ago.
        ago: Seconds,
    },
    /// The certificate's `notBefore` is still to come.
    NotYetValid {
        /// `notBefore`, RFC 3339.
        not_before: String,
        /// How long until then.
        starts_in: Seconds,
    },
}

declare_check! {
    /// ## What it checks
    /// The certificate in the Ingress's TLS Secret is valid now (`--now`,
    /// else the snapshot's time): not expired, not yet to come. Only the
    /// certificate is read; key material is never read or printed.
    ///
    /// ## Why it breaks reachability
    /// Clients reject an expired or not-yet-valid certificate: HTTPS fails
    /// with a certificate error while plain HTTP may still work, which is a
    /// classic "suddenly" outage when renewal silently stopped.
    ///
    /// ## How to fix
    /// Renew the certificate and update the Secret; with cert-manager, look
    /// at the Certificate and CertificateRequest for why renewal failed.
    ///
    /// ## Example
    /// `kubectl -n shop get secret shop-example-com-tls -o jsonpath='{.data.tls\.crt}' | base64 -d | openssl x509 -noout -dates`
    pub static CHECK = {
        name: "ingress-tls-certificate-expired",
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
        summary: "the TLS certificate is expired or not yet valid",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::Secret) {
        return;
    }
    let now = cx.now();
    for (ing, paths) in cx.ingresses() {
        for u in tls_uses(cx, ing) {
            let Some(name) = &u.secret else { continue };
            let Some(secret) = cx.snap.tls_secret(ing.ns(), name) else {
                continue;
            };
            let Some(leaf) = secret.leaf() else { continue };
            let fmt =
                |t: k8s_openapi::jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let problem = if leaf.not_after < now {
                Problem::Expired {
                    not_after: fmt(leaf.not_after),
                    ago: Seconds::between(leaf.not_after, now),
                }
            } else if leaf.not_before > now {
                Problem::NotYetValid {
                    not_before: fmt(leaf.not_before),
                    starts_in: Seconds::between(now, leaf.not_before),
                }
            } else {
                continue;
            };
            if out.iter().any(|f| f.object == secret.object) {
                continue;
            }
            let f = Finding::new(&CHECK, secret.object.clone(), problem)
                .evidence(Evidence::CertificateValidity {
                    not_before: fmt(leaf.not_before),
                    not_after: fmt(leaf.not_after),
                })
                .evidence(Evidence::CertificateSubject {
                    subject: leaf.subject.clone(),
                    issuer: leaf.issuer.clone(),
                })
                .evidence(Evidence::UsedByIngressTls {
                    namespace: ing.ns().to_string(),
                    ingress: ing.name().to_string(),
                    tls_index: u.index,
                })
                .fix(format!(
                    "kubectl -n {} get secret {name} -o jsonpath='{{.data.tls\\.crt}}' | base64 -d | openssl x509 -noout -dates -subject",
                    ing.ns()
                ))
                .related([crate::object::obj_ref(ing)])
                .blocking(u.blocks)
                .on_paths(paths.clone());
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
