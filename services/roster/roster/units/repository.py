"""Every SQL statement about units."""

from __future__ import annotations

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Unit, Worker
from union_shared.repository import add as add


async def get(session: AsyncSession, unit_id: str) -> Unit | None:
    return await session.get(Unit, unit_id)


async def paths(session: AsyncSession, unit_ids: list[str]) -> dict[str, str]:
    rows = await session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids)))
    return {unit_id: path for unit_id, path in rows.all()}


async def subtree(session: AsyncSession, root_path: str, include_closed: bool) -> list[Unit]:
    query = select(Unit).where(Unit.path.startswith(root_path, autoescape=True)).order_by(Unit.path)
    if not include_closed:
        query = query.where(Unit.status == "open")
    return list((await session.scalars(query)).all())


async def repath_subtree(session: AsyncSession, old_prefix: str, new_prefix: str) -> None:
    """Rewrite the materialised path of a moved unit and everything under it."""
    await session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_prefix, autoescape=True))
        .values(path=literal(new_prefix) + func.substr(Unit.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )


async def open_children(session: AsyncSession, unit_id: str) -> int:
    query = select(func.count()).where(Unit.parent_id == unit_id, Unit.status == "open")
    return (await session.execute(query)).scalar_one()


async def workers_in(session: AsyncSession, unit_id: str) -> int:
    query = select(func.count()).where(Worker.unit_id == unit_id, Worker.status != "left")
    return (await session.execute(query)).scalar_one()
