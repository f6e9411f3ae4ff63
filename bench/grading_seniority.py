"""Benchmark of grading's daily seniority run over 100,000 due workers, with baselines.

    uv run python bench/grading_seniority.py [--workers 100000] [--db postgresql|sqlite|both]

For each database, in one run on the same machine:

1. setup (not timed): a fresh database with grading's Alembic migrations, the shipped policies
   (`seed_shipped`), and --workers active `graded_workers` over 50 units, their 0-10
   `graded_appraisals` each and their current `grade_history`, as the ladder engine evaluates
   them on the day before the run date. Every worker has a seniority anniversary on the run date,
   so every one is due (`next_review_on` = the run date) and about 80% really step a level. About
   1% were hired again after leaving: an earlier employment of two to four years that ended at
   least a year before the current hire (`earlier_employments`), which the run replays too
   (ladder.episodes). All of it goes in with Core executemany in chunks of 5,000, then ANALYZE.
2. run: one `grading.seniority.service.run` for the run date, as SYSTEM_ACTOR, in one session
   and one transaction, commit included, in a child process started before the population is
   built (so its getrusage peak RSS is the run's own, as the CronJob's pod would see it).
   Target: within 10 s. Then a second run for the same date, which must evaluate 0 workers and
   change 0.
3. baselines: as many rows as the run wrote (grade_history + outbox) put into a scratch table
   shaped like grade_history in the same database, in chunks of 5,000 in one transaction,
   commit included: with Core executemany, and (PostgreSQL only) with COPY through
   `union_shared.bulk.insert_rows`, as the run now writes its history and outbox rows. The run /
   baseline ratios are printed.
4. engine alone (no database, once): evaluations per second of the ladder engine over the same
   facts as of the run date, beside the same loop building only the `WorkerFacts` (the floor).

Figures are printed, never asserted; the exit code is 0 unless something crashed. SQLite files live
in a temporary folder; PostgreSQL databases are made fresh from the admin URL and dropped
afterwards. `--profile PREFIX` writes a pyinstrument profile of the timed run to PREFIX.<db>.txt and
.html (run the script with `uv run --with pyinstrument`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from measure import (
    RunChild,
    hwm_mib,
    insert_chunked,
    load_average,
    max_rss_mib,
    quiet_logs,
    save_profile,
)
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from grading.grades.service import next_review, replay_of
from grading.ids import new_id
from grading.ladder.engine import evaluate
from grading.ladder.evaluation import Evaluation, WorkerFacts
from grading.models import GradedAppraisal, GradedWorker, GradeIntervalRow
from grading.policies.service import catalogue, seed_shipped
from grading.seniority.service import run
from union_dev.testing.databases import migrated_database
from union_shared.audit import SYSTEM_ACTOR
from union_shared.bulk import insert_rows
from union_shared.db import create_engine, session_factory
from union_shared.messaging.tables import outbox
from union_shared.vocabulary import Education, GradeChangeCause, Rating

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "grading"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
POLICY = "tianjin-3p18l"  # grading's default policy; no unit has an assignment of its own
DEFAULT_AS_OF = date(2026, 9, 1)  # fixed, so runs compare; not 1 January, not 29 February
RUN_TARGET_S = 10.0
CHUNK = 5_000
# Workers whose counted years reach a multiple of 3 on the run date; about 5 points of them do
# not step after all, because a basically-competent year ending before the run date already
# pushed their step past it.
STEPPING_SHARE = 0.85
EDUCATIONS = ["below_bachelor", "bachelor", "bachelor", "bachelor", "master", "doctorate"]
RATINGS = (["competent"] * 16) + (["excellent"] * 3) + ["basically_competent"]  # 80/15/5 %


@dataclass
class Result:
    db: str
    workers: int = 0
    appraisals: int = 0
    history_seeded: int = 0
    setup_s: float | None = None
    not_due: int = 0
    run: dict[str, Any] | None = None  # what the child process measured
    history_written: int = 0
    superseded: int = 0
    outbox_written: int = 0
    bare_s: float | None = None
    copy_s: float | None = None  # the same rows by COPY (PostgreSQL only)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def written(self) -> int:
        return self.history_written + self.outbox_written


@dataclass(frozen=True, slots=True)
class Staff:
    """One generated worker: the facts the ladder needs, as grading stores them."""

    worker_id: str
    unit_id: str
    unit_path: str
    hire_date: date
    seniority_start: date
    education: str
    ratings: dict[int, str]  # year -> rating
    earlier: list[dict[str, str]] | None = None  # an employment before a re-hire, as stored


REHIRED_SHARE = 0.01


def earlier_employment(rng: random.Random, hire: date, education: str) -> list[dict[str, str]]:
    """An employment of two to four years that ended a year or more before `hire`."""
    left_on = date(hire.year - 1 - rng.randint(0, 2), rng.randint(1, 12), 28)
    began = date(left_on.year - rng.randint(2, 4), rng.randint(1, 12), rng.randint(1, 28))
    return [
        {
            "hire_date": began.isoformat(),
            "seniority_start": began.isoformat(),
            "left_on": left_on.isoformat(),
            "education": education,
        }
    ]


# --- the generated population --------------------------------------------------------------------


def units(rng: random.Random) -> list[tuple[str, str]]:
    """The 49 units under one city (7 districts, 6 streets each) as (unit_id, unit_path)."""
    city = new_id()
    found = []
    for _ in range(7):
        district = new_id()
        found.append((district, f"/{city}/{district}/"))
        for _ in range(6):
            street = new_id()
            found.append((street, f"/{city}/{district}/{street}/"))
    return found


def seniority_years(rng: random.Random, least: int, skipped: int) -> int:
    """Whole years from seniority_start to the run date: at least `least` (so seniority_start is
    on or before the hire date). A step falls on the anniversary when the counted years (the
    years less those rated basically competent) are a multiple of 3."""
    residue = 0 if rng.random() < STEPPING_SHARE else rng.choice([1, 2])
    years = max(least, skipped + 3)
    while (years - skipped) % 3 != residue:
        years += 1
    if rng.random() < 0.2:
        years += 3 * rng.randint(1, 2)  # credited prior service
    return years


def population(count: int, as_of: date, seed: int = 20260901) -> list[Staff]:
    rng = random.Random(seed)
    places = units(rng)
    staff = []
    for _ in range(count):
        unit_id, unit_path = rng.choice(places)
        hire = date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        years = list(range(hire.year, as_of.year))  # appraisal years already over
        kept = years[len(years) - min(len(years), rng.randint(0, 10)) :]  # the most recent ones
        ratings = {year: rng.choice(RATINGS) for year in kept}
        skipped = sum(r == "basically_competent" for r in ratings.values())
        least = as_of.year - hire.year + (date(hire.year, as_of.month, as_of.day) > hire)
        start_year = as_of.year - seniority_years(rng, least, skipped)
        education = rng.choice(EDUCATIONS)
        rehired = rng.random() < REHIRED_SHARE
        staff.append(
            Staff(
                worker_id=new_id(),
                unit_id=unit_id,
                unit_path=unit_path,
                hire_date=hire,
                seniority_start=date(start_year, as_of.month, as_of.day),
                education=education,
                ratings=ratings,
                earlier=earlier_employment(rng, hire, education) if rehired else None,
            )
        )
    return staff


def facts(s: Staff) -> WorkerFacts:
    """As grading.grades.service.facts_of builds them from the stored rows."""
    return WorkerFacts(
        hire_date=s.hire_date,
        seniority_start=s.seniority_start,
        education=Education(s.education),
        appraisals={year: Rating(r) for year, r in s.ratings.items() if year >= s.hire_date.year},
        left_on=None,
    )


def history_rows(s: Staff, policy: Any, evaluation: Evaluation, now: datetime) -> list[dict]:
    """The current grade_history rows, as `apply` builds them."""
    return [
        {
            "id": new_id(),
            "worker_id": s.worker_id,
            "policy_id": policy.id,
            "policy_version": policy.version,
            "post": i.post,
            "level": i.level,
            "start": i.start,
            "end": i.end,
            "reasons": [{"rule": r.rule, "detail": r.detail} for r in i.reasons],
            "cause": GradeChangeCause.ONBOARDING.value,
            "cause_event_id": new_id(),
            "recorded_at": now,
            "superseded_at": None,
        }
        for i in evaluation.timeline
    ]


# --- databases -----------------------------------------------------------------------------------


async def seed(engine: AsyncEngine, staff: list[Staff], as_of: date, result: Result) -> None:
    """Policies, workers, appraisals and current history as evaluated the day before."""
    began = time.perf_counter()
    day_before = as_of - timedelta(days=1)
    async with session_factory(engine)() as session, session.begin():
        await seed_shipped(session)
    async with session_factory(engine)() as session:
        books = await catalogue(session, POLICY)
    now = datetime.now(UTC)
    workers, appraisals, history = [], [], []
    for s in staff:
        policy = books.book_for_unit(s.unit_id).in_force(day_before)
        if s.earlier is None:
            evaluation = evaluate(facts(s), policy, day_before)
        else:  # as the run will replay it: each employment, the current one resumed
            evaluation = replay_of(stored(s), s.ratings, [policy], day_before).evaluation
        history += history_rows(s, policy, evaluation, now)
        review = next_review(SimpleNamespace(**vars_of(s)), day_before)  # type: ignore[arg-type]
        result.not_due += review != as_of
        workers.append(
            {
                "worker_id": s.worker_id,
                "unit_id": s.unit_id,
                "unit_path": s.unit_path,
                "hire_date": s.hire_date,
                "seniority_start": s.seniority_start,
                "education": s.education,
                "status": "active",
                "left_on": None,
                "earlier_employments": s.earlier,
                "post": evaluation.post,
                "level": evaluation.level,
                "policy_id": policy.id,
                "next_review_on": review,
                "updated_at": now,
            }
        )
        appraisals += [
            {
                "worker_id": s.worker_id,
                "year": year,
                "revision": 1,
                "rating": rating,
                "appraisal_id": new_id(),
            }
            for year, rating in s.ratings.items()
        ]
    async with engine.begin() as conn:
        await insert_chunked(conn, GradedWorker.__table__, workers)
        await insert_chunked(conn, GradedAppraisal.__table__, appraisals)
        await insert_chunked(conn, GradeIntervalRow.__table__, history)
    async with engine.connect() as conn:  # fresh statistics, as autovacuum would have them
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    result.workers, result.appraisals, result.history_seeded = (
        len(workers),
        len(appraisals),
        len(history),
    )
    result.setup_s = time.perf_counter() - began
    if result.not_due:
        result.notes.append(f"{result.not_due} workers were not due on {as_of} (expected 0)")


def stored(s: Staff) -> SimpleNamespace:
    """The worker's facts as grading stores them (the fields `replay_of` reads)."""
    return SimpleNamespace(
        hire_date=s.hire_date,
        seniority_start=s.seniority_start,
        education=s.education,
        left_on=None,
        earlier_employments=s.earlier,
    )


