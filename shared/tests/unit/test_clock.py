"""The one clock: "today" is the date where the federations work, not the UTC date."""

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from union_shared.clock import Clock
from union_shared.settings import ServiceSettings

# 01:00 on 21 November in Beijing, still 20 November in UTC.
ONE_AM_IN_BEIJING = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def test_today_is_beijings_date_between_midnight_and_eight():
    clock = Clock(instant=lambda: ONE_AM_IN_BEIJING)
    assert clock.today() == date(2026, 11, 21)
    assert Clock("UTC", instant=lambda: ONE_AM_IN_BEIJING).today() == date(2026, 11, 20)


def test_now_is_an_aware_utc_instant():
    beijing = ONE_AM_IN_BEIJING.astimezone(Clock().zone)
    now = Clock(instant=lambda: beijing).now()
    assert now == ONE_AM_IN_BEIJING
    assert now.utcoffset() == timedelta(0)


def test_the_time_zone_is_a_setting_and_must_exist(monkeypatch):
    assert ServiceSettings().time_zone == "Asia/Shanghai"
    monkeypatch.setenv("TIME_ZONE", "Asia/Urumqi")
    assert ServiceSettings().time_zone == "Asia/Urumqi"
    monkeypatch.setenv("TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        ServiceSettings()
