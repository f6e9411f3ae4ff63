"""The reads behind the dashboard and the stage exports."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Application, Posting, Score
from recruitment.scores.kinds import ScoreKind


def _postings_under(root: str | None):
    query = select(Posting.id)
    return (
        query if root is None else query.where(Posting.unit_path.startswith(root, autoescape=True))
    )


async def status_counts(
    session: AsyncSession, campaign_id: str, root: str | None
) -> dict[tuple[str, str], int]:
    """(posting id, status) -> applications, for the postings under `root` (all when None)."""
    query = (
        select(Application.posting_id, Application.status, func.count())
        .where(Application.campaign_id == campaign_id)
        .group_by(Application.posting_id, Application.status)
    )
    if root is not None:
        query = query.where(Application.posting_id.in_(_postings_under(root)))
    return {(p, s): n for p, s, n in (await session.execute(query)).all()}


async def stage_rows(
    session: AsyncSession, campaign_id: str, root: str | None, statuses: Iterable[str] | None
) -> list[tuple[Application, str, dict[str, object]]]:
    """Applications with their posting's code and their written and interview scores, by
    posting code then rank then id."""
    query = (
        select(Application, Posting.code)
        .join(Posting, Posting.id == Application.posting_id)
        .where(Application.campaign_id == campaign_id)
        .order_by(Posting.code, Application.rank.is_(None), Application.rank, Application.id)
    )
    if root is not None:
        query = query.where(Posting.unit_path.startswith(root, autoescape=True))
    if statuses is not None:
        query = query.where(Application.status.in_(list(statuses)))
    rows = (await session.execute(query)).all()
    ids = [a.id for a, _ in rows]
    scores: dict[str, dict[str, object]] = {i: {} for i in ids}
    kinds = [ScoreKind.WRITTEN.value, ScoreKind.INTERVIEW.value]
    for start in range(0, len(ids), 5000):
        found = select(Score.application_id, Score.kind, Score.value).where(
            Score.application_id.in_(ids[start : start + 5000]), Score.kind.in_(kinds)
        )
        for application_id, kind, value in (await session.execute(found)).all():
            scores[application_id][kind] = value
    return [(a, code, scores[a.id]) for a, code in rows]
