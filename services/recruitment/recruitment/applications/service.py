"""Application use cases: submit (screened at once against the posting's requirements),
withdraw, and read: an applicant their own, the tree's readers those of postings in their
part of the tree. Identifiers are masked for callers who do not need them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications import repository
from recruitment.applications.domain import (
    ApplicationStatus,
    DuplicateApplication,
    check_submission,
    check_withdrawal,
    screened,
)
from recruitment.applications.schemas import (
    ApplicationCreate,
    ApplicationRead,
    ClaimRead,
    Document,
    Step,
)
from recruitment.campaigns import service as campaigns
from recruitment.campaigns.domain import CampaignStatus, Window
from recruitment.ids import new_id
from recruitment.models import Application, ApplicationEvent, BonusClaim
from recruitment.postings import service as posting_service
from recruitment.postings.domain import PostingStatus
from recruitment.rules.eligibility import ApplicantFacts, Failure, Requirements, screen
from recruitment.rules.masking import resident_id_problem
from recruitment.rules.schema import parse_rules
from union_shared.audit import record_audit
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden, InvalidInput, NotFound
from union_shared.identifiers import mask_phone, mask_resident_id
from union_shared.resident_id import (
    InvalidResidentId,
    ResidentId,
    keyed_hash,
    parse_resident_id,
)


async def submit(
    session: AsyncSession, caller: Caller, campaign_id: str, body: ApplicationCreate,
    hash_key: bytes, now: datetime,
) -> ApplicationRead:  # fmt: skip
    """Check, screen and store one application; the reply is built from what was written (no
    read back), as the caller sees it. Two statements on PostgreSQL: the checks' one read, and
    the application with its first step (its bonus claims, when any, are a third)."""
    claimed = bool(body.bonus_claims)  # most claim nothing: then the rules are not needed
    found = await repository.opening(session, campaign_id, body.posting_id, with_rules=claimed)
    if found is None:
        raise NotFound(f"no campaign {campaign_id}")
    if found.posting_id is None:
        raise InvalidInput.on_field(
            "body.posting_id", f"the campaign has no posting {body.posting_id}"
        )
    check_submission(
        CampaignStatus(found.status), Window(found.window_opens_at, found.window_closes_at),
        PostingStatus(found.posting_status), now,
    )  # fmt: skip
    try:
        person = parse_resident_id(body.resident_id, as_of=now.date())
    except InvalidResidentId as exc:
        raise InvalidInput.on_field("body.resident_id", resident_id_problem(exc)) from None
    if claimed:
        _check_claims(body.bonus_claims, found.rules)
    facts = ApplicantFacts(
        birth_date=person.birth_date, education=body.education,
        majors=tuple(m.strip() for m in body.majors), residence_region=body.residence_region,
        years_experience=body.years_experience, qualification=body.qualification,
    )  # fmt: skip
    failures = screen(Requirements.model_validate(found.requirements), facts)
    row = _new_row(caller, found.id, found.posting_id, body, person, facts, failures, hash_key, now)
    claims = [{"application_id": row["id"], "code": code, "review": "pending", "reason": None}
              for code in dict.fromkeys(body.bonus_claims)]  # fmt: skip
    step = _first_step(caller, row, failures, now)
    if not await repository.insert_submission(session, row, step, claims):
        raise _duplicate()  # one application per person per campaign: the unique index decided
    written = SimpleNamespace(**row, composite=None, rank=None)
    return read(caller, written, [SimpleNamespace(**step)],  # type: ignore[arg-type]
                [SimpleNamespace(**c) for c in sorted(claims, key=lambda c: c["code"])])  # fmt: skip


def _check_claims(claims: list[str], rules: dict[str, Any] | None) -> None:
    assert rules is not None  # every campaign is created with its version 1
    offered = {item.code for item in parse_rules(rules).bonus.items}
    for i, code in enumerate(claims):
        if code not in offered:
            raise InvalidInput.on_field(
                f"body.bonus_claims.{i}", f"the campaign offers no bonus item {code}"
            )


def _new_row(
    caller: Caller, campaign_id: str, posting_id: str, body: ApplicationCreate, person: ResidentId,
    facts: ApplicantFacts, failures: list[Failure], hash_key: bytes, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """The application's columns as first stored (the stages set the rest later)."""
    return {
        "id": new_id(), "campaign_id": campaign_id, "posting_id": posting_id,
        "id_hash": keyed_hash(person.number, hash_key), "resident_id": person.number,
        "name": body.name.strip(), "sex": person.sex.value, "birth_date": person.birth_date,
        "phone": body.phone, "email": body.email, "education": body.education.value,
        "majors": list(facts.majors), "residence_region": body.residence_region,
        "years_experience": body.years_experience, "qualification": body.qualification.value,
        "documents": [d.model_dump() for d in body.documents],
        "applicant_subject": caller.subject, "status": screened(failures).value,
        "screening": [{"rule": f.rule.value, "message": f.message} for f in failures],
        "submitted_at": now, "updated_at": now, "bonus_points": Decimal("0.00"), "run_off_needed": False,
    }  # fmt: skip


