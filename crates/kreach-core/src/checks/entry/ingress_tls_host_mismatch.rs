use crate::checks::entry::tls_common::tls_uses;
use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::object::{MetaExt, obj_ref};
use crate::snapshot::Kind;

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
        summary: "the TLS certificate's names do not cover the host",
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
            let Some(secret) = cx.snap.tls_secret(ing.ns(), name) else {
                continue;
            };
            let Some(leaf) = secret.leaf() else { continue };
            let uncovered: Vec<&String> = u.hosts.iter().filter(|h| !leaf.covers(h)).collect();
            if uncovered.is_empty() {
                continue;
            }
            let names = if leaf.sans.is_empty() {
                format!("CN {}", leaf.common_name.as_deref().unwrap_or("-"))
            } else {
                leaf.sans.join(", ")
            };
            let hosts: Vec<&str> = uncovered.iter().map(|s| s.as_str()).collect();
            let mut f = Finding::new(
                &CHECK,
                obj_ref(ing),
                format!(
                    "certificate in Secret {name} does not cover {}",
                    hosts.join(", ")
                ),
            )
            .evidence(format!("certificate names: {names}"));
            for h in &hosts {
                if let Some(w) = leaf
                    .sans
                    .iter()
                    .find(|s| s.starts_with("*.") && h.ends_with(&s[1..]))
                {
                    f = f.evidence(format!(
                        "{w} covers exactly one label: it does not cover {h}"
                    ));
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

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