def vars_of(s: Staff) -> dict[str, Any]:
    return {"hire_date": s.hire_date, "seniority_start": s.seniority_start}


async def count_written(engine: AsyncEngine, result: Result) -> None:
    history = GradeIntervalRow.__table__
    async with engine.connect() as conn:
        result.history_written = await conn.scalar(
            select(func.count())
            .select_from(history)
            .where(history.c.cause == GradeChangeCause.SENIORITY.value)
        )
        result.superseded = await conn.scalar(
            select(func.count()).select_from(history).where(history.c.superseded_at.is_not(None))
        )
        result.outbox_written = await conn.scalar(select(func.count()).select_from(outbox))


# --- the timed run, in a child process -----------------------------------------------------------


async def child_run(url: str, as_of: date, profile: str | None) -> dict[str, Any]:
    engine = create_engine(url)
    factory = session_factory(engine)
    try:
        async with engine.connect() as conn:  # a pooled connection, as a warm service has
            await conn.execute(text("SELECT 1"))
        gc.collect()
        rss_before = max_rss_mib()
        profiler = None
        if profile:
            from pyinstrument import Profiler  # uv run --with pyinstrument

            profiler = Profiler(async_mode="enabled")
            profiler.start()
        began = time.perf_counter()
        async with factory() as session, session.begin():
            record = await run(session, SYSTEM_ACTOR, as_of, POLICY, as_of)
        took = time.perf_counter() - began
        if profiler is not None:
            profiler.stop()
            save_profile(profiler, Path(profile))
        rss_peak, hwm = max_rss_mib(), hwm_mib()
        began = time.perf_counter()
        async with factory() as session, session.begin():
            again = await run(session, SYSTEM_ACTOR, as_of, POLICY, as_of)
        rerun_s = time.perf_counter() - began
    finally:
        await engine.dispose()
    return {
        "run_s": took,
        "evaluated": record.evaluated,
        "changed": record.changed,
        "rss_before_mib": rss_before,
        "rss_peak_mib": rss_peak,
        "hwm_mib": hwm,
        "rerun_s": rerun_s,
        "rerun_evaluated": again.evaluated,
        "rerun_changed": again.changed,
    }


