"""The public notice period (公示), DOMAIN.md "Recruitment": the proposed hires are published
for `notice_working_days` working days (7 by default). Working days are the Chinese calendar's:
weekdays that are not public holidays, plus the Saturdays and Sundays the State Council's
yearly holiday notice makes working days (调休). The `chinese_calendar` package carries those
notices; outside the years it knows, no answer is better than a guess.

The start day does not count: the period runs from the next day, as the Civil Code reckons
periods in days (民法典 art. 201: 开始的当日不计入). `notice_ends` gives the last day of the
notice, which is itself a working day.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class CalendarUnknown(ValueError):
    """The holiday tables do not cover this date: the package must be updated with the new
    year's State Council notice before a notice can be timed across it."""


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as error:
        raise CalendarUnknown(
            f"the holiday calendar has no data for {day.year} ({error}); update chinese-calendar"
        ) from error


def notice_ends(start: date, working_days: int) -> date:
    """The last day of a notice published on `start` that lasts `working_days` working days,
    counted from the day after `start`."""
    if working_days < 1:
        raise ValueError(f"a notice lasts at least one working day, not {working_days}")
    is_working_day(start)  # refuse an unknown year even when the count would not reach it
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        counted += is_working_day(day)
    return day
