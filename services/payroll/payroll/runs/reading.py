"""Read use cases of runs and payslips: each checks who asks and their scope, then loads
through the repository; the routes only shape the replies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import PayRun, PayslipRow
from payroll.runs import repository, service
from payroll.scope import caller_scope, worker_in_scope
from union_shared.auth import ADMINS, Caller, Role
from union_shared.errors import Forbidden, NotFound

RUN_READERS = (Role.PAYROLL_OFFICER, Role.AUDITOR, Role.SYSTEM, *ADMINS)


async def run_in_scope(
    session: AsyncSession, caller: Caller, run_id: str, *roles: Role, lock: bool = False
) -> PayRun:
    """The run, for a caller holding one of `roles` (default: the run readers) whose subtree
    covers the run's."""
    caller.require(*(roles or RUN_READERS))
    scope = await caller_scope(session, caller)
    run = await service.get(session, run_id, lock=lock)
    if not scope.covers(run.unit_path):
        raise Forbidden(f"run {run_id} pays a subtree outside yours")
    return run


async def runs(
    session: AsyncSession, caller: Caller, period: str | None, statuses: list[str]
) -> list[PayRun]:
    caller.require(*RUN_READERS)
    scope = await caller_scope(session, caller)
    return [
        r for r in await repository.runs_for(session, period, statuses) if scope.covers(r.unit_path)
    ]


async def run_payslips(
    session: AsyncSession, caller: Caller, run_id: str, after: str | None, limit: int
) -> list[PayslipRow]:
    await run_in_scope(session, caller, run_id)
    return await repository.run_payslips(session, run_id, after, limit)


async def worker_payslips(
    session: AsyncSession, caller: Caller, worker_id: str
) -> list[tuple[PayslipRow, PayRun]]:
    await worker_in_scope(session, caller, worker_id)
    return await repository.worker_payslips(session, worker_id)


async def worker_payslip(
    session: AsyncSession, caller: Caller, worker_id: str, period: str
) -> tuple[PayslipRow, PayRun]:
    await worker_in_scope(session, caller, worker_id)
    found = await repository.worker_payslips(session, worker_id, period)
    if not found:
        raise NotFound(f"no locked payslip of {period} for worker {worker_id}")
    return found[0]
