"""The payslip the README explains line by line, computed here so the README stays true."""

from decimal import Decimal

from payroll.pay.compute import PayFacts, compute_payslip
from payroll.pay.earnings import LineKind
from payroll.pay.policy import shipped_pay_policies

BOOK = shipped_pay_policies()["tianjin-pay"]
SHARES = [{"funder": "city", "percent": "60"}, {"funder": "district", "percent": "40"}]


def month(number: int, ytd: dict):
    def grade(level: int) -> dict:
        return {"ladder": "tianjin-3p18l", "post": "senior", "level": level}

    facts = PayFacts.model_validate(
        {
            "period": {"year": 2026, "month": number},
            "hired_on": "2014-03-01",
            "intervals": [
                {
                    "start": "2026-01-01",
                    "end": "2026-03-15",
                    "grade": grade(17),
                    "unit_id": "street",
                    "funders": SHARES,
                },
                {"start": "2026-03-16", "grade": grade(18), "unit_id": "street", "funders": SHARES},
            ],
            "qualification": "senior_social_worker",
            "declared_base": "8300",
            "ytd": ytd,
        }
    )
    return compute_payslip(BOOK, facts)


def test_the_readme_payslip():
    january = month(1, {})
    february = month(2, january.ytd_after.model_dump(mode="json"))
    assert january.gross == february.gross == Decimal("8100.00")
    assert february.ytd_after.tax_withheld == Decimal("83.91")
    march = month(3, february.ytd_after.model_dump(mode="json"))
    earnings = [(line.code, str(line.amount)) for line in march.lines_of(LineKind.EARNING)]
    assert earnings == [
        ("base", "2641.94"), ("performance", "1132.25"), ("certificate", "145.16"),
        ("base", "2890.32"), ("performance", "1238.71"), ("certificate", "154.84"),
    ]  # fmt: skip
    assert [str(line.amount) for line in march.lines_of(LineKind.EMPLOYEE_DEDUCTION)] == [
        "664.00", "166.00", "41.50", "830.00",
    ]  # fmt: skip
    (tax,) = march.lines_of(LineKind.TAX)
    assert tax.amount == Decimal("45.05") and "4,298.72" in tax.explanation
    assert (march.gross, march.employee_deductions, march.net) == (
        Decimal("8203.22"), Decimal("1701.50"), Decimal("6456.67"),
    )  # fmt: skip
    assert [str(line.amount) for line in march.lines_of(LineKind.EMPLOYER_CONTRIBUTION)] == [
        "1328.00", "788.50", "41.50", "33.20", "830.00",
    ]  # fmt: skip
    assert march.employer_cost == Decimal("11224.42")
    assert [(p.funder, str(p.amount)) for p in march.funder_parts] == [
        ("city", "6734.65"), ("district", "4489.77"),
    ]  # fmt: skip
