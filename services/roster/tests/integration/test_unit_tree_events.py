"""The roster announces every change of its unit tree (UnitCreated, UnitRenamed, UnitMoved,
UnitClosed), all under one subject so they stay in order, and a register that had units before
it did announces them once on migrating."""

from __future__ import annotations

import asyncio
import shutil

import pytest
import sqlalchemy as sa
from alembic import command

from union_dev.testing.service import outbox_events
from union_shared.db import create_engine
from union_shared.events.catalogue import UNIT_TREE_SUBJECT
from union_shared.migrations import alembic_config, upgrade

from .conftest import SERVICE_DIR, SYSTEM

pytestmark = pytest.mark.db

TREE_EVENTS = ("UnitCreated", "UnitRenamed", "UnitMoved", "UnitClosed")


async def _tree_events(client) -> list[dict]:
    return [e for e in await outbox_events(client) if e["type"] in TREE_EVENTS]


async def test_every_change_of_the_tree_is_announced_in_order(client, tree):
    created = await _tree_events(client)
    assert [e["data"]["unit_id"] for e in created] == [
        tree[name] for name in ("city", "hexi", "nankai", "street", "building")
    ]
    assert {e["subject"] for e in created} == {UNIT_TREE_SUBJECT}
    street = tree["street"]
    assert created[3]["data"]["path"] == f"/{tree['city']}/{tree['hexi']}/{street}/"

    renamed = await client.patch(f"/units/{street}", json={"name": "友谊路街道"}, headers=SYSTEM)
    assert renamed.status_code == 200, renamed.text
    moved = await client.post(
        f"/units/{street}/move", json={"parent_id": tree["nankai"]}, headers=SYSTEM
    )
    assert moved.status_code == 200, moved.text
    closed = await client.post(
        f"/units/{tree['building']}/close",
        json={"closed_on": "2026-12-01", "reason": "merged"},
        headers=SYSTEM,
    )
    assert closed.status_code == 200, closed.text

    later = (await _tree_events(client))[len(created) :]
    assert [e["type"] for e in later] == ["UnitRenamed", "UnitMoved", "UnitClosed"]
    move = later[1]["data"]
    assert (move["from_path"], move["to_path"]) == (
        f"/{tree['city']}/{tree['hexi']}/{street}/",
        f"/{tree['city']}/{tree['nankai']}/{street}/",
    )
    assert (
        later[2]["data"]["path"] == f"/{tree['city']}/{tree['nankai']}/{street}/{tree['building']}/"
    )


async def test_units_from_before_are_announced_once_on_migrating(tmp_path, roster_url):
    if not roster_url.startswith("sqlite"):
        pytest.skip("the SQLite file is copied; PostgreSQL runs the same migration in CI")
    source = roster_url.split("///", 1)[1]
    path = tmp_path / "older.db"
    shutil.copy(source, path)
    url = f"sqlite+aiosqlite:///{path}"
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "roster_0003")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("DELETE FROM outbox"))
            for unit, parent, path_, status in (
                ("c", None, "/c/", "open"),
                ("d", "c", "/c/d/", "open"),
                ("s", "d", "/c/d/s/", "closed"),
            ):
                await conn.execute(
                    sa.text(
                        "INSERT INTO units (id, name, kind, parent_id, path, status, closed_on,"
                        " created_at) VALUES (:id, :id, 'city_federation', :parent, :path,"
                        " :status, :closed, CURRENT_TIMESTAMP)"
                    ),
                    {
                        "id": unit,
                        "parent": parent,
                        "path": path_,
                        "status": status,
                        "closed": "2026-01-01" if status == "closed" else None,
                    },
                )
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.text("SELECT event_type, message_key FROM outbox ORDER BY id")
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("UnitCreated", UNIT_TREE_SUBJECT),
        ("UnitCreated", UNIT_TREE_SUBJECT),
        ("UnitCreated", UNIT_TREE_SUBJECT),
        ("UnitClosed", UNIT_TREE_SUBJECT),
    ]
