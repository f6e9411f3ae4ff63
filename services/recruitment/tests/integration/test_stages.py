"""The stages over HTTP, on the README's worked shortlist: eight applicants reviewed, seven
shortlisted (two tied at the cut), ranked by composite with a tie broken by the written score,
two sent to the checks, a failure and a withdrawal each replaced by the next ranked.

Scores are stored as the score import stores them (rows of `scores`), since this test is about
what the stages do with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from recruitment.models import Score
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import NOW
from .test_applications import applicant, form, number, open_campaign
from .test_campaigns import HEXI, NANKAI, STREET_HR

pytestmark = pytest.mark.db

# (name, written, interview): the README's shortlist table, and interview scores. Composite at
# 50/50: R007 87.00, R002 84.25, R006 82.25, R004 75.50, R005 75.50 (R004's written 81.00
# beats R005's 74.00), R001 75.00, R008 67.25 (interview 58, below the pass mark 60); R003
# (70.50) is not shortlisted.
POOL = [
    ("R001", "74.00", "76"), ("R002", "88.50", "80"), ("R003", "70.50", None),
    ("R004", "81.00", "70"), ("R005", "74.00", "77"), ("R006", "79.50", "85"),
    ("R007", "84.00", "90"), ("R008", "76.50", "58"),
]  # fmt: skip


async def record(client, application_id: str, kind: str, value=None, passed=None, reason=None):
    async with client.app.state.sessions() as session, session.begin():
        await session.merge(
            Score(
                application_id=application_id, kind=kind,
                value=None if value is None else Decimal(value), passed=passed, reason=reason,
                scorer="test", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip


async def statuses(client, cid: str) -> dict[str, str]:
    rows = (await client.get(f"/campaigns/{cid}/applications", headers=HEXI)).json()
    return {row["name"]: row["status"] for row in rows}


async def test_a_posting_goes_from_review_to_the_proposed_hires(client):
    cid, pid = await open_campaign(client)
    ids = {}
    for i, (name, _, _) in enumerate(POOL, start=1):
        body = {**form(pid, number(f"12010319940517{i:03d}")), "name": name}
        reply = await client.post(
            f"/campaigns/{cid}/applications", json=body, headers=applicant(name)
        )
        assert reply.status_code == 201, reply.text
        ids[name] = reply.json()["id"]
    # Review: a disqualification needs a reason; the others qualify.
    bare = await client.post(f"/applications/{ids['R003']}/review",
                             json={"decision": "disqualified"}, headers=STREET_HR)  # fmt: skip
    assert bare.status_code == 422 and "body.reason" in problem_fields(bare)
    outside = bearer(Role.UNIT_HR, unit_id="nankai")
    assert (await client.post(f"/applications/{ids['R001']}/review",
                              json={"decision": "qualified"}, headers=outside)).status_code == 403  # fmt: skip
    for name in ids:
        reply = await client.post(f"/applications/{ids[name]}/review",
                                  json={"decision": "qualified"}, headers=STREET_HR)  # fmt: skip
        assert reply.status_code == 200, reply.text
    for name, written, _ in POOL:
        await record(client, ids[name], "written", written)

    shortlist = f"/postings/{pid}/shortlist"
    assert (await client.post(shortlist, headers=HEXI)).status_code == 409  # window still open
    client.clock.at = NOW + timedelta(days=30)
    assert (await client.post(shortlist, headers=NANKAI)).status_code == 403
    drawn = await client.post(shortlist, headers=HEXI)
    assert drawn.status_code == 200, drawn.text
    assert drawn.json()["cut_line"] == "74.00"
    now = await statuses(client, cid)
    assert [n for n, s in sorted(now.items()) if s == "shortlisted"] == [
        "R001", "R002", "R004", "R005", "R006", "R007", "R008"
    ]  # fmt: skip
    assert now["R003"] == "not_shortlisted"

    for name, _, interview in POOL:
        if interview is not None:
            await record(client, ids[name], "interview", interview)
    ranked = await client.post(f"/postings/{pid}/ranking", headers=HEXI)
    assert ranked.status_code == 200, ranked.text
    rows = (await client.get(f"/campaigns/{cid}/applications", params={"status": "ranked"},
                             headers=HEXI)).json()  # fmt: skip
    order = sorted(rows, key=lambda r: r["rank"])
    assert [(r["name"], r["composite"], r["rank"]) for r in order] == [
        ("R007", "87.00", 1), ("R002", "84.25", 2), ("R006", "82.25", 3), ("R004", "75.50", 4),
        ("R005", "75.50", 5), ("R001", "75.00", 6), ("R008", "67.25", 7),
    ]  # fmt: skip

    checks = await client.post(f"/postings/{pid}/checks", headers=HEXI)
    assert checks.status_code == 200, checks.text
    assert sorted(checks.json()["moved"]) == sorted([ids["R007"], ids["R002"]])
    await record(client, ids["R007"], "medical", passed=False, reason="体检不合格")
    for name in ("R007", "R002"):
        await record(client, ids[name], "background", passed=True)
    await record(client, ids["R002"], "medical", passed=True)
    settled = await client.post(f"/postings/{pid}/checks/settle", headers=HEXI)
    assert settled.status_code == 200, settled.text
    now = await statuses(client, cid)
    assert (now["R007"], now["R002"], now["R006"]) == ("check_failed", "proposed", "in_check")
    steps = (await client.get(f"/applications/{ids['R006']}", headers=HEXI)).json()["timeline"]
    assert steps[-1]["kind"] == "replacement" and ids["R007"] in steps[-1]["reason"]

    # The proposed R002 withdraws: the place goes on down the ranking, to R004 (rank 4).
    gone = await client.post(f"/applications/{ids['R002']}/withdraw",
                             json={"reason": "已接受其他录用"}, headers=applicant("R002"))  # fmt: skip
    assert gone.status_code == 200, gone.text
    now = await statuses(client, cid)
    assert (now["R002"], now["R004"]) == ("withdrawn", "in_check")
    assert (await client.post(f"/postings/{pid}/ranking", headers=HEXI)).status_code == 409


async def test_a_tie_across_the_last_check_place_waits_for_a_run_off(client):
    cid, pid = await open_campaign(client)
    ids = {}
    # Quota 2: the 2nd and 3rd tie on composite (80.00) and written (80.00).
    for i, (name, written, interview) in enumerate(
        [("A", "90", "90"), ("B", "80", "80"), ("C", "80", "80")], start=1
    ):
        body = {**form(pid, number(f"12010319940517{i:03d}")), "name": name}
        ids[name] = (await client.post(f"/campaigns/{cid}/applications", json=body,
                                       headers=applicant(name))).json()["id"]  # fmt: skip
        await client.post(f"/applications/{ids[name]}/review", json={"decision": "qualified"},
                          headers=HEXI)  # fmt: skip
        await record(client, ids[name], "written", written)
        await record(client, ids[name], "interview", interview)
    client.clock.at = NOW + timedelta(days=30)
    assert (await client.post(f"/postings/{pid}/shortlist", headers=HEXI)).status_code == 200
    assert (await client.post(f"/postings/{pid}/ranking", headers=HEXI)).status_code == 200
    tied = await client.post(f"/postings/{pid}/checks", headers=HEXI)
    assert tied.status_code == 409 and tied.json()["type"] == "/problems/run-off-needed"
    await record(client, ids["B"], "run_off", "70")
    await record(client, ids["C"], "run_off", "75")
    assert (await client.post(f"/postings/{pid}/ranking", headers=HEXI)).status_code == 200
    checks = await client.post(f"/postings/{pid}/checks", headers=HEXI)
    assert checks.status_code == 200, checks.text
    assert sorted(checks.json()["moved"]) == sorted([ids["A"], ids["C"]])
