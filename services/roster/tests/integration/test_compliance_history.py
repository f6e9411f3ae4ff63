"""The compliance view for a past date places each worker in the unit they belonged to then:
a transfer moves them from its effective date, for the view and for who may see them."""

from __future__ import annotations

import pytest

from union_dev.testing.api import bearer
from union_shared.auth import Role

from .conftest import onboard, worker_row

pytestmark = pytest.mark.db


async def units_listing(client, headers, worker_id: str, as_of: str, **params) -> set[str]:
    """The units the worker's alerts are listed under (empty when they are not listed)."""
    reply = await client.get("/compliance", params={"as_of": as_of, **params}, headers=headers)
    assert reply.status_code == 200, reply.text
    return {a["unit_id"] for a in reply.json()["alerts"] if a["worker_id"] == worker_id}


async def transfer(client, tree, worker_id: str, to_unit_id: str, effective_date: str) -> None:
    admin = bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    reply = await client.post(
        f"/workers/{worker_id}/transfer",
        json={"to_unit_id": to_unit_id, "effective_date": effective_date, "reason": "reposted"},
        headers=admin,
    )
    assert reply.status_code == 200, reply.text


@pytest.fixture
async def moved(client, tree) -> str:
    """Hired into a street of district A (Hexi) on 2026-01-05, with no contract (so an alert is
    open), transferred to district B (Nankai) on 2026-06-01."""
    [worker_id] = await onboard(client, [worker_row(tree["street"], hire_date="2026-01-05")])
    await transfer(client, tree, worker_id, tree["nankai"], "2026-06-01")
    return worker_id


async def test_a_past_date_lists_the_worker_under_the_unit_of_that_date(client, tree, moved):
    city = bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    a, b = tree["hexi"], tree["nankai"]
    assert await units_listing(client, city, moved, "2026-05-01", unit_id=a) == {tree["street"]}
    assert await units_listing(client, city, moved, "2026-05-01", unit_id=b) == set()
    assert await units_listing(client, city, moved, "2026-07-01", unit_id=a) == set()
    assert await units_listing(client, city, moved, "2026-07-01", unit_id=b) == {b}
    # The transfer's effective date is its first day in B; the day before is still A.
    assert await units_listing(client, city, moved, "2026-05-31", unit_id=a) == {tree["street"]}
    assert await units_listing(client, city, moved, "2026-06-01", unit_id=b) == {b}
    assert await units_listing(client, city, moved, "2026-06-01", unit_id=a) == set()


async def test_a_caller_scoped_to_the_old_unit_sees_the_worker_for_the_past(client, tree, moved):
    hexi_hr = bearer(Role.UNIT_HR, unit_id=tree["hexi"])
    nankai_hr = bearer(Role.UNIT_HR, unit_id=tree["nankai"])
    assert await units_listing(client, hexi_hr, moved, "2026-05-01") == {tree["street"]}
    assert await units_listing(client, hexi_hr, moved, "2026-07-01") == set()
    assert await units_listing(client, nankai_hr, moved, "2026-05-01") == set()
    assert await units_listing(client, nankai_hr, moved, "2026-07-01") == {tree["nankai"]}


async def test_several_transfers_place_the_worker_by_each_date(client, tree, moved):
    await transfer(client, tree, moved, tree["building"], "2026-09-01")  # back to A, another unit
    city = bearer(Role.CITY_ADMIN, unit_id=tree["city"])
    everywhere = {"unit_id": tree["city"]}
    assert await units_listing(client, city, moved, "2026-05-01", **everywhere) == {tree["street"]}
    assert await units_listing(client, city, moved, "2026-08-31", **everywhere) == {tree["nankai"]}
    assert await units_listing(client, city, moved, "2026-09-01", **everywhere) == {
        tree["building"]
    }
