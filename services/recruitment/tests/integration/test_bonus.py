"""Bonus points over HTTP: claimed with the application, each reviewed (a refusal needs a
reason), the granted ones counted by the campaign's rule (largest only, to the cap), and
taking part in the shortlist."""

from __future__ import annotations

from datetime import timedelta

import pytest

from union_dev.testing.api import problem_fields

from .conftest import NOW
from .test_applications import applicant, form, number
from .test_campaigns import HEXI, STREET_HR, campaign, posting_body
from .test_stages import record

pytestmark = pytest.mark.db

BONUS = {"items": [
    {"code": "grassroots", "name": "服务基层项目满2年", "points": "5"},
    {"code": "veteran_third", "name": "退役军人三等功", "points": "3"},
], "combination": "highest_only", "cap": "5"}  # fmt: skip


async def test_granted_bonus_points_count_by_the_campaigns_rule_and_lift_the_shortlist(client):
    cid = (await campaign(client, rules={"bonus": BONUS}))["id"]
    # Quota 1 at 1:3: three places; four applicants.
    pid = (await client.post(f"/campaigns/{cid}/postings", json=posting_body(quota=1),
                             headers=HEXI)).json()["id"]  # fmt: skip
    await client.post(f"/campaigns/{cid}/announce", headers=HEXI)
    client.clock.at = NOW + timedelta(days=7, hours=1)
    url = f"/campaigns/{cid}/applications"
    unknown = {**form(pid, number("12010319940517009")), "bonus_claims": ["astronaut"]}
    refused = await client.post(url, json=unknown, headers=applicant("x"))
    assert refused.status_code == 422 and "body.bonus_claims.0" in problem_fields(refused)
    ids = {}
    for i, (name, claims) in enumerate(
        [("A", []), ("B", []), ("C", []), ("D", ["grassroots", "veteran_third"])], start=1
    ):
        body = {**form(pid, number(f"12010319940517{i:03d}")), "name": name,
                "bonus_claims": claims}  # fmt: skip
        reply = await client.post(url, json=body, headers=applicant(name))
        assert reply.status_code == 201, reply.text
        ids[name] = reply.json()["id"]
        await client.post(f"/applications/{ids[name]}/review", json={"decision": "qualified"},
                          headers=STREET_HR)  # fmt: skip
    assert [(c["code"], c["review"]) for c in reply.json()["bonus_claims"]] == [
        ("grassroots", "pending"), ("veteran_third", "pending")
    ]  # fmt: skip
    review = f"/applications/{ids['D']}/bonus-claims"
    bare = await client.post(f"{review}/grassroots/review", json={"granted": False},
                             headers=STREET_HR)  # fmt: skip
    assert bare.status_code == 422 and "body.reason" in problem_fields(bare)
    one = await client.post(f"{review}/veteran_third/review", json={"granted": True},
                            headers=STREET_HR)  # fmt: skip
    assert one.json()["bonus_points"] == "3.00"
    both = await client.post(f"{review}/grassroots/review", json={"granted": True},
                             headers=STREET_HR)  # fmt: skip
    assert both.json()["bonus_points"] == "5.00"  # the largest only, not 3 + 5
    assert both.json()["timeline"][-1]["kind"] == "bonus_reviewed"
    # Written: A 80, B 78, C 76, D 72 + 5 = 77: D takes the third place from C.
    for name, written in (("A", "80"), ("B", "78"), ("C", "76"), ("D", "72")):
        await record(client, ids[name], "written", written)
    client.clock.at = NOW + timedelta(days=30)
    drawn = (await client.post(f"/postings/{pid}/shortlist", headers=HEXI)).json()
    assert drawn["cut_line"] == "77.00"
    assert {n: drawn["moved"][ids[n]] for n in ids} == {
        "A": "shortlisted", "B": "shortlisted", "C": "not_shortlisted", "D": "shortlisted"
    }  # fmt: skip
    late = await client.post(f"{review}/grassroots/review", json={"granted": True},
                             headers=STREET_HR)  # fmt: skip
    assert late.status_code == 409
