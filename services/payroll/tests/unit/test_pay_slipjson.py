import gc
import itertools
from decimal import Decimal

from payroll.pay import slipjson
from payroll.pay.arrears import ArrearsMonthFacts, compute_arrears
from payroll.pay.compute import PayFacts, Payslip, compute_payslip
from payroll.pay.earnings import Period, clip
from payroll.pay.policy import shipped_pay_policies
from payroll.pay.trusted import Memo

BOOK = shipped_pay_policies()["tianjin-pay"]
D = Decimal
SHARED = [{"funder": "city", "percent": "33.33"}, {"funder": "district", "percent": "66.67"}]


def facts(**changes):
    data = {
        "period": {"year": 2025, "month": 3},
        "hired_on": "2024-01-01",
        "intervals": [
            {
                "start": "2024-01-01",
                "grade": {"ladder": "tianjin-3p18l", "post": "junior", "level": 3},
                "unit_id": "u-1",
                "funders": SHARED,
            }
        ],
        "declared_base": "6000",
    }
    return PayFacts.model_validate(data | changes)


FUNDER_MIXES = [
    [{"funder": "city", "percent": "100"}],
    SHARED,
    [
        {"funder": "city", "percent": "50"},
        {"funder": "district", "percent": "30"},
        {"funder": "township", "percent": "20"},
    ],
    [
        {"funder": "provincial", "percent": "20"},
        {"funder": "city", "percent": "33.33"},
        {"funder": "district", "percent": "33.33"},
        {"funder": "township", "percent": "13.34"},
    ],
]
BASES = ["3999.99", "5124", "7123.45", "25620", "30000.5"]


def grade(level, post="junior"):
    return {"ladder": "tianjin-3p18l", "post": post, "level": level}


def arrears():
    """March again, a level up: a regrading received after March was locked."""
    old, new = (
        {"start": "2024-01-01", "grade": grade(level), "unit_id": "u-1", "funders": SHARED}
        for level in (3, 4)
    )
    month = ArrearsMonthFacts.model_validate(
        {
            "period": {"year": 2025, "month": 3},
            "hired_on": "2024-01-01",
            "old_intervals": [old],
            "new_intervals": [new],
            "qualification": "social_worker",
        }
    )
    return compute_arrears(BOOK, [month])


def runs_population():
    """April 2025 in every shape a run gives the pay core: one to four funders, a mid-month
    step and a change of funders, a hire and a departure in the month, bonuses, arrears,
    special deductions and bases below, within and above the contribution limits."""
    for n, (mix, base) in enumerate(itertools.product(FUNDER_MIXES, BASES)):
        hired = "2025-04-10" if n % 7 == 3 else "2024-01-01"
        step = [
            {"start": "2024-01-01", "end": "2025-04-14", "grade": grade(3), "unit_id": "u-1"},
            {"start": "2025-04-15", "grade": grade(4, "middle"), "unit_id": "u-2"},
        ]
        yield facts(
            period={"year": 2025, "month": 4},
            hired_on=hired,
            left_on="2025-04-20" if n % 5 == 1 else None,
            intervals=[{**span, "funders": mix if i else SHARED} for i, span in enumerate(step)]
            if n % 2
            else [{"start": hired, "grade": grade(5), "unit_id": "u-1", "funders": mix}],
            declared_base=base,
            qualification=["none", "social_worker", "senior_social_worker"][n % 3],
            housing_fund_rate=[None, "0.05", "0.12"][n % 3],
            special_deductions={"children_in_education": n % 3, "housing_loan": n % 2 == 0},
            bonuses=[{"rating": "excellent", "months_served": 12}] if n % 4 == 0 else [],
            arrears=arrears() if n % 6 == 5 else None,
        )


def contributions(slip):
    return [line for line in slip.lines if line.code.endswith((".employee", ".employer"))]


