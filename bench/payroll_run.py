"""Benchmark of payroll's monthly run over 100,000 workers, with bare-insert baselines.

    uv run python bench/payroll_run.py [--workers 100000] [--db postgresql|sqlite|both]

For each database, in one run on the same machine:

1. setup (not timed): a fresh database with payroll's Alembic migrations and --workers workers
   over 49 units under one city (7 districts, 6 streets each; unit paths /city/district/street/),
   put straight into the tables the roster's and grading's events fill: `pay_workers`,
   `pay_employments` (about 1% with an earlier episode that ended over a year before, as a
   re-hire leaves), `worker_units` and `grade_spans` (ladder tianjin-3p18l: junior, middle and senior posts at
   levels within their ranges, some with an earlier span), plus `pay_profiles` (contribution bases
   from below the floor to above the ceiling, some special deductions and housing fund rates, a
   fifth with an older profile too) and `funder_shares` for every unit (two units change shares in
   mid-February). About 0.5% are hired and 0.5% leave during February; about 5% step a level in
   mid-February. All of it goes in with Core executemany in chunks of 5,000.
   Then January 2026 is paid by the service itself: `draft` for the city, `mark_reviewed` and
   `approve` by a second officer, so it is locked and February's run reads each worker's tax
   year to date from those payslips. After the lock, about 2% of workers are regraded from
   1 January, as the GradeReevaluated handler does it (spans superseded and replaced, an unpaid
   arrears line for January computed by the same pure functions), and about 3% get a bonus
   entitlement for appraisal year 2025. Then ANALYZE (on PostgreSQL VACUUM ANALYZE, so that
   autovacuum is not busy with the setup's rows during the timed run).
2. run: one `payroll.runs.service.draft` for the city and February 2026, in one session and one
   transaction, commit included, in a child process started before the population is built (so
   its getrusage peak RSS is the run's own, as a worker pod would see it; VmHWM is printed too).
   Targets: within 20 s and 1.5 GiB, and no problems. Beside the wall time: the CPU of the run's
   process, of PostgreSQL's processes (when the server runs on this machine) and of the whole
   machine, from /proc, over the same interval.
3. checks, printed: the run's payslip count, the sum of their net against the run's total, and a
   second draft for the same period and unit, which must be refused (409).
4. baselines: as many payslip rows as the run wrote (the same columns; the JSON columns cycled
   from 1,000 of the run's own payslips, so of typical sizes), put into a scratch table shaped
   like `payslips` in the same database, in chunks of 5,000 in one transaction, commit included:
   with Core executemany (the run / baseline ratio is printed), and again into another scratch
   table with `union_shared.bulk.insert_rows` (COPY on PostgreSQL), which the run writes with.
5. the pay core alone (first database only): in a fresh process, for 10,000 of the workers as
   the run loads them, the time per payslip to build PayFacts, to compute_payslip and to write
   the slip's JSON, without the database.
Figures are printed, never asserted; the exit code is 0 unless something crashed. SQLite files live
in a temporary folder; PostgreSQL databases are made fresh from the admin URL and dropped
afterwards. `--profile PREFIX` writes a pyinstrument profile of the timed run to PREFIX.<db>.txt and
.html (run the script with `uv run --with pyinstrument`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
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
    Column,
    Index,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    cast,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from payroll.adjustments.domain import Span, arrears_for, parse_period, replace_from
from payroll.ids import new_id
from payroll.models import (
    ArrearsLine,
    BonusEntitlement,
    FunderShares,
    GradeSpan,
    PayEmployment,
    PayProfile,
    PayRun,
    PayslipRow,
    PayWorker,
    WorkerUnit,
)
from payroll.pay.compute import compute_payslip
from payroll.pay.earnings import Employment, Period
from payroll.pay.policy import PolicyBook, shipped_pay_policies
from payroll.pay.tax import SpecialDeductionClaim
from payroll.runs import repository as runs_repository
from payroll.runs import service
from payroll.runs.facts import Dated, Shared, funder_shares, pay_facts
from union_dev.testing.databases import migrated_database
from union_shared.auth import Caller, Role
from union_shared.bulk import insert_rows
from union_shared.db import create_engine, session_factory
from union_shared.errors import Conflict
from union_shared.money import to_fen
from union_shared.vocabulary import Qualification

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "payroll"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
PAY_POLICY = "tianjin-pay"  # payroll's default pay policy
LADDER = "tianjin-3p18l"
PERIOD = "2026-02"  # the timed run; fixed, so runs compare
PREVIOUS = "2026-01"  # locked in setup: February reads the tax year to date from it
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
REGRADED_FROM = date(2026, 1, 1)  # the arrears workers' change, received after January locked
RUN_TARGET_S = 20.0
RSS_TARGET_MIB = 1536.0
CHUNK = 5_000
BASELINE_SAMPLE = 1_000
CORE_WORKERS = 10_000  # workers the pay core is timed on alone
REHIRED_SHARE = 0.01  # workers with an earlier employment episode, as re-hires have

POSTS = {"junior": (1, 12), "middle": (4, 15), "senior": (7, 18)}  # tianjin_pay_2025.yaml
POST_MIX = ["junior"] * 6 + ["middle"] * 3 + ["senior"]
QUALIFICATIONS = ["none"] * 5 + ["assistant_social_worker"] * 3 + ["social_worker"] * 2
QUALIFICATIONS += ["senior_social_worker"]
EDUCATIONS = ["below_bachelor", "bachelor", "bachelor", "bachelor", "master"]
RATINGS = ["competent"] * 16 + ["excellent"] * 3 + ["basically_competent"]  # 80/15/5 %
FUNDER_MIXES = [
    {"city": "60", "district": "40"},
    {"city": "50", "district": "30", "township": "20"},
    {"district": "100"},
    {"city": "33.33", "district": "33.33", "township": "33.34"},
    {"provincial": "20", "city": "40", "district": "40"},
    {"city": "100"},
]
OFFICER = Caller(subject="officer-li", role=Role.PAYROLL_OFFICER, name="Bench officer Li")
SECOND_OFFICER = Caller(subject="officer-wang", role=Role.PAYROLL_OFFICER, name="Officer Wang")


@dataclass
class Result:
    db: str
    counts: dict[str, int] = field(default_factory=dict)  # rows seeded, by what they are
    setup_s: float | None = None
    previous_s: float | None = None  # January's draft, in this process (setup)
    previous_payslips: int = 0
    run: dict[str, Any] | None = None  # what the child process measured
    payslips: int = 0
    net_sum_fen: int | None = None
    run_net_fen: int | None = None
    slip_bytes: float | None = None  # average size of the stored slip JSON (PostgreSQL)
    second_draft: str = "-"
    bare_rows: int = 0
    bare_s: float | None = None
    bulk_s: float | None = None  # the same rows by union_shared.bulk, as the run writes them
    core: dict[str, Any] | None = None  # the pay core alone (first database only)
    notes: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class Staff:
    """One generated worker: the facts payroll holds about them."""

    worker_id: str
    unit_id: str
    unit_path: str
    hire_date: date
    left_on: date | None
    qualification: str
    education: str
    post: str
    level: int
    step_on: date  # the current span's start (the last level step, or the hire date)
    base_fen: int  # last year's average monthly wage as declared
    housing_fund_rate: str | None
    special: dict[str, Any]
    account: str
    older_profile: bool
    feb_step: date | None = None  # a level step in mid-February
    regraded: bool = False  # a level more from 1 January, known after January was locked
    bonus_rating: str | None = None


# --- the generated population --------------------------------------------------------------------


def units() -> tuple[str, list[tuple[str, str]]]:
    """The city and its 49 units (7 districts, 6 streets each) as (unit_id, unit_path)."""
    city = new_id()
    found = []
    for _ in range(7):
        district = new_id()
        found.append((district, f"/{city}/{district}/"))
        for _ in range(6):
            street = new_id()
            found.append((street, f"/{city}/{district}/{street}/"))
    return city, found


def contribution_base(rng: random.Random) -> int:
    """Fen: about 25% below the 5,124 floor, 2% above the 25,620 ceiling, the rest between."""
    roll = rng.random()
    if roll < 0.25:
        return rng.randint(3_500_00, 5_123_99)
    if roll < 0.85:
        return rng.randint(5_124_00, 9_000_00)
    if roll < 0.98:
        return rng.randint(9_000_00, 25_620_00)
    return rng.randint(25_620_01, 40_000_00)


def special_deductions(rng: random.Random) -> dict[str, Any]:
    """About 40% declare something (专项附加扣除), as the profile endpoint stores it."""
    claim: dict[str, Any] = {}
    if rng.random() < 0.4:
        if rng.random() < 0.5:
            claim["children_in_education"] = rng.choice([1, 1, 2])
        if rng.random() < 0.1:
            claim["infants_under_3"] = 1
        if rng.random() < 0.3:
            if rng.random() < 0.5:
                claim["elderly_only_child"] = True
            else:
                claim["elderly_share"] = rng.choice(["500.00", "750.00", "1000.00", "1500.00"])
        housing = rng.random()
        if housing < 0.3:
            claim["housing_loan"] = True
        elif housing < 0.5:
            claim["rent_city"] = "large"
        claim["continuing_education"] = rng.random() < 0.1
    return SpecialDeductionClaim.model_validate(claim).model_dump(mode="json")


def worker(rng: random.Random, places: list[tuple[str, str]]) -> Staff:
    unit_id, unit_path = rng.choice(places)
    roll = rng.random()
    if roll < 0.005:  # hired during February
        hire = date(2026, 2, rng.randint(2, 27))
    else:
        hire = date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28))
    left_on = date(2026, 2, rng.randint(1, 27)) if 0.005 <= roll < 0.01 else None
    post = rng.choice(POST_MIX)
    low, high = POSTS[post]
    level = rng.randint(low, high)
    step_on = hire
    if level > low and hire < date(2023, 1, 1):
        step_on = date(rng.randint(hire.year + 1, 2025), rng.randint(1, 12), 1)
    return Staff(
        worker_id=new_id(),
        unit_id=unit_id,
        unit_path=unit_path,
        hire_date=hire,
        left_on=left_on,
        qualification=rng.choice(QUALIFICATIONS),
        education=rng.choice(EDUCATIONS),
        post=post,
        level=level,
        step_on=step_on,
        base_fen=contribution_base(rng),
        housing_fund_rate=(
            None if rng.random() < 0.5 else rng.choice(["0.05", "0.08", "0.10", "0.12"])
        ),
        special=special_deductions(rng),
        account=f"6222{rng.randrange(10**15):015d}",
        older_profile=rng.random() < 0.2,
    )


def population(count: int, seed: int = 20260201) -> tuple[str, list[tuple[str, str]], list[Staff]]:
    rng = random.Random(seed)
    city, places = units()
    staff = [worker(rng, places) for _ in range(count)]
    for s in staff:
        if s.level == POSTS[s.post][1] or s.hire_date >= FEBRUARY[0] or s.left_on is not None:
            continue  # the changes below step a level, over the whole of January and February
        roll = rng.random()
        if roll < 0.05:
            s.feb_step = date(2026, 2, rng.randint(2, 28))
        elif roll < 0.07:
            s.regraded = True
    for s in staff:
        if rng.random() < 0.03:
            s.bonus_rating = rng.choice(RATINGS)
    return city, places, staff


def span_row(s: Staff, level: int, start: date, end: date | None, now: datetime) -> dict:
    return {
        "id": new_id(), "worker_id": s.worker_id, "policy_id": LADDER, "post": s.post,
        "level": level, "start": start, "end": end, "cause_event_id": new_id(),
        "recorded_at": now, "superseded_at": None,
    }  # fmt: skip


def profile_row(s: Staff, effective_from: date, base_fen: int, now: datetime) -> dict:
    return {
        "id": new_id(), "worker_id": s.worker_id, "effective_from": effective_from,
        "contribution_base_fen": base_fen, "housing_fund_rate": s.housing_fund_rate,
        "special_deductions": s.special, "bank_account": s.account,
        "recorded_by": "officer-li (payroll_officer)", "recorded_at": now,
    }  # fmt: skip


def seed_rows(
    city: str, places: list[tuple[str, str]], staff: list[Staff], now: datetime
) -> dict[Any, list[dict]]:
    """What the roster's and grading's events, and the payroll officers, would have stored."""
    rng = random.Random(7)
    workers, memberships, spans, profiles, employments = [], [], [], [], []
    for s in staff:
        episode = 1
        if rng.random() < REHIRED_SHARE:  # an earlier employment, ended over a year before
            began, ended = date(s.hire_date.year - 4, 3, 1), date(s.hire_date.year - 2, 6, 30)
            employments.append({"worker_id": s.worker_id, "episode": 1, "hire_date": began,
                                "left_on": ended})  # fmt: skip
            episode = 2
        employments.append({"worker_id": s.worker_id, "episode": episode,
                            "hire_date": s.hire_date, "left_on": s.left_on})  # fmt: skip
        workers.append({
            "worker_id": s.worker_id, "unit_id": s.unit_id, "unit_path": s.unit_path,
            "hire_date": s.hire_date, "left_on": s.left_on, "qualification": s.qualification,
            "education": s.education, "status": "left" if s.left_on else "active",
            "updated_at": now,
        })  # fmt: skip
        memberships.append({
            "worker_id": s.worker_id, "start": s.hire_date, "unit_id": s.unit_id,
            "unit_path": s.unit_path, "cause_event_id": new_id(), "recorded_at": now,
        })  # fmt: skip
        if s.step_on > s.hire_date:
            spans.append(span_row(s, s.level - 1, s.hire_date, _day_before(s.step_on), now))
        if s.feb_step is not None:
            spans.append(span_row(s, s.level, s.step_on, _day_before(s.feb_step), now))
            spans.append(span_row(s, s.level + 1, s.feb_step, None, now))
        else:
            spans.append(span_row(s, s.level, s.step_on, None, now))
        if s.older_profile:  # last contribution year's base, before the July 2025 one
            profiles.append(profile_row(s, date(2024, 7, 1), s.base_fen * 95 // 100, now))
            profiles.append(profile_row(s, date(2025, 7, 1), s.base_fen, now))
        else:
            profiles.append(profile_row(s, max(s.hire_date, date(2025, 1, 1)), s.base_fen, now))
    funders = [
        {"unit_id": unit_id, "effective_from": date(2025, 1, 1), "shares": rng.choice(FUNDER_MIXES),
         "recorded_by": "officer-li (payroll_officer)", "recorded_at": now}
        for unit_id, _ in places
    ]  # fmt: skip
    for unit_id, _ in rng.sample(places, 2):  # two units change shares in mid-February
        funders.append({**funders[0], "unit_id": unit_id, "effective_from": date(2026, 2, 16),
                        "shares": {"city": "50", "district": "50"}})  # fmt: skip
    return {PayWorker: workers, PayEmployment: employments, WorkerUnit: memberships,
            GradeSpan: spans, PayProfile: profiles, FunderShares: funders}  # fmt: skip


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


# --- databases -----------------------------------------------------------------------------------


async def analyze(engine: AsyncEngine) -> None:
    """Fresh statistics; on PostgreSQL also a VACUUM, so that autovacuum does not pick the
    setup's rows up during the timed run (a month after the last run, it would be long done)."""
    if engine.dialect.name != "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
        return
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM (ANALYZE)"))


