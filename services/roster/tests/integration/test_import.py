"""Bulk import through HTTP: all or nothing, every problem reported by spreadsheet row and column."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import pytest
from openpyxl import Workbook

from roster.imports import endpoints as import_endpoints
from roster.imports import parsing
from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role

from .conftest import onboard, resident_id, worker_row

pytestmark = pytest.mark.db

COLUMNS = [
    "name",
    "resident_id",
    "phone",
    "education",
    "major",
    "qualification",
    "unit_id",
    "hire_date",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[dict], columns: list[str] = COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for r in rows:
        sheet.append([r.get(c) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: list[dict], header: list[str], columns: list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([r.get(c, "") for c in columns] for r in rows)
    return "\ufeff".encode() + out.getvalue().encode()


async def upload(client, content: bytes, headers: dict, name="staff.xlsx", **params):
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return await client.post(
        "/workers/import", files={"file": (name, content, kind)}, params=params, headers=headers
    )


async def listed(client, headers) -> list[dict]:
    reply = await client.get("/workers", headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


def errors(reply) -> list[tuple[str, str]]:
    assert reply.headers["content-type"] == "application/problem+json", reply.text
    return [(e["field"], e["reason"]) for e in reply.json()["errors"]]


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20260301)


async def test_a_good_xlsx_goes_on_the_register(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    rows = [worker_row(tree["street"], rng=rng), worker_row(tree["building"], rng=rng)]
    rows.append(worker_row(tree["building"], rng=rng, hire_date=date(2023, 9, 1)))  # Excel date

    reply = await upload(client, xlsx(rows), hr)

    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["imported"] == 3
    workers = await listed(client, hr)
    assert [w["id"] for w in workers] == body["worker_ids"]
    assert [w["resident_id"] for w in workers] == [r["resident_id"] for r in rows]
    assert {w["origin"] for w in workers} == {"import"}
    assert workers[2]["hire_date"] == "2023-09-01"
    events = await outbox_events(client, "WorkerOnboarded")
    assert [e["subject"] for e in events] == body["worker_ids"]
    assert {e["data"]["origin"] for e in events} == {"import"}


async def test_a_good_csv_with_chinese_headers_and_values(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["hexi"])
    header = [
        "姓名",
        "身份证号",
        "手机号",
        "学历",
        "专业",
        "资格",
        "单位编号",
        "入职日期",
        "工龄起算日",
    ]
    rows = [
        worker_row(tree["hexi"], rng=rng, education="硕士", qualification="无"),
        worker_row(
            tree["building"],
            rng=rng,
            education="大专及以下",
            qualification="高级社会工作师",
            hire_date="2024年3月1日",
            seniority_start="2015/9/1",
        ),
    ]
    content = csv_file(rows, header, [*COLUMNS, "seniority_start"])

    reply = await upload(client, content, hr, name="花名册.csv")

    assert reply.status_code == 201, reply.text
    workers = await listed(client, hr)
    assert [(w["education"], w["qualification"]) for w in workers] == [
        ("master", "none"),
        ("below_bachelor", "senior_social_worker"),
    ]
    assert [w["seniority_start"] for w in workers] == ["2024-03-01", "2015-09-01"]
    assert len(await outbox_events(client, "WorkerOnboarded")) == 2


async def test_a_file_with_broken_rows_writes_nothing_and_reports_every_problem(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["hexi"])
    registered = worker_row(tree["street"], rng=rng)
    await onboard(client, [registered])
    before = await listed(client, hr)
    twin = resident_id(date(1991, 2, 3), rng=rng)
    good = worker_row(tree["street"], rng=rng)
    bad_check = good["resident_id"][:17] + ("0" if good["resident_id"][17] != "0" else "1")
    rows = [
        good,  # row 2
        worker_row(tree["street"], rng=rng, resident_id=bad_check),  # row 3
        worker_row(tree["street"], rng=rng, resident_id=twin),  # row 4
        worker_row(tree["building"], rng=rng, resident_id=twin),  # row 5
        worker_row("no-such-unit", rng=rng),  # row 6
        worker_row(tree["street"], rng=rng, resident_id=registered["resident_id"]),  # row 7
        worker_row(tree["street"], rng=rng, hire_date="2024-02-30"),  # row 8
        # row 9: a bad cell does not hide the row's other problems
        worker_row(tree["street"], rng=rng, resident_id=twin, hire_date="someday", name=""),
    ]

    reply = await upload(client, xlsx(rows), hr)

    assert reply.status_code == 422
    assert "6 of 8 rows have problems" in reply.json()["detail"]
    assert "nothing was imported" in reply.json()["detail"]
    assert errors(reply) == [
        (
            "row 3.resident_id",
            f"check character is {bad_check[17]}, expected {good['resident_id'][17]}",
        ),
        ("row 5.resident_id", "same person as row 4"),
        ("row 6.unit_id", "no unit no-such-unit"),
        ("row 7.resident_id", "this person is already on the register"),
        ("row 8.hire_date", "'2024-02-30' is not a calendar date"),
        ("row 9.name", "required"),
        ("row 9.resident_id", "same person as row 4"),
        ("row 9.hire_date", errors(reply)[-1][1]),
    ]
    assert "'someday' is not a date" in errors(reply)[-1][1]
    assert await listed(client, hr) == before
    assert len(await outbox_events(client, "WorkerOnboarded")) == 1  # the one registered above


async def test_dry_run_checks_and_writes_nothing(client, tree, rng):
    hr = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    rows = [worker_row(tree["street"], rng=rng) for _ in range(3)]

    reply = await upload(client, xlsx(rows), hr, dry_run="true")

    assert reply.status_code == 200, reply.text
    assert reply.json() == {"would_import": 3, "problems": [], "warnings": []}
    assert await listed(client, hr) == []
    assert await outbox_events(client, "WorkerOnboarded") == []

    rows.append(worker_row(tree["street"], rng=rng, education="小学"))
    refused = await upload(client, xlsx(rows), hr, dry_run="true")
    assert refused.status_code == 422
    assert "not one of" in problem_fields(refused)["row 5.education"]


async def test_only_hr_writers_may_import(client, tree, rng):
    content = xlsx([worker_row(tree["street"], rng=rng)])
    for role in (Role.PAYROLL_OFFICER, Role.AUDITOR):
        reply = await upload(client, content, bearer(role, unit_id=tree["city"]))
        assert reply.status_code == 403, reply.text
    assert (await upload(client, content, {})).status_code == 401
    assert await outbox_events(client, "WorkerOnboarded") == []


async def test_a_unit_outside_the_callers_scope_is_reported_per_row(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["hexi"])
    rows = [
        worker_row(tree["street"], rng=rng),
        worker_row(tree["nankai"], rng=rng),
        worker_row(tree["building"], rng=rng),
        worker_row(tree["nankai"], rng=rng),
    ]

    reply = await upload(client, xlsx(rows), hr)

    assert reply.status_code == 422
    assert problem_fields(reply) == {
        "row 3.unit_id": "unit is outside your part of the unit tree",
        "row 5.unit_id": "unit is outside your part of the unit tree",
    }
    assert await listed(client, bearer(Role.CITY_ADMIN, unit_id=tree["city"])) == []


async def test_a_retry_with_the_same_idempotency_key_imports_once(client, tree, rng):
    hr = {**bearer(Role.UNIT_HR, unit_id=tree["street"]), "Idempotency-Key": "import-2026-03"}
    content = xlsx([worker_row(tree["street"], rng=rng) for _ in range(2)])

    first = await upload(client, content, hr)
    again = await upload(client, content, hr)

    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(await listed(client, hr)) == 2
    other = await upload(client, xlsx([worker_row(tree["street"], rng=rng)]), hr)
    assert other.status_code == 422
    assert "different request" in problem_fields(other)["header.Idempotency-Key"]


@pytest.mark.parametrize(
    ("content", "name", "field", "reason"),
    [
        (b"", "staff.csv", "file", "the file is empty"),
        (b"%PDF-1.7\n\x00", "staff.pdf", "file", "not a spreadsheet"),
        (
            "姓名,身份证号,单位编号\n张伟,x,y\n".encode(),
            "staff.csv",
            "file.header",
            "hire_date (入职日期)",
        ),
    ],
)
async def test_files_that_are_not_imports_are_refused_with_a_reason(
    client, tree, content, name, field, reason
):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    reply = await upload(client, content, hr, name=name)
    assert reply.status_code == 422
    assert reason in problem_fields(reply)[field]


async def test_too_many_rows_or_bytes_is_413(client, tree, rng, monkeypatch):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    content = xlsx([worker_row(tree["street"], rng=rng) for _ in range(3)])
    monkeypatch.setattr(parsing, "MAX_DATA_ROWS", 2)
    rows = await upload(client, content, hr)
    assert rows.status_code == 413
    assert "more than 2 data rows" in problem_fields(rows)["file"]
    monkeypatch.setattr(import_endpoints, "MAX_UPLOAD_BYTES", 1000)
    size = await upload(client, content, hr)
    assert size.status_code == 413
    assert "larger than" in problem_fields(size)["file"]
    assert await outbox_events(client, "WorkerOnboarded") == []


async def test_an_import_refuses_phones_that_are_no_phone_numbers(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["hexi"])
    rows = [
        worker_row(tree["street"], rng=rng, phone="=1+2"),  # row 2: a spreadsheet formula
        worker_row(tree["street"], rng=rng, phone="not-a-phone!"),  # row 3
        worker_row(tree["street"], rng=rng, phone="022 2345 6789"),  # row 4: a landline, fine
    ]
    # CSV, where a formula is plain text (an .xlsx cell holding one is read as its value).
    reply = await upload(client, csv_file(rows, COLUMNS), hr, name="staff.csv")
    assert reply.status_code == 422
    assert [field for field, _ in errors(reply)] == ["row 2.phone", "row 3.phone"]
    assert all("not a mainland phone number" in reason for _, reason in errors(reply))
    assert await outbox_events(client, "WorkerOnboarded") == []
