"""A grade re-evaluation reaches pay: replace the grade spans from the effective date on
(superseding, never deleting), price the change, owe arrears for closed months, and say so
with PayrollAdjusted in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.domain import (
    ZERO,
    Owed,
    PaidBefore,
    Span,
    bonus_correction,
    grade_on,
    monthly_gross,
    months_between,
    months_served_in,
    next_period,
    owed_for,
    parse_period,
    period_of,
    previous_period,
    priced_period,
    replace_from,
)
from payroll.freeze import record_change
from payroll.golive import repository as golive
from payroll.golive.service import go_live_of_worker
from payroll.ids import new_id
from payroll.models import BonusEntitlement, PayWorker
from payroll.models import GradeSpan as SpanRow
from payroll.pay.arrears import Arrears, compute_arrears
from payroll.pay.earnings import Period
from payroll.pay.policy import PolicyBook
from payroll.periods import repository as periods
from payroll.workers import repository
from union_shared.audit import SYSTEM_ACTOR, record_audit
from union_shared.clock import utc_now
from union_shared.events import Envelope, GradeReevaluated, PayrollAdjusted, build_event
from union_shared.events.catalogue import MonthNotOwed
from union_shared.events.envelope import event_scope
from union_shared.messaging.outbox import record_events
from union_shared.money import from_fen, to_fen
from union_shared.vocabulary import Qualification


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
    now = utc_now()
    qualification = Qualification(worker.qualification)
    latest = await periods.latest_locked(session, unit_ids_of(worker))
    go_live = await go_live_of_worker(session, worker)
    pay_in = next_period(parse_period(latest)) if latest else period_of(today)
    if go_live is not None and str(pay_in) < go_live:
        pay_in = parse_period(go_live)  # the first month the platform pays them
    bonus = await _entitle(session, book, worker, data, pay_in, envelope.id, now)
    if not change.changed and not bonus.new:
        return  # a repeat of what payroll already holds: nothing to pay, nothing to say
    await record_change(session, "grade", worker_id=worker.worker_id)
    await _store_spans(session, worker, rows, change.superseded, change.inserted, envelope.id, now)
    priced = priced_period(book, data.effective_date)
    owed, found = ZERO, Owed(compute_arrears(book, []), ())
    closed = _closed_months(data.effective_date, latest, go_live)
    if change.changed and closed:
        paid = await _paid_before(session, worker.worker_id, closed, go_live)
        # Each closed month is re-priced in the episode covering it; the gap owes nothing.
        episodes = await repository.employments_of(session, worker)
        found = owed_for(book, episodes, qualification, old, change.after, closed, paid)
        owed = found.arrears.total
        await _store_arrears(session, worker, found.arrears, pay_in, envelope.id, now)
        await _report_not_owed(session, worker, found, envelope.id)
    if bonus.correction is not None:
        owed += bonus.correction.total
        await _store_arrears(session, worker, bonus.correction, pay_in, envelope.id, now)
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
        annual_bonus=bonus.amount,
        cause_event_id=envelope.id,
        months_not_owed=[
            MonthNotOwed(period=str(n.period), reason=n.reason) for n in found.not_owed
        ],
        arrears_note=found.note(),
    )
    await record_events(
        session, [build_event(adjusted, subject=worker.worker_id, source="payroll")]
    )


def _closed_months(effective: date, latest: str | None, go_live: str | None) -> list[Period]:
    """The months from the change's on that are closed: up to the latest locked for the worker's
    units, and every month before their go-live (paid outside the platform)."""
    last = [parse_period(latest)] if latest else []
    if go_live is not None:
        last.append(previous_period(parse_period(go_live)))
    if not last:
        return []
    return months_between(period_of(effective), max(last, key=lambda p: (p.year, p.month)))


async def _paid_before(
    session: AsyncSession, worker_id: str, closed: list[Period], go_live: str | None
) -> PaidBefore:
    first, last = str(closed[0]), str(closed[-1])
    on_platform = await repository.paid_periods(session, worker_id, first, last)
    owed_since: dict[str, int] = {}
    for line in await repository.arrears(session, worker_id):
        owed_since[line.for_period] = owed_since.get(line.for_period, 0) + line.amount_fen
    declared = {
        row.period: (from_fen(row.gross_fen), from_fen(owed_since.get(row.period, 0)))
        for row in await golive.declared_of(session, worker_id)
        if first <= row.period <= last
    }
    return PaidBefore(
        on_platform=frozenset(on_platform),
        declared=declared,
        go_live=parse_period(go_live) if go_live else None,
    )


async def _report_not_owed(
    session: AsyncSession, worker: PayWorker, found: Owed, cause_event_id: str
) -> None:
    if found.not_owed:
        await record_audit(
            session, SYSTEM_ACTOR, "arrears.not_owed", "worker", worker.worker_id,
            worker_id=worker.worker_id,
            changes={"months": {str(n.period): n.reason for n in found.not_owed}},
            reason=f"GradeReevaluated {cause_event_id}: {found.note()}",
        )  # fmt: skip


async def reevaluate_or_park(
    session: AsyncSession, book: PolicyBook, envelope: Envelope, data: GradeReevaluated, today: date
) -> None:
    worker = await repository.worker(session, data.worker_id, lock=True)
    if worker is None:
        # Not onboarded yet (the two topics are not ordered with each other): keep the event
        # and apply it when WorkerOnboarded arrives, rather than losing it to the DLQ.
        await repository.park(session, data.worker_id, envelope.model_dump(mode="json"))
        return
    await apply_reevaluation(session, worker, book, envelope, data, today)


async def apply_parked(session: AsyncSession, worker: PayWorker, book: PolicyBook, today: date):
    """Grading's topic may have run ahead of the roster's: apply what waited for this worker."""
    for parked in await repository.unpark(session, worker.worker_id):
        waiting = Envelope.model_validate(parked.envelope)
        payload = GradeReevaluated.model_validate(waiting.data)
        with event_scope(waiting):
            await apply_reevaluation(session, worker, book, waiting, payload, today)


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


@dataclass(frozen=True)
class BonusOutcome:
    amount: Decimal | None  # the bonus the appraisal earns (None: the event carries none)
    new: bool  # the entitlement changed (a first rating, or a revision with another rating)
    correction: Arrears | None  # the difference owed when a locked run already paid the bonus


async def _entitle(
    session: AsyncSession,
    book: PolicyBook,
    worker: PayWorker,
    data: GradeReevaluated,
    pay_in: Period,
    cause_event_id: str,
    now: datetime,
) -> BonusOutcome:
    """Record what the appraisal's rating earns. The next run pays it; if a locked run already
    paid a bonus for that year, the difference is owed as a correction line (by the bands of the
    policy that priced the payment), paid in the next open period."""
    if data.appraisal is None:
        return BonusOutcome(None, False, None)
    appraisal = data.appraisal
    served = months_served_in(await repository.employments_of(session, worker), appraisal.year)
    policy = book.in_force(max(pay_in.first_day, book.versions[0].effective_from))
    amount = policy.annual_bonus.amount(appraisal.rating, served)
    current = await repository.entitlement(session, worker.worker_id, appraisal.year)
    if current is not None and (
        current.revision > appraisal.revision or current.rating == appraisal.rating.value
    ):
        return BonusOutcome(amount, False, None)  # a late older revision, or the same rating
    if current is not None:
        current.superseded_at = now
    await repository.add(
        session,
        BonusEntitlement(
            id=new_id(),
            worker_id=worker.worker_id,
            appraisal_year=appraisal.year,
            rating=appraisal.rating.value,
            revision=appraisal.revision,
            cause_event_id=cause_event_id,
            recorded_at=now,
            superseded_at=None,
        ),
    )
    paid = await repository.bonus_paid(session, worker.worker_id, appraisal.year)
    if paid is None:
        return BonusOutcome(amount, True, None)
    correction = bonus_correction(book, paid.slip, appraisal.year, appraisal.rating, served)
    return BonusOutcome(amount, True, correction)