async def seed(
    engine: AsyncEngine, city: str, places: list[tuple[str, str]], staff: list[Staff], r: Result
) -> None:
    began = time.perf_counter()
    tables = seed_rows(city, places, staff, datetime.now(UTC))
    async with engine.begin() as conn:
        for model, rows in tables.items():
            await insert_chunked(conn, model.__table__, rows)
            r.counts[model.__tablename__] = len(rows)
    await analyze(engine)
    r.setup_s = time.perf_counter() - began


async def lock_previous(engine: AsyncEngine, book: PolicyBook, city: str, r: Result) -> None:
    """January, drafted, reviewed and approved by the service itself (setup, not timed)."""
    factory = session_factory(engine)
    began = time.perf_counter()
    async with factory() as session, session.begin():
        run = await service.draft(session, OFFICER, book, PREVIOUS, city, f"/{city}/")
    r.previous_s = time.perf_counter() - began
    r.previous_payslips = run.payslip_count
    if run.problems:
        raise RuntimeError(f"January's run has {len(run.problems)} problems: {run.problems[:3]}")
    async with factory() as session, session.begin():
        run = await service.get(session, run.id, lock=True)
        await service.mark_reviewed(session, OFFICER, run)
        await service.approve(session, SECOND_OFFICER, run)


def regrade(s: Staff, book: PolicyBook, now: datetime, memo: dict) -> tuple[list, list]:
    """A level more from 1 January, as apply_reevaluation stores it once January is locked: the
    current span superseded, replaced, and January's difference owed as an arrears line."""
    old = [Span(LADDER, s.post, s.level - 1, s.hire_date, _day_before(s.step_on))]
    old = old if s.step_on > s.hire_date else []
    old.append(Span(LADDER, s.post, s.level, s.step_on, None))
    timeline = [Span(LADDER, s.post, s.level + 1, REGRADED_FROM, None)]
    change = replace_from(old, REGRADED_FROM, timeline)
    key = (s.post, s.level, s.qualification)  # the worker is employed all January
    if key not in memo:
        employment = Employment(hired_on=s.hire_date, left_on=s.left_on)
        months = [Period(year=2026, month=1)]
        found = arrears_for(
            book, employment, Qualification(s.qualification), old, change.after, months
        )
        memo[key] = found.months
    spans = [span_row(s, x.level, x.start, x.end, now) for x in change.inserted]
    lines = [
        {
            "id": new_id(),
            "worker_id": s.worker_id,
            "for_period": str(month.period),
            "pay_in_period": PERIOD,
            "amount_fen": to_fen(month.difference),
            "detail": month.model_dump(mode="json"),
            "cause_event_id": new_id(),
            "recorded_at": now,
            "paid_in_run_id": None,
        }
        for month in memo[key]
        if month.difference != 0
    ]
    return spans, lines


