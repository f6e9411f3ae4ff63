"""Event handlers: recruitment's ApplicantHired puts the new worker on the register."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from roster.workers import repository, service
from roster.workers.schemas import NewWorker
from union_shared.audit import SYSTEM_ACTOR
from union_shared.events import ApplicantHired, Envelope
from union_shared.events.catalogue import RECRUITMENT_TOPIC
from union_shared.messaging.runtime import ConsumerSpec


class HireRefused(Exception):
    """The hire cannot go on the register as sent; it goes to the dead-letter topic with why."""


async def on_applicant_hired(
    session: AsyncSession, envelope: Envelope, hire: ApplicantHired
) -> None:
    if await repository.by_application(session, hire.application_id) is not None:
        return  # already on the register (a redelivery the inbox did not see, e.g. after a restore)
    row = NewWorker(
        name=hire.name,
        resident_id=hire.resident_id,
        phone=hire.phone,
        education=hire.education,
        major=hire.major,
        qualification=hire.qualification,
        unit_id=hire.unit_id,
        hire_date=hire.start_date,
        seniority_start=_credited(hire),
    )
    problems = await service.check_new_workers(session, SYSTEM_ACTOR, [row])
    if problems:
        raise HireRefused("; ".join(f"{p.field}: {p.reason}" for p in problems))
    await service.onboard(
        session, SYSTEM_ACTOR, [row], origin="recruitment", application_ids=[hire.application_id]
    )


def _credited(hire: ApplicantHired):
    from dateutil.relativedelta import relativedelta

    return hire.start_date - relativedelta(years=hire.credited_service_years)


CONSUMERS = [
    ConsumerSpec("roster", [RECRUITMENT_TOPIC], {"ApplicantHired": on_applicant_hired}),
]
