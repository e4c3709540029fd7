//! Evidence any check may show (zh).

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
                .map(|t| format!("，最近一次 {t}"))
                .unwrap_or_default();
            format!("事件 {type_} {reason}（{count} 次{when}）：{message}")
        }
    }
}
