"""Go-live per unit and the pay declared for the months before it.

Before go-live a unit's workers were paid outside the platform (the old spreadsheet). A grade
change reaching those months owes arrears only where an officer declared what was paid; the
months after go-live are the platform's own runs (payroll.adjustments)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.domain import covering, parse_period
from payroll.golive import repository
from payroll.golive.domain import chain_of, governing
from payroll.golive.schemas import (
    DeclaredPayCreate,
    DeclaredPayLine,
    DeclaredPayRead,
    DeclaredPayResult,
    GoLiveOf,
    GoLiveRead,
    GoLiveUpdate,
)
from payroll.models import DeclaredPay, GoLive, PayWorker
from payroll.pay.earnings import Employment
from payroll.pay.policy import PolicyBook
from payroll.scope import caller_scope
from payroll.workers import repository as workers
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, FieldError, Forbidden, InvalidInput, RuleBroken
from union_shared.money import from_fen, to_fen


def _priced(book: PolicyBook, period: str) -> bool:
    year, month = map(int, period.split("-"))
    try:
        book.for_period(year, month)
    except LookupError:
        return False
    return True


async def set_go_live(
    session: AsyncSession, caller: Caller, book: PolicyBook, unit_id: str, path: str,
    body: GoLiveUpdate,
) -> tuple[GoLive, bool]:  # fmt: skip
    """The stored go-live and whether it changed now. Refused when a locked run already paid a
    month before it, or pay is declared for a month from it on, in the part of the subtree it
    would govern."""
    if not _priced(book, body.period):
        first = book.versions[0].effective_from
        raise RuleBroken("period", f"pay policy {book.id} starts on {first}: it cannot run earlier")
    row = await repository.go_live(session, unit_id)
    if row is not None and row.period == body.period:
        return row, False
    await _not_contradicted(session, unit_id, path, body.period)
    before = row.period if row is not None else None
    if row is None:
        row = GoLive(unit_id=unit_id, period=body.period, recorded_by=caller.label,
                     recorded_at=utc_now())  # fmt: skip
        await repository.add(session, row)
    else:
        row.period, row.recorded_by, row.recorded_at = body.period, caller.label, utc_now()
    await record_audit(
        session, caller, "go_live.set", "unit", unit_id,
        changes={"before": before, "after": body.period},
    )  # fmt: skip
    return row, True


async def _not_contradicted(session: AsyncSession, unit_id: str, path: str, period: str) -> None:
    chain = chain_of(path, unit_id)

    async def governed_here(chain_below: Sequence[str]) -> bool:
        go_lives = await repository.go_lives(session, chain_below)
        found = governing(chain_below, {**go_lives, unit_id: period})
        return found is not None and found[0] == unit_id

    for run in await repository.locked_before(session, path, chain, period):
        if run.unit_id in chain or await governed_here(chain_of(run.unit_path, run.unit_id)):
            raise Conflict(
                f"run {run.id} locked {run.period} for unit {run.unit_id}: the platform already "
                f"paid that month, so unit {unit_id} cannot go live after it"
            )
    for declared in await repository.declared_from(session, path, period):
        if await governed_here(chain_of(declared.unit_path, declared.unit_id)):
            raise Conflict(
                f"pay of worker {declared.worker_id} is declared paid for {declared.period}: a "
                f"go-live of {period} would make the platform pay that month as well"
            )


async def go_live_of(session: AsyncSession, unit_id: str, path: str) -> GoLiveOf:
    chain = chain_of(path, unit_id)
    found = governing(chain, await repository.go_lives(session, chain))
    if found is None:
        return GoLiveOf(unit_id=unit_id, governing=None)
    row = await repository.go_live(session, found[0])
    return GoLiveOf(unit_id=unit_id, governing=GoLiveRead.model_validate(row, from_attributes=True))


async def go_live_of_worker(session: AsyncSession, worker: PayWorker) -> str | None:
    chain = chain_of(worker.unit_path, worker.unit_id)
    found = governing(chain, await repository.go_lives(session, chain))
    return found[1] if found else None


async def declare(
    session: AsyncSession, caller: Caller, book: PolicyBook, body: DeclaredPayCreate
) -> DeclaredPayResult:
    """Store a batch of declared pay, all or nothing: every line is checked first and every
    refusal named (`body.lines.<i>.<field>`)."""
    ids = sorted({line.worker_id for line in body.lines})
    known = await repository.workers(session, ids)
    episodes = await workers.employments(session, ids)
    scope = await caller_scope(session, caller)
    for worker in known.values():
        if not scope.covers_worker(worker.worker_id, worker.unit_path):
            raise Forbidden(f"worker {worker.worker_id} is outside your part of the unit tree")
    chains = {w.worker_id: chain_of(w.unit_path, w.unit_id) for w in known.values()}
    go_lives = await repository.go_lives(session, sorted({u for c in chains.values() for u in c}))
    errors: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, line in enumerate(body.lines):
        worker = known.get(line.worker_id)
        go_live = governing(chains[worker.worker_id], go_lives) if worker else None
        employed = episodes.get(line.worker_id) or _own_dates(worker)
        for field, reason in _refusals(book, line, worker, employed, go_live, seen):
            errors.append(FieldError(f"body.lines.{i}.{field}", reason))
    if errors:
        shown = "; ".join(f"{e.field}: {e.reason}" for e in errors[:5])
        raise InvalidInput(f"{len(errors)} line(s) refused, none stored: {shown}", errors=errors)
    return await _store(session, caller, body, await repository.declarations(session, ids))


def _own_dates(worker: PayWorker | None) -> list[Employment]:
    """A worker stored before employment episodes were: one episode, the worker's own dates."""
    return [] if worker is None else [Employment(hired_on=worker.hire_date, left_on=worker.left_on)]


