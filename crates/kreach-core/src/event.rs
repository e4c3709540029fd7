//! Events from both APIs (`core/v1` and `events.k8s.io/v1`) in one shape.
//!
//! The scheduler reports through `events.k8s.io` (`eventTime` and `series`
//! set, `firstTimestamp`/`lastTimestamp` null), kubelet and most controllers
//! through `core/v1`; checks should not care which.

use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::events::v1::Event as NewEvent;
use k8s_openapi::jiff::Timestamp;

use crate::object::ObjectRef;

#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// The object the event is about.
    pub object: ObjectRef,
    pub reason: String,
    pub message: String,
    /// `Normal` or `Warning`.
    pub type_: String,
    pub count: i32,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    pub source: String,
}

impl EventRecord {
    pub fn last_seen(&self) -> Option<Timestamp> {
        self.last.or(self.first)
    }

    pub fn is_warning(&self) -> bool {
        self.type_ == "Warning"
    }

    pub fn from_core(e: &CoreEvent) -> Self {
        let io = &e.involved_object;
        let object = ObjectRef {
            kind: crate::object::RefKind::parse(io.kind.as_deref().unwrap_or_default()),
            namespace: io.namespace.clone().filter(|n| !n.is_empty()),
            name: io.name.clone().unwrap_or_default(),
        };
        let series_last = e
            .series
            .as_ref()
            .and_then(|s| s.last_observed_time.as_ref())
            .map(|t| t.0);
        let event_time = e.event_time.as_ref().map(|t| t.0);
        let first = e.first_timestamp.as_ref().map(|t| t.0).or(event_time).or(e
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0));
        let last = e
            .last_timestamp
            .as_ref()
            .map(|t| t.0)
            .or(series_last)
            .or(event_time)
            .or(first);
        let count = e
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(e.count)
            .unwrap_or(1);
        let source = e
            .reporting_component
            .clone()
            .filter(|s| !s.is_empty())
            .or_else(|| e.source.as_ref().and_then(|s| s.component.clone()))
            .unwrap_or_default();
        EventRecord {
            object,
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone().unwrap_or_default(),
            type_: e.type_.clone().unwrap_or_else(|| "Normal".into()),
            count,
            first,
            last,
            source,
        }
    }

    pub fn from_events_v1(e: &NewEvent) -> Self {
        let object = e
            .regarding
            .as_ref()
            .map(|io| ObjectRef {
                kind: crate::object::RefKind::parse(io.kind.as_deref().unwrap_or_default()),
                namespace: io.namespace.clone().filter(|n| !n.is_empty()),
                name: io.name.clone().unwrap_or_default(),
            })
            .unwrap_or_else(|| {
                ObjectRef::cluster(crate::object::RefKind::Other(String::new()), "")
            });
        let event_time = e.event_time.as_ref().map(|t| t.0);
        let series_last = e.series.as_ref().map(|s| s.last_observed_time.0);
        let first = e
            .deprecated_first_timestamp
            .as_ref()
            .map(|t| t.0)
            .or(event_time);
        let last = e
            .deprecated_last_timestamp
            .as_ref()
            .map(|t| t.0)
            .or(series_last)
            .or(first);
        EventRecord {
            object,
            reason: e.reason.clone().unwrap_or_default(),
            message: e.note.clone().unwrap_or_default(),
            type_: e.type_.clone().unwrap_or_else(|| "Normal".into()),
            count: e
                .series
                .as_ref()
                .map(|s| s.count)
                .or(e.deprecated_count)
                .unwrap_or(1),
            first,
            last,
            source: e.reporting_controller.clone().unwrap_or_default(),
        }
    }
}
