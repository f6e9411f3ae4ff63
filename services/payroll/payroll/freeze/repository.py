"""Pay facts and the runs that price them take turns.

A run computes its payslips, and later checks nothing changed before it locks, under an
exclusive hold; every writer of pay facts (event handlers, pay profiles, funder shares) takes a
shared hold first. So a grade change either lands before a run's check (and the run is stale,
to be recomputed) or after the lock (and it sees the closed period, owing arrears): never in
between, where it would be lost. On PostgreSQL these are transaction-level advisory locks; on
SQLite every writing transaction already holds the database's single write lock.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

FACTS_LOCK = 0x70617972  # "payr": one key for payroll's facts, in this service's own database


async def facts_changing(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": FACTS_LOCK}
        )


async def facts_frozen(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FACTS_LOCK})
