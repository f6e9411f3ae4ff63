"""Pay profiles: effective-dated, checked against the pay policy in force from their date."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.freeze import facts_changing, record_change
from payroll.ids import new_id
from payroll.models import PayProfile, PayWorker
from payroll.pay.contributions import housing_fund_rate
from payroll.pay.policy import PolicyBook
from payroll.pay.tax import PayError, special_deductions
from payroll.profiles import repository
from payroll.profiles.schemas import (
    ArrearsRead,
    EmploymentRead,
    PayProfileRead,
    ProfileCreate,
    ProfileRead,
    SpanRead,
)
from payroll.scope import mask_account
from payroll.workers import repository as workers
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, RuleBroken
from union_shared.money import from_fen, to_fen


def check(book: PolicyBook, body: ProfileCreate) -> None:
    try:
        policy = book.in_force(body.effective_from)
    except LookupError:
        first = book.versions[0].effective_from
        raise RuleBroken("effective_from", f"pay policy {book.id} starts on {first}") from None
    try:
        housing_fund_rate(policy.contributions, body.housing_fund_rate)
    except PayError as exc:
        raise RuleBroken("housing_fund_rate", str(exc)) from None
    try:
        special_deductions(policy.special_deductions, body.special_deductions)
    except PayError as exc:
        raise RuleBroken("special_deductions", str(exc)) from None


async def create(
    session: AsyncSession, caller: Caller, book: PolicyBook, worker: PayWorker, body: ProfileCreate
) -> PayProfile:
    check(book, body)
    await facts_changing(session)
    if await repository.profile_from(session, worker.worker_id, body.effective_from):
        raise Conflict(
            f"a profile from {body.effective_from} exists; add one with a later effective date"
        )
    row = PayProfile(
        id=new_id(),
        worker_id=worker.worker_id,
        effective_from=body.effective_from,
        contribution_base_fen=to_fen(body.contribution_base),
        housing_fund_rate=None if body.housing_fund_rate is None else str(body.housing_fund_rate),
        special_deductions=body.special_deductions.model_dump(mode="json"),
        bonus_taxation=body.bonus_taxation.value,
        bank_account=body.bank_account,
        account_name=body.account_name,
        recorded_by=caller.label,
        recorded_at=utc_now(),
    )
    await repository.add(session, row)
    changes = body.model_dump(mode="json")
    changes["bank_account"] = f"****{body.bank_account[-4:]}"  # the trail needs no full account
    await record_audit(
        session, caller, "pay_profile.created", "pay_profile", row.id,
        worker_id=worker.worker_id, changes=changes,
    )  # fmt: skip
    await record_change(session, "pay_profile", worker_id=worker.worker_id)
    return row


def profile_read(caller: Caller, row: PayProfile) -> ProfileRead:
    return ProfileRead(
        effective_from=row.effective_from,
        contribution_base=from_fen(row.contribution_base_fen),
        housing_fund_rate=row.housing_fund_rate,
        special_deductions=row.special_deductions,
        bonus_taxation=row.bonus_taxation,
        bank_account=mask_account(caller, row.bank_account),
        account_name=row.account_name,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


async def pay_profile(
    session: AsyncSession, caller: Caller, worker: PayWorker, as_of: date
) -> PayProfileRead:
    profiles = [
        profile_read(caller, p) for p in await repository.profiles(session, worker.worker_id)
    ]
    in_force = [p for p in profiles if p.effective_from <= as_of]
    spans = await workers.spans(session, worker.worker_id)
    arrears = await workers.arrears(session, worker.worker_id)
    return PayProfileRead(
        worker_id=worker.worker_id,
        unit_id=worker.unit_id,
        hire_date=worker.hire_date,
        left_on=worker.left_on,
        employments=[
            EmploymentRead(episode=e.episode, hire_date=e.hire_date, left_on=e.left_on)
            for e in await workers.episodes(session, worker.worker_id)
        ],
        qualification=worker.qualification,
        spans=[SpanRead.model_validate(s) for s in spans],
        profile=in_force[-1] if in_force else None,
        profiles=profiles,
        arrears=[
            ArrearsRead(
                for_period=a.for_period,
                pay_in_period=a.pay_in_period,
                amount=from_fen(a.amount_fen),
                cause_event_id=a.cause_event_id,
                explanation=a.detail.get("explanation", ""),
            )
            for a in arrears
        ],
    )
