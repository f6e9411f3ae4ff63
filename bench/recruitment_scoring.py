"""Benchmark of scoring a recruitment campaign end to end: import the written scores, draw every
posting's shortlist, import the interview scores, compute every posting's composite and rank,
beside a bare bulk insert of the same score rows in the same run.

    uv run python bench/recruitment_scoring.py [--db sqlite|postgresql|both]

For each database (PostgreSQL unless --db says otherwise):

1. setup (not timed): a fresh database with recruitment's Alembic migrations, the unit tree (a
   city, 8 districts of 8 streets) delivered through the real inbox, a city campaign with a
   posting in each street (`--postings`, quotas adding up to about 100 places) created and
   announced through the API on a set clock. One applicant applies and is reviewed through the
   API; the other `--applications` - 1 applications go in as bulk rows built as `submit` and the
   qualification review store them (status qualified, keyed hashes, both steps), checked
   column by column against the one the API stored. Then the written score file (.csv, one row
   per application) is written.
2. the timed run, in a child process started before the setup (its peak RSS is its own), on
   recruitment's real app called in-process (httpx's ASGI transport, as the integration tests
   call it), on a clock after the window closed: the written import (one file), the shortlist
   of every posting, the interview import (one file for every shortlisted applicant, written
   after the shortlist and outside the timing), the ranking of every posting. Each step is one
   request after another, each request its own transaction, as an office would send them.
3. baseline: the score rows the run stored, inserted into a scratch table shaped like `scores`
   (same columns, key and foreign key) in one transaction: by Core executemany, and by
   union_shared.bulk.insert_rows (COPY on PostgreSQL).

Target (from the issue): the four steps together within 10 s for 10,000 applications. Figures are
printed, never asserted; the exit code is 0 unless something crashed. SQLite files live in a
temporary folder; PostgreSQL databases are made fresh from the admin URL and dropped afterwards.
`--profile PREFIX` writes a pyinstrument profile of the timed run to PREFIX.<db>.txt and .html
(run the script with `uv run --with pyinstrument`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from measure import (
    RunChild,
    each_database,
    hwm_mib,
    load_average,
    max_rss_mib,
    quiet_logs,
    resident_ids,
    save_profile,
)
from recruitment_applications import expect
from sqlalchemy import Column, ForeignKeyConstraint, MetaData, Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from recruitment.applications.domain import ApplicationStatus, screened
from recruitment.bootstrap import handlers
from recruitment.config import Settings
from recruitment.ids import new_id
from recruitment.main import create_app
from recruitment.models import Application, ApplicationEvent, Score
from recruitment.rules.eligibility import ApplicantFacts, Requirements, screen
from recruitment.stages.domain import review_reason
from union_dev.testing.api import bearer, running
from union_dev.testing.clock import SetClock
from union_dev.testing.databases import migrated_database
from union_dev.testing.events import unit_tree_events
from union_dev.testing.service import deliver
from union_shared.auth import Role
from union_shared.bulk import insert_rows
from union_shared.db import create_engine, session_factory
from union_shared.resident_id import keyed_hash, parse_resident_id
from union_shared.vocabulary import Education, Qualification

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "recruitment"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TARGET_S = 10.0
NO_BROKER = "127.0.0.1:1"  # nothing listens there; background tasks are off, so none is needed
CHUNK = 5_000
# The campaign's clock: created and announced at T0, the window open from T0 + 7 days for 11
# days, the qualification review the day after it closed, the scoring two days after that.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
OPENS, CLOSES = T0 + timedelta(days=7), T0 + timedelta(days=18)
REVIEWED, SCORED = T0 + timedelta(days=19), T0 + timedelta(days=20)
CITY = bearer(Role.CITY_ADMIN, unit_id="city", sub="bench-admin")
CITY_LABEL = "bench-admin (city_admin)"
REQUIREMENTS = {"min_education": "bachelor", "majors": ["社会工作", "社会学", "心理学"],
                "max_age": 50, "age_as_of": OPENS.date().isoformat()}  # fmt: skip
SCORERS = [f"scorer-{i:02d}" for i in range(1, 13)]


@dataclass
class Result:
    db: str
    applications: int = 0
    places: int = 0
    setup_s: float | None = None
    same_as_service: str | None = None
    run: dict[str, Any] | None = None
    stored: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    executemany_s: float | None = None
    copy_s: float | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None


# --- the campaign -------------------------------------------------------------------------------


def streets(count: int) -> list[str]:
    """`count` streets, 8 to a district, under one city."""
    return [f"/city/d{i // 8 + 1}/d{i // 8 + 1}s{i % 8 + 1}/" for i in range(count)]


def quotas(count: int) -> list[int]:
    """About 100 places over `count` postings, as the city call's 64: 2 places for the first
    36 of every 64, 1 for the other 28."""
    return [2 if i % 64 < 36 else 1 for i in range(count)]


async def open_campaign(client: Any, paths: list[str]) -> tuple[str, list[str]]:
    """A city campaign with a posting in each street, created and announced through the API."""
    body = {"name": "2026年天津市工会社会工作者公开招聘", "unit_id": "city",
            "window_opens_at": OPENS.isoformat(), "window_closes_at": CLOSES.isoformat()}  # fmt: skip
    cid = (await expect(client.post("/campaigns", json=body, headers=CITY), 201))["id"]
    postings = []
    for i, (path, quota) in enumerate(zip(paths, quotas(len(paths)), strict=True), 1):
        posting = {"unit_id": path.strip("/").split("/")[-1], "code": f"TJ-{i:03d}",
                   "title": "街道工会社会工作者", "quota": quota, "requirements": REQUIREMENTS}  # fmt: skip
        made = await expect(
            client.post(f"/campaigns/{cid}/postings", json=posting, headers=CITY), 201
        )
        postings.append(made["id"])
    await expect(client.post(f"/campaigns/{cid}/announce", headers=CITY), 200)
    return cid, postings


def form(number: str, posting_id: str, i: int, rng: random.Random) -> dict[str, Any]:
    """An application form that meets the postings' requirements (all are qualified)."""
    return {
        "posting_id": posting_id, "resident_id": number,
        "name": rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静"]),
        "phone": f"13{rng.randrange(10**8, 10**9)}", "education": rng.choice(["bachelor", "master"]),
        "majors": [rng.choice(REQUIREMENTS["majors"])], "residence_region": number[:6],
        "years_experience": rng.randrange(0, 8),
        "documents": [{"kind": "degree", "ref": f"files/degree-{i:06d}.pdf"}],
    }  # fmt: skip