async def after_lock(engine: AsyncEngine, book: PolicyBook, staff: list[Staff], r: Result) -> None:
    """Grade changes and bonus entitlements that reach payroll after January locked."""
    now = datetime.now(UTC)
    memo: dict = {}
    spans, lines, superseded, entitlements = [], [], [], []
    for s in staff:
        if s.regraded:
            new_spans, new_lines = regrade(s, book, now, memo)
            spans += new_spans
            lines += new_lines
            superseded.append(s.worker_id)
        if s.bonus_rating is not None:
            entitlements.append({
                "id": new_id(), "worker_id": s.worker_id, "appraisal_year": 2025,
                "rating": s.bonus_rating, "revision": 1, "cause_event_id": new_id(),
                "recorded_at": now, "superseded_at": None,
            })  # fmt: skip
    async with engine.begin() as conn:
        for start in range(0, len(superseded), CHUNK):
            await conn.execute(
                update(GradeSpan.__table__)
                .where(GradeSpan.__table__.c.worker_id.in_(superseded[start : start + CHUNK]))
                .where(GradeSpan.__table__.c.superseded_at.is_(None))
                .where(GradeSpan.__table__.c.end.is_(None))  # the span reaching 1 January
                .values(superseded_at=now)
            )
        await insert_chunked(conn, GradeSpan.__table__, spans)
        await insert_chunked(conn, ArrearsLine.__table__, lines)
        await insert_chunked(conn, BonusEntitlement.__table__, entitlements)
    r.counts["regraded from 1 January"] = len(superseded)
    r.counts["arrears_lines"] = len(lines)
    r.counts["bonus_entitlements"] = len(entitlements)
    r.counts["mid-February level steps"] = sum(s.feb_step is not None for s in staff)
    r.counts["hired in February"] = sum(s.hire_date >= FEBRUARY[0] for s in staff)
    r.counts["leaving in February"] = sum(s.left_on is not None for s in staff)
    await analyze(engine)


