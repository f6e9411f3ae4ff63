"""A grade re-evaluation reaches pay: replace the grade spans from the effective date on
(superseding, never deleting), price the change, owe arrears for closed months, and say so
with PayrollAdjusted in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.domain import (
    ZERO,
    Span,
    arrears_for,
    grade_on,
    monthly_gross,
    months_between,
    months_served,
    next_period,
    parse_period,
    period_of,
    priced_period,
    replace_from,
)
from payroll.ids import new_id
from payroll.models import GradeSpan as SpanRow
from payroll.models import PayWorker
from payroll.pay.arrears import Arrears
from payroll.pay.earnings import Employment, Period
from payroll.pay.policy import PolicyBook
from payroll.periods import repository as periods
from payroll.workers import repository
from union_shared.audit import SYSTEM_ACTOR, record_audit
from union_shared.events import Envelope, GradeReevaluated, PayrollAdjusted, build_event
from union_shared.events.catalogue import Qualification
from union_shared.messaging.outbox import record_events
from union_shared.money import to_fen


def unit_ids_of(worker: PayWorker) -> list[str]:
    """The worker's unit and every unit above it: a lock on any of them closes the period."""
    return [u for u in (worker.unit_path or "").split("/") if u] or [worker.unit_id]


def timeline_of(data: GradeReevaluated) -> list[Span]:
    spans = [Span(data.policy_id, s.post, s.level, s.start, s.end) for s in data.timeline]
    # An event without a timeline still says the grade from the effective date on.
    return spans or [Span(data.policy_id, data.new_post, data.new_level, data.effective_date, None)]


def _span(row: SpanRow) -> Span:
    return Span(row.policy_id, row.post, row.level, row.start, row.end)


async def apply_reevaluation(
    session: AsyncSession,
    worker: PayWorker,
    book: PolicyBook,
    envelope: Envelope,
    data: GradeReevaluated,
    today: date,
) -> None:
    rows = await repository.spans(session, worker.worker_id)
    old = [_span(r) for r in rows]
    change = replace_from(old, data.effective_date, timeline_of(data))
    if not change.changed and data.appraisal is None:
        return  # a repeat of what payroll already holds: nothing to pay, nothing to say
    now = datetime.now(UTC)
    await _store_spans(session, worker, rows, change.superseded, change.inserted, envelope.id, now)
    qualification = Qualification(worker.qualification)
    priced = priced_period(book, data.effective_date)
    latest = await periods.latest_locked(session, unit_ids_of(worker))
    pay_in = next_period(parse_period(latest)) if latest else period_of(today)
    owed = ZERO
    if change.changed and latest is not None:
        closed = months_between(period_of(data.effective_date), parse_period(latest))
        employment = Employment(hired_on=worker.hire_date, left_on=worker.left_on)
        found = arrears_for(book, employment, qualification, old, change.after, closed)
        owed = found.total
        await _store_arrears(session, worker, found, pay_in, envelope.id, now)
    adjusted = PayrollAdjusted(
        worker_id=worker.worker_id,
        effective_date=data.effective_date,
        old_monthly_gross=monthly_gross(
            book, grade_on(old, data.effective_date), priced, qualification
        ),
        new_monthly_gross=monthly_gross(
            book, grade_on(change.after, data.effective_date), priced, qualification
        ),
        arrears=owed,
        arrears_period=str(pay_in) if owed != 0 else None,
        annual_bonus=_bonus(book, worker, data, pay_in),
        cause_event_id=envelope.id,
    )
    await record_events(
        session, [build_event(adjusted, subject=worker.worker_id, source="payroll")]
    )


async def _store_spans(
    session: AsyncSession,
    worker: PayWorker,
    rows: list[SpanRow],
    superseded: tuple[int, ...],
    inserted: tuple[Span, ...],
    cause_event_id: str,
    now: datetime,
) -> None:
    if not superseded and not inserted:
        return
    await repository.supersede_spans(session, [rows[i].id for i in superseded], now)
    await repository.insert_spans(
        session,
        [
            {
                "id": new_id(),
                "worker_id": worker.worker_id,
                "policy_id": s.ladder,
                "post": s.post,
                "level": s.level,
                "start": s.start,
                "end": s.end,
                "cause_event_id": cause_event_id,
                "recorded_at": now,
                "superseded_at": None,
            }
            for s in inserted
        ],
    )
    await record_audit(
        session,
        SYSTEM_ACTOR,
        "grade_spans.replaced",
        "worker",
        worker.worker_id,
        worker_id=worker.worker_id,
        changes={
            "superseded": [_describe(_span(rows[i])) for i in superseded],
            "inserted": [_describe(s) for s in inserted],
        },
        reason=f"GradeReevaluated {cause_event_id}",
    )


def _describe(span: Span) -> str:
    return f"{span.post} {span.level} ({span.ladder}) {span.start} to {span.end or 'open'}"


async def _store_arrears(
    session: AsyncSession,
    worker: PayWorker,
    found: Arrears,
    pay_in: Period,
    cause_event_id: str,
    now: datetime,
) -> None:
    lines = [
        {
            "id": new_id(),
            "worker_id": worker.worker_id,
            "for_period": str(month.period),
            "pay_in_period": str(pay_in),
            "amount_fen": to_fen(month.difference),
            "detail": month.model_dump(mode="json"),
            "cause_event_id": cause_event_id,
            "recorded_at": now,
        }
        for month in found.months
        if month.difference != 0
    ]
    await repository.insert_arrears(session, lines)
    if lines:
        await record_audit(
            session,
            SYSTEM_ACTOR,
            "arrears.owed",
            "worker",
            worker.worker_id,
            worker_id=worker.worker_id,
            changes={"total": found.total, "pay_in_period": str(pay_in), "months": len(lines)},
            reason=found.explanation(),
        )


def _bonus(
    book: PolicyBook, worker: PayWorker, data: GradeReevaluated, pay_in: Period
) -> Decimal | None:
    """The annual appraisal bonus by the bands of the policy governing the period paying it."""
    if data.appraisal is None:
        return None
    policy = book.in_force(max(pay_in.first_day, book.versions[0].effective_from))
    served = months_served(worker.hire_date, worker.left_on, data.appraisal.year)
    return policy.annual_bonus.amount(data.appraisal.rating, served)
