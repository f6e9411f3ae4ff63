"""A unit move reaches grading's scoping: after the roster moves a township from one district to
another, every scope probe answers for the new district and refuses the old one; a move is
applied once however often it arrives, and a worker event sent before the move but handled
after it still lands under the new path."""

from __future__ import annotations

from datetime import date

import pytest

from union_dev.testing.api import bearer
from union_dev.testing.events import unit_moved_event
from union_shared.auth import Role

from .conftest import deliver
from .test_grading import hired

pytestmark = pytest.mark.db

SYSTEM = bearer(Role.SYSTEM)
HEXI = bearer(Role.DISTRICT_ADMIN, unit_id="hexi")
NANKAI = bearer(Role.DISTRICT_ADMIN, unit_id="nankai")
POLICY = {"policy_id": "tianjin-3p18l"}


async def _probes(client, headers) -> dict[str, int]:
    """The status each scoped read and write answers this caller about street and its worker."""
    answers = {
        "grade": await client.get("/workers/w-1/grade", headers=headers),
        "history": await client.get("/workers/w-1/grade-history", headers=headers),
        "distribution": await client.get(
            "/distribution", params={"unit_id": "street"}, headers=headers
        ),
        "simulation": await client.post(
            "/simulations",
            json={
                "as_of": "2026-06-01",
                "unit_id": "street",
                "post_thresholds": {"middle": 1, "senior": 4},
            },
            headers=headers,
        ),
        "policy": await client.put("/units/street/policy", json=POLICY, headers=headers),
    }
    return {name: reply.status_code for name, reply in answers.items()}


async def _own_total(client, headers) -> int:
    return (await client.get("/distribution", headers=headers)).json()["total"]


async def test_a_moved_unit_is_governed_by_its_new_district_only(client):
    await deliver(client, hired("w-1", date(2025, 3, 1)))
    allowed = dict.fromkeys(("grade", "history", "distribution", "simulation", "policy"), 200)
    refused = dict.fromkeys(allowed, 403)
    assert await _probes(client, HEXI) == allowed
    assert await _probes(client, NANKAI) == refused
    assert (await _own_total(client, HEXI), await _own_total(client, NANKAI)) == (1, 0)

    move = unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/")
    await deliver(client, move, move)  # a redelivery changes nothing
    await deliver(client, unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/"))

    assert await _probes(client, HEXI) == refused
    assert await _probes(client, NANKAI) == allowed
    assert (await _own_total(client, HEXI), await _own_total(client, NANKAI)) == (0, 1)
    city = bearer(Role.CITY_ADMIN, unit_id="city")
    assert await _probes(client, city) == allowed


async def test_a_worker_event_sent_before_a_move_but_handled_after_it_follows_the_unit(client):
    await deliver(client, unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/"))
    # Onboarded while street was still under hexi: its unit_path is the old one.
    await deliver(client, hired("w-1", date(2025, 3, 1)))
    assert (await client.get("/workers/w-1/grade", headers=NANKAI)).status_code == 200
    assert (await client.get("/workers/w-1/grade", headers=HEXI)).status_code == 403


async def test_unknown_units_are_refused(client):
    await deliver(client, hired("w-1", date(2025, 3, 1)))
    ghost = bearer(Role.DISTRICT_ADMIN, unit_id="atlantis")  # a unit claim the tree lacks
    for path in ("/workers/w-1/grade", "/workers/w-1/grade-history", "/distribution"):
        assert (await client.get(path, headers=ghost)).status_code == 403, path
    nowhere = await client.put("/units/atlantis/policy", json=POLICY, headers=SYSTEM)
    assert nowhere.status_code == 404
    assert (await client.put("/units/street/policy", json=POLICY, headers=ghost)).status_code == 403
