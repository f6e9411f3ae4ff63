"""GradeReevaluated built the fast way (the payload written straight in its JSON form, the
envelopes of a batch copied from one `build_event` made) equals the validated way."""

from datetime import UTC, date, datetime

import pytest

from grading.grades.events import reevaluated_events
from grading.grades.repository import StoredInterval, WorkerRow
from grading.grades.service import apply
from grading.ladder.policy import shipped_policies
from grading.policies.service import Catalogue
from union_shared.events import Envelope, GradeReevaluated, correlation_scope
from union_shared.events.catalogue import AppraisalRef, GradeChangeCause, Rating

BOOKS = shipped_policies()
CATALOGUE = Catalogue(BOOKS, {"qingdao-street": "qingdao-ranks"}, "tianjin-3p18l")
D = date.fromisoformat
NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def worker(worker_id="w-1", unit_id="street", hire="2018-03-01", status="active", left_on=None):
    return WorkerRow(
        worker_id=worker_id,
        unit_id=unit_id,
        hire_date=D(hire),
        seniority_start=D(hire),
        education="bachelor",
        status=status,
        left_on=D(left_on) if left_on else None,
    )


def stored(*spans, version=1):
    return [
        StoredInterval(f"h-{i}", "w-1", "tianjin-3p18l", version, post, level, D(start), end)
        for i, (post, level, start, end) in enumerate(spans)
    ]


BEFORE = stored(
    ("junior", 1, "2018-03-01", D("2021-02-28")),
    ("junior", 2, "2021-03-01", D("2024-02-29")),
    ("junior", 3, "2024-03-01", None),
)
OUTCOMES = [
    pytest.param(worker(), {}, BEFORE, "2027-03-01", None, id="a step"),
    pytest.param(worker(), {}, BEFORE, "2026-06-01", None, id="nothing changes"),
    pytest.param(worker(), {}, [], "2026-06-01", None, id="a first grade"),
    pytest.param(
        worker(),
        {2022: "excellent", 2023: "excellent", 2024: "basically_competent"},
        BEFORE,
        "2025-06-01",
        AppraisalRef(year=2024, rating=Rating.BASICALLY_COMPETENT, revision=2),
        id="an appraisal moves the post",
    ),
    pytest.param(
        worker(status="left", left_on="2026-06-30"), {}, BEFORE, "2027-01-01", None, id="left"
    ),
    pytest.param(
        worker(unit_id="qingdao-street", hire="2024-03-01"),
        {2024: "competent"},
        [],
        "2026-06-01",
        None,
        id="a rank policy",
    ),
]


@pytest.mark.parametrize(("facts", "ratings", "old", "as_of", "appraisal"), OUTCOMES)
def test_the_payload_is_the_models_own_json_form(facts, ratings, old, as_of, appraisal):
    outcome, _, _ = apply(
        facts,
        ratings,
        old,
        CATALOGUE,
        D(as_of),
        GradeChangeCause.APPRAISAL,
        appraisal=appraisal,
        now=NOW,
    )
    canonical = GradeReevaluated.model_validate(outcome.data).model_dump(mode="json")
    assert outcome.data == canonical
    assert list(outcome.data) == list(canonical)  # the same bytes once serialised
    assert [list(span) for span in outcome.data["timeline"]] == [
        list(span) for span in canonical["timeline"]
    ]


def payloads(count: int) -> list[tuple[str, dict]]:
    found = []
    for i in range(count):
        outcome, _, _ = apply(
            worker(f"w-{i}"),
            {},
            [],
            CATALOGUE,
            D("2027-03-01"),
            GradeChangeCause.SENIORITY,
            now=NOW,
        )
        found.append((outcome.worker_id, outcome.data))
    return found


def test_every_envelope_of_a_batch_is_a_valid_catalogue_event():
    events = reevaluated_events(payloads(3))
    assert [e.subject for e in events] == ["w-0", "w-1", "w-2"]
    assert len({e.id for e in events}) == 3
    for event in events:
        assert (event.type, event.source, event.schemaversion) == (
            "GradeReevaluated",
            "/grading",
            1,
        )
        decoded = Envelope.from_bytes(event.to_bytes())
        assert decoded == event
        GradeReevaluated.model_validate(decoded.data)
    # Outside a correlation scope each event starts its own chain, as build_event does.
    assert all(e.correlationid == e.id and e.causationid is None for e in events)


def test_inside_a_scope_every_envelope_takes_its_correlation_and_cause():
    with correlation_scope("request-7", "event-3"):
        events = reevaluated_events(payloads(3))
    assert {(e.correlationid, e.causationid) for e in events} == {("request-7", "event-3")}


def test_no_payloads_no_events():
    assert reevaluated_events([]) == []
