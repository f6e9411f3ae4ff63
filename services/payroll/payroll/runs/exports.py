"""What leaves a run: the .xlsx for the finance office, the bank transfer file (in a bank's
layout, see payroll.runs.banks), cost by funder and by unit. Each streams the run's payslips in
worker order, so 100,000 rows stay small."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from decimal import Decimal

import xlsxwriter
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import PayRun, PayslipRow
from payroll.runs import repository
from payroll.runs.banks import BankFile, BankLayout, Batch, Transfer, Unwritable
from union_shared.errors import Conflict
from union_shared.money import from_fen

ZERO = Decimal("0.00")
# Line codes in the order the finance office reads them; any other code follows these.
LINE_ORDER = (
    "base", "performance", "certificate", "arrears", "annual_bonus",
    "pension.employee", "medical.employee", "unemployment.employee", "housing_fund.employee",
    "income_tax", "bonus_tax",
    "pension.employer", "medical.employer", "unemployment.employer", "work_injury.employer",
    "housing_fund.employer",
)  # fmt: skip
TOTALS = (
    ("gross_fen", "Gross 应发"),
    ("deductions_fen", "Employee contributions 个人缴费"),
    ("tax_fen", "Tax 个税"),
    ("net_fen", "Net 实发"),
    ("employer_cost_fen", "Employer cost 单位成本"),
)


class CostTally:
    """Employer cost by funder (the payslips' exact parts) and by unit (with gross and net),
    added up one payslip row at a time."""

    COLUMNS = (
        PayslipRow.unit_id, PayslipRow.funder_parts, PayslipRow.gross_fen, PayslipRow.net_fen,
        PayslipRow.employer_cost_fen,
    )  # fmt: skip

    def __init__(self) -> None:
        self.by_funder: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.by_unit: dict[str, dict] = {}

    def add(self, row) -> None:
        for funder, amount in row.funder_parts.items():
            self.by_funder[funder] += Decimal(amount)
        unit = self.by_unit.setdefault(
            row.unit_id, {"payslips": 0, "gross": 0, "net": 0, "cost": 0}
        )
        unit["payslips"] += 1
        unit["gross"] += row.gross_fen
        unit["net"] += row.net_fen
        unit["cost"] += row.employer_cost_fen

    def result(self) -> tuple[dict[str, Decimal], dict[str, dict]]:
        units = {
            unit_id: {
                "payslips": u["payslips"],
                "gross": from_fen(u["gross"]),
                "net": from_fen(u["net"]),
                "employer_cost": from_fen(u["cost"]),
            }
            for unit_id, u in sorted(self.by_unit.items())
        }
        return dict(sorted(self.by_funder.items())), units


async def costs(session: AsyncSession, run: PayRun) -> tuple[dict[str, Decimal], dict[str, dict]]:
    tally = CostTally()
    async for row in await repository.stream_payslips(session, run.id, CostTally.COLUMNS):
        tally.add(row)
    return tally.result()


async def bank_file(
    session: AsyncSession, run: PayRun, layout: BankLayout
) -> tuple[tempfile.SpooledTemporaryFile, Batch]:
    """The run's transfers in a bank's layout (see payroll.runs.banks): one per payslip with a
    positive net, in worker order. Written whole before the reply starts, while the request's
    database session is still open, so a payee the layout cannot carry is a problem reply (409
    naming the workers), never a broken download."""
    count, total = await repository.transfer_totals(session, run.id)
    batch = Batch(run.id, run.period, count, from_fen(total))
    target = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller closes it)
    out = BankFile(layout, batch, target)
    columns = [PayslipRow.worker_id, PayslipRow.bank_account, PayslipRow.net_fen]
    if layout.names_payees:
        columns.append(repository.payee_name())
    refused: list[str] = []
    async for row in await repository.stream_payslips(session, run.id, columns):
        if row.net_fen > 0:
            name = row.account_name if layout.names_payees else None
            try:
                out.add(Transfer(row.worker_id, row.bank_account, name, from_fen(row.net_fen)))
            except Unwritable as exc:
                refused.append(str(exc))
    if refused:
        target.close()
        raise Conflict(
            f"{len(refused)} transfer(s) cannot be written in the {layout.name} layout: "
            f"{'; '.join(refused[:10])}. Give the account holder's name as the bank holds it "
            "(account_name) in a new pay profile for the account the run pays."
        )
    out.finish()
    target.seek(0)
    return target, batch


async def workbook(session: AsyncSession, run: PayRun) -> tempfile.SpooledTemporaryFile:
    """The run as .xlsx: a sheet of payslips (a column per pay line, then the totals), cost by
    funder and cost by unit. Written in constant memory to a spooled file."""
    target = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller closes it)
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    money = book.add_format({"num_format": "#,##0.00"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Payslips")
    columns = dict.fromkeys((  # one pass gives the payslips sheet and the cost sheets
        PayslipRow.worker_id, PayslipRow.slip, PayslipRow.deductions_fen, PayslipRow.tax_fen,
        *CostTally.COLUMNS,
    ))  # fmt: skip
    tally = CostTally()
    header = [
        "Worker",
        "Unit",
        *LINE_ORDER,
        *(label for _, label in TOTALS),
        "Warnings",
        "Other lines",
    ]
    sheet.write_row(0, 0, header, bold)
    at = {code: 2 + i for i, code in enumerate(LINE_ORDER)}
    first_total = 2 + len(LINE_ORDER)
    number = 0
    async for row in await repository.stream_payslips(session, run.id, tuple(columns)):
        tally.add(row)
        number += 1
        sheet.write_string(number, 0, row.worker_id)
        sheet.write_string(number, 1, row.unit_id)
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in row.slip["lines"]:
            sums[line["code"]] += Decimal(line["amount"])
        other = []
        for code, amount in sums.items():
            if code in at:
                sheet.write_number(number, at[code], amount, money)
            else:  # a line the core gained after this layout: named in the last column
                other.append(f"{code} {amount:,.2f}")
        if other:
            sheet.write_string(number, first_total + len(TOTALS) + 1, "; ".join(other))
        for i, (field, _) in enumerate(TOTALS):
            sheet.write_number(number, first_total + i, from_fen(getattr(row, field)), money)
        if row.slip["warnings"]:
            sheet.write_string(number, first_total + len(TOTALS), " | ".join(row.slip["warnings"]))
    by_funder, by_unit = tally.result()
    funders = book.add_worksheet("Cost by funder")
    funders.write_row(0, 0, ["Funder", "Employer cost"], bold)
    for i, (funder, amount) in enumerate(by_funder.items(), start=1):
        funders.write_string(i, 0, funder)
        funders.write_number(i, 1, amount, money)
    units = book.add_worksheet("Cost by unit")
    units.write_row(0, 0, ["Unit", "Payslips", "Gross", "Net", "Employer cost"], bold)
    for i, (unit_id, u) in enumerate(by_unit.items(), start=1):
        units.write_string(i, 0, unit_id)
        units.write_number(i, 1, u["payslips"])
        for j, key in enumerate(("gross", "net", "employer_cost"), start=2):
            units.write_number(i, j, u[key], money)
    book.close()
    target.seek(0)
    return target
