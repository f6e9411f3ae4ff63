"""Campaigns and postings over HTTP: created in scope, rules versioned (a reason once the window
has opened), announced with their postings, cut and merged with recorded decisions; bad input
is a 4xx naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.events import unit_moved_event
from union_shared.auth import Role

from .conftest import NOW, deliver

pytestmark = pytest.mark.db

CITY = bearer(Role.CITY_ADMIN, unit_id="city", sub="admin-zhang")
HEXI = bearer(Role.DISTRICT_ADMIN, unit_id="hexi", sub="admin-li")
NANKAI = bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
STREET_HR = bearer(Role.UNIT_HR, unit_id="street")
OPENS, CLOSES = "2026-03-09T09:00:00+08:00", "2026-03-20T17:00:00+08:00"


def campaign_body(**changes) -> dict:
    return {
        "name": "2026年河西区工会社会工作者公开招聘",
        "unit_id": "hexi",
        "window_opens_at": OPENS,
        "window_closes_at": CLOSES,
        **changes,
    }


def posting_body(**changes) -> dict:
    return {"unit_id": "street", "code": "HX-01", "title": "街道工会社会工作者", "quota": 2,
            **changes}  # fmt: skip


async def campaign(client, headers=HEXI, **changes) -> dict:
    reply = await client.post("/campaigns", json=campaign_body(**changes), headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def test_a_campaign_is_created_with_the_common_rules_and_read_in_scope(client):
    created = await campaign(client, rules={"weights": {"written": 60, "interview": 40}})
    assert (created["status"], created["rules_version"], created["window_open"]) == (
        "draft",
        1,
        False,
    )
    assert created["window_opens_at"] == "2026-03-09T01:00:00Z"  # stored and shown in UTC
    rules = created["rules"]
    assert rules["weights"] == {"written": "60", "interview": "40"}
    assert (rules["shortlist"]["ratio"], rules["notice_working_days"]) == (3, 7)
    url = f"/campaigns/{created['id']}"
    # The district runs it; the city above sees it; a street HR below sees it; Nankai does not.
    for headers, status in ((HEXI, 200), (CITY, 200), (STREET_HR, 200), (NANKAI, 403)):
        assert (await client.get(url, headers=headers)).status_code == status
    assert [c["id"] for c in (await client.get("/campaigns", headers=STREET_HR)).json()] == [
        created["id"]
    ]
    assert (await client.get("/campaigns", headers=NANKAI)).json() == []
    # Only those governing the federation create or change it.
    assert (
        await client.post("/campaigns", json=campaign_body(), headers=NANKAI)
    ).status_code == 403
    assert (
        await client.post("/campaigns", json=campaign_body(), headers=STREET_HR)
    ).status_code == 403


async def test_rules_change_freely_before_the_window_and_with_a_reason_after(client):
    created = await campaign(client)
    url = f"/campaigns/{created['id']}/rules"
    draft = await client.put(url, json={"rules": {"notice_working_days": 5}}, headers=HEXI)
    assert draft.status_code == 201, draft.text
    assert (draft.json()["version"], draft.json()["reason"]) == (2, None)

    client.clock.at = NOW + timedelta(days=7)  # 2026-03-09 09:00 in Beijing: the window opens
    late = await client.put(url, json={"rules": {"notice_working_days": 7}}, headers=HEXI)
    assert late.status_code == 422 and "body.reason" in problem_fields(late)
    reason = "市人社局复核意见：公示期按7个工作日执行"
    kept = await client.put(
        url, json={"rules": {"notice_working_days": 7}, "reason": reason}, headers=HEXI
    )
    assert kept.status_code == 201, kept.text
    history = (await client.get(f"{url}/versions", headers=CITY)).json()
    assert [(v["version"], v["rules"]["notice_working_days"], v["reason"]) for v in history] == [
        (1, 7, None),
        (2, 5, None),
        (3, 7, reason),
    ]
    shown = (await client.get(f"/campaigns/{created['id']}", headers=HEXI)).json()
    assert shown["rules_version"] == 3


async def test_announcing_publishes_the_postings_and_opens_applications_in_the_window(client):
    created = await campaign(client)
    cid = created["id"]
    refused = await client.post(f"/campaigns/{cid}/announce", headers=HEXI)
    assert refused.status_code == 409  # no posting yet
    posting = await client.post(f"/campaigns/{cid}/postings", json=posting_body(), headers=HEXI)
    assert posting.status_code == 201, posting.text
    assert posting.json()["status"] == "draft"
    taken = await client.post(f"/campaigns/{cid}/postings", json=posting_body(), headers=HEXI)
    assert taken.status_code == 409  # the code is the announcement's number, unique
    announced = await client.post(f"/campaigns/{cid}/announce", headers=HEXI)
    assert announced.status_code == 200, announced.text
    assert (announced.json()["status"], announced.json()["window_open"]) == ("announced", False)
    listed = (await client.get(f"/campaigns/{cid}/postings", headers=STREET_HR)).json()
    assert [(p["code"], p["status"]) for p in listed] == [("HX-01", "published")]
    client.clock.at = NOW + timedelta(days=7)
    shown = (await client.get(f"/campaigns/{cid}", headers=HEXI)).json()
    assert shown["window_open"] is True
    moved = await client.put(
        f"/campaigns/{cid}/window",
        json={"window_opens_at": OPENS, "window_closes_at": "2026-03-27T17:00:00+08:00"},
        headers=HEXI,
    )
    assert moved.status_code == 409  # the public window has opened


async def test_postings_are_cut_and_merged_with_a_recorded_decision(client):
    cid = (await campaign(client))["id"]
    first = (
        await client.post(f"/campaigns/{cid}/postings", json=posting_body(), headers=HEXI)
    ).json()
    second = (
        await client.post(
            f"/campaigns/{cid}/postings", json=posting_body(code="HX-02", quota=1), headers=HEXI
        )
    ).json()
    third = (
        await client.post(
            f"/campaigns/{cid}/postings", json=posting_body(code="HX-03", quota=3), headers=HEXI
        )
    ).json()
    await client.post(f"/campaigns/{cid}/announce", headers=HEXI)
    short = await client.post(f"/postings/{second['id']}/cut", json={"reason": "少"}, headers=HEXI)
    assert short.status_code == 422 and "body.reason" in problem_fields(short)
    reason = "报名人数未达到开考比例1:3，经研究予以核减"
    cut = await client.post(f"/postings/{second['id']}/cut", json={"reason": reason}, headers=HEXI)
    assert cut.status_code == 200, cut.text
    assert (cut.json()["status"], cut.json()["decision"], cut.json()["decided_by"]) == (
        "cut",
        reason,
        "admin-li (district_admin)",
    )
    into_cut = await client.post(
        f"/postings/{third['id']}/merge",
        json={"into_posting_id": second["id"], "reason": "报名人数不足，合并至同类岗位"},
        headers=HEXI,
    )
    assert into_cut.status_code == 422 and "body.into_posting_id" in problem_fields(into_cut)
    merged = await client.post(
        f"/postings/{third['id']}/merge",
        json={"into_posting_id": first["id"], "reason": "报名人数不足，合并至同类岗位"},
        headers=HEXI,
    )
    assert merged.status_code == 200, merged.text
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("merged", first["id"])
    grown = (await client.get(f"/postings/{first['id']}", headers=HEXI)).json()
    assert grown["quota"] == 2 + 3
    again = await client.post(
        f"/postings/{second['id']}/cut", json={"reason": reason}, headers=HEXI
    )
    assert again.status_code == 409


async def test_scope_follows_a_unit_when_it_moves(client):
    cid = (await campaign(client))["id"]
    await client.post(f"/campaigns/{cid}/postings", json=posting_body(), headers=HEXI)
    await deliver(client, unit_moved_event("hexi", "/city/hexi/", "/city/nankai/hexi/"))
    # Hexi now sits under Nankai: Nankai's administrators govern its campaign.
    assert (await client.get(f"/campaigns/{cid}", headers=NANKAI)).status_code == 200
    assert (await client.get(f"/campaigns/{cid}/postings", headers=NANKAI)).json()[0][
        "code"
    ] == "HX-01"


async def test_bad_input_is_a_4xx_naming_the_field(client):
    cases = [
        ({"window_opens_at": "2026-03-09 09:00"}, "body.window_opens_at"),
        ({"window_opens_at": 0}, "body.window_opens_at"),
        ({"window_closes_at": "2026-03-01T00:00:00+08:00"}, "body.window_closes_at"),
        ({"unit_id": "nowhere"}, "body.unit_id"),
        ({"name": ""}, "body.name"),
        ({"name": "x" * 201}, "body.name"),
        ({"rules": {"weights": {"written": 70, "interview": 40}}}, "body.rules.weights"),
        ({"rules": {"shortlist": {"ratio": 0}}}, "body.rules.shortlist.ratio"),
        ({"rules": {"bonus": {"cap": "1.234"}}}, "body.rules.bonus.cap"),
        ({"rules": {"surprise": 1}}, "body.rules.surprise"),
    ]
    for changes, field in cases:
        reply = await client.post("/campaigns", json=campaign_body(**changes), headers=HEXI)
        assert reply.status_code == 422, (changes, reply.text)
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert any(f.startswith(field) for f in problem_fields(reply)), (changes, reply.text)
    cid = (await campaign(client))["id"]
    postings = [
        ({"quota": 0}, "body.quota"),
        ({"quota": 10_001}, "body.quota"),
        ({"code": "有空格 1"}, "body.code"),
        ({"unit_id": "nankai"}, "body.unit_id"),  # outside the campaign's federation
        ({"requirements": {"max_age": 35}}, "body.requirements"),  # no age_as_of
    ]
    for changes, field in postings:
        reply = await client.post(
            f"/campaigns/{cid}/postings", json=posting_body(**changes), headers=CITY
        )
        assert reply.status_code == 422, (changes, reply.text)
        assert any(f.startswith(field) for f in problem_fields(reply)), (changes, reply.text)
    assert (await client.get("/campaigns/nope", headers=HEXI)).status_code == 404
