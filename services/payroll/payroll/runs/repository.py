"""Every SQL statement about monthly runs and payslips."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    MetaData,
    Row,
    Table,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator

from payroll.models import (
    ArrearsLine,
    BonusEntitlement,
    FunderShares,
    GradeSpan,
    PayEmployment,
    PayProfile,
    PayRun,
    PayslipBonus,
    PayslipRow,
    PayWorker,
    WorkerUnit,
)
from union_shared.bulk import insert_rows
from union_shared.repository import add as add

LOCKED = "locked"
OPEN = ("draft", "reviewed")
# A batch's id range is read whole when it holds at most this many workers per worker of the
# batch: reading a few rows too many costs less than sending thousands of ids in the statement.
RANGE_SLACK = 2


async def run(session: AsyncSession, run_id: str, *, lock: bool = False) -> PayRun | None:
    query = select(PayRun).where(PayRun.id == run_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def runs_for(
    session: AsyncSession, period: str | None, statuses: Sequence[str]
) -> list[PayRun]:
    query = (
        select(PayRun)
        .where(PayRun.status.in_(statuses))
        .order_by(PayRun.period.desc(), PayRun.drafted_at)
    )
    if period is not None:
        query = query.where(PayRun.period == period)
    return list((await session.scalars(query)).all())


async def _rows(session: AsyncSession, query: Any) -> list[Row]:
    """A select of columns (no entities) run on the session's connection, without the ORM's
    per-row machinery: a run reads hundreds of thousands of such rows."""
    return list((await (await session.connection()).execute(query)).all())


def _in_unit(unit_id: str):
    return WorkerUnit.unit_path.contains(f"/{unit_id}/", autoescape=True)


async def candidates(session: AsyncSession, first: date, last: date, unit_id: str) -> list[Row]:
    """Workers employed at some time in the period who ever belonged under the unit; the run
    keeps those whose unit on their last employed day lies under it.

    Employed means in some employment episode: the current one (the worker's own dates, as
    every worker not re-hired has only that one), or an earlier, ended one (a re-hired worker's
    past months, run late). A row's dates are the current episode's even then: the run loads
    the episodes of such workers (`episodes`). A month between two episodes finds neither."""
    ever_under = select(WorkerUnit.worker_id).where(_in_unit(unit_id))
    ended = select(PayEmployment.worker_id).where(
        PayEmployment.left_on >= first, PayEmployment.hire_date <= last
    )
    current = and_(
        PayWorker.hire_date <= last, or_(PayWorker.left_on.is_(None), PayWorker.left_on >= first)
    )
    query = (
        select(PayWorker.worker_id, PayWorker.hire_date, PayWorker.left_on, PayWorker.qualification)
        .where(or_(current, PayWorker.worker_id.in_(ended)), PayWorker.worker_id.in_(ever_under))
        .order_by(PayWorker.worker_id)
    )
    return await _rows(session, query)


async def episodes(session: AsyncSession, worker_ids: list[str]) -> list[Row]:
    """The employment episodes of these workers, oldest first (a worker stored before episodes
    were has none)."""
    query = (
        select(
            PayEmployment.worker_id, PayEmployment.episode, PayEmployment.hire_date,
            PayEmployment.left_on,
        )
        .where(PayEmployment.worker_id.in_(worker_ids))
        .order_by(PayEmployment.worker_id, PayEmployment.episode)
    )  # fmt: skip
    return await _rows(session, query)


@dataclass(frozen=True, slots=True)
class Batch:
    """Workers a run loads together, in worker order. The queries below take one and may return
    rows of other workers whose ids fall between the batch's first and last: callers keep the
    rows of the workers they asked for."""

    worker_ids: list[str]
    whole_range: bool  # few other workers in the id range: select the range, not each id

    def among(self, column: Any) -> Any:
        ids = self.worker_ids
        return column.between(ids[0], ids[-1]) if self.whole_range else column.in_(ids)


async def batch_of(session: AsyncSession, worker_ids: list[str]) -> Batch:
    """A batch of workers (sorted by id), read by id range when few others fall inside it."""
    inside = (
        select(func.count())
        .select_from(PayWorker)
        .where(PayWorker.worker_id.between(worker_ids[0], worker_ids[-1]))
    )
    found = await session.scalar(inside)
    return Batch(worker_ids, found is not None and found <= RANGE_SLACK * len(worker_ids))


async def paid_elsewhere(session: AsyncSession, period: str, batch: Batch) -> set[str]:
    """Workers a locked run already paid for the period (after a move between subtrees)."""
    query = (
        select(PayslipRow.worker_id)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(
            PayslipRow.period == period, PayRun.status == LOCKED, batch.among(PayslipRow.worker_id)
        )
    )
    return set((await session.scalars(query)).all())


async def units(session: AsyncSession, batch: Batch) -> list[Row]:
    query = (
        select(WorkerUnit.worker_id, WorkerUnit.start, WorkerUnit.unit_id, WorkerUnit.unit_path)
        .where(batch.among(WorkerUnit.worker_id))
        .order_by(WorkerUnit.worker_id, WorkerUnit.start)
    )
    return await _rows(session, query)


async def spans(session: AsyncSession, batch: Batch, first: date, last: date) -> list[Row]:
    query = (
        select(
            GradeSpan.worker_id, GradeSpan.policy_id, GradeSpan.post, GradeSpan.level,
            GradeSpan.start, GradeSpan.end,
        )
        .where(
            batch.among(GradeSpan.worker_id),
            GradeSpan.superseded_at.is_(None),
            GradeSpan.start <= last,
            or_(GradeSpan.end.is_(None), GradeSpan.end >= first),
        )
        .order_by(GradeSpan.worker_id, GradeSpan.start)
    )  # fmt: skip
    return await _rows(session, query)


async def profiles(session: AsyncSession, batch: Batch, last: date) -> list[Row]:
    query = (
        select(
            PayProfile.worker_id, PayProfile.effective_from, PayProfile.contribution_base_fen,
            PayProfile.housing_fund_rate, PayProfile.bank_account, PayProfile.bonus_taxation,
            # As stored: most workers claim alike, so the run parses each distinct claim once.
            cast(PayProfile.special_deductions, Text).label("special_deductions_json"),
        )
        .where(batch.among(PayProfile.worker_id), PayProfile.effective_from <= last)
        .order_by(PayProfile.worker_id, PayProfile.effective_from)
    )  # fmt: skip
    return await _rows(session, query)


async def all_funder_shares(session: AsyncSession, last: date) -> list[Row]:
    query = (
        select(FunderShares.unit_id, FunderShares.effective_from, FunderShares.shares)
        .where(FunderShares.effective_from <= last)
        .order_by(FunderShares.unit_id, FunderShares.effective_from)
    )
    return list((await session.execute(query)).all())


async def unpaid_arrears(session: AsyncSession, batch: Batch, period: str) -> list[Row]:
    query = (
        select(ArrearsLine.id, ArrearsLine.worker_id, ArrearsLine.amount_fen, ArrearsLine.detail)
        .where(
            batch.among(ArrearsLine.worker_id),
            ArrearsLine.paid_in_run_id.is_(None),
            ArrearsLine.pay_in_period <= period,
        )
        .order_by(ArrearsLine.worker_id, ArrearsLine.for_period, ArrearsLine.recorded_at)
    )
    return list((await session.execute(query)).all())


def _bonus_paid(worker_id, year):
    return exists().where(
        PayslipBonus.worker_id == worker_id,
        PayslipBonus.appraisal_year == year,
        PayslipBonus.run_id == PayRun.id,
        PayRun.status == LOCKED,
    )


async def unpaid_entitlements(session: AsyncSession, batch: Batch) -> list[Row]:
    query = (
        select(BonusEntitlement.worker_id, BonusEntitlement.appraisal_year, BonusEntitlement.rating)
        .where(
            batch.among(BonusEntitlement.worker_id),
            BonusEntitlement.superseded_at.is_(None),
            ~_bonus_paid(BonusEntitlement.worker_id, BonusEntitlement.appraisal_year),
        )
        .order_by(BonusEntitlement.worker_id, BonusEntitlement.appraisal_year)
    )
    return list((await session.execute(query)).all())


async def separate_bonus_used(session: AsyncSession, batch: Batch, year: int) -> set[str]:
    query = (
        select(PayslipRow.worker_id)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(
            batch.among(PayslipRow.worker_id),
            PayslipRow.bonus_separate.is_(True),
            PayslipRow.period.startswith(f"{year}-"),
            PayRun.status == LOCKED,
        )
    )
    return set((await session.scalars(query)).all())


async def year_to_date(
    session: AsyncSession, batch: Batch, year: int, period: str
) -> dict[str, dict]:
    """Each worker's tax year to date after their latest locked payslip before `period`."""
    locked = (
        select(PayslipRow.worker_id, func.max(PayslipRow.period))
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(
            batch.among(PayslipRow.worker_id),
            PayslipRow.period >= f"{year}-01",
            PayslipRow.period < period,
            PayRun.status == LOCKED,
        )
        .group_by(PayslipRow.worker_id)
    )
    query = (
        select(PayslipRow.worker_id, PayslipRow.ytd_after)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(tuple_(PayslipRow.worker_id, PayslipRow.period).in_(locked), PayRun.status == LOCKED)
    )
    return {row.worker_id: row.ytd_after for row in await session.execute(query)}


