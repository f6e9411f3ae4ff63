"""A tiny stand-in service for the messaging tests: one table of tallies, one handler that adds
one to a worker's tally per WorkerOnboarded. Adding is not idempotent by itself, so a tally of
2 would expose a doubled effect."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from union_dev.testing.events import onboarded_event
from union_shared.db import create_engine, session_factory
from union_shared.events import Envelope, WorkerOnboarded
from union_shared.messaging.tables import platform_metadata

pytestmark = pytest.mark.db

test_metadata = MetaData()
tallies = Table(
    "tallies",
    test_metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("hits", Integer, nullable=False),
)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_metadata.create_all)
        await conn.run_sync(test_metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
def topic() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


async def add_tally(session: AsyncSession, envelope: Envelope, payload: WorkerOnboarded) -> None:
    dialect = session.bind.dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(tallies)
    await session.execute(
        stmt.values(worker_id=payload.worker_id, hits=1).on_conflict_do_update(
            index_elements=["worker_id"], set_={"hits": tallies.c.hits + 1}
        )
    )


async def tally_map(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        return dict((await session.execute(select(tallies.c.worker_id, tallies.c.hits))).all())


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 20.0) -> None:
    """Wait until `check()` is true; fail with a clear message if it never is."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        if await check():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s")
        await asyncio.sleep(0.05)


__all__ = ["add_tally", "eventually", "onboarded_event", "tallies", "tally_map", "update"]