def subject(number: str) -> str:
    return f"applicant-{number}"


def application_rows(
    body: dict[str, Any], campaign_id: str, hash_key: bytes, submitted: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The application and its two steps (submitted, then reviewed to qualified) as
    applications.service.submit and stages.service.review store them for this form."""
    person = parse_resident_id(body["resident_id"], as_of=submitted.date())
    facts = ApplicantFacts(
        birth_date=person.birth_date, education=Education(body["education"]),
        majors=tuple(m.strip() for m in body["majors"]), residence_region=body["residence_region"],
        years_experience=body["years_experience"], qualification=Qualification.NONE,
    )  # fmt: skip
    failures = screen(Requirements.model_validate(REQUIREMENTS), facts)
    before, after = screened(failures), ApplicationStatus.QUALIFIED
    row = {
        "id": new_id(), "campaign_id": campaign_id, "posting_id": body["posting_id"],
        "id_hash": keyed_hash(person.number, hash_key), "resident_id": person.number,
        "name": body["name"].strip(), "sex": person.sex.value, "birth_date": person.birth_date,
        "phone": body["phone"], "email": None, "education": body["education"],
        "majors": list(facts.majors), "residence_region": body["residence_region"],
        "years_experience": body["years_experience"], "qualification": Qualification.NONE.value,
        "documents": body["documents"], "applicant_subject": subject(person.number),
        "status": after.value, "screening": [{"rule": f.rule.value, "message": f.message}
                                             for f in failures],
        "submitted_at": submitted, "updated_at": REVIEWED, "bonus_points": Decimal("0.00"),
        "composite": None, "rank": None, "run_off_needed": False, "start_date": None,
        "worker_id": None,
    }  # fmt: skip
    reason = "automatic screening: " + ("failed " + ", ".join(f.rule.value for f in failures)
                                        if failures else "every requirement met")  # fmt: skip
    steps = [
        step(row["id"], "submitted", None, before, f"{subject(person.number)} (applicant)",
             submitted, reason, {"failures": row["screening"]} if failures else None),
        step(row["id"], "reviewed", before, after, CITY_LABEL, REVIEWED,
             review_reason(before, after, None), None),
    ]  # fmt: skip
    return row, steps


def step(
    application_id: str, kind: str, before: ApplicationStatus | None, after: ApplicationStatus,
    actor: str, at: datetime, reason: str | None, detail: dict | None,
) -> dict[str, Any]:  # fmt: skip
    return {"id": new_id(), "application_id": application_id, "kind": kind,
            "status_from": None if before is None else before.value, "status_to": after.value,
            "actor": actor, "at": at, "reason": reason, "detail": detail}  # fmt: skip


async def through_the_service(client: Any, clock: SetClock, cid: str, body: dict) -> str:
    """The first applicant applies and is reviewed through the API, as the reference row."""
    clock.at = OPENS + timedelta(hours=1)
    headers = bearer(Role.APPLICANT, sub=subject(body["resident_id"]))
    made = await expect(
        client.post(f"/campaigns/{cid}/applications", json=body, headers=headers), 201
    )
    clock.at = REVIEWED
    review = {"decision": "qualified"}
    await expect(client.post(f"/applications/{made['id']}/review", json=review, headers=CITY), 200)
    return made["id"]


async def compare_with_service(
    engine: AsyncEngine, application_id: str, built: dict, built_steps: list[dict]
) -> str:
    """'equal', or the columns where the row built for the bulk insert differs from what the
    service stored for the same form (ids and the submission instant aside)."""
    apps, events = Application.__table__, ApplicationEvent.__table__
    async with engine.connect() as conn:
        stored = dict(
            (await conn.execute(select(apps).where(apps.c.id == application_id))).one()._mapping
        )
        query = (
            select(events).where(events.c.application_id == application_id).order_by(events.c.id)
        )
        steps = [dict(r._mapping) for r in await conn.execute(query)]
    skip = {"id", "application_id", "submitted_at", "at"}
    differ = [k for k in stored if k not in skip and stored[k] != built[k]]
    if len(steps) != len(built_steps):
        differ.append(f"{len(steps)} steps stored, {len(built_steps)} built")
    for stored_step, built_step in zip(steps, built_steps, strict=False):
        differ += [f"step {stored_step['kind']}.{k}" for k in stored_step
                   if k not in skip and stored_step[k] != built_step[k]]  # fmt: skip
    return "equal" if not differ else "differ: " + ", ".join(differ)


async def insert_applications(engine: AsyncEngine, rows: list[dict], steps: list[dict]) -> None:
    async with session_factory(engine)() as session, session.begin():
        for table, items in ((Application.__table__, rows), (ApplicationEvent.__table__, steps)):
            for start in range(0, len(items), CHUNK):
                await insert_rows(session, table, items[start : start + CHUNK])


def written_file(ids: list[str], rng: random.Random) -> bytes:
    """One written score per application, two decimals from 30.00 to 97.99, by 12 scorers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["application_id", "score", "scorer"])
    for application_id in ids:
        score = Decimal(rng.randrange(3000, 9800)) / 100
        writer.writerow([application_id, f"{score:.2f}", rng.choice(SCORERS)])
    return out.getvalue().encode()


