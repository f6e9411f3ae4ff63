"""The compliance view: every open alert in a subtree on a date, with counts by kind."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.compliance import repository
from roster.compliance.domain import (
    SignedContract,
    WorkerFacts,
    counts_by_kind,
    worker_alerts,
)
from roster.compliance.schemas import AlertRead, ComplianceView
from roster.contracts.domain import ContractKind, ContractTerms
from roster.rules.policy import RosterRules, rules_on
from roster.rules.retirement import retirement_of
from roster.training.domain import TrainingDone, TrainingKind
from union_shared.auth import HR_WRITERS, Caller, Role
from union_shared.errors import InvalidInput

READERS = (*HR_WRITERS, Role.AUDITOR, Role.PAYROLL_OFFICER, Role.SYSTEM)
# The training rules look only at these kinds (training.domain.training_alerts).
WATCHED_TRAININGS = (TrainingKind.PRE_JOB, TrainingKind.ROTATION)
_alert = TypeAdapter(AlertRead)


def _rules(as_of: date) -> RosterRules:
    try:
        return rules_on(as_of)
    except LookupError as exc:
        raise InvalidInput.on_field("query.as_of", str(exc)) from None


async def _subtree(
    session: AsyncSession, caller: Caller, unit_id: str | None
) -> tuple[str | None, str | None]:
    """(root unit id, its path) of the subtree to look at; None, None for the whole register."""
    if unit_id is not None:
        unit = await scope.unit_in_scope(session, caller, unit_id)
        return unit.id, unit.path
    path = await scope.root_path(session, caller)
    return (caller.unit_id, path) if path is not None else (None, None)


async def _facts(
    session: AsyncSession, root_path: str | None, as_of: date
) -> dict[str, tuple[str, str, WorkerFacts]]:
    """{worker id: (name, unit id on `as_of`, facts)} for every worker of the subtree on the
    register on that date."""
    contracts: dict[str, list[SignedContract]] = defaultdict(list)
    for row in await repository.contracts(session, root_path, as_of):
        terms = ContractTerms(ContractKind(row.kind), row.start_date, row.end_date, None)
        contracts[row.worker_id].append(SignedContract(terms, row.signed_on))
    trainings: dict[str, list[TrainingDone]] = defaultdict(list)
    watched = [str(k) for k in WATCHED_TRAININGS]
    for worker_id, kind, last_end in await repository.latest_trainings(
        session, root_path, as_of, watched
    ):
        trainings[worker_id].append(TrainingDone(TrainingKind(kind), last_end))
    appraised = await repository.appraised(session, root_path, as_of, as_of.year - 1)
    return {
        w.id: (
            w.name,
            w.unit_id,
            WorkerFacts(
                hire_date=w.hire_date,
                social_insurance_registered_on=w.social_insurance_registered_on,
                contracts=tuple(contracts.get(w.id, ())),
                trainings=tuple(trainings.get(w.id, ())),
                appraised_years=frozenset({as_of.year - 1}) if w.id in appraised else frozenset(),
                retirement=retirement_of(w.birth_date, w.sex, w.female_retirement_age),
            ),
        )
        for w in await repository.workers(session, root_path, as_of)
    }


async def open_alerts(
    session: AsyncSession, caller: Caller, unit_id: str | None, as_of: date
) -> ComplianceView:
    caller.require(*READERS)
    rules = _rules(as_of)
    root_id, root_path = await _subtree(session, caller, unit_id)
    facts = await _facts(session, root_path, as_of)
    alerts = [
        _alert.validate_python(
            {
                "kind": alert.kind,
                "worker_id": worker_id,
                "worker_name": name,
                "unit_id": worker_unit,
                "due_on": alert.due_on,
                "detail": alert.detail,
                **alert.extra,
            }
        )
        for worker_id, (name, worker_unit, worker) in facts.items()
        for alert in worker_alerts(worker, as_of, rules, masked=not caller.sees_identifiers)
    ]
    alerts.sort(key=lambda a: (a.kind.value, a.due_on, a.worker_name, a.worker_id))
    return ComplianceView(
        unit_id=root_id,
        as_of=as_of,
        rules_version=rules.version,
        counts=counts_by_kind(a.kind for a in alerts),
        alerts=alerts,
    )
