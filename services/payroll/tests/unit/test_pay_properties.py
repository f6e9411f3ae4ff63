import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from payroll.pay.compute import (
    PayFacts,
    Payslip,
    _weights_in_fractions,
    _weights_in_integers,
    compute_payslip,
)
from payroll.pay.earnings import LineKind, Period, earning_parts
from payroll.pay.funders import split
from payroll.pay.policy import shipped_pay_policies
from payroll.pay.tax import YearToDate, tax_on, withhold

BOOK = shipped_pay_policies()["tianjin-pay"]
V1 = BOOK.versions[0]
RULES = V1.income_tax
GRADES = [
    (scale.ladder, post, level)
    for scale in V1.scales
    for post, levels in scale.coefficients.items()
    for level in levels
]


def money(low=0, high=10**6):
    return st.integers(low * 100, high * 100).map(lambda fen: Decimal(fen) / 100)


@st.composite
def funder_shares(draw):
    """1-4 funders whose integer or two-place percentages total exactly 100."""
    names = draw(
        st.lists(
            st.sampled_from(["national", "province", "city", "district", "street"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, 9999), min_size=len(names) - 1, max_size=len(names) - 1, unique=True
            )
        )
    )
    bounds = [0, *cuts, 10000]
    return [
        {"funder": n, "percent": str(Decimal(b - a) / 100)}
        for n, (a, b) in zip(names, pairwise(bounds), strict=True)
    ]


@st.composite
def month_facts(draw):
    period = Period(year=draw(st.integers(2025, 2028)), month=draw(st.integers(1, 12)))
    hired = draw(st.dates(date(2020, 1, 1), period.last_day))
    left = draw(st.none() | st.dates(max(hired, period.first_day), date(2030, 1, 1)))
    changes = sorted(draw(st.sets(st.integers(2, period.days), max_size=3)))
    starts = [date(2000, 1, 1), *(period.first_day + timedelta(days=d - 1) for d in changes)]
    intervals = []
    for i, start in enumerate(starts):
        ladder, post, level = draw(st.sampled_from(GRADES))
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None
        grade = {"ladder": ladder, "post": post, "level": level}
        intervals.append(
            {
                "start": start,
                "end": end,
                "grade": grade,
                "unit_id": "u",
                "funders": draw(funder_shares()),
            }
        )
    before = draw(st.integers(0, period.month - 1))
    ytd = YearToDate(
        wages_taxable=draw(money(0, 400000)),
        employee_contributions=draw(money(0, 50000)),
        special_deductions=draw(money(0, 60000)),
        tax_withheld=draw(money(0, 100000)),
        months_employed=before,
    )
    # Up to three unpaid appraisal years, oldest first, paid in the one month.
    years = draw(st.lists(st.integers(2020, 2024), max_size=3, unique=True).map(sorted))
    bonuses = [
        {
            "rating": draw(
                st.sampled_from(["excellent", "competent", "basically_competent", "incompetent"])
            ),
            "months_served": draw(st.integers(0, 12)),
            "appraisal_year": year,
        }
        for year in years
    ]
    return PayFacts.model_validate(
        {
            "period": period,
            "hired_on": hired,
            "left_on": left,
            "intervals": intervals,
            "qualification": draw(
                st.sampled_from(
                    ["none", "assistant_social_worker", "social_worker", "senior_social_worker"]
                )
            ),
            "declared_base": draw(money(0, 60000)),
            "housing_fund_rate": draw(
                st.none() | st.integers(5, 12).map(lambda p: Decimal(p) / 100)
            ),
            "special_deductions": {
                "children_in_education": draw(st.integers(0, 3)),
                "continuing_education": draw(st.booleans()),
            },
            "ytd": ytd,
            "bonuses": bonuses,
            "bonus_taxation": draw(st.sampled_from(["separate", "merged"])),
            "separate_bonus_used": draw(st.booleans()),
        }
    )


@given(month_facts())
def test_net_is_gross_less_deductions_less_tax_exactly(facts):
    slip = compute_payslip(BOOK, facts)
    assert slip.net == slip.gross - slip.employee_deductions - slip.tax
    assert slip.gross == sum(line.amount for line in slip.lines_of(LineKind.EARNING))
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in slip.lines)


@given(month_facts())
def test_funder_parts_sum_exactly_to_the_employer_cost(facts):
    slip = compute_payslip(BOOK, facts)
    assert sum(p.amount for p in slip.funder_parts) == slip.employer_cost
    assert slip.employer_cost == slip.gross + slip.employer_contributions


@given(month_facts())
def test_tax_is_never_negative(facts):
    slip = compute_payslip(BOOK, facts)
    assert all(line.amount >= 0 for line in slip.lines_of(LineKind.TAX))
    assert slip.ytd_after.tax_withheld >= facts.ytd.tax_withheld