async def check_run(engine: AsyncEngine, book: PolicyBook, city: str, r: Result) -> None:
    """The run's payslips against its totals, and a second draft of the same period refused."""
    assert r.run is not None
    run_id = r.run["run_id"]
    slips = PayslipRow.__table__
    async with engine.connect() as conn:
        r.payslips = await conn.scalar(
            select(func.count()).select_from(slips).where(slips.c.run_id == run_id)
        )
        r.net_sum_fen = await conn.scalar(
            select(func.sum(slips.c.net_fen)).where(slips.c.run_id == run_id)
        )
        r.run_net_fen = await conn.scalar(
            select(PayRun.__table__.c.net_fen).where(PayRun.__table__.c.id == run_id)
        )
        if engine.dialect.name == "postgresql":
            r.slip_bytes = await conn.scalar(
                select(func.avg(func.octet_length(cast(slips.c.slip, Text)))).where(
                    slips.c.run_id == run_id
                )
            )
    async with session_factory(engine)() as session:
        try:
            again = await service.draft(session, OFFICER, book, PERIOD, city, f"/{city}/")
            r.second_draft = f"NOT refused: run {again.id}"
        except Conflict:
            r.second_draft = f"refused ({Conflict.status})"
        finally:
            await session.rollback()


# --- the timed run, in a child process -----------------------------------------------------------


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy so far (every process, the database too), from
    /proc/stat; 0 where there is none."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        ticks = [int(x) for x in fields]
        idle = ticks[3] + ticks[4]  # idle and iowait
        return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    return 0.0


