"""Hostile uploads to the bulk import: workbooks written by hand to cost the service gigabytes
(one cell far away, a zip bomb), CSV of absurd shape, bodies past the route's limit. Each is
refused with 413 naming the file and why, without the service building what the file asks for,
and the service goes on answering."""

from __future__ import annotations

import io
import random
import re
import sys
import tracemalloc
import zipfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from roster.imports import endpoints as import_endpoints
from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.service import outbox_events
from union_shared.auth import Role

from ..hand_built_xlsx import SHEET, hand_built, package, text_cell, worksheet
from .conftest import worker_row
from .test_import import COLUMNS, XLSX

pytestmark = pytest.mark.db


def sheet_xml(cells: dict[str, str], dimension: str | None = None) -> str:
    """A worksheet of inline-string cells {reference: text}, rows in order."""
    rows: dict[int, list[str]] = {}
    for ref, text in cells.items():
        rows.setdefault(int(re.sub(r"^[A-Z]+", "", ref)), []).append(text_cell(text, ref))
    body = "".join(f'<row r="{n}">{"".join(rows[n])}</row>' for n in sorted(rows))
    return worksheet(body, before=f'<dimension ref="{dimension}"/>' if dimension else "")


def workbook(cells: dict[str, str], dimension: str | None = None) -> bytes:
    return hand_built(sheet_xml(cells, dimension))


def header_and(rows: list[dict]) -> dict[str, str]:
    """Cells for a header row and worker rows, from column A."""
    cells = {f"{chr(65 + i)}1": column for i, column in enumerate(COLUMNS)}
    for number, row in enumerate(rows, start=2):
        cells |= {f"{chr(65 + i)}{number}": str(row[c]) for i, c in enumerate(COLUMNS)}
    return cells


def zip_bomb(unpacked_mib: int) -> bytes:
    """A workbook whose sheet unpacks to `unpacked_mib` MiB of blanks (about 1 KiB per MiB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        package(book)
        with book.open(SHEET, "w") as sheet:
            sheet.write(worksheet("").removesuffix("</sheetData></worksheet>").encode())
            blanks = b" " * 2**20
            for _ in range(unpacked_mib):
                sheet.write(blanks)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


async def upload(client, content: bytes, headers: dict, name="staff.xlsx"):
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return await client.post(
        "/workers/import", files={"file": (name, content, kind)}, headers=headers
    )


@contextmanager
def peak_memory() -> Iterator[dict[str, float | None]]:
    """The peak growth, in MiB, while the block runs: of Python's heap (tracemalloc) and, on
    Linux, of the whole process's resident memory, calamine's Rust allocations included (the
    kernel's high-water mark, reset through /proc/self/clear_refs before the block)."""
    figures: dict[str, float | None] = {"python_mib": None, "process_mib": None}
    status = Path("/proc/self/status")
    kernel = sys.platform == "linux" and status.exists()
    if kernel:
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kib(status, "VmRSS")
    tracemalloc.start()
    try:
        yield figures
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["python_mib"] = peak / 2**20
        if kernel:
            figures["process_mib"] = (_status_kib(status, "VmHWM") - before) / 1024


def _status_kib(status: Path, key: str) -> int:
    line = next(x for x in status.read_text().splitlines() if x.startswith(key + ":"))
    return int(line.split()[1])


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20260302)


async def still_answers(client, tree, rng) -> None:
    """The service is up and imports a good file after the hostile one."""
    assert (await client.get("/healthz")).status_code == 200
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    good = workbook(header_and([worker_row(tree["street"], rng=rng)]))
    reply = await upload(client, good, hr)
    assert reply.status_code == 201, reply.text
    assert reply.json()["imported"] == 1


