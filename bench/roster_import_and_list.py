"""Benchmark of the roster: a 10,000-row import and the worker list under load, with baselines.

    uv run python bench/roster_import_and_list.py [--db sqlite|postgresql|both]

For each database, in one run on the same machine:

1. import: a valid 10,000-row .xlsx (units created first through the API) is sent to
   `POST /workers/import` through the real app (httpx + ASGITransport, this process). Baseline:
   the same 10,000 worker rows put into the workers table of another fresh database with one
   SQLAlchemy Core `insert()` executemany in one transaction. Targets (from the issue): the import
   within 10 s and within 5x the bare insert.
2. list: with those 10,000 workers in the database, the roster runs under uvicorn in a
   subprocess and this process drives a fixed number of requests at a fixed concurrency through
   an asyncio httpx client, over a mix of first pages, cursor-followed pages and filters (unit
   subtree, status, name), as a city admin. Baseline: the same load against `/healthz` of the
   same server, the framework's floor. p50 and p99 latency of each are printed.

Figures are printed, never asserted; the exit code is 0 unless something crashed. SQLite files live
in a temporary folder; PostgreSQL databases are made fresh from the admin URL, migrated with the
roster's Alembic migrations and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from measure import each_database, load_average, quiet_logs, resident_ids
from openpyxl import Workbook
from sqlalchemy import Table, insert

from roster.config import Settings
from roster.identity.domain import parse_resident_id
from roster.ids import new_id
from roster.imports.parsing import EDUCATION, QUALIFICATION, read_sheet
from roster.main import create_app
from roster.models import Unit, Worker, WorkerEvent
from union_dev.testing.api import bearer, running
from union_dev.testing.databases import migrated_database
from union_shared.auth import Role
from union_shared.db import create_engine
from union_shared.events import WorkerOnboarded, build_event
from union_shared.messaging.tables import audit_log, outbox

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "roster"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
IMPORT_TARGET_S = 10.0
IMPORT_TARGET_RATIO = 5.0
NO_BROKER = "127.0.0.1:1"  # nothing listens there; background tasks are off, so none is needed
SYSTEM = bearer(Role.SYSTEM)
COLUMNS = [
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
EDUCATION_CELLS = ["本科", "本科", "本科", "硕士", "大专及以下", "博士"]
QUALIFICATION_CELLS = ["无", "助理社会工作师", "社会工作师", "社会工作师", "高级社会工作师"]


@dataclass
class Result:
    db: str
    import_s: float | None = None
    parse_s: float | None = None
    bare_s: float | None = None
    bare_all_s: float | None = None
    health: Load | None = None
    listed: Load | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None


# --- databases ----------------------------------------------------------------------------------


# --- the import file ----------------------------------------------------------------------------


def staff_rows(count: int, unit_ids: list[str], rng: random.Random) -> list[list]:
    rows = []
    for i, number in enumerate(resident_ids(count, rng, born=(1970, 1996))):
        hire = date(rng.randrange(2012, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
        seniority = date(hire.year - rng.randrange(0, 5), hire.month, hire.day)
        rows.append(
            [
                rng.choice("张王李赵刘陈杨黄周吴")
                + rng.choice(["伟", "芳", "娜", "敏", "静", "磊"]),
                number,
                f"13{rng.randrange(10**8, 10**9)}",
                rng.choice(EDUCATION_CELLS),
                "社会工作",
                rng.choice(QUALIFICATION_CELLS),
                unit_ids[i % len(unit_ids)],
                hire,  # a date cell, as Excel writes one
                seniority if rng.random() < 0.3 else None,
            ]
        )
    return rows


def xlsx(rows: list[list]) -> bytes:
    # A normal (not write-only) workbook records its used range up front, as Excel does.
    # openpyxl writes every string inline, which reads slower than the shared-string table
    # Excel and WPS write, so the import figure errs on the slow side.
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def make_units(client: httpx.AsyncClient) -> dict[str, list[str]]:
    """A city, 4 districts and 4 street federations under each (21 units)."""

    async def unit(name: str, kind: str, parent: str | None) -> str:
        body = {"name": name, "kind": kind, "parent_id": parent}
        reply = await client.post("/units", json=body, headers=SYSTEM)
        reply.raise_for_status()
        return reply.json()["id"]

    city = await unit("天津市总工会", "city_federation", None)
    districts = [await unit(f"第{d}区总工会", "district_federation", city) for d in range(1, 5)]
    streets = [
        await unit(f"第{d}区第{s}街道总工会", "street_federation", district)
        for d, district in enumerate(districts, 1)
        for s in range(1, 5)
    ]
    return {"city": [city], "districts": districts, "streets": streets}


# --- (a) import and its baseline ----------------------------------------------------------------


async def import_phase(url: str, rows_count: int, result: Result) -> dict[str, list[str]]:
    settings = Settings(
        database_url=url,
        run_background_tasks=False,
        kafka_bootstrap_servers=NO_BROKER,
        log_level="WARNING",
    )
    async with running(create_app(settings)) as client:
        units = await make_units(client)
        rows = staff_rows(rows_count, units["streets"] + units["districts"], random.Random(7))
        content = xlsx(rows)
        began = time.perf_counter()
        read_sheet(content, "staff.xlsx")
        result.parse_s = time.perf_counter() - began
        admin = bearer(Role.CITY_ADMIN, unit_id=units["city"][0])
        files = {"file": ("花名册.xlsx", content, "application/octet-stream")}
        began = time.perf_counter()
        reply = await client.post("/workers/import", files=files, headers=admin, timeout=600)
        result.import_s = time.perf_counter() - began
        if reply.status_code != 201 or reply.json()["imported"] != rows_count:
            raise RuntimeError(f"import failed: {reply.status_code} {reply.text[:500]}")
    return units


def worker_records(rows: list[list], now: datetime) -> list[dict]:
    """The rows the import writes to the workers table, built as the import would build them."""
    records = []
    for name, number, phone, education, major, qualification, unit_id, hire, seniority in rows:
        identity = parse_resident_id(number)
        records.append(
            {
                "id": new_id(),
                "name": name,
                "resident_id": number,
                "birth_date": identity.birth_date,
                "sex": identity.sex.value,
                "phone": phone,
                "education": EDUCATION[education].value,
                "major": major,
                "qualification": QUALIFICATION[qualification].value,
                "unit_id": unit_id,
                "hire_date": hire,
                "seniority_start": seniority or hire,
                "status": "active",
                "origin": "import",
                "created_at": now,
                "updated_at": now,
            }
        )
    return records


async def bare_insert_phase(url: str, rows_count: int, result: Result) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        city = new_id()
        units = [{"id": city, "name": "city", "kind": "city_federation", "parent_id": None}]
        units += [
            {"id": uid, "name": "street", "kind": "street_federation", "parent_id": city}
            for uid in (new_id() for _ in range(20))
        ]
        for u in units:
            parent = f"/{city}/" if u["parent_id"] else "/"
            u.update(path=f"{parent}{u['id']}/", status="open", created_at=now)
        async with engine.begin() as conn:
            await conn.execute(insert(Unit), units)
        rows = staff_rows(rows_count, [u["id"] for u in units[1:]], random.Random(7))
        records = worker_records(rows, now)
        began = time.perf_counter()
        async with engine.begin() as conn:
            await conn.execute(insert(Worker.__table__), records)
        result.bare_s = time.perf_counter() - began
        # Informational: the other rows an import writes per worker, also bare.
        tables = companion_rows(records, now)
        began = time.perf_counter()
        async with engine.begin() as conn:
            for table, values in tables:
                await conn.execute(insert(table), values)
        result.bare_all_s = result.bare_s + time.perf_counter() - began
    finally:
        await engine.dispose()


def companion_rows(records: list[dict], now: datetime) -> list[tuple[Table, list[dict]]]:
    """History, audit and outbox rows like the ones `onboard` writes beside each worker."""
    history, audits, events = [], [], []
    for w in records:
        history.append(
            {
                "id": new_id(),
                "worker_id": w["id"],
                "kind": "imported",
                "effective_date": w["hire_date"],
                "reason": None,
                "details": {"unit_id": w["unit_id"], "application_id": None},
                "recorded_by": "bench (city_admin)",
                "recorded_at": now,
            }
        )
        audits.append(
            {
                "at": now,
                "actor": "bench",
                "actor_role": "city_admin",
                "action": "worker.imported",
                "entity": "worker",
                "entity_id": w["id"],
                "worker_id": w["id"],
                "reason": None,
                "changes": {"unit_id": w["unit_id"], "hire_date": w["hire_date"].isoformat()},
                "correlation_id": None,
            }
        )
        event = build_event(
            WorkerOnboarded(
                worker_id=w["id"],
                unit_id=w["unit_id"],
                hire_date=w["hire_date"],
                seniority_start=w["seniority_start"],
                education=w["education"],
                qualification=w["qualification"],
                origin="import",
            ),
            subject=w["id"],
            source="roster",
        )
        events.append(
            {
                "event_id": event.id,
                "event_type": event.type,
                "topic": "roster.events",
                "message_key": event.subject,
                "payload": event.to_bytes(),
                "created_at": now,
            }
        )
    return [(WorkerEvent.__table__, history), (audit_log, audits), (outbox, events)]


# --- (b) list latency under uvicorn -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def uvicorn_server(url: str, log_path: Path) -> AsyncIterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "ROSTER_DATABASE_URL": url,
        "ROSTER_RUN_BACKGROUND_TASKS": "false",
        "KAFKA_BOOTSTRAP_SERVERS": NO_BROKER,
    }
    command = [sys.executable, "-m", "uvicorn", "roster.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log_path.open("ab") as log:
        server = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=log, stderr=log, cwd=ROOT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, server)
        yield base
    finally:
        server.terminate()
        try:
            await asyncio.wait_for(server.wait(), 20)
        except TimeoutError:
            server.kill()
            await server.wait()


async def wait_ready(base: str, server: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            if server.returncode is not None:
                raise RuntimeError(f"uvicorn exited with {server.returncode}: see its log")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError("uvicorn did not answer /healthz within 30 s")


Query = tuple[str, dict[str, str]]  # (kind, query string)


def list_mix(
    count: int, units: dict[str, list[str]], cursors: list[str], rng: random.Random
) -> list[Query]:
    """GET /workers queries: first pages, cursor-followed pages and filters."""
    kinds: list[tuple[str, float, Callable[[], dict[str, str]]]] = [
        ("first page", 0.25, lambda: {}),
        ("cursor page", 0.25, lambda: {"cursor": rng.choice(cursors)}),
        (
            "unit subtree",
            0.20,
            lambda: {"unit_id": rng.choice(units["districts"] + units["streets"])},
        ),
        ("status", 0.15, lambda: {"status": rng.choice(["active", "active", "suspended"])}),
        (
            "name",
            0.15,
            lambda: {"name": rng.choice("张王李赵刘陈杨黄周吴") + rng.choice("伟芳娜敏静磊")},
        ),
    ]
    picks = rng.choices(kinds, [weight for _, weight, _ in kinds], k=count)
    return [(kind, make()) for kind, _, make in picks]


async def page_cursors(client: httpx.AsyncClient, headers: dict, pages: int) -> list[str]:
    cursors, cursor = [], None
    for _ in range(pages):
        params = {"cursor": cursor} if cursor else {}
        body = (await client.get("/workers", params=params, headers=headers)).json()
        cursor = body["next_cursor"]
        if cursor is None:
            break
        cursors.append(cursor)
    return cursors


@dataclass
class Load:
    latencies: dict[str, list[float]]  # kind → sorted latencies (ms)
    seconds: float
    failures: int

    def all(self) -> list[float]:
        return sorted(ms for values in self.latencies.values() for ms in values)


async def drive(
    client: httpx.AsyncClient, path: str, queries: list[Query], headers: dict, concurrency: int
) -> Load:
    """Send the queries from `concurrency` loops, each waiting for its reply before the next."""
    latencies: dict[str, list[float]] = {}
    failures = 0
    queue = iter(queries)

    async def worker() -> None:
        nonlocal failures
        for kind, params in queue:
            began = time.perf_counter()
            reply = await client.get(path, params=params, headers=headers)
            latencies.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
            failures += reply.status_code != 200

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Load({k: sorted(v) for k, v in latencies.items()}, time.perf_counter() - began, failures)


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


async def list_phase(
    url: str, units: dict[str, list[str]], args: argparse.Namespace, folder: Path, result: Result
) -> None:
    admin = bearer(Role.CITY_ADMIN, unit_id=units["city"][0])
    rng = random.Random(11)
    limits = httpx.Limits(max_connections=args.concurrency)
    health = [("healthz", {})] * args.requests
    async with (
        uvicorn_server(url, folder / f"uvicorn-{result.db}.log") as base,
        httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client,
    ):
        cursors = await page_cursors(client, admin, 40)
        queries = list_mix(args.requests, units, cursors, rng)
        await drive(client, "/workers", list_mix(200, units, cursors, rng), admin, args.concurrency)
        await drive(client, "/healthz", health[:200], admin, args.concurrency)
        floor = await drive(client, "/healthz", health, admin, args.concurrency)
        listed = await drive(client, "/workers", queries, admin, args.concurrency)
    result.health = floor
    result.listed = listed
    if floor.failures or listed.failures:
        result.notes.append(f"non-200 replies: healthz {floor.failures}, list {listed.failures}")


# --- running and reporting ----------------------------------------------------------------------


def admin_url(db: str, args: argparse.Namespace) -> str | None:
    """The PostgreSQL server to create databases on, or None for SQLite files."""
    return args.postgres_url if db == "postgresql" else None


async def bench_database(db: str, args: argparse.Namespace, folder: Path) -> Result:
    result = Result(db)
    async with migrated_database(folder, SERVICE_DIR, "bare", admin_url(db, args)) as url:
        await bare_insert_phase(url, args.rows, result)
    async with migrated_database(folder, SERVICE_DIR, "roster", admin_url(db, args)) as url:
        units = await import_phase(url, args.rows, result)
        await list_phase(url, units, args, folder, result)
    return result


def fmt(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:,.2f}{unit}"


def verdict(r: Result) -> tuple[str, str]:
    if r.import_s is None or not r.bare_s:
        return "-", "-"
    ratio = r.import_s / r.bare_s
    within_time = "PASS" if r.import_s <= IMPORT_TARGET_S else "MISS"
    within_ratio = "PASS" if ratio <= IMPORT_TARGET_RATIO else "MISS"
    return f"{r.import_s:.2f} {within_time}", f"{ratio:.1f}x {within_ratio}"


def all_tables_ratio(r: Result) -> str:
    if r.import_s is None or not r.bare_all_s:
        return "-"
    return f"{r.import_s / r.bare_all_s:.1f}x"


def report(results: list[Result], args: argparse.Namespace, loads: list[str]) -> None:
    print()
    print(
        f"roster benchmark: {args.rows:,}-row .xlsx import; list under {args.requests:,} "
        f"requests at concurrency {args.concurrency} (uvicorn subprocess); {os.cpu_count()} CPUs; "
        f"load average {' -> '.join(loads)}"
    )
    rows: list[tuple[str, Callable[[Result], str]]] = [
        ("bare insert of the rows, Core executemany (s)", lambda r: fmt(r.bare_s)),
        ("import through POST /workers/import (s) (target <= 10)", lambda r: verdict(r)[0]),
        ("  import / bare insert (target <= 5x)", lambda r: verdict(r)[1]),
        ("  of which reading the .xlsx, measured alone (s)", lambda r: fmt(r.parse_s)),
        ("bare insert of all four tables the import writes (s)", lambda r: fmt(r.bare_all_s)),
        ("  import / that (no target; for reading the one above)", all_tables_ratio),
        ("GET /healthz p50 / p99 (ms) (the floor)", lambda r: latency(r.health)),
        ("  requests/s", lambda r: rate(r.health)),
        ("GET /workers, the whole mix p50 / p99 (ms)", lambda r: latency(r.listed)),
        ("  requests/s", lambda r: rate(r.listed)),
    ]
    kinds = dict.fromkeys(k for r in results if r.listed for k in r.listed.latencies)
    for kind in kinds:
        rows.append((f"  {kind} p50 / p99 (ms)", lambda r, kind=kind: latency(r.listed, kind)))
    label_w = max(len(label) for label, _ in rows) + 2
    col_w = 20
    print()
    print(" " * label_w + "".join(r.db.rjust(col_w) for r in results))
    print("-" * (label_w + col_w * len(results)))
    for label, cell in rows:
        print(label.ljust(label_w) + "".join(cell(r).rjust(col_w) for r in results))
    print()
    for r in results:
        for note in r.notes:
            print(f"note [{r.db}]: {note}")
        if r.error:
            print(f"ERROR [{r.db}]: {r.error}")


def latency(load: Load | None, kind: str | None = None) -> str:
    if load is None:
        return "-"
    values = load.all() if kind is None else load.latencies.get(kind, [])
    if not values:
        return "-"
    return f"{percentile(values, 50):,.1f} / {percentile(values, 99):,.1f}"


def rate(load: Load | None) -> str:
    return "-" if load is None else f"{sum(map(len, load.latencies.values())) / load.seconds:,.0f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Roster import time and list latency.")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the import file")
    parser.add_argument("--requests", type=int, default=2_000, help="requests per load run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    loads = [load_average()]
    results = await each_database(
        dbs,
        lambda db, tmp: bench_database(db, args, tmp),
        lambda db, error: Result(db, error=error),
        "bench-roster-",
    )
    loads.append(load_average())
    report(results, args, loads)
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_logs()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
