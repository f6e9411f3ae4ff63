"""Transfers, suspensions and departures through HTTP: dated, audited, sent as events."""

from __future__ import annotations

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role

from .conftest import onboard, worker_row

pytestmark = pytest.mark.db


@pytest.fixture
async def worker(client, tree):
    return (await onboard(client, [worker_row(tree["street"], hire_date="2024-03-01")]))[0]


def admin(tree):
    return bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"], sub="admin-hexi")


async def test_transfer_moves_the_worker_and_sends_worker_transferred(client, tree, worker):
    reply = await client.post(
        f"/workers/{worker}/transfer",
        json={
            "to_unit_id": tree["building"],
            "effective_date": "2026-07-16",
            "reason": "new building union",
        },
        headers=admin(tree),
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["unit_id"] == tree["building"]
    (event,) = await outbox_events(client, "WorkerTransferred")
    assert event["subject"] == worker
    assert event["data"] == {
        "worker_id": worker,
        "from_unit_id": tree["street"],
        "to_unit_id": tree["building"],
        "to_unit_path": f"/{tree['city']}/{tree['hexi']}/{tree['street']}/{tree['building']}/",
        "effective_date": "2026-07-16",
        "reason": "new building union",
    }
    detail = (await client.get(f"/workers/{worker}", headers=admin(tree))).json()
    assert [h["kind"] for h in detail["history"]] == ["imported", "transferred"]
    assert detail["audit"][-1]["action"] == "worker.transferred"
    assert detail["audit"][-1]["actor"] == "admin-hexi"
    assert detail["audit"][-1]["reason"] == "new building union"


async def test_transfer_outside_the_callers_tree_is_forbidden(client, tree, worker):
    reply = await client.post(
        f"/workers/{worker}/transfer",
        json={"to_unit_id": tree["nankai"], "effective_date": "2026-07-16", "reason": "x"},
        headers=admin(tree),
    )
    assert reply.status_code == 403
    city = bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    reply = await client.post(
        f"/workers/{worker}/transfer",
        json={"to_unit_id": tree["nankai"], "effective_date": "2026-07-16", "reason": "x"},
        headers=city,
    )
    assert reply.status_code == 200


async def test_suspend_resume_leave_and_the_rules_between(client, tree, worker):
    h = admin(tree)
    post = client.post
    assert (
        await post(
            f"/workers/{worker}/resumption",
            json={"effective_date": "2025-01-01", "reason": "x"},
            headers=h,
        )
    ).status_code == 409
    assert (
        await post(
            f"/workers/{worker}/suspension",
            json={"effective_date": "2025-05-01", "reason": "illness"},
            headers=h,
        )
    ).json()["status"] == "suspended"
    back = await post(
        f"/workers/{worker}/resumption",
        json={"effective_date": "2025-04-30", "reason": "x"},
        headers=h,
    )
    assert back.status_code == 422
    assert "history runs forward" in problem_fields(back)["body.effective_date"]
    assert (
        await post(
            f"/workers/{worker}/resumption",
            json={"effective_date": "2025-08-01", "reason": "recovered"},
            headers=h,
        )
    ).json()["status"] == "active"
    left = await post(
        f"/workers/{worker}/departure",
        json={"effective_date": "2026-01-31", "reason": "resigned"},
        headers=h,
    )
    assert left.json()["status"] == "left" and left.json()["left_on"] == "2026-01-31"
    assert (
        await post(
            f"/workers/{worker}/departure",
            json={"effective_date": "2026-02-01", "reason": "x"},
            headers=h,
        )
    ).status_code == 409
    (event,) = await outbox_events(client, "WorkerLeft")
    assert event["data"] == {
        "worker_id": worker,
        "unit_id": tree["street"],
        "left_on": "2026-01-31",
        "reason": "resigned",
    }
    kinds = [
        h["kind"] for h in (await client.get(f"/workers/{worker}", headers=h)).json()["history"]
    ]
    assert kinds == ["imported", "suspended", "resumed", "left"]


async def test_a_departure_before_the_hire_date_is_refused(client, tree, worker):
    reply = await client.post(
        f"/workers/{worker}/departure",
        json={"effective_date": "2024-02-29", "reason": "x"},
        headers=admin(tree),
    )
    assert reply.status_code == 422
    assert "before the hire date" in problem_fields(reply)["body.effective_date"]
    assert await outbox_events(client, "WorkerLeft") == []


async def test_a_retried_departure_with_its_key_is_applied_once(client, tree, worker):
    headers = {**admin(tree), "Idempotency-Key": "leave-1"}
    body = {"effective_date": "2026-01-31", "reason": "resigned"}
    first = await client.post(f"/workers/{worker}/departure", json=body, headers=headers)
    second = await client.post(f"/workers/{worker}/departure", json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert len(await outbox_events(client, "WorkerLeft")) == 1