async def test_one_cell_at_cv100000_is_refused_before_any_grid_is_built(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    content = workbook(header_and([worker_row(tree["street"], rng=rng)]) | {"CV100000": "x"})
    assert len(content) < 2500  # a 2 KB file that asked for a 100,000 x 100 grid (300 MB)

    with peak_memory() as peak:
        reply = await upload(client, content, hr)

    print(f"CV100000 upload, peak growth in MiB: {peak}")  # before: 82 (Python), 406 (process)
    assert peak["python_mib"] < 50, peak
    if peak["process_mib"] is not None:
        assert peak["process_mib"] < 50, peak
    assert reply.status_code == 413, reply.text
    reason = problem_fields(reply)["file"]
    assert "a cell at CV100000" in reason
    assert "rows 1 to 21,000 and columns A to AX (50)" in reason
    assert await outbox_events(client, "WorkerOnboarded") == []
    await still_answers(client, tree, rng)


async def test_one_cell_at_xfd1048576_is_refused_and_the_service_lives_on(client, tree, rng):
    # Before the check, calamine asked for 512 GB for this file and aborted the whole process.
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    content = workbook(header_and([]) | {"XFD1048576": "x"})

    reply = await upload(client, content, hr)

    assert reply.status_code == 413, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    assert "a cell at XFD1048576" in problem_fields(reply)["file"]
    await still_answers(client, tree, rng)


async def test_a_declared_used_range_past_the_limits_is_refused(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    rows = [worker_row(tree["street"], rng=rng)]
    content = workbook(header_and(rows), dimension="A1:XFD1048576")

    reply = await upload(client, content, hr)

    assert reply.status_code == 413, reply.text
    assert "declares its used range as A1:XFD1048576" in problem_fields(reply)["file"]
    await still_answers(client, tree, rng)


async def test_a_zip_bomb_is_refused_unopened(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    content = zip_bomb(unpacked_mib=256)
    assert len(content) < 2 * 2**20

    with peak_memory() as peak:
        reply = await upload(client, content, hr)

    print(f"zip bomb upload, peak growth in MiB: {peak}")
    assert peak["python_mib"] < 50, peak
    if peak["process_mib"] is not None:
        assert peak["process_mib"] < 50, peak
    assert reply.status_code == 413, reply.text
    assert "zip bomb" in problem_fields(reply)["file"]
    await still_answers(client, tree, rng)


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ("x" * 100_000 + "\n", "line 3 is longer than 16,384 characters"),
        ("\n" * 30_000, "more than 21,000 rows, blank ones included"),
        ("," * 5_000 + "\n", "row 3 has 5,001 columns: an import may use at most 50"),
    ],
    ids=["long-line", "many-blank-rows", "many-columns"],
)
async def test_a_csv_of_absurd_shape_is_refused(client, tree, rng, tail, reason):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    row = worker_row(tree["street"], rng=rng)
    content = (",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n" + tail).encode()

    reply = await upload(client, content, hr, name="staff.csv")

    assert reply.status_code == 413, reply.text
    assert reason in problem_fields(reply)["file"]
    await still_answers(client, tree, rng)


MULTIPART = "multipart/form-data; boundary=boundary"
FILE_PART = (
    b"--boundary\r\n"
    b'Content-Disposition: form-data; name="file"; filename="staff.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\n"
)


class Body:
    """A multipart upload of one endless file, pulled chunk by chunk: `pulled` counts the bytes
    the server read of it."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.size, self.chunk, self.pulled = size, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.size:
            piece = (b"" if self.pulled else FILE_PART) + b"x" * self.chunk
            piece = piece[: self.size - self.pulled]
            self.pulled += len(piece)
            yield piece


async def test_an_upload_announcing_30_mb_is_refused_unread(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    body = Body(30 * 2**20)
    headers = {**hr, "Content-Type": MULTIPART, "Content-Length": str(body.size)}

    reply = await client.post("/workers/import", content=body, headers=headers)

    assert reply.status_code == 413, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    limit = import_endpoints.MAX_REQUEST_BYTES
    assert problem_fields(reply) == {
        "body": f"larger than the {limit:,} bytes this endpoint accepts"
    }
    assert body.pulled == 0
    await still_answers(client, tree, rng)


async def test_an_unannounced_upload_is_cut_at_the_routes_limit(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    body = Body(30 * 2**20)
    headers = {**hr, "Content-Type": MULTIPART}  # sent chunked: no Content-Length

    reply = await client.post("/workers/import", content=body, headers=headers)

    assert reply.status_code == 413, reply.text
    assert "body" in problem_fields(reply)
    limit = import_endpoints.MAX_REQUEST_BYTES
    assert limit < body.pulled <= limit + body.chunk
    await still_answers(client, tree, rng)


async def test_an_upload_past_the_platforms_1_mib_is_read_under_the_routes_limit(client, tree, rng):
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    row = worker_row(tree["street"], rng=rng)
    blank = ", , , , , , ," + " " * 72 + "\n"  # a row of blank cells, skipped
    content = (
        ",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n" + blank * 20_000
    ).encode()
    assert 1.5 * 2**20 < len(content) < import_endpoints.MAX_UPLOAD_BYTES

    reply = await upload(client, content, hr, name="staff.csv")

    assert reply.status_code == 201, reply.text
    assert reply.json()["imported"] == 1
