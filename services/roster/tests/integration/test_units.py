"""The unit tree through HTTP: create, rename, move, close, list a subtree, scope checks."""

from __future__ import annotations

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import SYSTEM, onboard, worker_row

pytestmark = pytest.mark.db


async def test_subtree_lists_in_tree_order_and_respects_scope(client, tree):
    hexi_admin = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    names = [u["name"] for u in (await client.get("/units", headers=hexi_admin)).json()]
    assert names == ["河西区总工会", "友谊路街道总工会", "金融大厦楼宇工会"]
    outside = await client.get("/units", params={"root": tree["nankai"]}, headers=hexi_admin)
    assert outside.status_code == 403
    everything = (
        await client.get("/units", headers=bearer(Role.CITY_ADMIN, unit_id=tree["city"]))
    ).json()
    assert len(everything) == 5


async def test_rename_move_and_close(client, tree):
    admin = bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    renamed = await client.patch(
        f"/units/{tree['building']}", json={"name": "金融大厦联合工会"}, headers=admin
    )
    assert renamed.json()["name"] == "金融大厦联合工会"

    moved = await client.post(
        f"/units/{tree['street']}/move", json={"parent_id": tree["nankai"]}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    nankai = [
        u["id"]
        for u in (await client.get("/units", params={"root": tree["nankai"]}, headers=admin)).json()
    ]
    assert nankai == [tree["nankai"], tree["street"], tree["building"]]  # the subtree moved along

    under_itself = await client.post(
        f"/units/{tree['street']}/move", json={"parent_id": tree["building"]}, headers=admin
    )
    assert under_itself.status_code == 422
    assert "own subtree" in problem_fields(under_itself)["body.parent_id"]

    busy = await client.post(
        f"/units/{tree['street']}/close",
        json={"closed_on": "2026-06-30", "reason": "merged"},
        headers=admin,
    )
    assert busy.status_code == 409  # the building union is still open under it
    closed = await client.post(
        f"/units/{tree['building']}/close",
        json={"closed_on": "2026-06-30", "reason": "merged"},
        headers=admin,
    )
    assert closed.json()["status"] == "closed"
    listed = (await client.get("/units", params={"root": tree["street"]}, headers=admin)).json()
    assert [u["id"] for u in listed] == [tree["street"]]


async def test_a_unit_with_workers_cannot_close(client, tree):
    await onboard(client, [worker_row(tree["building"])])
    reply = await client.post(
        f"/units/{tree['building']}/close",
        json={"closed_on": "2026-06-30", "reason": "merged"},
        headers=bearer(Role.CITY_ADMIN, unit_id=tree["city"]),
    )
    assert reply.status_code == 409
    assert "still has workers" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"name": "", "kind": "building_union"}, "body.name", "at least 1 character"),
        ({"name": "x", "kind": "palace"}, "body.kind", "Input should be"),
        ({"name": "x", "kind": "building_union"}, "body.parent_id", "cannot sit under nothing"),
    ],
)
async def test_bad_units_are_refused_naming_the_field(client, body, field, reason):
    reply = await client.post("/units", json=body, headers=SYSTEM)
    assert reply.status_code == 422
    assert reason in problem_fields(reply)[field]


async def test_roles_and_tokens_are_checked(client, tree):
    assert (await client.get("/units")).status_code == 401
    assert (
        await client.get("/units", headers={"Authorization": "Bearer nonsense"})
    ).status_code == 401
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    reply = await client.post(
        "/units", json={"name": "x", "kind": "joint_union", "parent_id": tree["street"]}, headers=hr
    )
    assert reply.status_code == 403


