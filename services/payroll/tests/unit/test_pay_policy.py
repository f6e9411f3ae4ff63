import copy
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from payroll.pay import policy as policy_module
from payroll.pay.policy import (
    Insurance,
    PayPolicy,
    PolicyBook,
    UnknownGrade,
    parse_policy_book,
    shipped_pay_policies,
)
from payroll.pay.tax import PayError, SpecialDeductionClaim, special_deductions
from union_shared.events.catalogue import Qualification, Rating

BOOK = shipped_pay_policies()["tianjin-pay"]
V1 = BOOK.versions[0]
PACKAGE = Path(policy_module.__file__).parent


def document(**changes):
    data = copy.deepcopy(V1.model_dump(mode="json"))
    data.update(changes)
    return data


def test_no_float_anywhere_in_the_pay_package():
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bfloat\(", line)
    ]
    assert offenders == []


def test_shipped_policy_carries_the_domain_figures():
    assert (V1.id, V1.version, V1.effective_from) == ("tianjin-pay", 1, date(2025, 1, 1))
    assert (V1.split.base, V1.split.performance) == (Decimal("0.70"), Decimal("0.30"))
    assert V1.allowance(Qualification.ASSISTANT) == 100
    assert V1.allowance(Qualification.SOCIAL_WORKER) == 200
    assert V1.allowance(Qualification.SENIOR) == 300
    assert V1.allowance(Qualification.NONE) == 0
    assert V1.annual_bonus.bands == {
        Rating.EXCELLENT: 10000,
        Rating.COMPETENT: 4000,
        Rating.BASICALLY_COMPETENT: 1200,
        Rating.INCOMPETENT: 0,
    }
    c = V1.contributions
    assert (c.base_floor, c.base_ceiling) == (5124, 25620)
    assert {i: (s.employee, s.employer) for i, s in c.rates.items()} == {
        Insurance.PENSION: (Decimal("0.08"), Decimal("0.16")),
        Insurance.MEDICAL: (Decimal("0.02"), Decimal("0.095")),
        Insurance.UNEMPLOYMENT: (Decimal("0.005"), Decimal("0.005")),
        Insurance.WORK_INJURY: (0, Decimal("0.004")),
    }
    hf = c.housing_fund
    assert (hf.min_rate, hf.default_rate, hf.max_rate) == (
        Decimal("0.05"),
        Decimal("0.10"),
        Decimal("0.12"),
    )
    tax = V1.income_tax
    assert tax.basic_deduction_monthly == 5000
    assert [(b.up_to, b.rate, b.quick_deduction) for b in tax.annual_table][-2:] == [
        (960000, Decimal("0.35"), 85920),
        (None, Decimal("0.45"), 181920),
    ]
    assert tax.separate_bonus.available_until == date(2027, 12, 31)
    assert tax.separate_bonus.monthly_table[-1].quick_deduction == 15160


def test_coefficient_table_follows_the_ladder_ranges():
    tianjin = V1.scale("tianjin-3p18l")
    assert sorted(tianjin.coefficients["junior"]) == list(range(1, 13))
    assert sorted(tianjin.coefficients["middle"]) == list(range(4, 16))
    assert sorted(tianjin.coefficients["senior"]) == list(range(7, 19))
    qingdao = V1.scale("qingdao-ranks")
    assert {post: sorted(levels) for post, levels in qingdao.coefficients.items()} == {
        "trainee": [1],
        "junior": [1],
        "middle": [1],
        "senior": [1],
    }
    with pytest.raises(UnknownGrade):
        tianjin.coefficient("middle", 2)
    with pytest.raises(UnknownGrade):
        V1.scale("nowhere-ladder")


def test_sample_figures_are_marked_in_the_yaml():
    text = (PACKAGE / "policies" / "tianjin_pay_2025.yaml").read_text(encoding="utf-8")
    assert text.count("SAMPLE") >= 5


