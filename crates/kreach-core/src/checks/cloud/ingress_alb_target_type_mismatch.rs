//! The `ingress-alb-target-type-mismatch` check: the AWS Load Balancer Controller cannot register the Ingress's backend with its target type.
//!
//! Its explanation (what `kreach explain ingress-alb-target-type-mismatch` prints) is the doc
//! comment of [`CHECK`]; its fixtures are in
//! `fixtures/checks/ingress-alb-target-type-mismatch/`.

use crate::context::Context;
use crate::declare_check;
use crate::finding::Finding;
use crate::object::{MetaExt, ServiceExt, ServiceType, obj_ref};

/// The annotation that sets the target type, on the backend Service (it
/// wins) or on the Ingress.
pub const TARGET_TYPE: &str = "alb.ingress.kubernetes.io/target-type";

/// What this check reports: the facts of one finding. The words are
/// `kreach-report`'s (`lang::en` / `lang::zh`); JSON shows it as `details`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Target type `instance` (the default) registers the nodes on the
    /// Service's node port, and the backend Service has none.
    InstanceTargetWithoutNodePort {
        /// The backend Service.
        service: String,
        /// Its type (`ClusterIP`).
        service_type: String,
        /// Where the target type comes from: the annotation on the
        /// Service or the Ingress, or None for the default.
        set_on: Option<String>,
    },
}

declare_check! {
    /// ## What it checks
    /// An Ingress served by the AWS Load Balancer Controller (class
    /// controller `ingress.k8s.aws/alb`, or the legacy `alb` annotation)
    /// whose backend Service cannot be registered with the target type:
    /// `alb.ingress.kubernetes.io/target-type` (on the Service, else on the
    /// Ingress; `instance` when neither sets it) is `instance`, which
    /// registers the nodes on the Service's node port, and the Service is
    /// of type `ClusterIP`, which has none (AWS Load Balancer Controller
    /// docs, Ingress annotations, "target-type").
    ///
    /// ## Why it breaks reachability
    /// The controller refuses to build the target group ("service type must
    /// be either 'NodePort' or 'LoadBalancer' due to specified TargetType:
    /// instance"): the ALB has no target for the path, and its requests get
    /// a 503 (or the Ingress never gets an address).
    ///
    /// ## How to fix
    /// Register the pods themselves (`target-type: ip`, where pod IPs are
    /// routable in the VPC, as with the AWS VPC CNI), or make the backend
    /// Service a `NodePort`.
    ///
    /// ## Example
    /// `kubectl -n shop annotate ingress web alb.ingress.kubernetes.io/target-type=ip`
    pub static CHECK = {
        name: "ingress-alb-target-type-mismatch",
        layer: Cloud,
        needs: State,
        blocks: Yes,
        decides: [Ingress],
        reads: [Ingress, Service],
        uses: [IngressClass, Pod, Deployment],
        explained_by: [],
        summary: "the AWS Load Balancer Controller cannot register the Ingress's backend with its target type",
        run: run,
    };
}

fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, ing, _, svc) in cx.ingress_backends_of("ingress.k8s.aws/alb") {
        let (target_type, set_on) = match (svc.annotation(TARGET_TYPE), ing.annotation(TARGET_TYPE))
        {
            (Some(t), _) => (
                t.to_string(),
                Some(format!("Service/{}/{}", svc.ns(), svc.name())),
            ),
            (None, Some(t)) => (
                t.to_string(),
                Some(format!("Ingress/{}/{}", ing.ns(), ing.name())),
            ),
            (None, None) => ("instance".to_string(), None),
        };
        if !target_type.eq_ignore_ascii_case("instance")
            || !matches!(svc.service_type(), ServiceType::ClusterIP)
        {
            continue;
        }
        let object = obj_ref(ing);
        if let Some(f) = out.iter_mut().find(|f| f.object == object) {
            if !f.paths.contains(&i) {
                f.paths.push(i);
            }
            continue;
        }
        out.push(
            Finding::new(
                &CHECK,
                object,
                Problem::InstanceTargetWithoutNodePort {
                    service: svc.name().to_string(),
                    service_type: "ClusterIP".into(),
                    set_on,
                },
            )
            .related([obj_ref(svc)])
            .fix(format!(
                "kubectl -n {} annotate ingress {} --overwrite {TARGET_TYPE}=ip",
                ing.ns(),
                ing.name()
            ))
            .on_paths(vec![i]),
        );
    }
}

#[cfg(test)]
mod tests {
    crate::check_fixtures!(super::CHECK);
}
