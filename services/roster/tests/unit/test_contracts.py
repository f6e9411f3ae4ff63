from datetime import date

import pytest

from roster.contracts.domain import (
    ContractKind,
    ContractRuleBroken,
    ContractTerms,
    check_contract,
    max_probation_months,
    open_ended_due_on,
    social_insurance_due_on,
    written_contract_status,
)
from roster.rules.policy import rules_on

RULES = rules_on(date(2026, 1, 1))
FIXED, OPEN = ContractKind.FIXED_TERM, ContractKind.OPEN_ENDED


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 3, 1), date(2026, 5, 30), 0),  # one day short of 3 months
        (date(2026, 3, 1), date(2026, 5, 31), 1),  # exactly 3 months
        (date(2026, 3, 1), date(2027, 2, 27), 1),  # one day short of a year
        (date(2026, 3, 1), date(2027, 2, 28), 2),  # exactly a year
        (date(2026, 3, 1), date(2029, 2, 27), 2),  # one day short of 3 years
        (date(2026, 3, 1), date(2029, 2, 28), 6),  # exactly 3 years
        # from 29 Feb a year on is 28 Feb (no 29th), so a one-year term ends 27 Feb
        (date(2024, 2, 29), date(2025, 2, 26), 1),
        (date(2024, 2, 29), date(2025, 2, 27), 2),
        (date(2026, 3, 1), None, 6),  # open-ended
    ],
)
def test_probation_limit_follows_the_contract_term(start, end, months):
    kind = OPEN if end is None else FIXED
    assert max_probation_months(ContractTerms(kind, start, end, None)) == months


@pytest.mark.parametrize(
    ("end", "probation_end", "error"),
    [
        (date(2027, 2, 28), date(2026, 4, 30), None),  # 2 months allowed, last day exactly
        (
            date(2027, 2, 28),
            date(2026, 5, 1),
            "at most 2 month(s) for this contract, so end by 2026-04-30",
        ),
        (date(2026, 5, 30), date(2026, 3, 15), "shorter than 3 months may have no probation"),
        (date(2026, 11, 30), date(2026, 3, 31), None),  # 1 month, last day exactly
        (date(2026, 11, 30), date(2026, 4, 1), "at most 1 month(s)"),
        (date(2026, 2, 1), None, "ends 2026-02-01, before it starts 2026-03-01"),
        (date(2029, 2, 28), date(2026, 2, 28), "probation ends before the contract starts"),
    ],
)
def test_probation_longer_than_the_law_allows_is_refused(end, probation_end, error):
    terms = ContractTerms(FIXED, date(2026, 3, 1), end, probation_end)
    if error is None:
        check_contract(terms, had_probation_before=False)
        return
    with pytest.raises(ContractRuleBroken, match=error.replace("(", r"\(").replace(")", r"\)")):
        check_contract(terms, had_probation_before=False)


def test_probation_only_once_per_worker():
    terms = ContractTerms(FIXED, date(2027, 3, 1), date(2030, 2, 28), date(2027, 4, 30))
    with pytest.raises(ContractRuleBroken, match="already served a probation") as caught:
        check_contract(terms, had_probation_before=True)
    assert caught.value.field == "probation_end"
    without = ContractTerms(FIXED, date(2027, 3, 1), date(2030, 2, 28), None)
    check_contract(without, had_probation_before=True)  # a later contract without probation is fine


@pytest.mark.parametrize(
    ("kind", "end", "field"),
    [(FIXED, None, "end_date"), (OPEN, date(2027, 1, 1), "end_date")],
)
def test_kind_and_end_date_must_agree(kind, end, field):
    with pytest.raises(ContractRuleBroken) as caught:
        check_contract(ContractTerms(kind, date(2026, 3, 1), end, None), had_probation_before=False)
    assert caught.value.field == field


FIRST_DAY = date(2026, 1, 15)  # deadline to sign: 2026-02-14


@pytest.mark.parametrize(
    ("signed_on", "as_of", "overdue", "months", "open_ended"),
    [
        (None, date(2026, 2, 14), False, 0, False),  # last day of the grace month
        (None, date(2026, 2, 15), True, 1, False),  # first day of exposure
        (None, date(2026, 3, 14), True, 1, False),  # still the first exposed month
        (None, date(2026, 3, 15), True, 2, False),
        (None, date(2027, 1, 14), True, 11, False),  # day before a full year
        (None, date(2027, 1, 15), True, 11, True),  # a full year: deemed open-ended, cap 11
        (None, date(2028, 6, 1), True, 11, True),
        (date(2026, 2, 14), date(2026, 6, 1), False, 0, False),  # signed on the deadline
        (date(2026, 2, 15), date(2026, 6, 1), False, 0, False),  # exposure would end the day before
        (date(2026, 2, 16), date(2026, 6, 1), True, 1, False),  # one day exposed
        (date(2026, 5, 20), date(2026, 6, 1), True, 4, False),
        (date(2026, 5, 20), date(2026, 3, 1), True, 1, False),  # as of a date before signing
        (date(2027, 1, 14), date(2027, 6, 1), True, 11, False),  # signed the last day of the year
        (date(2027, 1, 15), date(2027, 6, 1), True, 11, True),  # signed after a full year: deemed
        (date(2027, 1, 15), date(2027, 1, 14), True, 11, False),  # ... but not before that day
    ],
)
def test_written_contract_deadline_and_double_wage_exposure(
    signed_on, as_of, overdue, months, open_ended
):
    status = written_contract_status(FIRST_DAY, signed_on, as_of, RULES)
    assert status.deadline == date(2026, 2, 14)
    assert (status.overdue, status.double_wage_months, status.deemed_open_ended) == (
        overdue,
        months,
        open_ended,
    )


def test_open_ended_contract_and_social_insurance_due_dates():
    assert open_ended_due_on(date(2016, 2, 29), RULES) == date(2026, 2, 28)
    assert social_insurance_due_on(date(2026, 1, 15), RULES) == date(2026, 2, 14)
