"""How many payslips a second one core computes, and what storing and reloading one costs.

Run: uv run python bench/payroll_pay_speed.py (a timing script, not a test)

Typical: one interval covering the whole month, a qualification allowance, no bonus, no
arrears, no special deductions, a year to date. "Distinct bases" gives every worker a declared
base of their own, so no worker's contributions are reused from another's. "A run's population"
resembles bench/payroll_run.py's February: units shared by one to three funders, declared bases
from below the floor to above the ceiling, mid-month steps, hires, leavers, bonuses and arrears.
It is timed with the memos emptied (as in a fresh process) and the cycle collector paused (as
the run pauses it), twice: as the bench's "pay core alone" times it (every payslip, then every
slip's JSON) and as the run works (each slip's JSON right after computing it). CPU time is
measured, so other processes change the figures less.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from payroll_run import (
    FEBRUARY,
    FUNDER_MIXES,
    POST_MIX,
    POSTS,
    QUALIFICATIONS,
    RATINGS,
    contribution_base,
)

from payroll.pay import funders, slipjson
from payroll.pay import payslip as payslip_module
from payroll.pay import trusted as trusted_module
from payroll.pay.arrears import ArrearsMonthFacts, compute_arrears
from payroll.pay.compute import PayFacts, Payslip, compute_payslip
from payroll.pay.earnings import Interval
from payroll.pay.funders import FunderShare
from payroll.pay.policy import shipped_pay_policies
from payroll.pay.tax import SpecialDeductionClaim

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
BONUS = facts(bonuses=[{"rating": "excellent", "months_served": 12}])

# --- a run's population, after bench/payroll_run.py ----------------------------------------------


def _base(rng: random.Random) -> str:
    """The run's declared bases (fen, from below the floor to above the ceiling), as yuan."""
    return str(Decimal(contribution_base(rng)) / 100)


def _claim(rng: random.Random) -> dict[str, Any]:
    claim: dict[str, Any] = {}
    if rng.random() < 0.4:
        if rng.random() < 0.5:
            claim["children_in_education"] = rng.choice([1, 1, 2])
        if rng.random() < 0.3:
            claim["elderly_only_child"] = True
        if rng.random() < 0.3:
            claim["housing_loan"] = True
    return claim


class _Shared:
    """Values many workers hold alike, each validated once, as payroll.runs.facts.Shared shares
    them in a run: one tuple of shares per unit, one interval per span, grade and unit."""

    def __init__(self) -> None:
        self.intervals: dict[tuple, Interval] = {}
        self.claims: dict[tuple, SpecialDeductionClaim] = {}

    def interval(self, start: date, end: date, post: str, level: int, unit: _Unit) -> Interval:
        key = (start, end, post, level, unit.id, id(unit.shares))
        if key not in self.intervals:
            grade = {"ladder": "tianjin-3p18l", "post": post, "level": level}
            self.intervals[key] = Interval.model_validate({
                "start": start, "end": end, "grade": grade, "unit_id": unit.id,
                "funders": unit.shares,
            })  # fmt: skip
        return self.intervals[key]

    def claim(self, data: dict[str, Any]) -> SpecialDeductionClaim:
        key = tuple(sorted(data.items()))
        if key not in self.claims:
            self.claims[key] = SpecialDeductionClaim.model_validate(data)
        return self.claims[key]


@dataclass(frozen=True)
class _Unit:
    id: str
    shares: tuple[FunderShare, ...]


def _shares(mix: dict[str, str]) -> tuple[FunderShare, ...]:
    return tuple(FunderShare(funder=f, percent=Decimal(p)) for f, p in mix.items())


