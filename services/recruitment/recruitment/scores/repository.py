"""Every SQL statement of score imports and scorers' declared relations."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Application, Posting, Score, ScorerRelation
from union_shared.repository import add as add
from union_shared.repository import add_all as add_all
from union_shared.repository import flush as flush

_CHUNK = 5_000  # ids per IN list, well under every driver's bound on parameters


async def applications(session: AsyncSession, ids: Iterable[str]) -> dict[str, Application]:
    wanted = [i for i in dict.fromkeys(ids) if len(i) <= 36]
    found: dict[str, Application] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(Application).where(Application.id.in_(wanted[start : start + _CHUNK]))
        found.update((row.id, row) for row in (await session.scalars(query)).all())
    return found


async def scores(session: AsyncSession, ids: list[str], kind: str) -> dict[str, Score]:
    found: dict[str, Score] = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(Score).where(
            Score.application_id.in_(ids[start : start + _CHUNK]), Score.kind == kind
        )
        found.update((row.application_id, row) for row in (await session.scalars(query)).all())
    return found


async def relations(session: AsyncSession, campaign_id: str) -> list[ScorerRelation]:
    query = (
        select(ScorerRelation)
        .where(ScorerRelation.campaign_id == campaign_id)
        .order_by(ScorerRelation.declared_at, ScorerRelation.id)
    )
    return list((await session.scalars(query)).all())


async def add_relation(session: AsyncSession, row: ScorerRelation) -> bool:
    """False when the scorer already declared a relation to this person in the campaign (the
    unique index decides); the caller's transaction must then end with the refusal."""
    try:
        await add(session, row)
    except IntegrityError:
        return False
    return True


async def applications_of_people(
    session: AsyncSession, campaign_id: str, hashes: list[str]
) -> dict[str, str]:
    """id_hash → application id, for the people of `hashes` who applied to the campaign."""
    found: dict[str, str] = {}
    for start in range(0, len(hashes), _CHUNK):
        query = select(Application.id_hash, Application.id).where(
            Application.campaign_id == campaign_id,
            Application.id_hash.in_(hashes[start : start + _CHUNK]),
        )
        found.update((h, i) for h, i in (await session.execute(query)).all())
    return found


async def withdrawn_postings(session: AsyncSession, campaign_id: str) -> set[str]:
    """The campaign's postings that were cut or merged: no result is recorded on them."""
    query = select(Posting.id).where(
        Posting.campaign_id == campaign_id, Posting.status.in_(["cut", "merged"])
    )
    return set((await session.scalars(query)).all())