async def setup(
    engine: AsyncEngine, url: str, args: argparse.Namespace, folder: Path, result: Result
) -> dict:
    """The campaign, its applications and the written score file; the child's order."""
    rng = random.Random(23)
    settings = Settings(database_url=url, run_background_tasks=False,
                        kafka_bootstrap_servers=NO_BROKER, log_level="WARNING")  # fmt: skip
    key = settings.identifier_hash_key_bytes()
    clock = SetClock(T0)
    app = create_app(settings, clock=clock)
    paths = streets(args.postings)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]  (deliver reads the app's sessions)
        await deliver(client, "recruitment", handlers(), *unit_tree_events(*paths))
        cid, postings = await open_campaign(client, paths)
        weights = [1 + i % 4 for i in range(len(postings))]  # some postings draw 4x others
        numbers = resident_ids(args.applications, rng, born=(1980, 2004))
        chosen = rng.choices(postings, weights, k=len(numbers))
        forms = [form(n, p, i, rng) for i, (n, p) in enumerate(zip(numbers, chosen, strict=True))]
        first = await through_the_service(client, clock, cid, forms[0])
    window = (CLOSES - OPENS).total_seconds()
    rows, steps = [], []
    for body in forms:
        submitted = OPENS + timedelta(seconds=rng.uniform(3600, window - 3600))
        row, row_steps = application_rows(body, cid, key, submitted)
        rows.append(row)
        steps += row_steps
    result.same_as_service = await compare_with_service(engine, first, rows[0], steps[:2])
    await insert_applications(engine, rows[1:], steps[2:])
    ids = [first] + [r["id"] for r in rows[1:]]
    written = folder / f"written-{result.db}.csv"
    written.write_bytes(written_file(ids, rng))
    result.applications, result.places = len(ids), sum(quotas(len(postings)))
    return {"url": url, "campaign_id": cid, "postings": postings, "written": str(written),
            "folder": str(folder), "db": result.db, "profile": None}  # fmt: skip


# --- the timed run (the child process) ----------------------------------------------------------


def interview_file(ids: list[str], rng: random.Random) -> bytes:
    """One interview score per shortlisted applicant, two decimals from 50.00 to 95.99."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["application_id", "score", "scorer"])
    for application_id in ids:
        score = Decimal(rng.randrange(5000, 9600)) / 100
        writer.writerow([application_id, f"{score:.2f}", rng.choice(SCORERS)])
    return out.getvalue().encode()


async def upload(client: Any, cid: str, kind: str, content: bytes) -> dict:
    files = {"file": (f"{kind}.csv", content, "text/csv")}
    reply = client.post(f"/campaigns/{cid}/scores/import", params={"kind": kind}, files=files,
                        headers=CITY)  # fmt: skip
    return await expect(reply, 200)


async def each_posting(client: Any, postings: list[str], stage: str) -> list[dict]:
    return [
        await expect(client.post(f"/postings/{p}/{stage}", headers=CITY), 200) for p in postings
    ]


class Steps:
    """Wall and CPU seconds of each timed step of the child."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def timed(self, name: str) -> _Timing:
        return _Timing(self, name)


class _Timing:
    def __init__(self, steps: Steps, name: str) -> None:
        self.steps, self.name = steps, name

    def __enter__(self) -> None:
        self.began, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *_: object) -> None:
        took = [time.perf_counter() - self.began, time.process_time() - self.cpu]
        self.steps.times[self.name] = took


