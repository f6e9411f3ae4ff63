"""The public notice (公示) of a campaign's proposed hires, objections to it, the offer and the
applicant's answer. Every move of an application is a recorded step; the caller's request owns
the transaction.

A notice holds masked copies of the names and resident IDs it lists, made when it is
published: whoever reads it, nothing on it can be unmasked."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications import repository as applications
from recruitment.applications.domain import ApplicationStatus as S
from recruitment.applications.service import record_step
from recruitment.campaigns import service as campaigns
from recruitment.hiring import hires, repository
from recruitment.hiring.domain import (
    NoticeRefused,
    check_answer,
    check_notice_start,
    check_objection_open,
    check_offer,
    resolution_reason,
)
from recruitment.hiring.schemas import NoticeEntryRead, NoticeRead, ObjectionCreate
from recruitment.ids import new_id
from recruitment.models import Application, Notice, NoticeEntry, Objection
from recruitment.postings import service as postings
from recruitment.rules.masking import mask_for_notice
from recruitment.rules.notice import CalendarUnknown, notice_ends
from recruitment.scope import caller_scope, require_runs
from recruitment.stages import locks
from recruitment.stages import repository as stages_repository
from recruitment.stages import service as stages
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.errors import Forbidden, InvalidInput, NotFound


async def publish(
    session: AsyncSession, caller: Caller, campaign_id: str, starts_on: date, today: date,
    now: datetime,
) -> Notice:  # fmt: skip
    """A notice of every proposed hire of the campaign not yet on one (a replacement proposed
    later gets a notice of its own), for the rules' number of working days."""
    campaign = await campaigns.run_by(session, caller, campaign_id)
    check_notice_start(starts_on, today)
    rules = await campaigns.rules_of(session, campaign)
    try:
        ends_on = notice_ends(starts_on, rules.notice_working_days)
    except CalendarUnknown as exc:
        raise InvalidInput.on_field("body.starts_on", str(exc)) from None
    listed = await repository.unlisted_proposed(session, campaign.id)
    if not listed:
        raise NoticeRefused("the campaign has no proposed hire waiting for a public notice")
    notice = Notice(
        id=new_id(), campaign_id=campaign.id, starts_on=starts_on, ends_on=ends_on,
        published_by=caller.label, published_at=now,
    )  # fmt: skip
    await repository.add(session, notice)
    rows = []
    for application, posting in listed:
        masked = mask_for_notice(application.name, application.resident_id)
        rows.append(NoticeEntry(
            notice_id=notice.id, application_id=application.id, posting_code=posting.code,
            posting_title=posting.title, masked_name=masked.name,
            masked_resident_id=masked.resident_id, composite=application.composite,
        ))  # fmt: skip
        await record_step(session, application, "notice", S.PROPOSED, S.PROPOSED, caller, now,
                          reason=f"on the public notice from {starts_on} to {ends_on}")  # fmt: skip
    await repository.add_all(session, rows)
    await record_audit(
        session, caller, "notice.published", "notice", notice.id,
        changes={"campaign_id": campaign.id, "starts_on": str(starts_on),
                 "ends_on": str(ends_on), "entries": len(rows)},
    )  # fmt: skip
    return notice


async def found_notice(session: AsyncSession, notice_id: str) -> Notice:
    notice = await repository.notice(session, notice_id)
    if notice is None:
        raise NotFound(f"no notice {notice_id}")
    return notice


async def notice_read(session: AsyncSession, notice: Notice) -> NoticeRead:
    """The notice as anyone may read it: it is public."""
    campaign = await campaigns.found(session, notice.campaign_id)
    entries = await repository.entries(session, notice.id)
    return NoticeRead(
        id=notice.id, campaign_id=campaign.id, campaign_name=campaign.name,
        starts_on=notice.starts_on, ends_on=notice.ends_on, published_at=notice.published_at,
        entries=[NoticeEntryRead.model_validate(e) for e in entries],
    )  # fmt: skip


async def raise_objection(
    session: AsyncSession, caller: Caller, notice_id: str, body: ObjectionCreate, today: date,
    now: datetime,
) -> Objection:  # fmt: skip
    notice = await found_notice(session, notice_id)
    check_objection_open(notice.starts_on, notice.ends_on, today)
    entry = await repository.entry_of(session, body.application_id)
    if entry is None or entry.notice_id != notice.id:
        raise InvalidInput.on_field("body.application_id", "not listed on this notice")
    row = Objection(
        id=new_id(), notice_id=notice.id, application_id=entry.application_id,
        text=body.text.strip(), raised_by=caller.label, raised_at=now,
    )  # fmt: skip
    await repository.add(session, row)
    application = await _application(session, entry.application_id)
    status = S(application.status)
    # The step names no objector and quotes nothing: the applicant reads their timeline.
    await record_step(session, application, "objection", status, status, caller, now,
                      reason="an objection was raised on the public notice")  # fmt: skip
    return row


