"""union_shared.bulk.insert_rows writes exactly what a Core executemany writes, in the caller's
transaction, on SQLite (executemany) and PostgreSQL (COPY above the threshold)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    exc,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from union_shared.bulk import insert_rows
from union_shared.db import create_engine, session_factory

pytestmark = pytest.mark.db

metadata = MetaData()


def shaped(name: str) -> Table:
    """The column kinds services bulk-insert: ids, dates, JSON, aware times, bytes, defaults."""
    return Table(
        name,
        metadata,
        Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
        Column("id", String(36), nullable=False, unique=True),
        Column("level", Integer, nullable=False),
        Column("start", Date, nullable=False),
        Column("end", Date),
        Column("reasons", JSON),
        Column("payload", LargeBinary),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("kind", String(20), default="plain"),
        Column("note", String(40), default=lambda: "made in python"),
        Column("server_note", String(40), server_default=text("'made by the server'")),
    )


VIA_BULK, VIA_CORE = shaped("via_bulk"), shaped("via_core")
PARIS = timezone(timedelta(hours=2))


def rows(count: int) -> list[dict]:
    return [
        {
            "id": f"r-{i:05d}",
            "level": i % 18 + 1,
            "start": date(2020, 1, 1) + timedelta(days=i),
            "end": None if i % 3 else date(2030, 12, 31),
            "reasons": None if i % 7 == 0 else [{"rule": "seniority.step", "detail": f"row {i} ✓"}],
            "payload": f'{{"n": {i}}}'.encode(),
            # Aware times in another zone than UTC: the instant is what is kept.
            "recorded_at": datetime(2026, 9, 1, 8, 30, i % 60, tzinfo=PARIS if i % 2 else UTC),
        }
        for i in range(count)
    ]


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


async def stored(sessions, table: Table) -> list[tuple]:
    order = table.c.seq if "seq" in table.c else table.c.id
    async with sessions() as session:
        result = await session.execute(
            select(*[c for c in table.c if c.name != "seq"]).order_by(order)
        )
        return [tuple(row) for row in result.all()]


async def copies_used(monkeypatch, engine: AsyncEngine) -> list[int]:
    """How many rows each asyncpg COPY carried (none on SQLite)."""
    calls: list[int] = []
    if engine.dialect.driver == "asyncpg":
        import asyncpg

        real = asyncpg.Connection.copy_records_to_table

        async def spy(self, table_name, *, records, **kwargs):
            records = list(records)
            calls.append(len(records))
            return await real(self, table_name, records=records, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, "copy_records_to_table", spy)
    return calls


@pytest.mark.parametrize("count", [3, 250])
async def test_the_rows_are_those_an_executemany_writes(sessions, engine, monkeypatch, count):
    copies = await copies_used(monkeypatch, engine)
    given = rows(count)
    async with sessions() as session, session.begin():
        await insert_rows(session, VIA_BULK, given)
    async with sessions() as session, session.begin():
        await session.execute(insert(VIA_CORE), given)
    assert await stored(sessions, VIA_BULK) == await stored(sessions, VIA_CORE)
    written = await stored(sessions, VIA_BULK)
    assert len(written) == count
    assert written[1][-3:] == ("plain", "made in python", "made by the server")
    postgres = engine.dialect.driver == "asyncpg"
    if postgres:  # timestamptz keeps the instant, whatever the zone it was given in
        assert written[1][6] == given[1]["recorded_at"]
    assert copies == ([count] if postgres and count >= 100 else [])


async def test_the_rows_commit_and_roll_back_with_the_callers_transaction(sessions, engine):
    # The bulk insert is the transaction's first statement: it must still be inside it.
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await insert_rows(session, VIA_BULK, rows(150), copy_from=1)
            raise RuntimeError("roll back")
    assert await stored(sessions, VIA_BULK) == []
    async with sessions() as session, session.begin():
        await insert_rows(session, VIA_BULK, rows(150), copy_from=1)
        await session.execute(insert(VIA_CORE), rows(1))
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(VIA_BULK)) == 150


async def test_a_duplicate_key_raises_integrity_error_and_writes_nothing(sessions, engine):
    async with sessions() as session, session.begin():
        await insert_rows(session, VIA_BULK, rows(1))
    with pytest.raises(exc.IntegrityError):
        async with sessions() as session, session.begin():
            await insert_rows(session, VIA_BULK, rows(120), copy_from=1)
    assert len(await stored(sessions, VIA_BULK)) == 1


async def test_rows_of_one_column_take_the_defaults_of_the_others(sessions, engine):
    notes = Table(
        "notes_bulk",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("kind", String(20), default="plain"),
        Column("at", DateTime(timezone=True), default=lambda: datetime(2026, 9, 1, tzinfo=UTC)),
    )
    async with engine.begin() as conn:
        await conn.run_sync(notes.create)
    async with sessions() as session, session.begin():
        await insert_rows(session, notes, [{"id": f"n-{i:03d}"} for i in range(120)], copy_from=1)
    written = await stored(sessions, notes)
    assert len(written) == 120
    postgres = engine.dialect.driver == "asyncpg"
    assert written[0] == (
        ("n-000", "plain", datetime(2026, 9, 1, tzinfo=UTC))
        if postgres
        else ("n-000", "plain", datetime(2026, 9, 1))
    )


async def test_nothing_to_insert_is_no_statement(sessions):
    async with sessions() as session, session.begin():
        await insert_rows(session, VIA_BULK, [])
    assert await stored(sessions, VIA_BULK) == []
