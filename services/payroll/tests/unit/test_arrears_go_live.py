"""Arrears around go-live (DOMAIN.md, "Periods and changes"): only months that were paid owe a
difference. A month a locked run paid owes the corrected gross less the old grade's; a month
before go-live owes the corrected gross less what was declared paid (and less arrears owed for
it since); any other month owes nothing and is reported. Figures by hand from the shipped
Tianjin pay policy: reference 4,000.00 × the level's coefficient (junior 1: 1.00, junior 2:
1.05, junior 3: 1.10), split 70% base / 30% performance, prorated by calendar days."""

from datetime import date
from decimal import Decimal as D

from payroll.adjustments.domain import PaidBefore, Span, owed_for
from payroll.golive.domain import governing
from payroll.pay.arrears import DeclaredMonthFacts, declared_arrears_month
from payroll.pay.earnings import Employment, Interval, Period
from payroll.pay.funders import FunderShare
from payroll.pay.policy import shipped_pay_policies
from union_shared.vocabulary import Qualification

BOOK = shipped_pay_policies()["tianjin-pay"]
LADDER = "tianjin-3p18l"
HIRED = Employment(hired_on=date(2025, 1, 1))
NONE = Qualification.NONE
OLD = [Span(LADDER, "junior", 1, date(2025, 1, 1), None)]
# Junior 2 from 15 February: 14 days of February at junior 1, 14 at junior 2.
NEW = [
    Span(LADDER, "junior", 1, date(2025, 1, 1), date(2025, 2, 14)),
    Span(LADDER, "junior", 2, date(2025, 2, 15), None),
]
FEB, MAR, APR, MAY = (Period(year=2025, month=m) for m in (2, 3, 4, 5))


def paid(on_platform=(), declared=None, go_live: Period | None = APR) -> PaidBefore:
    return PaidBefore(frozenset(on_platform), declared or {}, go_live)


def by_month(owed) -> dict[str, D]:
    return {str(m.period): m.difference for m in owed.arrears.months}


def test_declared_months_owe_the_corrected_gross_less_the_declared():
    declared = {"2025-02": (D("4000.00"), D("0.00")), "2025-03": (D("3900.00"), D("0.00"))}
    owed = owed_for(BOOK, HIRED, NONE, OLD, NEW, [FEB, MAR, APR], paid(["2025-04"], declared))
    # February as corrected: base 2,800 × 14/28 + 2,940 × 14/28 = 1,400 + 1,470; performance
    # 1,200 × 14/28 + 1,260 × 14/28 = 600 + 630: 4,100.00 against 4,000.00 declared.
    # March: junior 2 all month, 4,200.00 against 3,900.00 declared.
    # April, paid by a locked run at junior 1: 4,200.00 against 4,000.00.
    assert by_month(owed) == {
        "2025-02": D("100.00"),
        "2025-03": D("300.00"),
        "2025-04": D("200.00"),
    }
    assert owed.arrears.total == D("600.00")
    assert [m.basis for m in owed.arrears.months] == ["declared", "declared", "platform"]
    assert owed.not_owed == () and owed.note() is None


def test_a_month_before_go_live_with_nothing_declared_owes_nothing_and_is_reported():
    declared = {"2025-03": (D("3900.00"), D("0.00"))}
    owed = owed_for(BOOK, HIRED, NONE, OLD, NEW, [FEB, MAR, APR], paid(["2025-04"], declared))
    assert by_month(owed) == {"2025-03": D("300.00"), "2025-04": D("200.00")}
    ((month, reason),) = [(str(n.period), n.reason) for n in owed.not_owed]
    assert month == "2025-02" and "before go-live (2025-04)" in reason
    assert "2025-02" in owed.note()


def test_without_a_go_live_only_months_a_locked_run_paid_owe_arrears():
    owed = owed_for(BOOK, HIRED, NONE, OLD, NEW, [FEB, MAR, APR], paid(["2025-04"], go_live=None))
    assert by_month(owed) == {"2025-04": D("200.00")}
    assert [str(n.period) for n in owed.not_owed] == ["2025-02", "2025-03"]
    assert all("no locked run paid it" in n.reason for n in owed.not_owed)


