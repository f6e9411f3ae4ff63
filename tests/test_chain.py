"""The event chain across real services on a real broker: a worker imported into the roster is
graded, an appraisal recorded through the roster's HTTP API comes back from grading as
GradeReevaluated with the right grade, and payroll turns it into PayrollAdjusted and a changed
payslip in the next monthly run; a unit moved moves everywhere; a leaver registered again is
graded and paid for each employment and not between them; an applicant recruited through a
campaign becomes the roster's worker, is graded and is paid, with nothing typed twice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from grading.config import Settings as GradingSettings
from grading.main import create_app as grading_app
from payroll.config import Settings as PayrollSettings
from payroll.main import create_app as payroll_app
from recruitment.config import Settings as RecruitmentSettings
from recruitment.main import create_app as recruitment_app
from recruitment.models import Score
from roster.config import Settings as RosterSettings
from roster.identity.domain import check_character
from roster.main import create_app as roster_app
from union_dev.broker import EmbeddedBroker
from union_dev.testing.api import bearer, running
from union_dev.testing.clock import PinnedClock, SetClock
from union_dev.testing.databases import fresh_database
from union_shared.auth import Role
from union_shared.messaging.tables import outbox
from union_shared.migrations import upgrade

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)


@pytest.fixture
async def chain(tmp_path) -> AsyncIterator[tuple]:
    with EmbeddedBroker(log_file=tmp_path / "tansu.log") as broker:
        async with (
            fresh_database(tmp_path, "roster") as r_url,
            fresh_database(tmp_path, "grading") as g_url,
            fresh_database(tmp_path, "payroll") as p_url,
        ):
            await asyncio.to_thread(upgrade, ROOT / "services/roster", r_url)
            await asyncio.to_thread(upgrade, ROOT / "services/grading", g_url)
            await asyncio.to_thread(upgrade, ROOT / "services/payroll", p_url)
            common = {
                "kafka_bootstrap_servers": broker.bootstrap_servers,
                "kafka_topic_partitions": 2,
            }
            roster = roster_app(RosterSettings(database_url=r_url, **common))
            clock = PinnedClock(TODAY)
            grading = grading_app(GradingSettings(database_url=g_url, **common), clock=clock)
            payroll = payroll_app(PayrollSettings(database_url=p_url, **common), clock=clock)
            async with running(roster) as r, running(grading) as g, running(payroll) as p:
                r.app, g.app, p.app = roster, grading, payroll  # type: ignore[attr-defined]
                yield r, g, p


async def said(
    service, event_type: str, worker_id: str, count: int, timeout_s: float = 60
) -> list[dict]:
    """The first `count` events of a type about the worker in the service's outbox (waiting)."""
    query = select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        async with service.app.state.sessions() as session:
            events = [json.loads(p) for p in (await session.scalars(query)).all()]
        mine = [e for e in events if e["subject"] == worker_id]
        if len(mine) >= count:
            return mine
        assert asyncio.get_running_loop().time() < deadline, f"{event_type}: {mine}"
        await asyncio.sleep(0.2)


async def grading_said(g, worker_id: str, count: int, timeout_s: float = 60) -> list[dict]:
    return [e["data"] for e in await said(g, "GradeReevaluated", worker_id, count, timeout_s)]