async def test_idempotency_key_replays_the_first_reply(client, tree):
    headers = {**SYSTEM, "Idempotency-Key": "create-joint-union-1"}
    body = {"name": "小微企业联合工会", "kind": "joint_union", "parent_id": tree["street"]}
    first = await client.post("/units", json=body, headers=headers)
    again = await client.post("/units", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = (await client.get("/units", params={"root": tree["street"]}, headers=SYSTEM)).json()
    assert [u["name"] for u in listed].count("小微企业联合工会") == 1
    reused = await client.post("/units", json={**body, "name": "其他"}, headers=headers)
    assert reused.status_code == 422
    assert "different request" in problem_fields(reused)["header.Idempotency-Key"]


async def test_a_key_belongs_to_one_caller_and_route_and_is_checked_after_authorising(client, tree):
    key = {"Idempotency-Key": "shared-key-1"}
    body = {"name": "联合工会", "kind": "joint_union", "parent_id": tree["street"]}
    first = await client.post("/units", json=body, headers={**SYSTEM, **key})
    assert first.status_code == 201
    # Another caller with the same key (and the same subject claim) is authorised on its own.
    for role in (Role.WORKER, Role.AUDITOR):
        intruder = bearer(role, unit_id=tree["city"], worker_id="w-x", sub="test-system")
        reply = await client.post("/units", json=body, headers={**intruder, **key})
        assert reply.status_code == 403, reply.text
        assert "idempotent-replayed" not in reply.headers
    # The same caller and key on another route is another request, not a reuse.
    renamed = await client.patch(f"/units/{tree['street']}", json={"name": "x"}, headers=SYSTEM)
    assert renamed.status_code == 200
    moved = await client.post(
        f"/units/{first.json()['id']}/move",
        json={"parent_id": tree["street"]},
        headers={**SYSTEM, **key},
    )
    assert moved.status_code == 200, moved.text
    assert "idempotent-replayed" not in moved.headers


async def test_move_and_close_replay_their_first_reply(client, tree):
    from union_dev.testing.service import outbox_events

    key = {**SYSTEM, "Idempotency-Key": "move-street-1"}
    url = f"/units/{tree['street']}/move"
    first = await client.post(url, json={"parent_id": tree["nankai"]}, headers=key)
    again = await client.post(url, json={"parent_id": tree["nankai"]}, headers=key)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(await outbox_events(client, "UnitMoved")) == 1
    other = await client.post(url, json={"parent_id": tree["hexi"]}, headers=key)
    assert "different request" in problem_fields(other)["header.Idempotency-Key"]

    close = {**SYSTEM, "Idempotency-Key": "close-building-1"}
    body = {"closed_on": "2026-12-01", "reason": "merged"}
    closed = await client.post(f"/units/{tree['building']}/close", json=body, headers=close)
    replay = await client.post(f"/units/{tree['building']}/close", json=body, headers=close)
    assert closed.status_code == replay.status_code == 200, replay.text
    assert replay.json() == closed.json()
    assert len(await outbox_events(client, "UnitClosed")) == 1
    unkeyed = await client.post(f"/units/{tree['building']}/close", json=body, headers=SYSTEM)
    assert unkeyed.status_code == 409


async def test_timestamps_read_back_from_the_database_are_utc_with_their_offset(client, tree):
    from datetime import datetime

    created = await client.post(
        "/units",
        json={"name": "联合工会", "kind": "joint_union", "parent_id": tree["street"]},
        headers=SYSTEM,
    )
    listed = await client.get("/units", params={"root": tree["street"]}, headers=SYSTEM)
    (stored,) = [u for u in listed.json() if u["id"] == created.json()["id"]]
    for shown in (created.json()["created_at"], stored["created_at"]):
        moment = datetime.fromisoformat(shown)
        assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0, shown
    assert datetime.fromisoformat(stored["created_at"]) == datetime.fromisoformat(
        created.json()["created_at"]
    )


@pytest.mark.parametrize("name", ["河西\u0000区", "bell\u0007", "\u001b[31mred"])
async def test_control_characters_are_refused_in_any_text(client, tree, name):
    reply = await client.post(
        "/units",
        json={"name": name, "kind": "joint_union", "parent_id": tree["street"]},
        headers=SYSTEM,
    )
    assert reply.status_code == 422, reply.text
    assert problem_fields(reply) == {"body.name": "must not contain control characters"}
    renamed = await client.patch(f"/units/{tree['street']}", json={"name": name}, headers=SYSTEM)
    assert problem_fields(renamed) == {"body.name": "must not contain control characters"}
    listed = await client.get("/units", params={"root": f"x{name}"}, headers=SYSTEM)
    assert problem_fields(listed) == {"query.root": "must not contain control characters"}


@pytest.mark.parametrize("closed_on", [0, 1700000000, "0", "20261201", "2026-12-1"])
async def test_dates_are_iso_strings_only(client, tree, closed_on):
    reply = await client.post(
        f"/units/{tree['building']}/close",
        json={"closed_on": closed_on, "reason": "merged"},
        headers=SYSTEM,
    )
    assert reply.status_code == 422, reply.text
    assert "ISO date" in problem_fields(reply)["body.closed_on"]
    still = await client.get("/units", params={"root": tree["street"]}, headers=SYSTEM)
    assert {u["id"]: u["status"] for u in still.json()}[tree["building"]] == "open"


async def test_an_app_stamps_its_records_by_its_own_clock(settings, tree):
    """One clock per app: what it stores as `created_at` and what it calls today both come from
    it (01:00 on 21 November in Beijing is still 20 November in UTC)."""
    from datetime import UTC, datetime

    from roster.main import create_app
    from union_dev.testing.api import running
    from union_shared.clock import Clock

    at_one_am = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    app = create_app(settings, clock=Clock(instant=lambda: at_one_am))
    async with running(app) as client:
        created = await client.post(
            "/units",
            json={"name": "联合工会", "kind": "joint_union", "parent_id": tree["street"]},
            headers=SYSTEM,
        )
        assert created.status_code == 201, created.text
        assert datetime.fromisoformat(created.json()["created_at"]) == at_one_am
        assert app.state.clock.today().isoformat() == "2026-11-21"
