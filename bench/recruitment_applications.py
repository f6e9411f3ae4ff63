"""Benchmark of recruitment's application burst: distinct applicants submitting over HTTP at
once, beside a bare FastAPI + asyncpg INSERT endpoint loaded the same way in the same run.

    uv run python bench/recruitment_applications.py [--db sqlite|postgresql|both]

For each database (PostgreSQL unless --db says otherwise), in one run on the same machine:

1. baseline: bench/bare_insert_app.py under uvicorn (one worker) on a fresh database, with one
   endpoint that INSERTs one row as wide as an application into a scratch table.
2. recruitment: a fresh database with recruitment's Alembic migrations, the unit tree delivered
   through the real inbox, a campaign with four postings created and announced through the API
   (in this process, on a clock set before the window), then the service under uvicorn (one
   worker, as a pod runs it; background tasks and the relay off, no broker) with the window
   open on the real clock.

Each server gets the same load from a separate process (this script with --child, an asyncio
client with `--connections` connections): a warm-up, then `--applications` distinct
applicants (valid resident IDs, each with a token of its own, all made beforehand) as fast as
the connections go, then more of them paced open-loop at half the rate just measured, for
`--paced-seconds` (latency from each request's due time, so queueing counts). The client is
HTTP/1.1 on asyncio streams, one kept-alive connection per loop (see `load`). Targets (from
the issue): recruitment at least 50% of the bare rate, and its p99 at most 100 ms at half its
maximum rate.

Figures are printed, never asserted; the exit code is 0 unless something crashed. SQLite files
live in a temporary folder; PostgreSQL databases are made fresh from the admin URL and dropped
afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from measure import each_database, load_average, machine_busy_s, quiet_logs, resident_ids
from sqlalchemy import func, select, text

from recruitment.bootstrap import handlers
from recruitment.config import Settings
from recruitment.main import create_app
from recruitment.models import Application
from union_dev.testing.api import bearer, running
from union_dev.testing.clock import SetClock
from union_dev.testing.databases import fresh_database, migrated_database
from union_dev.testing.events import unit_tree_events
from union_dev.testing.service import deliver
from union_shared.auth import Role, mint_token
from union_shared.db import create_engine

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SERVICE_DIR = ROOT / "services" / "recruitment"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
RATIO_TARGET = 0.5
P99_TARGET_MS = 100.0
NO_BROKER = "127.0.0.1:1"  # nothing listens there; background tasks are off, so none is needed
STREETS = [f"street{i}" for i in range(1, 5)]
TREE = tuple(f"/city/hexi/{street}/" for street in STREETS)
HEXI = bearer(Role.DISTRICT_ADMIN, unit_id="hexi", sub="bench-admin")
# The postings' requirements, as an announcement writes them, so that screening has work to do.
REQUIREMENTS = {"min_education": "bachelor", "majors": ["社会工作", "社会学"], "max_age": 35}
MAJORS = ["社会工作", "社会工作", "社会学", "心理学"]
EDUCATIONS = ["bachelor", "bachelor", "master", "below_bachelor"]


@dataclass
class Pass:
    """One load pass, as the load process saw it, with the servers' and machine's CPU."""

    latencies: list[float]  # sorted, ms
    seconds: float
    statuses: dict[str, int]
    load_cpu_s: float
    server_cpu_s: float | None = None
    machine_cpu_s: float | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def failures(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "201")


@dataclass
class Result:
    db: str
    bare_max: Pass | None = None
    bare_half: Pass | None = None
    app_max: Pass | None = None
    app_half: Pass | None = None
    stored: int | None = None
    expected: int | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None


# --- the applicants -----------------------------------------------------------------------------


def application_forms(numbers: list[str], postings: list[str], rng: random.Random) -> list[list]:
    """[token, body] for each applicant: one subject each, round the postings."""
    forms = []
    for i, number in enumerate(numbers):
        body = {
            "posting_id": postings[i % len(postings)], "resident_id": number,
            "name": rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(["伟", "芳", "娜", "敏"]),
            "phone": f"13{rng.randrange(10**8, 10**9)}", "education": rng.choice(EDUCATIONS),
            "majors": [rng.choice(MAJORS)], "residence_region": number[:6],
            "years_experience": rng.randrange(0, 8),
            "documents": [{"kind": "degree", "ref": f"files/degree-{i:06d}.pdf"}],
        }  # fmt: skip
        forms.append([mint_token(f"applicant-{number}", Role.APPLICANT, ttl_s=4 * 3600), body])
    return forms


def write_forms(folder: Path, label: str, forms: list[list]) -> Path:
    path = folder / f"forms-{label}.json"
    path.write_text(json.dumps(forms, ensure_ascii=False))
    return path


# --- the load process ---------------------------------------------------------------------------


def request_bytes(host: str, path: str, token: str, body: dict) -> bytes:
    content = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nhost: {host}\r\nauthorization: Bearer {token}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(content)}\r\n\r\n"
    )
    return head.encode() + content


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """One request on a kept-alive connection; the reply's status. The servers (uvicorn,
    FastAPI's JSON replies) always send Content-Length."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0]
    await reader.readexactly(int(length))
    return int(head[9:12])