async def test_an_appraisal_in_the_roster_becomes_a_grade_and_then_pay(chain):
    r, g, p = chain
    system = bearer(Role.SYSTEM)
    city = (
        await r.post(
            "/units", json={"name": "天津市总工会", "kind": "city_federation"}, headers=system
        )
    ).json()["id"]
    district = (
        await r.post(
            "/units",
            json={"name": "河西区总工会", "kind": "district_federation", "parent_id": city},
            headers=system,
        )
    ).json()["id"]
    first17 = "12010319880512003"
    csv = (
        "姓名,身份证号,手机号,学历,专业,资格,单位编号,入职日期,工龄起算日\n"
        f"陈晨,{first17 + check_character(first17)},13800001111,本科,社会工作,社会工作师,{district},2020-03-01,2017-03-01\n"
    ).encode()
    hr = bearer(Role.DISTRICT_ADMIN, unit_id=district)
    imported = await r.post(
        "/workers/import", files={"file": ("staff.csv", csv, "text/csv")}, headers=hr
    )
    assert imported.status_code == 201, imported.text
    (worker,) = imported.json()["worker_ids"]

    (onboarding,) = await grading_said(g, worker, 1)
    # Payroll prices January 2026 at junior 3 and locks it, before any appraisal is recorded.
    await said(p, "PayrollAdjusted", worker, 1)
    officer = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-li")
    approver = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-wang")
    profile = {"effective_from": "2026-01-01", "contribution_base": "6000.00",
               "bank_account": "6222020200112341234"}  # fmt: skip
    reply = await p.post(f"/workers/{worker}/pay-profile", json=profile, headers=officer)
    assert reply.status_code == 201, reply.text
    shares = {"effective_from": "2026-01-01", "shares": {"city": "50", "district": "50"}}
    assert (await p.put(f"/units/{district}/funders", json=shares, headers=officer)).is_success
    january = await p.post("/runs", json={"period": "2026-01", "unit_id": city}, headers=officer)
    assert january.status_code == 201 and january.json()["payslip_count"] == 1, january.text
    run_url = f"/runs/{january.json()['id']}"
    assert (await p.post(f"{run_url}/review", headers=officer)).is_success
    assert (await p.post(f"{run_url}/approve", headers=approver)).json()["status"] == "locked"
    # Three credited years (2017) make level 2 at hire; 2023 and 2026 steps: junior 4 on 2026-03-01.
    assert (onboarding["cause"], onboarding["new_post"], onboarding["new_level"]) == (
        "onboarding",
        "junior",
        4,
    )

    for year in (2024, 2025):
        reply = await r.post(
            f"/workers/{worker}/appraisals", json={"year": year, "rating": "excellent"}, headers=hr
        )
        assert reply.status_code == 201, reply.text
    graded = await grading_said(g, worker, 3)
    first, second = graded[1], graded[2]
    assert (first["appraisal"]["year"], first["changed"], first["new_post"]) == (
        2024,
        False,
        "junior",
    )
    assert (second["appraisal"]["year"], second["changed"]) == (2025, True)
    # Middle from 1 January 2026 (junior 3 raised to middle's bottom, 4), then the 2026-03-01
    # seniority step: middle 5 on the day of evaluation.
    assert (second["old_post"], second["new_post"], second["new_level"]) == ("junior", "middle", 5)
    assert second["effective_date"] == "2026-01-01"
    assert second["unit_id"] == district
    assert second["timeline"] == [
        {"post": "middle", "level": 4, "start": "2026-01-01", "end": "2026-02-28"},
        {"post": "middle", "level": 5, "start": "2026-03-01", "end": None},
    ]

    grade = (
        await g.get(f"/workers/{worker}/grade", params={"as_of": "2026-11-21"}, headers=hr)
    ).json()
    assert (grade["post"], grade["level"]) == ("middle", 5)
    history = (await g.get(f"/workers/{worker}/grade-history", headers=hr)).json()
    assert [(i["post"], i["level"], i["start"]) for i in history] == [
        ("junior", 2, "2020-03-01"),
        ("junior", 3, "2023-03-01"),
        ("middle", 4, "2026-01-01"),
        ("middle", 5, "2026-03-01"),
    ]

    # Payroll: middle 4 from 1 January owes January's difference, paid in February, with the
    # excellent band for 2025 (the 2024 appraisal earned its own bonus entitlement first).
    adjusted = await said(p, "PayrollAdjusted", worker, 3)
    regraded = await said(g, "GradeReevaluated", worker, 3)
    last = adjusted[2]["data"]
    assert last["cause_event_id"] == regraded[2]["id"]
    # Junior 3 is 4,000 × 1.10 = 4,400; middle 4 is 4,000 × 1.20 = 4,800; each with the 200
    # certificate allowance of a social worker (社会工作师).
    assert (last["old_monthly_gross"], last["new_monthly_gross"]) == ("4600.00", "5000.00")
    assert (last["arrears"], last["arrears_period"]) == ("400.00", "2026-02")
    february = await p.post("/runs", json={"period": "2026-02", "unit_id": city}, headers=officer)
    assert february.status_code == 201, february.text
    slips = await p.get(f"/runs/{february.json()['id']}/payslips", headers=officer)
    (slip,) = slips.json()["items"]
    review = (await p.get(f"/runs/{february.json()['id']}/review", headers=officer)).json()
    (moved,) = review["differences"]
    assert (moved["previous_gross"], moved["gross"]) == ("4600.00", slip["gross"])
    run_url = f"/runs/{february.json()['id']}"
    assert (await p.post(f"{run_url}/review", headers=officer)).is_success
    assert (await p.post(f"{run_url}/approve", headers=approver)).json()["status"] == "locked"
    own = bearer(Role.WORKER, worker_id=worker)
    paid = (await p.get(f"/workers/{worker}/payslips/2026-02", headers=own)).json()
    lines = {line["code"]: line for line in paid["lines"] if line["kind"] == "earning"}
    assert (lines["base"]["amount"], lines["performance"]["amount"]) == ("3360.00", "1440.00")
    assert lines["arrears"]["amount"] == "400.00" and "2026-01" in lines["arrears"]["explanation"]
    # Every unpaid bonus in the same run, a dated line per year: 2024's and 2025's excellent
    # bands, 10,000.00 each.
    bonuses = [line for line in paid["lines"] if line["code"] == "annual_bonus"]
    assert [(b["start"], b["amount"]) for b in bonuses] == [
        ("2024-01-01", "10000.00"),
        ("2025-01-01", "10000.00"),
    ]
    assert Decimal(paid["gross"]) == Decimal("5000.00") + Decimal("400.00") + Decimal("20000.00")


