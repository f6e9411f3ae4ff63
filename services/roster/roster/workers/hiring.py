"""A hire from recruitment goes on the register: the same checks, history, audit and
WorkerOnboarded as any new worker, once per application."""

from __future__ import annotations

from datetime import date

import structlog
from dateutil.relativedelta import relativedelta
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from roster.workers import repository, service
from roster.workers.schemas import WorkerCreate
from union_shared.audit import SYSTEM_ACTOR
from union_shared.events import ApplicantHired

log = structlog.get_logger(__name__)


class HireRefused(Exception):
    """The hire cannot go on the register as sent; it goes to the dead-letter topic with why."""


async def hire(session: AsyncSession, hire: ApplicantHired) -> None:
    if await repository.by_application(session, hire.application_id) is not None:
        return  # already on the register (a redelivery the inbox did not see, e.g. after a restore)
    try:
        row = _as_new_worker(hire)
    except ValidationError as exc:  # e.g. a unit id longer than any the register holds
        reasons = (f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise HireRefused("; ".join(reasons)) from None
    problems = await service.check_new_workers(session, SYSTEM_ACTOR, [row])
    if problems:
        raise HireRefused("; ".join(f"{p.field}: {p.reason}" for p in problems))
    await service.onboard(
        session, SYSTEM_ACTOR, [row], origin="recruitment", application_ids=[hire.application_id]
    )
    # Nobody waits on a reply here: the warning is in the worker's first history entry, and
    # logged so that whoever watches the hires sees it.
    for warning in service.retirement_warnings([row]):
        log.warning(
            "worker.hired_at_retirement_age",
            application_id=hire.application_id,
            reason=warning.reason,
        )


def _as_new_worker(hire: ApplicantHired) -> WorkerCreate:
    return WorkerCreate(
        name=hire.name,
        resident_id=hire.resident_id,
        phone=hire.phone,
        education=hire.education,
        major=hire.major,
        qualification=hire.qualification,
        unit_id=hire.unit_id,
        hire_date=hire.start_date,
        seniority_start=credited_start(hire),
    )


def credited_start(hire: ApplicantHired) -> date:
    """Seniority counts from the start date less the service years recruitment credited."""
    return hire.start_date - relativedelta(years=hire.credited_service_years)
