"""How many payslips a second one core computes, and what storing and reloading one costs.

Run: uv run python -m payroll.pay.speed   (a timing script, not a test)

Typical: one interval covering the whole month, a qualification allowance, no bonus, no
arrears, no special deductions, a year to date. "Distinct bases" gives every worker a declared
base of their own, so no worker's contributions are reused from another's. CPU time is measured,
so other processes on the machine change the figures less.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from payroll.pay.compute import PayFacts, Payslip, compute_payslip
from payroll.pay.policy import shipped_pay_policies

BOOK = shipped_pay_policies()["tianjin-pay"]
CITY = [{"funder": "city", "percent": "100"}]
SHARED = [{"funder": "city", "percent": "40"}, {"funder": "district", "percent": "60"}]


def interval(
    start: str, end: str | None = None, post: str = "junior", level: int = 3, funders=CITY
):
    grade = {"ladder": "tianjin-3p18l", "post": post, "level": level}
    return {"start": start, "end": end, "grade": grade, "unit_id": "u-1", "funders": funders}


def facts(**changes: Any) -> PayFacts:
    data = {
        "period": {"year": 2025, "month": 4},
        "hired_on": "2024-01-01",
        "intervals": [interval("2024-01-01")],
        "qualification": "social_worker",
        "declared_base": "6000",
        "ytd": {
            "wages_taxable": "13800.00",
            "employee_contributions": "3690.00",
            "tax_withheld": "0.00",
            "months_employed": 3,
        },
    }
    return PayFacts.model_validate(data | changes)


TYPICAL = facts()
SPLIT = facts(
    intervals=[
        interval("2024-01-01", "2025-04-14"),
        interval("2025-04-15", post="middle", level=4, funders=SHARED),
    ]
)
BONUS = facts(bonus={"rating": "excellent", "months_served": 12})


def per_second(work: Callable[[], object], seconds: float = 1.0) -> float:
    done = 0
    started = time.process_time()
    while (elapsed := time.process_time() - started) < seconds:
        for _ in range(200):
            work()
        done += 200
    return done / elapsed


def distinct_bases(count: int = 20_000) -> float:
    """One pass over `count` workers, each with a declared base no other worker has."""
    workers = [facts(declared_base=str(Decimal(600_000 + i) / 100)) for i in range(count)]
    started = time.process_time()
    for worker in workers:
        compute_payslip(BOOK, worker)
    return count / (time.process_time() - started)


def microseconds(work: Callable[[], object]) -> float:
    return 1e6 / per_second(work, seconds=0.5)


if __name__ == "__main__":
    for name, case in (("typical", TYPICAL), ("split month", SPLIT), ("bonus", BONUS)):
        print(f"{name}: {per_second(lambda c=case: compute_payslip(BOOK, c)):,.0f} payslips/s")
    print(f"typical, distinct bases: {distinct_bases():,.0f} payslips/s")
    slip = compute_payslip(BOOK, TYPICAL)
    record = slip.as_record()
    for name, work in (
        ("as_record()", slip.as_record),
        ('model_dump(mode="json")', lambda: slip.model_dump(mode="json")),
        ("Payslip.from_record()", lambda: Payslip.from_record(record)),
        ("Payslip.model_validate()", lambda: Payslip.model_validate(record)),
    ):
        print(f"{name}: {microseconds(work):.1f} µs")
