"""The end of a campaign over HTTP: the public notice across the 2026 National Day holiday,
masked for everyone who reads it, an upheld objection giving the place to the next ranked, the
offer after the notice, the applicant's answer, ApplicantHired in the outbox on the start date,
and the roster's WorkerOnboarded marking the hire done.

Four applicants for two places: composites (50/50) 张小三 90.00, 李四 85.00, 王五 80.00,
赵六六 75.00, ranked in that order; the first two pass both checks and are proposed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role
from union_shared.events import WorkerOnboarded, build_event

from .conftest import NOW, deliver
from .test_applications import applicant, form, number
from .test_campaigns import HEXI, NANKAI, campaign, posting_body
from .test_stages import record

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
POOL = [("张小三", "90"), ("李四", "85"), ("王五", "80"), ("赵六六", "75")]
NAME = "2026年河西区<社工>&招聘"
# 09:00 in Beijing on Wednesday 30 September 2026, the day before the National Day holiday.
SEPT_30 = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)


def beijing(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


async def proposed(client) -> tuple[str, dict[str, str], dict[str, str]]:
    """A campaign whose posting (quota 2) has 张小三 and 李四 proposed; the campaign id, the
    application ids by name and the resident ID numbers by name."""
    cid = (await campaign(client, name=NAME))["id"]
    posting = await client.post(
        f"/campaigns/{cid}/postings", json=posting_body(quota=2), headers=HEXI
    )
    pid = posting.json()["id"]
    assert (await client.post(f"/campaigns/{cid}/announce", headers=HEXI)).status_code == 200
    client.clock.at = NOW + timedelta(days=7, hours=1)
    ids, numbers = {}, {}
    for i, (name, score) in enumerate(POOL, start=1):
        numbers[name] = number(f"12010319940517{i:03d}")
        body = {**form(pid, numbers[name]), "name": name}
        reply = await client.post(
            f"/campaigns/{cid}/applications", json=body, headers=applicant(name)
        )
        assert reply.status_code == 201, reply.text
        ids[name] = reply.json()["id"]
        review = await client.post(f"/applications/{ids[name]}/review",
                                   json={"decision": "qualified"}, headers=HEXI)  # fmt: skip
        assert review.status_code == 200, review.text
        await record(client, ids[name], "written", score)
        await record(client, ids[name], "interview", score)
    client.clock.at = NOW + timedelta(days=30)
    for step in ("shortlist", "ranking", "checks"):
        reply = await client.post(f"/postings/{pid}/{step}", headers=HEXI)
        assert reply.status_code == 200, reply.text
    for name in ("张小三", "李四"):
        await record(client, ids[name], "medical", passed=True)
        await record(client, ids[name], "background", passed=True)
    settled = await client.post(f"/postings/{pid}/checks/settle", headers=HEXI)
    assert sorted(settled.json()["moved"].values()) == ["proposed", "proposed"], settled.text
    return cid, ids, numbers


async def statuses(client, cid: str) -> dict[str, str]:
    rows = (await client.get(f"/campaigns/{cid}/applications", headers=HEXI)).json()
    return {row["name"]: row["status"] for row in rows}


async def publish(client, cid: str, starts_on: str = "2026-09-30") -> dict:
    reply = await client.post(
        f"/campaigns/{cid}/notices", json={"starts_on": starts_on}, headers=HEXI
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


async def test_the_notice_runs_over_national_day_masked_for_everyone(client):
    cid, ids, numbers = await proposed(client)
    client.clock.at = SEPT_30
    early = await client.post(f"/campaigns/{cid}/notices", json={"starts_on": "2026-09-29"},
                              headers=HEXI)  # fmt: skip
    assert early.status_code == 422 and "body.starts_on" in problem_fields(early)
    outside = await client.post(f"/campaigns/{cid}/notices", json={"starts_on": "2026-09-30"},
                                headers=NANKAI)  # fmt: skip
    assert outside.status_code == 403
    notice = await publish(client, cid)
    # Counted from 1 October: 1-7 October are the holiday, Saturday 10 October a make-up
    # working day (State Council, 2026): 8, 9, 10, 12, 13, 14, 15 October are the seven.
    assert (notice["starts_on"], notice["ends_on"]) == ("2026-09-30", "2026-10-15")
    masked = {name: "120103" + "*" * 10 + numbers[name][-2:] for name in ("张小三", "李四")}
    expected = [
        (ids["张小三"], "HX-01", "张*三", masked["张小三"], "90.00"),
        (ids["李四"], "HX-01", "李*", masked["李四"], "85.00"),
    ]
    got = [(e["application_id"], e["posting_code"], e["name"], e["resident_id"], e["composite"])
           for e in notice["entries"]]  # fmt: skip
    assert got == expected
    # Everyone reads the same masked notice: the campaign's admin, an applicant, the public.
    url = f"/notices/{notice['id']}"
    for headers in (HEXI, applicant("someone"), bearer(Role.AUDITOR, unit_id="hexi")):
        reply = await client.get(url, headers=headers)
        assert reply.status_code == 200 and reply.json()["entries"] == notice["entries"]
        page = await client.get(f"{url}.html", headers=headers)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        html = page.text
        assert "拟聘用人员公示" in html and "张*三" in html and masked["李四"] in html
        assert "张小三" not in html and numbers["张小三"] not in html
        assert "&lt;社工&gt;&amp;招聘" in html and "<社工>" not in html
        assert "2026年9月30日至2026年10月15日" in html
    assert (await client.get(url)).status_code == 401
    # Nobody is left to list: a second notice is refused.
    again = await client.post(f"/campaigns/{cid}/notices", json={"starts_on": "2026-09-30"},
                              headers=HEXI)  # fmt: skip
    assert again.status_code == 409 and again.json()["type"] == "/problems/notice-refused"


async def test_an_upheld_objection_moves_the_place_on_and_the_offer_waits(client):
    cid, ids, _ = await proposed(client)
    client.clock.at = SEPT_30
    notice = await publish(client, cid)
    objections = f"/notices/{notice['id']}/objections"
    stranger = await client.post(objections, json={"application_id": ids["王五"], "text": "x"},
                                 headers=applicant("public-1"))  # fmt: skip
    assert stranger.status_code == 422 and "body.application_id" in problem_fields(stranger)
    raised = await client.post(
        objections, json={"application_id": ids["李四"], "text": "考察材料与实际工作经历不符"},
        headers=applicant("public-1"),
    )  # fmt: skip
    assert raised.status_code == 201, raised.text
    objection = raised.json()
    assert objection["upheld"] is None
    # The notice runs to 15 October: no offer on its last day, none before.
    client.clock.at = beijing(date(2026, 10, 15), 17)
    offer = await client.post(f"/applications/{ids['张小三']}/offer",
                              json={"start_date": "2026-11-02"}, headers=HEXI)  # fmt: skip
    assert offer.status_code == 409 and offer.json()["type"] == "/problems/offer-refused"
    client.clock.at = beijing(date(2026, 10, 16))
    late = await client.post(objections, json={"application_id": ids["张小三"], "text": "迟到"},
                             headers=applicant("public-2"))  # fmt: skip
    assert late.status_code == 409 and late.json()["type"] == "/problems/objection-refused"
    # 李四's objection is open: no offer for 李四 until it is resolved.
    held = await client.post(f"/applications/{ids['李四']}/offer",
                             json={"start_date": "2026-11-02"}, headers=HEXI)  # fmt: skip
    assert held.status_code == 409 and "not resolved" in held.json()["detail"]
    listed = await client.get(objections, headers=HEXI)
    assert [o["id"] for o in listed.json()] == [objection["id"]]
    resolve = f"/objections/{objection['id']}/resolve"
    body = {"upheld": True, "reason": "经核实，考察材料中工作经历不实"}
    assert (await client.post(resolve, json=body, headers=NANKAI)).status_code == 403
    short = await client.post(resolve, json={**body, "reason": "不实"}, headers=HEXI)
    assert short.status_code == 422 and "body.reason" in problem_fields(short)
    upheld = await client.post(resolve, json=body, headers=HEXI)
    assert upheld.status_code == 200, upheld.text
    assert (upheld.json()["objection"]["upheld"], upheld.json()["note"]) == (True, None)
    now = await statuses(client, cid)
    assert (now["张小三"], now["李四"], now["王五"]) == ("proposed", "check_failed", "in_check")
    steps = (await client.get(f"/applications/{ids['李四']}", headers=HEXI)).json()["timeline"]
    assert [(s["kind"], s["status_to"]) for s in steps[-3:]] == [
        ("notice", "proposed"), ("objection", "proposed"), ("objection_upheld", "check_failed")
    ]  # fmt: skip
    assert (await client.post(resolve, json=body, headers=HEXI)).status_code == 409
    offered = await client.post(f"/applications/{ids['张小三']}/offer",
                                json={"start_date": "2026-11-02"}, headers=HEXI)  # fmt: skip
    assert offered.status_code == 200, offered.text
    assert (offered.json()["status"], offered.json()["start_date"]) == ("offered", "2026-11-02")


async def test_the_applicant_answers_and_the_hire_reaches_the_roster_once(client):
    cid, ids, numbers = await proposed(client)
    client.clock.at = SEPT_30
    await publish(client, cid)
    client.clock.at = beijing(date(2026, 10, 16))
    for name in ("张小三", "李四"):
        reply = await client.post(f"/applications/{ids[name]}/offer",
                                  json={"start_date": "2026-11-02"}, headers=HEXI)  # fmt: skip
        assert reply.status_code == 200, reply.text
    # Only the applicant answers their own offer.
    decline = f"/applications/{ids['李四']}/decline"
    assert (await client.post(decline, headers=HEXI)).status_code == 403
    assert (await client.post(decline, headers=applicant("张小三"))).status_code == 403
    declined = await client.post(decline, json={"reason": "已另有工作"}, headers=applicant("李四"))
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["note"]) == ("declined", None)
    assert (await statuses(client, cid))["王五"] == "in_check"  # the next ranked
    again = await client.post(decline, headers=applicant("李四"))
    assert again.status_code == 409 and again.json()["type"] == "/problems/offer-refused"

    accepted = await client.post(f"/applications/{ids['张小三']}/accept",
                                 headers=applicant("张小三"))  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["hire_sent"]) == ("accepted", False)
    due = "/hires/due"
    assert (await client.post(due, headers=HEXI)).status_code == 403
    assert (await client.post(due, headers=SYSTEM)).json() == {"sent": []}  # 2 November
    assert await outbox_events(client, "ApplicantHired") == []

    client.clock.at = beijing(date(2026, 11, 2), 6)
    assert (await client.post(due, headers=bearer(Role.OPERATOR))).status_code == 403
    assert (await client.post(due, headers=SYSTEM)).json() == {"sent": [ids["张小三"]]}
    assert (await client.post(due, headers=SYSTEM)).json() == {"sent": []}
    (hired,) = await outbox_events(client, "ApplicantHired")
    assert hired["subject"] == ids["张小三"] and hired["source"] == "/recruitment"
    data = hired["data"]
    assert {k: data[k] for k in ("application_id", "campaign_id", "unit_id", "name",
                                 "resident_id", "phone", "education", "major",
                                 "qualification", "start_date")} == {
        "application_id": ids["张小三"], "campaign_id": cid, "unit_id": "street",
        "name": "张小三", "resident_id": numbers["张小三"], "phone": "13812345678",
        "education": "bachelor", "major": "社会工作", "qualification": "none",
        "start_date": "2026-11-02",
    }  # fmt: skip

    # Sent: the person is the roster's worker now, and leaving is recorded there.
    late = await client.post(f"/applications/{ids['张小三']}/withdraw", headers=applicant("张小三"))
    assert late.status_code == 409 and "departure is recorded there" in late.json()["detail"]
    hires = f"/campaigns/{cid}/hires"
    (row,) = (await client.get(hires, headers=HEXI)).json()
    assert (row["status"], row["worker_id"], row["problem"]) == ("accepted", None, None)
    assert row["hire_sent_at"] == "2026-11-01T22:00:00Z"
    client.clock.at += timedelta(hours=2, minutes=30)
    (row,) = (await client.get(hires, headers=HEXI)).json()
    assert row["problem"] == "sent 2 hours ago, no worker yet: check the roster's dead letters"

    imported = _onboarded("worker-import", None)
    back = _onboarded("worker-0001", ids["张小三"])
    await deliver(client, imported, back, back)
    (row,) = (await client.get(hires, headers=HEXI)).json()
    assert (row["status"], row["worker_id"], row["problem"]) == ("hired", "worker-0001", None)
    steps = (await client.get(f"/applications/{ids['张小三']}",
                              headers=applicant("张小三"))).json()["timeline"]  # fmt: skip
    assert [s["kind"] for s in steps[-4:]] == ["offered", "accepted", "hire_sent", "hired"]


def _onboarded(worker_id: str, application_id: str | None):
    payload = WorkerOnboarded(
        worker_id=worker_id, unit_id="street", unit_path="/city/hexi/street/",
        hire_date=date(2026, 11, 2), seniority_start=date(2026, 11, 2), education="bachelor",
        origin="recruitment" if application_id else "import", application_id=application_id,
    )  # fmt: skip
    return build_event(payload, subject=worker_id, source="roster")