async def _unit(r, name: str, kind: str, parent: str | None = None) -> str:
    body = {"name": name, "kind": kind, **({"parent_id": parent} if parent else {})}
    reply = await r.post("/units", json=body, headers=bearer(Role.SYSTEM))
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


async def _until_status(client, path: str, headers: dict, status: int, timeout_s: float = 60):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while (reply := await client.get(path, headers=headers)).status_code != status:
        assert asyncio.get_running_loop().time() < deadline, (path, reply.status_code, reply.text)
        await asyncio.sleep(0.2)
    return reply


async def test_a_unit_moved_in_the_roster_moves_in_grading_and_payroll(chain):
    r, g, p = chain
    city = await _unit(r, "天津市总工会", "city_federation")
    hexi = await _unit(r, "河西区总工会", "district_federation", city)
    nankai = await _unit(r, "南开区总工会", "district_federation", city)
    street = await _unit(r, "友谊路街道总工会", "street_federation", hexi)
    first17 = "12010319900101002"
    csv = (
        "姓名,身份证号,手机号,学历,专业,资格,单位编号,入职日期\n"
        f"李静,{first17 + check_character(first17)},13800002222,本科,社会工作,无,{street},2025-03-01\n"
    ).encode()
    imported = await r.post(
        "/workers/import",
        files={"file": ("staff.csv", csv, "text/csv")},
        headers=bearer(Role.CITY_ADMIN, unit_id=city),
    )
    assert imported.status_code == 201, imported.text
    (worker,) = imported.json()["worker_ids"]
    await grading_said(g, worker, 1)
    await said(p, "PayrollAdjusted", worker, 1)
    grade, profile = f"/workers/{worker}/grade", f"/workers/{worker}/pay-profile"
    hexi_admin = bearer(Role.DISTRICT_ADMIN, unit_id=hexi)
    nankai_admin = bearer(Role.DISTRICT_ADMIN, unit_id=nankai)
    hexi_pay = bearer(Role.PAYROLL_OFFICER, unit_id=hexi)
    nankai_pay = bearer(Role.PAYROLL_OFFICER, unit_id=nankai)
    await _until_status(g, grade, hexi_admin, 200)
    await _until_status(p, profile, hexi_pay, 200)
    assert (await g.get(grade, headers=nankai_admin)).status_code == 403
    assert (await p.get(profile, headers=nankai_pay)).status_code == 403

    moved = await r.post(
        f"/units/{street}/move", json={"parent_id": nankai}, headers=bearer(Role.SYSTEM)
    )
    assert moved.status_code == 200, moved.text

    await _until_status(g, grade, nankai_admin, 200)
    await _until_status(p, profile, nankai_pay, 200)
    assert (await g.get(grade, headers=hexi_admin)).status_code == 403
    assert (await p.get(profile, headers=hexi_pay)).status_code == 403
    assert (await r.get(f"/workers/{worker}", headers=hexi_admin)).status_code == 403
    assert (await r.get(f"/workers/{worker}", headers=nankai_admin)).status_code == 200


