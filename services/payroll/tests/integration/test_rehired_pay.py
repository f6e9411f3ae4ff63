"""A worker who left and came back (WorkerRehired) through events and HTTP: each employment
episode is paid, the months between are paid by no run, a re-hire in mid-month is paid pro rata
from the new hire date, and a redelivered re-hire changes nothing. Figures by hand from the
shipped Tianjin pay policy: junior 1 is 4,000.00 a month (2,800.00 base, 1,200.00 performance),
prorated by calendar days."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer
from union_shared.auth import Role
from union_shared.events import WorkerLeft, WorkerRehired, build_event
from union_shared.events.envelope import Envelope
from union_shared.messaging.handlers import UnknownWorker
from union_shared.vocabulary import Education

from .conftest import OFFICER, SECOND_OFFICER, close, deliver, draft, set_up_pay
from .test_payroll import PATH, hired, regraded, span

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
FIRST_HIRE = date(2025, 1, 1)
LEFT_ON = date(2025, 3, 31)


def left(worker_id: str = "w-1") -> Envelope:
    payload = WorkerLeft(worker_id=worker_id, unit_id="street", left_on=LEFT_ON, reason="quit")
    return build_event(payload, subject=worker_id, source="roster")


def rehired(hire: date, worker_id: str = "w-1") -> Envelope:
    payload = WorkerRehired(
        worker_id=worker_id, unit_id="street", unit_path=PATH, episode=2, hire_date=hire,
        previous_left_on=LEFT_ON, seniority_start=hire, earlier_service_counted=False,
        education=Education.BACHELOR, origin="registration",
    )  # fmt: skip
    return build_event(payload, subject=worker_id, source="roster")


async def _employed_then_left(client) -> None:
    """w-1 hired 1 January 2025 and gone after 31 March; w-2 stays throughout, so every run
    has someone to pay."""
    for worker_id in ("w-1", "w-2"):
        entry = regraded(
            FIRST_HIRE, span("junior", 1, FIRST_HIRE), worker_id=worker_id, cause="onboarding"
        )
        await deliver(client, hired(worker_id, FIRST_HIRE), entry)
        await set_up_pay(client, worker_id)
    await close(client, "2025-01", "hexi")
    await deliver(client, left())


async def _slips(client, run: dict) -> dict[str, str]:
    reply = await client.get(f"/runs/{run['id']}/payslips", headers=OFFICER)
    assert reply.status_code == 200, reply.text
    return {slip["worker_id"]: slip["gross"] for slip in reply.json()["items"]}


async def test_the_months_between_two_episodes_are_paid_by_no_run(client):
    await _employed_then_left(client)
    await deliver(client, rehired(date(2025, 6, 1)))
    profile = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    assert (profile["hire_date"], profile["left_on"]) == ("2025-06-01", None)
    assert [(e["episode"], e["hire_date"], e["left_on"]) for e in profile["employments"]] == [
        (1, "2025-01-01", "2025-03-31"),
        (2, "2025-06-01", None),
    ]
    march = await draft(client, "2025-03", "hexi")  # the first episode's last month
    assert await _slips(client, march) == {"w-1": "4000.00", "w-2": "4000.00"}
    for period in ("2025-04", "2025-05"):
        run = await draft(client, period, "hexi")
        assert run["problems"] == [], run["problems"]
        assert await _slips(client, run) == {"w-2": "4000.00"}, period
    june = await draft(client, "2025-06", "hexi")
    assert june["problems"] == []
    assert await _slips(client, june) == {"w-1": "4000.00", "w-2": "4000.00"}


async def test_a_rehire_in_mid_month_is_paid_from_the_new_hire_date(client):
    await _employed_then_left(client)
    await deliver(client, rehired(date(2025, 6, 16)))
    june = await draft(client, "2025-06", "hexi")
    # 16 to 30 June: 15 of 30 days of 4,000.00.
    assert await _slips(client, june) == {"w-1": "2000.00", "w-2": "4000.00"}


async def test_a_redelivered_rehire_changes_nothing(client):
    await _employed_then_left(client)
    once = rehired(date(2025, 6, 16))
    await deliver(client, once)
    before = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    june = await draft(client, "2025-06", "hexi")
    reviewed = await client.post(f"/runs/{june['id']}/review", headers=OFFICER)
    assert reviewed.status_code == 200, reviewed.text
    # The same event again (the inbox absorbs it), and as if past the inbox (after a restore):
    # a new envelope with the same episode.
    again = build_event(WorkerRehired.model_validate(once.data), subject="w-1", source="roster")
    await deliver(client, once, again)
    assert (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json() == before
    # Nothing changed, so the draft computed before is not stale: it is approved as it is.
    locked = await client.post(f"/runs/{june['id']}/approve", headers=SECOND_OFFICER)
    assert locked.status_code == 200, locked.text
    assert await _slips(client, june) == {"w-1": "2000.00", "w-2": "4000.00"}


async def test_a_rehire_of_an_unknown_worker_is_refused(client):
    with pytest.raises(UnknownWorker):
        await deliver(client, rehired(date(2025, 6, 1), worker_id="w-9"))