def test_as_json_over_a_runs_population():
    """Shared intervals, two to four funders, mid-month splits, hires, leavers, bonuses, arrears,
    bases below, within and above the limits; JSON written after each slip, then after all."""
    workers = list(runs_population())
    slips = []
    for worker in workers:
        slip = compute_payslip(BOOK, worker)
        assert slip.as_json() == slip.model_dump_json()
        slips.append(slip)
    assert all(slip.as_json() == slip.model_dump_json() for slip in slips)


def test_bases_clamped_alike_share_their_amounts_but_quote_their_own_declared_base():
    low, lower = (compute_payslip(BOOK, facts(declared_base=b)) for b in ("4000", "3999.99"))
    assert [line.amount for line in contributions(low)] == [
        line.amount for line in contributions(lower)
    ]
    assert contributions(low)[0].explanation == (
        "Base 5,124.00 (the declared average 4,000.00 is raised to the floor 5,124.00) × 8.00% "
        "employee rate = 409.92; whole month."
    )
    assert contributions(lower)[0].explanation.startswith(
        "Base 5,124.00 (the declared average 3,999.99 is raised"
    )
    high = compute_payslip(BOOK, facts(declared_base="30000.5"))
    assert contributions(high)[-1].explanation == (
        "Base 25,620.00 (the declared average 30,000.50 is cut to the ceiling 25,620.00) × "
        "10.00% employer rate = 2,562.00; whole month."
    )
    within = compute_payslip(BOOK, facts(declared_base="5124"))
    assert contributions(within)[0].explanation.startswith(
        "Base 5,124.00 (the declared average 5,124.00 lies within 5,124.00 to 25,620.00) × "
    )
    for slip in (low, lower, high, within):
        assert slip.as_json() == slip.model_dump_json()


def test_strings_are_escaped_as_pydantic_escapes_them():
    record = compute_payslip(BOOK, facts()).as_record()
    odd = 'a "quote", a \\ backslash, \x00\x01\x1f\t\n\r\x08\x0c\x7f, é, 工资, 🙂, \u2028 /'
    record["policy_id"] = odd
    record["lines"][0]["label"] = odd
    record["lines"][0]["explanation"] = odd
    record["lines"][-1]["code"] = odd
    record["funder_parts"][0]["funder"] = odd
    record["funder_parts"][1]["explanation"] = odd
    record["warnings"] = [odd, ""]
    slip = Payslip.model_validate(record)
    assert slip.as_json() == slip.model_dump_json()


def test_a_zero_written_with_its_sign():
    record = compute_payslip(BOOK, facts()).as_record()
    record["lines"].append({**record["lines"][0], "amount": "-0.00", "code": "zero"})
    slip = Payslip.model_validate(record)
    assert '"amount":"-0.00"' in slip.as_json()
    assert slip.as_json() == slip.model_dump_json()


def test_what_a_payslip_keeps_beside_itself_goes_with_it():
    slip = compute_payslip(BOOK, facts(declared_base="7123.45"))
    key = id(slip)
    assert slipjson.attached(slip)
    assert slipjson.attached(Payslip.from_record(slip.as_record())) == {}
    del slip
    gc.collect()
    assert key not in slipjson._attached


def test_an_interval_within_the_employed_days_is_not_copied():
    within = facts(
        intervals=[
            {
                "start": "2025-03-01",
                "end": "2025-03-31",
                "grade": {"ladder": "tianjin-3p18l", "post": "junior", "level": 3},
                "unit_id": "u-1",
                "funders": SHARED,
            }
        ]
    )
    assert clip(Period(year=2025, month=3), within, within.intervals)[0] is within.intervals[0]
    longer = facts()
    (clipped,) = clip(Period(year=2025, month=3), longer, longer.intervals)
    assert (clipped.start.isoformat(), clipped.end.isoformat()) == ("2025-03-01", "2025-03-31")


def test_a_memo_keeps_what_it_is_given_from_the_second_time_on():
    memo = Memo()
    memo.keep("k", 1)
    assert "k" not in memo.values
    memo.keep("k", 2)
    assert memo.values["k"] == 2
    assert memo.get("k", lambda: 3) == 2
