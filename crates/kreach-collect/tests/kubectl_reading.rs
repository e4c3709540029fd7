//! Manifests read the way kubectl reads them: scalars in string fields are
//! strings (`namespace: no`, `name: 0123`), YAML 1.1 booleans in boolean
//! fields are booleans, and an object that cannot be decoded is never left
//! out silently: in a file or directory the user named it is an error with
//! file, line and field path; in a support bundle its kind is partial.

use std::fs;
use std::path::Path;

use kreach_collect::{LoadError, Problem, load_snapshot};
use kreach_core::Kind;
use kreach_core::snapshot::{NotRead, Warning};

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, text).unwrap();
    p
}

const ODD_SCALARS: &str = r#"apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: no
    uid: 1d0c6b9e-3f0a-4c7e-9b2d-5a8e7f6c4b3a
  status:
    phase: Active
- apiVersion: v1
  kind: Node
  metadata:
    name: 0123
    labels:
      kubernetes.io/hostname: 0123
      rack: on
      generation: 1e3
      spot: true
    uid: 7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908
  status:
    addresses:
    - address: 10.0.0.7
      type: InternalIP
    conditions:
    - status: "True"
      type: Ready
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-0
    namespace: no
    labels:
      app: y
    uid: 2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901
  spec:
    hostNetwork: yes
    nodeName: 0123
    containers:
    - name: web
      image: nginx:1.27
      ports:
      - containerPort: 080
        name: http
  status:
    phase: Running
    podIP: 10.0.0.7
- apiVersion: v1
  kind: Service
  metadata:
    name: off
    namespace: no
    uid: 3c4d5e6f-7081-4293-a4b5-c6d7e8f90123
  spec:
    selector:
      app: y
    ports:
    - port: 80
      targetPort: http
"#;

#[test]
fn scalars_in_string_fields_are_read_as_strings() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "odd.yaml", ODD_SCALARS);
    let s = load_snapshot(&f).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(s.namespace("no").is_some(), "namespace `no` is the string");
    let node = s.node("0123").expect("name 0123 keeps its zero");
    let labels = node.metadata.labels.as_ref().unwrap();
    assert_eq!(labels["kubernetes.io/hostname"], "0123");
    assert_eq!(labels["rack"], "on");
    assert_eq!(labels["generation"], "1000");
    assert_eq!(labels["spot"], "true");
    let pod = s.pod("no", "web-0").expect("a pod in namespace no");
    assert_eq!(pod.metadata.labels.as_ref().unwrap()["app"], "y");
    let spec = pod.spec.as_ref().unwrap();
    assert_eq!(spec.host_network, Some(true), "YAML 1.1 yes in a boolean");
    assert_eq!(spec.node_name.as_deref(), Some("0123"));
    let port = &spec.containers[0].ports.as_ref().unwrap()[0];
    assert_eq!(port.container_port, 80);
    assert!(s.service("no", "off").is_some());
    assert!(s.missing.is_empty(), "{:?}", s.missing);
}

const STRING_PORT: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - name: http
    port: "80"
    targetPort: 8080
"#;

#[test]
fn an_object_that_does_not_decode_is_an_error_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "svc.yaml", STRING_PORT);
    let e = load_snapshot(&f).unwrap_err();
    match &e {
        LoadError::Undecodable { line, object, .. }
            if matches!(object.problem, Problem::Invalid(_)) =>
        {
            let Problem::Invalid(m) = &object.problem else {
                unreachable!()
            };
            let (object, field) = (&object.object, &object.field);
            assert_eq!(*line, Some(11));
            assert_eq!(object, "Service shop/web");
            assert_eq!(field, "spec.ports[0].port");
            assert!(m.contains("expected i32"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(
        msg.ends_with("svc.yaml:11: Service shop/web: spec.ports[0].port: invalid type: string \"80\", expected i32"),
        "{msg}"
    );

    // In a directory, behind a List and another document, and as JSON.
    let d = dir.path().join("d");
    write(&d, "a.yaml", ODD_SCALARS);
    let listed = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: x, namespace: shop}}\n---\napiVersion: v1\nkind: List\nitems:\n- {}",
        STRING_PORT.replace('\n', "\n  ")
    );
    write(&d, "b/list.yaml", &listed);
    let e = load_snapshot(&d).unwrap_err().to_string();
    assert!(
        e.contains("b/list.yaml:18: Service shop/web: spec.ports[0].port: "),
        "{e}"
    );
    let json = r#"{"apiVersion": "v1", "kind": "Service",
 "metadata": {"name": "web", "namespace": "shop"},
 "spec": {"ports": [{"port": 80},
                    {"port": "81", "protocol": 6}]}}"#;
    let j = write(dir.path(), "svc.json", json);
    let e = load_snapshot(&j).unwrap_err().to_string();
    assert!(
        e.contains("svc.json:4: Service shop/web: spec.ports[1].port: "),
        "{e}"
    );
}

