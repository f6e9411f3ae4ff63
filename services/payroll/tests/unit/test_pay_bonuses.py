"""Two appraisal years' bonuses paid in one month: at most one is taxed separately (财政部 税务总局
公告2023年第30号), the choice that withholds the least this month wins, and the payslip says why.

Every figure below is worked by hand from the rule before the code was asked. The month: March
2025, junior level 3 (4,000 × 1.10 = 4,400 gross wages), contribution base 6,000 so employee
contributions are 6,000 × (8% + 2% + 0.5% + 10%) = 1,230. With nothing earlier in the year,
wages alone leave 4,400 − 5,000 − 1,230 = −1,830 taxable to date.
"""

import copy
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from payroll.pay.compute import PayFacts, compute_payslip
from payroll.pay.earnings import LineKind
from payroll.pay.policy import PayPolicy, PolicyBook, shipped_pay_policies

BOOK = shipped_pay_policies()["tianjin-pay"]
V1 = BOOK.versions[0]
D = Decimal


def book_with_bands(**bands: str) -> PolicyBook:
    data = copy.deepcopy(V1.model_dump(mode="json"))
    data["annual_bonus"]["bands"].update(bands)
    return PolicyBook(versions=[PayPolicy.model_validate(data)])


def facts(*bonuses: tuple[int, str, int], **changes) -> PayFacts:
    data = {
        "period": {"year": 2025, "month": 3},
        "hired_on": "2020-01-01",
        "intervals": [
            {
                "start": "2020-01-01",
                "grade": {"ladder": "tianjin-3p18l", "post": "junior", "level": 3},
                "unit_id": "u-1",
                "funders": [{"funder": "city", "percent": "100"}],
            }
        ],
        "declared_base": "6000",
        "bonuses": [
            {"appraisal_year": year, "rating": rating, "months_served": months}
            for year, rating, months in bonuses
        ],
    }
    data.update(changes)
    return PayFacts.model_validate(data)


def lines(slip, kind):
    return [(line.code, line.label, line.amount) for line in slip.lines_of(kind)]


def test_a_high_earner_has_the_larger_bonus_taxed_separately():
    """Two months already paid: 200,000 wages, 2,460 contributions, so February's taxable to
    date was 200,000 − 10,000 − 2,460 = 187,540, tax 187,540 × 20% − 16,920 = 20,588 withheld.

    March before bonuses: 204,400 − 15,000 − 3,690 = 185,710 taxable to date.
    Bonuses: 2023 excellent 10,000 and 2024 competent 4,000.
      both merged: 199,710 × 20% − 16,920 = 23,022; − 20,588 = 2,434.00
      2023 separate: 189,710 × 20% − 16,920 = 21,022; − 20,588 = 434; + 10,000 × 3% = 300
                     (10,000 / 12 = 833.33 is in the 3% band) → 734.00
      2024 separate: 195,710 × 20% − 16,920 = 22,222; − 20,588 = 1,634; + 4,000 × 3% = 120
                     → 1,754.00
    The larger bonus separate withholds least: 734.00.
    """
    ytd = {
        "wages_taxable": "200000.00",
        "employee_contributions": "2460.00",
        "tax_withheld": "20588.00",
        "months_employed": 2,
    }
    slip = compute_payslip(BOOK, facts((2023, "excellent", 12), (2024, "competent", 12), ytd=ytd))
    earnings = lines(slip, LineKind.EARNING)
    assert earnings[-2:] == [
        ("annual_bonus", "Annual appraisal bonus 2023 (2023年度考核奖金)", D("10000.00")),
        ("annual_bonus", "Annual appraisal bonus 2024 (2024年度考核奖金)", D("4000.00")),
    ]
    taxes = {code: amount for code, _, amount in lines(slip, LineKind.TAX)}
    assert taxes == {"income_tax": D("434.00"), "bonus_tax": D("300.00")}
    assert slip.gross == D("18400.00")  # 4,400 + 10,000 + 4,000
    assert slip.net == D("16436.00")  # 18,400 − 1,230 − 734
    # The separately taxed bonus stays out of the cumulative wages; the merged one joins them.
    assert slip.ytd_after.wages_taxable == D("208400.00")  # 200,000 + 4,400 + 4,000
    assert slip.ytd_after.tax_withheld == D("21022.00")
    (bonus_tax,) = [line for line in slip.lines if line.code == "bonus_tax"]
    # Dated like the bonus it taxes, so the stored payslip says which year was taxed separately.
    assert (bonus_tax.start, bonus_tax.end) == (date(2023, 1, 1), date(2023, 12, 31))
    note = bonus_tax.explanation
    assert "separate taxation goes to the 2023 bonus" in note
    assert "every bonus merged with the wages: 2,434.00" in note
    assert "the 2023 bonus taxed separately, the rest merged: 734.00" in note
    assert "the 2024 bonus taxed separately, the rest merged: 1,754.00" in note