async def _paid(p, city: str, period: str, officer: dict, approver: dict) -> list[dict]:
    """Run, review and lock a month for the city; its payslips."""
    run = await p.post("/runs", json={"period": period, "unit_id": city}, headers=officer)
    assert run.status_code == 201, run.text
    url = f"/runs/{run.json()['id']}"
    slips = (await p.get(f"{url}/payslips", headers=officer)).json()["items"]
    assert (await p.post(f"{url}/review", headers=officer)).is_success
    assert (await p.post(f"{url}/approve", headers=approver)).json()["status"] == "locked"
    return slips


async def test_a_leaver_registered_again_is_graded_and_paid_for_each_employment(chain):
    r, g, p = chain
    city = await _unit(r, "天津市总工会", "city_federation")
    district = await _unit(r, "河西区总工会", "district_federation", city)
    hr = bearer(Role.DISTRICT_ADMIN, unit_id=district)
    first17 = "12010319900101002"
    person = {
        "name": "李静",
        "resident_id": first17 + check_character(first17),
        "phone": "13800002222",
        "education": "bachelor",
        "major": "社会工作",
        "qualification": "none",
        "unit_id": district,
    }
    registered = await r.post("/workers", json={**person, "hire_date": "2025-01-01"}, headers=hr)
    assert registered.status_code == 201, registered.text
    worker = registered.json()["id"]
    departure = {"effective_date": "2025-03-31", "reason": "moved away"}
    reply = await r.post(f"/workers/{worker}/departure", json=departure, headers=hr)
    assert reply.status_code == 200, reply.text
    again = await r.post("/workers", json={**person, "hire_date": "2025-06-16"}, headers=hr)
    assert again.status_code == 201, again.text
    assert again.json()["id"] == worker  # the same person, a second employment

    # Grading: junior 1 from 2025-01-01 to the last day, nothing in the gap, junior 1 resumed
    # from 2025-06-16 (the 90 days served move seniority to 2025-03-18: no step by today).
    onboarding, rehire = await grading_said(g, worker, 2)
    assert (onboarding["cause"], onboarding["new_level"]) == ("onboarding", 1)
    assert (rehire["cause"], rehire["effective_date"]) == ("rehire", "2025-06-16")
    history = (await g.get(f"/workers/{worker}/grade-history", headers=hr)).json()
    assert [(i["post"], i["level"], i["start"], i["end"]) for i in history] == [
        ("junior", 1, "2025-01-01", "2025-03-31"),
        ("junior", 1, "2025-06-16", None),
    ]

    # Payroll pays each employment's months and none between: junior 1 is 4,000.00 a month
    # (2,800.00 base, 1,200.00 performance); June from the 16th, 15 of 30 days, is 2,000.00.
    officer = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-li")
    approver = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-wang")
    profile_url = f"/workers/{worker}/pay-profile"
    deadline = asyncio.get_running_loop().time() + 60
    while len((await p.get(profile_url, headers=officer)).json().get("employments", [])) < 2:
        assert asyncio.get_running_loop().time() < deadline, "payroll never saw the re-hire"
        await asyncio.sleep(0.2)
    profile = {"effective_from": "2025-01-01", "contribution_base": "6000.00",
               "bank_account": "6222020200112341234"}  # fmt: skip
    assert (await p.post(profile_url, json=profile, headers=officer)).status_code == 201
    shares = {"effective_from": "2025-01-01", "shares": {"city": "50", "district": "50"}}
    assert (await p.put(f"/units/{district}/funders", json=shares, headers=officer)).is_success
    gross = {}
    for period in ("2025-03", "2025-04", "2025-05", "2025-06"):
        gross[period] = [s["gross"] for s in await _paid(p, city, period, officer, approver)]
    assert gross == {
        "2025-03": ["4000.00"],
        "2025-04": [],
        "2025-05": [],
        "2025-06": ["2000.00"],
    }


