"""The payroll service under test: migrated once into a template database, cloned per test,
called through its real HTTP app; events are fed through the real inbox path."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from payroll.config import Settings
from payroll.handlers import handlers_for
from payroll.main import create_app
from union_shared.events import Envelope
from union_shared.messaging.consumer import InboxProcessor
from union_shared.messaging.tables import outbox
from union_shared.testing.api import running
from union_shared.testing.databases import clone_database, migrated_template

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db


@pytest.fixture(scope="session")
async def payroll_template(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with migrated_template(tmp_path_factory.mktemp("payroll"), SERVICE_DIR, "payroll") as url:
        yield url


@pytest.fixture
async def payroll_url(payroll_template: str, tmp_path: Path) -> AsyncIterator[str]:
    async with clone_database(payroll_template, tmp_path, "payroll") as url:
        yield url


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
    handlers = handlers_for("tianjin-pay", today=lambda: TODAY)
    processor = InboxProcessor("payroll", client.app.state.sessions, handlers)  # type: ignore[attr-defined]
    for event in events:
        await processor.apply([processor.decode_bytes(event.to_bytes())])


async def sent(client: httpx.AsyncClient, event_type: str = "PayrollAdjusted") -> list[dict]:
    query = select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
    async with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return [json.loads(p) for p in (await session.scalars(query)).all()]