async def scoring(client: Any, order: dict, steps: Steps) -> dict[str, Any]:
    """The four steps; the interview file is written between them, outside the timing."""
    cid, postings = order["campaign_id"], order["postings"]
    written = Path(order["written"]).read_bytes()  # noqa: ASYNC240 (before the timing)
    with steps.timed("written"):
        imported = await upload(client, cid, "written", written)
    with steps.timed("shortlist"):
        drawn = await each_posting(client, postings, "shortlist")
    shortlisted = sorted(i for d in drawn for i, s in d["moved"].items() if s == "shortlisted")
    interview = interview_file(shortlisted, random.Random(29))
    with steps.timed("interview"):
        interviewed = await upload(client, cid, "interview", interview)
    with steps.timed("ranking"):
        ranked = await each_posting(client, postings, "ranking")
    return {"written_rows": imported["counts"]["new"], "shortlisted": len(shortlisted),
            "interview_rows": interviewed["counts"]["new"],
            "ranked": sum(len(r["moved"]) for r in ranked)}  # fmt: skip


async def child_run(order: dict) -> dict[str, Any]:
    settings = Settings(database_url=order["url"], run_background_tasks=False,
                        kafka_bootstrap_servers=NO_BROKER, log_level="WARNING")  # fmt: skip
    app = create_app(settings, clock=SetClock(SCORED))
    steps = Steps()
    async with running(app) as client:
        # The service is up and its pool open, as a running pod's; nothing of the run is warm.
        await expect(client.get(f"/campaigns/{order['campaign_id']}", headers=CITY), 200)
        rss_before = max_rss_mib()
        profiler = None
        if order["profile"]:
            from pyinstrument import Profiler  # uv run --with pyinstrument

            profiler = Profiler(async_mode="enabled")
            profiler.start()
        counts = await scoring(client, order, steps)
        if profiler is not None:
            profiler.stop()
            save_profile(profiler, Path(order["profile"]))
    return {**counts, "steps": steps.times, "rss_before_mib": rss_before,
            "rss_peak_mib": max_rss_mib(), "hwm_mib": hwm_mib()}  # fmt: skip


