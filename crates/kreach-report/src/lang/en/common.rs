//! Evidence any check may show (en).

use kreach_core::message::common::Evidence;

/// One line of common evidence.
pub fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::Event {
            type_,
            reason,
            count,
            last,
            message,
        } => {
            let when = last
                .as_deref()
                .map(|t| format!(", last {t}"))
                .unwrap_or_default();
            format!("event {type_} {reason} (x{count}{when}): {message}")
        }
    }
}
