"""Monthly runs over HTTP: draft, recompute, review, approve and lock, discard; payslips and the
run's exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from payroll.deps import BankReader, PayApprover, PayWriter, RunReader, SessionDep
from payroll.models import PayRun, PayslipRow
from payroll.pay.policy import PolicyBook, shipped_pay_policies
from payroll.runs import banks, exports, reading, service
from payroll.runs.review import review_of
from payroll.runs.schemas import (
    PERIOD,
    AnomalyRead,
    CostsRead,
    DifferenceRead,
    PayslipPage,
    PayslipRead,
    PayslipSummary,
    ReviewRead,
    RunCreate,
    RunRead,
    UnitCost,
)
from payroll.scope import BANK_READERS, mask_account, unit_in_scope
from union_shared.auth import Caller, RecordReader, Role
from union_shared.errors import Conflict
from union_shared.money import from_fen

router = APIRouter(tags=["runs"])
payslips_router = APIRouter(tags=["payslips"])

RunStatus = Literal["draft", "reviewed", "locked", "discarded"]
PeriodQuery = Annotated[str | None, Query(pattern=PERIOD)]


def _book(request: Request) -> PolicyBook:
    return shipped_pay_policies()[request.app.state.settings.pay_policy]


_run = reading.run_in_scope


def run_read(run: PayRun) -> RunRead:
    return RunRead(
        id=run.id, period=run.period, unit_id=run.unit_id, status=run.status,
        drafted_by=run.drafted_by, drafted_at=run.drafted_at, computed_at=run.computed_at,
        reviewed_by=run.reviewed_by, approved_by=run.approved_by, locked_at=run.locked_at,
        payslip_count=run.payslip_count, gross_total=from_fen(run.gross_fen),
        net_total=from_fen(run.net_fen), tax_total=from_fen(run.tax_fen),
        employer_cost_total=from_fen(run.employer_cost_fen), problems=run.problems,
    )  # fmt: skip


@router.post(
    "/runs",
    status_code=201,
    summary="Draft a monthly run for a period and a unit subtree (payroll officers, system)",
    description=(
        "Computes every payslip of the period for the workers whose unit on their last employed "
        "day of the month lies in the subtree: mid-month grade, unit and funder changes split "
        "the month; unpaid arrears are paid, and every unpaid appraisal bonus, a line per "
        "appraisal year (with two or more, separate taxation, allowed for one bonus a calendar "
        "year, goes to the bonus, or none, that withholds least this month, and the tax line "
        "states the tax under each choice); tax is withheld cumulatively from the worker's last "
        "locked payslip of the year. Workers who cannot be "
        "paid (no pay profile, no grade, no funder shares) are listed in `problems`. A run "
        "overlapping another unlocked or locked run of the same period is refused (409). "
        "Honours `Idempotency-Key`."
    ),
)
async def post_run(
    body: RunCreate, request: Request, session: SessionDep, caller: PayWriter
) -> RunRead:
    caller.require(*service.RUN_WRITERS)
    path = await unit_in_scope(session, caller, body.unit_id, field="body.unit_id")
    book = _book(request)
    return run_read(await service.draft(session, caller, book, body.period, body.unit_id, path))


@router.get("/runs", summary="Runs of your subtree, newest period first")
async def list_runs(
    session: SessionDep,
    caller: RunReader,
    period: PeriodQuery = None,
    status: Annotated[list[RunStatus] | None, Query()] = None,
) -> list[RunRead]:
    statuses = status or ["draft", "reviewed", "locked"]
    return [run_read(run) for run in await reading.runs(session, caller, period, statuses)]


@router.get("/runs/{run_id}", summary="A run: status, totals and the workers it cannot pay yet")
async def get_run(run_id: str, session: SessionDep, caller: RunReader) -> RunRead:
    return run_read(await _run(session, caller, run_id))


@router.post(
    "/runs/{run_id}/recompute",
    summary="Recompute an unlocked run from the facts as they are now",
    description="Back to draft: a recomputed run is reviewed again before approval.",
)
async def recompute_run(
    run_id: str, request: Request, session: SessionDep, caller: PayWriter
) -> RunRead:
    run = await _run(session, caller, run_id, *service.RUN_WRITERS, lock=True)
    return run_read(await service.recompute(session, caller, _book(request), run))


@router.get(
    "/runs/{run_id}/review",
    summary="Differences against last month and anomalies, for the reviewer",
    description=(
        "Per worker: gross and net against their locked payslip of the previous month, the "
        "largest moves first. Anomalies: workers who cannot be paid, negative net pay, payslip "
        "warnings (e.g. a bonus just above a tax bracket edge), workers new this month, gross "
        "moving by more than 20%, and workers paid last month but not in this run."
    ),
)
async def get_review(
    run_id: str,
    session: SessionDep,
    caller: RunReader,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> ReviewRead:
    run = await _run(session, caller, run_id)
    review = await review_of(session, run)
    return ReviewRead(
        run=run_read(run),
        previous_period=review.previous_period,
        previous_gross_total=review.previous_gross,
        previous_net_total=review.previous_net,
        difference_count=len(review.differences),
        differences=[DifferenceRead(**vars(d)) for d in review.differences[:limit]],
        anomaly_count=len(review.anomalies),
        anomalies=[AnomalyRead(**vars(a)) for a in review.anomalies[:limit]],
    )


@router.post(
    "/runs/{run_id}/review",
    summary="Mark a run reviewed (payroll officers)",
    description="Records who reviewed it; approval needs a reviewed run.",
)
async def review_run(run_id: str, session: SessionDep, caller: PayApprover) -> RunRead:
    run = await _run(session, caller, run_id, Role.PAYROLL_OFFICER, lock=True)
    return run_read(await service.mark_reviewed(session, caller, run))


@router.post(
    "/runs/{run_id}/approve",
    summary="Approve and lock a reviewed run (a payroll officer who did not draft it)",
    description=(
        "Refused (403) for the officer who drafted the run; refused (409) while workers cannot "
        "be paid, or when pay facts changed since the payslips were computed (recompute and "
        "review again). Locking closes the period for the subtree: the run and its payslips "
        "never change again, arrears it paid are settled, later changes are paid as arrears in "
        "a later run, and PayrollRunClosed is published."
    ),
)
async def approve_run(run_id: str, session: SessionDep, caller: PayApprover) -> RunRead:
    run = await _run(session, caller, run_id, Role.PAYROLL_OFFICER, lock=True)
    return run_read(await service.approve(session, caller, run))


@router.delete(
    "/runs/{run_id}",
    status_code=204,
    summary="Discard an unlocked run and its payslips",
    description="A locked run is never discarded (409).",
)
async def delete_run(run_id: str, session: SessionDep, caller: PayWriter) -> Response:
    run = await _run(session, caller, run_id, *service.RUN_WRITERS, lock=True)
    await service.discard(session, caller, run)
    return Response(status_code=204)


def _summary(caller: Caller, row: PayslipRow) -> PayslipSummary:
    return PayslipSummary(
        run_id=row.run_id, worker_id=row.worker_id, period=row.period, unit_id=row.unit_id,
        gross=from_fen(row.gross_fen), employee_deductions=from_fen(row.deductions_fen),
        tax=from_fen(row.tax_fen), net=from_fen(row.net_fen),
        employer_cost=from_fen(row.employer_cost_fen),
        bank_account=mask_account(caller, row.bank_account), warnings=row.warnings,
    )  # fmt: skip


@router.get(
    "/runs/{run_id}/payslips", summary="The run's payslips in worker order, a page at a time"
)
async def run_payslips(
    run_id: str,
    session: SessionDep,
    caller: RunReader,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PayslipPage:
    rows = await reading.run_payslips(session, caller, run_id, after, limit)
    return PayslipPage(
        items=[_summary(caller, r) for r in rows],
        next_after=rows[-1].worker_id if len(rows) == limit else None,
    )


@router.get(
    "/runs/{run_id}/costs",
    summary="Employer cost by funder and by unit",
    description="The funder parts are the payslips' exact splits, so they add up to the total.",
)
async def run_costs(run_id: str, session: SessionDep, caller: RunReader) -> CostsRead:
    run = await _run(session, caller, run_id)
    by_funder, by_unit = await exports.costs(session, run)
    return CostsRead(
        run_id=run.id,
        period=run.period,
        employer_cost_total=from_fen(run.employer_cost_fen),
        by_funder=by_funder,
        by_unit=[UnitCost(unit_id=u, **figures) for u, figures in by_unit.items()],
    )


def _chunks(target) -> Iterator[bytes]:
    with target:
        yield from iter(lambda: target.read(1 << 16), b"")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/runs/{run_id}/export.xlsx",
    summary="The run as .xlsx for the finance office",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX: {}}}},
)
async def run_workbook(run_id: str, session: SessionDep, caller: RunReader) -> StreamingResponse:
    run = await _run(session, caller, run_id)
    name = f"payroll-{run.period}-{run.unit_id}.xlsx"
    return StreamingResponse(
        _chunks(await exports.workbook(session, run)),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


BANK_FILE_DESCRIPTION = (
    "One transfer per payslip with a positive net, in worker order. Only a locked run is paid. "
    "`layout` chooses the bank's file layout: "
    + banks.described()
    + ". A layout that names payees needs the account holder's name (`account_name`) on a pay "
    "profile for the account paid: without it the reply is 409 naming the workers. Every reply "
    "carries the file's record count (`X-Record-Count`) and amount total (`X-Total-Amount`), to "
    "check against the bank's confirmation screen (核对总金额和笔数). An unknown layout is a 422 "
    "naming `query.layout`."
)
LayoutQuery = Annotated[
    banks.LayoutName, Query(description="The bank file layout; see the operation's description.")
]


@router.get(
    "/runs/{run_id}/bank-file",
    summary="The bank transfer file of a locked run, in a bank's layout (payroll officers, system)",
    description=BANK_FILE_DESCRIPTION,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "text/plain": {}}}},
)
@router.get(
    "/runs/{run_id}/bank-transfer.csv",
    summary="The bank transfer file of a locked run (payroll officers, system; the older path)",
    description=BANK_FILE_DESCRIPTION,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "text/plain": {}}}},
)
async def run_bank_file(
    run_id: str,
    session: SessionDep,
    caller: BankReader,
    layout: LayoutQuery = banks.LayoutName.generic_csv,
) -> StreamingResponse:
    run = await _run(session, caller, run_id, *BANK_READERS)
    if run.status != "locked":
        raise Conflict(f"run {run.id} is {run.status}: only a locked run goes to the bank")
    chosen = banks.LAYOUTS[layout.value]
    target, batch = await exports.bank_file(session, run, chosen)
    name = f"bank-{chosen.name}-{run.period}-{run.id}.{chosen.extension}"
    return StreamingResponse(
        _chunks(target),
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Record-Count": str(batch.count),
            "X-Total-Amount": f"{batch.total:.2f}",
        },
    )


def payslip_read(caller: Caller, row: PayslipRow, run: PayRun) -> PayslipRead:
    slip = row.slip
    return PayslipRead(
        run_id=row.run_id, worker_id=row.worker_id, period=row.period, unit_id=row.unit_id,
        status=run.status, policy=f"{slip['policy_id']} v{slip['policy_version']}",
        gross=slip["gross"], employee_deductions=slip["employee_deductions"], tax=slip["tax"],
        net=slip["net"], employer_contributions=slip["employer_contributions"],
        employer_cost=slip["employer_cost"], contribution_base=slip["contribution_base"],
        lines=slip["lines"], funder_parts=slip["funder_parts"], warnings=slip["warnings"],
        bank_account=mask_account(caller, row.bank_account),
    )  # fmt: skip


@payslips_router.get(
    "/workers/{worker_id}/payslips",
    summary="A worker's payslips from locked runs, newest first",
    description="Workers see their own; payroll officers, auditors and administrators in scope.",
)
async def worker_payslips(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[PayslipSummary]:
    found = await reading.worker_payslips(session, caller, worker_id)
    return [_summary(caller, slip) for slip, _ in found]


@payslips_router.get(
    "/workers/{worker_id}/payslips/{period}",
    summary="One payslip with every line explained (for the mobile app)",
    description=(
        "Each line says how its amount was reached: the rate and coefficient, proration days, "
        "the contribution base after the floor and ceiling, the cumulative tax withholding, "
        "arrears per month and the bonus band. Only payslips of locked runs are shown."
    ),
)
async def worker_payslip(
    worker_id: str,
    period: Annotated[str, Path(pattern=PERIOD, examples=["2026-03"])],
    session: SessionDep,
    caller: RecordReader,
) -> PayslipRead:
    slip, run = await reading.worker_payslip(session, caller, worker_id, period)
    return payslip_read(caller, slip, run)