def test_floats_are_refused():
    data = document()
    data["split"] = {"base": 0.7, "performance": 0.3}
    with pytest.raises(ValidationError, match="quoted decimal"):
        PayPolicy.model_validate(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("split",), {"base": "0.60", "performance": "0.30"}, "is not 1"),
        (("effective_from",), "2025-01-15", "first of a month"),
        (("contributions", "base_floor"), "30000", "above base_ceiling"),
    ],
)
def test_inconsistent_policies_are_refused(path, value, message):
    data = document()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError, match=message):
        PayPolicy.model_validate(data)


def test_a_quick_deduction_typo_breaks_continuity_and_is_refused():
    data = document()
    data["income_tax"]["annual_table"][1]["quick_deduction"] = "2250"
    with pytest.raises(ValidationError, match="continuity needs 2520"):
        PayPolicy.model_validate(data)


def test_the_version_in_force_on_the_first_of_the_period_governs_it():
    v2 = PayPolicy.model_validate(document(version=2, effective_from="2026-01-01"))
    book = PolicyBook(versions=[V1, v2])
    assert book.for_period(2025, 12).version == 1
    assert book.for_period(2026, 1).version == 2
    assert book.in_force(date(2031, 5, 5)).version == 2
    with pytest.raises(LookupError):
        book.for_period(2024, 12)
    with pytest.raises(ValidationError, match="increasing"):
        PolicyBook(versions=[v2, V1])


def test_a_book_parses_from_yaml_text():
    text = (PACKAGE / "policies" / "tianjin_pay_2025.yaml").read_text(encoding="utf-8")
    assert parse_policy_book(text) == BOOK


@pytest.mark.parametrize(
    ("claim", "amount"),
    [
        ({}, "0.00"),
        ({"children_in_education": 2}, "4000.00"),
        ({"infants_under_3": 1, "children_in_education": 1}, "4000.00"),
        ({"elderly_only_child": True}, "3000.00"),
        ({"elderly_share": "1500"}, "1500.00"),
        ({"housing_loan": True}, "1000.00"),
        ({"rent_city": "large"}, "1500.00"),
        ({"rent_city": "medium"}, "1100.00"),
        ({"rent_city": "small"}, "800.00"),
        ({"continuing_education": True}, "400.00"),
        (
            {"children_in_education": 1, "elderly_only_child": True, "rent_city": "large"},
            "6500.00",
        ),
    ],
)
def test_special_deductions_per_month(claim, amount):
    assert special_deductions(V1.special_deductions, SpecialDeductionClaim(**claim)) == Decimal(
        amount
    )


def test_loan_and_rent_together_are_refused():
    with pytest.raises(ValidationError, match="cannot both"):
        SpecialDeductionClaim(housing_loan=True, rent_city="small")


def test_an_elderly_share_above_the_maximum_is_refused():
    with pytest.raises(PayError, match="above the maximum"):
        special_deductions(V1.special_deductions, SpecialDeductionClaim(elderly_share="1500.01"))
    with pytest.raises(ValidationError, match="only child"):
        SpecialDeductionClaim(elderly_only_child=True, elderly_share="1000")


@pytest.mark.parametrize(
    ("rating", "months", "amount"),
    [
        (Rating.EXCELLENT, 12, "10000.00"),
        (Rating.COMPETENT, 12, "4000.00"),
        (Rating.BASICALLY_COMPETENT, 12, "1200.00"),
        (Rating.INCOMPETENT, 12, "0.00"),
        (Rating.EXCELLENT, 5, "0.00"),
        (Rating.EXCELLENT, 6, "5000.00"),
        (Rating.COMPETENT, 7, "2333.33"),
        (Rating.BASICALLY_COMPETENT, 11, "1100.00"),
    ],
)
def test_annual_bonus_bands_and_pro_rata(rating, months, amount):
    assert V1.annual_bonus.amount(rating, months) == Decimal(amount)
