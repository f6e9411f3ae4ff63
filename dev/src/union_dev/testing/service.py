"""What every service's integration tests need: a database migrated once and cloned per test,
the app running behind a client, events fed through the real inbox path, the outbox read back.

A service's conftest.py binds these to its own names, e.g.

    service_template, grading_url = migrated_database_fixtures(SERVICE_DIR, "grading")
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from union_dev.testing.databases import clone_database, migrated_template
from union_shared.events import Envelope
from union_shared.messaging.consumer import Handler, InboxProcessor
from union_shared.messaging.tables import outbox


def migrated_database_fixtures(service_dir: Path, name: str):
    """Two fixtures: `service_template` (session-wide: the migrations applied once; each service's
    tests live in their own folder, so the name never clashes) and `<name>_url`, a private clone
    of it for one test."""

    @pytest.fixture(scope="session", name="service_template")
    async def template(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
        async with migrated_template(tmp_path_factory.mktemp(name), service_dir, name) as url:
            yield url

    @pytest.fixture(name=f"{name}_url")
    async def database(service_template: str, tmp_path: Path) -> AsyncIterator[str]:
        async with clone_database(service_template, tmp_path, name) as url:
            yield url

    return template, database


async def deliver(
    client: httpx.AsyncClient, consumer: str, handlers: Mapping[str, Handler], *events: Envelope
) -> None:
    """Hand events to a service's consumer exactly as the broker would (inbox included)."""
    processor = InboxProcessor(consumer, client.app.state.sessions, handlers)  # type: ignore[attr-defined]
    for event in events:
        await processor.apply([processor.decode_bytes(event.to_bytes())])


async def outbox_events(client: httpx.AsyncClient, event_type: str | None = None) -> list[dict]:
    """The events a service has committed to its outbox, oldest first, as envelopes."""
    query = select(outbox.c.payload).order_by(outbox.c.id)
    if event_type:
        query = query.where(outbox.c.event_type == event_type)
    async with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return [json.loads(p) for p in (await session.scalars(query)).all()]
