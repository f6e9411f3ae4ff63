"""Grading through events and HTTP: the initial grade, re-evaluation on every appraisal (a
correction too), duplicates absorbed, the seniority run, policies, distribution and what-if."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import onboarded_event
from union_shared.auth import Role
from union_shared.events import AppraisalRecorded, WorkerLeft, WorkerTransferred, build_event

from .conftest import deliver, sent

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
PATH = "/city/hexi/street/"


def hired(worker_id: str, hire: date, seniority: date | None = None, unit_id: str = "street"):
    return onboarded_event(
        worker_id,
        unit_id=unit_id,
        unit_path=PATH if unit_id == "street" else f"/city/{unit_id}/",
        hire_date=hire,
        seniority_start=seniority or hire,
    )


def appraisal(worker_id: str, year: int, rating: str, revision: int = 1):
    payload = AppraisalRecorded(
        appraisal_id=str(uuid.uuid4()),
        worker_id=worker_id,
        unit_id="street",
        year=year,
        rating=rating,
        revision=revision,
        recorded_by="hr",
        recorded_at=datetime(year + 1, 1, 10, tzinfo=UTC),
    )
    return build_event(payload, subject=worker_id, source="roster")


async def test_onboarding_gives_the_entry_grade_and_says_so(client):
    await deliver(client, hired("w-1", date(2025, 3, 1)))
    (event,) = await sent(client)
    data = event["data"]
    assert (data["cause"], data["new_post"], data["new_level"], data["old_post"]) == (
        "onboarding",
        "junior",
        1,
        None,
    )
    assert data["changed"] is True and data["effective_date"] == "2025-03-01"
    assert data["reasons"][0]["rule"] == "entry"
    assert event["subject"] == "w-1" and event["source"] == "/grading"


async def test_every_appraisal_answers_even_when_nothing_changes(client):
    await deliver(client, hired("w-1", date(2022, 3, 1)))
    await deliver(client, appraisal("w-1", 2022, "competent"))
    await deliver(client, appraisal("w-1", 2023, "excellent"))
    await deliver(client, appraisal("w-1", 2024, "excellent"))  # the second excellent: middle post
    events = [e["data"] for e in await sent(client)][1:]
    assert [(e["appraisal"]["year"], e["changed"]) for e in events] == [
        (2022, False),
        (2023, False),
        (2024, True),
    ]
    promoted = events[-1]
    assert (promoted["old_post"], promoted["new_post"]) == ("junior", "middle")
    assert promoted["effective_date"] == "2025-01-01"
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    # Junior level 1, then promoted on 1 January 2025 with level 1 raised to middle's bottom (4),
    # then the 3-year seniority step on the anniversary.
    assert [(i["post"], i["level"], i["start"]) for i in history] == [
        ("junior", 1, "2022-03-01"),
        ("middle", 4, "2025-01-01"),
        ("middle", 5, "2025-03-01"),
    ]
    assert promoted["new_level"] == 5
    assert any(r["rule"] == "post.merit" for r in history[1]["reasons"])
    assert "2023" in " ".join(r["detail"] for r in history[1]["reasons"])  # which appraisals


async def test_a_corrected_appraisal_re_evaluates_and_changes_the_past(client):
    await deliver(client, hired("w-1", date(2022, 3, 1)))
    await deliver(client, appraisal("w-1", 2023, "excellent"), appraisal("w-1", 2024, "excellent"))
    await deliver(client, appraisal("w-1", 2024, "competent", revision=2))
    last = (await sent(client))[-1]["data"]
    assert (last["appraisal"]["revision"], last["changed"]) == (2, True)
    assert (last["old_post"], last["new_post"]) == ("middle", "junior")
    assert last["effective_date"] == "2025-01-01"
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    assert all(i["post"] == "junior" for i in history)
    everything = (
        await client.get(
            "/workers/w-1/grade-history", params={"include_superseded": True}, headers=SYSTEM
        )
    ).json()
    assert any(
        i["post"] == "middle" and i["superseded_at"] for i in everything
    )  # kept, not deleted


async def test_a_late_older_revision_changes_nothing(client):
    # Two excellent years make the middle post; revision 1 of 2024 (competent) arriving after
    # revision 2 (excellent) must not undo it.
    await deliver(client, hired("w-1", date(2022, 3, 1)))
    await deliver(client, appraisal("w-1", 2023, "excellent"))
    await deliver(client, appraisal("w-1", 2024, "excellent", revision=2))
    await deliver(client, appraisal("w-1", 2024, "competent", revision=1))
    grade = (
        await client.get("/workers/w-1/grade", params={"as_of": "2026-06-01"}, headers=SYSTEM)
    ).json()
    assert grade["post"] == "middle"
    last = (await sent(client))[-1]["data"]
    assert (last["appraisal"]["revision"], last["changed"]) == (1, False)


async def test_a_duplicate_event_changes_nothing(client):
    event = appraisal("w-1", 2023, "excellent")
    await deliver(client, hired("w-1", date(2022, 3, 1)), event, event)
    assert len(await sent(client)) == 2  # onboarding + one appraisal answer


async def test_history_intervals_never_overlap(client):
    await deliver(client, hired("w-1", date(2012, 6, 1), seniority=date(2010, 6, 1)))
    for year, rating in [
        (2013, "excellent"),
        (2014, "basically_competent"),
        (2015, "basically_competent"),
        (2016, "excellent"),
    ]:
        await deliver(client, appraisal("w-1", year, rating))
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    for before, after in itertools.pairwise(history):
        assert before["end"] is not None and before["end"] < after["start"]
        assert (
            date.fromisoformat(before["end"]).toordinal() + 1
            == date.fromisoformat(after["start"]).toordinal()
        )
    assert history[0]["start"] == "2012-06-01" and history[-1]["end"] is None


async def test_seniority_run_steps_due_workers_once(client):
    await deliver(client, hired("w-1", date(2023, 11, 21)), hired("w-2", date(2024, 5, 2)))
    before = len(await sent(client))
    client.clock.day = date(2029, 11, 21)
    run = await client.post("/seniority-runs", json={"as_of": "2029-11-21"}, headers=SYSTEM)
    assert run.status_code == 201, run.text
    assert run.json()["changed"] == 2
    steps = (await sent(client))[before:]
    assert {e["data"]["worker_id"] for e in steps} == {"w-1", "w-2"}
    assert all(e["data"]["cause"] == "seniority" for e in steps)
    again = await client.post("/seniority-runs", json={"as_of": "2029-11-21"}, headers=SYSTEM)
    assert (again.json()["evaluated"], again.json()["changed"]) == (0, 0)
    assert len(await sent(client)) == before + 2


async def test_days_before_the_policy_are_graded_as_the_history_shows_them(client):
    # Tianjin's ladder starts on 2025-01-01; the worker was hired in 2020.
    await deliver(client, hired("w-1", date(2020, 3, 1)))
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    assert history[0]["start"] == "2020-03-01"
    early = await client.get("/workers/w-1/grade", params={"as_of": "2022-06-01"}, headers=SYSTEM)
    assert early.status_code == 200, early.text
    (shown,) = [
        i for i in history if i["start"] <= "2022-06-01" and (i["end"] or "9999") >= "2022-06-01"
    ]
    assert (early.json()["post"], early.json()["level"]) == (shown["post"], shown["level"])
    simulated = await client.post(
        "/simulations",
        json={"as_of": "2022-06-01", "post_thresholds": {"middle": 1, "senior": 4}},
        headers=SYSTEM,
    )
    assert simulated.status_code == 200, simulated.text


async def test_a_departure_dated_before_the_policy_is_applied_not_dead_lettered(client):
    await deliver(client, hired("w-1", date(2020, 3, 1)))
    left = WorkerLeft(worker_id="w-1", unit_id="street", left_on=date(2023, 6, 30), reason="quit")
    await deliver(client, build_event(left, subject="w-1", source="roster"))
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    assert history[-1]["end"] == "2023-06-30"
    dist = (await client.get("/distribution", headers=SYSTEM)).json()
    assert dist["total"] == 0


async def test_unknown_worker_and_scope(client):
    assert (await client.get("/workers/nobody/grade", headers=SYSTEM)).status_code == 404
    await deliver(client, hired("w-1", date(2025, 3, 1)))
    outsider = bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
    assert (await client.get("/workers/w-1/grade", headers=outsider)).status_code == 403
    mine = bearer(Role.DISTRICT_ADMIN, unit_id="hexi")
    assert (await client.get("/workers/w-1/grade", headers=mine)).status_code == 200
    me = bearer(Role.WORKER, worker_id="w-1")
    assert (await client.get("/workers/w-1/grade", headers=me)).status_code == 200


async def test_transfer_and_leaving(client):
    await deliver(client, hired("w-1", date(2020, 3, 1)))
    moved = WorkerTransferred(
        worker_id="w-1",
        from_unit_id="street",
        to_unit_id="nankai",
        to_unit_path="/city/nankai/",
        effective_date=date(2026, 1, 1),
        reason="x",
    )
    left = WorkerLeft(
        worker_id="w-1", unit_id="nankai", left_on=date(2026, 6, 30), reason="resigned"
    )
    await deliver(
        client,
        build_event(moved, subject="w-1", source="roster"),
        build_event(left, subject="w-1", source="roster"),
    )
    history = (await client.get("/workers/w-1/grade-history", headers=SYSTEM)).json()
    assert history[-1]["end"] == "2026-06-30"
    dist = (await client.get("/distribution", headers=SYSTEM)).json()
    assert dist["total"] == 0  # left workers are not counted


async def test_distribution_of_a_subtree(client):
    await deliver(
        client,
        hired("w-1", date(2025, 3, 1)),
        hired("w-2", date(2025, 3, 1)),
        hired("w-3", date(2025, 3, 1), unit_id="nankai"),
    )
    hexi = (await client.get("/distribution", params={"unit_id": "hexi"}, headers=SYSTEM)).json()
    assert hexi["total"] == 2 and hexi["rows"] == [{"post": "junior", "level": 1, "workers": 2}]
    city = (await client.get("/distribution", params={"unit_id": "city"}, headers=SYSTEM)).json()
    assert city["total"] == 3
    nosy = bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
    outside = await client.get("/distribution", params={"unit_id": "hexi"}, headers=nosy)
    assert outside.status_code == 403
    own = await client.get("/distribution", headers=nosy)
    assert own.json()["total"] == 1
    unknown = await client.get("/distribution", params={"unit_id": "atlantis"}, headers=SYSTEM)
    assert unknown.status_code == 404


async def test_simulation_writes_nothing(client):
    await deliver(client, hired("w-1", date(2022, 3, 1)))
    await deliver(client, appraisal("w-1", 2023, "excellent"))
    before = len(await sent(client))
    reply = await client.post(
        "/simulations",
        json={"as_of": "2026-06-01", "post_thresholds": {"middle": 1, "senior": 4}},
        headers=SYSTEM,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["changed"] == 1 and body["differences"][0]["after"]["post"] == "middle"
    # Middle from 1 January 2024 (level raised to 4), then the step on 1 March 2025.
    assert body["moves"] == {"junior 2 -> middle 5": 1}
    assert len(await sent(client)) == before
    bad = await client.post(
        "/simulations",
        json={"as_of": "2026-06-01", "post_thresholds": {"middle": 3, "senior": 2}},
        headers=SYSTEM,
    )
    assert bad.status_code == 422


async def test_policies_are_versioned_and_validated(client):
    listed = (await client.get("/policies", headers=SYSTEM)).json()
    assert {p["policy_id"] for p in listed} == {"tianjin-3p18l", "qingdao-ranks"}
    document = next(p["document"] for p in listed if p["policy_id"] == "tianjin-3p18l")
    past = await client.post(
        "/policies/tianjin-3p18l/versions", json={**document, "version": 2}, headers=SYSTEM
    )
    assert past.status_code == 422
    assert "body.effective_from" in problem_fields(past)
    broken = await client.post(
        "/policies/tianjin-3p18l/versions",
        json={
            **document,
            "version": 2,
            "effective_from": "2099-01-01",
            "posts": [{"code": "junior", "name": "x", "min_level": 5, "max_level": 2}],
        },
        headers=SYSTEM,
    )
    assert broken.status_code == 422
    future = await client.post(
        "/policies/tianjin-3p18l/versions",
        json={**document, "version": 2, "effective_from": "2099-01-01"},
        headers=SYSTEM,
    )
    assert future.status_code == 201, future.text
    hr = bearer(Role.UNIT_HR, unit_id="street")
    assert (
        await client.post(
            "/policies/tianjin-3p18l/versions",
            json={**document, "version": 3, "effective_from": "2100-01-01"},
            headers=hr,
        )
    ).status_code == 403


async def test_a_seniority_run_dated_before_any_policy_is_refused(client):
    reply = await client.post("/seniority-runs", json={"as_of": "2019-12-31"}, headers=SYSTEM)
    assert reply.status_code == 422
    assert "no ladder policy was in force on 2019-12-31" in problem_fields(reply)["body.as_of"]
    for role, unit in ((Role.UNIT_HR, "street"), (Role.DISTRICT_ADMIN, "hexi")):
        officer = bearer(role, unit_id=unit)
        refused = await client.post(
            "/seniority-runs", json={"as_of": "2026-11-21"}, headers=officer
        )
        assert refused.status_code == 403
    operator = bearer(Role.OPERATOR)
    ahead = await client.post("/seniority-runs", json={"as_of": "2035-01-01"}, headers=operator)
    assert ahead.status_code == 422
    assert problem_fields(ahead) == {
        "body.as_of": "is after today (2026-11-21): a run cannot look ahead"
    }
    assert await sent(client) == []
    today = await client.post("/seniority-runs", json={"as_of": "2026-11-21"}, headers=operator)
    assert today.status_code == 201, today.text


async def test_the_cronjob_command_runs_the_same_seniority_run(client, grading_url, monkeypatch):
    from grading.seniority.__main__ import main as cronjob

    await deliver(client, hired("w-1", date(2023, 11, 21)))
    monkeypatch.setenv("GRADING_DATABASE_URL", grading_url)
    later = date(2029, 11, 21)
    first = await cronjob(later, today=later)
    assert (first["evaluated"], first["changed"]) == (1, 1)
    second = await cronjob(later, today=later)
    assert (second["evaluated"], second["changed"]) == (0, 0)
    steps = [e for e in await sent(client) if e["data"]["cause"] == "seniority"]
    assert [(e["data"]["new_post"], e["data"]["new_level"]) for e in steps] == [("junior", 3)]


async def test_handlers_grade_as_of_the_injected_day_not_the_wall_clock(client):
    from grading.bootstrap import handlers
    from grading.config import Settings
    from union_dev.testing.clock import PinnedClock
    from union_dev.testing.service import deliver as deliver_to

    later = handlers(PinnedClock(date(2030, 1, 1)), Settings(default_policy="tianjin-3p18l"))
    await deliver_to(client, "grading", later, hired("w-1", date(2023, 11, 21)))
    (event,) = await sent(client)
    # Steps on 2026-11-21 and 2029-11-21: level 3 as of 2030-01-01, whatever the real date is.
    assert event["data"]["new_level"] == 3
    assert event["data"]["timeline"][-1] == {
        "post": "junior",
        "level": 3,
        "start": "2029-11-21",
        "end": None,
    }


async def test_a_worker_is_graded_on_beijings_date_at_one_in_the_morning(client):
    from datetime import UTC, datetime

    from grading.bootstrap import handlers
    from grading.config import Settings
    from union_dev.testing.service import deliver as deliver_to
    from union_shared.clock import Clock

    # 01:00 on 2026-11-21 in Beijing is 17:00 on 2026-11-20 in UTC; the step falls on the 21st.
    at_one_am = Clock(instant=lambda: datetime(2026, 11, 20, 17, 0, tzinfo=UTC))
    wired = handlers(at_one_am, Settings(default_policy="tianjin-3p18l"))
    await deliver_to(client, "grading", wired, hired("w-1", date(2023, 11, 21)))
    (event,) = await sent(client)
    assert event["data"]["new_level"] == 2
    assert event["data"]["timeline"][-1]["start"] == "2026-11-21"
