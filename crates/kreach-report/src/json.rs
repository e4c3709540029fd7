//! The `kreach/v1` JSON report (`kreach diagnose -o json`).
//!
//! This is a contract: scripts and the acceptance runner read it. Change
//! it only with a new schema version. A full example:
//!
//! ```json
//! {
//!   "schema": "kreach/v1",
//!   "target": {"input": "svc/web", "kind": "Service", "namespace": "shop", "name": "web"},
//!   "verdict": "broken",
//!   "paths": [
//!     {"via": "ingress",
//!      "hops": [
//!        {"kind": "IngressController", "object": "Service/ingress-nginx/ingress-nginx-controller", "status": "ok"},
//!        {"kind": "Ingress", "object": "Ingress/shop/web", "status": "ok"},
//!        {"kind": "Service", "object": "Service/shop/web", "status": "broken"}
//!      ]}
//!   ],
//!   "root_causes": ["f1"],
//!   "findings": [
//!     {"id": "f1",
//!      "check": "service-selector-matches-no-pod",
//!      "severity": "error",
//!      "layer": "service",
//!      "blocks": true,
//!      "object": "Service/shop/web",
//!      "message": "selector app=web,tier=frontend matches no pod in shop",
//!      "evidence": ["3 pods (web-5447955fbc-2x7kq, web-5447955fbc-8fz2m, web-5447955fbc-wsmxl) differ: tier=frontend (pod has tier=front-end)"],
//!      "fix": ["kubectl -n shop patch service web --type merge -p '{\"spec\":{\"selector\":{\"tier\":\"front-end\"}}}'"],
//!      "explained_by": []}
//!   ],
//!   "unknowns": [{"hop": "Service/ingress-nginx/ingress-nginx-controller", "reason": "probes were off: the entry was not tested from here"}]
//! }
//! ```
//!
//! Fields:
//! - `target`: what was asked; `kind` is `Service`, `Ingress`, `Pod`,
//!   `Deployment`, `URL` or `Address`; `namespace`/`name` are null for URL
//!   and address targets.
//! - `verdict`: `broken` (every path blocked), `degraded` (some paths,
//!   nodes or endpoints), `ok`, `inconclusive` (nothing blocks, but state
//!   kreach could not read covers a hop).
//! - `paths[].via`: `ingress`, `loadbalancer`, `nodeport`, `externalip`,
//!   `pod`, or `service` (no external entry: the Service walked on its own).
//! - `paths[].hops[]`: outside in; `kind` is the hop's role
//!   (`LoadBalancer`, `NodePort`, `ExternalIP`, `IngressController`,
//!   `Ingress`, `Service`, `Pod`), `object` a `Kind/namespace/name` (or
//!   `Kind/name`) reference, `status` `ok`, `broken` or `unknown`.
//! - `root_causes`: ids of the blocking findings nothing explains, outside in.
//! - `findings[]`: `check` is a catalog name, `severity` `error`, `warning`
//!   or `info`, `layer` one of `entry`, `cloud`, `service`, `network`,
//!   `pod`, `change`; `explained_by` lists the ids of the findings that
//!   explain this one.
//! - `unknowns[]`: hops kreach could not decide, with the reason.

use kreach_core::diagnose::{Diagnosis, HopStatus};
use serde::Serialize;

use crate::lang::{self, Lang};

/// The version of the `details` objects of findings.
pub const DETAILS_SCHEMA: &str = "kreach-details/v1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    target: Target<'a>,
    verdict: &'static str,
    paths: Vec<Path>,
    root_causes: &'a [String],
    findings: Vec<Finding<'a>>,
    unknowns: Vec<Unknown<'a>>,
}

#[derive(Serialize)]
struct Target<'a> {
    input: &'a str,
    kind: &'a str,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Path {
    via: &'static str,
    hops: Vec<Hop>,
}

#[derive(Serialize)]
struct Hop {
    kind: &'static str,
    object: String,
    status: HopStatus,
}

#[derive(Serialize)]
struct Finding<'a> {
    id: &'a str,
    check: &'a str,
    severity: kreach_core::Severity,
    layer: kreach_core::Layer,
    blocks: bool,
    object: String,
    message: String,
    evidence: Vec<String>,
    fix: Vec<String>,
    explained_by: &'a [String],
    details: Details<'a>,
}

/// The typed facts of a finding, for scripts (see the module docs).
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "kreach-details/v1: the `details` of a finding in a kreach/v1 JSON report")]
struct Details<'a> {
    /// Always `kreach-details/v1`.
    #[schemars(extend("const" = "kreach-details/v1"))]
    schema: &'static str,
    /// What is wrong: `kind` names the problem, the other fields are its facts.
    problem: &'a kreach_core::message::Problem,
    /// What shows it, one item per evidence line.
    evidence: &'a [kreach_core::message::Evidence],
    /// What fixes it: commands, and where a command cannot say it, steps.
    fix: &'a [kreach_core::message::Fix],
}

/// The JSON Schema (draft 2020-12) of `findings[].details`, with the
/// schema of `unknowns[].details` as `$defs/UnknownReason`: what
/// `docs/kreach-details-v1.schema.json` holds.
pub fn details_schema() -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let _ = generator.subschema_for::<kreach_core::diagnose::UnknownReason>();
    let root = generator.into_root_schema_for::<Details<'static>>();
    let mut v = serde_json::to_value(root).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("$id".into(), DETAILS_SCHEMA.into());
    }
    v
}

#[derive(Serialize)]
struct Unknown<'a> {
    hop: &'a str,
    reason: String,
    details: &'a kreach_core::diagnose::UnknownReason,
}

/// The report as a JSON value.
pub fn to_value(d: &Diagnosis) -> serde_json::Value {
    let r = &d.resolution;
    let report = Report {
        schema: "kreach/v1",
        target: Target {
            input: &r.input,
            kind: &r.kind,
            namespace: r.namespace.as_deref(),
            name: r.name.as_deref(),
        },
        verdict: d.verdict.name(),
        paths: r
            .paths
            .iter()
            .zip(&d.hop_status)
            .map(|(p, st)| Path {
                via: p.via.name(),
                hops: p
                    .hops()
                    .into_iter()
                    .zip(st)
                    .map(|(h, s)| Hop {
                        kind: h.kind.name(),
                        object: h.object.to_string(),
                        status: *s,
                    })
                    .collect(),
            })
            .collect(),
        root_causes: &d.root_causes,
        findings: d
            .findings
            .iter()
            .map(|f| Finding {
                id: &f.id,
                check: f.check,
                severity: f.severity,
                layer: f.layer,
                blocks: f.blocks,
                object: f.object.to_string(),
                message: lang::problem(Lang::En, &f.problem),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| lang::evidence(Lang::En, e))
                    .collect(),
                fix: f.fix.iter().map(|x| lang::fix(Lang::En, x)).collect(),
                explained_by: &f.explained_by,
                details: Details {
                    schema: DETAILS_SCHEMA,
                    problem: &f.problem,
                    evidence: &f.evidence,
                    fix: &f.fix,
                },
            })
            .collect(),
        unknowns: d
            .unknowns
            .iter()
            .map(|u| Unknown {
                hop: &u.hop,
                reason: lang::unknown_reason(Lang::En, &u.reason),
                details: &u.reason,
            })
            .collect(),
    };
    serde_json::to_value(report).expect("the report serializes")
}

/// Writes the report, pretty-printed, with a final newline.
pub fn write(d: &Diagnosis, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &to_value(d))?;
    writeln!(w)
}
