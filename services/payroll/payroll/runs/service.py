"""Monthly runs: draft (compute every payslip of a period for a unit subtree), review, approve by
another payroll officer, lock. A locked run never changes; later changes reach pay as arrears
or corrections in a later run (see payroll.adjustments)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import Awaitable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.domain import parse_period
from payroll.freeze import facts_frozen, next_fact_seq
from payroll.freeze import repository as fact_changes
from payroll.golive import repository as golive
from payroll.golive.domain import chain_of, governing
from payroll.ids import new_id
from payroll.models import LockedPeriod, PayRun
from payroll.pay.compute import Payslip, compute_payslip
from payroll.pay.earnings import Employment, Period
from payroll.pay.policy import PolicyBook, UnknownGrade
from payroll.pay.tax import PayError
from payroll.pay.trusted import fen
from payroll.periods import repository as periods
from payroll.runs import repository
from payroll.runs.facts import (
    Dated,
    Shared,
    Unpayable,
    WorkerMonth,
    funder_shares,
    pay_facts,
    unit_at_end,
)
from union_shared.audit import record_audit
from union_shared.auth import Caller, Role
from union_shared.bulk import cycle_collector_paused
from union_shared.clock import utc_now
from union_shared.errors import Conflict, Forbidden, NotFound, RuleBroken
from union_shared.events import PayrollRunClosed, build_event
from union_shared.messaging.outbox import record_events
from union_shared.money import from_fen

BATCH = 5000  # workers per batch: memory stays bounded however large the subtree
RUN_WRITERS = (Role.PAYROLL_OFFICER, Role.SYSTEM)


def _period(text: str, book: PolicyBook) -> Period:
    period = parse_period(text)
    try:
        book.for_period(period.year, period.month)
    except LookupError:
        first = book.versions[0].effective_from
        raise RuleBroken(
            "period", f"pay policy {book.id} starts on {first}; nothing governs {text}"
        ) from None
    return period


async def _live(session: AsyncSession, period_text: str, unit_id: str, scope: str) -> None:
    """A month before the unit's go-live was paid outside the platform: it is declared, not run."""
    chain = chain_of(scope, unit_id)
    found = governing(chain, await golive.go_lives(session, chain))
    if found is not None and period_text < found[1]:
        raise RuleBroken(
            "period",
            f"unit {found[0]} went live on the platform in {found[1]}: {period_text} was paid "
            "outside it (declare its pay instead)",
        )


