"""Employment episodes in the pure rules: the episode covering a month (none in the gap between
two), whole months of service added up over the episodes of a year, and arrears that owe nothing
for the gap. Expected values by hand: months count from the hire date (or 1 January) to the day
after leaving, a month short when that day falls earlier in the month than the start; pay from
the shipped Tianjin policy, junior 1 4,000.00 and junior 2 4,200.00 a month, by calendar days."""

from datetime import date
from decimal import Decimal as D

from payroll.adjustments.domain import (
    PaidBefore,
    Span,
    covering,
    months_served,
    months_served_in,
    owed_for,
)
from payroll.pay.earnings import Employment, Period
from payroll.pay.policy import shipped_pay_policies
from union_shared.vocabulary import Qualification

BOOK = shipped_pay_policies()["tianjin-pay"]
LADDER = "tianjin-3p18l"


def episodes(*dates: tuple[date, date | None]) -> list[Employment]:
    return [Employment(hired_on=hired, left_on=left) for hired, left in dates]


def month(year: int, number: int) -> Period:
    return Period(year=year, month=number)


def test_the_months_of_two_episodes_in_one_year_add_up():
    # 1 January to 31 March: 3 months; 1 July to the year's end: 6 months.
    two = episodes((date(2024, 1, 1), date(2024, 3, 31)), (date(2024, 7, 1), None))
    assert months_served_in(two, 2024) == 9
    assert months_served_in(two, 2025) == 12  # the second episode, all year
    assert months_served_in(two, 2023) == 0


def test_each_episode_counts_only_its_whole_months():
    # 15 January to 20 March: 15 Jan–14 Mar is 2 whole months (to 21 March is not a third).
    # 10 July to 31 December: 10 July–9 December is 5 whole months. 2 + 5 = 7: the odd days
    # of the two episodes are not added into an extra month.
    two = episodes((date(2024, 1, 15), date(2024, 3, 20)), (date(2024, 7, 10), None))
    assert months_served_in(two, 2024) == 7


def test_an_episode_reaching_across_the_new_year_counts_in_each_year():
    # 1 May 2023 to 31 March 2024, back 1 September 2024: 2023 has May–December (8); 2024 has
    # January–March (3) and September–December (4).
    two = episodes((date(2023, 5, 1), date(2024, 3, 31)), (date(2024, 9, 1), None))
    assert months_served_in(two, 2023) == 8
    assert months_served_in(two, 2024) == 7


def test_one_episode_counts_as_months_served_always_did():
    assert months_served(date(2024, 1, 1), date(2024, 3, 31), 2024) == 3
    assert months_served(date(2024, 7, 1), None, 2024) == 6
    one = episodes((date(2024, 3, 10), None))
    assert months_served_in(one, 2024) == months_served(date(2024, 3, 10), None, 2024) == 9


def test_the_episode_covering_a_month_and_none_in_the_gap():
    first, second = episodes((date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 6, 16), None))
    both = [first, second]
    assert covering(both, month(2024, 12)) is None  # before the first hire
    assert covering(both, month(2025, 1)) is first
    assert covering(both, month(2025, 3)) is first
    assert covering(both, month(2025, 4)) is None
    assert covering(both, month(2025, 5)) is None
    assert covering(both, month(2025, 6)) is second  # from the 16th
    assert covering(both, month(2026, 2)) is second


def test_arrears_across_the_gap_owe_nothing_for_the_gap_months():
    # Junior 2 from 15 February 2025, found after the runs of February to June were locked. The
    # worker left on 31 March and was back on 16 June: April and May were paid by no run, as
    # they were not worked, so they are neither owed nor reported as unpaid.
    two = episodes((date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 6, 16), None))
    old = [Span(LADDER, "junior", 1, date(2025, 1, 1), None)]
    new = [
        Span(LADDER, "junior", 1, date(2025, 1, 1), date(2025, 2, 14)),
        Span(LADDER, "junior", 2, date(2025, 2, 15), None),
    ]
    months = [month(2025, m) for m in (2, 3, 4, 5, 6)]
    paid = PaidBefore(frozenset({"2025-02", "2025-03", "2025-06"}), {}, None)
    owed = owed_for(BOOK, two, Qualification.NONE, old, new, months, paid)
    # February: 14 of 28 days at each grade, 2,000.00 + 2,100.00 against 4,000.00: 100.00.
    # March: 4,200.00 against 4,000.00: 200.00. June, 16 to 30 (15 of 30 days): 2,100.00
    # against 2,000.00: 100.00.
    assert {str(m.period): m.difference for m in owed.arrears.months} == {
        "2025-02": D("100.00"),
        "2025-03": D("200.00"),
        "2025-06": D("100.00"),
    }
    assert owed.arrears.total == D("400.00")
    assert owed.not_owed == ()
