import copy
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from payroll.pay.arrears import ArrearsMonthFacts, compute_arrears
from payroll.pay.compute import PayFacts, Payslip, compute_payslip
from payroll.pay.earnings import LineKind
from payroll.pay.funders import split
from payroll.pay.policy import PayPolicy, PolicyBook, shipped_pay_policies
from payroll.pay.tax import PayError, YearToDate

BOOK = shipped_pay_policies()["tianjin-pay"]
V1 = BOOK.versions[0]
D = Decimal
CITY = [{"funder": "city", "percent": "100"}]


def variant(**changes):
    data = copy.deepcopy(V1.model_dump(mode="json"))
    data.update(changes)
    return PayPolicy.model_validate(data)


def grade(post="junior", level=3, ladder="tianjin-3p18l"):
    return {"ladder": ladder, "post": post, "level": level}


def interval(start, end=None, funders=CITY, **g):
    return {"start": start, "end": end, "grade": grade(**g), "unit_id": "u-1", "funders": funders}


def facts(year=2025, month=3, intervals=None, **changes):
    data = {
        "period": {"year": year, "month": month},
        "hired_on": "2024-01-01",
        "intervals": intervals or [interval("2024-01-01")],
        "declared_base": "6000",
    }
    data.update(changes)
    return PayFacts.model_validate(data)


def amounts(slip, kind=LineKind.EARNING):
    return [(line.code, line.amount) for line in slip.lines_of(kind)]


def test_a_full_month_at_one_grade():
    slip = compute_payslip(BOOK, facts(qualification="assistant_social_worker"))
    # junior level 3: 4,000 × 1.10 = 4,400 split 70/30, plus the 100 assistant allowance.
    assert amounts(slip) == [
        ("base", D("3080.00")),
        ("performance", D("1320.00")),
        ("certificate", D("100.00")),
    ]
    assert slip.gross == D("4500.00")
    # 6,000 × (8% + 2% + 0.5% + 10%) = 1,230; taxable 4,500 − 5,000 − 1,230 < 0: no tax.
    assert slip.employee_deductions == D("1230.00")
    assert slip.tax == 0
    assert slip.net == D("3270.00")
    # 6,000 × (16% + 9.5% + 0.5% + 0.4% + 10%) = 2,184.
    assert slip.employer_contributions == D("2184.00")
    assert slip.employer_cost == D("6684.00")
    assert [(p.funder, p.amount) for p in slip.funder_parts] == [("city", D("6684.00"))]
    assert all(line.explanation for line in slip.lines)


@pytest.mark.parametrize(
    ("declared", "base", "pension"),
    [
        ("3000", "5124.00", "409.92"),
        ("5124", "5124.00", "409.92"),
        ("5123.99", "5124.00", "409.92"),
        ("25620", "25620.00", "2049.60"),
        ("25620.01", "25620.00", "2049.60"),
        ("40000", "25620.00", "2049.60"),
    ],
)
def test_contribution_floor_and_ceiling(declared, base, pension):
    slip = compute_payslip(BOOK, facts(declared_base=declared))
    assert slip.contribution_base == D(base)
    assert dict(amounts(slip, LineKind.EMPLOYEE_DEDUCTION))["pension.employee"] == D(pension)


def test_housing_fund_rate_is_the_workers_within_the_limits():
    slip = compute_payslip(BOOK, facts(housing_fund_rate="0.12"))
    hf = [line.amount for line in slip.lines if line.code.startswith("housing_fund")]
    assert hf == [D("720.00"), D("720.00")]
    with pytest.raises(PayError, match="outside"):
        compute_payslip(BOOK, facts(housing_fund_rate="0.13"))


def test_proration_across_a_mid_month_grade_change():
    """Junior 3 for 1-14 March (14/31 of 4,400), middle 4 from 15 March (17/31 of 4,800)."""
    slip = compute_payslip(
        BOOK,
        facts(
            intervals=[
                interval("2024-01-01", "2025-03-14"),
                interval("2025-03-15", post="middle", level=4),
            ]
        ),
    )
    assert amounts(slip) == [
        ("base", D("1390.97")),  # 3,080 × 14/31 = 1,390.967...
        ("performance", D("596.13")),  # 4,400 × 14/31 = 1,987.10, less base pay
        ("base", D("1842.58")),  # 3,360 × 17/31 = 1,842.580...
        ("performance", D("789.68")),  # 4,800 × 17/31 = 2,632.26, less base pay
    ]
    first, second = slip.lines_of(LineKind.EARNING)[::2]
    assert (str(first.start), str(first.end)) == ("2025-03-01", "2025-03-14")
    assert "14/31" in first.explanation and "17/31" in second.explanation


