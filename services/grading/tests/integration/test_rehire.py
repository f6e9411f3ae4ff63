"""A worker who left and is hired again, through the roster's events and grading's HTTP API:
the first employment's history stays as it was, nothing is graded between the two, and the new
employment resumes the grade held on leaving (the shipped policy's on_rehire)."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role
from union_shared.events import WorkerLeft, WorkerRehired, build_event
from union_shared.vocabulary import Education

from .conftest import deliver, sent
from .test_grading import appraisal, hired

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)


def left(worker_id: str, on: date):
    payload = WorkerLeft(worker_id=worker_id, unit_id="street", left_on=on, reason="resigned")
    return build_event(payload, subject=worker_id, source="roster")


def rehired(worker_id: str, hire: date, seniority: date, previous_left_on: date, episode=2):
    payload = WorkerRehired(
        worker_id=worker_id,
        unit_id="park",
        unit_path="/city/hexi/park/",
        episode=episode,
        hire_date=hire,
        previous_left_on=previous_left_on,
        seniority_start=seniority,
        earlier_service_counted=seniority < hire,
        education=Education.BELOW_BACHELOR,
        origin="registration",
    )
    return build_event(payload, subject=worker_id, source="roster")


def spans(history: list[dict]) -> list[tuple]:
    return [(i["post"], i["level"], i["start"], i["end"]) for i in history]


async def history_of(client, worker_id: str) -> list[dict]:
    reply = await client.get(f"/workers/{worker_id}/grade-history", headers=SYSTEM)
    assert reply.status_code == 200, reply.text
    return reply.json()


async def test_a_re_hire_resumes_the_grade_and_grades_nothing_in_the_gap(client):
    # Hired 2015-03-01: middle from 2018-01-01 (excellent 2016 and 2017, level 1 -> 4), the
    # 3-year step on 2018-03-01 (5); left 2019-02-28.
    await deliver(
        client,
        hired("w-1", date(2015, 3, 1)),
        *(
            appraisal("w-1", year, rating)
            for year, rating in ((2016, "excellent"), (2017, "excellent"), (2018, "competent"))
        ),
        left("w-1", date(2019, 2, 28)),
    )
    before = await history_of(client, "w-1")
    assert spans(before) == [
        ("junior", 1, "2015-03-01", "2017-12-31"),
        ("middle", 4, "2018-01-01", "2018-02-28"),
        ("middle", 5, "2018-03-01", "2019-02-28"),
    ]
    events_before = len(await sent(client))

    # Hired again 2020-03-01 in another unit; earlier service counted moves seniority to
    # 2016-03-01 (the 366 days between). Excellent in 2020 and 2021 makes four: senior from
    # 2022-01-01 (5 -> 7); steps of 6 and 9 counted years on 2022-03-01 and 2025-03-01.
    await deliver(client, rehired("w-1", date(2020, 3, 1), date(2016, 3, 1), date(2019, 2, 28)))
    (answer,) = (await sent(client))[events_before:]
    data = answer["data"]
    assert (data["cause"], data["unit_id"], data["changed"]) == ("rehire", "park", True)
    # The grade today (steps of 6 and 9 years before those ratings are known), changed from
    # the re-hire date on, which the timeline starts with: the grade held on leaving.
    assert (data["new_post"], data["new_level"], data["effective_date"]) == (
        "middle",
        7,
        "2020-03-01",
    )
    assert data["timeline"][0] == {
        "post": "middle",
        "level": 5,
        "start": "2020-03-01",
        "end": "2022-02-28",
    }
    await deliver(client, appraisal("w-1", 2020, "excellent"), appraisal("w-1", 2021, "excellent"))

    after = await history_of(client, "w-1")
    assert after[:3] == before  # the same rows: the first employment's history is untouched
    assert spans(after[3:]) == [
        ("middle", 5, "2020-03-01", "2021-12-31"),
        ("senior", 7, "2022-01-01", "2022-02-28"),
        ("senior", 8, "2022-03-01", "2025-02-28"),
        ("senior", 9, "2025-03-01", None),
    ]

    grade = await client.get("/workers/w-1/grade", params={"as_of": "2018-06-01"}, headers=SYSTEM)
    assert (grade.json()["post"], grade.json()["level"]) == ("middle", 5)
    gap = await client.get("/workers/w-1/grade", params={"as_of": "2019-10-01"}, headers=SYSTEM)
    assert gap.status_code == 422
    assert "query.as_of" in problem_fields(gap)
    # Scoped by the new unit: the park's district sees the worker, another district does not.
    assert (
        await client.get("/workers/w-1/grade", headers=bearer(Role.DISTRICT_ADMIN, unit_id="hexi"))
    ).status_code == 200
    assert (
        await client.get(
            "/workers/w-1/grade", headers=bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
        )
    ).status_code == 403
    dist = (await client.get("/distribution", headers=SYSTEM)).json()
    assert dist["total"] == 1  # active again


async def test_a_redelivered_re_hire_changes_nothing(client):
    await deliver(client, hired("w-1", date(2015, 3, 1)), left("w-1", date(2019, 2, 28)))
    event = rehired("w-1", date(2020, 3, 1), date(2016, 3, 1), date(2019, 2, 28))
    await deliver(client, event)
    history, count = await history_of(client, "w-1"), len(await sent(client))
    # The same re-hire again under a new envelope id (past the inbox, as after a restore).
    await deliver(client, rehired("w-1", date(2020, 3, 1), date(2016, 3, 1), date(2019, 2, 28)))
    assert await history_of(client, "w-1") == history
    assert len(await sent(client)) == count


async def test_a_re_hired_worker_is_stepped_by_the_seniority_run(client):
    # Without earlier service counted, seniority starts again on the re-hire, 2024-01-01: the
    # first step is three years on, which the run of 2027-01-05 takes.
    await deliver(
        client,
        hired("w-1", date(2015, 3, 1)),
        left("w-1", date(2016, 6, 30)),
        rehired("w-1", date(2024, 1, 1), date(2024, 1, 1), date(2016, 6, 30)),
    )
    client.clock.day = date(2027, 1, 5)
    run = await client.post("/seniority-runs", json={"as_of": "2027-01-05"}, headers=SYSTEM)
    assert run.status_code == 201, run.text
    assert run.json()["changed"] == 1
    assert spans(await history_of(client, "w-1")) == [
        ("junior", 1, "2015-03-01", "2016-06-30"),
        ("junior", 1, "2024-01-01", "2026-12-31"),
        ("junior", 2, "2027-01-01", None),
    ]


async def test_the_step_reading_comparison_grades_a_re_hire_over_both_employments(client):
    # Left as middle 5 under level_carried (middle 4 with service 2 under level_from_service,
    # worked out in tests/unit/test_rehire_careers.py); resumed on 2020-03-01, nothing more by
    # 2020-06-01.
    await deliver(
        client,
        hired("w-1", date(2015, 3, 1)),
        appraisal("w-1", 2016, "excellent"),
        appraisal("w-1", 2017, "excellent"),
        left("w-1", date(2019, 2, 28)),
        rehired("w-1", date(2020, 3, 1), date(2016, 3, 1), date(2019, 2, 28)),
    )
    reply = await client.post(
        "/simulations/step-readings", json={"as_of": "2020-06-01"}, headers=SYSTEM
    )
    assert reply.status_code == 200, reply.text
    (row,) = reply.json()["by_worker"]
    assert row["level_carried"] == {"post": "middle", "level": 5}
    assert row["level_from_service"] == {"post": "middle", "level": 4}