def postgres_cpu() -> dict[int, float]:
    """CPU seconds used so far by each process named postgres on this machine (the server and
    its backends, when it runs here), by pid, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            line = stat.read_text()
            if line[line.index("(") + 1 : line.rindex(")")] == "postgres":
                fields = line[line.rindex(")") + 2 :].split()
                found[int(stat.parent.name)] = int(fields[11]) + int(fields[12])  # utime, stime
    return {pid: ticks / os.sysconf("SC_CLK_TCK") for pid, ticks in found.items()}


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float | None:
    """What the processes alive at the end used since `before` (one that ended is left out)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items()) if after else None


async def child_run(url: str, city: str, profile: str | None) -> dict[str, Any]:
    engine = create_engine(url)
    factory = session_factory(engine)
    book = shipped_pay_policies()[PAY_POLICY]  # loaded once at a service's start
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
        machine_began = machine_busy()
        postgres_began = postgres_cpu() if url.startswith("postgresql") else {}
        began = time.perf_counter()
        cpu_began = time.process_time()
        async with factory() as session, session.begin():
            run = await service.draft(session, OFFICER, book, PERIOD, city, f"/{city}/")
            drafted = time.perf_counter() - began
        took = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        machine = machine_busy() - machine_began
        postgres = cpu_since(postgres_began, postgres_cpu()) if postgres_began else None
        if profiler is not None:
            profiler.stop()
            save_profile(profiler, Path(profile))
        rss_peak, hwm = max_rss_mib(), hwm_mib()
    finally:
        await engine.dispose()
    return {
        "run_s": took,
        "commit_s": took - drafted,
        "cpu_s": cpu,
        "machine_busy_s": machine,
        "postgres_cpu_s": postgres,
        "run_id": run.id,
        "payslip_count": run.payslip_count,
        "problems": len(run.problems),
        "first_problems": run.problems[:3],
        "net_fen": run.net_fen,
        "rss_before_mib": rss_before,
        "rss_peak_mib": rss_peak,
        "hwm_mib": hwm,
    }