@given(money(-50000, 2 * 10**6), money(0, 10**5))
def test_cumulative_tax_is_monotone_in_income(taxable, more):
    assert 0 <= tax_on(RULES.annual_table, taxable) <= tax_on(RULES.annual_table, taxable + more)


@given(money(0, 100000), money(0, 20000), money(0, 10000), st.integers(0, 11), money(0, 50000))
def test_more_wages_never_mean_less_tax_to_date(wages, contributions, special, months, more):
    before = YearToDate(wages_taxable=Decimal(months) * 8000, months_employed=months)
    low = withhold(RULES, before, wages, contributions, special)
    high = withhold(RULES, before, wages + more, contributions, special)
    assert low.tax_due_to_date <= high.tax_due_to_date
    assert low.tax_this_month <= high.tax_this_month


@given(money(-(10**5), 10**6), st.lists(st.integers(1, 1000), min_size=1, max_size=6))
def test_split_is_exact_and_each_part_within_a_fen_of_its_share(total, raw):
    weights = [(f"f{i}", Fraction(w, sum(raw))) for i, w in enumerate(raw)]
    parts = split(total, weights)
    assert sum(p.amount for p in parts) == total
    for part, (_, weight) in zip(parts, weights, strict=True):
        assert abs(Fraction(part.amount) - Fraction(total) * weight) < Fraction(1, 100)


@given(month_facts())
def test_a_payslip_computed_again_from_the_memos_is_the_same(facts):
    """The third computation reads every memo (a value is kept once asked for twice)."""
    first, second, third = (compute_payslip(BOOK, facts) for _ in range(3))
    assert repr(first) == repr(second) == repr(third)
    assert first.model_dump(mode="json", exclude_unset=True) == third.model_dump(
        mode="json", exclude_unset=True
    )


@given(month_facts())
def test_a_stored_record_is_the_json_dump_and_rebuilds_the_payslip(facts):
    slip = compute_payslip(BOOK, facts)
    record = slip.as_record()
    assert record == slip.model_dump(mode="json")
    rebuilt = Payslip.from_record(record)
    validated = Payslip.model_validate(record)
    assert rebuilt == slip == validated
    assert repr(rebuilt) == repr(validated)
    assert rebuilt.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)


@given(month_facts(), money(-20000, 20000))
def test_funder_weights_in_integers_are_the_exact_fractions(facts, month_level):
    parts = earning_parts(
        BOOK.versions[0], facts.period, facts, facts.intervals, facts.qualification
    )
    weights, whole = _weights_in_integers(parts, month_level)
    assert whole > 0
    exact = [(funder, Fraction(weight, whole)) for funder, weight in weights]
    assert exact == _weights_in_fractions(parts, month_level)


def split_in_fractions(total, weights):
    """The split as it was written with Fractions: the reference the integer split must match."""
    total_fen = int(total * 100)
    exact = [(name, total_fen * w) for name, w in weights]
    floors = [math.floor(x) for _, x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i][1] - floors[i], reverse=True)
    for i in order[: total_fen - sum(floors)]:
        floors[i] += 1
    parts = []
    for (name, weight), (_, x), share in zip(weights, exact, floors, strict=True):
        percent = f"{Decimal(weight.numerator) * 100 / Decimal(weight.denominator):.4f}"
        text = percent.rstrip("0").rstrip(".") + f"% of {total:,.2f}"
        if len(weights) > 1 and share != math.floor(x):
            text += " plus a remainder fen (largest remainder)"
        parts.append((name, Decimal(share) / 100, text))
    return parts


@given(
    money(-(10**5), 10**6),
    st.lists(st.integers(1, 10**6), min_size=1, max_size=5)
    | st.lists(st.sampled_from([1, 3333, 6667, 5000, 2500]), min_size=2, max_size=5),
)
def test_the_split_in_integers_is_the_split_in_fractions(total, raw):
    """Amounts, explanations and the tie order (equal remainders: the funder listed first)."""
    weights = [(f"f{i}", Fraction(w, sum(raw))) for i, w in enumerate(raw)]
    parts = split(total, weights)
    assert [(p.funder, p.amount, p.explanation) for p in parts] == split_in_fractions(
        total, weights
    )
    assert all(p.amount.as_tuple().exponent == -2 for p in parts)


@given(month_facts())
def test_as_json_writes_what_model_dump_json_writes(facts):
    """Byte for byte: computed (lines made for this worker and memoised ones, computed again
    from the memos), and rebuilt from a record (nothing attached)."""
    for _ in range(3):
        slip = compute_payslip(BOOK, facts)
        assert slip.as_json() == slip.model_dump_json()
    rebuilt = Payslip.from_record(slip.as_record())
    assert rebuilt.as_json() == slip.model_dump_json()