@pytest.fixture
async def recruitment_chain(tmp_path) -> AsyncIterator[tuple]:
    """The roster, recruitment, grading and payroll on one broker; recruitment's clock is set
    by the test (its windows and notices turn on the time), grading's and payroll's day is
    TODAY."""
    with EmbeddedBroker(log_file=tmp_path / "tansu.log") as broker:
        async with (
            fresh_database(tmp_path, "roster") as r_url,
            fresh_database(tmp_path, "recruitment") as c_url,
            fresh_database(tmp_path, "grading") as g_url,
            fresh_database(tmp_path, "payroll") as p_url,
        ):
            urls = (("roster", r_url), ("recruitment", c_url), ("grading", g_url),
                    ("payroll", p_url))  # fmt: skip
            for name, url in urls:
                await asyncio.to_thread(upgrade, ROOT / "services" / name, url)
            common = {
                "kafka_bootstrap_servers": broker.bootstrap_servers,
                "kafka_topic_partitions": 2,
            }
            roster = roster_app(RosterSettings(database_url=r_url, **common))
            clock = SetClock(RECRUITMENT_STARTS)
            recruitment = recruitment_app(
                RecruitmentSettings(database_url=c_url, **common), clock=clock
            )
            grading = grading_app(
                GradingSettings(database_url=g_url, **common), clock=PinnedClock(TODAY)
            )
            payroll = payroll_app(
                PayrollSettings(database_url=p_url, **common), clock=PinnedClock(TODAY)
            )
            async with (
                running(roster) as r,
                running(recruitment) as c,
                running(grading) as g,
                running(payroll) as p,
            ):
                r.app, c.app, g.app, p.app = roster, recruitment, grading, payroll  # type: ignore[attr-defined]
                c.clock = clock  # type: ignore[attr-defined]
                yield r, c, g, p


# 09:00 in Beijing on Saturday 1 August 2026: the campaign is drafted and announced.
RECRUITMENT_STARTS = datetime(2026, 8, 1, 1, 0, tzinfo=UTC)


