"""Use cases of labour contracts: record one (within the law's limits) and list a worker's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.contracts import repository
from roster.contracts.domain import (
    ContractKind,
    ContractTerms,
    check_contract,
    check_within_employment,
    overlaps,
)
from roster.contracts.schemas import ContractCreate
from roster.ids import new_id
from roster.models import Contract, Worker
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, NotFound


def _terms(contract: Contract) -> ContractTerms:
    return ContractTerms(
        ContractKind(contract.kind),
        contract.start_date,
        contract.end_date,
        contract.probation_end,
    )


def _check(terms: ContractTerms, worker: Worker, existing: list[Contract]) -> None:
    # Art. 19 allows one probation per worker with the same employer, whichever contract
    # came first, so any recorded probation counts.
    had_probation = any(c.probation_end is not None for c in existing)
    check_contract(terms, had_probation_before=had_probation)
    check_within_employment(terms, worker.hire_date)
    if worker.status == "left":
        raise Conflict(f"worker {worker.id} left on {worker.left_on}: no new contract")
    for other in existing:
        if overlaps(terms, _terms(other)):
            until = other.end_date or "open-ended"
            raise Conflict.on_field(
                "body.start_date",
                f"overlaps contract {other.id} ({other.start_date} to {until})",
            )


async def record(
    session: AsyncSession, caller: Caller, worker_id: str, data: ContractCreate
) -> Contract:
    caller.require(*HR_WRITERS)
    await scope.worker_in_scope(session, caller, worker_id)
    worker = await repository.lock_worker(session, worker_id)
    if worker is None:
        raise NotFound(f"no worker {worker_id}")
    terms = ContractTerms(data.kind, data.start_date, data.end_date, data.probation_end)
    _check(terms, worker, await repository.for_worker(session, worker_id))
    contract = Contract(
        id=new_id(),
        worker_id=worker_id,
        kind=data.kind,
        start_date=data.start_date,
        end_date=data.end_date,
        probation_end=data.probation_end,
        signed_on=data.signed_on,
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await repository.add(session, contract)
    await record_audit(
        session,
        caller,
        "contract.recorded",
        "contract",
        contract.id,
        worker_id=worker_id,
        changes=data.model_dump(mode="json"),
    )
    return contract


async def list_for_worker(session: AsyncSession, caller: Caller, worker_id: str) -> list[Contract]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await repository.for_worker(session, worker_id)
