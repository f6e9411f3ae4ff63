"""Re-evaluate a worker's grade: replay the ladder on the facts, store what changed in the
history (superseding, never deleting), and say so with GradeReevaluated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.ids import new_id
from grading.ladder.engine import evaluate
from grading.ladder.evaluation import Evaluation, GradeInterval, WorkerFacts, anniversary
from grading.models import GradedWorker
from grading.models import GradeInterval as IntervalRow
from grading.policies.service import Catalogue
from union_shared.events import Envelope, GradeReevaluated, build_event
from union_shared.events.catalogue import (
    AppraisalRef,
    Education,
    GradeChangeCause,
    GradeReason,
    GradeSpan,
    Rating,
)
from union_shared.problems import InvalidInput


@dataclass(frozen=True)
class Outcome:
    evaluation: Evaluation
    changed: bool
    event: Envelope
    standing: dict  # the worker's grade now and next review date, to store


def facts_of(worker: GradedWorker | Row, ratings: dict[int, str]) -> WorkerFacts:
    return WorkerFacts(
        hire_date=worker.hire_date,
        seniority_start=worker.seniority_start,
        education=Education(worker.education),
        appraisals={
            year: Rating(rating)
            for year, rating in ratings.items()
            if year >= worker.hire_date.year
        },
        left_on=worker.left_on,
    )


def next_review(worker: GradedWorker | Row, after: date) -> date:
    """The first day after `after` on which time alone could change the grade: a seniority or
    hire anniversary, or 1 January (post, demotion and rank rules). Runs look no further."""
    candidates = [date(after.year + 1, 1, 1)]
    for start in (worker.seniority_start, worker.hire_date):
        years = max(after.year - start.year, 0)
        day = anniversary(start, years)
        if day <= after:
            day = anniversary(start, years + 1)
        candidates.append(day)
    return min(candidates)


def _key(i: GradeInterval | IntervalRow) -> tuple[str, int, date, date | None]:
    return (i.post, i.level, i.start, i.end)


def first_difference(old: list, new: list) -> date:
    """The first day on which the two histories give different grades."""
    for o, n in zip(old, new, strict=False):
        if (o.post, o.level) != (n.post, n.level):
            return max(o.start, n.start)
        if o.end != n.end:
            ends = [e for e in (o.end, n.end) if e is not None]
            return min(ends) + timedelta(days=1)
    longer = old if len(old) > len(new) else new
    return longer[min(len(old), len(new))].start


def _grade_on(rows: list[IntervalRow], day: date) -> tuple[str | None, int | None]:
    for row in rows:
        if row.start <= day and (row.end is None or day <= row.end):
            return row.post, row.level
    return None, None


def apply(
    worker: GradedWorker | Row,
    ratings: dict[int, str],
    old: list[IntervalRow] | list[Row],
    catalogue: Catalogue,
    as_of: date,
    cause: GradeChangeCause,
    *,
    cause_event_id: str | None = None,
    appraisal: AppraisalRef | None = None,
) -> tuple[Outcome, list[str], list[dict]]:
    """Pure bookkeeping: the outcome, the history rows to supersede and the rows to insert."""
    book = catalogue.book_for_unit(worker.unit_id)
    try:
        policy = book.in_force(as_of)
    except LookupError:
        first = book.versions[0].effective_from
        raise InvalidInput.on_field(
            "as_of", f"policy {book.id} takes effect on {first}; nothing to evaluate on {as_of}"
        ) from None
    evaluation = evaluate(facts_of(worker, ratings), policy, as_of)
    new = evaluation.timeline
    same = 0
    while same < min(len(old), len(new)) and _key(old[same]) == _key(new[same]):
        same += 1
    changed = same < len(old) or same < len(new)
    now = datetime.now(UTC)
    inserts = [
        {
            "id": new_id(),
            "worker_id": worker.worker_id,
            "policy_id": policy.id,
            "policy_version": policy.version,
            "post": i.post,
            "level": i.level,
            "start": i.start,
            "end": i.end,
            "reasons": [{"rule": r.rule, "detail": r.detail} for r in i.reasons],
            "cause": cause.value,
            "cause_event_id": cause_event_id,
            "recorded_at": now,
            "superseded_at": None,
        }
        for i in new[same:]
    ]
    old_post, old_level = _grade_on(old, as_of)
    effective = first_difference(old, new) if changed else evaluation.effective_date
    payload = GradeReevaluated(
        worker_id=worker.worker_id,
        unit_id=worker.unit_id,
        policy_id=policy.id,
        policy_version=policy.version,
        cause=cause,
        appraisal=appraisal,
        old_post=old_post,
        old_level=old_level,
        new_post=evaluation.post,
        new_level=evaluation.level,
        changed=changed,
        effective_date=effective,
        reasons=[GradeReason(rule=r.rule, detail=r.detail) for r in evaluation.reasons],
        timeline=[
            GradeSpan(post=i.post, level=i.level, start=max(i.start, effective), end=i.end)
            for i in new
            if i.end is None or i.end >= effective
        ],
    )
    standing = {
        "worker_id": worker.worker_id,
        "post": evaluation.post,
        "level": evaluation.level,
        "policy_id": policy.id,
        "next_review_on": next_review(worker, as_of) if worker.status == "active" else None,
        "updated_at": now,
    }
    event = build_event(payload, subject=worker.worker_id, source="grading")
    return Outcome(evaluation, changed, event, standing), [r.id for r in old[same:]], inserts


async def reevaluate(
    session: AsyncSession,
    worker: GradedWorker,
    catalogue: Catalogue,
    as_of: date,
    cause: GradeChangeCause,
    *,
    cause_event_id: str | None = None,
    appraisal: AppraisalRef | None = None,
) -> Outcome:
    ratings = await repository.ratings(session, worker.worker_id)
    old = await repository.history(session, worker.worker_id)
    outcome, superseded, inserts = apply(
        worker,
        ratings,
        old,
        catalogue,
        as_of,
        cause,
        cause_event_id=cause_event_id,
        appraisal=appraisal,
    )
    for field, value in outcome.standing.items():
        setattr(worker, field, value)
    if superseded:
        await repository.supersede(session, superseded, datetime.now(UTC))
    if inserts:
        await repository.insert_intervals(session, inserts)
    return outcome


def evaluation_day(today: date, worker: GradedWorker) -> date:
    """Events are evaluated as of today, or the hire date for a worker who starts later."""
    day = max(today, worker.hire_date)
    if worker.left_on is not None:
        day = min(day, worker.left_on)
    return day
