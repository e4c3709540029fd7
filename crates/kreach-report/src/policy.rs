//! The answer of `kreach policy`, as JSON (`kreach/v1`) and for people.
//!
//! ```json
//! {"schema": "kreach/v1", "allowed": false,
//!  "egress":  {"allowed": true,  "policies": [], "decided_by": []},
//!  "ingress": {"allowed": false, "policies": ["NetworkPolicy/y/deny-all"],
//!              "decided_by": ["NetworkPolicy/y/deny-all"]}}
//! ```
//! `policies`: the policies that select the pod in that direction;
//! `decided_by`: those whose rules admit the connection (allowed) or every
//! selecting one (denied). Without `--port`, `connections` lists every
//! connection allowed (`TCP 80,443`, `All Connections`).
//!
//! For people: [`write_in`] in any language (the words are
//! `lang/{en,zh}/policy.rs`, implementing `Words`; rejections are worded
//! by `lang::{en,zh}::network`, as in the `networkpolicy-denies` check);
//! [`write_human`] is the English one with the caller's `on PORT/PROTO`.

use std::io::{self, Write};

use kreach_core::policy::{DirectionAnswer, PolicyAnswer, Resolved};
use kreach_netpol::{ConnectionSet, Direction, PolicyRef, Protocol, Rejection};

use crate::lang::Lang;

pub fn to_value(a: &PolicyAnswer) -> serde_json::Value {
    let mut v = serde_json::json!({
        "schema": "kreach/v1",
        "allowed": a.allowed,
        "egress": a.egress,
        "ingress": a.ingress,
    });
    if let Some(c) = &a.connections {
        v["connections"] = serde_json::Value::String(c.to_string());
    }
    v
}

pub fn write_json(a: &PolicyAnswer, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &to_value(a))?;
    writeln!(w)
}

/// The answer for people, in English; `what` says what was asked (`on
/// 8080/TCP`, or empty). [`write_in`] words it itself, in any language.
pub fn write_human(a: &PolicyAnswer, what: &str, w: &mut dyn Write) -> io::Result<()> {
    write_with(a, &En, what, w)
}

/// The answer for people, in `lang`.
pub fn write_in(a: &PolicyAnswer, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let words: &dyn Words = match lang {
        Lang::En => &En,
        Lang::Zh => &Zh,
    };
    let what = a
        .port
        .map(|p| words.asked(p, a.protocol))
        .unwrap_or_default();
    write_with(a, words, &what, w)
}

fn write_with(
    a: &PolicyAnswer,
    words: &dyn Words,
    what: &str,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "{}",
        words.header(&words.end(&a.from), &words.end(&a.to), what, a.allowed)
    )?;
    if let Some(c) = &a.connections {
        writeln!(w, "  {}", words.connections(c))?;
    }
    for (direction, d) in [
        (Direction::Egress, &a.egress),
        (Direction::Ingress, &a.ingress),
    ] {
        writeln!(w, "  {}", words.direction(direction, d))?;
        if d.allowed && !d.decided_by.is_empty() {
            writeln!(w, "    {}", words.admitted_by(&d.decided_by))?;
        }
        if !d.allowed {
            for r in &d.rejections {
                writeln!(w, "    · {}", words.rejection(r))?;
            }
        }
    }
    Ok(())
}

/// The words of `kreach policy`, one implementation per language
/// (`lang/en/policy.rs`, `lang/zh/policy.rs`); the layout is
/// [`write_in`]'s.
pub(crate) trait Words {
    /// What an end resolved to: `pod shop/web`, `10.0.0.7 (pod shop/web)`.
    fn end(&self, e: &Resolved) -> String;
    /// What was asked, when a port was: `on 8080/TCP`.
    fn asked(&self, port: u16, protocol: Protocol) -> String;
    /// The first line: `FROM → TO on 8080/TCP: DENIED`.
    fn header(&self, from: &str, to: &str, what: &str, allowed: bool) -> String;
    /// `allowed connections: TCP 80,443` (no port asked).
    fn connections(&self, c: &ConnectionSet) -> String;
    /// `ingress: denied — selected by NetworkPolicy/shop/web`.
    fn direction(&self, direction: Direction, d: &DirectionAnswer) -> String;
    /// `admitted by NetworkPolicy/shop/web`.
    fn admitted_by(&self, policies: &[PolicyRef]) -> String;
    /// Why one selecting policy does not admit the connection.
    fn rejection(&self, r: &Rejection) -> String;
}

/// English (`lang/en/policy.rs`).
pub(crate) struct En;
/// Chinese (`lang/zh/policy.rs`).
pub(crate) struct Zh;

#[cfg(test)]
mod tests {
    use kreach_core::policy::{End, query};
    use kreach_core::testing::{fixtures_dir, load_fixture};
    use kreach_netpol::Protocol;

    use super::*;

    fn render(lang: Lang, port: Option<u16>) -> String {
        let fx = load_fixture(&fixtures_dir().join("checks/networkpolicy-denies/fires.yaml"));
        let pod = |prefix: &str| {
            let p = fx
                .snapshot
                .pods
                .iter()
                .find(|p| p.metadata.name.as_deref().unwrap().starts_with(prefix))
                .unwrap();
            End::Pod {
                namespace: p.metadata.namespace.clone().unwrap(),
                name: p.metadata.name.clone().unwrap(),
            }
        };
        let a = query(
            &fx.snapshot,
            &pod("traefik-6f9c8d7b5-wq7fz"),
            &pod("frontend-5c8d9f7b64-hx2kq"),
            port,
            Protocol::Tcp,
        )
        .unwrap();
        let mut out = Vec::new();
        write_in(&a, lang, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_answer_in_both_languages() {
        let en = render(Lang::En, Some(3000));
        assert!(
            en.starts_with("pod traefik/traefik-6f9c8d7b5-wq7fz → pod store/frontend-5c8d9f7b64-hx2kq on 3000/TCP: DENIED\n  egress: allowed — no policy selects the pod (or it is not a pod): not isolated\n  ingress: denied — selected by "),
            "{en}"
        );
        assert!(
            en.contains("\n    · NetworkPolicy/store/default-deny-ingress: policy has no ingress rules (deny all)\n"),
            "{en}"
        );
        let zh = render(Lang::Zh, Some(3000));
        assert!(
            zh.starts_with("Pod traefik/traefik-6f9c8d7b5-wq7fz → Pod store/frontend-5c8d9f7b64-hx2kq 端口 3000/TCP：拒绝\n  出站：允许 — 没有网络策略选中该 Pod（或它不是 Pod）：不受隔离\n  入站：拒绝 — 被 "),
            "{zh}"
        );
        assert!(
            zh.contains("\n    · NetworkPolicy/store/default-deny-ingress：该策略没有任何入站规则（拒绝全部入站流量）\n"),
            "{zh}"
        );
        let zh = render(Lang::Zh, None);
        assert!(zh.contains("\n  允许的连接：无\n"), "{zh}");
        // Without a port, English keeps its old header (`FROM → TO : …`).
        assert!(render(Lang::En, None).contains(" : DENIED\n  allowed connections: none\n"));
    }
}