async def load(order: dict[str, Any]) -> dict[str, Any]:
    """Post every form from `connections` loops, each on a kept-alive connection of its own;
    paced open-loop when `rate` is set, each request then due at start + i / rate and timed
    from then. The server's and the machine's CPU are read here, around the pass alone.

    The client is HTTP/1.1 on asyncio streams, not httpx: 32 loops on one httpx pool held the
    bare app to the client's own rate (1.7 ms of client CPU a request with a client per loop,
    more on one shared pool), which would have flattered the ratio."""
    forms = json.loads(Path(order["forms"]).read_text())  # noqa: ASYNC240 (before the pass)
    host, port = order["base"].removeprefix("http://").split(":")
    path = f"/campaigns/{order['campaign_id']}/applications"
    forms = forms[: order["limit"]]
    requests = [request_bytes(f"{host}:{port}", path, token, body) for token, body in forms]
    latencies = [0.0] * len(requests)
    statuses: Counter[str] = Counter()
    queue = iter(enumerate(requests))
    interval = 1 / order["rate"] if order["rate"] else None
    connections = [
        await asyncio.open_connection(host, int(port)) for _ in range(order["connections"])
    ]

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for i, request in queue:
            began = time.perf_counter()
            if interval is not None:
                due = start + i * interval
                if due > began:
                    await asyncio.sleep(due - began)
                began = due
            status = await exchange(reader, writer, request)
            latencies[i] = (time.perf_counter() - began) * 1000
            statuses[str(status)] += 1

    server, machine = process_cpu_s(order["server_pid"]), machine_busy_s()
    cpu, start = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(reader, writer) for reader, writer in connections))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    server = difference(server, process_cpu_s(order["server_pid"]))
    machine = difference(machine, machine_busy_s())
    for _, writer in connections:
        writer.close()
    return {"latencies": latencies, "seconds": seconds, "statuses": statuses, "load_cpu_s": cpu,
            "server_cpu_s": server, "machine_cpu_s": machine}  # fmt: skip


def run_loop(coroutine: Any) -> Any:
    """On uvloop when it is installed (as uvicorn runs the servers), so the client's own cost
    stays small beside theirs."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def child_main() -> int:
    """The load process: one order a line on stdin until it closes; each pass's figures go to a
    file (a 10,000-latency line is past an asyncio pipe's line limit), its name back on stdout."""
    for line in sys.stdin:
        order = json.loads(line)
        Path(order["out"]).write_text(json.dumps(run_loop(load(order))))
        print(json.dumps({"out": order["out"]}), flush=True)
    return 0


class LoadProcess:
    """The separate process that sends the load: this script with --child, started once per
    database (its imports are paid before any pass) and given one pass at a time."""

    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--child", cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def run(self, order: dict[str, Any]) -> dict[str, Any]:
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(order).encode() + b"\n")
        await process.stdin.drain()
        if not await process.stdout.readline():
            raise RuntimeError(f"the load process exited with {await process.wait()}")
        return json.loads(Path(order["out"]).read_text())  # noqa: ASYNC240 (after the pass)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def drive(
    loader: LoadProcess, server: Server, forms: Path, args: argparse.Namespace,
    rate: float | None = None, limit: int | None = None,
) -> Pass:  # fmt: skip
    out = forms.with_suffix(f".{time.monotonic_ns()}.out.json")
    order = {"base": server.base, "campaign_id": server.campaign_id, "forms": str(forms),
             "connections": args.connections, "rate": rate, "out": str(out),
             "server_pid": server.pid, "limit": limit}  # fmt: skip
    done = await loader.run(order)
    return Pass(
        sorted(done["latencies"]), done["seconds"], done["statuses"], done["load_cpu_s"],
        done["server_cpu_s"], done["machine_cpu_s"],
    )  # fmt: skip


def difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of one process so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the servers --------------------------------------------------------------------------------


@dataclass
class Server:
    base: str
    pid: int
    campaign_id: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def uvicorn_server(
    app: str, env: dict[str, str], log_path: Path, campaign_id: str
) -> AsyncIterator[Server]:
    """`app` under uvicorn in a subprocess, one worker, as a pod runs it."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--app-dir", str(BENCH)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log_path.open("ab") as log:
        server = await asyncio.create_subprocess_exec(
            *command, env={**os.environ, **env}, stdout=log, stderr=log, cwd=ROOT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, server)
        yield Server(base, server.pid, campaign_id)
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


async def load_passes(
    loader: LoadProcess, server: Server, forms: dict[str, Path], args: argparse.Namespace
) -> tuple[Pass, Pass]:
    """A warm-up (the server's pool and code paths), the maximum rate, then half of it."""
    await drive(loader, server, forms["warm"], args)
    fastest = await drive(loader, server, forms["max"], args)
    half = fastest.rate / 2
    count = max(1, round(half * args.paced_seconds))
    paced = await drive(loader, server, forms["half"], args, half, min(count, args.applications))
    return fastest, paced


# --- (a) the bare baseline ----------------------------------------------------------------------


async def bare_phase(
    loader: LoadProcess,
    db: str,
    forms: dict[str, Path],
    args: argparse.Namespace,
    folder: Path,
    result: Result,
) -> None:
    from bare_insert_app import CREATE_TABLE

    async with fresh_database(folder, "bare", admin_url(db, args)) as url:
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(CREATE_TABLE))
        finally:
            await engine.dispose()
        env = {"BARE_DATABASE_URL": url}
        log = folder / f"uvicorn-bare-{db}.log"
        async with uvicorn_server("bare_insert_app:create_app", env, log, "bare") as server:
            result.bare_max, result.bare_half = await load_passes(loader, server, forms, args)


# --- (b) recruitment ----------------------------------------------------------------------------


async def open_campaign(url: str) -> tuple[str, list[str]]:
    """An announced campaign with a posting in each street, through the API, on a clock set
    two days before now; its window opened a day ago on the real clock and closes in a month."""
    now = datetime.now(UTC).replace(microsecond=0)
    settings = Settings(
        database_url=url, run_background_tasks=False, kafka_bootstrap_servers=NO_BROKER,
        log_level="WARNING",
    )  # fmt: skip
    app = create_app(settings, clock=SetClock(now - timedelta(days=2)))
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        await deliver(client, "recruitment", handlers(), *unit_tree_events(*TREE))
        body = {"name": "2026年河西区工会社会工作者公开招聘", "unit_id": "hexi",
                "window_opens_at": (now - timedelta(days=1)).isoformat(),
                "window_closes_at": (now + timedelta(days=30)).isoformat()}  # fmt: skip
        campaign = await expect(client.post("/campaigns", json=body, headers=HEXI), 201)
        cid = campaign["id"]
        requirements = {**REQUIREMENTS, "age_as_of": (now - timedelta(days=1)).date().isoformat()}
        postings = []
        for i, street in enumerate(STREETS, 1):
            posting = {"unit_id": street, "code": f"HX-{i:02d}", "title": "街道工会社会工作者",
                       "quota": 5, "requirements": requirements}  # fmt: skip
            made = await expect(
                client.post(f"/campaigns/{cid}/postings", json=posting, headers=HEXI), 201
            )
            postings.append(made["id"])
        await expect(client.post(f"/campaigns/{cid}/announce", headers=HEXI), 200)
    return cid, postings