def _first_step(
    caller: Caller, row: dict[str, Any], failures: list[Failure], now: datetime
) -> dict[str, Any]:
    """The timeline's first step: submitted, and how the automatic screening went."""
    reason = "automatic screening: " + ("failed " + ", ".join(f.rule.value for f in failures)
                                        if failures else "every requirement met")  # fmt: skip
    return {
        "id": new_id(), "application_id": row["id"], "kind": "submitted", "status_from": None,
        "status_to": row["status"], "actor": caller.label, "at": now, "reason": reason,
        "detail": {"failures": row["screening"]} if failures else None,
    }  # fmt: skip


def _duplicate() -> DuplicateApplication:
    return DuplicateApplication(
        "this person has already applied to this campaign: one application per person per "
        "campaign (withdrawn or not)"
    )


async def record_step(
    session: AsyncSession, row: Application, kind: str, before: ApplicationStatus | None,
    after: ApplicationStatus, caller: Caller, now: datetime, *, reason: str | None = None,
    detail: dict | None = None,
) -> None:  # fmt: skip
    event = ApplicationEvent(
        id=new_id(), application_id=row.id, kind=kind,
        status_from=None if before is None else before.value, status_to=after.value,
        actor=caller.label, at=now, reason=reason, detail=detail,
    )  # fmt: skip
    await repository.add(session, event)


async def withdraw(
    session: AsyncSession, caller: Caller, application_id: str, reason: str | None, now: datetime
) -> tuple[Application, ApplicationStatus]:
    """The applicant's own withdrawal; the application and the status it left (a place held
    then is for the stages to fill again)."""
    row = await _found(session, application_id, lock=True)
    if row.applicant_subject != caller.subject:
        raise Forbidden("an applicant may withdraw only their own application")
    before = ApplicationStatus(row.status)
    check_withdrawal(before, await repository.hire_sent(session, row.id))
    row.status, row.updated_at = ApplicationStatus.WITHDRAWN.value, now
    await repository.flush(session)
    await record_step(session, row, "withdrawn", before, ApplicationStatus.WITHDRAWN, caller, now,
                reason=reason)  # fmt: skip
    await record_audit(session, caller, "application.withdrawn", "application", row.id,
                       reason=reason)  # fmt: skip
    return row, before


async def _found(session: AsyncSession, application_id: str, *, lock: bool = False) -> Application:
    row = await repository.application(session, application_id, lock=lock)
    if row is None:
        raise NotFound(f"no application {application_id}")
    return row


async def seen(session: AsyncSession, caller: Caller, application_id: str) -> Application:
    """An applicant's own application, or one of a posting the caller may read."""
    row = await _found(session, application_id)
    if caller.role is Role.APPLICANT:
        if row.applicant_subject != caller.subject:
            raise Forbidden("an applicant may see only their own applications")
        return row
    await posting_service.seen(session, caller, row.posting_id)
    return row


async def own(session: AsyncSession, caller: Caller) -> list[Application]:
    return await repository.of_subject(session, caller.subject)


async def of_campaign(
    session: AsyncSession, caller: Caller, campaign_id: str, posting_id: str | None,
    status: ApplicationStatus | None, limit: int, offset: int,
) -> list[Application]:  # fmt: skip
    """Every application for those running the campaign, else those of postings in the
    caller's part of the tree."""
    campaign = await campaigns.seen(session, caller, campaign_id)
    root = await posting_service.reading_root(session, caller, campaign)
    return await repository.of_campaign(
        session, campaign.id, root, posting_id, None if status is None else status.value,
        limit, offset,
    )  # fmt: skip


async def reads(
    session: AsyncSession, caller: Caller, rows: list[Application]
) -> list[ApplicationRead]:
    ids = [r.id for r in rows]
    timelines = await repository.steps(session, ids) if rows else {}
    claims = await repository.claims(session, ids) if rows else {}
    return [read(caller, row, timelines[row.id], claims[row.id]) for row in rows]


def read(
    caller: Caller, row: Application, steps: list[ApplicationEvent], claims: list[BonusClaim]
) -> ApplicationRead:
    whole = caller.sees_identifiers
    return ApplicationRead(
        id=row.id, campaign_id=row.campaign_id, posting_id=row.posting_id,
        resident_id=row.resident_id if whole else mask_resident_id(row.resident_id),
        name=row.name, sex=row.sex, birth_date=row.birth_date if whole else None,
        birth_year=row.birth_date.year, phone=row.phone if whole else mask_phone(row.phone) or "",
        email=row.email, education=row.education, majors=row.majors,
        residence_region=row.residence_region, years_experience=row.years_experience,
        qualification=row.qualification, documents=[Document(**d) for d in row.documents],
        status=row.status, screening=row.screening,
        bonus_claims=[ClaimRead.model_validate(c) for c in claims], bonus_points=row.bonus_points,
        composite=row.composite, rank=row.rank, run_off_needed=row.run_off_needed,
        submitted_at=row.submitted_at,
        timeline=[Step.model_validate(step) for step in steps],
    )  # fmt: skip