def child_main() -> int:
    """`--child`: wait for one order on stdin, do the run, answer with one JSON line."""
    order = json.loads(sys.stdin.readline())
    as_of = date.fromisoformat(order["as_of"])
    print(json.dumps(asyncio.run(child_run(order["url"], as_of, order["profile"]))), flush=True)
    return 0


# --- the baseline --------------------------------------------------------------------------------


def scratch_table(name: str = "bench_scratch") -> Table:
    """grade_history's columns and indexes, under another name."""
    metadata = MetaData()
    table = Table(
        name,
        metadata,
        Column("id", String(36), primary_key=True),
        Column("worker_id", String(36)),
        Column("policy_id", String(60)),
        Column("policy_version", Integer),
        Column("post", String(30)),
        Column("level", Integer),
        Column("start", Date),
        Column("end", Date),
        Column("reasons", JSON),
        Column("cause", String(20)),
        Column("cause_event_id", String(36)),
        Column("recorded_at", DateTime(timezone=True)),
        Column("superseded_at", DateTime(timezone=True)),
    )
    Index(f"ix_{name}_worker", table.c.worker_id, table.c.superseded_at)
    return table


def bare_rows(count: int, as_of: date) -> list[dict]:
    now = datetime.now(UTC)
    detail = (
        "6 counted years of service since 2020-09-01, complete on 2026-09-01 "
        "(one level every 3 years): level 2 -> 3."
    )
    return [
        {
            "id": new_id(),
            "worker_id": new_id(),
            "policy_id": POLICY,
            "policy_version": 1,
            "post": "junior",
            "level": 3,
            "start": as_of,
            "end": None,
            "reasons": [{"rule": "seniority.step", "detail": detail}],
            "cause": "seniority",
            "cause_event_id": None,
            "recorded_at": now,
            "superseded_at": None,
        }
        for _ in range(count)
    ]


