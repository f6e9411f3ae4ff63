from datetime import date

import pytest

from roster.compliance.domain import (
    AlertKind,
    SignedContract,
    WorkerFacts,
    appraisal_alert,
    contract_in_force,
    counts_by_kind,
    open_ended_alert,
    retirement_alert,
    social_insurance_alert,
    worker_alerts,
    written_contract_alert,
)
from roster.contracts.domain import ContractKind, ContractTerms, in_force_on, overlaps
from roster.rules.policy import rules_on
from roster.rules.retirement import retirement_of
from roster.training.domain import TrainingDone, TrainingKind

RULES = rules_on(date(2026, 1, 1))
FIXED, OPEN = ContractKind.FIXED_TERM, ContractKind.OPEN_ENDED
HIRED = date(2024, 3, 1)  # contract due by 2024-03-31; social insurance by 2024-03-31


def signed(kind, start, end, signed_on=None):
    return SignedContract(ContractTerms(kind, start, end, None), signed_on or start)


@pytest.mark.parametrize(
    ("signatures", "as_of", "expected"),
    [
        ([], date(2024, 3, 31), None),  # last day of the signing month
        ([], date(2024, 4, 1), (1, False)),
        ([], date(2025, 2, 28), (11, False)),  # the day before a full year
        ([], date(2025, 3, 1), (11, True)),  # a full year: deemed open-ended
        ([date(2024, 3, 31)], date(2026, 1, 1), None),  # signed on the deadline
        ([date(2024, 3, 20), date(2025, 6, 1)], date(2026, 1, 1), None),  # the first one counts
        ([date(2024, 5, 10)], date(2026, 1, 1), (2, False)),  # signed late: exposure frozen
        ([date(2024, 4, 1)], date(2024, 4, 1), None),  # signed the day after: no day exposed
        # signed after the as-of date: on that date there was no contract yet
        ([date(2025, 6, 1)], date(2025, 3, 1), (11, True)),
        ([date(2025, 6, 1)], date(2024, 4, 15), (1, False)),
    ],
)
def test_written_contract_alert(signatures, as_of, expected):
    alert = written_contract_alert(HIRED, signatures, as_of, RULES)
    if expected is None:
        assert alert is None
        return
    assert alert is not None and alert.kind is AlertKind.WRITTEN_CONTRACT_MISSING
    assert alert.due_on == alert.extra["deadline"] == date(2024, 3, 31)
    assert (alert.extra["double_wage_months"], alert.extra["deemed_open_ended"]) == expected


TEN_YEARS = date(2014, 3, 1)  # open-ended contract due on 2024-03-01


@pytest.mark.parametrize(
    ("contracts", "as_of", "in_force"),
    [
        ([], date(2024, 2, 29), "no alert"),
        ([], date(2024, 3, 1), None),
        ([signed(FIXED, TEN_YEARS, date(2025, 2, 28))], date(2024, 2, 29), "no alert"),
        ([signed(FIXED, TEN_YEARS, date(2025, 2, 28))], date(2024, 3, 1), FIXED),
        ([signed(FIXED, TEN_YEARS, date(2024, 5, 31))], date(2024, 6, 1), None),  # lapsed
        (
            [
                signed(FIXED, TEN_YEARS, date(2024, 5, 31)),
                signed(OPEN, date(2024, 6, 1), None),
            ],
            date(2024, 5, 31),
            FIXED,
        ),
        (
            [
                signed(FIXED, TEN_YEARS, date(2024, 5, 31)),
                signed(OPEN, date(2024, 6, 1), None),
            ],
            date(2024, 6, 1),
            "no alert",
        ),
    ],
)
def test_open_ended_contract_due(contracts, as_of, in_force):
    alert = open_ended_alert(TEN_YEARS, contracts, as_of, RULES)
    if in_force == "no alert":
        assert alert is None
        return
    assert alert is not None and alert.due_on == date(2024, 3, 1)
    assert alert.extra == {"contract_in_force": in_force}


def test_contract_in_force_counts_both_ends():
    c = signed(FIXED, date(2024, 3, 1), date(2024, 5, 31))
    assert [contract_in_force([c], d) for d in (date(2024, 2, 29), date(2024, 6, 1))] == [
        None,
        None,
    ]
    assert contract_in_force([c], date(2024, 3, 1)) == c
    assert contract_in_force([c], date(2024, 5, 31)) == c
    assert in_force_on(ContractTerms(OPEN, date(2024, 3, 1), None, None), date(2099, 1, 1))


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        ((date(2024, 3, 1), date(2024, 5, 31)), (date(2024, 6, 1), None), False),
        ((date(2024, 3, 1), date(2024, 5, 31)), (date(2024, 5, 31), None), True),  # shared day
        ((date(2024, 3, 1), None), (date(2030, 1, 1), date(2030, 12, 31)), True),
        ((date(2024, 3, 1), date(2024, 3, 1)), (date(2024, 2, 1), date(2024, 2, 29)), False),
    ],
)
def test_overlaps_on_the_edge_days(a, b, clash):
    first = ContractTerms(FIXED if a[1] else OPEN, *a, None)
    second = ContractTerms(FIXED if b[1] else OPEN, *b, None)
    assert overlaps(first, second) is clash
    assert overlaps(second, first) is clash


