"""The two readings of steps after a post change, compared over HTTP for a unit's workers
(POST /simulations/step-readings), tried as a draft change (POST /simulations), and published
as a policy version: scoped and authorised like the other simulations, writing nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import onboarded_event
from union_shared.auth import Role
from union_shared.events import AppraisalRecorded, build_event

from .conftest import deliver, sent

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
PATHS = {"street": "/city/hexi/street/", "park": "/city/hexi/park/", "nankai": "/city/nankai/"}
COMPARE = "/simulations/step-readings"


def hired(worker_id: str, unit_id: str, hire: str, seniority: str | None = None):
    return onboarded_event(
        worker_id,
        unit_id=unit_id,
        unit_path=PATHS[unit_id],
        hire_date=date.fromisoformat(hire),
        seniority_start=date.fromisoformat(seniority or hire),
    )


def rated(worker_id: str, unit_id: str, year: int, rating: str):
    payload = AppraisalRecorded(
        appraisal_id=str(uuid.uuid4()),
        worker_id=worker_id,
        unit_id=unit_id,
        year=year,
        rating=rating,
        revision=1,
        recorded_by="hr",
        recorded_at=datetime(year + 1, 1, 10, tzinfo=UTC),
    )
    return build_event(payload, subject=worker_id, source="roster")


async def staff(client) -> None:
    """Street: the worked example (w-1), a worker with steps only (w-2), one hired later (w-4).
    Park: a worker on the Qingdao rank ladder (w-5). Nankai: 34 credited years (w-3)."""
    assigned = await client.put(
        "/units/park/policy", json={"policy_id": "qingdao-ranks"}, headers=SYSTEM
    )
    assert assigned.status_code == 200, assigned.text
    await deliver(
        client,
        hired("w-1", "street", "2022-03-01"),
        hired("w-2", "street", "2020-06-15"),
        hired("w-3", "nankai", "2020-05-01", seniority="1986-05-01"),
        hired("w-4", "street", "2025-06-01"),
        hired("w-5", "park", "2023-03-01"),
    )
    await deliver(client, *(rated("w-1", "street", y, "excellent") for y in (2022, 2023, 2024)))
    await deliver(client, *(rated("w-2", "street", y, "competent") for y in range(2020, 2025)))
    await deliver(client, *(rated("w-3", "nankai", y, "excellent") for y in (2021, 2022)))


def grade(post: str, level: int) -> dict:
    return {"post": post, "level": level}


async def test_the_two_readings_compared_for_a_subtree(client):
    await staff(client)
    before = len(await sent(client))
    reply = await client.post(
        COMPARE, json={"as_of": "2025-03-01", "unit_id": "hexi"}, headers=SYSTEM
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    # w-1, excellent 2022-2024: middle from 2024-01-01. Carried: 1 raised to 4, the 2025-03-01
    # step gives 5. From service: 1 + 1 step = 2, raised to middle's bottom: 4.
    # w-2: one step (2023-06-15): junior 2 either way. w-4 is hired after the date; w-5 is on
    # Qingdao's rank ladder, counted apart.
    assert (body["workers"], body["differing"], body["on_rank_ladders"]) == (2, 1, 1)
    assert body["by_worker"] == [
        {
            "worker_id": "w-1",
            "unit_id": "street",
            "policy_id": "tianjin-3p18l",
            "policy_version": 1,
            "in_force": "level_carried",
            "level_carried": grade("middle", 5),
            "level_from_service": grade("middle", 4),
            "differs": True,
            "levels_apart": -1,
        },
        {
            "worker_id": "w-2",
            "unit_id": "street",
            "policy_id": "tianjin-3p18l",
            "policy_version": 1,
            "in_force": "level_carried",
            "level_carried": grade("junior", 2),
            "level_from_service": grade("junior", 2),
            "differs": False,
            "levels_apart": 0,
        },
    ]
    assert body["level_carried"] == [
        {"post": "junior", "level": 2, "workers": 1},
        {"post": "middle", "level": 5, "workers": 1},
    ]
    assert body["level_from_service"] == [
        {"post": "junior", "level": 2, "workers": 1},
        {"post": "middle", "level": 4, "workers": 1},
    ]
    assert body["moves"] == {"middle 5 -> middle 4": 1}
    assert len(await sent(client)) == before  # writes nothing


async def test_a_capped_step_counts_in_the_next_post_from_service(client):
    await staff(client)
    reply = await client.post(
        COMPARE, json={"as_of": "2025-03-01", "unit_id": "city"}, headers=SYSTEM
    )
    body = reply.json()
    # w-3: 34 credited years, junior 12 (its top) at the hire date; the 2022-05-01 step is
    # capped. Middle from 2023-01-01: carried keeps 12 (the capped step was lost); from service
    # 1 + 12 steps = 13 fits middle's 4-15.
    (w3,) = [row for row in body["by_worker"] if row["worker_id"] == "w-3"]
    assert (w3["level_carried"], w3["level_from_service"], w3["levels_apart"]) == (
        grade("middle", 12),
        grade("middle", 13),
        1,
    )
    assert (body["workers"], body["differing"]) == (3, 2)
    assert body["moves"] == {"middle 5 -> middle 4": 1, "middle 12 -> middle 13": 1}


async def test_the_comparison_is_scoped_and_authorised_like_the_simulation(client):
    await staff(client)
    day = {"as_of": "2025-03-01"}
    nankai = bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
    outside = await client.post(COMPARE, json={**day, "unit_id": "hexi"}, headers=nankai)
    assert outside.status_code == 403
    own = (await client.post(COMPARE, json=day, headers=nankai)).json()
    assert [row["worker_id"] for row in own["by_worker"]] == ["w-3"]
    auditor = bearer(Role.AUDITOR, unit_id="hexi")
    assert (await client.post(COMPARE, json=day, headers=auditor)).json()["workers"] == 2
    for refused in (bearer(Role.UNIT_HR, unit_id="street"), bearer(Role.WORKER, worker_id="w-1")):
        assert (await client.post(COMPARE, json=day, headers=refused)).status_code == 403
    unknown = await client.post(COMPARE, json={**day, "unit_id": "atlantis"}, headers=SYSTEM)
    assert unknown.status_code == 404
    assert (await client.post(COMPARE, json=day)).status_code == 401


@pytest.mark.parametrize("body", [{}, {"as_of": "2025-02-30"}, {"as_of": 20250301}])
async def test_a_bad_date_is_refused_naming_the_field(client, body):
    reply = await client.post(COMPARE, json=body, headers=SYSTEM)
    assert reply.status_code == 422
    assert "body.as_of" in problem_fields(reply)


async def test_the_simulation_tries_the_other_reading_as_a_draft(client):
    await staff(client)
    tried = await client.post(
        "/simulations",
        json={
            "as_of": "2025-03-01",
            "unit_id": "street",
            "steps_after_post_change": "level_from_service",
        },
        headers=SYSTEM,
    )
    assert tried.status_code == 200, tried.text
    body = tried.json()
    assert (body["workers"], body["changed"], body["moves"]) == (2, 1, {"middle 5 -> middle 4": 1})
    # With changed thresholds too: middle after 3 excellent ratings leaves w-1 a junior, level
    # 2 (the step on 2025-03-01) under either reading.
    both = await client.post(
        "/simulations",
        json={
            "as_of": "2025-03-01",
            "unit_id": "street",
            "post_thresholds": {"middle": 4, "senior": 5},
            "steps_after_post_change": "level_from_service",
        },
        headers=SYSTEM,
    )
    assert both.json()["moves"] == {"middle 5 -> junior 2": 1}
    unknown = await client.post(
        "/simulations",
        json={"as_of": "2025-03-01", "steps_after_post_change": "sideways"},
        headers=SYSTEM,
    )
    assert unknown.status_code == 422
    assert "body.steps_after_post_change" in problem_fields(unknown)
    # Park grades by Qingdao's ranks, which have no such choice.
    ranks = await client.post(
        "/simulations",
        json={"as_of": "2025-03-01", "unit_id": "park", "steps_after_post_change": "level_carried"},
        headers=SYSTEM,
    )
    assert ranks.status_code == 422
    assert problem_fields(ranks) == {
        "body.steps_after_post_change": "qingdao-ranks has no steps after post change"
    }


async def test_a_version_published_with_the_other_reading_grades_by_it(client):
    await staff(client)
    listed = (await client.get("/policies/tianjin-3p18l", headers=SYSTEM)).json()
    document = listed[0]["document"]
    assert document["steps_after_post_change"] == "level_carried"
    published = await client.post(
        "/policies/tianjin-3p18l/versions",
        json={
            **document,
            "version": 2,
            "effective_from": "2027-01-01",
            "steps_after_post_change": "level_from_service",
        },
        headers=SYSTEM,
    )
    assert published.status_code == 201, published.text
    reply = await client.post(
        COMPARE, json={"as_of": "2027-03-01", "unit_id": "street"}, headers=SYSTEM
    )
    rows = {row["worker_id"]: row for row in reply.json()["by_worker"]}
    # Version 2 governs 2027-03-01. w-1 has no rating after 2024, so no new post; the next step
    # is 2028-03-01: still middle 5 carried, middle 4 from service. w-2: steps 2023-06-15 and
    # 2026-06-15, junior 3; w-4 (hired 2025-06-01): no step yet, junior 1.
    assert {w: (r["policy_version"], r["in_force"]) for w, r in rows.items()} == {
        w: (2, "level_from_service") for w in ("w-1", "w-2", "w-4")
    }
    assert [(w, r["level_carried"], r["level_from_service"]) for w, r in rows.items()] == [
        ("w-1", grade("middle", 5), grade("middle", 4)),
        ("w-2", grade("junior", 3), grade("junior", 3)),
        ("w-4", grade("junior", 1), grade("junior", 1)),
    ]
    # The worker's own grade follows the version in force: from service, middle 4.
    own = await client.get("/workers/w-1/grade", params={"as_of": "2027-03-01"}, headers=SYSTEM)
    assert (own.json()["post"], own.json()["level"], own.json()["policy_version"]) == (
        "middle",
        4,
        2,
    )
