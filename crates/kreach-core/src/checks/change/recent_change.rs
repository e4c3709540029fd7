//! The `recent-change` check: objects on the path changed recently (the timeline of "suddenly").
//!
//! Its explanation (what `kreach explain recent-change` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/recent-change/`.

use k8s_openapi::jiff::Timestamp;

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::message::common::Seconds;
use crate::message::pod::{Change, ChangeKind, Evidence};
use crate::object::{MetaExt, ObjectRef, obj_ref};
use crate::workload::owner_of;

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Objects on the path changed within the window; the timeline is the
    /// evidence, newest first.
    Changes {
        /// How many changes (the timeline may show fewer).
        count: usize,
        /// The window looked at (`--since`).
        window: Seconds,
    },
}

declare_check! {
    /// ## What it checks
    /// What changed on the path within the window (`--since`, default 24 h,
    /// up to `--now`): new or edited NetworkPolicies selecting the pods,
    /// Service and Ingress changes, rollouts (new ReplicaSets), pod
    /// restarts, node condition flips, warning events, certificates that
    /// expired.
    ///
    /// ## Why it breaks reachability
    /// It does not by itself: "suddenly" means something changed, and the
    /// timeline puts the change next to the finding it may explain.
    ///
    /// ## How to fix
    /// Look at the newest change first; roll it back if it is the cause.
    ///
    /// ## Example
    /// `11:42 NetworkPolicy/shop/restrict-web-ingress created` right before
    /// the outage.
    pub static CHECK = {
        name: "recent-change",
        layer: Change,
        needs: State,
        blocks: No,
        decides: [],
        reads: [],
        uses: [Event, ReplicaSet, Deployment, Secret, Node, Ingress, Pod, Service],
        explained_by: [
            crate::checks::network::node_not_ready::CHECK => CauseRelated,
        ],
        summary: "objects on the path changed recently (the timeline of \"suddenly\")",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let now = cx.now();
    let since = now.as_second() - cx.opts.since_secs;
    let within = |t: Timestamp| t.as_second() >= since && t <= now;
    let mut changes: Vec<(Timestamp, ObjectRef, ChangeKind)> = Vec::new();
    let mut add = |t: Option<Timestamp>, o: ObjectRef, what: ChangeKind| {
        if let Some(t) = t
            && within(t)
            && !changes
                .iter()
                .any(|(t2, o2, w2)| *t2 == t && *o2 == o && *w2 == what)
        {
            changes.push((t, o, what));
        }
    };
    let created = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        m.creation_timestamp.as_ref().map(|t| t.0)
    };
    let updated = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        m.managed_fields
            .iter()
            .flatten()
            .filter(|f| f.operation.as_deref() == Some("Update") && f.subresource.is_none())
            .filter_map(|f| f.time.as_ref().map(|t| t.0))
            .max()
    };
    let mut namespaces: Vec<String> = Vec::new();
    let mut pods = Vec::new();
    for p in &cx.res.paths {
        for s in p
            .entry
            .service
            .iter()
            .chain(p.service.as_ref().map(|s| &s.service))
        {
            if let Some(svc) = cx.snap.service(s.ns(), &s.name) {
                add(created(&svc.metadata), s.clone(), ChangeKind::Created);
                add(updated(&svc.metadata), s.clone(), ChangeKind::Edited);
            }
        }
        if let Some(h) = &p.ingress
            && let Some(ing) = cx
                .snap
                .ingresses
                .iter()
                .find(|i| i.ns() == h.ingress.ns() && i.name() == h.ingress.name)
        {
            add(
                created(&ing.metadata),
                h.ingress.clone(),
                ChangeKind::Created,
            );
            add(
                updated(&ing.metadata),
                h.ingress.clone(),
                ChangeKind::Edited,
            );
        }
        for r in &p.pods {
            if !namespaces.contains(&r.ns().to_string()) {
                namespaces.push(r.ns().to_string());
            }
            if let Some(pod) = cx.snap.pod(r.ns(), &r.name) {
                pods.push(pod);
            }
        }
    }
    for pod in &pods {
        let r = obj_ref(*pod);
        add(created(&pod.metadata), r.clone(), ChangeKind::PodCreated);
        for cs in pod
            .status
            .iter()
            .flat_map(|s| s.container_statuses.iter().flatten())
        {
            if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                add(
                    t.finished_at.as_ref().map(|x| x.0),
                    r.clone(),
                    ChangeKind::ContainerRestarted {
                        container: cs.name.clone(),
                        exit_code: t.exit_code,
                        reason: t.reason.clone(),
                    },
                );
            }
        }
        let owner = owner_of(cx.snap, pod);
        if owner.kind == crate::Kind::Deployment {
            for rs in cx.snap.replica_sets.iter().filter(|rs| {
                rs.ns() == owner.ns()
                    && rs
                        .metadata
                        .owner_references
                        .iter()
                        .flatten()
                        .any(|o| o.name == owner.name)
            }) {
                add(
                    created(&rs.metadata),
                    owner.clone(),
                    ChangeKind::RolledOut {
                        replica_set: rs.name().to_string(),
                    },
                );
            }
        }
        if let Some(n) = crate::workload::node_name(pod)
            && let Some(node) = cx.snap.node(n)
        {
            for c in node
                .status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .filter(|c| c.type_ == "Ready" || c.type_ == "NetworkUnavailable")
            {
                add(
                    c.last_transition_time.as_ref().map(|t| t.0),
                    ObjectRef::cluster(crate::Kind::Node, n),
                    ChangeKind::Condition {
                        condition: c.type_.clone(),
                        status: c.status.clone(),
                    },
                );
            }
        }
    }
    for np in cx
        .snap
        .network_policies
        .iter()
        .filter(|n| namespaces.iter().any(|x| x == n.ns()))
    {
        let r = obj_ref(np);
        add(created(&np.metadata), r.clone(), ChangeKind::Created);
        add(updated(&np.metadata), r.clone(), ChangeKind::Edited);
    }
    for (ing, _) in cx.ingresses() {
        for tls in ing.spec.iter().flat_map(|s| s.tls.iter().flatten()) {
            if let Some(s) = tls
                .secret_name
                .as_deref()
                .and_then(|n| cx.snap.tls_secret(ing.ns(), n))
                && let Some(leaf) = s.leaf()
            {
                add(
                    Some(leaf.not_after),
                    s.object.clone(),
                    ChangeKind::CertificateExpired,
                );
                add(s.created, s.object.clone(), ChangeKind::Created);
            }
        }
    }
    // Warning events about the objects on the path (the newest of each reason).
    let mut on_path: Vec<ObjectRef> = Vec::new();
    for p in &cx.res.paths {
        on_path.extend(
            p.objects()
                .into_iter()
                .filter(|o| o.kind != crate::Kind::Node),
        );
    }
    on_path.sort();
    on_path.dedup();
    for o in &on_path {
        let mut seen: Vec<&str> = Vec::new();
        for e in cx.snap.events_for(o).into_iter().filter(|e| e.is_warning()) {
            if seen.contains(&e.reason.as_str()) {
                continue;
            }
            seen.push(&e.reason);
            add(
                e.last_seen(),
                o.clone(),
                ChangeKind::WarningEvent {
                    reason: e.reason.clone(),
                    count: e.count,
                    message: e.message.trim().to_string(),
                },
            );
        }
    }
    if changes.is_empty() {
        return;
    }
    changes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let (_, newest, _) = &changes[0];
    let mut f = Finding::new(
        &CHECK,
        newest.clone(),
        Problem::Changes {
            count: changes.len(),
            window: Seconds(cx.opts.since_secs),
        },
    );
    let older = changes.len().saturating_sub(12);
    for (t, o, what) in changes.into_iter().take(12) {
        f = f.evidence(Evidence::Change(Change {
            at: t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            object: o,
            what,
            may_explain: vec![],
        }));
    }
    if older > 0 {
        f = f.evidence(Evidence::OlderChanges { count: older });
    }
    out.push(f.blocking(false).info());
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
