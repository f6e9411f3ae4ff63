"""Awards and elected union posts through HTTP: the happy paths, every refusal naming its field,
nothing written by a refused request, scope and idempotent retries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from roster.models import Award, PostHeld
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import SYSTEM, make_unit, onboard, worker_row

pytestmark = pytest.mark.db

THIS_YEAR = datetime.now(UTC).year


async def count(client, model) -> int:
    async with client.app.state.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def audit_actions(client, worker_id: str) -> list[str]:
    detail = await client.get(f"/workers/{worker_id}", headers=SYSTEM)
    return [entry["action"] for entry in detail.json()["audit"]]


@pytest.fixture
async def hr(tree) -> dict[str, str]:
    return bearer(Role.UNIT_HR, unit_id=tree["hexi"])


@pytest.fixture
async def workers(client, tree) -> list[str]:
    rows = [worker_row(tree["building"], name=name) for name in ("李娜", "王伟", "张敏")]
    return await onboard(client, rows)


def award(**overrides) -> dict:
    body = {"year": 2024, "title": "年度优秀工会社会工作者", "level": "district"}
    return {**body, **overrides}


# --- awards ----------------------------------------------------------------------------------


async def test_record_and_list_awards(client, hr, workers):
    worker = workers[0]
    provincial = award(
        year=THIS_YEAR, level="provincial", awarded_by="省总工会", title="五一劳动奖章"
    )
    for body in (provincial, award()):
        reply = await client.post(f"/workers/{worker}/awards", json=body, headers=hr)
        assert reply.status_code == 201, reply.text
    assert reply.json()["awarded_by"] is None
    listed = (await client.get(f"/workers/{worker}/awards", headers=hr)).json()
    assert [(a["year"], a["level"]) for a in listed] == [
        (2024, "district"),
        (THIS_YEAR, "provincial"),
    ]
    assert (await audit_actions(client, worker)).count("award.recorded") == 2


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"year": 2023}, "body.year", "before the worker was hired in 2024"),
        ({"year": THIS_YEAR + 1}, "body.year", "has not begun"),
        ({"level": "galactic"}, "body.level", "Input should be"),
        ({"title": ""}, "body.title", "at least 1 character"),
        ({"year": "soon"}, "body.year", "valid integer"),
    ],
)
async def test_bad_awards_are_refused_naming_the_field(
    client, hr, workers, overrides, field, reason
):
    reply = await client.post(f"/workers/{workers[0]}/awards", json=award(**overrides), headers=hr)
    assert reply.status_code == 422, reply.text
    assert reason in problem_fields(reply)[field]
    assert await count(client, Award) == 0
    assert "award.recorded" not in await audit_actions(client, workers[0])


async def test_awards_scope_and_worker_self_service(client, tree, hr, workers):
    await client.post(f"/workers/{workers[0]}/awards", json=award(), headers=hr)
    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    refused = await client.post(f"/workers/{workers[0]}/awards", json=award(), headers=nankai_hr)
    assert refused.status_code == 403
    assert (await client.get(f"/workers/{workers[0]}/awards", headers=nankai_hr)).status_code == 403
    assert await count(client, Award) == 1

    own = bearer(Role.WORKER, worker_id=workers[0])
    assert len((await client.get(f"/workers/{workers[0]}/awards", headers=own)).json()) == 1
    assert (await client.get(f"/workers/{workers[1]}/awards", headers=own)).status_code == 403
    assert (
        await client.post(f"/workers/{workers[0]}/awards", json=award(), headers=own)
    ).status_code == 403


async def test_retrying_an_award_post_records_it_once(client, hr, workers):
    headers = {**hr, "Idempotency-Key": "award-2024"}
    first = await client.post(f"/workers/{workers[0]}/awards", json=award(), headers=headers)
    again = await client.post(f"/workers/{workers[0]}/awards", json=award(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await count(client, Award) == 1


# --- elected posts ---------------------------------------------------------------------------


def chair(unit_id: str, **overrides) -> dict:
    body = {
        "post": "chair",
        "unit_id": unit_id,
        "term_start": "2024-07-01",
        "term_end": "2029-07-01",
        "elected_on": "2024-06-20",
    }
    return {**body, **overrides}


async def test_record_and_list_posts(client, tree, hr, workers):
    worker = workers[0]
    elected = await client.post(
        f"/workers/{worker}/posts", json=chair(tree["building"]), headers=hr
    )
    assert elected.status_code == 201, elected.text
    assert elected.json()["unit_id"] == tree["building"]
    vice = chair(tree["street"], post="vice_chair", term_start="2025-01-01", term_end="2030-01-01")
    del vice["elected_on"]
    second = await client.post(f"/workers/{worker}/posts", json=vice, headers=hr)
    assert second.status_code == 201, second.text
    assert second.json()["elected_on"] is None

    listed = (await client.get(f"/workers/{worker}/posts", headers=hr)).json()
    assert [(p["post"], p["unit_id"]) for p in listed] == [
        ("chair", tree["building"]),
        ("vice_chair", tree["street"]),
    ]
    assert (await audit_actions(client, worker)).count("post.recorded") == 2
    own = bearer(Role.WORKER, worker_id=worker)
    assert len((await client.get(f"/workers/{worker}/posts", headers=own)).json()) == 2
    assert (await client.get(f"/workers/{workers[1]}/posts", headers=own)).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"term_end": "2024-07-01"}, "body.term_end", "must be after the term starts"),
        ({"term_end": "2024-06-30"}, "body.term_end", "must be after the term starts"),
        ({"elected_on": "2024-07-02"}, "body.elected_on", "starts after the election"),
        ({"unit_id": "no-such-unit"}, "body.unit_id", "no unit no-such-unit"),
        ({"post": "secretary"}, "body.post", "Input should be"),
        ({"post": "vice_chair"}, "body.unit_id", "a vice_chair is elected in a"),
    ],
)
async def test_bad_posts_are_refused_naming_the_field(
    client, tree, hr, workers, overrides, field, reason
):
    reply = await client.post(
        f"/workers/{workers[0]}/posts", json={**chair(tree["building"]), **overrides}, headers=hr
    )
    assert reply.status_code == 422, reply.text
    assert reason in problem_fields(reply)[field]
    assert await count(client, PostHeld) == 0
    assert "post.recorded" not in await audit_actions(client, workers[0])


async def test_a_chair_is_elected_in_a_grassroots_union(client, tree, hr, workers):
    reply = await client.post(
        f"/workers/{workers[0]}/posts", json=chair(tree["street"]), headers=hr
    )
    assert reply.status_code == 422
    assert "a chair is elected in a" in problem_fields(reply)["body.unit_id"]


async def test_one_chair_at_a_time(client, tree, hr, workers):
    holder, rival, successor = workers
    building = tree["building"]
    assert (
        await client.post(f"/workers/{holder}/posts", json=chair(building), headers=hr)
    ).status_code == 201

    overlapping = chair(building, term_start="2029-06-30", term_end="2034-07-01", elected_on=None)
    reply = await client.post(f"/workers/{rival}/posts", json=overlapping, headers=hr)
    assert reply.status_code == 409
    detail = reply.json()["detail"]
    assert "李娜" in detail and holder in detail and "2024-07-01 to 2029-07-01" in detail
    assert await count(client, PostHeld) == 1
    assert "post.recorded" not in await audit_actions(client, rival)

    next_term = chair(building, term_start="2029-07-01", term_end="2034-07-01", elected_on=None)
    taken = await client.post(f"/workers/{successor}/posts", json=next_term, headers=hr)
    assert taken.status_code == 201, taken.text  # takes office the day the last term ends

    vice = chair(tree["street"], post="vice_chair")
    for worker in (rival, successor):  # a federation has several vice-chairs at once
        assert (
            await client.post(f"/workers/{worker}/posts", json=vice, headers=hr)
        ).status_code == 201
    twice = await client.post(f"/workers/{rival}/posts", json=vice, headers=hr)
    assert twice.status_code == 409
    assert "王伟" in twice.json()["detail"]


async def test_posts_need_an_open_unit_in_scope(client, tree, hr, workers):
    joint = await make_unit(client, "小微企业联合工会", "joint_union", tree["street"])
    closed = await client.post(
        f"/units/{joint}/close",
        json={"closed_on": "2025-01-01", "reason": "merged"},
        headers=SYSTEM,
    )
    assert closed.status_code == 200, closed.text
    reply = await client.post(f"/workers/{workers[0]}/posts", json=chair(joint), headers=hr)
    assert reply.status_code == 409
    assert "closed" in reply.json()["detail"]

    elsewhere = await make_unit(client, "南开楼宇工会", "building_union", tree["nankai"])
    reply = await client.post(f"/workers/{workers[0]}/posts", json=chair(elsewhere), headers=hr)
    assert reply.status_code == 403
    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    reply = await client.post(
        f"/workers/{workers[0]}/posts", json=chair(elsewhere), headers=nankai_hr
    )
    assert reply.status_code == 403
    assert (await client.get(f"/workers/{workers[0]}/posts", headers=nankai_hr)).status_code == 403
    assert await count(client, PostHeld) == 0


async def test_retrying_a_post_records_it_once(client, tree, hr, workers):
    headers = {**hr, "Idempotency-Key": "chair-building-2024"}
    body = chair(tree["building"])
    first = await client.post(f"/workers/{workers[0]}/posts", json=body, headers=headers)
    again = await client.post(f"/workers/{workers[0]}/posts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await count(client, PostHeld) == 1