def _worker(
    rng: random.Random, units: list[tuple[_Unit, _Unit | None]], shared: _Shared
) -> PayFacts:
    unit, changed = rng.choice(units)
    roll = rng.random()
    hired = date(2026, 2, rng.randint(2, 27)) if roll < 0.005 else date(2020, 1, 1)
    left = date(2026, 2, rng.randint(1, 27)) if 0.005 <= roll < 0.01 else None
    first, last = max(hired, FEBRUARY[0]), left or FEBRUARY[1]
    post = rng.choice(POST_MIX)
    level = rng.randint(*POSTS[post])
    cuts = {first}
    step = None
    if level < POSTS[post][1] and left is None and rng.random() < 0.05:
        step = date(2026, 2, rng.randint(2, 28))
        cuts.add(step)
    if changed is not None and first < date(2026, 2, 16) <= last:
        cuts.add(date(2026, 2, 16))
    starts = sorted(cuts)
    ends = [s - timedelta(days=1) for s in starts[1:]] + [last]
    intervals = [
        shared.interval(s, e, post, level + (step is not None and s >= step),
                        changed if changed and s >= date(2026, 2, 16) else unit)
        for s, e in zip(starts, ends, strict=True)
    ]  # fmt: skip
    data: dict[str, Any] = {
        "period": {"year": 2026, "month": 2},
        "hired_on": hired,
        "left_on": left,
        "intervals": intervals,
        "qualification": rng.choice(QUALIFICATIONS),
        "declared_base": _base(rng),
        "housing_fund_rate": None if rng.random() < 0.5 else rng.choice(["0.05", "0.08", "0.12"]),
        "special_deductions": shared.claim(_claim(rng)),
    }
    if hired < FEBRUARY[0]:  # January's payslip, as the locked run left it
        wages = rng.randint(4_000_00, 9_000_00)
        data["ytd"] = {
            "wages_taxable": str(Decimal(wages) / 100),
            "employee_contributions": str(Decimal(wages * 105 // 1000) / 100),
            "tax_withheld": str(Decimal(max(0, wages - 5_000_00) * 3 // 100) / 100),
            "months_employed": 1,
        }
    if rng.random() < 0.03:
        data["bonuses"] = [{"rating": rng.choice(RATINGS), "months_served": 12}]
    if left is None and hired < FEBRUARY[0] and level < POSTS[post][1] and rng.random() < 0.02:
        data["arrears"] = _arrears(post, level, data["qualification"])
    return PayFacts.model_validate(data)


def _arrears(post: str, level: int, qualification: str) -> Any:
    """January again, a level up: as a regrading received after January was locked."""
    city = [{"funder": "city", "percent": "100"}]
    old, new = (
        {"start": date(2020, 1, 1), "grade": {"ladder": "tianjin-3p18l", "post": post,
         "level": at}, "unit_id": "u", "funders": city}
        for at in (level, level + 1)
    )  # fmt: skip
    month = ArrearsMonthFacts.model_validate({
        "period": {"year": 2026, "month": 1}, "hired_on": date(2020, 1, 1),
        "old_intervals": [old], "new_intervals": [new], "qualification": qualification,
    })  # fmt: skip
    return compute_arrears(BOOK, [month])


def population(count: int = 10_000, seed: int = 20260201) -> list[PayFacts]:
    """`count` workers' February 2026, as the run's facts would give them."""
    rng = random.Random(seed)
    units: list[tuple[_Unit, _Unit | None]] = [
        (_Unit(f"u-{i}", _shares(rng.choice(FUNDER_MIXES))), None) for i in range(49)
    ]
    for i in rng.sample(range(49), 2):  # two units change shares in mid-February
        units[i] = (units[i][0], _Unit(units[i][0].id, _shares(rng.choice(FUNDER_MIXES))))
    shared = _Shared()
    return [_worker(rng, units, shared) for _ in range(count)]


def forget() -> None:
    """Empty the memos, as in a fresh process."""
    trusted_module._derived.clear()
    for memo in (payslip_module._line_records, payslip_module._stored_lines, slipjson._shared):
        memo.values.clear()
        memo.seen.clear()
    slipjson._heads.clear()
    funders._weights_of.clear()


def bench_pass(workers: list[PayFacts]) -> tuple[float, float, float]:
    """Microseconds per payslip as bench/payroll_run.py times the pay core alone: every payslip
    (memos cold), then every slip's JSON, by model_dump_json and by as_json."""
    forget()
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        slips = [compute_payslip(BOOK, worker) for worker in workers]
        computed = time.process_time()
        for slip in slips:
            slip.model_dump_json()
        dumped = time.process_time()
        for slip in slips:
            slip.as_json()
        joined = time.process_time()
    finally:
        gc.enable()
    return _per_slip(workers, computed - started, dumped - computed, joined - dumped)


def run_pass(workers: list[PayFacts], as_json: bool) -> float:
    """Microseconds per payslip as the run works: each slip's JSON (kept, as the run keeps its
    rows) right after computing it, memos cold."""
    forget()
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        if as_json:
            texts = [compute_payslip(BOOK, worker).as_json() for worker in workers]
        else:
            texts = [compute_payslip(BOOK, worker).model_dump_json() for worker in workers]
        elapsed = time.process_time() - started
    finally:
        gc.enable()
    del texts
    return _per_slip(workers, elapsed)[0]


def _per_slip(workers: list[PayFacts], *seconds: float) -> tuple[float, ...]:
    return tuple(s / len(workers) * 1e6 for s in seconds)


# --- timing --------------------------------------------------------------------------------------


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
    workers = population()
    compute, dumped, joined = bench_pass(workers)
    print(
        f"a run's population, {len(workers):,} workers, per payslip, as the bench times it: "
        f"compute_payslip {compute:.1f} µs, then model_dump_json {dumped:.1f} µs or as_json "
        f"{joined:.1f} µs"
    )
    print(
        "  as the run works, each slip's JSON right after it: compute_payslip + model_dump_json "
        f"{run_pass(workers, False):.1f} µs, compute_payslip + as_json {run_pass(workers, True):.1f} µs"
    )
    for name, case in (("typical", TYPICAL), ("split month", SPLIT), ("bonus", BONUS)):
        print(f"{name}: {per_second(lambda c=case: compute_payslip(BOOK, c)):,.0f} payslips/s")
    print(f"typical, distinct bases: {distinct_bases():,.0f} payslips/s")
    slip = compute_payslip(BOOK, TYPICAL)
    record = slip.as_record()
    for name, work in (
        ("as_json()", slip.as_json),
        ("model_dump_json()", slip.model_dump_json),
        ("as_record()", slip.as_record),
        ('model_dump(mode="json")', lambda: slip.model_dump(mode="json")),
        ("Payslip.from_record()", lambda: Payslip.from_record(record)),
        ("Payslip.model_validate()", lambda: Payslip.model_validate(record)),
    ):
        print(f"{name}: {microseconds(work):.1f} µs")
