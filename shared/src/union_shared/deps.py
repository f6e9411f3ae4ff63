"""Typed dependency aliases shared by every service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.db import READ_ONLY_OPTIONS


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed before the response is sent, else rolled back.

    GET and HEAD get a read-only transaction: no write lock on SQLite, READ ONLY on PostgreSQL.
    """
    async with request.app.state.sessions() as session, session.begin():
        if request.method in ("GET", "HEAD"):
            await session.connection(execution_options=READ_ONLY_OPTIONS)
        yield session


# scope="function": the commit happens before the reply leaves, so a 2xx means it is durable.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


# Both are `async def` though they never await: FastAPI runs a plain `def` dependency in its
# thread pool, a hand-off per request for a clock read.
async def _today(request: Request) -> date:
    return request.app.state.clock.today()


# Today in the platform's time zone, by the app's clock (union_shared.clock).
TodayDep = Annotated[date, Depends(_today)]


async def _now(request: Request) -> datetime:
    return request.app.state.clock.now()


# The instant now (timezone-aware UTC), by the app's clock: a test may pin it.
NowDep = Annotated[datetime, Depends(_now)]