def test_no_pay_before_hiring_or_after_leaving():
    slip = compute_payslip(BOOK, facts(hired_on="2025-03-11", left_on="2025-03-20"))
    # 10 of 31 days of 4,400; contributions are whole for any month employed.
    assert slip.gross == D("1419.35")
    assert slip.employee_deductions == D("1230.00")
    assert slip.net == D("189.35")
    with pytest.raises(PayError, match="not employed"):
        compute_payslip(BOOK, facts(hired_on="2025-04-01"))


def test_every_employed_day_needs_facts():
    gap = [interval("2024-01-01", "2025-03-10"), interval("2025-03-12")]
    with pytest.raises(PayError, match="2025-03-11"):
        compute_payslip(BOOK, facts(intervals=gap))
    overlap = [interval("2024-01-01", "2025-03-12"), interval("2025-03-12")]
    with pytest.raises(PayError, match="overlap"):
        compute_payslip(BOOK, facts(intervals=overlap))


def test_funder_shares_must_total_exactly_100():
    with pytest.raises(ValidationError, match="not exactly 100"):
        facts(intervals=[interval("2024-01-01", funders=[{"funder": "a", "percent": "99.99"}])])


def test_funder_remainders_go_to_the_largest_then_to_the_first_listed():
    thirds = [("a", Fraction(1, 3)), ("b", Fraction(1, 3)), ("c", Fraction(1, 3))]
    assert [p.amount for p in split(D("100.00"), thirds)] == [D("33.34"), D("33.33"), D("33.33")]
    assert [p.amount for p in split(D("0.02"), thirds)] == [D("0.01"), D("0.01"), D("0.00")]
    # Exact shares 2.1, 2.1 and 2.8 fen: the one fen left goes to c, the largest remainder.
    weights = [("a", Fraction(3, 10)), ("b", Fraction(3, 10)), ("c", Fraction(4, 10))]
    assert [p.amount for p in split(D("0.07"), weights)] == [D("0.02"), D("0.02"), D("0.03")]


def test_funder_parts_follow_each_interval_and_sum_exactly():
    shared = [{"funder": "city", "percent": "33.33"}, {"funder": "district", "percent": "66.67"}]
    district = [{"funder": "district", "percent": "100"}]
    slip = compute_payslip(
        BOOK,
        facts(
            intervals=[
                interval("2024-01-01", "2025-03-14", funders=shared),
                interval("2025-03-15", funders=district),
            ]
        ),
    )
    parts = {p.funder: p.amount for p in slip.funder_parts}
    assert list(parts) == ["city", "district"]
    assert sum(parts.values()) == slip.employer_cost
    # city: 33.33% of the first interval's pay and its 14/31 of the employer contributions,
    # (1,987.10 + 2,184 × 14/31) × 33.33% = 991.04
    assert parts["city"] == D("991.04")


def test_sta_example_through_the_payslip():
    """The STA example (30,000 a month, 4,500 contributions, 2,000 deductions) month by month."""
    policy = variant(
        scales=[
            {
                "ladder": "tianjin-3p18l",
                "reference_amount": "30000",
                "coefficients": {"junior": {1: "1"}},
            }
        ]
    )
    book = PolicyBook(versions=[policy])
    ytd, taxes = YearToDate(), []
    for month in range(1, 13):
        slip = compute_payslip(
            book,
            facts(
                month=month,
                intervals=[interval("2024-01-01", level=1)],
                declared_base="25000",
                housing_fund_rate="0.075",  # 25,000 × (8 + 2 + 0.5 + 7.5)% = 4,500
                special_deductions={"children_in_education": 1},
                ytd=ytd,
            ),
        )
        assert slip.employee_deductions == D("4500.00")
        taxes.append(slip.tax)
        ytd = slip.ytd_after
    assert taxes[:3] == [D("555.00"), D("625.00"), D("1850.00")]
    assert sum(taxes) == D("27480.00")


def test_separate_bonus_in_the_dead_zone_warns():
    excellent = variant(
        annual_bonus={
            **V1.annual_bonus.model_dump(mode="json"),
            "bands": {
                "excellent": "36500",
                "competent": "36000",
                "basically_competent": "1200",
                "incompetent": "0",
            },
        }
    )
    book = PolicyBook(versions=[excellent])
    over = compute_payslip(book, facts(bonuses=[{"rating": "excellent", "months_served": 12}]))
    bonus_tax = dict(amounts(over, LineKind.TAX))["bonus_tax"]
    assert bonus_tax == D("3440.00")  # 36,500 × 10% − 210
    assert any("dead zone" in w for w in over.warnings)
    edge = compute_payslip(book, facts(bonuses=[{"rating": "competent", "months_served": 12}]))
    assert dict(amounts(edge, LineKind.TAX))["bonus_tax"] == D("1080.00")
    assert not edge.warnings
    assert over.net < edge.net  # 500 more bonus, 1,860 more tax


