"""Every SQL statement about policy versions and unit assignments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from grading.models import PolicyAssignment, PolicyVersion
from union_shared.repository import add as add


async def versions(session: AsyncSession, policy_id: str | None = None) -> list[PolicyVersion]:
    query = select(PolicyVersion).order_by(PolicyVersion.policy_id, PolicyVersion.version)
    if policy_id is not None:
        query = query.where(PolicyVersion.policy_id == policy_id)
    return list((await session.scalars(query)).all())


async def assignments(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(PolicyAssignment.unit_id, PolicyAssignment.policy_id))
    return {unit_id: policy_id for unit_id, policy_id in rows.all()}


async def assignment(session: AsyncSession, unit_id: str) -> PolicyAssignment | None:
    return await session.get(PolicyAssignment, unit_id)
