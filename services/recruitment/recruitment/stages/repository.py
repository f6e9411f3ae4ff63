"""Every SQL statement the stages make: a posting's applications and their scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Application, Score
from union_shared.repository import add as add
from union_shared.repository import add_all as add_all
from union_shared.repository import flush as flush


async def of_posting(
    session: AsyncSession, posting_id: str, statuses: Iterable[str] | None = None
) -> list[Application]:
    query = select(Application).where(Application.posting_id == posting_id)
    if statuses is not None:
        query = query.where(Application.status.in_(list(statuses)))
    query = query.order_by(Application.id).with_for_update()
    return list((await session.scalars(query)).all())


async def scores(
    session: AsyncSession, application_ids: list[str], kinds: Iterable[str]
) -> dict[str, dict[str, Score]]:
    """application id -> kind -> its score row."""
    found: dict[str, dict[str, Score]] = defaultdict(dict)
    kinds = list(kinds)
    for start in range(0, len(application_ids), 5000):
        chunk = application_ids[start : start + 5000]
        query = select(Score).where(Score.application_id.in_(chunk), Score.kind.in_(kinds))
        for row in (await session.scalars(query)).all():
            found[row.application_id][row.kind] = row
    return found


def value(row: Score | None) -> Decimal | None:
    return None if row is None else row.value


async def owners(session: AsyncSession, application_id: str) -> tuple[str, str] | None:
    """The campaign and posting ids of an application, read without loading (or locking) the
    application itself, so a caller can lock them first (recruitment.stages.locks)."""
    query = select(Application.campaign_id, Application.posting_id).where(
        Application.id == application_id
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])
