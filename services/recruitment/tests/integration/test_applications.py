"""Applications over HTTP: one per person per campaign (also when two arrive at once), screened
at once with each failed rule named, withdrawn in the window, read by the applicant and by the
tree's readers with identifiers masked for those who do not need them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role
from union_shared.resident_id import check_character

from .conftest import NOW
from .test_campaigns import CITY, HEXI, NANKAI, STREET_HR, campaign, posting_body

pytestmark = pytest.mark.db

AUDITOR = bearer(Role.AUDITOR, unit_id="hexi")


def number(first17: str) -> str:
    return first17 + check_character(first17)


# Born 1994-05-17 (a man: odd sequence 013) and 1985-11-02 (a woman: 024), both of 120103.
YOUNG, OLDER = number("12010319940517013"), number("12010319851102024")


def applicant(sub: str) -> dict[str, str]:
    return bearer(Role.APPLICANT, sub=sub)


def form(posting_id: str, resident_id: str = YOUNG, **changes) -> dict:
    return {
        "posting_id": posting_id, "resident_id": resident_id, "name": "王小明",
        "phone": "13812345678", "education": "bachelor", "majors": ["社会工作"],
        "residence_region": "120103", "years_experience": 2,
        "documents": [{"kind": "degree", "ref": "files/degree-001.pdf"}], **changes,
    }  # fmt: skip


async def open_campaign(client, requirements: dict | None = None) -> tuple[str, str]:
    """An announced campaign with one posting, its window open."""
    cid = (await campaign(client))["id"]
    body = posting_body(requirements=requirements or {})
    posting = await client.post(f"/campaigns/{cid}/postings", json=body, headers=HEXI)
    assert posting.status_code == 201, posting.text
    assert (await client.post(f"/campaigns/{cid}/announce", headers=HEXI)).status_code == 200
    client.clock.at = NOW + timedelta(days=7, hours=1)  # 2026-03-09 10:00 in Beijing
    return cid, posting.json()["id"]


async def test_an_application_is_screened_at_once_and_the_applicant_follows_it(client):
    requirements = {"min_education": "bachelor", "majors": ["社会工作", "社会学"],
                    "max_age": 35, "age_as_of": "2026-03-09"}  # fmt: skip
    cid, pid = await open_campaign(client, requirements)
    me = applicant("app-wang")
    reply = await client.post(f"/campaigns/{cid}/applications", json=form(pid), headers=me)
    assert reply.status_code == 201, reply.text
    mine = reply.json()
    assert (mine["status"], mine["screening"], mine["sex"]) == ("eligible", [], "male")
    # The applicant's own reply masks as any reply does for callers who need no identifiers.
    assert (mine["resident_id"], mine["phone"], mine["birth_date"], mine["birth_year"]) == (
        "120103" + "*" * 10 + YOUNG[-2:],
        "138****5678",
        None,
        1994,
    )
    assert [(s["kind"], s["status_from"], s["status_to"]) for s in mine["timeline"]] == [
        ("submitted", None, "eligible")
    ]
    # Born 1985-11-02, 40 on 2026-03-09: over 35; a diploma below the bachelor's; no major.
    other = applicant("app-li")
    late = form(pid, OLDER, name="李芳", education="below_bachelor", majors=["会计"])
    refused = await client.post(f"/campaigns/{cid}/applications", json=late, headers=other)
    assert refused.status_code == 201, refused.text
    assert refused.json()["status"] == "ineligible"
    assert [f["rule"] for f in refused.json()["screening"]] == ["education", "major", "age"]
    assert "the applicant is 40 on that day" in refused.json()["screening"][2]["message"]

    assert [a["id"] for a in (await client.get("/me/applications", headers=me)).json()] == [
        mine["id"]
    ]
    url = f"/applications/{mine['id']}"
    assert (await client.get(url, headers=other)).status_code == 403
    whole = (await client.get(url, headers=STREET_HR)).json()
    assert (whole["resident_id"], whole["birth_date"], whole["phone"]) == (
        YOUNG,
        "1994-05-17",
        "13812345678",
    )
    masked = (await client.get(url, headers=AUDITOR)).json()
    assert (
        masked["resident_id"] == "120103" + "*" * 10 + YOUNG[-2:] and masked["birth_date"] is None
    )
    assert (await client.get(url, headers=NANKAI)).status_code == 403
    listed = await client.get(
        f"/campaigns/{cid}/applications", params={"status": "ineligible"}, headers=CITY
    )
    assert [a["name"] for a in listed.json()] == ["李芳"]


async def test_one_application_per_person_per_campaign_even_at_the_same_instant(client):
    cid, pid = await open_campaign(client)
    url = f"/campaigns/{cid}/applications"
    first, second = await asyncio.gather(
        client.post(url, json=form(pid), headers=applicant("app-a")),
        client.post(url, json=form(pid, YOUNG.lower()), headers=applicant("app-b")),
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409], (first.text, second.text)
    refused = first if first.status_code == 409 else second
    assert refused.json()["type"] == "/problems/duplicate-application"
    again = await client.post(url, json=form(pid), headers=applicant("app-c"))
    assert again.status_code == 409
    rows = (await client.get(f"/campaigns/{cid}/applications", headers=HEXI)).json()
    assert len(rows) == 1


async def test_a_withdrawal_is_recorded_with_its_reason_and_counts_as_applied(client):
    cid, pid = await open_campaign(client)
    me = applicant("app-wang")
    aid = (await client.post(f"/campaigns/{cid}/applications", json=form(pid), headers=me)).json()[
        "id"
    ]
    assert (
        await client.post(f"/applications/{aid}/withdraw", headers=applicant("x"))
    ).status_code == 403
    done = await client.post(
        f"/applications/{aid}/withdraw", json={"reason": "已被其他单位录用"}, headers=me
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "withdrawn"
    assert done.json()["timeline"][-1]["reason"] == "已被其他单位录用"
    twice = await client.post(f"/applications/{aid}/withdraw", headers=me)
    assert twice.status_code == 409 and twice.json()["type"] == "/problems/cannot-withdraw"
    # Withdrawn still counts: the person applied to this campaign.
    back = await client.post(f"/campaigns/{cid}/applications", json=form(pid), headers=me)
    assert back.status_code == 409


async def test_applications_outside_the_window_or_by_the_wrong_caller_are_refused(client):
    cid, pid = await open_campaign(client)
    url = f"/campaigns/{cid}/applications"
    assert (await client.post(url, json=form(pid), headers=HEXI)).status_code == 403
    client.clock.at = NOW + timedelta(days=30)  # after 2026-03-20 17:00
    closed = await client.post(url, json=form(pid), headers=applicant("late"))
    assert closed.status_code == 409 and closed.json()["type"] == "/problems/window-closed"
    assert (await client.get("/campaigns", headers=applicant("late"))).status_code == 403


async def test_bad_input_is_a_4xx_naming_the_field(client):
    cid, pid = await open_campaign(client)
    url = f"/campaigns/{cid}/applications"
    me = applicant("app-bad")
    cases = [
        ({"resident_id": YOUNG[:17] + ("0" if YOUNG[17] != "0" else "1")}, "body.resident_id"),
        ({"resident_id": "1201031994051701"}, "body.resident_id"),
        ({"resident_id": number("12010320990101013")}, "body.resident_id"),  # born in the future
        ({"phone": "12345"}, "body.phone"),
        ({"education": "phd"}, "body.education"),
        ({"residence_region": "12"}, "body.residence_region"),
        ({"years_experience": -1}, "body.years_experience"),
        ({"majors": ["x"] * 11}, "body.majors"),
        ({"documents": [{"kind": "Bad Kind", "ref": "x"}]}, "body.documents"),
        ({"posting_id": "nope"}, "body.posting_id"),
        ({"name": "\u0000"}, "body.name"),
        ({"surprise": True}, "body.surprise"),
    ]
    for changes, field in cases:
        reply = await client.post(url, json={**form(pid), **changes}, headers=me)
        assert reply.status_code == 422, (changes, reply.text)
        assert any(f.startswith(field) for f in problem_fields(reply)), (changes, reply.text)
    assert (await client.get("/me/applications", headers=me)).json() == []


async def test_a_merged_postings_applications_move_with_its_places(client):
    cid, first = await open_campaign(client)
    body = posting_body(code="HX-02", quota=1)
    second = (await client.post(f"/campaigns/{cid}/postings", json=body, headers=HEXI)).json()
    assert (await client.post(f"/postings/{second['id']}/publish", headers=HEXI)).is_success
    me = applicant("app-wang")
    aid = (
        await client.post(f"/campaigns/{cid}/applications", json=form(second["id"]), headers=me)
    ).json()["id"]
    reason = "报名人数不足，合并至同类岗位 HX-01"
    merged = await client.post(
        f"/postings/{second['id']}/merge",
        json={"into_posting_id": first, "reason": reason},
        headers=HEXI,
    )
    assert merged.status_code == 200, merged.text
    mine = (await client.get(f"/applications/{aid}", headers=me)).json()
    assert (mine["posting_id"], mine["status"]) == (first, "eligible")
    assert mine["timeline"][-1]["kind"] == "posting_merged"
    assert reason in mine["timeline"][-1]["reason"]


async def test_the_reply_to_a_submission_is_what_reading_it_back_shows(client):
    # The reply is built from what was written, not read back: it must match a later read.
    bonus = {"items": [{"code": "veteran", "name": "退役军人", "points": "3"},
                       {"code": "grassroots", "name": "服务基层项目满2年", "points": "5"}],
             "combination": "highest_only", "cap": "5"}  # fmt: skip
    cid = (await campaign(client, rules={"bonus": bonus}))["id"]
    body = posting_body(requirements={"min_education": "bachelor", "majors": ["社会工作"]})
    pid = (await client.post(f"/campaigns/{cid}/postings", json=body, headers=HEXI)).json()["id"]
    assert (await client.post(f"/campaigns/{cid}/announce", headers=HEXI)).status_code == 200
    client.clock.at = NOW + timedelta(days=7, hours=1)
    me = applicant("app-zhao")
    late = form(pid, OLDER, name=" 赵敏 ", majors=[" 会计 "],
                bonus_claims=["veteran", "grassroots", "veteran"])  # fmt: skip
    reply = await client.post(f"/campaigns/{cid}/applications", json=late, headers=me)
    assert reply.status_code == 201, reply.text
    mine = reply.json()
    assert (mine["name"], mine["majors"], mine["status"]) == ("赵敏", ["会计"], "ineligible")
    assert [f["rule"] for f in mine["screening"]] == ["major"]
    # Claimed twice, kept once; listed in code order.
    assert [(c["code"], c["review"], c["reason"]) for c in mine["bonus_claims"]] == [
        ("grassroots", "pending", None), ("veteran", "pending", None)
    ]  # fmt: skip
    [step] = mine["timeline"]
    assert (step["kind"], step["status_from"], step["status_to"], step["reason"]) == (
        "submitted", None, "ineligible", "automatic screening: failed major"
    )  # fmt: skip
    assert (mine["composite"], mine["rank"], mine["run_off_needed"]) == (None, None, False)
    again = (await client.get(f"/applications/{mine['id']}", headers=me)).json()
    # The reply is the record as read back, bonus points at the column's two places too.
    assert mine == again
    assert mine["bonus_points"] == "0.00"


async def test_a_campaign_that_does_not_exist_or_a_posting_of_another_is_refused(client):
    cid, pid = await open_campaign(client)
    other = (await campaign(client))["id"]
    me = applicant("app-lost")
    missing = await client.post("/campaigns/nope/applications", json=form(pid), headers=me)
    assert missing.status_code == 404, missing.text
    elsewhere = await client.post(f"/campaigns/{other}/applications", json=form(pid), headers=me)
    assert elsewhere.status_code == 422 and "body.posting_id" in problem_fields(elsewhere)
    assert (await client.post(f"/campaigns/{cid}/applications", json=form(pid),
                              headers=me)).status_code == 201  # fmt: skip
