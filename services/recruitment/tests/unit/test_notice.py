"""The public notice's working days across National Day 2025 and Spring Festival 2026.

Expected dates by hand from the State Council General Office's yearly holiday notices (关于部分
节假日安排的通知): in 2025 National Day and Mid-Autumn are off from 1 to 8 October, with Sunday
28 September and Saturday 11 October worked; in 2026 Spring Festival is off from Sunday 15 to
Monday 23 February, with Saturday 14 and Saturday 28 February worked.
"""

from datetime import date

import pytest

from recruitment.rules.notice import CalendarUnknown, is_working_day, notice_ends


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 27), False),  # Saturday
        (date(2025, 9, 28), True),  # Sunday, make-up working day
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),  # Wednesday, still the holiday
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 10, 12), False),
        (date(2026, 2, 14), True),  # Saturday, make-up working day
        (date(2026, 2, 16), False),  # Monday in the holiday
        (date(2026, 2, 23), False),  # Monday, last day of the holiday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, make-up working day
        (date(2026, 3, 1), False),  # Sunday
    ],
)
def test_the_package_knows_the_official_days(day, working):
    assert is_working_day(day) is working


def test_an_ordinary_fortnight_skips_the_weekend():
    # Monday 3 November 2025, not counted; 4-7 November are days 1-4, 10-12 days 5-7.
    assert notice_ends(date(2025, 11, 3), 7) == date(2025, 11, 12)


def test_across_national_day_2025_with_both_make_up_days():
    # Fri 26 Sep not counted; Sun 28 Sep 1, 29 Sep 2, 30 Sep 3, (1-8 Oct off), 9 Oct 4,
    # 10 Oct 5, Sat 11 Oct 6, (Sun 12 Oct off), Mon 13 Oct 7.
    assert notice_ends(date(2025, 9, 26), 7) == date(2025, 10, 13)
    # Tue 30 Sep not counted; 9 Oct 1, 10 Oct 2, Sat 11 Oct 3, 13-16 Oct 4-7.
    assert notice_ends(date(2025, 9, 30), 7) == date(2025, 10, 16)


def test_across_spring_festival_2026_with_both_make_up_days():
    # Thu 12 Feb not counted; Fri 13 Feb 1, Sat 14 Feb 2, (15-23 Feb off), 24-27 Feb 3-6,
    # Sat 28 Feb 7.
    assert notice_ends(date(2026, 2, 12), 7) == date(2026, 2, 28)
    assert notice_ends(date(2026, 2, 13), 1) == date(2026, 2, 14)


def test_a_notice_published_on_a_holiday_starts_counting_after_it():
    assert notice_ends(date(2025, 10, 1), 1) == date(2025, 10, 9)
    assert notice_ends(date(2025, 10, 5), 3) == date(2025, 10, 11)


def test_the_start_day_itself_does_not_count():
    # Monday 3 November 2025 is a working day, and still the one-day notice ends on Tuesday.
    assert notice_ends(date(2025, 11, 3), 1) == date(2025, 11, 4)


def test_a_year_the_calendar_does_not_know_is_refused():
    with pytest.raises(CalendarUnknown, match="2003"):
        notice_ends(date(2003, 12, 1), 7)
    with pytest.raises(CalendarUnknown, match="2100"):
        is_working_day(date(2100, 1, 4))


def test_a_notice_running_into_an_unknown_year_is_refused():
    # chinese-calendar 1.11.0 (the lockfile's) knows 2004-2026. Mon 28 Dec 2026: 29-31 Dec are
    # days 1-3, then the count needs 2027. When the lock brings 2027 data, move this forward.
    with pytest.raises(CalendarUnknown, match="2027"):
        notice_ends(date(2026, 12, 28), 7)


def test_at_least_one_working_day():
    with pytest.raises(ValueError):
        notice_ends(date(2025, 11, 3), 0)
