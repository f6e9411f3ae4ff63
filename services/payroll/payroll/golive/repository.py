"""Every SQL statement about go-live months and the pay declared for the months before them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import DeclaredPay, GoLive, PayRun, PayWorker
from union_shared.repository import add as add
from union_shared.repository import add_all as add_all

LOCKED = "locked"


async def go_lives(session: AsyncSession, unit_ids: Sequence[str]) -> dict[str, str]:
    query = select(GoLive.unit_id, GoLive.period).where(GoLive.unit_id.in_(list(unit_ids)))
    return {row.unit_id: row.period for row in await session.execute(query)}


async def go_live(session: AsyncSession, unit_id: str) -> GoLive | None:
    return await session.get(GoLive, unit_id)


async def locked_before(
    session: AsyncSession, path: str, chain: Sequence[str], period: str
) -> list[PayRun]:
    """Locked runs before `period` that paid the subtree at `path` or part of it (a run of the
    unit, of a unit under it, or of one above it), oldest first."""
    query = (
        select(PayRun)
        .where(
            PayRun.status == LOCKED,
            PayRun.period < period,
            or_(PayRun.unit_path.startswith(path, autoescape=True), PayRun.unit_id.in_(chain)),
        )
        .order_by(PayRun.period)
    )
    return list((await session.scalars(query)).all())


async def declared_from(session: AsyncSession, path: str, period: str) -> list[Row]:
    """Per worker now under the subtree at `path`, the first month declared at `period` or
    later (worker_id, unit_id, unit_path, period)."""
    query = (
        select(
            DeclaredPay.worker_id, PayWorker.unit_id, PayWorker.unit_path,
            func.min(DeclaredPay.period).label("period"),
        )
        .join(PayWorker, PayWorker.worker_id == DeclaredPay.worker_id)
        .where(PayWorker.unit_path.startswith(path, autoescape=True), DeclaredPay.period >= period)
        .group_by(DeclaredPay.worker_id, PayWorker.unit_id, PayWorker.unit_path)
    )  # fmt: skip
    return list((await session.execute(query)).all())


async def workers(session: AsyncSession, worker_ids: Sequence[str]) -> dict[str, PayWorker]:
    query = select(PayWorker).where(PayWorker.worker_id.in_(list(worker_ids)))
    return {w.worker_id: w for w in (await session.scalars(query)).all()}


async def declarations(
    session: AsyncSession, worker_ids: Sequence[str]
) -> dict[tuple[str, str], DeclaredPay]:
    query = select(DeclaredPay).where(DeclaredPay.worker_id.in_(list(worker_ids)))
    return {(d.worker_id, d.period): d for d in (await session.scalars(query)).all()}


async def declared_of(session: AsyncSession, worker_id: str) -> list[DeclaredPay]:
    query = (
        select(DeclaredPay).where(DeclaredPay.worker_id == worker_id).order_by(DeclaredPay.period)
    )
    return list((await session.scalars(query)).all())
