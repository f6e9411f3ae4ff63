"""The dashboard and the stage exports over HTTP: counts per posting and status, the opening
ratio flag, and .xlsx lists with identifiers whole or masked by role."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from union_dev.testing.api import bearer
from union_shared.auth import Role

from .test_applications import applicant, form, number, open_campaign
from .test_campaigns import HEXI, NANKAI

pytestmark = pytest.mark.db

AUDITOR = bearer(Role.AUDITOR, unit_id="hexi")


def sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


async def three_applicants(client) -> tuple[str, list[str]]:
    cid, pid = await open_campaign(client, {"min_education": "bachelor"})
    ids = []
    for i, education in enumerate(("bachelor", "master", "below_bachelor"), start=1):
        body = {**form(pid, number(f"12010319940517{i:03d}")), "education": education}
        reply = await client.post(f"/campaigns/{cid}/applications", json=body,
                                  headers=applicant(f"a{i}"))  # fmt: skip
        ids.append(reply.json()["id"])
    return cid, ids


async def test_the_dashboard_counts_each_posting_and_flags_the_opening_ratio(client):
    cid, ids = await three_applicants(client)
    await client.post(f"/applications/{ids[0]}/withdraw", headers=applicant("a1"))
    board = await client.get(f"/campaigns/{cid}/dashboard", headers=HEXI)
    assert board.status_code == 200, board.text
    (posting,) = board.json()["postings"]
    # Two applicants left for a quota of 2: 1.00 a place, short of the 3 a place (6) needed.
    assert (posting["applicants"], posting["applicants_per_place"], posting["opens"]) == (
        2,
        "1.00",
        False,
    )
    assert posting["by_status"] == {"withdrawn": 1, "eligible": 1, "ineligible": 1}
    assert "needs 3:1, that is 6" in posting["opening"]
    assert (await client.get(f"/campaigns/{cid}/dashboard", headers=NANKAI)).status_code == 403


async def test_a_stage_list_is_an_xlsx_with_identifiers_by_role(client):
    cid, ids = await three_applicants(client)
    url = f"/campaigns/{cid}/exports/applications.xlsx"
    whole = await client.get(url, headers=HEXI)
    assert whole.status_code == 200, whole.text
    assert whole.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = sheet(whole.content)
    assert rows[0][0] == "Application 报名序号"
    assert sorted(r[0] for r in rows[1:]) == sorted(ids)
    assert {r[3] for r in rows[1:]} == {number(f"12010319940517{i:03d}") for i in (1, 2, 3)}
    masked = await client.get(url, headers=AUDITOR)
    rows = sheet(masked.content)
    assert all(r[3].startswith("120103**********") and r[4].startswith("138****") for r in rows[1:])
    unknown = await client.get(f"/campaigns/{cid}/exports/everything.xlsx", headers=HEXI)
    assert unknown.status_code == 422
