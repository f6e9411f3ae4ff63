"""Parked GradeReevaluated events (their worker not onboarded yet) through the operator endpoint
and the /metrics gauges: listed oldest first with their age by the app's clock, never with the
grade or appraisal they carry, and gone from both once the worker arrives."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from union_dev.testing.api import bearer
from union_shared.auth import Role
from union_shared.clock import using
from union_shared.events.catalogue import AppraisalRef

from .conftest import OFFICER, MovableClock, deliver
from .test_payroll import HIRED, hired, regraded, span

pytestmark = pytest.mark.db

OPERATOR = bearer(Role.OPERATOR)
URL = "/admin/parked-events"
PARKED = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


@pytest.fixture
def app_clock() -> MovableClock:
    return MovableClock(PARKED)


def _gauge(text: str, name: str) -> float:
    (value,) = re.findall(rf'^{name}{{service="payroll"}} (\S+)$', text, re.MULTILINE)
    return float(value)


async def test_parked_events_are_listed_with_their_age_and_counted_on_metrics(client, app_clock):
    rated = AppraisalRef(year=2025, rating="excellent", revision=1)
    first = regraded(HIRED, span("junior", 1, HIRED), worker_id="w-1", appraisal=rated)
    second = regraded(date(2026, 3, 1), span("middle", 4, date(2026, 3, 1)), worker_id="w-2")
    with using(app_clock):
        await deliver(client, first)
        app_clock.instant = PARKED + timedelta(minutes=30)
        await deliver(client, second)
    app_clock.instant = PARKED + timedelta(hours=3)

    reply = await client.get(URL, headers=OPERATOR)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["count"], body["oldest_age_seconds"]) == (2, 3 * 3600)
    assert [(i["event_id"], i["worker_id"], i["age_seconds"]) for i in body["items"]] == [
        (first.id, "w-1", 3 * 3600),
        (second.id, "w-2", 2 * 3600 + 30 * 60),
    ]
    assert body["items"][0]["type"] == "GradeReevaluated"
    assert body["items"][1]["effective_date"] == "2026-03-01"
    # The grade and the appraisal the events carry are not the operator's to read.
    for secret in ("junior", "middle", "excellent", "timeline", "level"):
        assert secret not in reply.text
    limited = (await client.get(URL, headers=OPERATOR, params={"limit": 1})).json()
    assert limited["count"] == 2 and len(limited["items"]) == 1

    metrics = (await client.get("/metrics")).text
    assert _gauge(metrics, "payroll_parked_events") == 2
    assert _gauge(metrics, "payroll_parked_event_oldest_age_seconds") == 3 * 3600

    await deliver(client, hired("w-1"))  # the worker arrives: their event is applied
    body = (await client.get(URL, headers=OPERATOR)).json()
    assert [i["worker_id"] for i in body["items"]] == ["w-2"]
    assert body["oldest_age_seconds"] == 2 * 3600 + 30 * 60
    metrics = (await client.get("/metrics")).text
    assert _gauge(metrics, "payroll_parked_events") == 1
    assert _gauge(metrics, "payroll_parked_event_oldest_age_seconds") == 2 * 3600 + 30 * 60


async def test_no_parked_events_read_zero(client):
    body = (await client.get(URL, headers=OPERATOR)).json()
    assert body == {"count": 0, "oldest_age_seconds": None, "items": []}
    metrics = (await client.get("/metrics")).text
    assert _gauge(metrics, "payroll_parked_events") == 0
    assert _gauge(metrics, "payroll_parked_event_oldest_age_seconds") == 0


async def test_only_operators_and_system_clients_list_parked_events(client):
    assert (await client.get(URL, headers=OFFICER)).status_code == 403
    auditor = bearer(Role.AUDITOR, unit_id="city")
    assert (await client.get(URL, headers=auditor)).status_code == 403
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(URL, headers=bearer(Role.SYSTEM))).status_code == 200
    assert (await client.get(URL, headers=OPERATOR, params={"limit": 0})).status_code == 422
