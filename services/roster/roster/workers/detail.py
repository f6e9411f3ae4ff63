"""A worker's whole file in one reply: the record and everything recorded about them."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.appraisals import repository as appraisals
from roster.appraisals.schemas import AppraisalRead
from roster.contracts import repository as contracts
from roster.contracts.schemas import ContractRead
from roster.honours.repository import awards, posts
from roster.honours.schemas import AwardRead, PostHeldRead
from roster.training.repository import mentorships, trainings
from roster.training.schemas import TrainingRead, WorkerMentorshipRead
from roster.workers import repository
from roster.workers.schemas import AuditEntry, EmploymentRead, HistoryEntry, WorkerRead
from union_shared.auth import Caller, Role
from union_shared.identifiers import mask_identifiers


class WorkerDetail(BaseModel):
    worker: WorkerRead
    as_of: date
    on_probation: bool = Field(description="Whether a contract's probation covers the as-of date.")
    employments: list[EmploymentRead] = Field(
        description="Every employment episode, first first: more than one after a re-hire."
    )
    contracts: list[ContractRead]
    appraisals: list[AppraisalRead] = Field(description="Every revision; the highest is in force.")
    trainings: list[TrainingRead]
    mentorships: list[WorkerMentorshipRead]
    awards: list[AwardRead]
    posts_held: list[PostHeldRead]
    history: list[HistoryEntry]
    audit: list[AuditEntry]


async def worker_detail(
    session: AsyncSession, caller: Caller, worker_id: str, as_of: date
) -> WorkerDetail:
    worker = await scope.worker_in_scope(session, caller, worker_id)
    reveal = caller.sees_identifiers or caller.role is Role.WORKER
    its_contracts = await contracts.for_worker(session, worker_id)
    return WorkerDetail(
        worker=WorkerRead.of(worker, reveal=reveal),
        as_of=as_of,
        on_probation=any(
            c.probation_end is not None and c.start_date <= as_of <= c.probation_end
            for c in its_contracts
        ),
        employments=[
            EmploymentRead.model_validate(e)
            for e in await repository.employments(session, worker_id)
        ],
        contracts=[ContractRead.model_validate(c) for c in its_contracts],
        appraisals=[
            AppraisalRead.model_validate(a) for a in await appraisals.for_worker(session, worker_id)
        ],
        trainings=[
            TrainingRead.model_validate(t) for t in await trainings.for_worker(session, worker_id)
        ],
        mentorships=[
            WorkerMentorshipRead.of(m, worker_id)
            for m in await mentorships.for_worker(session, worker_id)
        ],
        awards=[AwardRead.model_validate(a) for a in await awards.for_worker(session, worker_id)],
        posts_held=[
            PostHeldRead.model_validate(p) for p in await posts.for_worker(session, worker_id)
        ],
        history=[
            _masked_unless(reveal, HistoryEntry.model_validate(e), "details")
            for e in await repository.history(session, worker_id)
        ],
        audit=[
            _masked_unless(reveal, AuditEntry.model_validate(dict(r._mapping)), "changes")
            for r in await repository.audit_trail(session, worker_id)
        ],
    )


_Entry = TypeVar("_Entry", HistoryEntry, AuditEntry)


def _masked_unless(reveal: bool, entry: _Entry, field: str) -> _Entry:
    """Audit changes and history details carry old and new phones (and whatever else was
    changed): masked by the same rule as the worker's own fields."""
    if not reveal:
        setattr(entry, field, mask_identifiers(getattr(entry, field)))
    return entry
