//! The `ingress-tls-secret-not-found` check: the Ingress's TLS Secret does not exist in its namespace.
//!
//! Its explanation (what `kreach explain ingress-tls-secret-not-found` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-tls-secret-not-found/`.

use crate::checks::entry::tls_common::tls_uses;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::ingress::Evidence;
use crate::object::{MetaExt, obj_ref};
use crate::snapshot::Kind;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// No Secret of that name in the Ingress's namespace.
    SecretNotFound { secret: String, namespace: String },
    /// The Secret exists but is not of type `kubernetes.io/tls`.
    NotTlsType { secret: String, namespace: String },
}

declare_check! {
    /// ## What it checks
    /// The Secret named by the Ingress's TLS block (for the requested host)
    /// exists in the Ingress's namespace and is a `kubernetes.io/tls`
    /// Secret.
    ///
    /// ## Why it breaks reachability
    /// Without the Secret the controller serves its default, self-signed
    /// certificate ("Kubernetes Ingress Controller Fake Certificate"):
    /// browsers and clients refuse it. A Secret of that name in another
    /// namespace does not count: an Ingress only reads Secrets of its own
    /// namespace. It blocks HTTPS, not plain HTTP.
    ///
    /// ## How to fix
    /// Create the TLS Secret in the Ingress's namespace (or fix the name);
    /// with cert-manager, look at the Certificate's status.
    ///
    /// ## Example
    /// `kubectl -n shop create secret tls shop-example-com-tls --cert=tls.crt --key=tls.key`
    pub static CHECK = {
        name: "ingress-tls-secret-not-found",
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
        summary: "the Ingress's TLS Secret does not exist in its namespace",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.has_kind(Kind::Secret) {
        return;
    }
    for (ing, paths) in cx.ingresses() {
        for u in tls_uses(cx, ing) {
            let Some(name) = &u.secret else { continue };
            let ns = ing.ns();
            if cx.snap.tls_secret(ns, name).is_some() {
                continue;
            }
            let wrong_type = cx
                .snap
                .other_secrets
                .iter()
                .any(|s| s.ns() == ns && s.name == *name);
            let (secret, namespace) = (name.clone(), ns.to_string());
            let problem = if wrong_type {
                Problem::NotTlsType { secret, namespace }
            } else {
                Problem::SecretNotFound { secret, namespace }
            };
            let mut f = Finding::new(&CHECK, obj_ref(ing), problem)
                .evidence(Evidence::TlsBlockSecret {
                    index: u.index,
                    hosts: u.hosts.clone(),
                    secret: name.clone(),
                })
                .evidence(Evidence::DefaultCertificateServed);
            let elsewhere: Vec<String> = cx
                .snap
                .tls_secrets
                .iter()
                .map(|s| &s.object)
                .chain(cx.snap.other_secrets.iter())
                .filter(|o| o.name == *name && o.ns() != ns)
                .map(|o| o.ns().to_string())
                .collect();
            if !elsewhere.is_empty() {
                f = f.evidence(Evidence::SecretInOtherNamespaces {
                    secret: name.clone(),
                    namespaces: elsewhere.clone(),
                    namespace: ns.to_string(),
                });
                f = f.fix(format!(
                    "kubectl -n {} get secret {name} -o json | jq '.metadata.namespace=\"{ns}\" | del(.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp)' | kubectl apply -f -",
                    elsewhere[0]
                ));
            } else {
                f = f.fix(format!(
                    "kubectl -n {ns} create secret tls {name} --cert=tls.crt --key=tls.key"
                ));
            }
            out.push(f.blocking(u.blocks).on_paths(paths.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
