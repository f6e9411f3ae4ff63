"""The grading service under test: migrated once into a template database, cloned per test,
called through its real HTTP app; events are fed through the real inbox path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from grading.bootstrap import handlers
from grading.config import Settings
from grading.main import create_app
from union_dev.testing.api import running
from union_dev.testing.clock import PinnedClock
from union_dev.testing.events import unit_tree_events
from union_dev.testing.service import deliver as deliver_to
from union_dev.testing.service import migrated_database_fixtures, outbox_events
from union_shared.events import Envelope

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db


service_template, grading_url = migrated_database_fixtures(SERVICE_DIR, "grading")


TODAY = date(2026, 11, 21)  # the handlers' clock, pinned so results never drift with time
# The unit tree the tests' workers and callers live in, as the roster announces it.
TREE = ("/city/hexi/street/", "/city/hexi/park/", "/city/nankai/", "/city/hedong/")


@pytest.fixture
async def client(grading_url: str, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=grading_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        run_background_tasks=False,
    )
    clock = PinnedClock(TODAY)  # the seniority run refuses days after it; a test may move it
    app = create_app(settings, clock=clock)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        client.clock = clock  # type: ignore[attr-defined]
        await deliver(client, *unit_tree_events(*TREE))
        yield client


async def deliver(client: httpx.AsyncClient, *events: Envelope) -> None:
    """Hand events to grading's consumer exactly as the broker would (inbox included)."""
    wired = handlers(PinnedClock(TODAY), Settings(default_policy="tianjin-3p18l"))
    await deliver_to(client, "grading", wired, *events)


async def sent(client: httpx.AsyncClient, event_type: str = "GradeReevaluated") -> list[dict]:
    return await outbox_events(client, event_type)