def _overlaps(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


async def draft(
    session: AsyncSession,
    caller: Caller,
    book: PolicyBook,
    period_text: str,
    unit_id: str,
    scope: str,
) -> PayRun:
    """A run paying the subtree at `scope`, the path of `unit_id` in the unit tree."""
    caller.require(*RUN_WRITERS)
    period = _period(period_text, book)
    await _live(session, period_text, unit_id, scope)
    await facts_frozen(session)
    for other in await repository.runs_for(session, period_text, (*repository.OPEN, "locked")):
        if _overlaps(other.unit_path, scope):
            raise Conflict(
                f"run {other.id} ({other.status}) already covers {other.unit_id} for "
                f"{period_text}, overlapping unit {unit_id}: recompute or discard it instead"
            )
    now = utc_now()
    run = PayRun(
        id=new_id(), period=period_text, unit_id=unit_id, unit_path=scope, status="draft",
        drafted_by=caller.label, drafted_by_subject=caller.subject, drafted_at=now,
        computed_at=now, payslip_count=0, gross_fen=0, net_fen=0, tax_fen=0,
        employer_cost_fen=0, problems=[], facts_seq=await next_fact_seq(session),
    )  # fmt: skip
    await repository.add(session, run)
    await _compute(session, book, run, period)
    await record_audit(
        session, caller, "pay_run.drafted", "pay_run", run.id,
        changes={"period": period_text, "unit_id": unit_id, "payslips": run.payslip_count},
    )  # fmt: skip
    return run


async def recompute(session: AsyncSession, caller: Caller, book: PolicyBook, run: PayRun) -> PayRun:
    caller.require(*RUN_WRITERS)
    _unlocked(run, "recompute")
    await facts_frozen(session)
    await repository.delete_payslips(session, run.id)
    run.status, run.reviewed_by, run.reviewed_at = "draft", None, None
    run.computed_at, run.facts_seq = utc_now(), await next_fact_seq(session)
    await _compute(session, book, run, _period(run.period, book))
    await record_audit(
        session, caller, "pay_run.recomputed", "pay_run", run.id,
        changes={"payslips": run.payslip_count, "problems": len(run.problems)},
    )  # fmt: skip
    return run


async def mark_reviewed(session: AsyncSession, caller: Caller, run: PayRun) -> PayRun:
    caller.require(Role.PAYROLL_OFFICER)
    _unlocked(run, "review")
    run.status, run.reviewed_by, run.reviewed_at = "reviewed", caller.label, utc_now()
    await record_audit(session, caller, "pay_run.reviewed", "pay_run", run.id)
    return run


async def approve(session: AsyncSession, caller: Caller, run: PayRun) -> PayRun:
    """Approve and lock: another payroll officer than the drafter, a reviewed run, no worker left
    unpaid for a reason still to fix, and nothing changed since the payslips were computed."""
    caller.require(Role.PAYROLL_OFFICER)
    _unlocked(run, "approve")
    if caller.subject == run.drafted_by_subject:
        raise Forbidden(
            f"run {run.id} was drafted by {run.drafted_by}: another payroll officer approves it"
        )
    if run.status != "reviewed":
        raise Conflict(f"run {run.id} is {run.status}: review it before approving")
    if run.problems:
        raise Conflict(
            f"{len(run.problems)} worker(s) in run {run.id} cannot be paid yet (see problems): "
            "fix their facts and recompute"
        )
    await facts_frozen(session)
    await _not_stale(session, run)
    now = utc_now()
    await repository.mark_arrears_paid(
        session, await repository.arrears_ids(session, run.id), run.id
    )
    await periods.close(
        session,
        LockedPeriod(period=run.period, unit_id=run.unit_id, locked_by=caller.label, locked_at=now),
    )
    run.status, run.approved_by, run.locked_at = "locked", caller.label, now
    closed = PayrollRunClosed(
        run_id=run.id,
        period=run.period,
        unit_id=run.unit_id,
        payslip_count=run.payslip_count,
        gross_total=from_fen(run.gross_fen),
        net_total=from_fen(run.net_fen),
        employer_cost_total=from_fen(run.employer_cost_fen),
        approved_by=caller.label,
        closed_at=now,
    )
    await record_events(session, [build_event(closed, subject=run.id, source="payroll")])
    await record_audit(
        session, caller, "pay_run.locked", "pay_run", run.id,
        changes={"period": run.period, "payslips": run.payslip_count, "net": closed.net_total},
    )  # fmt: skip
    return run


async def discard(session: AsyncSession, caller: Caller, run: PayRun) -> None:
    caller.require(*RUN_WRITERS)
    _unlocked(run, "discard")
    await repository.delete_payslips(session, run.id)
    run.status = "discarded"
    await record_audit(session, caller, "pay_run.discarded", "pay_run", run.id)


def _unlocked(run: PayRun, action: str) -> None:
    if run.status in ("locked", "discarded"):
        raise Conflict(f"run {run.id} is {run.status} and never changes: cannot {action} it")


async def _not_stale(session: AsyncSession, run: PayRun) -> None:
    """Refused when a change numbered after the run's sequence value touches its scope: a worker
    it pays or one now under its unit, a unit moved into or out of its subtree, or funder shares
    in force by the period's end. Clocks play no part (see payroll.freeze)."""
    period = parse_period(run.period)
    changed = sorted(await fact_changes.workers_changed_after(session, run.facts_seq))
    relevant: list[str] = []
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        relevant += await repository.in_run(session, run.id, batch)
        paths = await repository.unit_paths(session, batch)
        if any(f"/{run.unit_id}/" in (p or "") for p in paths):
            relevant.append("(a worker now under the run's units)")
    moved = await fact_changes.subtrees_changed_after(session, run.facts_seq)
    if any(_overlaps(path, run.unit_path) for path in moved):
        relevant.append("(units moved into or out of the run's subtree)")
    if relevant or await fact_changes.funders_changed_after(
        session, run.facts_seq, period.last_day
    ):
        shown = ", ".join(sorted(set(relevant))[:10]) or "funder shares"
        raise Conflict(
            f"pay facts changed after run {run.id} was computed ({shown}): recompute and review "
            "it again before approving"
        )


async def _compute(session: AsyncSession, book: PolicyBook, run: PayRun, period: Period) -> None:
    funders: dict[str, list[Dated]] = defaultdict(list)
    for row in await repository.all_funder_shares(session, period.last_day):
        funders[row.unit_id].append(Dated(row.effective_from, funder_shares(row.shares)))
    candidates = await repository.candidates(
        session, period.first_day, period.last_day, run.unit_id
    )
    batches = [candidates[start : start + BATCH] for start in range(0, len(candidates), BATCH)]
    pricing = _Pricing(book, run, period, funders)
    with cycle_collector_paused():
        months = await _load(session, batches[0], period) if batches else []
        written: list[dict] = []
        for following in [*batches[1:], None]:
            months, written = await _overlapped(
                _write_then_load(session, written, following, period), pricing.payslips(months)
            )
        await repository.insert_payslips(session, written)
    await repository.insert_payslip_bonuses(session, pricing.bonuses)
    for key, value in pricing.totals.items():
        setattr(run, key, value)
    run.problems = pricing.problems


async def _write_then_load(
    session: AsyncSession, rows: list[dict], following: list | None, period: Period
) -> list[WorkerMonth]:
    await repository.insert_payslips(session, rows)
    return [] if following is None else await _load(session, following, period)


async def _overlapped(
    background: Awaitable[list[WorkerMonth]], computing: Awaitable[list[dict]]
) -> tuple[list[WorkerMonth], list[dict]]:
    """While a batch is computed, the previous batch's payslips are written and the next batch's
    facts read, so the database works while Python does. The session's one connection serves
    them in turn, never at once: computing uses none. The batches' workers are disjoint and a
    run reads only locked runs' payslips, so the order of those reads and writes does not matter."""
    task = asyncio.ensure_future(background)
    try:
        rows = await computing
    except BaseException:
        # Let the statement in flight finish (its own error, if any, follows from this one) so
        # the caller's rollback finds the connection idle.
        with contextlib.suppress(BaseException):
            await task
        raise
    return await task, rows


class _Pricing:
    """A run's payslips, batch by batch, with its totals and the workers it cannot pay."""

    # Workers computed between two turns of the event loop (a few ms), which let the writes and
    # reads in the background move on to their next step.
    YIELD_EVERY = 50

    def __init__(
        self, book: PolicyBook, run: PayRun, period: Period, funders: dict[str, list[Dated]]
    ) -> None:
        self.book, self.run, self.period, self.funders = book, run, period, funders
        self.shared = Shared()
        self.totals = dict.fromkeys(
            ("payslip_count", "gross_fen", "net_fen", "tax_fen", "employer_cost_fen"), 0
        )
        self.problems: list[dict] = []
        self.bonuses: list[dict] = []  # payslip_bonuses rows: each year's bonus a payslip pays

    async def payslips(self, months: list[WorkerMonth]) -> list[dict]:
        rows = []
        scope = f"/{self.run.unit_id}/"
        for done, month in enumerate(months, 1):
            if done % self.YIELD_EVERY == 0:
                await asyncio.sleep(0)
            unit = unit_at_end(self.period, month)
            if unit is None or scope not in (unit[1] or f"/{unit[0]}/"):
                continue  # the month ends elsewhere: that subtree's run pays it
            try:
                facts, profile = pay_facts(self.period, month, self.funders, self.shared)
                slip = compute_payslip(self.book, facts)
            except (Unpayable, PayError, UnknownGrade, LookupError, ValidationError) as exc:
                self.problems.append({"worker_id": month.worker_id, "reason": _reason(exc)})
                continue
            row = _row(self.run, month, unit[0], profile.bank_account, slip)
            rows.append(row)
            if month.entitlements:
                self.bonuses += _bonus_rows(row, month, slip)
            totals = self.totals
            totals["payslip_count"] += 1
            for key in ("gross_fen", "net_fen", "tax_fen", "employer_cost_fen"):
                totals[key] += row[key]
        return rows


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc)


