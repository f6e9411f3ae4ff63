import pytest

from union_dev.testing.events import worker_onboarded
from union_shared.events import (
    REGISTRY,
    AppraisalRecorded,
    UnknownEventError,
    build_event,
    correlation_scope,
)
from union_shared.events.envelope import Envelope

CATALOGUE = {
    "ApplicantHired",
    "WorkerOnboarded",
    "WorkerTransferred",
    "WorkerLeft",
    "AppraisalRecorded",
    "GradeReevaluated",
    "PayrollAdjusted",
    "PayrollRunClosed",
}


def test_catalogue_has_every_event_at_version_one():
    assert {(s.type, s.version) for s in REGISTRY.specs()} >= {(t, 1) for t in CATALOGUE}


def test_envelope_uses_cloudevents_names_and_round_trips():
    event = build_event(worker_onboarded(), subject="w-1", source="roster")
    raw = event.to_bytes()
    envelope, payload = REGISTRY.decode(raw)
    assert envelope == event
    assert payload == worker_onboarded()
    assert envelope.specversion == "1.0"
    assert envelope.source == "/roster"
    assert envelope.subject == "w-1"
    assert envelope.correlationid == envelope.id  # a chain starts with its first event
    assert envelope.causationid is None


def test_event_ids_are_unique_and_time_ordered():
    ids = [build_event(worker_onboarded(), subject="w", source="roster").id for _ in range(500)]
    assert len(set(ids)) == 500
    assert ids == sorted(ids)


def test_events_built_while_handling_another_inherit_its_correlation():
    with correlation_scope("corr-1", "cause-1"):
        event = build_event(worker_onboarded(), subject="w", source="grading")
    assert (event.correlationid, event.causationid) == ("corr-1", "cause-1")


def test_unknown_type_is_refused_with_its_name():
    raw = build_event(worker_onboarded(), subject="w", source="roster").model_copy(
        update={"type": "WorkerTeleported"}
    )
    with pytest.raises(UnknownEventError, match="unknown event type 'WorkerTeleported'"):
        REGISTRY.decode(raw.to_bytes())


def test_unknown_version_is_refused_naming_the_known_ones():
    raw = build_event(worker_onboarded(), subject="w", source="roster").model_copy(
        update={"schemaversion": 9}
    )
    expected = r"unknown schema version 9 of WorkerOnboarded \(known: 1\)"
    with pytest.raises(UnknownEventError, match=expected):
        REGISTRY.decode(raw.to_bytes())


@pytest.mark.parametrize("raw", [b"", b"not json", b'{"type": "WorkerLeft"}', b"\xff\xfe"])
def test_garbage_is_refused_as_an_invalid_envelope(raw: bytes):
    with pytest.raises(UnknownEventError, match="not a valid event envelope"):
        REGISTRY.decode(raw)


def test_payload_that_breaks_its_schema_is_refused():
    event = build_event(worker_onboarded(), subject="w", source="roster")
    broken = Envelope(**{**event.model_dump(), "data": {"worker_id": "w"}})
    with pytest.raises(UnknownEventError, match="WorkerOnboarded v1 data is invalid"):
        REGISTRY.decode(broken.to_bytes())


def test_additive_fields_keep_the_version():
    event = build_event(worker_onboarded(), subject="w", source="roster")
    richer = Envelope(**{**event.model_dump(), "data": {**event.data, "new_field": 1}})
    _, payload = REGISTRY.decode(richer.to_bytes())
    assert payload == worker_onboarded()


def test_appraisal_rating_must_be_one_of_the_four():
    with pytest.raises(ValueError, match="rating"):
        AppraisalRecorded(
            appraisal_id="a",
            worker_id="w",
            unit_id="u",
            year=2025,
            rating="outstanding",
            revision=1,
            recorded_by="hr",
            recorded_at="2026-01-05T09:00:00Z",
        )
