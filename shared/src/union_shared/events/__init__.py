"""The event envelope, the catalogue of every event the platform sends, and its registry."""

from union_shared.events.catalogue import (
    ApplicantHired,
    AppraisalRecorded,
    GradeReevaluated,
    PayrollAdjusted,
    PayrollRunClosed,
    UnitClosed,
    UnitCreated,
    UnitMoved,
    UnitRenamed,
    WorkerLeft,
    WorkerOnboarded,
    WorkerRehired,
    WorkerTransferred,
)
from union_shared.events.envelope import Envelope, correlation_scope, event_scope
from union_shared.events.registry import (
    REGISTRY,
    EventRegistry,
    EventSpec,
    UnknownEventError,
    build_event,
    event,
)

__all__ = [
    "REGISTRY",
    "ApplicantHired",
    "AppraisalRecorded",
    "Envelope",
    "EventRegistry",
    "EventSpec",
    "GradeReevaluated",
    "PayrollAdjusted",
    "PayrollRunClosed",
    "UnitClosed",
    "UnitCreated",
    "UnitMoved",
    "UnitRenamed",
    "UnknownEventError",
    "WorkerLeft",
    "WorkerOnboarded",
    "WorkerRehired",
    "WorkerTransferred",
    "build_event",
    "correlation_scope",
    "event",
    "event_scope",
]