async def bare_insert(engine: AsyncEngine, count: int, as_of: date) -> float:
    table = scratch_table()
    async with engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    rows = bare_rows(count, as_of)
    began = time.perf_counter()
    async with engine.begin() as conn:
        await insert_chunked(conn, table, rows)
    return time.perf_counter() - began


async def bare_copy(engine: AsyncEngine, count: int, as_of: date) -> float:
    """The same rows by COPY, through the helper the run uses, in one session's transaction."""
    table = scratch_table("bench_scratch_copy")
    async with engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    rows = bare_rows(count, as_of)
    began = time.perf_counter()
    async with session_factory(engine)() as session, session.begin():
        for start in range(0, len(rows), CHUNK):
            await insert_rows(session, table, rows[start : start + CHUNK])
    return time.perf_counter() - began


# --- the engine alone ----------------------------------------------------------------------------


@dataclass
class EngineFigures:
    evaluations: int
    facts_s: float
    evaluate_s: float


def engine_alone(staff: list[Staff], as_of: date) -> EngineFigures:
    from grading.ladder.policy import shipped_policies

    policy = shipped_policies()[POLICY].in_force(as_of)
    gc.collect()
    began = time.perf_counter()
    for s in staff:
        facts(s)
    facts_s = time.perf_counter() - began
    began = time.perf_counter()
    for s in staff:
        evaluate(facts(s), policy, as_of)
    evaluate_s = time.perf_counter() - began
    return EngineFigures(len(staff), facts_s, evaluate_s)


