//! The whole analysis: resolve the target, run every check, link symptoms
//! to causes, pick the root causes and the verdict.
//!
//! Linking follows the catalog's "Symptoms and causes": a symptom names the
//! findings that explain it (`explained_by`); root causes are the blocking
//! findings nothing explains, ordered outside in; the cause of a blocking
//! symptom blocks too.

use serde::Serialize;

use crate::checks::CHECKS;
use crate::context::Context;
use crate::finding::{Finding, Scope, Severity};
use crate::object::ObjectRef;
use crate::path::{HopKind, Via};
use crate::resolve::{Options, Resolution, resolve};
use crate::snapshot::{Kind, Snapshot};
use crate::target::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Broken,
    Degraded,
    Ok,
    Inconclusive,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Broken => "broken",
            Verdict::Degraded => "degraded",
            Verdict::Ok => "ok",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HopStatus {
    Ok,
    Broken,
    Unknown,
}

/// Why a hop is undecided (worded by the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum UnknownReason {
    /// Probes were off by choice (`--no-probe`) or because the state is a
    /// snapshot, whose addresses are not this machine's network.
    ProbesOff,
    /// This build sends no probes: the entry was not tested.
    ProbesNotBuilt,
    /// A kind the hop needs could not be read.
    NotRead {
        /// The resource (`endpointslices.discovery.k8s.io`).
        resource: String,
        /// Why the source lacks it.
        why: crate::snapshot::NotRead,
    },
}

/// Something kreach could not decide, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub hop: String,
    pub reason: UnknownReason,
    /// Off by the user's choice (`--no-probe`, `--snapshot`): listed, but
    /// it does not make the verdict inconclusive.
    pub by_choice: bool,
}

#[derive(Debug)]
pub struct Diagnosis {
    pub resolution: Resolution,
    /// Root causes first (outside in), then the other blocking findings,
    /// then warnings and hints.
    pub findings: Vec<Finding>,
    pub root_causes: Vec<String>,
    pub verdict: Verdict,
    pub unknowns: Vec<Unknown>,
    /// Per path, per hop (as `AccessPath::hops` lists them).
    pub hop_status: Vec<Vec<HopStatus>>,
}

impl Diagnosis {
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }

    /// The exit status of the contract: 1 when something blocks.
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Broken | Verdict::Degraded => 1,
            Verdict::Ok | Verdict::Inconclusive => 0,
        }
    }
}

pub fn diagnose(snap: &Snapshot, input: &str, target: &Target, opts: &Options) -> Diagnosis {
    let res = resolve(snap, input, target, opts);
    let mut findings = run_checks(snap, target, &res, opts);
    for f in &mut findings {
        if f.paths.is_empty() {
            let mut p = res.paths_with(&f.object);
            for r in &f.related {
                for i in res.paths_with(r) {
                    if !p.contains(&i) {
                        p.push(i);
                    }
                }
            }
            f.paths = if p.is_empty() {
                (0..res.paths.len()).collect()
            } else {
                p
            };
        }
    }
    let (mut findings, root_causes) = rank(findings);
    link_changes(snap, &mut findings);
    let unknowns = unknowns(snap, &res, &findings, opts);
    let verdict = verdict(&res, &findings, &unknowns);
    let hop_status = hop_status(&res, &findings, &unknowns);
    Diagnosis {
        resolution: res,
        findings,
        root_causes,
        verdict,
        unknowns,
        hop_status,
    }
}

fn run_checks(snap: &Snapshot, target: &Target, res: &Resolution, opts: &Options) -> Vec<Finding> {
    let cx = Context::new(snap, target, res, opts);
    let mut all: Vec<Finding> = Vec::new();
    for c in CHECKS {
        // A check whose input could not be read is unknown, not run: its
        // hops are unknown (`unknowns`), never silently fine or guessed.
        if !c.runs_on(snap) {
            continue;
        }
        let mut out = Vec::new();
        (c.run)(&cx, &mut out);
        for f in out {
            if !all
                .iter()
                .any(|g| g.check == f.check && g.object == f.object && g.problem == f.problem)
            {
                all.push(f);
            }
        }
    }
    all
}