async def _load(session: AsyncSession, rows: list, period: Period) -> list[WorkerMonth]:
    batch = await repository.batch_of(session, [row.worker_id for row in rows])
    first, last, text = period.first_day, period.last_day, str(period)
    paid = await repository.paid_elsewhere(session, text, batch)
    months = {
        row.worker_id: WorkerMonth(row.worker_id, row.hire_date, row.left_on, row.qualification)
        for row in rows
        if row.worker_id not in paid
    }
    for month, unit in _theirs(months, await repository.units(session, batch)):
        month.units.append(Dated(unit.start, (unit.unit_id, unit.unit_path)))
    for month, span in _theirs(months, await repository.spans(session, batch, first, last)):
        month.spans.append(span)
    for month, profile in _theirs(months, await repository.profiles(session, batch, last)):
        month.profiles.append(profile)
    for month, line in _theirs(months, await repository.unpaid_arrears(session, batch, text)):
        month.arrears.append(line)
    for month, entitlement in _theirs(months, await repository.unpaid_entitlements(session, batch)):
        month.entitlements.append(entitlement)  # every unpaid year, oldest first, in one month
    await _episodes(session, months, period)
    used = await repository.separate_bonus_used(session, batch, period.year)
    ytd = await repository.year_to_date(session, batch, period.year, text)
    for month in months.values():
        month.separate_bonus_used = month.worker_id in used
        month.ytd = ytd.get(month.worker_id)
    return list(months.values())


