"""The payroll service under test: migrated once into a template database, cloned per test,
called through its real HTTP app; events are fed through the real inbox path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from payroll.bootstrap import handlers
from payroll.config import Settings
from payroll.main import create_app
from union_dev.testing.api import bearer, running
from union_dev.testing.clock import PinnedClock
from union_dev.testing.events import unit_tree_events
from union_dev.testing.service import deliver as deliver_to
from union_dev.testing.service import migrated_database_fixtures, outbox_events
from union_shared.auth import Role
from union_shared.clock import Clock
from union_shared.events import Envelope

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db


service_template, payroll_url = migrated_database_fixtures(SERVICE_DIR, "payroll")


class MovableClock(Clock):
    """A clock whose instant stands still until a test sets it (forward or back)."""

    def __init__(self, instant: datetime) -> None:
        super().__init__(instant=lambda: self.instant)
        self.instant = instant


@pytest.fixture
def app_clock() -> Clock | None:
    """The app's clock; None for the real one. A test module overrides it to pin time."""
    return None


@pytest.fixture
async def client(
    payroll_url: str, kafka_bootstrap: str, app_clock: Clock | None
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=payroll_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        run_background_tasks=False,
    )
    app = create_app(settings, clock=app_clock)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        await deliver(client, *unit_tree_events(*TREE))
        yield client


TODAY = date(2026, 11, 21)  # the handlers' clock, pinned so results never drift with time
# The unit tree the tests' workers and callers live in, as the roster announces it.
TREE = (
    "/city/hexi/street/",
    "/city/hexi/park/",
    "/city/hedong/other/",
    "/city/other/",
    "/city/nankai/",
)


async def deliver(client: httpx.AsyncClient, *events: Envelope) -> None:
    """Hand events to payroll's consumer exactly as the broker would (inbox included)."""
    wired = handlers(PinnedClock(TODAY), Settings(pay_policy="tianjin-pay"))
    await deliver_to(client, "payroll", wired, *events)


async def sent(client: httpx.AsyncClient, event_type: str = "PayrollAdjusted") -> list[dict]:
    return await outbox_events(client, event_type)


OFFICER = bearer(Role.PAYROLL_OFFICER, unit_id="city", sub="officer-li")
SECOND_OFFICER = bearer(Role.PAYROLL_OFFICER, unit_id="city", sub="officer-wang")


async def draft(client: httpx.AsyncClient, period: str, unit_id: str, headers=OFFICER) -> dict:
    reply = await client.post("/runs", json={"period": period, "unit_id": unit_id}, headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def close(client: httpx.AsyncClient, period: str, unit_id: str) -> dict:
    """Draft, review and approve (by a second officer) a run: the period is locked."""
    run = await draft(client, period, unit_id)
    assert run["problems"] == [], run["problems"]
    reviewed = await client.post(f"/runs/{run['id']}/review", headers=OFFICER)
    assert reviewed.status_code == 200, reviewed.text
    locked = await client.post(f"/runs/{run['id']}/approve", headers=SECOND_OFFICER)
    assert locked.status_code == 200, locked.text
    return locked.json()


async def set_up_pay(
    client: httpx.AsyncClient,
    worker_id: str = "w-1",
    unit_id: str = "street",
    effective_from: str = "2025-01-01",
    shares: dict | None = None,
    base: str = "6000.00",
) -> None:
    """A pay profile for the worker and funder shares for the unit, as payroll officers set them."""
    profile = {
        "effective_from": effective_from,
        "contribution_base": base,
        "bank_account": "6222020200112341234",
    }
    reply = await client.post(f"/workers/{worker_id}/pay-profile", json=profile, headers=OFFICER)
    assert reply.status_code in (201, 409), reply.text
    funders = {"effective_from": "2025-01-01", "shares": shares or {"city": "60", "district": "40"}}
    reply = await client.put(f"/units/{unit_id}/funders", json=funders, headers=OFFICER)
    assert reply.status_code in (200, 201), reply.text
