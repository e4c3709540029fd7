//! `kreach checks` and `kreach explain`: both read the one registry; the
//! words are kreach-report's, in the report language.

use std::io::Write;

use kreach_core::checks::{CHECKS, find};
use kreach_report::catalog;
use kreach_report::lang::Lang;

fn print(res: std::io::Result<()>) -> u8 {
    match res {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            super::err_line(&format!("kreach: {e}"));
            3
        }
    }
}

pub fn list(lang: Lang) -> u8 {
    let mut out = std::io::stdout().lock();
    print(catalog::write_list(lang, &mut out).and_then(|_| out.flush()))
}

/// `kreach checks -o markdown`: the catalog document (docs/checks.md).
pub fn markdown() -> u8 {
    let mut out = std::io::stdout().lock();
    print(
        out.write_all(kreach_report::catalog::markdown(CHECKS).as_bytes())
            .and_then(|_| out.flush()),
    )
}

pub fn explain(name: &str, lang: Lang) -> u8 {
    match find(name) {
        Some(c) => {
            let mut out = std::io::stdout().lock();
            print(catalog::write_explain(c, lang, &mut out).and_then(|_| out.flush()))
        }
        None => {
            let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
            let near = kreach_core::labels::closest(name, names.iter().copied(), 3);
            super::err_line(&format!(
                "kreach: {}",
                catalog::unknown_check(name, &near, lang)
            ));
            2
        }
    }
}