@pytest.mark.parametrize(
    ("registered_on", "as_of", "open_"),
    [
        (None, date(2024, 3, 31), False),  # the last day allowed
        (None, date(2024, 4, 1), True),
        (date(2024, 4, 15), date(2024, 4, 14), True),  # registered late, not yet
        (date(2024, 4, 15), date(2024, 4, 15), False),  # registered late: closed from that day
        (date(2024, 3, 10), date(2026, 1, 1), False),
    ],
)
def test_social_insurance_registration(registered_on, as_of, open_):
    alert = social_insurance_alert(HIRED, registered_on, as_of, RULES)
    assert (alert is not None) is open_
    if alert:
        assert alert.due_on == date(2024, 3, 31)


@pytest.mark.parametrize(
    ("hire_date", "appraised", "as_of", "year"),
    [
        (HIRED, set(), date(2025, 3, 31), None),  # 90 days after year end: still in time
        (HIRED, set(), date(2025, 4, 1), 2024),
        (HIRED, {2024}, date(2025, 4, 1), None),
        (HIRED, {2023}, date(2025, 4, 1), 2024),  # an older year does not count
        (date(2024, 12, 31), set(), date(2025, 4, 1), 2024),  # on the register on the last day
        (date(2025, 1, 1), set(), date(2025, 4, 1), None),  # hired after the year
        (HIRED, set(), date(2024, 12, 31), None),  # 2023: hired after it
        # 90 days after the year end land a day earlier in a leap year
        (HIRED, set(), date(2028, 3, 30), None),
        (HIRED, set(), date(2028, 3, 31), 2027),
    ],
)
def test_appraisal_missing(hire_date, appraised, as_of, year):
    alert = appraisal_alert(hire_date, appraised, as_of, RULES)
    if year is None:
        assert alert is None
        return
    assert alert is not None and alert.extra == {"year": year}
    leap = year + 1 == 2028
    assert alert.due_on == date(year + 1, 3, 30 if leap else 31)


def test_a_worker_with_everything_in_order_has_no_alert():
    facts = WorkerFacts(
        hire_date=HIRED,
        social_insurance_registered_on=date(2024, 3, 15),
        contracts=(signed(FIXED, HIRED, date(2027, 2, 28), date(2024, 3, 1)),),
        trainings=(
            TrainingDone(TrainingKind.PRE_JOB, date(2024, 3, 20)),
            TrainingDone(TrainingKind.ROTATION, date(2026, 9, 1)),
        ),
        appraised_years=frozenset({2025}),
    )
    assert worker_alerts(facts, date(2026, 6, 1), RULES) == []


def test_a_worker_with_nothing_recorded_has_every_alert():
    # Born 1964-05-01: 60 on 2024-05-01, before the reform.
    retiring = retirement_of(date(1964, 5, 1), "male", None)
    facts = WorkerFacts(hire_date=date(2014, 3, 1), retirement=retiring)
    kinds = sorted(a.kind for a in worker_alerts(facts, date(2024, 6, 1), RULES))
    assert kinds == sorted(AlertKind)
    assert all(type(a.kind) is AlertKind for a in worker_alerts(facts, date(2024, 6, 1), RULES))


def test_counts_list_every_kind_with_zeros():
    counts = counts_by_kind([AlertKind.APPRAISAL_MISSING, AlertKind.APPRAISAL_MISSING])
    assert list(counts) == list(AlertKind)
    assert counts[AlertKind.APPRAISAL_MISSING] == 2
    assert sum(counts.values()) == 2


def test_retirement_is_due_from_the_day_the_age_is_reached():
    # A man born 1965-05-10 retires at 60y2m (annex 1: 1965-05..08): on 2025-07-10.
    retiring = retirement_of(date(1965, 5, 10), "male", None)
    assert retirement_alert(retiring, date(2025, 7, 9)) is None
    alert = retirement_alert(retiring, date(2025, 7, 10))
    assert (alert.kind, alert.due_on) == (AlertKind.RETIREMENT_DUE, date(2025, 7, 10))
    assert alert.extra == {"age_years": 60, "age_months": 2, "original_age": 60}
    assert alert.detail == "statutory retirement age 60y2m (original age 60) reached on 2025-07-10"
    assert retirement_alert(None, date(2025, 7, 10)) is None
    # By month, for callers who see identifiers masked: from 2025-07-01, dated that day.
    assert retirement_alert(retiring, date(2025, 6, 30), by_month=True) is None
    monthly = retirement_alert(retiring, date(2025, 7, 1), by_month=True)
    assert monthly.due_on == date(2025, 7, 1)
    assert monthly.detail == "statutory retirement age 60y2m (original age 60) reached in 2025-07"
