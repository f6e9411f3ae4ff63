"""Re-hire: a person who left and is hired again keeps their worker record (the resident ID
stays unique per person) and gains an employment episode, over HTTP."""

from __future__ import annotations

import random
from datetime import date

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role

from .conftest import resident_id, worker_row

pytestmark = pytest.mark.db


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261207)


async def _left(client, hr, body: dict, left_on: str) -> str:
    worker = (await client.post("/workers", json=body, headers=hr)).json()
    contract = {
        "kind": "fixed_term",
        "start_date": body["hire_date"],
        "end_date": "2026-02-28",
        "probation_end": "2024-04-30",
        "signed_on": body["hire_date"],
    }
    reply = await client.post(f"/workers/{worker['id']}/contracts", json=contract, headers=hr)
    assert reply.status_code == 201, reply.text
    reply = await client.post(
        f"/workers/{worker['id']}/departure",
        json={"effective_date": left_on, "reason": "moved away"},
        headers=hr,
    )
    assert reply.status_code == 200, reply.text
    return worker["id"]


async def test_a_leaver_is_rehired_as_the_same_worker_with_a_new_episode(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"], sub="hr-li")
    number = resident_id(date(1990, 5, 17), rng=rng)
    first = worker_row(tree["street"], rng=rng, resident_id=number, hire_date="2024-03-01")
    worker_id = await _left(client, hr, first, left_on="2024-12-31")

    again = worker_row(tree["building"], rng=rng, resident_id=number, hire_date="2025-07-01")
    reply = await client.post("/workers", json=again, headers=hr)
    assert reply.status_code == 201, reply.text
    worker = reply.json()
    assert worker["id"] == worker_id
    assert (worker["status"], worker["left_on"], worker["unit_id"]) == (
        "active",
        None,
        tree["building"],
    )
    # Served 2024-03-01..2024-12-31, 306 days; the default rule counts them, so seniority
    # starts 306 days before 2025-07-01: 2024-08-29 (2025-07-01 minus 306 days).
    assert (worker["hire_date"], worker["seniority_start"]) == ("2025-07-01", "2024-08-29")

    detail = (await client.get(f"/workers/{worker_id}", headers=hr)).json()
    assert [
        (e["episode"], e["hire_date"], e["left_on"], e["earlier_service_counted"])
        for e in detail["employments"]
    ] == [(1, "2024-03-01", "2024-12-31", False), (2, "2025-07-01", None, True)]
    assert [h["kind"] for h in detail["history"]] == ["registered", "left", "rehired"]
    assert "worker.rehired" in [a["action"] for a in detail["audit"]]

    (event,) = await outbox_events(client, "WorkerRehired")
    assert event["subject"] == worker_id
    assert {
        k: event["data"][k]
        for k in ("episode", "hire_date", "previous_left_on", "seniority_start", "unit_id")
    } == {
        "episode": 2,
        "hire_date": "2025-07-01",
        "previous_left_on": "2024-12-31",
        "seniority_start": "2024-08-29",
        "unit_id": tree["building"],
    }
    assert len(await outbox_events(client, "WorkerOnboarded")) == 1

    # Probation once per person with the same employer (art. 19): the new contract may not
    # set another one, and without one it is accepted.
    contract = {
        "kind": "fixed_term",
        "start_date": "2025-07-01",
        "end_date": "2028-06-30",
        "probation_end": "2025-08-31",
        "signed_on": "2025-07-01",
    }
    reply = await client.post(f"/workers/{worker_id}/contracts", json=contract, headers=hr)
    assert reply.status_code == 422, reply.text
    assert list(problem_fields(reply)) == ["body.probation_end"]
    contract["probation_end"] = None
    reply = await client.post(f"/workers/{worker_id}/contracts", json=contract, headers=hr)
    assert reply.status_code == 201, reply.text


async def test_only_a_leaver_returns_and_only_after_their_last_day(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    active = worker_row(tree["street"], rng=rng)
    assert (await client.post("/workers", json=active, headers=hr)).status_code == 201
    reply = await client.post("/workers", json={**active, "hire_date": "2025-01-01"}, headers=hr)
    assert list(problem_fields(reply)) == ["body.resident_id"]

    number = resident_id(date(1988, 2, 3), rng=rng)
    await _left(client, hr, worker_row(tree["street"], rng=rng, resident_id=number), "2024-12-15")
    # Not on or before the last day, nor later in the leaving month (one employment a month).
    for too_early in ("2024-12-15", "2024-06-01", "2024-12-16", "2024-12-31"):
        body = worker_row(tree["street"], rng=rng, resident_id=number, hire_date=too_early)
        reply = await client.post("/workers", json=body, headers=hr)
        assert reply.status_code == 422, reply.text
        assert list(problem_fields(reply)) == ["body.hire_date"], reply.text
    assert await outbox_events(client, "WorkerRehired") == []


async def test_a_rule_that_does_not_count_earlier_service_restarts_seniority(
    client, tree, rng, monkeypatch
):
    from roster.rules import policy

    book = policy.rules_book()
    not_counting = book.model_copy(
        update={
            "versions": [
                v.model_copy(update={"rehire_counts_earlier_service": False}) for v in book.versions
            ]
        }
    )
    monkeypatch.setattr(policy, "rules_book", lambda: not_counting)
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    number = resident_id(date(1985, 11, 30), rng=rng)
    await _left(client, hr, worker_row(tree["street"], rng=rng, resident_id=number), "2024-12-31")
    again = worker_row(tree["street"], rng=rng, resident_id=number, hire_date="2025-07-01")
    worker = (await client.post("/workers", json=again, headers=hr)).json()
    assert (worker["hire_date"], worker["seniority_start"]) == ("2025-07-01", "2025-07-01")
    (event,) = await outbox_events(client, "WorkerRehired")
    assert event["data"]["earlier_service_counted"] is False


async def test_a_leaver_in_another_district_is_rehired_into_the_callers_unit(client, tree, rng):
    nankai = bearer(Role.DISTRICT_ADMIN, unit_id=tree["nankai"])
    hexi = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    number = resident_id(date(1992, 4, 4), rng=rng)
    worker_id = await _left(
        client, nankai, worker_row(tree["nankai"], rng=rng, resident_id=number), "2025-03-31"
    )
    again = worker_row(tree["street"], rng=rng, resident_id=number, hire_date="2025-05-01")
    reply = await client.post("/workers", json=again, headers=hexi)
    assert reply.status_code == 201, reply.text
    assert reply.json()["id"] == worker_id
    # Now Hexi's worker, and no longer Nankai's to read.
    assert (await client.get(f"/workers/{worker_id}", headers=hexi)).status_code == 200
    assert (await client.get(f"/workers/{worker_id}", headers=nankai)).status_code == 403
