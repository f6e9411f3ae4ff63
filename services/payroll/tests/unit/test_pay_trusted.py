from decimal import Decimal

import pytest

from payroll.pay.earnings import LineKind, PayLine, pay_line
from payroll.pay.tax import YearToDate
from payroll.pay.trusted import Memo


def test_a_memo_keeps_a_value_from_the_second_request_on():
    memo, made = Memo(), []

    def make(x):
        made.append(x)
        return x * 2

    assert [memo.get("k", make, 21) for _ in range(3)] == [42, 42, 42]
    assert made == [21, 21]  # the first request is only remembered as seen


def test_a_memo_never_keeps_an_exception():
    memo, calls = Memo(), []

    def refuse():
        calls.append(1)
        raise ValueError("refused")

    for _ in range(3):
        with pytest.raises(ValueError, match="refused"):
            memo.get("k", refuse)
    assert len(calls) == 3


def test_a_trusted_line_is_the_validated_line():
    amount = Decimal("12.30")
    built = pay_line(LineKind.TAX, "income_tax", "Tax", amount, "why")
    validated = PayLine(
        kind=LineKind.TAX, code="income_tax", label="Tax", amount=amount, explanation="why"
    )
    assert built == validated
    assert repr(built) == repr(validated)
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_copy(update={"code": "x"}).code == "x"


def test_a_year_to_date_that_breaks_a_rule_is_still_refused():
    ok = YearToDate.of(Decimal("1.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), 1)
    assert ok == YearToDate(wages_taxable=Decimal("1.00"), months_employed=1)
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        YearToDate.of(Decimal("-1.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), 1)