async def core_child(url: str, city: str, count: int) -> dict[str, Any]:
    child = RunChild(__file__)
    await child.start()
    try:
        return await child.ask({"kind": "core", "url": url, "city": city, "workers": count})
    finally:
        await child.stop()


def child_main() -> int:
    """`--child`: wait for one order on stdin (the run, or the pay core alone), do it, answer
    with one JSON line."""
    order = json.loads(sys.stdin.readline())
    if order["kind"] == "run":
        result = asyncio.run(child_run(order["url"], order["city"], order["profile"]))
    else:
        result = asyncio.run(core_alone(order["url"], order["city"], order["workers"]))
    print(json.dumps(result), flush=True)
    return 0


# --- the pay core alone --------------------------------------------------------------------------


async def core_alone(url: str, city: str, count: int) -> dict[str, Any]:
    """The run's pure part for `count` workers of the city, in a fresh process (its memos cold,
    as the run's were) and without the database: PayFacts from the rows the run loads, then
    compute_payslip, then the slip's JSON, each timed alone with the cycle collector paused
    (as the run pauses it). Reads go through the service's own loader."""
    period = parse_period(PERIOD)
    book = shipped_pay_policies()[PAY_POLICY]
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            funders: dict[str, list[Dated]] = defaultdict(list)
            for row in await runs_repository.all_funder_shares(session, period.last_day):
                funders[row.unit_id].append(Dated(row.effective_from, funder_shares(row.shares)))
            rows = await runs_repository.candidates(
                session, period.first_day, period.last_day, city
            )
            months = await service._load(session, rows[:count], period)
    finally:
        await engine.dispose()
    shared = Shared()
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        facts = [pay_facts(period, month, funders, shared)[0] for month in months]
        facts_s = time.perf_counter() - began
        began = time.perf_counter()
        slips = [compute_payslip(book, f) for f in facts]
        compute_s = time.perf_counter() - began
        began = time.perf_counter()
        for slip in slips:
            slip.as_json()
        json_s = time.perf_counter() - began
    finally:
        gc.enable()
    n = len(months)
    return {"workers": n, "facts_us": facts_s / n * 1e6, "compute_us": compute_s / n * 1e6,
            "json_us": json_s / n * 1e6}  # fmt: skip


# --- the baseline --------------------------------------------------------------------------------


def scratch_table(name: str) -> Table:
    """payslips' columns, unique constraint and index, under another name."""
    columns = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
        for c in PayslipRow.__table__.columns
    ]
    table = Table(name, MetaData(), *columns, UniqueConstraint("run_id", "worker_id"))
    Index(f"ix_{name}_worker_period", table.c.worker_id, table.c.period)
    return table


async def bare_inserts(engine: AsyncEngine, run_id: str, count: int) -> tuple[float, float]:
    """`count` payslip rows (their JSON columns cycled from a sample of the run's own), put into
    a fresh scratch table twice: by Core executemany in chunks, and by union_shared.bulk (COPY
    on PostgreSQL) in the same chunks, each in one transaction, commit included."""
    slips = PayslipRow.__table__
    async with engine.connect() as conn:
        sample = [
            dict(row._mapping)
            for row in await conn.execute(
                select(slips).where(slips.c.run_id == run_id).order_by(slips.c.id)
                .limit(BASELINE_SAMPLE)
            )
        ]  # fmt: skip
    rows = [
        {**sample[i % len(sample)], "id": new_id(), "run_id": "bare", "worker_id": new_id()}
        for i in range(count)
    ]
    executemany, bulk = scratch_table("bench_scratch"), scratch_table("bench_scratch_bulk")
    async with engine.begin() as conn:
        await conn.run_sync(executemany.metadata.create_all)
        await conn.run_sync(bulk.metadata.create_all)
    began = time.perf_counter()
    async with engine.begin() as conn:
        await insert_chunked(conn, executemany, rows)
    executemany_s = time.perf_counter() - began
    began = time.perf_counter()
    async with session_factory(engine)() as session, session.begin():
        for start in range(0, len(rows), CHUNK):
            await insert_rows(session, bulk, rows[start : start + CHUNK])
    return executemany_s, time.perf_counter() - began


