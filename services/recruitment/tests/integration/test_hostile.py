"""What a hostile or careless caller can do, each a test that failed before its fix: birth dates
beside masked resident IDs, resident IDs echoed in errors, control characters smuggled into a
workbook, stages drawn on a posting that was cut, and requests that took their locks in
opposite orders and so deadlocked (a 500 for one of them)."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import select, text

from recruitment.models import Application, Campaign, Score
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import NOW
from .test_applications import OLDER, applicant, form, number, open_campaign
from .test_campaigns import HEXI, STREET_HR, campaign, posting_body
from .test_scores import csv_file, two_qualified, upload, xlsx_file
from .test_stages import record

pytestmark = pytest.mark.db

AUDITOR = bearer(Role.AUDITOR, unit_id="hexi")


# --- identifiers ----------------------------------------------------------------------------


async def test_a_failed_age_rule_does_not_show_the_birth_date_beside_a_masked_id(client):
    # OLDER is born 1985-11-02: 40 on 2026-03-09, over the posting's 35. The auditor and the
    # applicant see the ID masked and the birth year; the screen's sentence must not add the
    # month and day back.
    cid, pid = await open_campaign(client, {"max_age": 35, "age_as_of": "2026-03-09"})
    me = applicant("app-li")
    reply = await client.post(f"/campaigns/{cid}/applications", json=form(pid, OLDER),
                              headers=me)  # fmt: skip
    assert reply.status_code == 201, reply.text
    assert [f["rule"] for f in reply.json()["screening"]] == ["age"]
    url = f"/applications/{reply.json()['id']}"
    for headers in (me, AUDITOR):
        seen = await client.get(url, headers=headers)
        assert seen.json()["birth_date"] is None
        assert "1985-11-02" not in seen.text and "19851102" not in seen.text
        assert "is 40 on that day" in seen.json()["screening"][0]["message"]
    whole = await client.get(url, headers=STREET_HR)
    assert whole.json()["birth_date"] == "1985-11-02"


@pytest.mark.parametrize(
    "first17",
    ["12010319900231013", "12010320990101013"],  # 31 February; born in 2099
)
async def test_an_invalid_resident_id_is_refused_without_echoing_its_digits(client, first17):
    cid, pid = await open_campaign(client)
    bad = number(first17)
    reply = await client.post(f"/campaigns/{cid}/applications", json=form(pid, bad),
                              headers=applicant("app-x"))  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert [e["field"] for e in reply.json()["errors"]] == ["body.resident_id"]
    assert first17[6:14] not in reply.text and bad not in reply.text
    # The wrong check character: not told which one is right.
    wrong = first17[:6] + "19900101013" + ("0" if number("12010319900101013")[-1] != "0" else "1")
    reply = await client.post(f"/campaigns/{cid}/relations",
                              json={"resident_id": wrong, "kind": "spouse"}, headers=HEXI)  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert "expected" not in reply.text and "19900101" not in reply.text


async def test_an_import_row_naming_a_resident_id_is_refused_with_the_id_masked(client):
    cid, a, _ = await two_qualified(client)
    # An office exported its list with the resident ID where the application number belongs.
    content = csv_file(["报名序号", "成绩"], [a, "80"], [OLDER, "70"], ["x", f"{OLDER}分"])
    reply = await upload(client, cid, content)
    assert reply.status_code == 422, reply.text
    assert OLDER not in reply.text
    assert OLDER[:6] + "*" * 10 + OLDER[-2:] in reply.text


async def test_a_name_that_looks_like_a_formula_is_exported_as_text(client):
    cid, pid = await open_campaign(client)
    formula = "=cmd|' /C calc'!A0"
    reply = await client.post(f"/campaigns/{cid}/applications", json=form(pid, name=formula),
                              headers=applicant("app-f"))  # fmt: skip
    assert reply.status_code == 201, reply.text
    export = await client.get(f"/campaigns/{cid}/exports/applications.xlsx", headers=HEXI)
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no cell holds a formula
    assert escape(formula, quote=False) in sheet  # the name, as an inline string


async def test_a_notice_day_given_as_a_number_is_refused_not_read_as_a_timestamp(client):
    # Pydantic reads 1789948800 as 2026-09-21 (seconds since 1970, midnight UTC): a notice
    # would be timed from a day nobody typed. The offer's start date is read the same way.
    cid = (await campaign(client))["id"]
    reply = await client.post(f"/campaigns/{cid}/notices", json={"starts_on": 1789948800},
                              headers=HEXI)  # fmt: skip
    assert reply.status_code == 422, reply.text
    assert [e["field"] for e in reply.json()["errors"]] == ["body.starts_on"]


# --- control characters in a workbook ---------------------------------------------------------


async def test_a_nul_in_a_workbook_cell_is_a_named_422_and_nothing_is_stored(client):
    # xlsxwriter writes "\x00" as _x0000_, which the reader turns back into a NUL: PostgreSQL
    # refuses it in text, which was a 500.
    cid, a, b = await two_qualified(client)
    content = xlsx_file(["application_id", "score", "scorer"], [a, 80, "marker\x00"],
                        [b + "\x00", 70, ""])  # fmt: skip
    reply = await upload(client, cid, content, name="scores.xlsx")
    assert reply.status_code == 422, reply.text
    assert sorted(e["field"] for e in reply.json()["errors"]) == [
        "file.row.2.scorer",
        "file.row.3.application_id",
    ]
    async with client.app.state.sessions() as session:
        assert (await session.scalars(select(Score))).all() == []


# --- a cut posting ---------------------------------------------------------------------------


async def test_no_stage_is_drawn_on_a_posting_that_was_cut(client):
    cid, pid = await open_campaign(client)
    reply = await client.post(f"/campaigns/{cid}/applications", json=form(pid),
                              headers=applicant("app-a"))  # fmt: skip
    aid = reply.json()["id"]
    review = await client.post(f"/applications/{aid}/review", json={"decision": "qualified"},
                               headers=HEXI)  # fmt: skip
    assert review.status_code == 200, review.text
    await record(client, aid, "written", "80")
    cut = await client.post(f"/postings/{pid}/cut",
                            json={"reason": "one applicant for two places"}, headers=HEXI)  # fmt: skip
    assert cut.status_code == 200, cut.text
    client.clock.at = NOW + timedelta(days=30)
    for step in ("shortlist", "ranking", "checks", "checks/settle"):
        refused = await client.post(f"/postings/{pid}/{step}", headers=HEXI)
        assert refused.status_code == 409, (step, refused.text)
    again = await client.post(f"/applications/{aid}/review",
                              json={"decision": "disqualified", "reason": "the posting is cut"},
                              headers=HEXI)  # fmt: skip
    assert again.status_code == 409, again.text
    async with client.app.state.sessions() as session:
        assert (await session.get(Application, aid)).status == "qualified"
    scores = await upload(client, cid, csv_file(["报名序号", "成绩"], [aid, "85"]))
    assert scores.status_code == 422, scores.text
    assert "cut from the campaign" in scores.text


# --- lock order -------------------------------------------------------------------------------


async def in_checks(client) -> tuple[str, str, dict[str, str]]:
    """A posting of quota 2 with 甲 and 乙 in the checks and 丙, 丁 ranked below them (composites
    90, 85, 80, 75): the campaign id, the posting id and the application ids by name."""
    cid = (await campaign(client))["id"]
    posting = await client.post(
        f"/campaigns/{cid}/postings", json=posting_body(quota=2), headers=HEXI
    )
    pid = posting.json()["id"]
    assert (await client.post(f"/campaigns/{cid}/announce", headers=HEXI)).status_code == 200
    client.clock.at = NOW + timedelta(days=7, hours=1)
    ids = {}
    for i, (name, score) in enumerate((("甲", "90"), ("乙", "85"), ("丙", "80"), ("丁", "75"))):
        body = {**form(pid, number(f"12010319940517{i + 1:03d}")), "name": name}
        reply = await client.post(f"/campaigns/{cid}/applications", json=body,
                                  headers=applicant(name))  # fmt: skip
        ids[name] = reply.json()["id"]
        review = await client.post(f"/applications/{ids[name]}/review",
                                   json={"decision": "qualified"}, headers=HEXI)  # fmt: skip
        assert review.status_code == 200, review.text
        await record(client, ids[name], "written", score)
        await record(client, ids[name], "interview", score)
    client.clock.at = NOW + timedelta(days=30)
    for step in ("shortlist", "ranking", "checks"):
        reply = await client.post(f"/postings/{pid}/{step}", headers=HEXI)
        assert reply.status_code == 200, reply.text
    return cid, pid, ids


async def waiting_for_locks(client, count: int) -> None:
    """Until `count` backends of this database wait for a lock (each request's own session)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    for _ in range(200):
        async with client.app.state.sessions() as session:
            if await session.scalar(query) >= count:
                return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} request(s) never waited for a lock")


