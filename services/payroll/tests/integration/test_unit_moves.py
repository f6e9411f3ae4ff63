"""A unit move reaches payroll's scoping: after the roster moves a township from one district to
another, the old district's payroll officer no longer sees its workers' bank accounts nor pays
them in the district's run, and the new district's officer does both."""

from __future__ import annotations

import pytest

from union_dev.testing.api import bearer
from union_dev.testing.events import unit_moved_event
from union_shared.auth import Role

from .conftest import deliver, draft, set_up_pay
from .test_payroll import ENTRY, hired

pytestmark = pytest.mark.db

HEXI_OFFICER = bearer(Role.PAYROLL_OFFICER, unit_id="hexi", sub="officer-hexi")
NANKAI_OFFICER = bearer(Role.PAYROLL_OFFICER, unit_id="nankai", sub="officer-nankai")


async def _probes(client, headers) -> dict[str, int]:
    answers = {
        "profile": await client.get("/workers/w-1/pay-profile", headers=headers),
        "payslips": await client.get("/workers/w-1/payslips", headers=headers),
        "funders": await client.get("/units/street/funders", headers=headers),
    }
    return {name: reply.status_code for name, reply in answers.items()}


async def test_a_moved_unit_is_paid_and_seen_by_its_new_district_only(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    allowed = dict.fromkeys(("profile", "payslips", "funders"), 200)
    refused = dict.fromkeys(allowed, 403)
    assert await _probes(client, HEXI_OFFICER) == allowed
    assert await _probes(client, NANKAI_OFFICER) == refused
    before = await draft(client, "2025-04", "hexi", headers=HEXI_OFFICER)
    assert before["payslip_count"] == 1
    discarded = await client.delete(f"/runs/{before['id']}", headers=HEXI_OFFICER)
    assert discarded.status_code == 204

    move = unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/")
    await deliver(client, move, move)

    assert await _probes(client, HEXI_OFFICER) == refused
    assert await _probes(client, NANKAI_OFFICER) == allowed
    account = (await client.get("/workers/w-1/pay-profile", headers=NANKAI_OFFICER)).json()
    assert "6222020200112341234" in str(account)
    hexi_run = await client.post(
        "/runs", json={"period": "2025-04", "unit_id": "hexi"}, headers=HEXI_OFFICER
    )
    assert hexi_run.status_code == 201, hexi_run.text
    assert (hexi_run.json()["payslip_count"], hexi_run.json()["problems"]) == (0, [])
    await client.delete(f"/runs/{hexi_run.json()['id']}", headers=HEXI_OFFICER)
    nankai_run = await draft(client, "2025-04", "nankai", headers=NANKAI_OFFICER)
    assert nankai_run["payslip_count"] == 1
    seen = await client.get(f"/runs/{nankai_run['id']}", headers=HEXI_OFFICER)
    assert seen.status_code == 403


async def test_a_run_of_the_moved_unit_moves_with_it(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run = await draft(client, "2025-04", "street", headers=HEXI_OFFICER)
    await deliver(client, unit_moved_event("street", "/city/hexi/street/", "/city/nankai/street/"))
    assert (await client.get(f"/runs/{run['id']}", headers=HEXI_OFFICER)).status_code == 403
    assert (await client.get(f"/runs/{run['id']}", headers=NANKAI_OFFICER)).status_code == 200
    listed = await client.get("/runs", headers=NANKAI_OFFICER)
    assert [r["id"] for r in listed.json()] == [run["id"]]
    assert (await client.get("/runs", headers=HEXI_OFFICER)).json() == []
