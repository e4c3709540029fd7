//! The words of every report, in one place per language ([`en`], [`zh`]):
//! the checks' typed facts ([`kreach_core::message`]) become sentences
//! here and nowhere else.

use kreach_core::diagnose::UnknownReason;
use kreach_core::message::{Evidence, Fix, Problem};
use kreach_core::path::{HopDetail, HopKind};

pub mod cli;
pub mod en;
pub mod zh;

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `en` or `zh` (also `zh-CN`, `zh_CN.UTF-8`, `en_US`, …).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let base = s.split(['_', '-', '.', '@']).next().unwrap_or("");
        match base {
            "en" | "c" | "posix" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language of the locale, as POSIX picks it: the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty. A locale
    /// kreach has no words for, or none, is English.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| var(k))
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::En)
    }

    /// [`Lang::from_locale`] over the process environment.
    pub fn from_env() -> Lang {
        Lang::from_locale(|k| std::env::var(k).ok())
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The report's own words around the findings: headings, verdicts,
/// labels. One constant per language ([`en::FRAME`], [`zh::FRAME`]); a
/// missing field is a compile error.
pub struct Frame {
    pub broken: &'static str,
    pub degraded: &'static str,
    pub ok: &'static str,
    pub inconclusive: &'static str,
    pub sum_broken: &'static str,
    pub sum_degraded: &'static str,
    pub sum_ok: &'static str,
    pub sum_inconclusive: &'static str,
    pub path: &'static str,
    pub via: &'static str,
    pub pods: &'static str,
    pub none_selected: &'static str,
    pub root_cause: &'static str,
    pub root_causes: &'static str,
    pub other: &'static str,
    pub not_checked: &'static str,
    pub because: &'static str,
    pub fix: &'static str,
    pub all_clear: &'static str,
    /// Markdown: the mark of a root cause's heading.
    pub is_root_cause: &'static str,
    /// Markdown: `on` in "`check` on `object`".
    pub on: &'static str,
    /// Graphs: the node the paths start from.
    pub client: &'static str,
    /// After a shortened list: `and 3 more`.
    pub more: fn(usize) -> String,
    /// After a shortened list of pods: `… 3 more`.
    pub more_pods: fn(usize) -> String,
}

/// The frame words of `lang`.
pub fn frame(lang: Lang) -> &'static Frame {
    match lang {
        Lang::En => &en::FRAME,
        Lang::Zh => &zh::FRAME,
    }
}

/// The role of a hop as the report labels it.
pub fn hop_kind(lang: Lang, k: HopKind) -> &'static str {
    match lang {
        Lang::En => k.name(),
        Lang::Zh => zh::hop_kind(k),
    }
}

/// The kind of entry a path uses (`--via` names in English).
pub fn via(lang: Lang, v: kreach_core::path::Via) -> &'static str {
    use kreach_core::path::Via as V;
    match (lang, v) {
        (Lang::En, _) => v.name(),
        (Lang::Zh, V::Ingress) => "Ingress",
        (Lang::Zh, V::LoadBalancer) => "LoadBalancer",
        (Lang::Zh, V::NodePort) => "NodePort",
        (Lang::Zh, V::ExternalIp) => "ExternalIP",
        (Lang::Zh, V::Pod) => "Pod IP",
        (Lang::Zh, V::Service) => "Service（没有对外入口）",
    }
}

/// What a hop shows beside its object.
pub fn hop_detail(lang: Lang, d: &HopDetail) -> String {
    match lang {
        Lang::En => en::hop_detail(d),
        Lang::Zh => zh::hop_detail(d),
    }
}

/// The verdict in words, with its one-line summary.
pub fn verdict(lang: Lang, v: kreach_core::Verdict) -> (&'static str, &'static str) {
    use kreach_core::Verdict as V;
    let t = frame(lang);
    match v {
        V::Broken => (t.broken, t.sum_broken),
        V::Degraded => (t.degraded, t.sum_degraded),
        V::Ok => (t.ok, t.sum_ok),
        V::Inconclusive => (t.inconclusive, t.sum_inconclusive),
    }
}

/// Display width in a terminal: CJK and full-width characters take two
/// columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `s` padded with spaces to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Why a hop is undecided, in `lang`.
pub fn unknown_reason(lang: Lang, r: &UnknownReason) -> String {
    match lang {
        Lang::En => en::unknown_reason(r),
        Lang::Zh => zh::unknown_reason(r),
    }
}

/// What a finding says is wrong, in `lang`.
pub fn problem(lang: Lang, p: &Problem) -> String {
    match lang {
        Lang::En => en::problem(p),
        Lang::Zh => zh::problem(p),
    }
}

/// One line of evidence, in `lang`.
pub fn evidence(lang: Lang, e: &Evidence) -> String {
    match lang {
        Lang::En => en::evidence(e),
        Lang::Zh => zh::evidence(e),
    }
}

/// One fix line, in `lang` (commands are never translated).
pub fn fix(lang: Lang, f: &Fix) -> String {
    match lang {
        Lang::En => en::fix(f),
        Lang::Zh => zh::fix(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_variables_pick_the_language_in_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "zh_TW"),
                ("LANG", "C")
            ])),
            Lang::Zh
        );
        assert_eq!(Lang::from_locale(env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }
}