def child_main() -> int:
    """`--child`: one order on stdin, the timed run, one JSON line back."""
    quiet_logs()
    order = json.loads(sys.stdin.readline())
    print(json.dumps(asyncio.run(child_run(order))), flush=True)
    return 0


# --- the baseline -------------------------------------------------------------------------------


def scratch_table(name: str) -> Table:
    """`scores`' columns, key and foreign key to applications, under another name."""
    metadata = MetaData()
    Application.__table__.to_metadata(metadata)  # for the foreign key only; never created
    columns = [Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
               for c in Score.__table__.columns]  # fmt: skip
    fk = ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE")
    return Table(name, metadata, *columns, fk)


async def bare_inserts(engine: AsyncEngine) -> tuple[float, float]:
    """The score rows the run stored, into two fresh scratch tables, each in one transaction
    (commit included): Core executemany in chunks, then union_shared.bulk (COPY on PostgreSQL)."""
    async with engine.connect() as conn:
        rows = [dict(r._mapping) for r in await conn.execute(select(Score.__table__))]
    timings = []
    for name, bulk in (("bench_scores_executemany", False), ("bench_scores_bulk", True)):
        table = scratch_table(name)
        async with engine.begin() as conn:
            await conn.run_sync(table.create)
        began = time.perf_counter()
        async with session_factory(engine)() as session, session.begin():
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                if bulk:
                    await insert_rows(session, table, chunk)
                else:
                    await session.execute(table.insert(), chunk)
        timings.append(time.perf_counter() - began)
        async with engine.begin() as conn:
            await conn.run_sync(table.drop)
    return timings[0], timings[1]


# --- running and reporting ----------------------------------------------------------------------


async def count_rows(engine: AsyncEngine, result: Result) -> None:
    async with engine.connect() as conn:
        kinds = select(Score.kind, func.count()).group_by(Score.kind)
        result.stored = {k: n for k, n in await conn.execute(kinds)}
        statuses = select(Application.status, func.count()).group_by(Application.status)
        result.statuses = {s: n for s, n in await conn.execute(statuses)}


async def bench_database(db: str, args: argparse.Namespace, folder: Path) -> Result:
    result = Result(db)
    child = RunChild(__file__)
    await child.start()  # before the setup: its peak RSS is the run's own
    admin = args.postgres_url if db == "postgresql" else None
    try:
        async with migrated_database(folder, SERVICE_DIR, "recruitment", admin) as url:
            engine = create_engine(url)
            try:
                await run_database(engine, url, child, args, folder, result)
            finally:
                await engine.dispose()
    finally:
        await child.stop()
    return result


async def run_database(
    engine: AsyncEngine, url: str, child: RunChild, args: argparse.Namespace, folder: Path,
    result: Result,
) -> None:  # fmt: skip
    db = result.db
    print(f"[{db}] setup: {args.applications:,} applications ...", file=sys.stderr, flush=True)
    began = time.perf_counter()
    order = await setup(engine, url, args, folder, result)
    result.setup_s = time.perf_counter() - began
    print(f"[{db}] set up in {result.setup_s:.1f}s; the run ...", file=sys.stderr, flush=True)
    order["profile"] = f"{args.profile}.{db}.txt" if args.profile else None
    result.run = await child.ask(order)
    await count_rows(engine, result)
    print(f"[{db}] baseline ...", file=sys.stderr, flush=True)
    result.executemany_s, result.copy_s = await bare_inserts(engine)
    if result.same_as_service != "equal":
        result.notes.append(f"bulk application rows and the service's {result.same_as_service}")