# --- running and reporting -----------------------------------------------------------------------


async def bench_database(
    db: str, staff: list[Staff], child: RunChild, args: argparse.Namespace, folder: Path
) -> Result:
    result = Result(db)
    async with migrated_database(
        folder, SERVICE_DIR, "grading", args.postgres_url if db == "postgresql" else None
    ) as url:
        engine = create_engine(url)
        try:
            print(f"[{db}] setup: {len(staff):,} workers ...", file=sys.stderr, flush=True)
            await seed(engine, staff, args.as_of, result)
            print(f"[{db}] setup took {result.setup_s:.1f}s; the run ...", file=sys.stderr)
            profile = f"{args.profile}.{db}.txt" if args.profile else None
            result.run = await child.ask(
                {"url": url, "as_of": args.as_of.isoformat(), "profile": profile}
            )
            await count_written(engine, result)
            hwm = result.run.get("hwm_mib")
            if hwm and abs(hwm - result.run["rss_peak_mib"]) > 0.15 * hwm:
                result.notes.append(
                    f"getrusage peak {result.run['rss_peak_mib']:.0f} MiB, but VmHWM {hwm:.0f} MiB"
                )
            print(f"[{db}] baseline: {result.written:,} rows ...", file=sys.stderr, flush=True)
            result.bare_s = await bare_insert(engine, result.written, args.as_of)
            if db == "postgresql":
                result.copy_s = await bare_copy(engine, result.written, args.as_of)
        finally:
            await engine.dispose()
    return result


def fmt(value: float | None, spec: str = ",.2f") -> str:
    return "-" if value is None else format(value, spec)


def run_cell(r: Result) -> str:
    if not r.run:
        return "-"
    seconds = r.run["run_s"]
    return f"{seconds:.2f} {'PASS' if seconds <= RUN_TARGET_S else 'MISS'}"


def ratio(r: Result, baseline: str = "bare_s") -> str:
    bare = getattr(r, baseline)
    if not r.run or not bare:
        return "-"
    return f"{r.run['run_s'] / bare:.1f}x"


def of_run(key: str, spec: str = ",") -> Any:
    return lambda r: "-" if not r.run else format(r.run[key], spec)