def _refusals(
    book: PolicyBook,
    line: DeclaredPayLine,
    worker: PayWorker | None,
    episodes: Sequence[Employment],
    go_live: tuple[str, str] | None,
    seen: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Why a line cannot be stored, field by field. A month is declared only in an employment
    episode: nothing was paid for a month between two, and arrears would be owed on it."""
    if worker is None:
        return [("worker_id", f"payroll knows no worker {line.worker_id}")]
    key = (line.worker_id, line.period)
    if key in seen:
        return [("period", f"{line.period} is declared twice for {line.worker_id} in this batch")]
    seen.add(key)
    if go_live is None:
        return [("period", f"no go-live is set for {line.worker_id}'s units: set it first")]
    unit_id, first = go_live
    if line.period >= first:
        return [("period", f"unit {unit_id} went live in {first}: the platform pays that month")]
    if covering(episodes, parse_period(line.period)) is None:
        return [("period", f"{line.worker_id} was not employed in {line.period}")]
    if not _priced(book, line.period):
        start = book.versions[0].effective_from
        return [("period", f"pay policy {book.id} starts on {start}: nothing prices the month")]
    return []


async def _store(
    session: AsyncSession,
    caller: Caller,
    body: DeclaredPayCreate,
    existing: Mapping[tuple[str, str], DeclaredPay],
) -> DeclaredPayResult:
    now, replaced, added = utc_now(), 0, []
    changes: dict[str, dict[str, dict]] = {}
    for line in body.lines:
        row = existing.get((line.worker_id, line.period))
        before = from_fen(row.gross_fen) if row is not None else None
        if row is None:
            row = DeclaredPay(worker_id=line.worker_id, period=line.period)
            added.append(row)
        elif before != line.gross:
            replaced += 1
        row.gross_fen, row.source = to_fen(line.gross), body.source
        row.recorded_by, row.recorded_at = caller.label, now
        changes.setdefault(line.worker_id, {})[line.period] = {
            "before": before,
            "after": line.gross,
        }
    await repository.add_all(session, added)  # and the replaced rows' updates with them
    for worker_id, months in changes.items():
        await record_audit(
            session, caller, "declared_pay.recorded", "worker", worker_id, worker_id=worker_id,
            changes={"source": body.source, "months": months},
            reason="pay paid before go-live, declared from the earlier records",
        )  # fmt: skip
    return DeclaredPayResult(declared=len(body.lines), replaced=replaced)


async def declared_of(session: AsyncSession, worker: PayWorker) -> list[DeclaredPayRead]:
    rows = await repository.declared_of(session, worker.worker_id)
    return [_declared_read(row) for row in rows]


def _declared_read(row: DeclaredPay) -> DeclaredPayRead:
    return DeclaredPayRead(
        period=row.period, gross=from_fen(row.gross_fen), source=row.source,
        recorded_by=row.recorded_by, recorded_at=row.recorded_at,
    )  # fmt: skip