def test_a_closed_month_after_go_live_no_run_paid_is_reported_not_assumed():
    owed = owed_for(BOOK, HIRED, NONE, OLD, NEW, [APR, MAY], paid(["2025-05"]))
    assert by_month(owed) == {"2025-05": D("200.00")}
    assert [(str(n.period), "no locked run paid it" in n.reason) for n in owed.not_owed] == [
        ("2025-04", True)
    ]


def test_a_second_change_pays_a_declared_month_only_its_own_difference():
    # March was declared at 3,900.00 and the first change already owes 300.00 for it; junior 3
    # from 1 March makes it 4,400.00: 4,400.00 − (3,900.00 + 300.00) = 200.00.
    newer = [Span(LADDER, "junior", 3, date(2025, 3, 1), None)]
    declared = {"2025-03": (D("3900.00"), D("300.00"))}
    owed = owed_for(BOOK, HIRED, NONE, NEW, newer, [MAR], paid(declared=declared))
    assert by_month(owed) == {"2025-03": D("200.00")}


def test_months_not_employed_are_neither_owed_nor_reported():
    hired_in_march = Employment(hired_on=date(2025, 3, 10))
    old = [Span(LADDER, "junior", 1, date(2025, 3, 10), None)]
    new = [Span(LADDER, "junior", 2, date(2025, 2, 15), None)]
    owed = owed_for(BOOK, hired_in_march, NONE, old, new, [FEB, MAR], paid())
    assert owed.arrears.months == () and [str(n.period) for n in owed.not_owed] == ["2025-03"]


def test_a_declared_month_before_the_pay_policy_is_reported_not_priced():
    employment = Employment(hired_on=date(2024, 11, 1))
    new = [Span(LADDER, "junior", 2, date(2024, 11, 1), None)]
    declared = {"2024-12": (D("4000.00"), D("0.00"))}
    december = Period(year=2024, month=12)
    owed = owed_for(BOOK, employment, NONE, new, new, [december], paid(declared=declared))
    ((note,),) = [[n.reason for n in owed.not_owed]]
    assert owed.arrears.months == () and "starts on 2025-01-01" in note


def test_a_declared_month_explains_its_lines():
    interval = Interval(
        start=date(2025, 3, 1), grade=NEW[1].grade, unit_id="-",
        funders=(FunderShare(funder="city", percent=D(100)),),
    )  # fmt: skip
    facts = DeclaredMonthFacts(
        hired_on=date(2025, 1, 1), period=MAR, new_intervals=(interval,), declared=D("3900.00"),
        owed_since=D("100.00"),
    )  # fmt: skip
    month = declared_arrears_month(BOOK, facts)
    # Junior 2: base 4,200 × 70% = 2,940.00, performance 1,260.00; paid 3,900.00 + 100.00.
    lines = {line.code: (line.old, line.new, line.difference) for line in month.lines}
    assert lines == {
        "base": (D("0.00"), D("2940.00"), D("2940.00")),
        "performance": (D("0.00"), D("1260.00"), D("1260.00")),
        "declared_pay": (D("3900.00"), D("0.00"), D("-3900.00")),
        "arrears_owed": (D("100.00"), D("0.00"), D("-100.00")),
    }
    assert (month.old_gross, month.new_gross, month.difference) == (
        D("4000.00"),
        D("4200.00"),
        D("200.00"),
    )
    assert "declared paid plus 100.00 owed since" in month.explanation


def test_the_nearest_go_live_up_the_tree_governs():
    go_lives = {"city": "2026-01", "hexi": "2026-03"}
    assert governing(["city", "hexi", "street"], go_lives) == ("hexi", "2026-03")
    assert governing(["city", "hedong"], go_lives) == ("city", "2026-01")
    assert governing(["other"], go_lives) is None
