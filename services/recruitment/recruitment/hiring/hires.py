"""The hire: ApplicantHired to the roster once an accepted offer's start date has come, sent
once per application (a `hires` row says when), and HIRED once the roster's WorkerOnboarded
names the application.

The roster refuses a hire it cannot register by dead-lettering it, where recruitment cannot
look; so a hire sent without a worker back is shown as a problem here, never as done."""

from __future__ import annotations

from datetime import date, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications import repository as applications
from recruitment.applications.domain import ApplicationStatus as S
from recruitment.applications.service import record_step
from recruitment.campaigns import service as campaigns
from recruitment.hiring import repository
from recruitment.hiring.domain import hire_problem
from recruitment.hiring.schemas import HireRead
from recruitment.models import Application, Hire, Posting
from recruitment.postings import service as postings
from union_shared.audit import SYSTEM_ACTOR, record_audit
from union_shared.auth import Caller
from union_shared.events import ApplicantHired, WorkerOnboarded, build_event
from union_shared.messaging.outbox import record_events
from union_shared.vocabulary import Education, Qualification

log = structlog.get_logger(__name__)
SOURCE = "recruitment"


async def send(session: AsyncSession, caller: Caller, row: Application, now: datetime) -> bool:
    """ApplicantHired for one accepted application (locked by the caller); False when it was
    sent already."""
    if await repository.hire(session, row.id, lock=True) is not None:
        return False
    posting = await postings.found(session, row.posting_id)
    await _send(session, caller, row, posting, now)
    return True


async def send_due(session: AsyncSession, caller: Caller, today: date, now: datetime) -> list[str]:
    """Every accepted application whose start date has come and whose hire is not sent: the
    daily run. Run twice, or by two callers at once, each hire still goes once: the rows are
    locked first and the sent ones read after the lock."""
    due = await repository.due(session, today)
    sent = await repository.hires(session, [row.id for row in due])
    done = []
    for row in due:
        if row.id in sent:
            continue
        await _send(session, caller, row, await postings.found(session, row.posting_id), now)
        done.append(row.id)
    return done


async def _send(
    session: AsyncSession, caller: Caller, row: Application, posting: Posting, now: datetime
) -> None:
    assert row.start_date is not None  # an offer always sets it
    payload = ApplicantHired(
        application_id=row.id, campaign_id=row.campaign_id, posting_id=posting.id,
        unit_id=posting.unit_id, name=row.name, resident_id=row.resident_id, phone=row.phone,
        education=Education(row.education), major=row.majors[0] if row.majors else None,
        qualification=Qualification(row.qualification), start_date=row.start_date,
    )  # fmt: skip
    # The subject is the application: a redelivery keys the same, and the roster registers
    # one worker per application.
    event = build_event(payload, subject=row.id, source=SOURCE)
    await record_events(session, [event])
    await repository.add(
        session, Hire(application_id=row.id, event_id=event.id, sent_at=now, sent_by=caller.label)
    )
    status = S(row.status)
    await record_step(session, row, "hire_sent", status, status, caller, now,
                      reason=f"sent to the roster to start on {row.start_date}")  # fmt: skip
    await record_audit(session, caller, "application.hire_sent", "application", row.id,
                       changes={"event_id": event.id, "unit_id": posting.unit_id})  # fmt: skip


async def onboarded(session: AsyncSession, worker: WorkerOnboarded, now: datetime) -> None:
    """The roster registered the worker of one of recruitment's hires: HIRED, with its worker.
    A worker from an import, or another service's hire, names no application of ours."""
    if worker.application_id is None:
        return
    row = await applications.application(session, worker.application_id, lock=True)
    if row is None:
        return
    hire = await repository.hire(session, row.id, lock=True)
    if hire is not None and hire.onboarded_at is None:
        hire.onboarded_at = now
    if row.worker_id == worker.worker_id and row.status == S.HIRED:
        return
    row.worker_id, row.updated_at = worker.worker_id, now
    before = S(row.status)
    reason = f"registered by the roster as worker {worker.worker_id} from {worker.hire_date}"
    if before is S.ACCEPTED:
        row.status = S.HIRED.value
        await record_step(session, row, "hired", before, S.HIRED, SYSTEM_ACTOR, now, reason=reason)
        return
    # Withdrawn after the hire was sent: the worker exists; the roster must record a departure.
    log.warning("recruitment.worker_for_ended_application", application_id=row.id,
                status=before.value, worker_id=worker.worker_id)  # fmt: skip
    await record_step(session, row, "worker_registered", before, before, SYSTEM_ACTOR, now,
                      reason=f"{reason}, while the application is {before}")  # fmt: skip


async def of_campaign(
    session: AsyncSession, caller: Caller, campaign_id: str, today: date, now: datetime
) -> list[HireRead]:
    """A campaign's accepted and hired applications (all for those running it, else those of
    the caller's postings), each with what is wrong with its hire, if anything."""
    campaign = await campaigns.seen(session, caller, campaign_id)
    root = await postings.reading_root(session, caller, campaign)
    rows = await repository.hired_of_campaign(session, campaign.id, root)
    sent = await repository.hires(session, [row.id for row in rows])
    reads = []
    for row in rows:
        hire = sent.get(row.id)
        sent_at = None if hire is None else hire.sent_at
        problem = hire_problem(S(row.status), row.start_date, sent_at, row.worker_id, now, today)
        reads.append(HireRead(
            application_id=row.id, posting_id=row.posting_id, name=row.name, status=row.status,
            start_date=row.start_date, hire_sent_at=sent_at, worker_id=row.worker_id,
            problem=problem,
        ))  # fmt: skip
    return reads