#[test]
fn a_kind_in_the_wrong_case_is_an_error_not_silence() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "svc.yaml",
        "# web\napiVersion: v1\nkind: service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports:\n  - port: 80\n",
    );
    let e = load_snapshot(&f).unwrap_err();
    assert!(
        matches!(&e, LoadError::Undecodable { line: Some(3), object, .. }
            if object.field == "kind"
                && object.problem == Problem::KindCase { written: "service".into(), kind: "Service" }),
        "{e:?}"
    );
    assert!(e.to_string().contains("svc.yaml:3: "), "{e}");
}

/// Support bundles hold files that tools wrote oddly: the object's kind
/// becomes partial (its checks unknown) and a warning names the object.
#[test]
fn in_a_support_bundle_the_kind_becomes_partial() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bundle");
    let svc = STRING_PORT.replace(
        "name: web",
        "name: web\n  uid: 8e543452-e539-5a2c-b153-cac397cdb91e",
    );
    let list = format!(
        "apiVersion: v1\nkind: ServiceList\nitems:\n- {}",
        svc.replace('\n', "\n  ")
    );
    write(&root, "cluster-resources/services/shop.yaml", &list);
    write(
        &root,
        "cluster-resources/pods/shop.json",
        r#"{"kind": "PodList", "apiVersion": "v1", "items": []}"#,
    );
    write(
        &root,
        "cluster-resources/namespaces.json",
        r#"{"kind": "NamespaceList", "apiVersion": "v1", "items": [{"metadata": {"name": "shop"}}]}"#,
    );
    let s = load_snapshot(&root).unwrap();
    assert!(s.services.is_empty());
    match s.missing_reason(Kind::Service) {
        Some(NotRead::Undecodable {
            object,
            field,
            file,
            ..
        }) => {
            assert_eq!(object, "Service shop/web");
            assert_eq!(field, "spec.ports[0].port");
            assert!(file.ends_with("services/shop.yaml"), "{file}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w, Warning::ObjectSkipped { object, error, .. }
            if object == "Service shop/web" && error.starts_with("spec.ports[0].port: "))),
        "{:?}",
        s.warnings
    );
    assert!(s.has_kind(Kind::Pod) && s.has_kind(Kind::Namespace));
}

/// A file that holds no recognisable object says what it did find.
#[test]
fn no_objects_says_what_the_file_holds() {
    let dir = tempfile::tempdir().unwrap();
    // A Go struct printed as YAML without json tags.
    let go = write(
        dir.path(),
        "go.yaml",
        "TypeMeta:\n  Kind: Service\n  APIVersion: v1\nObjectMeta:\n  Name: web\n  Namespace: shop\nSpec:\n  Ports:\n  - Port: 80\n",
    );
    let e = load_snapshot(&go).unwrap_err();
    assert!(
        matches!(&e, LoadError::NoObjects { found, .. } if found.go_fields),
        "{e:?}"
    );
    assert!(
        e.to_string().ends_with(
            "go.yaml: no Kubernetes objects found: it holds Go struct fields (ObjectMeta, Spec, TypeMeta), not the API's (kind, metadata, spec): print the objects with `kubectl get -o yaml`"
        ),
        "{e}"
    );
    // A Helm values file, and JSON of another tool.
    let values = write(
        dir.path(),
        "values.yaml",
        "replicaCount: 2\nimage:\n  repository: nginx\nservice:\n  type: ClusterIP\n  port: 80\n",
    );
    let e = load_snapshot(&values).unwrap_err().to_string();
    assert!(
        e.ends_with("values.yaml: no Kubernetes objects found: 1 mapping(s) without a kind, with keys image, replicaCount, service (a Helm values file, or another tool's output?)"),
        "{e}"
    );
    let other = write(
        dir.path(),
        "scan.json",
        r#"[{"target": "web", "vulnerabilities": []}]"#,
    );
    let e = load_snapshot(&other).unwrap_err().to_string();
    assert!(e.contains("with keys target, vulnerabilities"), "{e}");
    let scalars = write(dir.path(), "list.yaml", "- a\n- b\n");
    let e = load_snapshot(&scalars).unwrap_err().to_string();
    assert!(e.ends_with(": 2 value(s) that are not objects"), "{e}");
}