async def objections(session: AsyncSession, caller: Caller, notice_id: str) -> list[Objection]:
    """A notice's objections, for those running its campaign (a read: nothing is locked)."""
    notice = await found_notice(session, notice_id)
    campaign = await campaigns.found(session, notice.campaign_id)
    require_runs(await caller_scope(session, caller), campaign)
    return await repository.objections(session, notice.id)


async def resolve(
    session: AsyncSession, caller: Caller, objection_id: str, upheld: bool, reason: str | None,
    now: datetime,
) -> tuple[Objection, str | None]:  # fmt: skip
    """Upheld, the objection overturns the background review (考察): the application fails its
    checks and the place goes to the next ranked (递补). Dismissed, nothing moves."""
    row = await repository.objection(session, objection_id, lock=True)
    if row is None:
        raise NotFound(f"no objection {objection_id}")
    notice = await found_notice(session, row.notice_id)
    await _runs(session, caller, notice.campaign_id)
    if row.upheld is not None:
        raise NoticeRefused(f"objection {row.id} is already resolved")
    text = resolution_reason(reason)
    row.upheld, row.resolution, row.resolved_by, row.resolved_at = upheld, text, caller.label, now
    await locks.posting_of_application(session, row.application_id)  # before the application
    application = await _application(session, row.application_id)
    before, note = S(application.status), None
    if upheld and before is S.PROPOSED:
        await _move(session, application, "objection_upheld", S.CHECK_FAILED, caller, now, text)
        note = await _replace(session, caller, application, now)
    else:
        kind = "objection_upheld" if upheld else "objection_dismissed"
        await record_step(session, application, kind, before, before, caller, now, reason=text)
    await record_audit(session, caller, "objection.resolved", "objection", row.id,
                       changes={"upheld": upheld}, reason=text)  # fmt: skip
    return row, note


async def offer(
    session: AsyncSession, caller: Caller, application_id: str, start_date: date, today: date,
    now: datetime,
) -> Application:  # fmt: skip
    await locks.campaign_of_application(session, caller, application_id)  # locked first
    row = await _application(session, application_id)
    entry = await repository.entry_of(session, row.id)
    notice = None if entry is None else await repository.notice(session, entry.notice_id)
    check_offer(
        S(row.status), None if notice is None else notice.ends_on,
        await repository.open_objections(session, row.id), start_date, today,
    )  # fmt: skip
    row.start_date = start_date
    await _move(session, row, "offered", S.OFFERED, caller, now, f"start date {start_date}")
    await record_audit(session, caller, "application.offered", "application", row.id,
                       changes={"start_date": str(start_date)})  # fmt: skip
    return row


async def accept(
    session: AsyncSession, caller: Caller, application_id: str, today: date, now: datetime
) -> tuple[Application, bool]:
    """The applicant accepts; the hire goes to the roster at once when the start date has
    come (True), else on that day's run of the due hires."""
    row = await _own_offer(session, caller, application_id)
    await _move(session, row, "accepted", S.ACCEPTED, caller, now, None)
    sent = row.start_date is not None and row.start_date <= today
    if sent:
        sent = await hires.send(session, caller, row, now)
    return row, sent


async def decline(
    session: AsyncSession, caller: Caller, application_id: str, reason: str | None, now: datetime
) -> tuple[Application, str | None]:
    """The applicant declines: the place goes to the next ranked, into the checks (递补). The
    posting is locked before the application (recruitment.stages.locks)."""
    await locks.posting_of_application(session, application_id)
    row = await _own_offer(session, caller, application_id)
    await _move(session, row, "declined", S.DECLINED, caller, now, reason)
    return row, await _replace(session, caller, row, now)


async def _own_offer(session: AsyncSession, caller: Caller, application_id: str) -> Application:
    row = await _application(session, application_id)
    if row.applicant_subject != caller.subject:
        raise Forbidden("an applicant may answer only an offer made to them")
    check_answer(S(row.status))
    return row


async def _application(session: AsyncSession, application_id: str) -> Application:
    row = await applications.application(session, application_id, lock=True)
    if row is None:
        raise NotFound(f"no application {application_id}")
    return row


async def _runs(session: AsyncSession, caller: Caller, campaign_id: str) -> None:
    await campaigns.run_by(session, caller, campaign_id)


async def _move(
    session: AsyncSession, row: Application, kind: str, after: S, caller: Caller, now: datetime,
    reason: str | None,
) -> None:  # fmt: skip
    before = S(row.status)
    row.status, row.updated_at = after.value, now
    await record_step(session, row, kind, before, after, caller, now, reason=reason)


async def _replace(
    session: AsyncSession, caller: Caller, vacated: Application, now: datetime
) -> str | None:
    posting = await postings.found(session, vacated.posting_id, lock=True)
    campaign = await campaigns.found(session, posting.campaign_id)
    rules = await campaigns.rules_of(session, campaign)
    pool = await stages_repository.of_posting(session, posting.id)
    return await stages.replace(session, caller, posting, pool, rules, vacated, now)