class JSONText(TypeDecorator):
    """A JSON column whose values arrive already serialised (JSON text), stored as they are."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Any) -> None:
        return None


# The payslips table as a run writes it: the JSON columns take the text the run serialised.
_PAYSLIPS_AS_TEXT = Table(
    PayslipRow.__tablename__,
    MetaData(),
    *(
        Column(
            c.name, JSONText() if isinstance(c.type, JSON) else c.type, primary_key=c.primary_key
        )
        for c in PayslipRow.__table__.columns
    ),
)


async def insert_payslips(session: AsyncSession, rows: list[dict]) -> None:
    """Payslip rows whose JSON columns (arrears_ids, warnings, funder_parts, ytd_after, slip) are
    JSON text already; by COPY on PostgreSQL."""
    await insert_rows(session, _PAYSLIPS_AS_TEXT, rows)


async def insert_payslip_bonuses(session: AsyncSession, rows: list[dict]) -> None:
    """Each appraisal year's bonus the run's payslips pay (a payslip may pay several)."""
    await insert_rows(session, PayslipBonus.__table__, rows)


async def delete_payslips(session: AsyncSession, run_id: str) -> None:
    await session.execute(delete(PayslipBonus).where(PayslipBonus.run_id == run_id))
    await session.execute(delete(PayslipRow).where(PayslipRow.run_id == run_id))


async def arrears_ids(session: AsyncSession, run_id: str) -> list[str]:
    query = select(PayslipRow.arrears_ids).where(PayslipRow.run_id == run_id)
    return [i for ids in (await session.scalars(query)).all() for i in ids]


async def mark_arrears_paid(session: AsyncSession, ids: list[str], run_id: str) -> None:
    for start in range(0, len(ids), 5000):
        await session.execute(
            update(ArrearsLine)
            .where(ArrearsLine.id.in_(ids[start : start + 5000]))
            .values(paid_in_run_id=run_id)
            .execution_options(synchronize_session=False)
        )


async def in_run(session: AsyncSession, run_id: str, worker_ids: list[str]) -> set[str]:
    query = select(PayslipRow.worker_id).where(
        PayslipRow.run_id == run_id, PayslipRow.worker_id.in_(worker_ids)
    )
    return set((await session.scalars(query)).all())


async def unit_paths(session: AsyncSession, worker_ids: list[str]) -> list[str | None]:
    query = select(WorkerUnit.unit_path).where(WorkerUnit.worker_id.in_(worker_ids))
    return list((await session.scalars(query)).all())


async def slip_totals(session: AsyncSession, run_id: str) -> list[Row]:
    query = select(
        PayslipRow.worker_id, PayslipRow.gross_fen, PayslipRow.net_fen, PayslipRow.warnings
    ).where(PayslipRow.run_id == run_id)
    return list((await session.execute(query)).all())


async def previous_totals(session: AsyncSession, run: PayRun, period: str) -> list[Row]:
    """Locked payslips of `period` for workers in this run or ever under its unit."""
    ever_under = select(WorkerUnit.worker_id).where(_in_unit(run.unit_id))
    in_this_run = select(PayslipRow.worker_id).where(PayslipRow.run_id == run.id)
    query = (
        select(PayslipRow.worker_id, PayslipRow.gross_fen, PayslipRow.net_fen)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(
            PayslipRow.period == period,
            PayRun.status == LOCKED,
            or_(PayslipRow.worker_id.in_(ever_under), PayslipRow.worker_id.in_(in_this_run)),
        )
    )
    return list((await session.execute(query)).all())


async def run_payslips(
    session: AsyncSession, run_id: str, after: str | None, limit: int
) -> list[PayslipRow]:
    query = (
        select(PayslipRow)
        .where(PayslipRow.run_id == run_id)
        .order_by(PayslipRow.worker_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(PayslipRow.worker_id > after)
    return list((await session.scalars(query)).all())


async def worker_payslips(
    session: AsyncSession, worker_id: str, period: str | None = None
) -> list[tuple[PayslipRow, PayRun]]:
    """The worker's payslips from locked runs, newest period first."""
    query = (
        select(PayslipRow, PayRun)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(PayslipRow.worker_id == worker_id, PayRun.status == LOCKED)
        .order_by(PayslipRow.period.desc())
    )
    if period is not None:
        query = query.where(PayslipRow.period == period)
    return [(slip, run) for slip, run in (await session.execute(query)).all()]


