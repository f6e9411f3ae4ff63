"""Use cases of honours: record and list a worker's awards and the union posts they were elected
to."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.honours import repository
from roster.honours.domain import (
    HonourRefused,
    Post,
    Term,
    check_award_year,
    check_post_fits_unit,
    check_term,
    clashing_term,
)
from roster.honours.repository import awards, posts
from roster.honours.schemas import AwardCreate, PostHeldCreate
from roster.ids import new_id
from roster.models import Award, PostHeld, Unit
from roster.units import repository as units
from roster.units.domain import UnitKind
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, InvalidInput


async def record_award(
    session: AsyncSession, caller: Caller, worker_id: str, data: AwardCreate, today: date
) -> Award:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    check_award_year(data.year, worker.hire_date, today)
    award = Award(
        id=new_id(),
        worker_id=worker.id,
        **data.model_dump(),
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await awards.add(session, award)
    await record_audit(
        session,
        caller,
        "award.recorded",
        "award",
        award.id,
        worker_id=worker.id,
        changes=data.model_dump(mode="json"),
    )
    return award


async def list_awards(session: AsyncSession, caller: Caller, worker_id: str) -> list[Award]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await awards.for_worker(session, worker_id)


async def _electing_unit(session: AsyncSession, caller: Caller, data: PostHeldCreate) -> Unit:
    """The unit named in the body: it must exist, be the caller's, be open and hold such a post."""
    if await units.get(session, data.unit_id) is None:
        raise InvalidInput.on_field("body.unit_id", f"no unit {data.unit_id}")
    unit = await scope.unit_in_scope(session, caller, data.unit_id)
    if unit.status != "open":
        raise Conflict(f"unit {unit.id} is closed")
    check_post_fits_unit(data.post, UnitKind(unit.kind))
    return unit


async def _refuse_clash(
    session: AsyncSession, unit: Unit, worker_id: str, data: PostHeldCreate
) -> None:
    await repository.lock_unit(session, unit.id)
    held = await posts.in_unit(session, unit.id, data.post)
    new = Term(worker_id, data.post, data.term_start, data.term_end)
    terms = [Term(h.worker_id, Post(h.post), h.term_start, h.term_end) for h, _ in held]
    clash = clashing_term(new, terms)
    if clash is None:
        return
    holder = {h.worker_id: name for h, name in held}[clash.worker_id]
    raise HonourRefused(
        None,
        f"{holder} (worker {clash.worker_id}) holds the {data.post} post of {unit.name} "
        f"from {clash.start} to {clash.end}, overlapping this term",
    )


async def record_post(
    session: AsyncSession, caller: Caller, worker_id: str, data: PostHeldCreate
) -> PostHeld:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    check_term(data.term_start, data.term_end, data.elected_on)
    unit = await _electing_unit(session, caller, data)
    await _refuse_clash(session, unit, worker.id, data)
    held = PostHeld(
        id=new_id(),
        worker_id=worker.id,
        **data.model_dump(),
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await posts.add(session, held)
    await record_audit(
        session,
        caller,
        "post.recorded",
        "post_held",
        held.id,
        worker_id=worker.id,
        changes=data.model_dump(mode="json"),
    )
    return held


async def list_posts(session: AsyncSession, caller: Caller, worker_id: str) -> list[PostHeld]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await posts.for_worker(session, worker_id)
