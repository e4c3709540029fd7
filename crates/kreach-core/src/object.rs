//! References to cluster objects as the report prints them:
//! `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.

use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn namespaced(kind: &str, ns: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_string(),
            namespace: Some(ns.to_string()),
            name: name.to_string(),
        }
    }

    pub fn cluster(kind: &str, name: &str) -> Self {
        ObjectRef {
            kind: kind.to_string(),
            namespace: None,
            name: name.to_string(),
        }
    }

    /// A reference to a namespaced object from its metadata.
    pub fn of(kind: &str, meta: &ObjectMeta) -> Self {
        match meta.namespace.as_deref() {
            Some(ns) if !ns.is_empty() => {
                Self::namespaced(kind, ns, meta.name.as_deref().unwrap_or(""))
            }
            _ => Self::cluster(kind, meta.name.as_deref().unwrap_or("")),
        }
    }

    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

impl Serialize for ObjectRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Names of the metadata fields most code needs, without unwrapping at each use.
pub trait MetaExt {
    fn meta(&self) -> &ObjectMeta;
    fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }
    fn ns(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }
    fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        static EMPTY: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
            std::sync::OnceLock::new();
        self.meta()
            .labels
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(Default::default))
    }
    fn annotation(&self, key: &str) -> Option<&str> {
        self.meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(key))
            .map(String::as_str)
    }
}

impl<T: k8s_openapi::Metadata<Ty = ObjectMeta>> MetaExt for T {
    fn meta(&self) -> &ObjectMeta {
        self.metadata()
    }
}

/// A reference to a typed object.
pub fn obj_ref<T: k8s_openapi::Resource + k8s_openapi::Metadata<Ty = ObjectMeta>>(
    o: &T,
) -> ObjectRef {
    ObjectRef::of(T::KIND, o.metadata())
}