# --- running and reporting -----------------------------------------------------------------------


async def bench_database(
    db: str,
    world: tuple[str, list[tuple[str, str]], list[Staff]],
    child: RunChild,
    args: argparse.Namespace,
    folder: Path,
    with_core: bool,
) -> Result:
    city, places, staff = world
    result = Result(db)
    book = shipped_pay_policies()[PAY_POLICY]
    async with migrated_database(
        folder, SERVICE_DIR, "payroll", args.postgres_url if db == "postgresql" else None
    ) as url:
        engine = create_engine(url)
        try:
            print(f"[{db}] setup: {len(staff):,} workers ...", file=sys.stderr, flush=True)
            await seed(engine, city, places, staff, result)
            print(f"[{db}] seeded in {result.setup_s:.1f}s; January ...", file=sys.stderr)
            await lock_previous(engine, book, city, result)
            await after_lock(engine, book, staff, result)
            print(f"[{db}] January took {result.previous_s:.1f}s; the run ...", file=sys.stderr)
            profile = f"{args.profile}.{db}.txt" if args.profile else None
            order = {"kind": "run", "url": url, "city": city, "profile": profile}
            result.run = await child.ask(order)
            await check_run(engine, book, city, result)
            hwm = result.run.get("hwm_mib")
            if hwm and abs(hwm - result.run["rss_peak_mib"]) > 0.15 * hwm:
                result.notes.append(
                    f"getrusage peak {result.run['rss_peak_mib']:.0f} MiB, but VmHWM {hwm:.0f} MiB"
                )
            for problem in result.run["first_problems"]:
                result.notes.append(f"problem: {problem}")
            result.bare_rows = result.payslips
            print(f"[{db}] baseline: {result.bare_rows:,} rows ...", file=sys.stderr, flush=True)
            result.bare_s, result.bulk_s = await bare_inserts(
                engine, result.run["run_id"], result.bare_rows
            )
            if with_core:
                print(f"[{db}] the pay core alone ...", file=sys.stderr, flush=True)
                result.core = await core_child(url, city, min(args.workers, CORE_WORKERS))
        finally:
            await engine.dispose()
    return result


def fmt(value: float | None, spec: str = ",.2f") -> str:
    return "-" if value is None else format(value, spec)