def _beijing(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


async def _until_created(client, path: str, body: dict, headers: dict) -> dict:
    """POST until recruitment's copy of the unit tree knows the caller's unit (403 before) and
    the unit the body names (422 before)."""
    deadline = asyncio.get_running_loop().time() + 60
    while (reply := await client.post(path, json=body, headers=headers)).status_code in (403, 422):
        assert asyncio.get_running_loop().time() < deadline, reply.text
        await asyncio.sleep(0.2)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def _score(c, application_id: str, kind: str, value=None, passed=None) -> None:
    """A result as recruitment's score import stores it (the import is not what this tests)."""
    async with c.app.state.sessions() as session, session.begin():
        await session.merge(
            Score(
                application_id=application_id, kind=kind,
                value=None if value is None else Decimal(value), passed=passed,
                scorer="chain test", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip


async def test_a_recruited_applicant_becomes_a_worker_is_graded_and_paid(recruitment_chain):
    r, c, g, p = recruitment_chain
    city = await _unit(r, "天津市总工会", "city_federation")
    hexi = await _unit(r, "河西区总工会", "district_federation", city)
    street = await _unit(r, "友谊路街道总工会", "street_federation", hexi)
    admin = bearer(Role.DISTRICT_ADMIN, unit_id=hexi, sub="admin-li")
    me = bearer(Role.APPLICANT, sub="app-chen")
    window = {"window_opens_at": "2026-08-03T09:00:00+08:00",
              "window_closes_at": "2026-08-14T17:00:00+08:00"}  # fmt: skip
    campaign = {"name": "2026年河西区工会社会工作者公开招聘", "unit_id": hexi, **window}
    cid = (await _until_created(c, "/campaigns", campaign, admin))["id"]
    posting = {"unit_id": street, "code": "HX-01", "title": "街道工会社会工作者", "quota": 1}
    pid = (await _until_created(c, f"/campaigns/{cid}/postings", posting, admin))["id"]
    assert (await c.post(f"/campaigns/{cid}/announce", headers=admin)).status_code == 200

    c.clock.at = _beijing(date(2026, 8, 4))
    first17 = "12010319940517013"
    resident_id = first17 + check_character(first17)
    form = {"posting_id": pid, "resident_id": resident_id, "name": "陈晨",
            "phone": "13800001111", "education": "bachelor", "majors": ["社会工作"],
            "residence_region": "120103", "qualification": "social_worker"}  # fmt: skip
    applied = await c.post(f"/campaigns/{cid}/applications", json=form, headers=me)
    assert applied.status_code == 201, applied.text
    aid = applied.json()["id"]
    review = {"decision": "qualified"}
    assert (await c.post(f"/applications/{aid}/review", json=review, headers=admin)).is_success
    await _score(c, aid, "written", "82.50")
    await _score(c, aid, "interview", "88.00")

    c.clock.at = _beijing(date(2026, 8, 20))
    for step in ("shortlist", "ranking", "checks"):
        reply = await c.post(f"/postings/{pid}/{step}", headers=admin)
        assert reply.status_code == 200, reply.text
    await _score(c, aid, "medical", passed=True)
    await _score(c, aid, "background", passed=True)
    settled = await c.post(f"/postings/{pid}/checks/settle", headers=admin)
    assert settled.json()["moved"] == {aid: "proposed"}, settled.text

    # Published Monday 26 October: seven working days from the 27th end on Wednesday 4 November.
    c.clock.at = _beijing(date(2026, 10, 26))
    notice = await c.post(f"/campaigns/{cid}/notices", json={"starts_on": "2026-10-26"},
                          headers=admin)  # fmt: skip
    assert notice.status_code == 201 and notice.json()["ends_on"] == "2026-11-04", notice.text
    c.clock.at = _beijing(date(2026, 11, 16))
    offer = await c.post(f"/applications/{aid}/offer", json={"start_date": "2026-11-16"},
                         headers=admin)  # fmt: skip
    assert offer.status_code == 200, offer.text
    accepted = await c.post(f"/applications/{aid}/accept", headers=me)
    assert accepted.json()["hire_sent"] is True, accepted.text

    # ApplicantHired → the roster registers the worker → WorkerOnboarded → recruitment: hired.
    deadline = asyncio.get_running_loop().time() + 60
    while (hire := (await c.get(f"/campaigns/{cid}/hires", headers=admin)).json()[0])[
        "status"
    ] != "hired":
        assert asyncio.get_running_loop().time() < deadline, hire
        await asyncio.sleep(0.2)
    worker = hire["worker_id"]
    assert hire["problem"] is None
    registered = (await r.get(f"/workers/{worker}", headers=admin)).json()
    on_register = registered["worker"]
    assert (on_register["name"], on_register["resident_id"], on_register["unit_id"]) == (
        "陈晨",
        resident_id,
        street,
    )
    assert (on_register["hire_date"], on_register["origin"]) == ("2026-11-16", "recruitment")
    assert registered["history"][0]["details"]["application_id"] == aid
    # Grading: no credited years, hired 2026-11-16, graded on 2026-11-21: junior 1.
    (graded,) = await grading_said(g, worker, 1)
    assert (graded["cause"], graded["new_post"], graded["new_level"]) == ("onboarding", "junior", 1)

    # Payroll: the worker came from the same events, nothing typed again. November is paid
    # from the 16th: junior 1 (4,000.00) with the 200.00 certificate allowance of a social
    # worker, 4,200.00 a month, for 15 of its 30 days is 2,100.00.
    await said(p, "PayrollAdjusted", worker, 1)
    officer = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-li")
    approver = bearer(Role.PAYROLL_OFFICER, unit_id=city, sub="officer-wang")
    profile = {"effective_from": "2026-11-16", "contribution_base": "6000.00",
               "bank_account": "6222020200112341234"}  # fmt: skip
    reply = await p.post(f"/workers/{worker}/pay-profile", json=profile, headers=officer)
    assert reply.status_code == 201, reply.text
    shares = {"effective_from": "2026-01-01", "shares": {"city": "50", "district": "50"}}
    assert (await p.put(f"/units/{street}/funders", json=shares, headers=officer)).is_success
    (slip,) = await _paid(p, city, "2026-11", officer, approver)
    assert slip["gross"] == "2100.00"