/// Whether finding `cause` explains finding `symptom`: the symptom's check
/// declares the cause's among what explains it (`explained_by`), with the
/// relation the two findings must have.
fn explains(cause: &Finding, symptom: &Finding) -> bool {
    crate::checks::find(symptom.check).is_some_and(|c| c.explained_by(cause, symptom))
}

fn rank(mut findings: Vec<Finding>) -> (Vec<Finding>, Vec<String>) {
    let n = findings.len();
    let mut by: Vec<Vec<usize>> = vec![vec![]; n];
    for (j, sym) in findings.iter().enumerate() {
        for (i, cause) in findings.iter().enumerate() {
            if i != j && explains(cause, sym) {
                by[j].push(i);
            }
        }
    }
    // The cause of a blocking symptom blocks.
    loop {
        let mut changed = false;
        for j in 0..n {
            if findings[j].blocks {
                for &i in &by[j] {
                    if !findings[i].blocks {
                        findings[i].blocks = true;
                        findings[i].severity = Severity::Error;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Order: root causes outside in, other blocking, warnings, info.
    let is_root = |j: usize, f: &Finding| f.blocks && by[j].is_empty();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&j| {
        let f = &findings[j];
        let class = if is_root(j, f) {
            0
        } else if f.blocks {
            1
        } else if f.severity == Severity::Warning {
            2
        } else {
            3
        };
        let first_path = f.paths.iter().min().copied().unwrap_or(usize::MAX);
        (class, f.layer.depth(), first_path, j)
    });
    let mut new_index = vec![0usize; n];
    for (pos, &j) in order.iter().enumerate() {
        new_index[j] = pos;
    }
    let roots: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&j| is_root(j, &findings[j]))
        .collect();
    let ids: Vec<String> = (0..n).map(|j| format!("f{}", new_index[j] + 1)).collect();
    for j in 0..n {
        findings[j].id = ids[j].clone();
        let mut e: Vec<usize> = by[j].clone();
        e.sort_by_key(|&i| new_index[i]);
        findings[j].explained_by = e.into_iter().map(|i| ids[i].clone()).collect();
    }
    let root_ids = roots.iter().map(|&j| ids[j].clone()).collect();
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    let sorted = order
        .iter()
        .map(|&j| slots[j].take().expect("each index once"))
        .collect();
    (sorted, root_ids)
}

/// Puts each change of the `recent-change` timeline next to the findings
/// about the object that changed (its `may_explain`, worded "(may explain
/// f2 networkpolicy-denies)"). A rollout (`Deployment/…`) links to the
/// findings about its pods.
fn link_changes(snap: &Snapshot, findings: &mut [Finding]) {
    use crate::message::{Evidence, pod};
    let about: Vec<(ObjectRef, Vec<ObjectRef>, pod::MayExplain)> = findings
        .iter()
        .filter(|f| f.check != "recent-change")
        .map(|f| {
            let mut rel = f.related.clone();
            // The workload that owns a pod the finding is about.
            for o in std::iter::once(&f.object)
                .chain(f.related.iter())
                .filter(|o| o.kind == crate::Kind::Pod)
            {
                if let Some(p) = snap.pod(o.ns(), &o.name) {
                    rel.push(crate::workload::owner_of(snap, p));
                }
            }
            let who = pod::MayExplain {
                finding: f.id.clone(),
                check: f.check,
            };
            (f.object.clone(), rel, who)
        })
        .collect();
    for f in findings.iter_mut().filter(|f| f.check == "recent-change") {
        for e in f.evidence.iter_mut() {
            let Evidence::Pod(pod::Evidence::Change(c)) = e else {
                continue;
            };
            c.may_explain = about
                .iter()
                .filter(|(o, rel, _)| *o == c.object || rel.contains(&c.object))
                .map(|(.., who)| who.clone())
                .collect();
        }
    }
}

#[cfg(test)]
mod link_changes_tests {
    use super::*;
    use crate::message::{Evidence, pod};

    fn finding(check: &str, id: &str, object: ObjectRef) -> Finding {
        let def = crate::checks::find(check).expect("registered");
        let problem = crate::checks::pod::pod_terminating::Problem::Terminating;
        let mut f = Finding::new(def, object.clone(), problem).related([object]);
        f.id = id.into();
        f
    }

    fn change(object: ObjectRef) -> Evidence {
        Evidence::Pod(pod::Evidence::Change(pod::Change {
            at: "2026-11-20T11:42:00Z".into(),
            object,
            what: pod::ChangeKind::Created,
            may_explain: vec![],
        }))
    }

    #[test]
    fn changes_name_the_findings_about_their_object() {
        let np = ObjectRef::namespaced(crate::Kind::NetworkPolicy, "shop", "deny");
        let svc = ObjectRef::namespaced(crate::Kind::Service, "shop", "web");
        let other = ObjectRef::namespaced(crate::Kind::Service, "shop", "other");
        let mut denies = finding("networkpolicy-denies", "f1", svc.clone());
        denies.related.push(np.clone());
        let mut timeline = finding("recent-change", "f3", np.clone());
        timeline.evidence = vec![change(np.clone()), change(other), change(svc)];
        let mut fs = vec![
            denies,
            finding(
                "service-no-endpoints",
                "f2",
                ObjectRef::namespaced(crate::Kind::Service, "shop", "web"),
            ),
            timeline,
        ];
        link_changes(&Snapshot::default(), &mut fs);
        let explained: Vec<Vec<(String, &str)>> = fs[2]
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::Pod(pod::Evidence::Change(c)) => c
                    .may_explain
                    .iter()
                    .map(|m| (m.finding.clone(), m.check))
                    .collect(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            explained,
            vec![
                vec![("f1".to_string(), "networkpolicy-denies")],
                vec![],
                vec![
                    ("f1".to_string(), "networkpolicy-denies"),
                    ("f2".to_string(), "service-no-endpoints")
                ],
            ]
        );
    }
}

/// The hops left undecided: for each hop, the checks that decide it
/// (`decides`, where they apply) and what they read that the source could
/// not provide.
fn unknowns(
    snap: &Snapshot,
    res: &Resolution,
    findings: &[Finding],
    opts: &Options,
) -> Vec<Unknown> {
    let mut v: Vec<Unknown> = Vec::new();
    let mut push = |hop: String, reason: UnknownReason, by_choice: bool| {
        if !v.iter().any(|u| u.hop == hop && u.reason == reason) {
            v.push(Unknown {
                hop,
                reason,
                by_choice,
            });
        }
    };
    for p in &res.paths {
        let hops = p.hops();
        if !opts.probes
            && let Some(h) = hops.first()
            && p.via != Via::Service
        {
            push(h.object.to_string(), opts.probes_off.clone(), true);
        }
        for h in &hops {
            let mut unread: Vec<Kind> = CHECKS
                .iter()
                .filter(|c| c.decides.contains(&h.kind) && (c.applies)(snap, h))
                .flat_map(|c| c.reads.iter().flat_map(|r| r.unread(snap)))
                .collect();
            unread.sort();
            unread.dedup();
            for k in unread {
                if let Some(reason) = snap.missing_reason(k) {
                    push(
                        h.object.to_string(),
                        UnknownReason::NotRead {
                            resource: k.resource().to_string(),
                            why: reason.clone(),
                        },
                        false,
                    );
                }
            }
        }
    }
    // Findings that could not say whether they block.
    for f in findings {
        for k in &f.undecided {
            if let Some(reason) = snap.missing_reason(*k) {
                push(
                    f.object.to_string(),
                    UnknownReason::NotRead {
                        resource: k.resource().to_string(),
                        why: reason.clone(),
                    },
                    false,
                );
            }
        }
    }
    // What the resolver could not read may hide a way in, or the one the
    // paths above depend on.
    for k in &res.unread {
        if let Some(reason) = snap.missing_reason(*k) {
            push(
                res.input.clone(),
                UnknownReason::NotRead {
                    resource: k.resource().to_string(),
                    why: reason.clone(),
                },
                false,
            );
        }
    }
    v
}

fn verdict(res: &Resolution, findings: &[Finding], unknowns: &[Unknown]) -> Verdict {
    let blocking: Vec<&Finding> = findings.iter().filter(|f| f.blocks).collect();
    if res.paths.is_empty() {
        // No way in: broken when a finding says why, else not known (what
        // could not be read may hold the way in).
        return if blocking.is_empty()
            && (!findings.is_empty() || unknowns.iter().any(|u| !u.by_choice))
        {
            Verdict::Inconclusive
        } else {
            Verdict::Broken
        };
    }
    if !blocking.is_empty() {
        let broken_paths = (0..res.paths.len())
            .filter(|i| {
                blocking
                    .iter()
                    .any(|f| f.scope == Scope::Whole && f.paths.contains(i))
            })
            .count();
        // A Service target's `--via service` walk (no external entry) is
        // broken by definition when the Service is not exposed.
        if broken_paths == res.paths.len() {
            return Verdict::Broken;
        }
        return Verdict::Degraded;
    }
    if unknowns.iter().any(|u| !u.by_choice) {
        return Verdict::Inconclusive;
    }
    Verdict::Ok
}

fn hop_status(res: &Resolution, findings: &[Finding], unknowns: &[Unknown]) -> Vec<Vec<HopStatus>> {
    res.paths
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let hops = p.hops();
            let mut status: Vec<HopStatus> = hops
                .iter()
                .map(|h| {
                    if findings.iter().any(|f| breaks(f, pi, p, h)) {
                        HopStatus::Broken
                    } else if unknowns
                        .iter()
                        .any(|u| !u.by_choice && u.hop == h.object.to_string())
                    {
                        HopStatus::Unknown
                    } else {
                        HopStatus::Ok
                    }
                })
                .collect();
            // A blocking finding on the path that no hop carries by object
            // (a certificate, a CIDR, an agent) still breaks a hop there:
            // the first hop its check decides, else the first of its layer,
            // else the entry. Every broken verdict shows where.
            for f in findings
                .iter()
                .filter(|f| f.blocks && f.paths.contains(&pi))
            {
                if hops.iter().any(|h| breaks(f, pi, p, h)) {
                    continue;
                }
                let decides = crate::checks::find(f.check).map_or(&[][..], |c| c.decides);
                let of_layer = |k: HopKind| match f.layer {
                    crate::check::Layer::Service => k == HopKind::Service,
                    crate::check::Layer::Pod | crate::check::Layer::Network => k == HopKind::Pod,
                    _ => false,
                };
                let at = hops
                    .iter()
                    .position(|h| decides.contains(&h.kind))
                    .or_else(|| hops.iter().position(|h| of_layer(h.kind)))
                    .unwrap_or(0);
                if let Some(s) = status.get_mut(at) {
                    *s = HopStatus::Broken;
                }
            }
            status
        })
        .collect()
}

/// Whether blocking finding `f` breaks hop `h` of path `pi`: it is about
/// the hop's object (a pod hop: or related to it) in a layer that fits the
/// hop, or about the node the client addresses on an entry hop.
fn breaks(f: &Finding, pi: usize, p: &crate::path::AccessPath, h: &crate::path::Hop) -> bool {
    use crate::check::Layer;
    let layer_fits = match h.kind {
        HopKind::Service => matches!(f.layer, Layer::Service),
        HopKind::Pod => matches!(f.layer, Layer::Pod | Layer::Network),
        _ => matches!(f.layer, Layer::Entry | Layer::Cloud | Layer::Network),
    };
    // A node the client addresses carries the entry hop: findings about it
    // (or about an agent on it) break it.
    let entry_hop = matches!(h.kind, HopKind::NodePort | HopKind::IngressController)
        && !p.entry.nodes.is_empty()
        && p.entry.address.is_some();
    let on_entry_node = || {
        p.entry.nodes.iter().any(|n| {
            let node = ObjectRef::cluster(crate::Kind::Node, n);
            f.object == node || f.related.contains(&node)
        })
    };
    f.blocks
        && f.paths.contains(&pi)
        && layer_fits
        && (f.object == h.object
            || (h.kind == HopKind::Pod && f.related.contains(&h.object))
            || (entry_hop && on_entry_node()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckDef;
    use crate::checks::find;
    use crate::object::ObjectRef;

    fn f(check: &str, object: ObjectRef) -> Finding {
        let def: &CheckDef = find(check).expect("registered");
        // The ranking reads checks and objects, not what the problem says.
        Finding::new(
            def,
            object,
            crate::checks::pod::pod_terminating::Problem::Terminating,
        )
        .on_paths(vec![0])
    }

    fn pod(n: &str) -> ObjectRef {
        ObjectRef::namespaced(crate::Kind::Pod, "shop", n)
    }

    /// service-no-ready-endpoints is a symptom of the pod findings of the
    /// pods it names, and a not-ready pod of its probe-port mismatch; the
    /// cause of a blocking symptom blocks.
    #[test]
    fn symptoms_link_to_causes_and_causes_inherit_blocking() {
        let svc = ObjectRef::namespaced(crate::Kind::Service, "shop", "web");
        let sym = f("service-no-ready-endpoints", svc).related([pod("a"), pod("b")]);
        let nr = f("pod-not-ready", pod("a")).blocking(false);
        let pm = f("pod-probe-port-mismatch", pod("a")).blocking(false);
        let other = f("pod-not-ready", pod("z")).blocking(false);
        let (out, roots) = rank(vec![sym, nr, pm, other]);
        let by = |c: &str, o: &ObjectRef| {
            out.iter()
                .find(|x| x.check == c && &x.object == o)
                .unwrap()
                .clone()
        };
        let pm = by("pod-probe-port-mismatch", &pod("a"));
        let nr = by("pod-not-ready", &pod("a"));
        let sym = out
            .iter()
            .find(|x| x.check == "service-no-ready-endpoints")
            .unwrap();
        assert!(sym.explained_by.contains(&nr.id) && sym.explained_by.contains(&pm.id));
        assert_eq!(nr.explained_by, vec![pm.id.clone()]);
        assert!(pm.blocks && nr.blocks, "causes of a blocking symptom block");
        assert_eq!(roots, vec![pm.id.clone()]);
        assert!(
            !by("pod-not-ready", &pod("z")).blocks,
            "unrelated pods keep their own blocking"
        );
        assert_eq!(out[0].id, "f1", "root causes come first");
    }

    #[test]
    fn node_not_ready_explains_what_runs_there_but_not_pod_on_unready_node() {
        let node = ObjectRef::cluster(crate::Kind::Node, "n2");
        let kp = f(
            "kube-proxy-not-ready",
            ObjectRef::namespaced(crate::Kind::Pod, "kube-system", "kube-proxy-x"),
        )
        .related([node.clone()]);
        let nn = f("node-not-ready", node.clone());
        let pu = f("pod-on-unready-node", pod("a")).related([node.clone()]);
        let (out, roots) = rank(vec![kp, nn, pu]);
        let id = |c: &str| out.iter().find(|x| x.check == c).unwrap().id.clone();
        assert_eq!(
            out.iter()
                .find(|x| x.check == "kube-proxy-not-ready")
                .unwrap()
                .explained_by,
            vec![id("node-not-ready")]
        );
        assert!(
            out.iter()
                .find(|x| x.check == "pod-on-unready-node")
                .unwrap()
                .explained_by
                .is_empty()
        );
        assert!(
            roots.contains(&id("node-not-ready")) && roots.contains(&id("pod-on-unready-node"))
        );
    }

    /// A pod stuck in ContainerCreating with sandbox/CNI errors on a node
    /// whose CNI agent is down is the agent's symptom; a pending pod on
    /// another node, or without sandbox errors, is not.
    #[test]
    fn sandbox_errors_link_pending_pods_to_the_cni_agent_of_their_node() {
        let net = |n: &str| ObjectRef::cluster(crate::object::RefKind::NodeNetwork, n);
        let node = |n: &str| ObjectRef::cluster(crate::Kind::Node, n);
        let cni = f(
            "cni-not-ready",
            ObjectRef::namespaced(crate::Kind::Pod, "kube-system", "calico-node-x"),
        )
        .related([node("n1"), net("n1")]);
        let sandbox = f("pod-pending", pod("a")).related([node("n1"), net("n1")]);
        let elsewhere = f("pod-pending", pod("b")).related([node("n2"), net("n2")]);
        let unschedulable = f("pod-pending", pod("c")).related([node("n1")]);
        let (out, roots) = rank(vec![cni, sandbox, elsewhere, unschedulable]);
        let get = |o: &ObjectRef| out.iter().find(|x| &x.object == o).unwrap();
        let cni_id = out
            .iter()
            .find(|x| x.check == "cni-not-ready")
            .unwrap()
            .id
            .clone();
        assert_eq!(get(&pod("a")).explained_by, vec![cni_id.clone()]);
        assert!(get(&pod("b")).explained_by.is_empty());
        assert!(get(&pod("c")).explained_by.is_empty());
        assert!(roots.contains(&cni_id) && !roots.contains(&get(&pod("a")).id));
    }

    #[test]
    fn root_causes_are_ordered_outside_in() {
        let a = f("pod-crash-looping", pod("a"));
        let b = f(
            "service-selector-matches-no-pod",
            ObjectRef::namespaced(crate::Kind::Service, "shop", "x"),
        );
        let c = f(
            "loadbalancer-pending",
            ObjectRef::namespaced(crate::Kind::Service, "shop", "y"),
        );
        let (out, roots) = rank(vec![a, b, c]);
        let checks: Vec<&str> = roots
            .iter()
            .map(|id| out.iter().find(|x| &x.id == id).unwrap().check)
            .collect();
        assert_eq!(
            checks,
            vec![
                "loadbalancer-pending",
                "service-selector-matches-no-pod",
                "pod-crash-looping"
            ]
        );
    }

    fn res(paths: usize) -> Resolution {
        use crate::path::{AccessPath, Entry};
        let p = AccessPath {
            via: Via::NodePort,
            entry: Entry {
                via: Via::NodePort,
                service: None,
                address: None,
                port: None,
                service_port: None,
                nodes: vec![],
            },
            ingress: None,
            service: None,
            pods: vec![],
            nodes: vec![],
        };
        Resolution {
            input: "x".into(),
            kind: "Service".into(),
            namespace: None,
            name: None,
            paths: vec![p; paths],
            focus_pod: None,
            issues: vec![],
            unread: vec![],
        }
    }

    #[test]
    fn verdicts() {
        let on = |p: Vec<usize>| f("pod-crash-looping", pod("a")).on_paths(p);
        assert_eq!(verdict(&res(2), &[on(vec![0, 1])], &[]), Verdict::Broken);
        assert_eq!(
            verdict(&res(2), &[on(vec![0])], &[]),
            Verdict::Degraded,
            "one path of two"
        );
        assert_eq!(
            verdict(&res(1), &[on(vec![0]).partial()], &[]),
            Verdict::Degraded,
            "part of the endpoints"
        );
        assert_eq!(
            verdict(&res(1), &[on(vec![0]).blocking(false)], &[]),
            Verdict::Ok
        );
        let chosen = Unknown {
            hop: "h".into(),
            reason: UnknownReason::ProbesOff,
            by_choice: true,
        };
        let forced = Unknown {
            hop: "h".into(),
            reason: UnknownReason::NotRead {
                resource: "pods".into(),
                why: crate::snapshot::NotRead::NotServed,
            },
            by_choice: false,
        };
        assert_eq!(
            verdict(&res(1), &[], std::slice::from_ref(&chosen)),
            Verdict::Ok
        );
        assert_eq!(verdict(&res(1), &[], &[forced]), Verdict::Inconclusive);
        assert_eq!(
            verdict(&res(0), &[f("target-not-found", pod("q"))], &[]),
            Verdict::Broken
        );
    }

    /// What the source could not read leaves undecided the hops of the
    /// checks that read it (their `decides` and `reads`), and nothing else.
    #[test]
    fn unread_kinds_leave_the_hops_of_the_checks_that_read_them_unknown() {
        use crate::snapshot::Kind;
        use crate::testing::{fixtures_dir, load_fixture};
        let checks = fixtures_dir().join("checks");
        // An https URL through the Traefik LoadBalancer, an Ingress with
        // TLS, a Service and its pods; a plain http URL (no TLS);
        // a node address on Traefik's nodePort.
        let tls = load_fixture(&checks.join("ingress-tls-secret-not-found/silent.yaml"));
        let plain = load_fixture(&checks.join("service-external-name/silent.yaml"));
        let nodeport = load_fixture(&checks.join("nodeport-not-exposed/silent.yaml"));
        let unknown_hops = |fx: &crate::testing::Fixture, kind: Kind| -> Vec<HopKind> {
            // The same objects, the kind marked unreadable (a 403).
            let mut fx2 = crate::testing::Fixture {
                documents: fx.documents.clone(),
                target: fx.target.clone(),
                namespace: fx.namespace.clone(),
                args: fx.args.clone(),
                ..Default::default()
            };
            for d in &fx.documents {
                fx2.snapshot.add_value(d.clone(), "fixture");
            }
            fx2.snapshot.mark_missing(
                kind,
                crate::snapshot::NotRead::Forbidden {
                    can_i: format!("kubectl auth can-i list {}", kind.resource()),
                    message: String::new(),
                },
            );
            fx2.snapshot.finish();
            let d = fx2.run();
            let mut v: Vec<HopKind> = d
                .resolution
                .paths
                .iter()
                .zip(&d.hop_status)
                .flat_map(|(p, st)| {
                    p.hops()
                        .into_iter()
                        .zip(st.clone())
                        .filter(|(_, s)| *s == HopStatus::Unknown)
                        .map(|(h, _)| h.kind)
                })
                .collect();
            v.sort_by_key(|k| k.name());
            v.dedup();
            assert_eq!(
                v.is_empty(),
                d.verdict != Verdict::Inconclusive && d.unknowns.iter().all(|u| u.by_choice),
                "{kind:?}: {v:?} {:?}",
                d.verdict
            );
            v
        };
        use HopKind::*;
        // Secrets: only the Ingress that has TLS.
        assert_eq!(unknown_hops(&tls, Kind::Secret), vec![Ingress]);
        assert_eq!(unknown_hops(&plain, Kind::Secret), vec![]);
        // Evidence-only kinds decide nothing.
        for k in [Kind::Event, Kind::ReplicaSet] {
            assert_eq!(unknown_hops(&plain, k), vec![], "{k:?}");
        }
        // ConfigMaps hold kube-proxy's clusterCIDR, which cidr-overlap
        // needs to see a node or client inside the pod network.
        assert_eq!(unknown_hops(&plain, Kind::ConfigMap), vec![Pod]);
        // Pods: the Service's endpoints, the pods, the ingress controller
        // and the Ingress (whose missing address the controller explains).
        assert_eq!(
            unknown_hops(&plain, Kind::Pod),
            vec![Ingress, IngressController, Pod, Service]
        );
        // Policies decide the pods; one of Endpoints or EndpointSlices is enough.
        assert_eq!(unknown_hops(&plain, Kind::NetworkPolicy), vec![Pod]);
        assert_eq!(unknown_hops(&plain, Kind::Endpoints), vec![]);
        // Nodes: a node's port and what runs on nodes.
        // (Unknowns name the hop's object: the NodePort hop is the Service's
        // node port, so its Service hop shows the same unknown.)
        assert_eq!(
            unknown_hops(&nodeport, Kind::Node),
            vec![NodePort, Pod, Service]
        );
        // Ingresses: nothing on a node port's path, but whether a ClusterIP
        // Service is exposed at all.
        assert_eq!(unknown_hops(&nodeport, Kind::Ingress), vec![]);
        let internal = load_fixture(&checks.join("service-not-exposed/fires.yaml"));
        assert_eq!(unknown_hops(&internal, Kind::Ingress), vec![Service]);
    }

    /// Issue 11: a 403 never invents a cause. Every fixture's target, with
    /// each kind forbidden in turn: no finding that rests on the kind, none
    /// the whole state lacks, no `ok` the whole state does not give, and
    /// what was lost is said as an unknown.
    #[test]
    fn forbidding_any_kind_never_invents_a_cause() {
        use crate::testing::{all_fixtures, forbidding_violations, load_fixture};
        let mut bad = Vec::new();
        let mut runs = 0;
        for (_, path) in all_fixtures() {
            let fx = load_fixture(&path);
            let (target, opts) = fx.query();
            for k in crate::Kind::ALL {
                runs += 1;
                for m in forbidding_violations(&fx.snapshot, k, &fx.target, &target, &opts) {
                    bad.push(format!("{}: {m}", path.display()));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{} violations:\n{}",
            bad.len(),
            bad.join("\n")
        );
        assert!(runs > 1000, "{runs} runs");
    }

    /// Issue 11: every verdict explains itself, for every fixture as it is,
    /// with each kind forbidden and with each `--via`: a broken or
    /// inconclusive verdict has a finding or unknown that says why, and the
    /// hop a blocking finding breaks carries the mark.
    #[test]
    fn every_verdict_explains_itself() {
        use crate::testing::{all_fixtures, load_fixture, unexplained};
        let mut bad = Vec::new();
        for (_, path) in all_fixtures() {
            let fx = load_fixture(&path);
            let (target, opts) = fx.query();
            let mut runs: Vec<(String, Snapshot, Options)> =
                vec![("as is".into(), fx.snapshot.clone(), opts.clone())];
            for k in crate::Kind::ALL {
                let mut s = fx.snapshot.clone();
                s.forbid(k, crate::snapshot::NotRead::NotServed);
                runs.push((format!("{k:?} not served"), s, opts.clone()));
            }
            for via in [
                Via::Ingress,
                Via::LoadBalancer,
                Via::NodePort,
                Via::ExternalIp,
            ] {
                let o = Options {
                    via: Some(via),
                    ..opts.clone()
                };
                runs.push((format!("--via {via:?}"), fx.snapshot.clone(), o));
            }
            for (how, snap, o) in runs {
                let d = diagnose(&snap, &fx.target, &target, &o);
                for m in unexplained(&d) {
                    bad.push(format!("{} ({how}): {m}", path.display()));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{} unexplained:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }

    /// `--via nodeport` on a URL only an Ingress serves: the Service it
    /// leads to has no node port, said as service-not-exposed, not a bare
    /// "broken".
    #[test]
    fn a_via_no_path_takes_is_a_finding() {
        use crate::testing::{fixtures_dir, load_fixture};
        let fx = load_fixture(&fixtures_dir().join("checks/service-external-name/silent.yaml"));
        let (target, mut opts) = fx.query();
        assert!(matches!(target, crate::Target::Url { .. }), "{target:?}");
        let whole = diagnose(&fx.snapshot, &fx.target, &target, &opts);
        assert!(whole.resolution.paths.iter().all(|p| p.via == Via::Ingress));
        opts.via = Some(Via::NodePort);
        let d = diagnose(&fx.snapshot, &fx.target, &target, &opts);
        assert!(d.resolution.paths.is_empty());
        assert_eq!(d.verdict, Verdict::Broken);
        let f = d.finding("f1").expect("a finding");
        assert_eq!(f.check, "service-not-exposed");
        assert!(
            format!("{:?}", f.problem).contains("NoEntryOfKind { via: NodePort"),
            "{:?}",
            f.problem
        );
        assert_eq!(d.root_causes, vec!["f1".to_string()]);
    }
}