def test_a_bracket_jump_makes_the_smaller_bonus_the_one_taxed_separately():
    """Bands 40,000 (2023 excellent) and 10,000 (2024 competent); wages leave −1,830 taxable.

      both merged: −1,830 + 50,000 = 48,170 × 10% − 2,520 = 2,297.00
      2023 separate: −1,830 + 10,000 = 8,170 × 3% = 245.10; 40,000 / 12 = 3,333.33 is in the
                     10% band: 40,000 × 10% − 210 = 3,790 → 4,035.10
      2024 separate: −1,830 + 40,000 = 38,170 × 10% − 2,520 = 1,297; + 10,000 × 3% = 300
                     → 1,597.00
    The smaller bonus separate withholds least: 1,597.00.
    """
    book = book_with_bands(excellent="40000", competent="10000")
    slip = compute_payslip(book, facts((2023, "excellent", 12), (2024, "competent", 12)))
    taxes = {code: amount for code, _, amount in lines(slip, LineKind.TAX)}
    assert taxes == {"income_tax": D("1297.00"), "bonus_tax": D("300.00")}
    assert slip.net == D("51573.00")  # 54,400 − 1,230 − 1,597
    (bonus_tax,) = [line for line in slip.lines if line.code == "bonus_tax"]
    assert "separate taxation goes to the 2024 bonus" in bonus_tax.explanation
    assert "every bonus merged with the wages: 2,297.00" in bonus_tax.explanation
    assert "the 2023 bonus taxed separately, the rest merged: 4,035.10" in bonus_tax.explanation


def test_small_bonuses_under_the_unused_deductions_are_best_merged():
    """2023 basically competent 1,200 and 2024 basically competent for 6 months: 1,200 × 6/12
    = 600. Wages leave −1,830 taxable, room for both.

      both merged: −1,830 + 1,800 = −30: no tax → 0.00
      2023 separate: −1,830 + 600 < 0: 0; 1,200 × 3% = 36 → 36.00
      2024 separate: −1,830 + 1,200 < 0: 0; 600 × 3% = 18 → 18.00
    """
    slip = compute_payslip(
        BOOK, facts((2023, "basically_competent", 12), (2024, "basically_competent", 6))
    )
    assert [code for code, _, _ in lines(slip, LineKind.TAX)] == ["income_tax"]
    assert slip.tax == D("0.00")
    assert slip.net == D("4970.00")  # 4,400 + 1,800 − 1,230
    (income_tax,) = slip.lines_of(LineKind.TAX)
    assert "no bonus is taxed separately" in income_tax.explanation
    assert "the 2023 bonus taxed separately, the rest merged: 36.00" in income_tax.explanation
    assert "the 2024 bonus taxed separately, the rest merged: 18.00" in income_tax.explanation


def test_a_tie_keeps_separate_taxation_unused():
    """Bonuses 10,000 and 4,000; wages leave −1,830 and every choice stays in the 3% bands:
    merged (14,000 − 1,830) × 3% = 365.10; 2023 separate (4,000 − 1,830) × 3% + 300 = 365.10;
    2024 separate (10,000 − 1,830) × 3% + 120 = 365.10. All merged wins the tie, which leaves
    the once-a-year separate taxation for a later bonus this year."""
    slip = compute_payslip(BOOK, facts((2023, "excellent", 12), (2024, "competent", 12)))
    assert [code for code, _, _ in lines(slip, LineKind.TAX)] == ["income_tax"]
    assert slip.tax == D("365.10")


def test_separate_taxation_used_earlier_this_year_merges_both():
    """Used in January: both merged, −1,830 + 14,000 = 12,170 × 3% = 365.10, and no choice."""
    slip = compute_payslip(
        BOOK,
        facts((2023, "excellent", 12), (2024, "competent", 12), separate_bonus_used=True),
    )
    (income_tax,) = slip.lines_of(LineKind.TAX)
    assert income_tax.amount == D("365.10")
    assert "under each choice" not in income_tax.explanation
    assert any("once a year and was used" in w for w in slip.warnings)


def test_a_worker_who_elected_merged_taxation_has_both_merged():
    ytd = {
        "wages_taxable": "200000.00",
        "employee_contributions": "2460.00",
        "tax_withheld": "20588.00",
        "months_employed": 2,
    }
    both = facts((2023, "excellent", 12), (2024, "competent", 12), ytd=ytd, bonus_taxation="merged")
    slip = compute_payslip(BOOK, both)
    assert slip.tax == D("2434.00")  # the both-merged figure of the high-earner case
    assert not slip.warnings


def test_bonuses_must_be_for_distinct_years_oldest_first():
    with pytest.raises(ValidationError, match="distinct appraisal years"):
        facts((2024, "excellent", 12), (2023, "competent", 12))
    with pytest.raises(ValidationError, match="distinct appraisal years"):
        facts((2024, "excellent", 12), (2024, "competent", 12))
