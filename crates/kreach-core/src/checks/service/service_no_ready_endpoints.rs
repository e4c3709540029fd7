use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::object::MetaExt;
use crate::workload::{condition, is_terminating, phase};

declare_check! {
    /// ## What it checks
    /// The Service's selector matches pods, but none of them is ready.
    ///
    /// ## Why it breaks reachability
    /// Only ready pods are published as ready endpoints; with none, the
    /// Service forwards nowhere. This is a symptom: the pod findings say why
    /// the pods are not ready, and this finding names them in `explained_by`.
    ///
    /// ## How to fix
    /// Fix what keeps the pods from being ready (see the pod findings).
    ///
    /// ## Example
    /// `kubectl -n shop get pods -l app=web` shows `0/1` READY on every pod.
    pub static CHECK = {
        name: "service-no-ready-endpoints",
        layer: Service,
        needs: State,
        blocks: Yes,
        summary: "the Service's pods exist but none is ready",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for f in &cx.services {
        if f.pods.is_empty() || f.ready > 0 {
            continue;
        }
        let states: Vec<String> = f
            .pods
            .iter()
            .map(|p| {
                let state = if is_terminating(p) {
                    "Terminating".to_string()
                } else {
                    let ready = condition(p, "Ready")
                        .map(|c| c.status.as_str())
                        .unwrap_or("unknown");
                    format!("{}, Ready={ready}", phase(p))
                };
                format!("{} ({state})", p.name())
            })
            .collect();
        let sel = f
            .svc
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default();
        let sel = crate::labels::format_selector(&sel);
        out.push(
            Finding::new(
                &CHECK,
                f.sref.clone(),
                format!("0 of {} selected pods are ready", f.pods.len()),
            )
            .evidence(super::super::util::short_list(&states, 5))
            .fix(format!(
                "kubectl -n {} get pods -l {sel} -o wide",
                f.svc.ns()
            ))
            .related(f.pods.iter().map(|p| cx.pod_ref(p)))
            .on_paths(f.paths.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