def test_merged_bonus_joins_the_cumulative_wages():
    claim = {"rating": "excellent", "months_served": 12}
    slip = compute_payslip(BOOK, facts(bonuses=[claim], bonus_taxation="merged"))
    assert [line.code for line in slip.lines_of(LineKind.TAX)] == ["income_tax"]
    assert slip.ytd_after.wages_taxable == D("14400.00")
    assert slip.tax == D("245.10")  # (4,400 + 10,000 − 5,000 − 1,230) × 3%


def test_separate_taxation_after_its_end_date_falls_back_to_merged():
    book = PolicyBook(versions=[V1])
    claim = {"rating": "competent", "months_served": 12}
    slip = compute_payslip(book, facts(year=2028, month=1, bonuses=[claim]))
    assert [line.code for line in slip.lines_of(LineKind.TAX)] == ["income_tax"]
    assert any("ended 2027-12-31" in w for w in slip.warnings)
    used = compute_payslip(book, facts(bonuses=[claim], separate_bonus_used=True))
    assert any("once a year" in w for w in used.warnings)


def test_arrears_across_a_year_boundary_use_each_months_policy():
    """Promotion to junior 4 decided in February 2026, effective 1 December 2025.

    December 2025 is recomputed with v1 (reference 4,000): 4,400 → 4,600, +200.
    January 2026 with v2 (reference 4,200): 4,620 → 4,830, +210.
    """
    v2 = variant(
        version=2,
        effective_from="2026-01-01",
        scales=[
            {**V1.scale("tianjin-3p18l").model_dump(mode="json"), "reference_amount": "4200"},
            V1.scale("qingdao-ranks").model_dump(mode="json"),
        ],
    )
    book = PolicyBook(versions=[V1, v2])
    months = [
        ArrearsMonthFacts(
            period={"year": y, "month": m},
            hired_on="2024-01-01",
            old_intervals=[interval("2024-01-01", "2025-11-30"), interval("2025-12-01")],
            new_intervals=[interval("2024-01-01", "2025-11-30"), interval("2025-12-01", level=4)],
        )
        for (y, m) in [(2026, 1), (2025, 12)]
    ]
    arrears = compute_arrears(book, months)
    assert [(str(m.period), m.policy_version, m.difference) for m in arrears.months] == [
        ("2025-12", 1, D("200.00")),
        ("2026-01", 2, D("210.00")),
    ]
    assert [(line.code, line.difference) for line in arrears.months[1].lines] == [
        ("base", D("147.00")),
        ("performance", D("63.00")),
    ]
    assert arrears.total == D("410.00")
    slip = compute_payslip(
        book,
        facts(year=2026, month=2, intervals=[interval("2025-12-01", level=4)], arrears=arrears),
    )
    assert dict(amounts(slip))["arrears"] == D("410.00")
    assert slip.gross == D("4830.00") + D("410.00")
    with pytest.raises(ValidationError, match="before"):
        facts(year=2026, month=1, arrears=arrears)


def test_a_policy_is_remembered_by_identity_not_by_id_and_version():
    """A variant with the same id and version but another reference amount is another policy."""
    richer = variant(
        scales=[
            {**V1.scale("tianjin-3p18l").model_dump(mode="json"), "reference_amount": "5000"},
            V1.scale("qingdao-ranks").model_dump(mode="json"),
        ]
    )
    assert (richer.id, richer.version) == (V1.id, V1.version)
    for _ in range(3):  # kept from the second time on: the third reads the memos
        assert compute_payslip(BOOK, facts()).gross == D("4400.00")
        assert compute_payslip(PolicyBook(versions=[richer]), facts()).gross == D("5500.00")


def test_a_stored_record_that_does_not_add_up_is_refused():
    record = compute_payslip(BOOK, facts(qualification="social_worker")).as_record()
    assert Payslip.from_record(record).gross == D("4600.00")
    tampered = {**record, "net": "9999.00"}
    with pytest.raises(ValueError, match=r"net 9999\.00 does not add up"):
        Payslip.from_record(tampered)
    with pytest.raises(ValidationError, match="does not add up"):
        Payslip.model_validate(tampered)
    lines = [{**record["lines"][0], "amount": 3220.0}, *record["lines"][1:]]
    with pytest.raises(TypeError, match="decimal string"):
        Payslip.from_record({**record, "lines": lines})
