"""The payroll service under test: migrated once into a template database, cloned per test,
called through its real HTTP app; events are fed through the real inbox path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from payroll.config import Settings
from payroll.handlers import handlers_for
from payroll.main import create_app
from union_shared.events import Envelope
from union_shared.testing.api import running
from union_shared.testing.service import deliver as deliver_to
from union_shared.testing.service import migrated_database_fixtures, outbox_events

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db


service_template, payroll_url = migrated_database_fixtures(SERVICE_DIR, "payroll")


@pytest.fixture
async def client(payroll_url: str, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=payroll_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        run_background_tasks=False,
    )
    app = create_app(settings)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


TODAY = date(2026, 11, 21)  # the handlers' clock, pinned so results never drift with time


async def deliver(client: httpx.AsyncClient, *events: Envelope) -> None:
    """Hand events to payroll's consumer exactly as the broker would (inbox included)."""
    await deliver_to(client, "payroll", handlers_for("tianjin-pay", today=lambda: TODAY), *events)


async def sent(client: httpx.AsyncClient, event_type: str = "PayrollAdjusted") -> list[dict]:
    return await outbox_events(client, event_type)