def mark(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def run_cell(r: Result) -> str:
    if not r.run:
        return "-"
    return f"{r.run['run_s']:.2f} {mark(r.run['run_s'], RUN_TARGET_S)}"


def rss_cell(r: Result) -> str:
    if not r.run:
        return "-"
    peak = max(r.run["rss_peak_mib"], r.run["hwm_mib"] or 0)
    return f"{r.run['rss_peak_mib']:,.0f} / {fmt(r.run['hwm_mib'], ',.0f')} {mark(peak, RSS_TARGET_MIB)}"


def ratio(r: Result) -> str:
    if not r.run or not r.bare_s:
        return "-"
    return f"{r.run['run_s'] / r.bare_s:.1f}x"


def of_run(key: str, spec: str = ",") -> Any:
    return lambda r: "-" if not r.run or r.run[key] is None else format(r.run[key], spec)


def net_check(r: Result) -> str:
    if r.net_sum_fen is None or r.run_net_fen is None:
        return "-"
    same = "equal" if r.net_sum_fen == r.run_net_fen else "DIFFERENT"
    return f"{r.net_sum_fen / 100:,.2f} {same}"


def seeded(r: Result) -> str:
    c = r.counts
    if not c:
        return "-"
    return (
        f"{c['pay_workers']:,} / {c['grade_spans']:,} / {c['pay_profiles']:,} / "
        f"{c['funder_shares']}"
    )


def changes(r: Result) -> str:
    c = r.counts
    keys = ("mid-February level steps", "arrears_lines", "bonus_entitlements")
    return " / ".join(f"{c[k]:,}" for k in keys) if all(k in c for k in keys) else "-"


def comings(r: Result) -> str:
    c = r.counts
    keys = ("hired in February", "leaving in February")
    return " / ".join(f"{c[k]:,}" for k in keys) if all(k in c for k in keys) else "-"


def report(results: list[Result], args: argparse.Namespace, loads: list[str]) -> None:
    print()
    print(
        f"payroll monthly run benchmark: {args.workers:,} workers over 49 units, period {PERIOD} "
        f"(after {PREVIOUS} locked), pay policy {PAY_POLICY}; {os.cpu_count()} CPUs; "
        f"load average {' -> '.join(loads)}"
    )
    rows = [
        ("setup, not timed: workers / grade spans / profiles / funder rows", seeded),
        ("  mid-February steps / arrears lines / bonus entitlements", changes),
        ("  hired / leaving in February", comings),
        ("  rows seeded in (s)", lambda r: fmt(r.setup_s, ".1f")),
        (
            f"  {PREVIOUS} drafted by the service in setup: payslips / (s)",
            lambda r: f"{r.previous_payslips:,} / {fmt(r.previous_s, '.1f')}",
        ),
        (f"run {PERIOD}, one transaction incl. commit (s) (target <= 20)", run_cell),
        ("  of which the commit (s)", of_run("commit_s", ".2f")),
        ("  CPU of the run's process (s)", of_run("cpu_s", ".2f")),
        ("  CPU of PostgreSQL's processes during the run (s)", of_run("postgres_cpu_s", ".2f")),
        ("  CPU of the whole machine during the run (s)", of_run("machine_busy_s", ".2f")),
        ("  payslips written (run's count)", of_run("payslip_count")),
        ("  problems (expect 0)", of_run("problems")),
        ("  payslips/s", lambda r: f"{r.payslips / r.run['run_s']:,.0f}" if r.run else "-"),
        ("  peak RSS getrusage / VmHWM (MiB) (target <= 1536)", rss_cell),
        ("    of which before the run (imports, engine)", of_run("rss_before_mib", ",.0f")),
        ("  average slip JSON (bytes)", lambda r: fmt(r.slip_bytes, ",.0f")),
        ("check: payslips in the table", lambda r: f"{r.payslips:,}" if r.run else "-"),
        ("check: sum of net = run's net total", net_check),
        ("check: a second draft, same period and unit", lambda r: r.second_draft),
        ("bare insert of as many payslip rows, Core executemany (s)", lambda r: fmt(r.bare_s)),
        ("  run / bare insert", ratio),
        ("the same rows by union_shared.bulk (COPY on PostgreSQL) (s)", lambda r: fmt(r.bulk_s)),
    ]
    label_w = max(len(label) for label, _ in rows) + 2
    col_w = 34
    print()
    print(" " * label_w + "".join(r.db.rjust(col_w) for r in results))
    print("-" * (label_w + col_w * len(results)))
    for label, cell in rows:
        print(label.ljust(label_w) + "".join(cell(r).rjust(col_w) for r in results))
    for r in results:
        if r.core:
            c = r.core
            print()
            print(
                f"the pay core alone, in a fresh process, no database, {c['workers']:,} of the "
                f"workers ({r.db}'s rows), per payslip:"
            )
            print(f"  PayFacts from the loaded rows (payroll.runs.facts): {c['facts_us']:6.1f} us")
            print(
                f"  compute_payslip (payroll.pay):                      {c['compute_us']:6.1f} us"
            )
            print(f"  the slip's JSON (Payslip.as_json):            {c['json_us']:6.1f} us")
            total = c["facts_us"] + c["compute_us"] + c["json_us"]
            print(
                f"  together {total:.1f} us: {total * r.payslips / 1e6:.1f} s for the run's "
                f"{r.payslips:,} payslips"
            )
    print()
    for r in results:
        for note in r.notes:
            print(f"note [{r.db}]: {note}")
        if r.error:
            print(f"ERROR [{r.db}]: {r.error}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Payroll's monthly run over a whole city.")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--workers", type=int, default=100_000, help="workers in the city")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="pyinstrument profile of the timed run to PREFIX.<db>.txt/.html "
        "(uv run --with pyinstrument python bench/payroll_run.py ...)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    loads = [load_average()]
    children = {db: RunChild(__file__) for db in dbs}
    for child in children.values():  # before the population is built: see RunChild
        await child.start()
    world = population(args.workers)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-payroll-") as tmp:
        for db in dbs:
            began = time.perf_counter()
            try:
                first = db == dbs[0]
                results.append(
                    await bench_database(db, world, children[db], args, Path(tmp), first)
                )
            except Exception as exc:
                traceback.print_exc()
                results.append(Result(db, error=f"{type(exc).__name__}: {exc}"))
            finally:
                await children[db].stop()
            print(f"[{db}] done in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    loads.append(load_average())
    report(results, args, loads)
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_logs()
    if args.child:
        return child_main()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
