"""Score imports over HTTP: all or nothing (one bad row stores nothing and is named), a dry run
that reports and writes nothing, exact decimals, .xlsx and .csv, a file that is no spreadsheet
refused before it is read, and a scorer who declared a relation to an applicant (回避) refused
for that applicant."""

from __future__ import annotations

import csv
import io

import pytest
import xlsxwriter
from sqlalchemy import select, update

from recruitment.models import Application, Score
from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .test_applications import OLDER, YOUNG, applicant, form, open_campaign
from .test_campaigns import CITY, HEXI, NANKAI, STREET_HR

pytestmark = pytest.mark.db


def csv_file(*rows: list) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_file(*rows: list) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


async def two_qualified(client) -> tuple[str, str, str]:
    """A campaign with two applications at status qualified. The qualification review has its
    own endpoint (recruitment.stages); this test is about imports, so it sets the status
    directly through the app's session."""
    cid, pid = await open_campaign(client)
    url = f"/campaigns/{cid}/applications"
    ids = []
    for sub, person in (("app-a", YOUNG), ("app-b", OLDER)):
        reply = await client.post(url, json=form(pid, person), headers=applicant(sub))
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["id"])
    await set_status(client, ids, "qualified")
    return cid, ids[0], ids[1]


async def set_status(client, ids: list[str], status: str) -> None:
    async with client.app.state.sessions() as session, session.begin():
        await session.execute(
            update(Application).where(Application.id.in_(ids)).values(status=status)
        )


async def stored(client, kind: str = "written") -> dict[str, tuple]:
    async with client.app.state.sessions() as session:
        rows = (await session.scalars(select(Score).where(Score.kind == kind))).all()
        return {r.application_id: (str(r.value), r.scorer, r.import_id) for r in rows}


async def upload(client, cid, content, *, kind="written", name="scores.csv", dry_run=False,
                 headers=HEXI):  # fmt: skip
    return await client.post(
        f"/campaigns/{cid}/scores/import",
        params={"kind": kind, "dry_run": str(dry_run).lower()},
        files={"file": (name, content, "application/octet-stream")},
        headers=headers,
    )


