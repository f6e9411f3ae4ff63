"""Funder shares per unit: effective-dated, exactly 100% (checked by the pay core)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.freeze import facts_changing, record_change
from payroll.funders import repository
from payroll.funders.schemas import FundersHistory, FundersRead, FundersUpdate
from payroll.models import FunderShares
from payroll.pay.funders import FunderShare, check_shares
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, RuleBroken


def _as_json(body: FundersUpdate) -> dict[str, str]:
    return {funder.value: str(percent) for funder, percent in body.shares.items()}


async def put_shares(
    session: AsyncSession, caller: Caller, unit_id: str, body: FundersUpdate, today: date
) -> tuple[FunderShares, bool]:
    """The stored version and whether it was written now. A version already in force is never
    rewritten (a later date replaces it); a future one may be, as plans change before they bite."""
    try:
        check_shares([FunderShare(funder=f.value, percent=p) for f, p in body.shares.items()])
    except ValueError as exc:
        raise RuleBroken("shares", str(exc)) from None
    shares = _as_json(body)
    await facts_changing(session)
    stored = await repository.shares_from(session, unit_id, body.effective_from)
    if stored is not None and stored.shares == shares:
        return stored, False
    if stored is not None and stored.effective_from <= today:
        raise Conflict(
            f"shares in force since {stored.effective_from} are never rewritten; "
            "put new shares with a later effective date"
        )
    before = stored.shares if stored is not None else None
    now = utc_now()
    if stored is None:
        stored = FunderShares(
            unit_id=unit_id,
            effective_from=body.effective_from,
            shares=shares,
            recorded_by=caller.label,
            recorded_at=now,
        )
        await repository.add(session, stored)
    else:
        stored.shares, stored.recorded_by, stored.recorded_at = shares, caller.label, now
    await record_audit(
        session, caller, "funder_shares.set", "unit", unit_id,
        changes={"effective_from": body.effective_from, "before": before, "after": shares},
    )  # fmt: skip
    await record_change(session, "funder_shares", effective_from=body.effective_from)
    return stored, True


def read(row: FunderShares) -> FundersRead:
    return FundersRead.model_validate(row, from_attributes=True)


async def history(session: AsyncSession, unit_id: str, as_of: date) -> FundersHistory:
    rows = [read(r) for r in await repository.history(session, unit_id)]
    current = [r for r in rows if r.effective_from <= as_of]
    return FundersHistory(unit_id=unit_id, in_force=current[-1] if current else None, history=rows)