async def expect(reply_coroutine: Any, status: int) -> dict:
    reply = await reply_coroutine
    if reply.status_code != status:
        raise RuntimeError(f"setup: {reply.request.url.path} -> {reply.status_code} {reply.text}")
    return reply.json()


async def stored_applications(url: str, campaign_id: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = select(func.count()).where(Application.campaign_id == campaign_id)
            return (await conn.execute(query)).scalar_one()
    finally:
        await engine.dispose()


async def recruitment_phase(
    loader: LoadProcess, db: str, url: str, cid: str, forms: dict[str, Path], args: argparse.Namespace,
    folder: Path, result: Result,
) -> None:  # fmt: skip
    env = {
        "RECRUITMENT_DATABASE_URL": url,
        "RECRUITMENT_RUN_BACKGROUND_TASKS": "false",
        "KAFKA_BOOTSTRAP_SERVERS": NO_BROKER,
    }
    log = folder / f"uvicorn-recruitment-{db}.log"
    async with uvicorn_server("recruitment.main:create_app", env, log, cid) as server:
        result.app_max, result.app_half = await load_passes(loader, server, forms, args)
    result.stored = await stored_applications(url, cid)
    result.expected = args.warm_up + len(result.app_max.latencies) + len(result.app_half.latencies)


# --- running and reporting ----------------------------------------------------------------------


def admin_url(db: str, args: argparse.Namespace) -> str | None:
    """The PostgreSQL server to create databases on, or None for SQLite files."""
    return args.postgres_url if db == "postgresql" else None


async def bench_database(db: str, args: argparse.Namespace, folder: Path) -> Result:
    """Recruitment's campaign comes first (the forms name its postings); the bare app runs
    while recruitment's database sits idle, then recruitment."""
    result = Result(db)
    loader = LoadProcess()
    await loader.start()
    try:
        await load_everything(loader, db, args, folder, result)
    finally:
        await loader.stop()
    result.notes += failure_notes(result)
    return result


async def load_everything(
    loader: LoadProcess, db: str, args: argparse.Namespace, folder: Path, result: Result
) -> None:
    rng = random.Random(17)
    numbers = resident_ids(args.warm_up + 2 * args.applications, rng, born=(1980, 2004))
    warm, burst = args.warm_up, args.applications
    parts = {"warm": numbers[:warm], "max": numbers[warm : warm + burst]}
    parts["half"] = numbers[warm + burst :]
    async with migrated_database(folder, SERVICE_DIR, "recruitment", admin_url(db, args)) as url:
        cid, postings = await open_campaign(url)
        forms = {
            label: write_forms(folder, f"{db}-{label}", application_forms(part, postings, rng))
            for label, part in parts.items()
        }
        await bare_phase(loader, db, forms, args, folder, result)
        await recruitment_phase(loader, db, url, cid, forms, args, folder, result)


def failure_notes(r: Result) -> list[str]:
    runs = [("bare", "max", r.bare_max), ("bare", "half", r.bare_half),
            ("recruitment", "max", r.app_max), ("recruitment", "half", r.app_half)]  # fmt: skip
    return [
        f"{label}: replies other than 201 at {pace} rate: {run.statuses}"
        for label, pace, run in runs
        if run is not None and run.failures
    ]


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def latency(run: Pass | None) -> str:
    if run is None or not run.latencies:
        return "-"
    return f"{percentile(run.latencies, 50):,.1f} / {percentile(run.latencies, 99):,.1f}"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list."""
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def cores(run: Pass | None) -> str:
    if run is None:
        return "-"
    server = "-" if run.server_cpu_s is None else f"{run.server_cpu_s / run.seconds:.2f}"
    machine = "-" if run.machine_cpu_s is None else f"{run.machine_cpu_s / run.seconds:.2f}"
    return f"{server} / {run.load_cpu_s / run.seconds:.2f} / {machine}"


def ratio(r: Result) -> str:
    if r.app_max is None or r.bare_max is None:
        return "-"
    share = r.app_max.rate / r.bare_max.rate
    return f"{share:.1%} {'PASS' if share >= RATIO_TARGET else 'MISS'}"


def half_p99(r: Result) -> str:
    if r.app_half is None:
        return "-"
    p99 = percentile(r.app_half.latencies, 99)
    return f"{p99:,.1f} {'PASS' if p99 <= P99_TARGET_MS else 'MISS'}"


def replies(r: Result) -> str:
    runs = [r.bare_max, r.bare_half, r.app_max, r.app_half]
    if any(run is None for run in runs):
        return "-"
    return " / ".join(str(run.failures) for run in runs if run is not None)


def rows() -> list[tuple[str, Callable[[Result], str]]]:
    return [
        ("bare FastAPI + one INSERT, max (req/s)", lambda r: rate(r.bare_max)),
        ("  p50 / p99 (ms)", lambda r: latency(r.bare_max)),
        ("  CPU: server / load process / whole machine (cores)", lambda r: cores(r.bare_max)),
        ("  at half rate: req/s, p50 / p99 (ms)", lambda r: paced(r.bare_half)),
        ("recruitment POST .../applications, max (req/s)", lambda r: rate(r.app_max)),
        ("  % of bare (target >= 50%)", ratio),
        ("  p50 / p99 (ms)", lambda r: latency(r.app_max)),
        ("  CPU: server / load process / whole machine (cores)", lambda r: cores(r.app_max)),
        ("  server CPU per application (ms)", per_request),
        ("recruitment at half rate: req/s, p50 / p99 (ms)", lambda r: paced(r.app_half)),
        ("  p99 at half rate (ms) (target <= 100)", half_p99),
        ("  CPU: server / load process / whole machine (cores)", lambda r: cores(r.app_half)),
        ("non-201 replies: bare max / half, recruitment max / half", replies),
        ("applications stored / sent", stored),
    ]


def rate(run: Pass | None) -> str:
    return "-" if run is None else fmt(run.rate)


def paced(run: Pass | None) -> str:
    return "-" if run is None else f"{run.rate:,.0f}, {latency(run)}"


def per_request(r: Result) -> str:
    run = r.app_max
    if run is None or run.server_cpu_s is None:
        return "-"
    return f"{run.server_cpu_s / len(run.latencies) * 1000:.2f}"


def stored(r: Result) -> str:
    return "-" if r.stored is None else f"{r.stored:,} / {r.expected:,}"


def report(results: list[Result], args: argparse.Namespace, loads: list[str]) -> None:
    print()
    print(
        f"recruitment application burst: {args.applications:,} distinct applicants over "
        f"{args.connections} connections from a separate load process (asyncio HTTP/1.1), each server "
        f"under uvicorn with one worker; half-rate passes {args.paced_seconds:g} s; {os.cpu_count()} CPUs; "
        f"load average {' -> '.join(loads)}"
    )
    print("bare: bench/bare_insert_app.py, asyncpg on PostgreSQL (aiosqlite on SQLite)")
    table = rows()
    label_w = max(len(label) for label, _ in table) + 2
    col_w = 26
    print()
    print(" " * label_w + "".join(r.db.rjust(col_w) for r in results))
    print("-" * (label_w + col_w * len(results)))
    for label, cell in table:
        print(label.ljust(label_w) + "".join(cell(r).rjust(col_w) for r in results))
    print()
    for r in results:
        for note in r.notes:
            print(f"note [{r.db}]: {note}")
        if r.error:
            print(f"ERROR [{r.db}]: {r.error}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Recruitment's application burst over HTTP.")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument(
        "--applications", type=int, default=10_000, help="distinct applicants in each pass"
    )
    parser.add_argument(
        "--paced-seconds", type=float, default=20,
        help="length of each half-rate pass (at most --applications requests)",
    )  # fmt: skip
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--warm-up", type=int, default=300, help="requests before each server's passes"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    loads = [load_average()]
    results = await each_database(
        dbs,
        lambda db, tmp: bench_database(db, args, tmp),
        lambda db, error: Result(db, error=error),
        "bench-recruitment-",
    )
    loads.append(load_average())
    report(results, args, loads)
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main()
    quiet_logs()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
