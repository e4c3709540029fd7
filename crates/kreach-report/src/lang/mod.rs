//! The words of every report, in one place per language ([`en`], [`zh`]):
//! the checks' typed facts ([`kreach_core::message`]) become sentences
//! here and nowhere else.

use kreach_core::message::{Evidence, Fix, Problem};

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
