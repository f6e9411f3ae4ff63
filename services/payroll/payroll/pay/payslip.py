"""The payslip: one worker's month, its totals checked against its lines, and its stored record.

Totals (DOMAIN.md, "Pay"): net = gross − employee contributions − tax; employer cost = gross +
employer contributions, divided exactly between the funders. A payslip built by validation
(model_validate) and one assembled by the core (`assembled`) are held to the same check.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import model_validator

from union_shared.money import Money

from .earnings import LineKind, PayLine, Period, _Value, pay_line
from .funders import FunderPart, funder_part
from .slipjson import attached, line_json, string
from .tax import ZERO, YearToDate
from .trusted import Memo, fen, trusted


class Payslip(_Value):
    period: Period
    policy_id: str
    policy_version: int
    lines: tuple[PayLine, ...]
    gross: Money
    employee_deductions: Money
    tax: Money
    net: Money
    employer_contributions: Money
    employer_cost: Money
    contribution_base: Money
    funder_parts: tuple[FunderPart, ...]
    warnings: tuple[str, ...]
    ytd_after: YearToDate  # this tax year including this month: next month's `ytd`

    @model_validator(mode="after")
    def _adds_up(self) -> Payslip:
        check_adds_up(self)
        return self

    def lines_of(self, kind: LineKind) -> tuple[PayLine, ...]:
        return tuple(line for line in self.lines if line.kind is kind)

    def as_record(self) -> dict[str, Any]:
        """JSON-ready data for storage, equal to model_dump(mode="json") but cheaper."""
        return {
            "period": {"year": self.period.year, "month": self.period.month},
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "lines": [_line_record(line) for line in self.lines],
            "gross": f"{self.gross:.2f}",
            "employee_deductions": f"{self.employee_deductions:.2f}",
            "tax": f"{self.tax:.2f}",
            "net": f"{self.net:.2f}",
            "employer_contributions": f"{self.employer_contributions:.2f}",
            "employer_cost": f"{self.employer_cost:.2f}",
            "contribution_base": f"{self.contribution_base:.2f}",
            "funder_parts": [
                {"funder": p.funder, "amount": f"{p.amount:.2f}", "explanation": p.explanation}
                for p in self.funder_parts
            ],
            "warnings": list(self.warnings),
            "ytd_after": _ytd_record(self.ytd_after),
        }

    def as_json(self) -> str:
        """The payslip as JSON text for storage: the very text model_dump_json() writes, from
        pieces kept per line (see slipjson), faster. (A string holding a lone surrogate, which
        model_dump_json refuses, is written as it is; encoding the text to UTF-8 refuses it.)"""
        period, ytd = self.period, self.ytd_after
        texts = attached(self)
        return "".join((
            f'{{"period":{{"year":{period.year},"month":{period.month}}},"policy_id":',
            string(self.policy_id),
            f',"policy_version":{self.policy_version},"lines":[',
            ",".join([texts.get(id(line)) or line_json(line) for line in self.lines]),
            f'],"gross":"{self.gross:.2f}","employee_deductions":"{self.employee_deductions:.2f}",'
            f'"tax":"{self.tax:.2f}","net":"{self.net:.2f}",'
            f'"employer_contributions":"{self.employer_contributions:.2f}",'
            f'"employer_cost":"{self.employer_cost:.2f}",'
            f'"contribution_base":"{self.contribution_base:.2f}","funder_parts":[',
            ",".join([
                f'{{"funder":{string(p.funder)},"amount":"{p.amount:.2f}",'
                f'"explanation":{string(p.explanation)}}}'
                for p in self.funder_parts
            ]),
            '],"warnings":[',
            ",".join([string(warning) for warning in self.warnings]),
            f'],"ytd_after":{{"wages_taxable":"{ytd.wages_taxable:.2f}",'
            f'"employee_contributions":"{ytd.employee_contributions:.2f}",'
            f'"special_deductions":"{ytd.special_deductions:.2f}",'
            f'"tax_withheld":"{ytd.tax_withheld:.2f}","months_employed":{ytd.months_employed}}}}}',
        ))  # fmt: skip

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Payslip:
        """The payslip an `as_record` stored, rebuilt without a full validation: every amount is
        parsed and every total checked again, as model_validate would, but unknown keys are not
        refused. For data from anywhere else, use model_validate."""
        period = record["period"]
        ytd = record["ytd_after"]
        values = {
            "period": Period(year=period["year"], month=period["month"]),
            "policy_id": _text(record["policy_id"]),
            "policy_version": _whole(record["policy_version"]),
            "lines": tuple(_line_from(line) for line in record["lines"]),
            **{name: _money(record[name]) for name in _TOTALS},
            "funder_parts": tuple(
                funder_part(_text(p["funder"]), _money(p["amount"]), _text(p["explanation"]))
                for p in record["funder_parts"]
            ),
            "warnings": tuple(_text(w) for w in record["warnings"]),
            "ytd_after": YearToDate.of(
                *(_money(ytd[name]) for name in _YTD_AMOUNTS), _whole(ytd["months_employed"])
            ),
        }
        return assembled(values)


_FIELDS = frozenset(Payslip.model_fields)
_TOTALS = (
    "gross",
    "employee_deductions",
    "tax",
    "net",
    "employer_contributions",
    "employer_cost",
    "contribution_base",
)
_YTD_AMOUNTS = ("wages_taxable", "employee_contributions", "special_deductions", "tax_withheld")


def assembled(values: dict[str, Any]) -> Payslip:
    """A payslip from computed values (every field, in order; amounts to the fen), checked to add
    up but not validated field by field again."""
    slip = trusted(Payslip, values, _FIELDS)
    check_adds_up(slip)
    return slip


def check_adds_up(slip: Payslip) -> None:
    """Each total is the sum of its lines, net and employer cost follow, the funders share it."""
    earned = deducted = taxed = contributed = funded = ZERO
    for line in slip.lines:  # kinds compared by identity: an enum's hash is a Python call
        kind = line.kind
        if kind is _EARNING:
            earned += line.amount
        elif kind is _DEDUCTION:
            deducted += line.amount
        elif kind is _TAX:
            taxed += line.amount
        elif kind is _CONTRIBUTION:
            contributed += line.amount
    for part in slip.funder_parts:
        funded += part.amount
    checks = (
        ("gross", slip.gross, earned),
        ("employee deductions", slip.employee_deductions, deducted),
        ("tax", slip.tax, taxed),
        ("employer contributions", slip.employer_contributions, contributed),
        ("net", slip.net, slip.gross - slip.employee_deductions - slip.tax),
        ("employer cost", slip.employer_cost, slip.gross + slip.employer_contributions),
        ("funder parts", slip.employer_cost, funded),
    )
    for name, stated, computed in checks:
        if stated != computed:
            raise ValueError(f"payslip {name} {stated} does not add up to {computed}")


_EARNING = LineKind.EARNING
_DEDUCTION = LineKind.EMPLOYEE_DEDUCTION
_TAX = LineKind.TAX
_CONTRIBUTION = LineKind.EMPLOYER_CONTRIBUTION


def _line_record(line: PayLine) -> dict[str, Any]:
    # Most lines of a run are the same few (a grade's earnings, a base's contributions): their
    # records are built once and copied, so no two payslip records share a mutable dict. The
    # kind is keyed by identity (members are singletons): hashing an enum is a Python call. The
    # amount's sign is keyed too: 0.00 equals -0.00, but the two are written differently.
    amount = line.amount
    key = (
        id(line.kind), line.code, line.label, amount, amount.is_signed(), line.explanation,
        line.start, line.end,
    )  # fmt: skip
    return dict(_line_records.get(key, _new_line_record, line))


def _new_line_record(line: PayLine) -> dict[str, Any]:
    start, end = line.start, line.end
    return {
        "kind": line.kind.value,
        "code": line.code,
        "label": line.label,
        "amount": f"{line.amount:.2f}",
        "explanation": line.explanation,
        "start": None if start is None else start.isoformat(),
        "end": None if end is None else end.isoformat(),
    }


_line_records = Memo()


def _ytd_record(ytd: YearToDate) -> dict[str, Any]:
    return {
        "wages_taxable": f"{ytd.wages_taxable:.2f}",
        "employee_contributions": f"{ytd.employee_contributions:.2f}",
        "special_deductions": f"{ytd.special_deductions:.2f}",
        "tax_withheld": f"{ytd.tax_withheld:.2f}",
        "months_employed": ytd.months_employed,
    }


def _line_from(record: dict[str, Any]) -> PayLine:
    key = (
        record["kind"], record["code"], record["label"], record["amount"],
        record["explanation"], record["start"], record["end"],
    )  # fmt: skip
    return _stored_lines.get(key, _new_line_from, *key)


def _new_line_from(
    kind: str, code: str, label: str, amount: str, explanation: str, start: str, end: str
) -> PayLine:
    line = pay_line(
        LineKind(kind), _text(code), _text(label), _money(amount), _text(explanation),
        _day(start), _day(end),
    )  # fmt: skip
    # A record names every field, so model_validate would mark them all as set.
    line.model_fields_set.update(("start", "end"))
    return line


_stored_lines = Memo()  # PayLine is immutable: one rebuilt line serves every equal record


def _money(text: Any) -> Decimal:
    if type(text) is not str:
        raise TypeError(f"a stored amount is a decimal string, not {text!r}")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValueError(f"not a money amount: {text!r}")
    return fen(amount)


def _day(text: Any) -> date | None:
    return None if text is None else date.fromisoformat(_text(text))


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"a stored text is a string, not {value!r}")
    return value


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"a stored count is an integer, not {value!r}")
    return value