async def _episodes(session: AsyncSession, months: dict[str, WorkerMonth], period: Period) -> None:
    """The employment episodes of the workers whose month needs them, in one query: those whose
    current episode began after the period (a re-hired worker's earlier month), and those paid
    a bonus (its months served add up every episode of the year). Most months of most workers
    need neither, and then nothing is read."""
    wanted = [m.worker_id for m in months.values() if m.entitlements or not m.covers(period)]
    if not wanted:
        return
    found: dict[str, list[Employment]] = defaultdict(list)
    for row in await repository.episodes(session, wanted):
        found[row.worker_id].append(Employment(hired_on=row.hire_date, left_on=row.left_on))
    for worker_id, episodes in found.items():
        months[worker_id].take_episodes(period, episodes)


def _theirs(months: dict[str, WorkerMonth], rows: Iterable) -> Iterator[tuple[WorkerMonth, Any]]:
    """Each row of a worker in `months`, with the month (a batch's query may return others')."""
    for row in rows:
        month = months.get(row.worker_id)
        if month is not None:
            yield month, row


def _row(run: PayRun, month: WorkerMonth, unit_id: str, account: str, slip: Payslip) -> dict:
    """The payslips row, its JSON columns serialised here (pydantic writes the slip's JSON several
    times faster than json.dumps of its model_dump, and to the same JSON value)."""
    codes = {line.code for line in slip.lines}
    return {
        "id": new_id(),
        "run_id": run.id,
        "worker_id": month.worker_id,
        "period": run.period,
        "unit_id": unit_id,
        "gross_fen": _fen(slip.gross),
        "deductions_fen": _fen(slip.employee_deductions),
        "tax_fen": _fen(slip.tax),
        "net_fen": _fen(slip.net),
        "employer_cost_fen": _fen(slip.employer_cost),
        "bank_account": account,
        "bonus_year": month.entitlements[-1].appraisal_year if "annual_bonus" in codes else None,
        "bonus_separate": "bonus_tax" in codes,
        "arrears_ids": json.dumps([line.id for line in month.arrears]) if month.arrears else "[]",
        "warnings": json.dumps(list(slip.warnings)) if slip.warnings else "[]",
        "funder_parts": json.dumps({part.funder: str(part.amount) for part in slip.funder_parts}),
        "ytd_after": slip.ytd_after.model_dump_json(),
        "slip": slip.as_json(),
    }


def _bonus_rows(row: dict, month: WorkerMonth, slip: Payslip) -> list[dict]:
    """A row for each appraisal year the payslip pays: its bonus lines are the entitlements'
    years in order, and the separate tax line is dated with the year it taxes."""
    lines = [line for line in slip.lines if line.code == "annual_bonus"]
    separate = next((line.start for line in slip.lines if line.code == "bonus_tax"), None)
    rows = []
    for entitlement, line in zip(month.entitlements, lines, strict=True):
        year = entitlement.appraisal_year
        rows.append({
            "payslip_id": row["id"], "appraisal_year": year, "run_id": row["run_id"],
            "worker_id": row["worker_id"], "amount_fen": _fen(line.amount),
            "separate": separate is not None and separate.year == year,
        })  # fmt: skip
    return rows


def _fen(amount: Decimal) -> int:
    """union_shared.money.to_fen for a Decimal: the same half-up rounding, no str round trip."""
    return int(fen(amount) * 100)


async def get(session: AsyncSession, run_id: str, *, lock: bool = False) -> PayRun:
    run = await repository.run(session, run_id, lock=lock)
    if run is None:
        raise NotFound(f"no pay run {run_id}")
    return run
