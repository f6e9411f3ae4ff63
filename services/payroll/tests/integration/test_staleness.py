"""A draft's staleness is told by the pay-fact sequence, not by clocks: with the app's clock
frozen, or a replica's clock behind the one that computed the run, a change after drafting still
makes the run stale; a change outside the run's scope does not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from union_dev.testing.events import onboarded_event, unit_moved_event
from union_shared.clock import using

from .conftest import OFFICER, SECOND_OFFICER, MovableClock, deliver, draft, set_up_pay
from .test_payroll import ENTRY, hired, regraded, span

pytestmark = pytest.mark.db

DRAFTED = datetime(2025, 5, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_clock() -> MovableClock:
    return MovableClock(DRAFTED)


@pytest.fixture
def clock(app_clock: MovableClock) -> MovableClock:
    return app_clock


@contextmanager
def replica_behind(clock: MovableClock, by: timedelta) -> Iterator[None]:
    """What follows is stamped by a clock `by` behind the one that computed the run."""
    clock.instant = DRAFTED - by
    with using(clock):
        yield


async def _reviewed_draft(client: httpx.AsyncClient, unit_id: str = "hexi") -> str:
    run = await draft(client, "2025-04", unit_id)
    assert run["computed_at"] == "2025-05-03T09:00:00Z"
    reviewed = await client.post(f"/runs/{run['id']}/review", headers=OFFICER)
    assert reviewed.status_code == 200, reviewed.text
    return run["id"]


async def _approve(client: httpx.AsyncClient, run_id: str) -> httpx.Response:
    return await client.post(f"/runs/{run_id}/approve", headers=SECOND_OFFICER)


def _stale(reply: httpx.Response) -> bool:
    return reply.status_code == 409 and "changed after run" in reply.json()["detail"]


async def test_a_grade_change_stamped_by_a_clock_behind_still_makes_the_run_stale(client, clock):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run_id = await _reviewed_draft(client)
    with replica_behind(clock, timedelta(hours=2)):
        await deliver(client, regraded(date(2025, 4, 1), span("junior", 3, date(2025, 4, 1))))
    assert _stale(await _approve(client, run_id))
    again = await client.post(f"/runs/{run_id}/recompute", headers=OFFICER)
    assert again.json()["gross_total"] == "4400.00"  # junior 3: 4,000 × 1.10
    await client.post(f"/runs/{run_id}/review", headers=OFFICER)
    assert (await _approve(client, run_id)).status_code == 200


async def test_a_profile_written_with_the_clock_frozen_makes_the_run_stale(client, clock):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run_id = await _reviewed_draft(client)
    # The same frozen instant as the run's computed_at: no timestamp tells them apart.
    profile = {
        "effective_from": "2025-04-01",
        "contribution_base": "7000.00",
        "bank_account": "6222020200112341234",
    }
    reply = await client.post("/workers/w-1/pay-profile", json=profile, headers=OFFICER)
    assert reply.status_code == 201, reply.text
    assert reply.json()["recorded_at"] == "2025-05-03T09:00:00Z"
    assert _stale(await _approve(client, run_id))


async def test_funder_shares_put_from_a_clock_a_day_behind_make_the_run_stale(client, clock):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run_id = await _reviewed_draft(client)
    clock.instant = DRAFTED - timedelta(days=1)
    shares = {"effective_from": "2025-04-01", "shares": {"city": "50", "district": "50"}}
    reply = await client.put("/units/park/funders", json=shares, headers=OFFICER)
    assert reply.status_code == 201, reply.text
    reply = await _approve(client, run_id)
    assert _stale(reply) and "funder shares" in reply.json()["detail"]


async def test_a_unit_moved_into_the_subtree_after_drafting_makes_the_run_stale(client, clock):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run_id = await _reviewed_draft(client, "nankai")
    with replica_behind(clock, timedelta(minutes=5)):
        await deliver(
            client, unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/")
        )
    reply = await _approve(client, run_id)
    assert _stale(reply) and "units moved" in reply.json()["detail"]


async def test_a_change_outside_the_run_leaves_it_fresh(client, clock):
    elsewhere = onboarded_event(
        "w-2", unit_id="other", unit_path="/city/hedong/other/", hire_date=date(2025, 3, 1),
        seniority_start=date(2025, 3, 1),
    )  # fmt: skip
    await deliver(client, hired(), ENTRY, elsewhere)
    await set_up_pay(client)
    run_id = await _reviewed_draft(client)
    clock.instant = DRAFTED + timedelta(hours=1)
    with using(clock):
        entry = regraded(date(2025, 3, 1), span("junior", 1, date(2025, 3, 1)), worker_id="w-2")
        await deliver(client, entry)
    reply = await _approve(client, run_id)
    assert reply.status_code == 200, reply.text