def fmt(value: float | None, spec: str = ",.2f") -> str:
    return "-" if value is None else format(value, spec)


def step_s(r: Result, name: str) -> float | None:
    return None if r.run is None else r.run["steps"][name][0]


def total_s(r: Result) -> float | None:
    return None if r.run is None else sum(wall for wall, _ in r.run["steps"].values())


def cpu_s(r: Result) -> float | None:
    return None if r.run is None else sum(cpu for _, cpu in r.run["steps"].values())


def against_target(r: Result) -> str:
    total = total_s(r)
    return "-" if total is None else f"{total:.2f} {'PASS' if total <= TARGET_S else 'MISS'}"


def times(r: Result, value: float | None) -> str:
    total = total_s(r)
    return "-" if total is None or not value else f"{total / value:.1f}x"


def rows(args: argparse.Namespace) -> list[tuple[str, Any]]:
    return [
        ("setup, not timed (s)", lambda r: fmt(r.setup_s, ",.1f")),
        ("check: a bulk application row = the service's", lambda r: r.same_as_service or "-"),
        ("applications / postings / places", lambda r: f"{r.applications:,} / {args.postings} / {r.places}"),
        ("1. import written scores, one file (s)", lambda r: fmt(step_s(r, "written"))),
        ("2. draw the shortlist of every posting (s)", lambda r: fmt(step_s(r, "shortlist"))),
        ("3. import interview scores, one file (s)", lambda r: fmt(step_s(r, "interview"))),
        ("4. rank every posting (s)", lambda r: fmt(step_s(r, "ranking"))),
        (f"scoring end to end, 1-4 (s) (target <= {TARGET_S:g})", against_target),
        ("  CPU of the run's process (s)", lambda r: fmt(cpu_s(r))),
        ("  peak RSS getrusage / VmHWM (MiB)", rss),
        ("  before the run (MiB)", lambda r: "-" if r.run is None else f"{r.run['rss_before_mib']:.0f}"),
        ("written rows / shortlisted / interview rows / ranked", counts),
        ("stored: written / interview scores", stored),
        ("bare insert of the same score rows, Core executemany (s)", lambda r: fmt(r.executemany_s)),
        ("  run / bare insert", lambda r: times(r, r.executemany_s)),
        ("the same rows by union_shared.bulk (COPY on PostgreSQL) (s)", lambda r: fmt(r.copy_s)),
        ("  run / bulk insert", lambda r: times(r, r.copy_s)),
    ]  # fmt: skip


def rss(r: Result) -> str:
    if r.run is None:
        return "-"
    return f"{r.run['rss_peak_mib']:.0f} / {fmt(r.run['hwm_mib'], '.0f')}"


def stored(r: Result) -> str:
    return f"{r.stored.get('written', 0):,} / {r.stored.get('interview', 0):,}"


def counts(r: Result) -> str:
    if r.run is None:
        return "-"
    keys = ("written_rows", "shortlisted", "interview_rows", "ranked")
    return " / ".join(f"{r.run[k]:,}" for k in keys)


def report(results: list[Result], args: argparse.Namespace, loads: list[str]) -> None:
    print()
    print(
        f"recruitment scoring: {args.applications:,} applications over {args.postings} postings, "
        f"recruitment's app in-process (httpx ASGI transport), one request after another; "
        f"{os.cpu_count()} CPUs; load average {' -> '.join(loads)}"
    )
    table = rows(args)
    label_w = max(len(label) for label, _ in table) + 2
    col_w = 24
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
    parser = argparse.ArgumentParser(description="Scoring a recruitment campaign end to end.")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--postings", type=int, default=64)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    parser.add_argument("--profile", help="pyinstrument profile of the run to PREFIX.<db>.txt")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    loads = [load_average()]
    results = await each_database(
        dbs,
        lambda db, tmp: bench_database(db, args, tmp),
        lambda db, error: Result(db, error=error),
        "bench-recruitment-scoring-",
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
