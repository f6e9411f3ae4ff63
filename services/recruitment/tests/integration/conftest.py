"""The recruitment service under test: migrated once into a template database, cloned per
test, called through its real HTTP app; the roster's events are fed through the real inbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from recruitment.bootstrap import handlers
from recruitment.config import Settings
from recruitment.main import create_app
from union_dev.testing.api import running
from union_dev.testing.clock import SetClock
from union_dev.testing.events import unit_tree_events
from union_dev.testing.service import deliver as deliver_to
from union_dev.testing.service import migrated_database_fixtures
from union_shared.events import Envelope

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db

service_template, recruitment_url = migrated_database_fixtures(SERVICE_DIR, "recruitment")

# The instant the app's clock starts at: before the test campaigns' windows open.
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing, Monday 2 March 2026
# The unit tree: a city federation, two districts, a street under one of them.
TREE = ("/city/hexi/street/", "/city/nankai/")


@pytest.fixture
async def client(recruitment_url: str, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=recruitment_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        run_background_tasks=False,
    )
    clock = SetClock(NOW)
    app = create_app(settings, clock=clock)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        client.clock = clock  # type: ignore[attr-defined]
        await deliver(client, *unit_tree_events(*TREE))
        yield client


async def deliver(client: httpx.AsyncClient, *events: Envelope) -> None:
    """Hand events to recruitment's consumer exactly as the broker would (inbox included)."""
    await deliver_to(client, "recruitment", handlers(), *events)
