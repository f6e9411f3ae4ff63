from decimal import Decimal

import pytest

from payroll.pay.policy import shipped_pay_policies
from payroll.pay.tax import (
    YearToDate,
    after_tax,
    bonus_dead_zones,
    dead_zone_warning,
    separate_bonus_tax,
    tax_on,
    withhold,
)

V1 = shipped_pay_policies()["tianjin-pay"].versions[0]
RULES = V1.income_tax
BONUS = RULES.separate_bonus
D = Decimal


def run_year(wage, contributions, special, months=12):
    ytd, taxes = YearToDate(), []
    for _ in range(months):
        result = withhold(RULES, ytd, D(wage), D(contributions), D(special))
        taxes.append(result.tax_this_month)
        ytd = result.after
    return taxes, ytd


def test_sta_cumulative_withholding_example():
    """The State Taxation Administration's published example of 累计预扣法 (2018-12 解读).

    A worker earns 30,000 a month, has 4,500 a month of social insurance and housing fund and
    2,000 a month of special additional deductions (child education and elderly support), and
    nothing else. Published: January (30000 − 5000 − 4500 − 2000) × 3% = 555; February
    (30000×2 − 5000×2 − 4500×2 − 2000×2) × 10% − 2520 − 555 = 625; March
    (30000×3 − 5000×3 − 4500×3 − 2000×3) × 10% − 2520 − 555 − 625 = 1,850.
    The rest of the year follows from the same rule: 18,500 taxable a month, the 20% bracket
    entered in August (148,000 cumulative), 27,480 in total.
    """
    taxes, ytd = run_year("30000", "4500", "2000")
    expected = ["555", "625", "1850", "1850", "1850", "1850", "1850", "2250"] + ["3700"] * 4
    assert taxes == [D(t) for t in expected]
    assert ytd.tax_withheld == D("27480.00") == tax_on(RULES.annual_table, D(18500 * 12))
    assert ytd.months_employed == 12


def test_sta_small_wage_example():
    """STA's first example: 10,000 a month, 1,500 contributions, 1,000 deductions: 75 a month."""
    taxes, _ = run_year("10000", "1500", "1000", months=3)
    assert taxes == [D("75.00")] * 3


@pytest.mark.parametrize(
    ("taxable", "tax"),
    [
        ("-100.00", "0.00"),
        ("0.00", "0.00"),
        ("36000.00", "1080.00"),  # the top of the 3% bracket
        ("36000.01", "1080.00"),  # 3600.001 − 2520 = 1080.001, half-up to the fen
        ("36000.10", "1080.01"),
        ("144000.00", "11880.00"),
        ("144000.01", "11880.00"),
        ("300000.00", "43080.00"),
        ("960000.00", "250080.00"),
        ("1000000.00", "268080.00"),
    ],
)
def test_annual_table_around_the_bracket_edges(taxable, tax):
    assert tax_on(RULES.annual_table, D(taxable)) == D(tax)


def test_crossing_36000_cumulatively_within_a_month():
    before = YearToDate(wages_taxable=D("41000"), months_employed=1, tax_withheld=D("1080"))
    at_edge = withhold(RULES, before, D("5000.00"), D(0), D(0))
    assert at_edge.taxable_to_date == D("36000.00")
    assert at_edge.bracket.rate == D("0.03")
    assert at_edge.tax_this_month == D("0.00")
    over = withhold(RULES, before, D("5000.01"), D(0), D(0))
    assert over.taxable_to_date == D("36000.01")
    assert over.bracket.rate == D("0.10")
    assert over.tax_this_month == D("0.00")  # 1,080.001 due, rounds to the 1,080.00 withheld


def test_a_negative_month_withholds_nothing_and_carries():
    """Tax due to date below tax withheld: nothing this month, no refund (STA 2018 No. 61 art. 6)."""
    before = YearToDate(wages_taxable=D("60000"), months_employed=2, tax_withheld=D("2000"))
    low = withhold(RULES, before, D("0"), D("0"), D("20000"))
    assert low.tax_due_to_date < D("2000")
    assert low.tax_this_month == 0
    assert low.after.tax_withheld == D("2000.00")
    assert "nothing is refunded" in low.explanation
    # Next month catches up from the cumulative figure; the carried shortfall is absorbed.
    nxt = withhold(RULES, low.after, D("30000"), D("0"), D("0"))
    due = tax_on(RULES.annual_table, D("90000") - 4 * 5000 - D("20000"))
    assert nxt.tax_this_month == due - D("2000")


@pytest.mark.parametrize(
    ("bonus", "tax"),
    [
        ("36000.00", "1080.00"),
        ("36000.01", "3390.00"),  # 3,600.001 − 210
        ("38566.67", "3646.67"),
        ("144000.00", "14190.00"),
        ("144000.01", "27390.00"),
        ("1000000.00", "434840.00"),
    ],
)
def test_separate_bonus_tax(bonus, tax):
    assert separate_bonus_tax(BONUS, D(bonus)).tax == D(tax)


def test_dead_zones_are_exact_to_the_fen():
    zones = {z.edge: (z.low, z.high) for z in bonus_dead_zones(BONUS)}
    assert zones == {
        D("36000.00"): (D("36000.01"), D("38566.66")),
        D("144000.00"): (D("144000.01"), D("160499.99")),
        D("300000.00"): (D("300000.01"), D("318333.32")),
        D("420000.00"): (D("420000.01"), D("447499.99")),
        D("660000.00"): (D("660000.01"), D("706538.45")),
        D("960000.00"): (D("960000.01"), D("1119999.99")),
    }
    for z in bonus_dead_zones(BONUS):
        assert after_tax(BONUS, z.high) < after_tax(BONUS, z.edge)
        assert after_tax(BONUS, z.high + D("0.01")) >= after_tax(BONUS, z.edge)


@pytest.mark.parametrize(
    ("bonus", "warned"),
    [("36000.00", False), ("36000.01", True), ("38566.66", True), ("38566.67", False)],
)
def test_dead_zone_warning(bonus, warned):
    warning = dead_zone_warning(BONUS, D(bonus))
    assert (warning is not None) == warned
    if warned:
        assert "36,000.00" in warning and "38,566.66" in warning
