"""The compliance view through HTTP: each alert kind opens and closes on its day, counts, scope."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from roster.compliance.domain import AlertKind
from roster.ids import new_id
from roster.models import Appraisal, Training, Worker
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import onboard, resident_id, worker_row

pytestmark = pytest.mark.db


def veteran(unit_id: str, n: int, **overrides) -> dict:
    """A worker hired on 2014-03-01, old enough then (worker_row's random births may not be)."""
    born = resident_id(date(1980, 1, n))  # distinct birth dates: distinct resident ids
    return worker_row(unit_id, resident_id=born, hire_date="2014-03-01", **overrides)


@pytest.fixture
def hr(tree) -> dict[str, str]:
    return bearer(Role.UNIT_HR, unit_id=tree["hexi"])


async def view(client, headers, as_of: str, **params) -> dict:
    reply = await client.get("/compliance", params={"as_of": as_of, **params}, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


async def alerts(client, headers, as_of: str, worker_id: str, kind: AlertKind) -> list[dict]:
    found = (await view(client, headers, as_of))["alerts"]
    return [a for a in found if a["worker_id"] == worker_id and a["kind"] == kind]


async def add_rows(client, *rows) -> None:
    async with client.app.state.sessions() as session, session.begin():
        session.add_all(rows)


def training(worker_id: str, kind: str, end: date) -> Training:
    return Training(
        id=new_id(),
        worker_id=worker_id,
        kind=kind,
        title=f"{kind} training",
        start_date=end,
        end_date=end,
        hours=Decimal("8"),
        provider=None,
        recorded_by="test",
        recorded_at=datetime.now(UTC),
    )


def appraisal(worker_id: str, unit_id: str, year: int) -> Appraisal:
    return Appraisal(
        id=new_id(),
        worker_id=worker_id,
        unit_id=unit_id,
        year=year,
        revision=1,
        rating="competent",
        score=None,
        satisfaction_score=None,
        comments=None,
        correction_reason=None,
        recorded_by="test",
        recorded_at=datetime.now(UTC),
    )


async def contract(client, headers, worker_id: str, **body) -> dict:
    reply = await client.post(f"/workers/{worker_id}/contracts", json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def test_written_contract_missing(client, tree, hr):
    on_time, late = await onboard(client, [worker_row(tree["building"]) for _ in range(2)])
    kind = AlertKind.WRITTEN_CONTRACT_MISSING  # hired 2024-03-01: sign by 2024-03-31
    assert await alerts(client, hr, "2024-03-31", on_time, kind) == []
    [first] = await alerts(client, hr, "2024-04-01", on_time, kind)
    assert first["due_on"] == first["deadline"] == "2024-03-31"
    assert (first["double_wage_months"], first["deemed_open_ended"]) == (1, False)
    [year_on] = await alerts(client, hr, "2025-03-01", on_time, kind)
    assert (year_on["double_wage_months"], year_on["deemed_open_ended"]) == (11, True)

    terms = {"kind": "fixed_term", "start_date": "2024-03-01", "end_date": "2027-02-28"}
    await contract(client, hr, on_time, **terms, signed_on="2024-03-31")
    assert await alerts(client, hr, "2024-04-01", on_time, kind) == []
    assert await alerts(client, hr, "2025-03-01", on_time, kind) == []

    # Signed late: open before the signature, and the double-wage months stay owed after it.
    await contract(client, hr, late, **terms, signed_on="2024-05-10")
    [before] = await alerts(client, hr, "2024-05-09", late, kind)
    assert "no written contract" in before["detail"]
    [after] = await alerts(client, hr, "2026-01-01", late, kind)
    assert "signed late on 2024-05-10" in after["detail"]
    assert (after["double_wage_months"], after["deemed_open_ended"]) == (2, False)


async def test_open_ended_contract_due(client, tree, hr):
    [worker_id] = await onboard(client, [veteran(tree["building"], 1)])
    kind = AlertKind.OPEN_ENDED_CONTRACT_DUE  # ten years' service on 2024-03-01
    await contract(
        client,
        hr,
        worker_id,
        kind="fixed_term",
        start_date="2014-03-01",
        end_date="2024-05-31",
        signed_on="2014-03-01",
    )
    assert await alerts(client, hr, "2024-02-29", worker_id, kind) == []
    [due] = await alerts(client, hr, "2024-03-01", worker_id, kind)
    assert (due["due_on"], due["contract_in_force"]) == ("2024-03-01", "fixed_term")
    [lapsed] = await alerts(client, hr, "2024-06-01", worker_id, kind)
    assert lapsed["contract_in_force"] is None

    await contract(
        client, hr, worker_id, kind="open_ended", start_date="2024-06-01", signed_on="2024-05-20"
    )
    assert len(await alerts(client, hr, "2024-05-31", worker_id, kind)) == 1
    assert await alerts(client, hr, "2024-06-01", worker_id, kind) == []


async def test_social_insurance_registration_overdue(client, tree, hr):
    [worker_id] = await onboard(client, [worker_row(tree["building"])])
    kind = AlertKind.SOCIAL_INSURANCE_REGISTRATION_OVERDUE  # due by 2024-03-31
    assert await alerts(client, hr, "2024-03-31", worker_id, kind) == []
    [overdue] = await alerts(client, hr, "2024-04-01", worker_id, kind)
    assert overdue["due_on"] == "2024-03-31"
    registered = await client.patch(
        f"/workers/{worker_id}",
        json={"social_insurance_registered_on": "2024-04-15", "reason": "registered late"},
        headers=hr,
    )
    assert registered.status_code == 200, registered.text
    assert len(await alerts(client, hr, "2024-04-14", worker_id, kind)) == 1
    assert await alerts(client, hr, "2024-04-15", worker_id, kind) == []


async def test_training_alerts(client, tree, hr):
    [worker_id] = await onboard(client, [worker_row(tree["building"])])
    pre_job, rotation = AlertKind.PRE_JOB_TRAINING_MISSING, AlertKind.ROTATION_TRAINING_OVERDUE
    assert await alerts(client, hr, "2024-03-31", worker_id, pre_job) == []
    [missing] = await alerts(client, hr, "2024-04-01", worker_id, pre_job)
    assert missing["due_on"] == "2024-03-31"
    await add_rows(client, training(worker_id, "pre_job", date(2024, 4, 10)))
    assert len(await alerts(client, hr, "2024-04-09", worker_id, pre_job)) == 1
    assert await alerts(client, hr, "2024-04-10", worker_id, pre_job) == []

    # rotation training every 3 years from the hire: due 2027-03-01
    assert await alerts(client, hr, "2027-03-01", worker_id, rotation) == []
    [overdue] = await alerts(client, hr, "2027-03-02", worker_id, rotation)
    assert overdue["due_on"] == "2027-03-01"
    await add_rows(client, training(worker_id, "rotation", date(2027, 5, 1)))
    assert await alerts(client, hr, "2027-05-01", worker_id, rotation) == []
    assert await alerts(client, hr, "2030-05-01", worker_id, rotation) == []
    assert len(await alerts(client, hr, "2030-05-02", worker_id, rotation)) == 1


async def test_appraisal_missing(client, tree, hr):
    rows = [
        worker_row(tree["building"]),
        worker_row(tree["building"], hire_date="2024-12-31"),
        worker_row(tree["building"], hire_date="2025-01-01"),
    ]
    early, last_day, next_year = await onboard(client, rows)
    kind = AlertKind.APPRAISAL_MISSING  # 2024's rating due by 2025-03-31
    assert await alerts(client, hr, "2025-03-31", early, kind) == []
    [missing] = await alerts(client, hr, "2025-04-01", early, kind)
    assert (missing["due_on"], missing["year"]) == ("2025-03-31", 2024)
    assert len(await alerts(client, hr, "2025-04-01", last_day, kind)) == 1
    assert await alerts(client, hr, "2025-04-01", next_year, kind) == []

    await add_rows(client, appraisal(early, tree["building"], 2024))
    assert await alerts(client, hr, "2025-04-01", early, kind) == []
    assert len(await alerts(client, hr, "2025-04-01", last_day, kind)) == 1


async def test_counts_order_and_who_is_on_the_register(client, tree, hr):
    rows = [
        veteran(tree["building"], 1, name="在职"),
        worker_row(tree["building"], name="未入职", hire_date="2024-06-02"),
        veteran(tree["building"], 2, name="当天离职"),
        veteran(tree["building"], 3, name="次日离职"),
    ]
    present, not_yet, left_today, left_later = await onboard(client, rows)
    async with client.app.state.sessions() as session, session.begin():
        for worker_id, left_on in ((left_today, date(2024, 6, 1)), (left_later, date(2024, 6, 2))):
            worker = await session.get(Worker, worker_id)
            worker.status, worker.left_on = "left", left_on

    body = await view(client, hr, "2024-06-01")
    assert body["as_of"] == "2024-06-01"
    assert body["unit_id"] == tree["hexi"]
    assert body["rules_version"] == 1
    assert {a["worker_id"] for a in body["alerts"]} == {present, left_later}
    # nothing recorded for ten years: every kind is open for both (born 1980: not retiring)
    retiring = AlertKind.RETIREMENT_DUE
    assert body["counts"] == {kind: 0 if kind is retiring else 2 for kind in AlertKind}
    assert list(body["counts"]) == list(AlertKind)
    keys = [(a["kind"], a["due_on"], a["worker_name"]) for a in body["alerts"]]
    assert keys == sorted(keys)
    assert body["alerts"][0]["unit_id"] == tree["building"]
    assert {a["worker_name"] for a in body["alerts"]} == {"在职", "次日离职"}

    quiet = await view(client, hr, "2014-03-01")
    assert quiet["alerts"] == []
    assert quiet["counts"] == {kind: 0 for kind in AlertKind}
    assert not_yet not in {a["worker_id"] for a in (await view(client, hr, "2024-06-01"))["alerts"]}


async def test_scope_and_roles(client, tree, hr):
    [worker_id] = await onboard(client, [worker_row(tree["building"])])
    as_of = "2025-06-01"
    street = await view(client, hr, as_of, unit_id=tree["street"])
    assert street["unit_id"] == tree["street"]
    assert {a["worker_id"] for a in street["alerts"]} == {worker_id}
    building = await view(client, hr, as_of, unit_id=tree["building"])
    assert building["alerts"] == street["alerts"]

    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    assert (await view(client, nankai_hr, as_of))["alerts"] == []
    outside = await client.get(
        "/compliance", params={"unit_id": tree["hexi"], "as_of": as_of}, headers=nankai_hr
    )
    assert outside.status_code == 403
    unknown = await client.get("/compliance", params={"unit_id": "nope"}, headers=hr)
    assert unknown.status_code == 404

    for role in (Role.AUDITOR, Role.PAYROLL_OFFICER, Role.CITY_ADMIN):
        reader = bearer(role, unit_id=tree["city"])
        assert (await view(client, reader, as_of))["counts"][AlertKind.APPRAISAL_MISSING] == 1
    everything = await view(client, bearer(Role.SYSTEM), as_of)
    assert everything["unit_id"] is None
    assert len(everything["alerts"]) == len(street["alerts"])

    worker = bearer(Role.WORKER, worker_id=worker_id)
    assert (await client.get("/compliance", headers=worker)).status_code == 403


async def test_bad_as_of_is_refused_naming_the_parameter(client, hr):
    reply = await client.get("/compliance", params={"as_of": "2024-02-30"}, headers=hr)
    assert reply.status_code == 422
    assert "query.as_of" in problem_fields(reply)
    before_rules = await client.get("/compliance", params={"as_of": "2007-12-31"}, headers=hr)
    assert before_rules.status_code == 422
    assert "no roster rules in force" in problem_fields(before_rules)["query.as_of"]
