"""Training records, training alerts and mentoring pairs through HTTP: the happy paths, every
refusal naming its field, nothing written by a refused request, scope and idempotent retries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from roster.models import Mentorship, Training, Worker
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import onboard, worker_row

pytestmark = pytest.mark.db


def pre_job(**overrides) -> dict:
    body = {
        "kind": "pre_job",
        "title": "新入职工会社会工作者岗前培训",
        "start_date": "2024-03-04",
        "end_date": "2024-03-06",
        "hours": "16.5",
        "provider": "天津市总工会干部学校",
    }
    return {**body, **overrides}


async def count(client, model) -> int:
    async with client.app.state.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def set_status(client, worker_id: str, status: str, left_on: date | None = None) -> None:
    async with client.app.state.sessions() as session, session.begin():
        worker = await session.get(Worker, worker_id)
        worker.status, worker.left_on = status, left_on


async def audit_actions(client, worker_id: str) -> list[str]:
    detail = await client.get(f"/workers/{worker_id}", headers=bearer(Role.SYSTEM))
    return [entry["action"] for entry in detail.json()["audit"]]


@pytest.fixture
async def hr(tree) -> dict[str, str]:
    return bearer(Role.UNIT_HR, unit_id=tree["street"])


@pytest.fixture
async def workers(client, tree) -> list[str]:
    return await onboard(client, [worker_row(tree["building"]) for _ in range(3)])


async def test_record_and_list_trainings_with_exact_hours(client, hr, workers):
    worker = workers[0]
    first = await client.post(f"/workers/{worker}/trainings", json=pre_job(), headers=hr)
    assert first.status_code == 201, first.text
    assert first.json()["hours"] == "16.5"
    assert first.json()["worker_id"] == worker
    topical = pre_job(kind="topical", title="劳动法专题", start_date="2024-05-10", hours=8)
    topical["end_date"] = "2024-05-10"
    del topical["provider"]
    second = await client.post(f"/workers/{worker}/trainings", json=topical, headers=hr)
    assert second.status_code == 201, second.text
    assert second.json()["hours"] == "8.0"  # a JSON number, kept exact and shown to one place

    listed = (await client.get(f"/workers/{worker}/trainings", headers=hr)).json()
    assert [(t["kind"], t["hours"], t["provider"]) for t in listed] == [
        ("pre_job", "16.5", "天津市总工会干部学校"),
        ("topical", "8.0", None),
    ]
    assert (await audit_actions(client, worker)).count("training.recorded") == 2


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"end_date": "2024-03-03"}, "body.end_date", "before it starts"),
        ({"start_date": "2023-12-01"}, "body.start_date", "at most 90 days before the hire date"),
        ({"hours": "16.55"}, "body.hours", "at most 1 decimal place"),
        ({"hours": "0"}, "body.hours", "greater than 0"),
        ({"hours": "NaN"}, "body.hours", "finite number"),
        ({"kind": "hobby"}, "body.kind", "Input should be"),
        ({"title": "   "}, "body.title", "at least 1 character"),
    ],
)
async def test_bad_trainings_are_refused_naming_the_field(
    client, hr, workers, overrides, field, reason
):
    reply = await client.post(
        f"/workers/{workers[0]}/trainings", json=pre_job(**overrides), headers=hr
    )
    assert reply.status_code == 422, reply.text
    assert reason in problem_fields(reply)[field]
    assert await count(client, Training) == 0
    assert "training.recorded" not in await audit_actions(client, workers[0])


async def test_pre_job_training_may_start_up_to_90_days_before_hire(client, hr, workers):
    reply = await client.post(
        f"/workers/{workers[0]}/trainings", json=pre_job(start_date="2023-12-02"), headers=hr
    )
    assert reply.status_code == 201, reply.text


async def test_no_training_after_the_worker_left(client, hr, workers):
    await set_status(client, workers[0], "left", date(2025, 6, 30))
    late = pre_job(kind="rotation", start_date="2025-07-01", end_date="2025-07-02")
    reply = await client.post(f"/workers/{workers[0]}/trainings", json=late, headers=hr)
    assert reply.status_code == 409
    assert "left on 2025-06-30" in reply.json()["detail"]
    assert await count(client, Training) == 0
    before = pre_job(kind="rotation", start_date="2025-06-30", end_date="2025-07-02")
    assert (
        await client.post(f"/workers/{workers[0]}/trainings", json=before, headers=hr)
    ).status_code == 201


async def test_training_alerts_as_of_a_date(client, hr, workers):
    worker = workers[0]  # hired 2024-03-01: pre-job training due by 2024-03-31

    async def alerts(as_of: str) -> list[dict]:
        reply = await client.get(
            f"/workers/{worker}/training-alerts", params={"as_of": as_of}, headers=hr
        )
        assert reply.status_code == 200, reply.text
        return reply.json()

    assert await alerts("2024-03-31") == []
    assert [(a["kind"], a["due_on"]) for a in await alerts("2024-04-01")] == [
        ("pre_job_training_missing", "2024-03-31")
    ]
    await client.post(f"/workers/{worker}/trainings", json=pre_job(), headers=hr)
    assert await alerts("2024-04-01") == []
    overdue = await alerts("2027-03-02")
    assert [(a["kind"], a["due_on"]) for a in overdue] == [
        ("rotation_training_overdue", "2027-03-01")
    ]
    assert "none since hire" in overdue[0]["detail"]

    await set_status(client, worker, "left", date(2026, 12, 31))
    assert await alerts("2027-03-02") == []  # nothing is owed by someone who has gone

    too_early = await client.get(
        f"/workers/{worker}/training-alerts", params={"as_of": "1999-01-01"}, headers=hr
    )
    assert too_early.status_code == 422
    assert "no roster rules" in problem_fields(too_early)["query.as_of"]


async def test_training_scope_and_worker_self_service(client, tree, hr, workers):
    worker, other = workers[0], workers[1]
    await client.post(f"/workers/{worker}/trainings", json=pre_job(), headers=hr)

    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    assert (
        await client.post(f"/workers/{worker}/trainings", json=pre_job(), headers=nankai_hr)
    ).status_code == 403
    assert (await client.get(f"/workers/{worker}/trainings", headers=nankai_hr)).status_code == 403
    assert await count(client, Training) == 1

    own = bearer(Role.WORKER, worker_id=worker)
    mine = await client.get(f"/workers/{worker}/trainings", headers=own)
    assert mine.status_code == 200
    assert [t["title"] for t in mine.json()] == ["新入职工会社会工作者岗前培训"]
    assert (await client.get(f"/workers/{worker}/training-alerts", headers=own)).status_code == 200
    assert (await client.get(f"/workers/{other}/trainings", headers=own)).status_code == 403
    assert (
        await client.post(f"/workers/{worker}/trainings", json=pre_job(), headers=own)
    ).status_code == 403
    assert (await client.get("/workers/nobody/trainings", headers=hr)).status_code == 404


async def test_retrying_a_training_post_records_it_once(client, hr, workers):
    headers = {**hr, "Idempotency-Key": "training-pre-job-1"}
    first = await client.post(f"/workers/{workers[0]}/trainings", json=pre_job(), headers=headers)
    again = await client.post(f"/workers/{workers[0]}/trainings", json=pre_job(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count(client, Training) == 1


# --- mentoring pairs -------------------------------------------------------------------------


def pair(mentor: str, mentee: str, **overrides) -> dict:
    return {"mentor_id": mentor, "mentee_id": mentee, "start_date": "2024-04-01", **overrides}


async def test_pair_list_with_roles_and_end(client, hr, workers):
    mentor, mentee, second = workers
    created = await client.post("/mentorships", json=pair(mentor, mentee), headers=hr)
    assert created.status_code == 201, created.text
    pair_id = created.json()["id"]
    assert created.json()["end_date"] is None
    assert (
        await client.post("/mentorships", json=pair(mentor, second), headers=hr)
    ).status_code == 201

    of_mentor = (await client.get(f"/workers/{mentor}/mentorships", headers=hr)).json()
    assert [(p["mentee_id"], p["role"]) for p in of_mentor] == [
        (mentee, "mentor"),
        (second, "mentor"),
    ]
    of_mentee = (await client.get(f"/workers/{mentee}/mentorships", headers=hr)).json()
    assert [(p["id"], p["role"]) for p in of_mentee] == [(pair_id, "mentee")]

    ended = await client.post(
        f"/mentorships/{pair_id}/end", json={"end_date": "2024-12-31"}, headers=hr
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["end_date"] == "2024-12-31"
    again = await client.post(
        f"/mentorships/{pair_id}/end", json={"end_date": "2025-01-31"}, headers=hr
    )
    assert again.status_code == 409
    assert "already ended on 2024-12-31" in again.json()["detail"]
    resumed = pair(mentor, mentee, start_date="2025-03-01")  # the same pair, later on
    assert (await client.post("/mentorships", json=resumed, headers=hr)).status_code == 201

    actions = await audit_actions(client, mentee)
    assert actions.count("mentorship.started") == 2
    assert actions.count("mentorship.ended") == 1
    assert (await audit_actions(client, mentor)).count("mentorship.ended") == 1


async def test_ending_a_pair_before_it_began_is_refused(client, hr, workers):
    created = await client.post("/mentorships", json=pair(workers[0], workers[1]), headers=hr)
    pair_id = created.json()["id"]
    reply = await client.post(
        f"/mentorships/{pair_id}/end", json={"end_date": "2024-03-31"}, headers=hr
    )
    assert reply.status_code == 422
    assert "before the pair started" in problem_fields(reply)["body.end_date"]
    listed = (await client.get(f"/workers/{workers[0]}/mentorships", headers=hr)).json()
    assert listed[0]["end_date"] is None
    assert "mentorship.ended" not in await audit_actions(client, workers[0])
    missing = await client.post(
        "/mentorships/nope/end", json={"end_date": "2024-12-31"}, headers=hr
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("make", "status", "field", "reason"),
    [
        (lambda w: pair(w[0], w[0]), 422, "body.mentee_id", "cannot mentor themselves"),
        (
            lambda w: pair(w[0], w[1], end_date="2024-03-31"),
            422,
            "body.end_date",
            "before it starts",
        ),
        (lambda w: pair("ghost", w[1]), 422, "body.mentor_id", "no worker ghost"),
        (lambda w: pair(w[0], "ghost"), 422, "body.mentee_id", "no worker ghost"),
    ],
)
async def test_bad_pairs_are_refused_naming_the_field(
    client, hr, workers, make, status, field, reason
):
    reply = await client.post("/mentorships", json=make(workers), headers=hr)
    assert reply.status_code == status, reply.text
    assert reason in problem_fields(reply)[field]
    assert await count(client, Mentorship) == 0


@pytest.mark.parametrize(("who", "status"), [(0, "suspended"), (1, "suspended"), (1, "left")])
async def test_both_sides_of_a_pair_must_be_active(client, hr, workers, who, status):
    await set_status(client, workers[who], status, date(2024, 3, 20) if status == "left" else None)
    reply = await client.post("/mentorships", json=pair(workers[0], workers[1]), headers=hr)
    assert reply.status_code == 409
    assert f"is {status}, not active" in reply.json()["detail"]
    assert await count(client, Mentorship) == 0


async def test_a_duplicate_open_pair_is_refused(client, hr, workers):
    assert (
        await client.post("/mentorships", json=pair(workers[0], workers[1]), headers=hr)
    ).status_code == 201
    later = pair(workers[0], workers[1], start_date="2024-09-01")
    reply = await client.post("/mentorships", json=later, headers=hr)
    assert reply.status_code == 409
    assert "already mentors this mentee" in reply.json()["detail"]
    assert await count(client, Mentorship) == 1
    assert (await audit_actions(client, workers[0])).count("mentorship.started") == 1


async def test_pairs_stay_in_scope(client, tree, hr, workers):
    [outsider] = await onboard(client, [worker_row(tree["nankai"])])
    reply = await client.post("/mentorships", json=pair(workers[0], outsider), headers=hr)
    assert reply.status_code == 403
    assert await count(client, Mentorship) == 0

    created = await client.post("/mentorships", json=pair(workers[0], workers[1]), headers=hr)
    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    end = await client.post(
        f"/mentorships/{created.json()['id']}/end",
        json={"end_date": "2024-12-31"},
        headers=nankai_hr,
    )
    assert end.status_code == 403
    assert (
        await client.get(f"/workers/{workers[0]}/mentorships", headers=nankai_hr)
    ).status_code == 403

    own = bearer(Role.WORKER, worker_id=workers[1])
    assert (await client.get(f"/workers/{workers[1]}/mentorships", headers=own)).status_code == 200
    assert (await client.get(f"/workers/{workers[0]}/mentorships", headers=own)).status_code == 403
    assert (
        await client.post("/mentorships", json=pair(workers[1], workers[2]), headers=own)
    ).status_code == 403


async def test_retrying_a_pair_post_records_it_once(client, hr, workers):
    headers = {**hr, "Idempotency-Key": "pair-1"}
    body = pair(workers[0], workers[1])
    first = await client.post("/mentorships", json=body, headers=headers)
    again = await client.post("/mentorships", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert await count(client, Mentorship) == 1
