"""The writes every feature's repository makes the same way (STYLE.md, habit 4).

A feature's `repository.py` is a module of functions taking the session first; it re-exports
these (`from union_shared.repository import add as add`), so its callers write
`repository.add(session, row)` whatever the table.

They flush and never commit: the request's session dependency, or the event handler's unit of
work, owns the transaction (habit 3). The flush sends the statement at once, so a broken
constraint fails in the use case that caused it, and later statements of the same transaction
see the row.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def add_all(session: AsyncSession, rows: Iterable[object]) -> None:
    session.add_all(rows)
    await session.flush()


async def flush(session: AsyncSession) -> None:
    """Send the changes made to rows already loaded (an UPDATE), as `add` sends new rows."""
    await session.flush()