async def test_a_withdrawal_racing_the_settling_of_the_checks_does_not_deadlock(client):
    if client.app.state.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    cid, pid, ids = await in_checks(client)
    await record(client, ids["甲"], "medical", passed=True)
    await record(client, ids["甲"], "background", passed=True)
    # The campaign row held here makes the order deterministic: the settling takes the posting
    # and waits for the campaign; the withdrawal takes its application and waits for the posting.
    async with client.app.state.sessions() as blocker, blocker.begin():
        await blocker.execute(select(Campaign).where(Campaign.id == cid).with_for_update())
        settle = asyncio.create_task(client.post(f"/postings/{pid}/checks/settle", headers=HEXI))
        await waiting_for_locks(client, 1)
        withdraw = asyncio.create_task(
            client.post(f"/applications/{ids['乙']}/withdraw", headers=applicant("乙"))
        )
        await asyncio.sleep(0.3)
    settled, withdrawn = await settle, await withdraw
    assert (settled.status_code, withdrawn.status_code) == (200, 200), (
        settled.text,
        withdrawn.text,
    )
    rows = (await client.get(f"/campaigns/{cid}/applications", headers=HEXI)).json()
    # 甲 passed both checks; 乙's place went to 丙, the next ranked.
    assert {r["name"]: r["status"] for r in rows} == {
        "甲": "proposed", "乙": "withdrawn", "丙": "in_check", "丁": "ranked",
    }  # fmt: skip


async def test_a_name_of_spaces_alone_is_refused(client):
    cid, pid = await open_campaign(client)
    body = {**form(pid), "name": "   "}
    reply = await client.post(f"/campaigns/{cid}/applications", json=body, headers=applicant("s"))
    assert reply.status_code == 422 and "body.name" in problem_fields(reply)
    padded = {**form(pid), "name": "  王小明  "}
    kept = await client.post(f"/campaigns/{cid}/applications", json=padded, headers=applicant("s"))
    assert kept.status_code == 201 and kept.json()["name"] == "王小明"