def report(
    results: list[Result], engine: EngineFigures | None, args: argparse.Namespace, loads: list[str]
) -> None:
    print()
    print(
        f"grading seniority benchmark: {args.workers:,} due workers, run date {args.as_of}, "
        f"policy {POLICY}; {os.cpu_count()} CPUs; load average {' -> '.join(loads)}"
    )
    rows = [
        ("setup, not timed: workers / appraisals", lambda r: f"{r.workers:,} / {r.appraisals:,}"),
        (
            "  current grade_history rows / took (s)",
            lambda r: f"{r.history_seeded:,} / {fmt(r.setup_s, '.1f')}",
        ),
        ("seniority run, one transaction incl. commit (s) (target <= 10)", run_cell),
        ("  evaluated", of_run("evaluated")),
        ("  changed", of_run("changed")),
        (
            "  rows written: grade_history + outbox",
            lambda r: (
                f"{r.history_written:,} + {r.outbox_written:,} = {r.written:,}" if r.run else "-"
            ),
        ),
        (
            "  rows updated: history superseded / workers",
            lambda r: f"{r.superseded:,} / {r.run['evaluated']:,}" if r.run else "-",
        ),
        ("  written rows/s", lambda r: f"{r.written / r.run['run_s']:,.0f}" if r.run else "-"),
        ("  peak RSS of the run's process (MiB)", of_run("rss_peak_mib", ",.0f")),
        ("    of which before the run (imports, engine)", of_run("rss_before_mib", ",.0f")),
        (
            "second run, same date: evaluated / changed (expect 0 / 0)",
            lambda r: (
                "-" if not r.run else f"{r.run['rerun_evaluated']} / {r.run['rerun_changed']}"
            ),
        ),
        ("  took (s)", of_run("rerun_s", ".3f")),
        ("bare insert of the rows written, Core executemany (s)", lambda r: fmt(r.bare_s)),
        ("  run / bare insert", ratio),
        ("bare insert of the rows written, COPY (union_shared.bulk) (s)", lambda r: fmt(r.copy_s)),
        ("  run / bare COPY", lambda r: ratio(r, "copy_s")),
    ]
    label_w = max(len(label) for label, _ in rows) + 2
    col_w = 26
    print()
    print(" " * label_w + "".join(r.db.rjust(col_w) for r in results))
    print("-" * (label_w + col_w * len(results)))
    for label, cell in rows:
        print(label.ljust(label_w) + "".join(cell(r).rjust(col_w) for r in results))
    if engine is not None:
        n = engine.evaluations
        print()
        print(f"engine alone, in process, no database, {n:,} facts as of {args.as_of}:")
        print(
            f"  WorkerFacts construction only (the floor): {n / engine.facts_s:>10,.0f} /s "
            f"({engine.facts_s:.2f} s)"
        )
        print(
            f"  WorkerFacts + evaluate:                    {n / engine.evaluate_s:>10,.0f} /s "
            f"({engine.evaluate_s:.2f} s, {engine.evaluate_s / n * 1e6:.0f} us each)"
        )
    print()
    for r in results:
        for note in r.notes:
            print(f"note [{r.db}]: {note}")
        if r.error:
            print(f"ERROR [{r.db}]: {r.error}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Grading's seniority run over due workers.")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--workers", type=int, default=100_000, help="workers, all due")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="the run date"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="pyinstrument profile of the timed run to PREFIX.<db>.txt/.html "
        "(uv run --with pyinstrument python bench/grading_seniority.py ...)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    loads = [load_average()]
    children = {db: RunChild(__file__) for db in dbs}
    for child in children.values():  # before the population is built: see RunChild
        await child.start()
    staff = population(args.workers, args.as_of)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        for db in dbs:
            began = time.perf_counter()
            try:
                results.append(await bench_database(db, staff, children[db], args, Path(tmp)))
            except Exception as exc:
                traceback.print_exc()
                results.append(Result(db, error=f"{type(exc).__name__}: {exc}"))
            finally:
                await children[db].stop()
            print(f"[{db}] done in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    print("[engine] evaluating in process ...", file=sys.stderr, flush=True)
    engine = engine_alone(staff, args.as_of)
    loads.append(load_average())
    report(results, engine, args, loads)
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_logs()
    if args.child:
        return child_main()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
