"""Use cases of training: record and list a worker's training, their open training alerts, and
mentoring pairs (帮带制): pair two workers, end a pair, list a worker's pairs."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.ids import new_id
from roster.models import Mentorship, Training, Worker
from roster.rules.policy import RosterRules, rules_on
from roster.training import repository
from roster.training.domain import (
    Pairing,
    TrainingAlert,
    TrainingDone,
    TrainingKind,
    TrainingRefused,
    check_can_pair,
    check_pair_end,
    check_pairing,
    check_training,
    clashing_pair,
    open_training_alerts,
)
from roster.training.repository import mentorships, trainings
from roster.training.schemas import MentorshipCreate, MentorshipEnd, TrainingCreate
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller
from union_shared.clock import utc_now
from union_shared.errors import InvalidInput, NotFound


def _rules(as_of: date) -> RosterRules:
    try:
        return rules_on(as_of)
    except LookupError:
        raise InvalidInput.on_field("query.as_of", f"no roster rules in force on {as_of}") from None


async def record_training(
    session: AsyncSession, caller: Caller, worker_id: str, data: TrainingCreate
) -> Training:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    check_training(data.kind, data.start_date, data.end_date, worker.hire_date, worker.left_on)
    training = Training(
        id=new_id(),
        worker_id=worker.id,
        **data.model_dump(),
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await trainings.add(session, training)
    await record_audit(
        session,
        caller,
        "training.recorded",
        "training",
        training.id,
        worker_id=worker.id,
        changes=data.model_dump(mode="json"),  # hours as "16.5", never a float
    )
    return training


async def list_trainings(session: AsyncSession, caller: Caller, worker_id: str) -> list[Training]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await trainings.for_worker(session, worker_id)


async def training_alerts(
    session: AsyncSession, caller: Caller, worker_id: str, as_of: date
) -> list[TrainingAlert]:
    worker = await scope.worker_in_scope(session, caller, worker_id)
    done = [
        TrainingDone(TrainingKind(t.kind), t.end_date)
        for t in await trainings.for_worker(session, worker_id)
    ]
    return open_training_alerts(worker.hire_date, worker.left_on, done, as_of, _rules(as_of))


async def _pair_member(session: AsyncSession, caller: Caller, field: str, worker_id: str) -> Worker:
    """A worker named in the body: refused naming the field when there is no such worker."""
    if await repository.worker(session, worker_id) is None:
        raise InvalidInput.on_field(f"body.{field}", f"no worker {worker_id}")
    return await scope.worker_in_scope(session, caller, worker_id)


async def _audit_pair(
    session: AsyncSession, caller: Caller, pair: Mentorship, action: str, changes: dict
) -> None:
    """One audit entry in each worker's trail: the pair changes both files."""
    for worker_id, role in ((pair.mentor_id, "mentor"), (pair.mentee_id, "mentee")):
        await record_audit(
            session,
            caller,
            action,
            "mentorship",
            pair.id,
            worker_id=worker_id,
            changes={**changes, "role": role},
        )


async def pair(session: AsyncSession, caller: Caller, data: MentorshipCreate) -> Mentorship:
    caller.require(*HR_WRITERS)
    new = Pairing(data.mentor_id, data.mentee_id, data.start_date, data.end_date)
    check_pairing(new)
    mentor = await _pair_member(session, caller, "mentor_id", data.mentor_id)
    mentee = await _pair_member(session, caller, "mentee_id", data.mentee_id)
    check_can_pair(mentor.status, mentee.status)
    await repository.lock_worker(session, mentee.id)
    existing = await mentorships.between(session, mentor.id, mentee.id)
    held = [Pairing(p.mentor_id, p.mentee_id, p.start_date, p.end_date) for p in existing]
    if (clash := clashing_pair(new, held)) is not None:
        until = f"until {clash.end}" if clash.end else "and is still open"
        raise TrainingRefused(
            None, f"this mentor already mentors this mentee: a pair from {clash.start} {until}"
        )
    mentorship = Mentorship(
        id=new_id(),
        **data.model_dump(),
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await mentorships.add(session, mentorship)
    await _audit_pair(session, caller, mentorship, "mentorship.started", data.model_dump())
    return mentorship


async def end_pair(
    session: AsyncSession, caller: Caller, mentorship_id: str, data: MentorshipEnd
) -> Mentorship:
    caller.require(*HR_WRITERS)
    mentorship = await mentorships.get_for_change(session, mentorship_id)
    if mentorship is None:
        raise NotFound(f"no mentoring pair {mentorship_id}")
    await scope.worker_in_scope(session, caller, mentorship.mentor_id)
    await scope.worker_in_scope(session, caller, mentorship.mentee_id)
    check_pair_end(mentorship.start_date, mentorship.end_date, data.end_date)
    mentorship.end_date = data.end_date
    await repository.flush(session)
    changes = {"end_date": {"from": None, "to": data.end_date}}
    await _audit_pair(session, caller, mentorship, "mentorship.ended", changes)
    return mentorship


async def list_pairs(session: AsyncSession, caller: Caller, worker_id: str) -> list[Mentorship]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await mentorships.for_worker(session, worker_id)
