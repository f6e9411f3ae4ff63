"""Registering one worker by hand (POST /workers): what a one-row import does, over HTTP."""

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


async def test_one_worker_is_registered_with_history_audit_and_event(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"], sub="hr-li")
    number = resident_id(date(1991, 8, 9), male=False, rng=rng)
    body = worker_row(tree["building"], rng=rng, resident_id=number, seniority_start="2020-03-01")
    reply = await client.post("/workers", json=body, headers=hr)
    assert reply.status_code == 201, reply.text
    worker = reply.json()
    assert reply.headers["location"] == f"/workers/{worker['id']}"
    # Derived from the ID number, as an import derives them; unit HR sees identifiers whole.
    assert (worker["resident_id"], worker["birth_date"], worker["sex"]) == (
        number,
        "1991-08-09",
        "female",
    )
    assert (worker["unit_id"], worker["hire_date"], worker["seniority_start"]) == (
        tree["building"],
        "2024-03-01",
        "2020-03-01",
    )
    assert worker["status"] == "active"

    detail = (await client.get(f"/workers/{worker['id']}", headers=hr)).json()
    assert [(h["kind"], h["effective_date"]) for h in detail["history"]] == [
        ("registered", "2024-03-01")
    ]
    assert [(a["action"], a["actor"]) for a in detail["audit"]] == [("worker.registered", "hr-li")]

    (event,) = await outbox_events(client, "WorkerOnboarded")
    assert event["subject"] == worker["id"]
    assert event["data"]["origin"] == "registration"
    assert event["data"]["unit_id"] == tree["building"]
    assert event["data"]["seniority_start"] == "2020-03-01"


async def test_every_problem_is_named_and_nothing_is_written(client, tree, rng):
    admin = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    first = worker_row(tree["street"], rng=rng)
    assert (await client.post("/workers", json=first, headers=admin)).status_code == 201
    born_2010 = resident_id(date(2010, 1, 5), rng=rng)
    cases = {
        "body.resident_id": {**first, "name": "another"},  # already on the register
        "body.unit_id": worker_row(tree["nankai"], rng=rng),  # another district's unit
        "body.hire_date": worker_row(tree["street"], rng=rng, resident_id=born_2010),
        "body.seniority_start": worker_row(tree["street"], rng=rng, seniority_start="2025-01-01"),
    }
    for field, body in cases.items():
        reply = await client.post("/workers", json=body, headers=admin)
        assert reply.status_code == 422, (field, reply.text)
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert list(problem_fields(reply)) == [field], reply.text
    two_at_once = worker_row("no-such-unit", rng=rng, resident_id="120103199001011230")
    fields = problem_fields(await client.post("/workers", json=two_at_once, headers=admin))
    assert set(fields) == {"body.resident_id", "body.unit_id"}
    assert len(await outbox_events(client, "WorkerOnboarded")) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit_id": "u" * 37}, "body.unit_id"),
        ({"resident_id": "1" * 41}, "body.resident_id"),
        ({"name": ""}, "body.name"),
        ({"hire_date": 20240301}, "body.hire_date"),
        ({"salary": "10000"}, "body.salary"),
    ],
)
async def test_bad_bodies_are_422_naming_the_field(client, tree, rng, change, field):
    body = worker_row(tree["street"], rng=rng) | change
    reply = await client.post(
        "/workers", json=body, headers=bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    )
    assert reply.status_code == 422, reply.text
    assert field in problem_fields(reply)


@pytest.mark.parametrize("role", [Role.PAYROLL_OFFICER, Role.AUDITOR, Role.OPERATOR, Role.WORKER])
async def test_only_hr_and_admins_register(client, tree, rng, role):
    claims = {"worker_id": "w-1"} if role is Role.WORKER else {}
    if role not in (Role.OPERATOR, Role.WORKER):
        claims["unit_id"] = tree["street"]
    reply = await client.post(
        "/workers", json=worker_row(tree["street"], rng=rng), headers=bearer(role, **claims)
    )
    assert reply.status_code == 403, reply.text
    assert await outbox_events(client, "WorkerOnboarded") == []
    assert (
        await client.post("/workers", json=worker_row(tree["street"], rng=rng))
    ).status_code == 401


async def test_a_retry_with_the_same_key_registers_once(client, tree, rng):
    hr = {**bearer(Role.UNIT_HR, unit_id=tree["street"]), "Idempotency-Key": "register-zhang-1"}
    body = worker_row(tree["street"], rng=rng)
    first = await client.post("/workers", json=body, headers=hr)
    again = await client.post("/workers", json=body, headers=hr)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(await outbox_events(client, "WorkerOnboarded")) == 1
