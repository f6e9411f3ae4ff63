"""Payroll through events and HTTP: worker facts and grade spans from the inbox, PayrollAdjusted
with the monthly gross before and after, arrears for locked months across a year boundary,
duplicates absorbed, funder shares and masked bank accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import onboarded_event
from union_shared.auth import Role
from union_shared.events import GradeReevaluated, WorkerLeft, WorkerTransferred, build_event
from union_shared.events.catalogue import AppraisalRef, GradeSpan
from union_shared.messaging.handlers import UnknownWorker

from .conftest import close, deliver, sent, set_up_pay

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
OFFICER = bearer(Role.PAYROLL_OFFICER, unit_id="city")
AUDITOR = bearer(Role.AUDITOR, unit_id="city")
PATH = "/city/hexi/street/"
HIRED = date(2025, 3, 1)
LADDER = "tianjin-3p18l"


def hired(worker_id: str = "w-1", hire: date = HIRED):
    return onboarded_event(
        worker_id, unit_id="street", unit_path=PATH, hire_date=hire, seniority_start=hire
    )


def span(post: str, level: int, start: date, end: date | None = None) -> GradeSpan:
    return GradeSpan(post=post, level=level, start=start, end=end)


def regraded(
    effective: date,
    *timeline: GradeSpan,
    worker_id: str = "w-1",
    cause: str = "appraisal",
    appraisal: AppraisalRef | None = None,
):
    last = timeline[-1]
    payload = GradeReevaluated(
        worker_id=worker_id,
        unit_id="street",
        policy_id=LADDER,
        policy_version=1,
        cause=cause,
        appraisal=appraisal,
        old_post=None,
        old_level=None,
        new_post=last.post,
        new_level=last.level,
        changed=True,
        effective_date=effective,
        reasons=[],
        timeline=list(timeline),
    )
    return build_event(payload, subject=worker_id, source="grading")


ENTRY = regraded(HIRED, span("junior", 1, HIRED), cause="onboarding")


async def test_events_in_give_the_worker_and_grade_spans(client):
    await deliver(client, hired(), ENTRY)
    body = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    assert (body["unit_id"], body["hire_date"], body["qualification"]) == (
        "street",
        "2025-03-01",
        "none",
    )
    assert [(s["post"], s["level"], s["start"], s["end"]) for s in body["spans"]] == [
        ("junior", 1, "2025-03-01", None)
    ]
    assert body["profile"] is None and body["arrears"] == []
    (first,) = [e["data"] for e in await sent(client)]
    # The first grade: nothing was paid before, junior level 1 is 4,000 × 1.00 a month.
    assert (first["old_monthly_gross"], first["new_monthly_gross"], first["arrears"]) == (
        "0.00",
        "4000.00",
        "0.00",
    )
    assert first["cause_event_id"] == ENTRY.id and first["arrears_period"] is None


async def test_transfer_and_leaving_update_the_worker(client):
    moved = WorkerTransferred(
        worker_id="w-1",
        from_unit_id="street",
        to_unit_id="other",
        to_unit_path="/city/hedong/other/",
        effective_date=date(2026, 5, 1),
        reason="rotation",
    )
    left = WorkerLeft(worker_id="w-1", unit_id="other", left_on=date(2026, 9, 30), reason="quit")
    await deliver(
        client,
        hired(),
        build_event(moved, subject="w-1", source="roster"),
        build_event(left, subject="w-1", source="roster"),
    )
    body = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    assert (body["unit_id"], body["left_on"]) == ("other", "2026-09-30")
    hexi = bearer(Role.DISTRICT_ADMIN, unit_id="hexi")
    assert (await client.get("/workers/w-1/pay-profile", headers=hexi)).status_code == 403


async def test_a_changed_timeline_prices_the_grade_before_and_after(client):
    await deliver(client, hired(), ENTRY)
    change = regraded(date(2026, 3, 1), span("junior", 2, date(2026, 3, 1)))
    await deliver(client, change)
    adjusted = (await sent(client))[-1]["data"]
    assert adjusted["old_monthly_gross"] == "4000.00"  # junior 1: 4,000 × 1.00
    assert adjusted["new_monthly_gross"] == "4200.00"  # junior 2: 4,000 × 1.05
    assert (adjusted["arrears"], adjusted["arrears_period"]) == ("0.00", None)  # nothing locked
    assert adjusted["effective_date"] == "2026-03-01" and adjusted["cause_event_id"] == change.id
    spans = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()["spans"]
    # The entry span is cut short the day before, as a new row; the old one is superseded.
    assert [(s["post"], s["level"], s["start"], s["end"]) for s in spans] == [
        ("junior", 1, "2025-03-01", "2026-02-28"),
        ("junior", 2, "2026-03-01", None),
    ]


async def test_a_change_in_locked_months_owes_arrears_per_month_across_the_year(client):
    elsewhere = onboarded_event(
        "w-2", unit_id="other", unit_path="/city/hedong/other/", hire_date=HIRED,
        seniority_start=HIRED,
    )  # fmt: skip
    entry_2 = regraded(HIRED, span("junior", 1, HIRED), worker_id="w-2", cause="onboarding")
    await deliver(client, hired(), ENTRY, elsewhere, entry_2)
    await set_up_pay(client, "w-1", "street")
    await set_up_pay(client, "w-2", "other")
    await close(client, "2025-11", "hexi")
    await close(client, "2025-12", "hexi")
    await close(client, "2026-01", "hexi")
    await close(client, "2026-06", "other")  # another district's period: not ours
    correction = regraded(
        date(2025, 11, 15),
        span("junior", 2, date(2025, 11, 15), date(2025, 12, 31)),
        span("middle", 4, date(2026, 1, 1)),
    )
    await deliver(client, correction)
    adjusted = (await sent(client))[-1]["data"]
    body = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    months = {a["for_period"]: a["amount"] for a in body["arrears"]}
    # November: 14 days of junior 1 and 16 of junior 2 (1,866.67 + 2,240.00) against 4,000.00;
    # December: 4,200 − 4,000; January 2026: middle 4 is 4,000 × 1.20 = 4,800 against 4,000.
    assert months == {"2025-11": "106.67", "2025-12": "200.00", "2026-01": "800.00"}
    assert {a["pay_in_period"] for a in body["arrears"]} == {"2026-02"}
    assert adjusted["arrears"] == "1106.67" == str(sum(Decimal(v) for v in months.values()))
    assert adjusted["arrears_period"] == "2026-02"
    assert (adjusted["old_monthly_gross"], adjusted["new_monthly_gross"]) == ("4000.00", "4200.00")
    assert "tianjin-pay v1" in body["arrears"][0]["explanation"]


async def test_a_duplicate_reevaluation_changes_nothing(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    await close(client, "2026-01", "street")
    change = regraded(date(2025, 12, 1), span("junior", 2, date(2025, 12, 1)))
    await deliver(client, change)
    before = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    await deliver(client, change)  # redelivered: the inbox absorbs it
    again = regraded(date(2025, 12, 1), span("junior", 2, date(2025, 12, 1)))
    await deliver(client, again)  # the same facts under a new id: nothing new to pay
    after = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    assert after == before
    # January, paid by its locked run; December was paid by none, so it owes nothing.
    assert [(a["for_period"], a["amount"]) for a in after["arrears"]] == [("2026-01", "200.00")]
    assert [e["data"]["cause_event_id"] for e in await sent(client)] == [ENTRY.id, change.id]


async def test_an_appraisal_brings_the_annual_bonus_even_without_a_grade_change(client):
    await deliver(client, hired(), ENTRY)
    rated = regraded(
        HIRED,
        span("junior", 1, HIRED),
        appraisal=AppraisalRef(year=2025, rating="competent", revision=1),
    )
    await deliver(client, rated)
    adjusted = (await sent(client))[-1]["data"]
    assert adjusted["cause_event_id"] == rated.id
    assert adjusted["old_monthly_gross"] == adjusted["new_monthly_gross"] == "4000.00"
    # Competent band 4,000, ten months served in 2025 (from 1 March): 4,000 × 10/12.
    assert adjusted["annual_bonus"] == "3333.33" and adjusted["arrears"] == "0.00"


async def test_a_reevaluation_before_the_onboarding_waits_for_it(client):
    # Grading's topic ran ahead of the roster's: the grade is kept, not dead-lettered.
    early = regraded(HIRED, span("junior", 1, HIRED), worker_id="w-1", cause="onboarding")
    await deliver(client, early)
    assert await sent(client) == []
    await deliver(client, hired())
    body = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()
    assert [(s["post"], s["level"], s["start"]) for s in body["spans"]] == [
        ("junior", 1, "2025-03-01")
    ]
    (adjusted,) = [e["data"] for e in await sent(client)]
    assert adjusted["cause_event_id"] == early.id and adjusted["new_monthly_gross"] == "4000.00"


async def test_a_transfer_for_an_unknown_worker_is_refused(client):
    moved = WorkerTransferred(
        worker_id="w-9", from_unit_id="street", to_unit_id="other", to_unit_path="/city/other/",
        effective_date=date(2026, 5, 1), reason="rotation",
    )  # fmt: skip
    with pytest.raises(UnknownWorker):
        await deliver(client, build_event(moved, subject="w-9", source="roster"))


async def test_funder_shares_must_total_100_and_name_known_funders(client):
    await deliver(client, hired())
    url = "/units/street/funders"
    short = {"effective_from": "2026-01-01", "shares": {"city": "60", "district": "30"}}
    reply = await client.put(url, json=short, headers=OFFICER)
    assert reply.status_code == 422
    assert "not exactly 100" in problem_fields(reply)["body.shares"]
    unknown = {"effective_from": "2026-01-01", "shares": {"city": "60", "county": "40"}}
    reply = await client.put(url, json=unknown, headers=OFFICER)
    assert reply.status_code == 422
    assert any(f.startswith("body.shares.county") for f in problem_fields(reply))
    floats = {"effective_from": "2026-01-01", "shares": {"city": 60.5, "district": "39.5"}}
    assert (await client.put(url, json=floats, headers=OFFICER)).status_code == 422
    good = {"effective_from": "2026-01-01", "shares": {"city": "60", "district": "40"}}
    assert (await client.put(url, json=good, headers=OFFICER)).status_code == 201
    assert (await client.put(url, json=good, headers=OFFICER)).status_code == 200
    body = (await client.get(url, headers=AUDITOR, params={"as_of": "2026-02-01"})).json()
    assert body["in_force"]["shares"] == {"city": "60", "district": "40"}
    assert (await client.put(url, json=good, headers=AUDITOR)).status_code == 403
    elsewhere = bearer(Role.PAYROLL_OFFICER, unit_id="hedong")
    assert (await client.put(url, json=good, headers=elsewhere)).status_code == 403


PROFILE = {
    "effective_from": "2026-01-01",
    "contribution_base": "6000.00",
    "housing_fund_rate": "0.12",
    "special_deductions": {"children_in_education": 1, "rent_city": "large"},
    "bank_account": "6222020200112341234",
}


async def test_pay_profile_is_written_by_payroll_and_masked_for_an_auditor(client):
    await deliver(client, hired(), ENTRY)
    url = "/workers/w-1/pay-profile"
    assert (await client.post(url, json=PROFILE, headers=AUDITOR)).status_code == 403
    created = await client.post(url, json=PROFILE, headers=OFFICER)
    assert created.status_code == 201, created.text
    assert created.json()["bank_account"] == "6222020200112341234"
    seen = (await client.get(url, headers=AUDITOR, params={"as_of": "2026-03-01"})).json()
    assert seen["profile"]["bank_account"] == "****1234"
    assert (seen["profile"]["contribution_base"], seen["profile"]["housing_fund_rate"]) == (
        "6000.00",
        "0.12",
    )
    assert seen["spans"][0]["post"] == "junior"
    own = bearer(Role.WORKER, worker_id="w-1")
    assert (await client.get(url, headers=own)).json()["profiles"][0]["bank_account"] == "****1234"
    assert (await client.get(url, headers=OFFICER)).json()["profiles"][0]["bank_account"] == (
        "6222020200112341234"
    )
    assert (await client.post(url, json=PROFILE, headers=OFFICER)).status_code == 409


async def test_pay_profile_limits_come_from_the_policy(client):
    await deliver(client, hired())
    url = "/workers/w-1/pay-profile"
    high = {**PROFILE, "housing_fund_rate": "0.15"}
    reply = await client.post(url, json=high, headers=OFFICER)
    assert reply.status_code == 422 and "body.housing_fund_rate" in problem_fields(reply)
    share = {**PROFILE, "special_deductions": {"elderly_share": "2000.00"}}
    reply = await client.post(url, json=share, headers=OFFICER)
    assert reply.status_code == 422 and "body.special_deductions" in problem_fields(reply)
    both = {**PROFILE, "special_deductions": {"housing_loan": True, "rent_city": "large"}}
    assert (await client.post(url, json=both, headers=OFFICER)).status_code == 422
    early = {**PROFILE, "effective_from": "2024-06-01"}
    reply = await client.post(url, json=early, headers=OFFICER)
    assert reply.status_code == 422 and "body.effective_from" in problem_fields(reply)


async def test_a_timeline_cut_where_the_grade_does_not_change_moves_no_money(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    await close(client, "2025-04", "street")
    before = await sent(client)
    # Grading's timeline from 2025-04-01 cuts the same grade at a policy version on 1 June:
    # nothing about pay changed.
    cut = regraded(
        date(2025, 4, 1),
        span("junior", 1, date(2025, 4, 1), date(2025, 5, 31)),
        span("junior", 1, date(2025, 6, 1)),
    )
    await deliver(client, cut)
    assert await sent(client) == before
    arrears = (await client.get("/workers/w-1/pay-profile", headers=SYSTEM)).json()["arrears"]
    assert arrears == []