async def test_a_dry_run_reports_and_a_stored_import_keeps_exact_decimals(client):
    cid, a, b = await two_qualified(client)
    content = csv_file(["报名序号", "成绩", "评分人"], [a, "85.50", "marker-1"], [b, "72.25", ""])
    dry = await upload(client, cid, content, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()["import_id"] is None and dry.json()["counts"] == {
        "new": 2, "changed": 0, "unchanged": 0,
    }  # fmt: skip
    assert await stored(client) == {}
    done = await upload(client, cid, content)
    assert done.status_code == 200, done.text
    report = done.json()
    assert [(r["row"], r["application_id"], r["old"], r["new"], r["outcome"])
            for r in report["rows"]] == [(2, a, None, "85.50", "new"),
                                         (3, b, None, "72.25", "new")]  # fmt: skip
    first = report["import_id"]
    # The uploader scores the row that names no scorer (HEXI's token subject).
    assert await stored(client) == {
        a: ("85.50", "marker-1", first),
        b: ("72.25", "admin-li", first),
    }
    # A correction: one row changed, one the same; the unchanged one keeps its import.
    again = await upload(client, cid, csv_file(["application_id", "score"], [a, "85.5"], [b, 80]))
    assert [(r["old"], r["new"], r["outcome"]) for r in again.json()["rows"]] == [
        ("85.50", "85.50", "unchanged"), ("72.25", "80.00", "changed"),
    ]  # fmt: skip
    now = await stored(client)
    assert now[a][2] == first and now[b] == ("80.00", "admin-li", again.json()["import_id"])


async def test_one_bad_row_stores_nothing_and_every_problem_is_named(client):
    cid, a, b = await two_qualified(client)
    content = csv_file(
        ["application_id", "score"],
        [a, "85.50"],  # row 2: fine
        [b, "100.5"],  # row 3: above the rules' max_score of 100
        [a, "70"],  # row 4: a second row for a
        ["no-such-id", "60"],  # row 5
        [b, "66.125"],  # row 6: three decimals (and b's second row: it is named once per cell)
    )
    reply = await upload(client, cid, content)
    assert reply.status_code == 422, reply.text
    fields = problem_fields(reply)
    assert set(fields) == {"file.row.3.score", "file.row.4.application_id",
                           "file.row.5.application_id", "file.row.6.score"}  # fmt: skip
    assert "outside 0 to 100" in fields["file.row.3.score"]
    assert "first: row 2" in fields["file.row.4.application_id"]
    assert "no application no-such-id" in fields["file.row.5.application_id"]
    assert "more than two decimal places" in fields["file.row.6.score"]
    assert "nothing was imported" in reply.json()["detail"]
    assert await stored(client) == {}


async def test_an_xlsx_file_and_the_stage_and_withdrawal_checks(client):
    cid, a, b = await two_qualified(client)
    await set_status(client, [b], "withdrawn")
    content = xlsx_file(["报名序号", "成绩"], [a, 88.5], [b, 70])
    refused = await upload(client, cid, content, name="笔试成绩.xlsx")
    assert refused.status_code == 422
    assert problem_fields(refused) == {"file.row.3.application_id": "the applicant has withdrawn"}
    interview = await upload(client, cid, xlsx_file(["报名序号", "成绩"], [a, 90]),
                             kind="interview", name="x.xlsx")  # fmt: skip
    assert (
        "interview results are for ranked, shortlisted"
        in problem_fields(interview)["file.row.2.application_id"]
    )
    good = await upload(client, cid, xlsx_file(["报名序号", "成绩"], [a, 88.5]), name="x.xlsx")
    assert good.status_code == 200, good.text
    assert (await stored(client))[a][0] == "88.50"


async def test_checks_take_a_result_and_a_fail_needs_its_reason(client):
    cid, a, b = await two_qualified(client)
    await set_status(client, [a, b], "in_check")
    bare = csv_file(["application_id", "结论", "原因"], [a, "合格", ""], [b, "不合格", ""])
    reply = await upload(client, cid, bare, kind="medical")
    assert problem_fields(reply) == {"file.row.3.reason": "required for a fail (不合格): say why"}
    fine = csv_file(["application_id", "结论", "原因"], [a, "合格", ""], [b, "不合格", "血压"])
    done = await upload(client, cid, fine, kind="medical")
    assert done.status_code == 200, done.text
    assert [(r["new"], r["reason"]) for r in done.json()["rows"]] == [("pass", None),
                                                                       ("fail", "血压")]  # fmt: skip


async def test_a_file_that_is_no_spreadsheet_is_refused_before_it_is_read(client):
    cid, _, _ = await two_qualified(client)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    reply = await upload(client, cid, png, name="scores.xlsx")
    assert reply.status_code == 422
    assert "not an Excel workbook" in problem_fields(reply)["file"]
    header = await upload(client, cid, csv_file(["name", "score"], ["x", "1"]))
    assert (
        "missing required column(s): application_id (报名序号)"
        in problem_fields(header)["file.header"]
    )
    assert await stored(client) == {}


async def test_a_scorer_who_declared_a_relation_is_refused_for_that_applicant(client):
    cid, a, b = await two_qualified(client)
    url = f"/campaigns/{cid}/relations"
    # A street HR declares their own relation; HEXI, running the campaign, one for a marker.
    own = await client.post(url, json={"resident_id": YOUNG, "kind": "spouse"}, headers=STREET_HR)
    assert own.status_code == 201, own.text
    assert (own.json()["scorer_subject"], own.json()["application_id"]) == ("test-unit_hr", None)
    body = {"resident_id": OLDER, "kind": "collateral_within_three_generations",
            "scorer_subject": "marker-2"}  # fmt: skip
    assert (await client.post(url, json=body, headers=HEXI)).status_code == 201
    assert (await client.post(url, json=body, headers=STREET_HR)).status_code == 403
    assert (await client.post(url, json=body, headers=HEXI)).status_code == 409
    bad = await client.post(url, json={"resident_id": YOUNG[:17] + "0", "kind": "spouse"},
                            headers=STREET_HR)  # fmt: skip
    assert bad.status_code == 422 and "body.resident_id" in problem_fields(bad)
    listed = await client.get(url, headers=HEXI)
    assert [(r["scorer_subject"], r["kind"], r["application_id"]) for r in listed.json()] == [
        ("test-unit_hr", "spouse", a), ("marker-2", "collateral_within_three_generations", b),
    ]  # fmt: skip
    assert (await client.get(url, headers=STREET_HR)).status_code == 403
    content = csv_file(["报名序号", "成绩", "评分人"], [a, "80", "marker-2"], [b, "75", "marker-2"])
    reply = await upload(client, cid, content)
    assert reply.status_code == 422
    assert list(problem_fields(reply)) == ["file.row.3.scorer"]
    assert "recusal (回避)" in problem_fields(reply)["file.row.3.scorer"]
    assert await stored(client) == {}


async def test_a_caller_outside_the_campaign_is_refused(client):
    cid, a, _ = await two_qualified(client)
    content = csv_file(["application_id", "score"], [a, "80"])
    assert (await upload(client, cid, content, headers=NANKAI)).status_code == 403
    assert (await upload(client, cid, content, headers=STREET_HR)).status_code == 403
    auditor = bearer(Role.AUDITOR, unit_id="nankai")
    url = f"/campaigns/{cid}/relations"
    declared = await client.post(url, json={"resident_id": YOUNG, "kind": "spouse"},
                                 headers=auditor)  # fmt: skip
    assert declared.status_code == 403
    assert (await upload(client, cid, content, headers=CITY)).status_code == 200
