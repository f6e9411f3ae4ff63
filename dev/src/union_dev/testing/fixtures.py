"""Pytest fixtures shared by every test tier (loaded from the root conftest.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from union_dev.broker import EmbeddedBroker
from union_dev.testing.databases import fresh_database


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real broker for the session: KAFKA_BOOTSTRAP_SERVERS if given, else an embedded Tansu."""
    given = os.environ.get("TEST_KAFKA_BOOTSTRAP_SERVERS")
    if given:
        yield given
        return
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_file=log) as broker:
        yield broker.bootstrap_servers


@pytest.fixture
async def database_url(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """An empty database for one test (SQLite file, or PostgreSQL under TEST_POSTGRES_URL)."""
    label = "".join(c for c in request.node.name.lower() if c.isalnum())[:20] or "db"
    async with fresh_database(tmp_path, label) as url:
        yield url