def payee_name() -> Any:
    """A column for the payslips query: the holder's name (户名) of the payslip's account, from
    the worker's latest pay profile that names the holder of that account (a name given after
    the run locked still reaches its bank file; the account paid stays the payslip's own)."""
    return (
        select(PayProfile.account_name)
        .where(
            PayProfile.worker_id == PayslipRow.worker_id,
            PayProfile.bank_account == PayslipRow.bank_account,
            PayProfile.account_name.is_not(None),
        )
        .order_by(PayProfile.effective_from.desc())
        .limit(1)
        .scalar_subquery()
        .label("account_name")
    )


async def transfer_totals(session: AsyncSession, run_id: str) -> tuple[int, int]:
    """How many of the run's payslips pay a positive net, and their total in fen."""
    query = select(func.count(), func.coalesce(func.sum(PayslipRow.net_fen), 0)).where(
        PayslipRow.run_id == run_id, PayslipRow.net_fen > 0
    )
    count, total = (await session.execute(query)).one()
    return count, int(total)


async def stream_payslips(session: AsyncSession, run_id: str, columns: Sequence) -> object:
    """The run's payslips in worker order, streamed (exports of 100,000 rows stay small)."""
    query = select(*columns).where(PayslipRow.run_id == run_id).order_by(PayslipRow.worker_id)
    return await session.stream(query.execution_options(yield_per=2000))
