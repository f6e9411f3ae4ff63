"""Pay facts and the runs that price them take turns, and every change of facts is numbered.

A run computes its payslips, and later checks nothing changed before it locks, under an
exclusive hold; every writer of pay facts (event handlers, pay profiles, funder shares) takes a
shared hold first. So a grade change either lands before a run's check (and the run is stale,
to be recomputed) or after the lock (and it sees the closed period, owing arrears): never in
between, where it would be lost. On PostgreSQL these are transaction-level advisory locks; on
SQLite every writing transaction already holds the database's single write lock.

Which changes came after a run was computed is told by the pay-fact sequence, never by
timestamps: replicas' clocks disagree and may step back. Each writer records its change with
the sequence's next value (`record_change`), the run takes one when it computes, and the holds above
guarantee that a change numbered below the run's value committed before the run read the facts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import FACT_SEQ, FactChange, fact_seq_counter
from union_shared.clock import utc_now
from union_shared.repository import add

FACTS_LOCK = 0x70617972  # "payr": one key for payroll's facts, in this service's own database


async def facts_changing(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": FACTS_LOCK}
        )


async def facts_frozen(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FACTS_LOCK})


async def next_fact_seq(session: AsyncSession) -> int:
    """The pay-fact sequence's next value: a PostgreSQL SEQUENCE, on SQLite a one-row counter
    (writers there are serialised by the database's write lock, so it never hands a value twice
    and never goes back)."""
    if session.bind.dialect.name == "postgresql":
        return int(await session.scalar(text(f"SELECT nextval('{FACT_SEQ}')")))
    counter = fact_seq_counter.c
    bumped = update(fact_seq_counter).values(value=counter.value + 1).returning(counter.value)
    return int(await session.scalar(bumped))


async def record_change(
    session: AsyncSession,
    kind: str,
    *,
    worker_id: str | None = None,
    unit_path: str | None = None,
    effective_from: date | None = None,
) -> int:
    """Record a change of pay facts under the sequence's next value, which it returns."""
    seq = await next_fact_seq(session)
    change = FactChange(
        seq=seq, kind=kind, worker_id=worker_id, unit_path=unit_path,
        effective_from=effective_from, recorded_at=utc_now(),
    )  # fmt: skip
    await add(session, change)
    return seq


async def workers_changed_after(session: AsyncSession, seq: int) -> set[str]:
    query = select(FactChange.worker_id).where(
        FactChange.seq > seq, FactChange.worker_id.is_not(None)
    )
    return set((await session.scalars(query)).all())


async def subtrees_changed_after(session: AsyncSession, seq: int) -> set[str]:
    """The unit paths moved (from and to) after `seq`."""
    query = select(FactChange.unit_path).where(
        FactChange.seq > seq, FactChange.unit_path.is_not(None)
    )
    return set((await session.scalars(query)).all())


async def funders_changed_after(session: AsyncSession, seq: int, last: date) -> bool:
    """Funder shares recorded after `seq` that take effect by `last` (any unit: rare, and a
    worker's month may cross units other than the one they end it in)."""
    query = select(
        exists().where(
            FactChange.seq > seq,
            FactChange.kind == "funder_shares",
            FactChange.effective_from <= last,
        )
    )
    return bool(await session.scalar(query))
