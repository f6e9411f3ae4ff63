"""Use cases of the register: onboard workers (from a hire or an import), read, list, update."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.ids import new_id
from roster.models import Worker
from roster.rules.retirement import female_original_age, retirement_warning
from roster.units import repository as units
from roster.units.domain import is_within
from roster.workers import repository
from roster.workers.rehiring import rehire, returning_problem
from roster.workers.repository import WorkerFilter
from roster.workers.schemas import WorkerCreate, WorkerUpdate
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller, Role
from union_shared.clock import utc_now
from union_shared.errors import FieldError, InvalidInput
from union_shared.events import WorkerOnboarded, build_event
from union_shared.messaging.outbox import record_events
from union_shared.resident_id import InvalidResidentId, ResidentId, Sex, parse_resident_id

MIN_WORKING_AGE_YEARS = 16  # Labour Law art. 15: no employment under 16


# How each way onto the register is written in the worker's history and the audit trail.
HISTORY_KIND = {"recruitment": "hired", "import": "imported", "registration": "registered"}


@dataclass(frozen=True)
class RowProblem:
    row: int  # index into the rows given
    field: str
    reason: str


async def check_new_workers(
    session: AsyncSession, caller: Caller, rows: list[WorkerCreate], labels: list[str] | None = None
) -> list[RowProblem]:
    """Every reason any row cannot go on the register; empty when all of them can.

    `labels` name the rows in messages that point at another row (default: "row index N")."""
    labels = labels or [f"row index {i}" for i in range(len(rows))]
    problems: list[RowProblem] = []
    root = await scope.root_path(session, caller)
    paths = await units.paths(session, sorted({r.unit_id for r in rows}))
    closed = {u.id for u in await _closed_units(session, list(paths))}
    numbers = [r.resident_id.strip().upper() for r in rows]
    on_register = await repository.by_resident_ids(session, numbers)
    first_seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        number = numbers[i]
        try:
            identity = parse_resident_id(number, as_of=row.hire_date)
        except InvalidResidentId as exc:
            problems.append(RowProblem(i, "resident_id", str(exc)))
            identity = None
        if number in first_seen:
            problems.append(
                RowProblem(i, "resident_id", f"same person as {labels[first_seen[number]]}")
            )
        first_seen.setdefault(number, i)
        if number in on_register:
            returning = returning_problem(on_register[number], row.hire_date)
            if returning is not None:
                problems.append(RowProblem(i, *returning))
        path = paths.get(row.unit_id)
        if path is None:
            problems.append(RowProblem(i, "unit_id", f"no unit {row.unit_id}"))
        elif root is not None and not is_within(path, root):
            problems.append(RowProblem(i, "unit_id", "unit is outside your part of the unit tree"))
        elif row.unit_id in closed:
            problems.append(RowProblem(i, "unit_id", "unit is closed"))
        if identity and row.hire_date < identity.birth_date + relativedelta(
            years=MIN_WORKING_AGE_YEARS
        ):
            problems.append(
                RowProblem(i, "hire_date", "the person would be under 16 on the hire date")
            )
        if row.seniority_start and row.seniority_start > row.hire_date:
            problems.append(RowProblem(i, "seniority_start", "cannot be after the hire date"))
        if identity and identity.sex is Sex.MALE and row.female_retirement_age is not None:
            reason = "applies to women only; a man's original retirement age is 60"
            problems.append(RowProblem(i, "female_retirement_age", reason))
    return problems


def _retirement_warning(identity: ResidentId, row: WorkerCreate) -> str | None:
    return retirement_warning(
        identity.birth_date, identity.sex, row.female_retirement_age, row.hire_date
    )


def retirement_warnings(rows: list[WorkerCreate]) -> list[RowProblem]:
    """Checked rows hired at or past the statutory retirement age: warned, never refused (the
    warning also goes into the worker's first history entry)."""
    found = []
    for i, row in enumerate(rows):
        warning = _retirement_warning(parse_resident_id(row.resident_id), row)
        if warning is not None:
            found.append(RowProblem(i, "hire_date", warning))
    return found


async def _closed_units(session: AsyncSession, unit_ids: list[str]) -> list:
    found = [await units.get(session, uid) for uid in unit_ids]
    return [u for u in found if u is not None and u.status != "open"]


async def onboard(
    session: AsyncSession,
    actor: Caller,
    rows: list[WorkerCreate],
    *,
    origin: str,
    application_ids: list[str | None] | None = None,
) -> list[str]:
    """Put already-checked rows on the register: workers, their first employment episode,
    history, audit and WorkerOnboarded events in the caller's transaction. Bulk statements, so
    10,000 rows stay fast. A row for someone who left is a re-hire of that worker (`rehiring`);
    the ids returned are in the rows' order either way."""
    now = utc_now()
    paths = await units.paths(session, sorted({r.unit_id for r in rows}))
    application_ids = application_ids or [None] * len(rows)
    identities = [parse_resident_id(r.resident_id, as_of=r.hire_date) for r in rows]
    returning = await repository.by_resident_ids(session, [i.number for i in identities])
    ids = [returning[i.number].id if i.number in returning else new_id() for i in identities]
    workers, episodes, history, audits, events = [], [], [], [], []
    for worker_id, row, application_id, identity in zip(
        ids, rows, application_ids, identities, strict=True
    ):
        if identity.number in returning:
            await rehire(
                session,
                actor,
                returning[identity.number],
                row,
                origin=origin,
                unit_path=paths.get(row.unit_id),
                application_id=application_id,
            )
            continue
        seniority_start = row.seniority_start or row.hire_date
        workers.append(
            {
                **row.model_dump(exclude={"resident_id", "seniority_start"}),
                "id": worker_id,
                "resident_id": identity.number,
                "birth_date": identity.birth_date,
                "sex": identity.sex.value,
                "female_retirement_age": female_original_age(
                    identity.sex, row.female_retirement_age
                ),
                "seniority_start": seniority_start,
                "status": "active",
                "origin": origin,
                "application_id": application_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        episodes.append(
            {
                "id": new_id(),
                "worker_id": worker_id,
                "episode": 1,
                "unit_id": row.unit_id,
                "hire_date": row.hire_date,
                "left_on": None,
                "seniority_start": seniority_start,
                "earlier_service_counted": False,
                "origin": origin,
                "recorded_at": now,
            }
        )
        kind = HISTORY_KIND[origin]
        history.append(
            {
                "id": new_id(),
                "worker_id": worker_id,
                "kind": kind,
                "effective_date": row.hire_date,
                "reason": None,
                "details": {
                    "unit_id": row.unit_id,
                    "application_id": application_id,
                    **_warnings_detail(_retirement_warning(identity, row)),
                },
                "recorded_by": actor.label,
                "recorded_at": now,
            }
        )
        audits.append(
            {
                "at": now,
                "actor": actor.subject,
                "actor_role": str(actor.role),
                "action": f"worker.{kind}",
                "entity": "worker",
                "entity_id": worker_id,
                "worker_id": worker_id,
                "reason": None,
                "changes": {"unit_id": row.unit_id, "hire_date": row.hire_date.isoformat()},
                "correlation_id": None,
            }
        )
        payload = WorkerOnboarded(
            worker_id=worker_id,
            unit_id=row.unit_id,
            unit_path=paths.get(row.unit_id),
            hire_date=row.hire_date,
            seniority_start=seniority_start,
            education=row.education,
            qualification=row.qualification,
            origin=origin,
            application_id=application_id,
        )
        events.append(build_event(payload, subject=worker_id, source="roster"))
    await repository.insert_onboarded(session, workers, episodes, history, audits)
    await record_events(session, events)
    return ids


async def register(
    session: AsyncSession, caller: Caller, row: WorkerCreate
) -> tuple[Worker, list[str]]:
    """One worker put on the register by hand (a transfer in, a hire made outside recruitment):
    the checks, history, audit and WorkerOnboarded of a one-row import. With the warnings that
    did not stop it."""
    caller.require(*HR_WRITERS)
    problems = await check_new_workers(session, caller, [row])
    if problems:
        errors = [FieldError(f"body.{p.field}", p.reason) for p in problems]
        raise InvalidInput("the worker cannot be registered as sent", errors=errors)
    (worker_id,) = await onboard(session, caller, [row], origin="registration")
    warnings = [p.reason for p in retirement_warnings([row])]
    return await repository.get(session, worker_id), warnings


def _check_female_retirement_age(worker: Worker, data: WorkerUpdate) -> None:
    if "female_retirement_age" not in data.model_fields_set:
        return
    field = "body.female_retirement_age"
    if Sex(worker.sex) is Sex.MALE:
        reason = "applies to women only; a man's original retirement age is 60"
        raise InvalidInput.on_field(field, reason)
    if data.female_retirement_age is None:
        raise InvalidInput.on_field(field, "a woman's original age is 55 or 50; it cannot be empty")


def _warnings_detail(warning: str | None) -> dict[str, list[str]]:
    return {"warnings": [warning]} if warning is not None else {}


def _encode_cursor(worker_id: str) -> str:
    return base64.urlsafe_b64encode(worker_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        worker_id = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        uuid.UUID(worker_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput.on_field("query.cursor", "not a cursor this service gave out") from None
    return worker_id


async def list_workers(
    session: AsyncSession,
    caller: Caller,
    *,
    unit_id: str | None,
    cursor: str | None,
    limit: int,
    **filters: str | date | None,
) -> tuple[list[Worker], str | None]:
    if caller.role is Role.WORKER:
        caller.require(*HR_WRITERS, Role.AUDITOR, Role.PAYROLL_OFFICER, Role.SYSTEM)
    if unit_id is not None:
        root = (await scope.unit_in_scope(session, caller, unit_id)).path
    else:
        root = await scope.root_path(session, caller)
    after = _decode_cursor(cursor) if cursor else None
    rows = await repository.page(session, WorkerFilter(root, **filters), after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_encode_cursor(rows[-1].id) if more else None)


async def update(
    session: AsyncSession, caller: Caller, worker_id: str, data: WorkerUpdate
) -> Worker:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    _check_female_retirement_age(worker, data)
    changes = {}
    for field, value in data.model_dump(exclude={"reason"}, exclude_unset=True).items():
        old = getattr(worker, field)
        if old != value:
            changes[field] = {"from": old, "to": value}
            setattr(worker, field, value)
    if changes:
        worker.updated_at = utc_now()
        await record_audit(
            session,
            caller,
            "worker.updated",
            "worker",
            worker.id,
            worker_id=worker.id,
            changes=changes,
            reason=data.reason,
        )
    return worker
