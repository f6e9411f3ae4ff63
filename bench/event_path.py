"""Benchmark of the event path: outbox -> relay -> Kafka -> consumer -> inbox, beside two baselines.

    uv run python bench/event_path.py [--db sqlite|postgresql|both] [--mode both|separate|single]

For each database it measures, in one run and on the same machine:

1. bare insert: single-row INSERT transactions per second (one INSERT per transaction, the engine
   from `union_shared.db.create_engine`, the same number of concurrent writers as the path;
   measured before and after the path, the best run is shown);
2. raw kafka: aiokafka produce -> consume messages per second on the same embedded Tansu broker,
   with the relay's producer settings and the same message size; and, as a latency floor, raw
   produce -> consume latency at the half rate of the paced runs below;
3. outbox path, max rate: writers commit N events, each in its own transaction (a state row plus
   `record_events`), as fast as they can; the `OutboxRelay` publishes them; an `EventConsumer`
   with an `InboxProcessor` runs a handler that inserts an effect row into a second database
   (producer and consumer are two services, each with its own database). Throughput is N over
   the time from the first write to the last effect commit. It runs in two modes:
   - separate processes (as deployed): the consuming service runs in a child process of its own
     (its own event loop, engine and `union_shared.messaging.runtime.Messaging`), while the
     writers and the relay stay in this process;
   - one process: writers, relay and consumer all share this process's event loop;
4. outbox path at half that rate, in each mode: writers are paced (open loop) to half the mode's
   measured maximum, and each event's latency is the time from its producer commit to its effect
   commit in the consumer database, split into stages. Every stamp is wall-clock `time.time()`,
   one clock for both processes on this machine; the child sends its stamps back over a pipe
   only once a phase has finished, so the reporting costs nothing during a measurement.

Targets (from the issue): outbox-path throughput >= 50% of the bare-insert rate, and p99
commit-to-effect latency <= 250 ms at half the maximum rate. Figures are printed, never asserted;
the exit code is 0 unless something crashed.

The broker runs in its own process (`EmbeddedBroker`). Each mode gets its own fresh producer and
consumer databases: SQLite files in a temporary folder, or PostgreSQL databases created from the
admin URL and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import logging
import os
import pstats
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from measure import machine_busy_s
from pydantic import create_model
from sqlalchemy import Column, Date, MetaData, String, Table, func, insert, select
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from union_dev.broker import EmbeddedBroker
from union_dev.testing.databases import fresh_database
from union_shared.db import create_engine, session_factory
from union_shared.events import Envelope, WorkerOnboarded, build_event
from union_shared.events import event as catalogue_event
from union_shared.messaging.bus import ensure_topics, new_producer
from union_shared.messaging.consumer import EventConsumer, InboxProcessor
from union_shared.messaging.outbox import record_events
from union_shared.messaging.relay import OutboxRelay
from union_shared.messaging.runtime import ConsumerSpec, Messaging
from union_shared.messaging.tables import outbox
from union_shared.settings import ServiceSettings

DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
BARE_TARGET = 0.50  # outbox path throughput as a share of the bare-insert rate
P99_TARGET_MS = 250.0  # p99 commit-to-effect latency at half the maximum rate
PHASE_TIMEOUT_S = 120.0  # a stalled path is reported as an error, never waited on for ever
HIRE_DATE = date(2026, 3, 1)
MODES = {"separate": "separate processes", "single": "one process"}

# Every per-event stamp is wall-clock time: the consumer may run in another process, and
# time.time() is one clock for every process on this machine (perf_counter's reference point
# is undefined across processes).
wall = time.time

THIS_SCRIPT = str(Path(__file__).resolve())  # the consumer process runs this file too

# The CPUs this process may use before any --pin-cpu; the consumer process gets them all.
ALL_CPUS: set[int] = (
    os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 1))
)

# The library's own tables (outbox, processed_events, dead_letters ...), whatever their MetaData
# is called: every service database has them.
library_metadata: MetaData = outbox.metadata

# --- the two services' own tables -------------------------------------------------------------

producer_metadata = MetaData()
workers = Table(  # the producer's state row, written with its event in one transaction
    "bench_workers",
    producer_metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("hire_date", Date, nullable=False),
    Column("education", String(32), nullable=False),
)
bare_workers = Table(  # baseline 1: the same row, alone in its transaction
    "bench_bare_workers",
    producer_metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("hire_date", Date, nullable=False),
    Column("education", String(32), nullable=False),
)

consumer_metadata = MetaData()
effects = Table(  # the consumer's effect row, one per event
    "bench_effects",
    consumer_metadata,
    Column("event_id", String(36), primary_key=True),
    Column("worker_id", String(64), nullable=False),
    Column("unit_id", String(64), nullable=False),
)


# --- bookkeeping: times per event, keyed by worker id (one event per worker) ----------------------


class Tracker:
    """When each event committed, was handed to Kafka, was acked, was received and took effect.

    Every event is about its own worker, and the worker id is also the Kafka key, so it names the
    event at every stage without parsing payloads. The worker id starts with the phase name.
    """

    def __init__(self) -> None:
        self.committed: dict[str, float] = {}
        self.sent: dict[str, float] = {}
        self.acked: dict[str, float] = {}
        self.received: dict[str, float] = {}
        self.effected: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.targets: dict[str, int] = {}
        self.done: dict[str, asyncio.Event] = {}

    def expect(self, phase: str, n: int) -> asyncio.Event:
        self.targets[phase] = n
        self.counts.setdefault(phase, 0)
        self.done[phase] = asyncio.Event()
        if self.counts[phase] >= n:
            self.done[phase].set()
        return self.done[phase]

    def ids(self, phase: str) -> list[str]:
        prefix = f"{phase}-"
        return [w for w in self.committed if w.startswith(prefix)]

    def on_effects_committed(self, worker_ids: list[str], now: float) -> None:
        for worker_id in worker_ids:
            if worker_id in self.effected:
                continue
            self.effected[worker_id] = now
            phase = worker_id.split("-", 1)[0]
            self.counts[phase] = self.counts.get(phase, 0) + 1
            if phase in self.targets and self.counts[phase] >= self.targets[phase]:
                self.done[phase].set()


_EFFECTS_KEY = "bench_effects"


class EffectSession(Session):
    """The consumer service's sessions: report the effect rows of each commit to the tracker."""


@sa_event.listens_for(EffectSession, "after_commit")
def _effects_committed(session: Session) -> None:
    worker_ids = session.info.pop(_EFFECTS_KEY, None)
    if worker_ids:
        session.info["tracker"].on_effects_committed(worker_ids, wall())


@sa_event.listens_for(EffectSession, "after_rollback")
def _effects_rolled_back(session: Session) -> None:
    session.info.pop(_EFFECTS_KEY, None)  # the batch is replayed; it reports again on commit


async def apply_effect(session: AsyncSession, envelope: Envelope, payload: Any) -> None:
    """The consumer's handler: one effect row per event."""
    await session.execute(
        insert(effects).values(
            event_id=envelope.id, worker_id=payload.worker_id, unit_id=payload.unit_id
        )
    )
    session.sync_session.info.setdefault(_EFFECTS_KEY, []).append(payload.worker_id)


class TimedInbox(InboxProcessor):
    """The library's InboxProcessor, noting when each message reached the consumer."""

    def __init__(self, *args: Any, tracker: Tracker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tracker = tracker

    def decode(self, record: Any, raw: bytes) -> Any:
        if record is not None and record.key:
            self.tracker.received.setdefault(record.key.decode(), wall())
        return super().decode(record, raw)


class TimedSends:
    """Stands in for the relay's producer (the relay only calls `send`); notes send, ack times."""

    def __init__(self, producer: AIOKafkaProducer, tracker: Tracker) -> None:
        self.producer = producer
        self.tracker = tracker

    async def send(self, topic: str, value: bytes | None = None, key: bytes | None = None, **kw):
        sent_at = wall()
        future = await self.producer.send(topic, value=value, key=key, **kw)
        if key:
            worker_id = key.decode()
            self.tracker.sent.setdefault(worker_id, sent_at)
            future.add_done_callback(
                lambda f: (
                    f.cancelled()
                    or f.exception()
                    or self.tracker.acked.setdefault(worker_id, wall())
                )
            )
        return future


# --- databases ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def fresh_databases(
    kind: str, folder: Path, labels: list[str], admin_url: str
) -> AsyncIterator[dict[str, str]]:
    """URLs of empty databases, one per label, removed afterwards."""
    server = admin_url if kind == "postgresql" else None
    async with contextlib.AsyncExitStack() as stack:
        yield {
            label: await stack.enter_async_context(fresh_database(folder, label, server))
            for label in labels
        }


async def create_tables(engine: AsyncEngine, *metadatas: MetaData) -> None:
    async with engine.begin() as conn:
        for metadata in metadatas:
            await conn.run_sync(metadata.create_all)


# --- producer side ------------------------------------------------------------------------------


def bench_event_model(run_id: str, db: str, mode: str) -> tuple[type[WorkerOnboarded], str, str]:
    """WorkerOnboarded under a per-run type name, so `record_events` routes it to a fresh topic.

    The catalogue maps each type to its topic; a subclass with the same fields registered (in this
    process only; the consumer process registers it too) under a bench name gives the same payload
    and envelope on a topic of this run and mode.
    """
    type_name = f"BenchWorkerOnboarded.{run_id}.{db}.{mode}"
    topic = f"bench.{run_id}.{db}.{mode}.roster.events"
    model = create_model(f"BenchWorkerOnboarded_{db}_{mode}", __base__=WorkerOnboarded)
    catalogue_event(type_name, version=1, topic=topic)(model)
    return model, type_name, topic


def state_row(worker_id: str, i: int) -> dict[str, Any]:
    return {
        "worker_id": worker_id,
        "unit_id": f"u-{i % 50}",
        "hire_date": HIRE_DATE,
        "education": "bachelor",
    }


def new_event(model: type[WorkerOnboarded], worker_id: str, unit_id: str) -> Envelope:
    payload = model(
        worker_id=worker_id,
        unit_id=unit_id,
        hire_date=HIRE_DATE,
        seniority_start=HIRE_DATE,
        education="bachelor",
        origin="import",
    )
    return build_event(payload, subject=worker_id, source="roster")


async def write_event(
    sessions: async_sessionmaker[AsyncSession],
    model: type[WorkerOnboarded],
    tracker: Tracker,
    worker_id: str,
    i: int,
) -> None:
    """One producer transaction: the state row and its event; then note the commit time."""
    row = state_row(worker_id, i)
    envelope = new_event(model, worker_id, row["unit_id"])
    async with sessions() as session, session.begin():
        await session.execute(insert(workers).values(row))
        await record_events(session, [envelope])
    tracker.committed[worker_id] = wall()


async def run_writers(
    writers: int,
    n: int,
    one: Callable[[int], Awaitable[None]],
    pace_interval_s: float | None = None,
) -> tuple[float, float]:
    """Run `one(i)` for i in range(n) on `writers` tasks, paced to `pace_interval_s` if given.

    Pacing is open loop: item i is due at start + i * interval whatever happened before it.
    Returns the (start, end) wall-clock times.
    """
    indexes = iter(range(n))
    start = wall()

    async def writer() -> None:
        for i in indexes:
            if pace_interval_s is not None:
                delay = start + i * pace_interval_s - wall()
                if delay > 0:
                    await asyncio.sleep(delay)
            await one(i)

    await asyncio.gather(*(writer() for _ in range(writers)))
    return start, wall()


async def bare_insert_rate(
    engine: AsyncEngine, writers: int, n: int, label: str
) -> tuple[float, float | None]:
    """Baseline 1: single-row INSERT transactions per second, same sessions as the producer;
    and the whole machine's busy CPU (cores) meanwhile."""
    sessions = session_factory(engine)

    async def one(i: int) -> None:
        async with sessions() as session, session.begin():
            await session.execute(insert(bare_workers).values(state_row(f"{label}-{i}", i)))

    await run_writers(writers, 50, lambda i: one(n + i))  # warm the pool and statement caches
    busy_before = machine_busy_s()
    start, end = await run_writers(writers, n, one)
    busy_after = machine_busy_s()
    busy = None if busy_before is None or busy_after is None else busy_after - busy_before
    return n / (end - start), None if busy is None else busy / (end - start)


# --- raw kafka ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def raw_kafka(
    settings: ServiceSettings, topic: str, fetch_max_wait_ms: int
) -> AsyncIterator[tuple[AIOKafkaProducer, AIOKafkaConsumer]]:
    """A producer with the relay's settings and a group consumer, joined and warmed up; the
    consumer asks for the same fetch wait as the path's `EventConsumer`."""
    await ensure_topics(settings, [topic], with_dead_letters=False)
    producer = new_producer(settings)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"{topic}.reader",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=500,
        fetch_max_wait_ms=fetch_max_wait_ms,
    )
    await producer.start()
    await consumer.start()
    try:
        for i in range(20):
            await producer.send(topic, value=b"warm-up", key=f"warm-{i}".encode())
        await producer.flush()
        got = 0
        deadline = time.perf_counter() + PHASE_TIMEOUT_S
        while got < 20:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"raw kafka warm-up: {got}/20 messages")
            got += sum(len(r) for r in (await consumer.getmany(timeout_ms=200)).values())
        yield producer, consumer
    finally:
        await consumer.stop()
        await producer.stop()


async def raw_kafka_rate(
    settings: ServiceSettings, topic: str, n: int, value: bytes, fetch_max_wait_ms: int
) -> float:
    """Baseline 2: produce -> consume messages per second, sending as the relay does (batches of
    500 sends, then their acks) and reading as `EventConsumer` does (getmany, 500 a poll)."""
    async with raw_kafka(settings, topic, fetch_max_wait_ms) as (producer, consumer):
        received = 0

        async def consume_all() -> float:
            nonlocal received
            while received < n:
                batches = await consumer.getmany(timeout_ms=200, max_records=500)
                received += sum(len(records) for records in batches.values())
            return time.perf_counter()

        reader = asyncio.create_task(consume_all())
        start = time.perf_counter()
        futures = []
        for i in range(n):
            futures.append(await producer.send(topic, value=value, key=f"raw-{i}".encode()))
            if len(futures) >= 500:
                await asyncio.gather(*futures)
                futures = []
        await asyncio.gather(*futures)
        end = await asyncio.wait_for(reader, PHASE_TIMEOUT_S)
        return n / (end - start)


async def raw_kafka_latency(
    settings: ServiceSettings,
    topic: str,
    rate: float,
    n: int,
    value: bytes,
    fetch_max_wait_ms: int,
) -> list[float]:
    """Produce -> consume latency (ms, sorted) of single messages sent at `rate` per second."""
    async with raw_kafka(settings, topic, fetch_max_wait_ms) as (producer, consumer):
        sent: dict[bytes, float] = {}
        latencies: list[float] = []

        async def consume_all() -> None:
            while len(latencies) < n:
                batches = await consumer.getmany(timeout_ms=200, max_records=500)
                now = time.perf_counter()
                for records in batches.values():
                    latencies.extend((now - sent[r.key]) * 1000 for r in records)

        reader = asyncio.create_task(consume_all())

        async def one(i: int) -> None:
            key = f"lat-{i}".encode()
            sent[key] = time.perf_counter()
            await producer.send(topic, value=value, key=key)

        await run_writers(1, n, one, 1 / rate)
        await asyncio.wait_for(reader, PHASE_TIMEOUT_S)
        return sorted(latencies)


# --- the consuming service: in this process, or in a process of its own -------------------------


class InProcessConsumer:
    """The consuming service in this process, on this event loop (the single-process mode).

    Wired from `ServiceSettings` as `union_shared.messaging.runtime.Messaging` wires a consumer,
    with a producer of its own for dead letters (the producing service keeps the relay's)."""

    def __init__(
        self, settings: ServiceSettings, engine: AsyncEngine, type_name: str, topic: str
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.type_name = type_name
        self.topic = topic
        self.tracker = Tracker()
        self.cpu_s: dict[str, float] = {}  # only the consumer process reports its own CPU
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._dlq_producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        s = self.settings
        sessions = async_sessionmaker(
            self.engine,
            expire_on_commit=False,  # as `union_shared.db.session_factory`
            sync_session_class=EffectSession,
            info={"tracker": self.tracker},
        )
        self._dlq_producer = new_producer(s)
        await self._dlq_producer.start()
        name = f"bench-consumer-{self.topic}"
        handlers = {self.type_name: apply_effect}
        consumer = EventConsumer(
            name,
            [self.topic],
            TimedInbox(name, sessions, handlers, tracker=self.tracker),
            bootstrap_servers=s.kafka_bootstrap_servers,
            producer=self._dlq_producer,
            batch_size=s.consumer_batch_size,
            handler_attempts=s.consumer_handler_attempts,
            retry_backoff_s=s.consumer_retry_backoff_s,
            commit_interval_s=s.consumer_commit_interval_s,
            fetch_max_wait_ms=s.consumer_fetch_max_wait_ms,
        )
        self._task = asyncio.create_task(consumer.run(self._stop), name="bench-consumer")

    async def expect(self, phase: str, n: int) -> asyncio.Event:
        return self.tracker.expect(phase, n)

    async def wait(self, phase: str, done: asyncio.Event, tracker: Tracker) -> None:
        """Until every effect of `phase` committed; their times are then in `tracker`."""
        await wait_done(done, self.tracker, phase)
        tracker.received.update(self.tracker.received)
        tracker.effected.update(self.tracker.effected)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self._dlq_producer is not None:
            await self._dlq_producer.stop()


class ConsumerProcess:
    """The consuming service as a child process (`--consumer-process`), as it is deployed.

    The child reads one JSON config line, then commands on stdin (`expect` a phase of n events,
    `stop`), and answers on stdout with one JSON line per finished phase: its effect and receive
    times (wall clock) and its CPU seconds over the phase. Nothing crosses the pipe while a phase
    runs, apart from the one `expect` line at its start."""

    def __init__(self, config: dict[str, Any], loop: str) -> None:
        self.config = config
        self.loop = loop
        self.cpu_s: dict[str, float] = {}
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._phases: dict[str, dict[str, Any]] = {}
        self._done: dict[str, asyncio.Event] = {}

    async def start(self) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            THIS_SCRIPT,
            "--consumer-process",
            "--loop",
            self.loop,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,  # stderr stays this process's: its warnings show
            limit=1 << 26,  # a finished phase's times come as one line
        )
        await self._send(self.config)
        self._reader = asyncio.create_task(self._read(), name="bench-consumer-process-reader")

    async def _send(self, message: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message).encode() + b"\n")
            await self._proc.stdin.drain()
        except (ConnectionError, RuntimeError) as exc:  # a closed pipe: the child is gone
            await asyncio.sleep(0.1)  # let its exit code arrive
            raise RuntimeError(
                f"the consumer process exited (code {self._proc.returncode})"
            ) from exc

    async def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        try:
            while line := await self._proc.stdout.readline():
                message = json.loads(line)
                if message.get("msg") == "done":
                    phase = message["phase"]
                    self._phases[phase] = message
                    self.cpu_s[phase] = message["cpu_s"]
                    self._done[phase].set()
        finally:
            for event in self._done.values():
                event.set()  # a waiter wakes and finds the phase missing

    async def expect(self, phase: str, n: int) -> asyncio.Event:
        self._done[phase] = asyncio.Event()
        await self._send({"cmd": "expect", "phase": phase, "n": n})
        return self._done[phase]

    async def wait(self, phase: str, done: asyncio.Event, tracker: Tracker) -> None:
        try:
            await asyncio.wait_for(done.wait(), PHASE_TIMEOUT_S)
        except TimeoutError:
            raise TimeoutError(
                f"{phase}: the consumer process had not applied every event after "
                f"{PHASE_TIMEOUT_S:.0f}s (path stalled)"
            ) from None
        message = self._phases.get(phase)
        if message is None:
            code = self._proc.returncode if self._proc else None
            raise RuntimeError(f"{phase}: the consumer process exited (code {code})")
        tracker.received.update(message["received"])
        tracker.effected.update(message["effected"])

    async def stop(self) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(RuntimeError):
            await self._send({"cmd": "stop"})
        try:
            await asyncio.wait_for(self._proc.wait(), 30)
        except TimeoutError:
            print("the consumer process did not stop in 30 s; killing it", file=sys.stderr)
            self._proc.kill()
            await self._proc.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


ConsumerSide = InProcessConsumer | ConsumerProcess


async def consumer_process_main() -> None:
    """The child: the consuming service, run by `Messaging` as a service's lifespan runs it."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # stdout carries the protocol only
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    config = json.loads(await commands.readline())
    if config.get("cpus"):
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setaffinity(0, set(config["cpus"]))  # never inherits --pin-cpu

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message).encode() + b"\n")
        out.flush()

    settings = ServiceSettings(**config["settings"])
    _, type_name, topic = bench_event_model(config["run_id"], config["db"], "separate")
    engine = create_engine(config["database_url"])
    tracker = Tracker()
    # The service's sessions are `session_factory(engine)`; the session class only adds the
    # after-commit hook that notes when the effect rows committed.
    sessions = async_sessionmaker(
        engine, expire_on_commit=False, sync_session_class=EffectSession, info={"tracker": tracker}
    )
    name = f"bench-consumer-{topic}"
    handlers = {type_name: apply_effect}
    messaging = Messaging(settings, sessions, [], [ConsumerSpec(name, [topic], handlers)])
    # The library's InboxProcessor, noting only when each message arrived.
    messaging.processors[name] = TimedInbox(name, sessions, handlers, tracker=tracker)
    messaging.start()

    async def report_when_done(phase: str, n: int) -> None:
        cpu_before = time.process_time()
        await tracker.expect(phase, n).wait()
        cpu_s = time.process_time() - cpu_before
        prefix = f"{phase}-"
        send(
            {
                "msg": "done",
                "phase": phase,
                "cpu_s": cpu_s,
                "effected": {k: v for k, v in tracker.effected.items() if k.startswith(prefix)},
                "received": {k: v for k, v in tracker.received.items() if k.startswith(prefix)},
            }
        )

    reporters: list[asyncio.Task[None]] = []
    try:
        while line := await commands.readline():  # EOF: the bench went away
            command = json.loads(line)
            if command["cmd"] == "stop":
                break
            if command["cmd"] == "expect":
                reporters.append(
                    asyncio.create_task(report_when_done(command["phase"], command["n"]))
                )
    finally:
        for task in reporters:
            task.cancel()
        await messaging.stop()
        await engine.dispose()


# --- one database -------------------------------------------------------------------------------


@dataclass
class PathResult:
    """The outbox path in one mode: the max run, then the half-rate run."""

    mode: str
    events_s: float | None = None
    commit_rate: float | None = None  # producer-side commits/s during the max run
    cpu_share: float | None = None  # the bench process's CPU during the max run, in cores
    consumer_cpu_share: float | None = None  # the consumer process's, when it has its own
    machine_cpu_share: float | None = None  # every process on the machine (databases, broker ...)
    max_run_p50_ms: float | None = None
    max_run_p99_ms: float | None = None
    paced_events: int | None = None
    paced_offered: float | None = None
    paced_achieved: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    stages: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass
class Result:
    db: str
    bare_tx_s: float | None = None
    bare_runs: list[float] = field(default_factory=list)
    bare_machine: list[float | None] = field(default_factory=list)  # machine cores, per run
    kafka_msg_s: float | None = None
    kafka_p50_ms: float | None = None
    kafka_p99_ms: float | None = None
    kafka_latency_rate: float | None = None
    paths: dict[str, PathResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def span_ms(ids: list[str], begin: dict[str, float], end: dict[str, float]) -> list[float]:
    return sorted((end[i] - begin[i]) * 1000 for i in ids if i in begin and i in end)


async def wait_done(done: asyncio.Event, tracker: Tracker, phase: str) -> None:
    try:
        await asyncio.wait_for(done.wait(), PHASE_TIMEOUT_S)
    except TimeoutError:
        got, want = tracker.counts.get(phase, 0), tracker.targets[phase]
        raise TimeoutError(
            f"{phase}: {got}/{want} effects after {PHASE_TIMEOUT_S:.0f}s (path stalled)"
        ) from None


def service_settings(args: argparse.Namespace, name: str, bootstrap: str) -> ServiceSettings:
    """The settings a service would run with, plus this run's overrides."""
    overrides: dict[str, Any] = {
        "service_name": name,
        "kafka_bootstrap_servers": bootstrap,
        "kafka_topic_partitions": args.partitions,
        "outbox_batch_size": args.relay_batch,
        "consumer_batch_size": args.consumer_batch,
    }
    if args.fetch_max_wait_ms is not None:
        overrides["consumer_fetch_max_wait_ms"] = args.fetch_max_wait_ms
    if args.commit_interval_s is not None:
        overrides["consumer_commit_interval_s"] = args.commit_interval_s
    return ServiceSettings(**overrides)


def selected_modes(args: argparse.Namespace) -> list[str]:
    return list(MODES) if args.mode == "both" else [args.mode]


async def bench_database(
    db: str, args: argparse.Namespace, broker: EmbeddedBroker, run_id: str, folder: Path
) -> Result:
    result = Result(db)
    n = args.events
    settings = service_settings(args, f"bench-{db}", broker.bootstrap_servers)
    modes = selected_modes(args)
    # Each mode gets a fresh pair of service databases; bare insert runs on the first producer's.
    labels = [f"{db}_{mode}_{side}" for mode in modes for side in ("producer", "consumer")]
    async with fresh_databases(db, folder, labels, args.postgres_url) as urls:
        engines = {label: create_engine(url) for label, url in urls.items()}
        try:
            for label, engine in engines.items():
                own = producer_metadata if label.endswith("_producer") else consumer_metadata
                await create_tables(engine, library_metadata, own)
            bare_engine = engines[labels[0]]
            models = {mode: bench_event_model(run_id, db, mode) for mode in modes}
            sample = new_event(models[modes[0]][0], "max-0", "u-0").to_bytes()

            # Baseline 1 on a producer database: once before the paths and the rest of
            # --bare-runs after them; the best run counts (SQLite's rate is bimodal, see README).
            rate, cores = await bare_insert_rate(bare_engine, args.writers, n, "bare1")
            result.bare_runs.append(rate)
            result.bare_machine.append(cores)
            # Baseline 2 on the same broker, same message size, a topic of its own.
            result.kafka_msg_s = await raw_kafka_rate(
                settings,
                f"bench.{run_id}.{db}.raw",
                args.kafka_messages,
                sample,
                settings.consumer_fetch_max_wait_ms,
            )

            for mode in modes:
                print(f"[{db}] outbox path, {MODES[mode]} ...", file=sys.stderr, flush=True)
                model, type_name, topic = models[mode]
                consumer_url = urls[f"{db}_{mode}_consumer"]
                consumer_engine = engines[f"{db}_{mode}_consumer"]
                side: ConsumerSide
                if mode == "separate":
                    child_settings = service_settings(
                        args, f"bench-{db}-consumer", broker.bootstrap_servers
                    )
                    side = ConsumerProcess(
                        {
                            "settings": child_settings.model_dump(),
                            "run_id": run_id,
                            "db": db,
                            "database_url": consumer_url,
                            "cpus": sorted(ALL_CPUS),
                        },
                        args.loop,
                    )
                    # The child owns the consumer database: this process lets go of it first.
                    await consumer_engine.dispose()
                else:
                    side = InProcessConsumer(settings, consumer_engine, type_name, topic)
                path = PathResult(mode)
                result.paths[mode] = path
                await outbox_path(
                    path,
                    result.notes,
                    args,
                    settings,
                    engines[f"{db}_{mode}_producer"],
                    side,
                    model,
                    topic,
                    db,
                )

            offered = [p.paced_offered for p in result.paths.values() if p.paced_offered]
            if offered:
                # The broker's own floor, at the highest of the half rates the paths ran at.
                rate = max(offered)
                lat = await raw_kafka_latency(
                    settings,
                    f"bench.{run_id}.{db}.rawlat",
                    rate,
                    max(100, min(args.events, int(rate * 3))),
                    sample,
                    settings.consumer_fetch_max_wait_ms,
                )
                result.kafka_p50_ms, result.kafka_p99_ms = percentile(lat, 50), percentile(lat, 99)
                result.kafka_latency_rate = rate

            for run in range(2, max(2, args.bare_runs + 1)):
                rate, cores = await bare_insert_rate(bare_engine, args.writers, n, f"bare{run}")
                result.bare_runs.append(rate)
                result.bare_machine.append(cores)
            result.bare_tx_s = max(result.bare_runs)
        finally:
            for engine in engines.values():
                await engine.dispose()
    return result


async def outbox_path(
    path: PathResult,
    notes: list[str],
    args: argparse.Namespace,
    settings: ServiceSettings,
    producer_engine: AsyncEngine,
    consumer: ConsumerSide,
    model: type[WorkerOnboarded],
    topic: str,
    db: str,
) -> None:
    """The producing service (writers + relay) here, beside `consumer`; fills `path`."""
    n = args.events
    tracker = Tracker()
    producer_sessions = session_factory(producer_engine)
    await ensure_topics(settings, [topic])

    relay_producer = new_producer(settings)  # the producing service's
    await relay_producer.start()
    stop = asyncio.Event()
    relay = OutboxRelay(
        settings.service_name,
        producer_sessions,
        TimedSends(relay_producer, tracker),  # type: ignore[arg-type]
        batch_size=settings.outbox_batch_size,
        poll_interval_s=settings.outbox_poll_interval_s,
    )
    relay_task = asyncio.create_task(relay.run(stop), name="bench-relay")

    async def phase_run(
        phase: str, count: int, writers: int, interval: float | None = None
    ) -> tuple[float, float]:
        done = await consumer.expect(phase, count)

        async def one(i: int) -> None:
            await write_event(producer_sessions, model, tracker, f"{phase}-{i}", i)

        start, end = await run_writers(writers, count, one, interval)
        await consumer.wait(phase, done, tracker)
        return start, end

    try:
        await consumer.start()
        # Warm-up: the consumer joins its group, the producer learns the partitions, pools fill.
        await phase_run("warm", 50, args.writers)

        profiler = cProfile.Profile() if args.profile else None
        cpu_before = time.process_time()
        busy_before = machine_busy_s()
        if profiler:
            profiler.enable()
        start, commits_end = await phase_run("max", n, args.writers)
        if profiler:
            profiler.disable()
            dump_profile(profiler, args.profile, f"{db}.{path.mode}")
        ids = tracker.ids("max")
        last_effect = max(tracker.effected[i] for i in ids)
        path.cpu_share = (time.process_time() - cpu_before) / (last_effect - start)
        busy_after = machine_busy_s()
        if busy_before is not None and busy_after is not None:
            # Sampled when this process heard the run was over; close enough to last_effect.
            path.machine_cpu_share = (busy_after - busy_before) / (wall() - start)
        if "max" in consumer.cpu_s:
            path.consumer_cpu_share = consumer.cpu_s["max"] / (last_effect - start)
        path.events_s = n / (last_effect - start)
        path.commit_rate = n / (commits_end - start)
        lat = span_ms(ids, tracker.committed, tracker.effected)
        path.max_run_p50_ms, path.max_run_p99_ms = percentile(lat, 50), percentile(lat, 99)

        # Half the measured maximum, open loop: event i is due at i / rate.
        rate = path.events_s / 2
        paced_n = args.paced_events or max(200, min(n, int(rate * args.paced_seconds)))
        start, end = await phase_run("paced", paced_n, max(args.writers, 8), 1 / rate)
        path.paced_events = paced_n
        path.paced_offered = rate
        path.paced_achieved = paced_n / (end - start)
        ids = tracker.ids("paced")
        lat = span_ms(ids, tracker.committed, tracker.effected)
        path.p50_ms, path.p99_ms = percentile(lat, 50), percentile(lat, 99)
        path.max_ms = lat[-1]
        for label, begin, end_ in [
            ("producer commit -> relay send", tracker.committed, tracker.sent),
            ("relay send -> broker ack", tracker.sent, tracker.acked),
            ("broker ack -> consumer receive", tracker.acked, tracker.received),
            ("consumer receive -> effect commit", tracker.received, tracker.effected),
        ]:
            stage = span_ms(ids, begin, end_)
            path.stages.append((label, percentile(stage, 50), percentile(stage, 99)))

        async with producer_sessions() as session:
            unsent = (
                await session.execute(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
            ).scalar_one()
        if unsent:
            notes.append(f"{MODES[path.mode]}: {unsent} outbox rows not yet marked sent at the end")
    finally:
        stop.set()
        await asyncio.gather(relay_task, return_exceptions=True)
        await consumer.stop()
        await relay_producer.stop()


def dump_profile(profiler: cProfile.Profile, prefix: str, name: str) -> None:
    out = Path(f"{prefix}.{name}.pstats")
    profiler.dump_stats(out)
    print(f"[{name}] cProfile of the max run written to {out}", file=sys.stderr)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)


# --- report -------------------------------------------------------------------------------------


def fmt_rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def fmt_cores(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pair(a: float | None, b: float | None, fmt: Callable[[float | None], str]) -> str:
    return "-" if a is None and b is None else f"{fmt(a)} / {fmt(b)}"


def _machine(cores: float | None, rate: float | None) -> str:
    """Machine cores busy, and the machine CPU that costs per event or transaction."""
    if cores is None or not rate:
        return "-"
    return f"{cores:.2f} / {cores * 1000 / rate:.2f}"


def _best_bare(r: Result) -> tuple[float | None, float | None]:
    if not r.bare_runs:
        return None, None
    best = r.bare_runs.index(max(r.bare_runs))
    return r.bare_machine[best], r.bare_runs[best]


Row = tuple[str, Callable[[Result], str]]


def path_rows(mode: str, stage_labels: list[str]) -> tuple[list[Row], list[Row]]:
    """The rows of one mode: its max run, and its half-rate run."""

    def cell(fn: Callable[[PathResult], str]) -> Callable[[Result], str]:
        return lambda r: fn(r.paths[mode]) if mode in r.paths else "-"

    def p99(p: PathResult) -> str:
        if p.p99_ms is None:
            return "-"
        return f"{fmt_ms(p.p99_ms)} {'PASS' if p.p99_ms <= P99_TARGET_MS else 'MISS'}"

    def bare_share(r: Result) -> str:
        p = r.paths.get(mode)
        if p is None or p.events_s is None or not r.bare_tx_s:
            return "-"
        value = p.events_s / r.bare_tx_s
        return f"{value:.1%} {'PASS' if value >= BARE_TARGET else 'MISS'}"

    machine_row: Row = (
        f"  whole machine CPU busy (cores of {os.cpu_count()}) / per event (ms)",
        cell(lambda p: _machine(p.machine_cpu_share, p.events_s)),
    )
    if mode == "separate":
        title = "outbox path, max, producer and consumer as separate processes (as deployed)"
        cpu_rows: list[Row] = [
            ("  producer process CPU (cores)", cell(lambda p: fmt_cores(p.cpu_share))),
            ("  consumer process CPU (cores)", cell(lambda p: fmt_cores(p.consumer_cpu_share))),
            machine_row,
        ]
    else:
        title = "outbox path, max, producer and consumer in one process"
        cpu_rows = [
            ("  bench process CPU (cores)", cell(lambda p: fmt_cores(p.cpu_share))),
            machine_row,
        ]
    max_rows: list[Row] = [
        (f"{title} (events/s)", cell(lambda p: fmt_rate(p.events_s))),
        ("  % of bare insert (target >= 50%)", bare_share),
        ("  producer commits (tx/s)", cell(lambda p: fmt_rate(p.commit_rate))),
        *cpu_rows,
        (
            "  latency p50 / p99 (ms)",
            cell(lambda p: _pair(p.max_run_p50_ms, p.max_run_p99_ms, fmt_ms)),
        ),
    ]
    half_rows: list[Row] = [
        (
            f"outbox path, half rate, {MODES[mode]} (events/s)",
            cell(
                lambda p: (
                    "-"
                    if p.paced_offered is None
                    else f"{fmt_rate(p.paced_achieved)} of {fmt_rate(p.paced_offered)}"
                )
            ),
        ),
        ("  events", cell(lambda p: fmt_rate(p.paced_events))),
        ("  commit-to-effect p50 (ms)", cell(lambda p: fmt_ms(p.p50_ms))),
        ("  commit-to-effect p99 (ms) (target <= 250)", cell(p99)),
        ("  commit-to-effect max (ms)", cell(lambda p: fmt_ms(p.max_ms))),
    ]
    for label in stage_labels:
        half_rows.append(
            (
                f"    {label} p50/p99",
                cell(
                    lambda p, label=label: next(
                        (f"{fmt_ms(a)} / {fmt_ms(b)}" for s, a, b in p.stages if s == label), "-"
                    )
                ),
            )
        )
    return max_rows, half_rows


def report(
    results: list[Result], args: argparse.Namespace, loop_name: str, loads: list[str]
) -> None:
    s = service_settings(args, "bench", "")
    print()
    print(
        f"event path benchmark: {args.events} events per max run, {args.writers} writers, "
        f"relay batch {s.outbox_batch_size}, consumer batch {s.consumer_batch_size}, "
        f"consumer fetch wait {s.consumer_fetch_max_wait_ms} ms, "
        f"offset commit interval {s.consumer_commit_interval_s} s, "
        f"{s.kafka_topic_partitions} partitions, embedded Tansu broker, {loop_name} loop, "
        f"{os.cpu_count()} CPUs; load average {' -> '.join(loads)}"
        + ("" if args.pin_cpu is None else f"; bench process pinned to CPU {args.pin_cpu}")
    )
    stage_labels = list(
        dict.fromkeys(s[0] for r in results for p in r.paths.values() for s in p.stages)
    )
    modes = selected_modes(args)
    per_mode = [path_rows(mode, stage_labels) for mode in modes]
    rows: list[Row] = [
        ("bare insert (tx/s)", lambda r: fmt_rate(r.bare_tx_s)),
        ("  runs (first before the paths)", lambda r: " / ".join(map(fmt_rate, r.bare_runs))),
        (
            f"  whole machine CPU busy (cores of {os.cpu_count()}) / per tx (ms)",
            lambda r: _machine(*_best_bare(r)),
        ),
        ("raw kafka produce->consume (msg/s)", lambda r: fmt_rate(r.kafka_msg_s)),
        (
            "  latency p50 / p99 at half rate (ms)",
            lambda r: _pair(r.kafka_p50_ms, r.kafka_p99_ms, fmt_ms),
        ),
        *(row for max_rows, _ in per_mode for row in max_rows),
        *(row for _, half_rows in per_mode for row in half_rows),
    ]
    label_w = max(len(label) for label, _ in rows) + 2
    col_w = 24
    print()
    print(" " * label_w + "".join(r.db.rjust(col_w) for r in results))
    print("-" * (label_w + col_w * len(results)))
    for label, cell in rows:
        print(label.ljust(label_w) + "".join(cell(r).rjust(col_w) for r in results))
    print()
    for r in results:
        if r.kafka_latency_rate:
            print(
                f"note [{r.db}]: raw kafka latency measured at {fmt_rate(r.kafka_latency_rate)} "
                "msg/s, the highest half rate of the paths"
            )
        for note in r.notes:
            print(f"note [{r.db}]: {note}")
        if r.error:
            print(f"ERROR [{r.db}]: {r.error}")


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Throughput and commit-to-effect latency of outbox -> Kafka -> inbox."
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--mode",
        choices=["both", *MODES],
        default="both",
        help="where the consuming service runs: 'separate' (its own process, as deployed), "
        "'single' (this process) or both (default)",
    )
    parser.add_argument(
        "--events", type=int, default=4000, help="events in each max-rate run (default 4000)"
    )
    parser.add_argument(
        "--writers", type=int, default=4, help="concurrent producer transactions (default 4)"
    )
    parser.add_argument(
        "--bare-runs",
        type=int,
        default=3,
        help="bare-insert runs of --events each, the first before the paths, the best counts "
        "(default 3)",
    )
    parser.add_argument(
        "--kafka-messages",
        type=int,
        default=50000,
        help="messages in the raw kafka throughput baseline (default 50000; with few, the "
        "broker's fetch wait dominates the figure)",
    )
    parser.add_argument("--relay-batch", type=int, default=500)
    parser.add_argument("--consumer-batch", type=int, default=500)
    parser.add_argument("--partitions", type=int, default=6, help="partitions per topic")
    parser.add_argument(
        "--fetch-max-wait-ms",
        type=int,
        default=None,
        help="consumer fetch wait (path and raw baseline); default: the library's setting "
        "(ServiceSettings.consumer_fetch_max_wait_ms)",
    )
    parser.add_argument(
        "--commit-interval-s",
        type=float,
        default=None,
        help="consumer offset commit interval; default: the library's setting",
    )
    parser.add_argument(
        "--paced-seconds",
        type=float,
        default=8.0,
        help="length of each half-rate run, at most --events events (default 8 s)",
    )
    parser.add_argument("--paced-events", type=int, default=0, help="fix the half-rate run size")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="PostgreSQL admin URL (env BENCH_POSTGRES_URL); fresh databases are made from it",
    )
    parser.add_argument("--loop", choices=["auto", "asyncio", "uvloop"], default="auto")
    parser.add_argument(
        "--pin-cpu",
        type=int,
        default=None,
        metavar="CPU",
        help="run this process (event loop and aiosqlite threads) on one CPU only; the broker, "
        "the databases and the consumer process keep them all",
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="cProfile this process over each max run; writes PREFIX.<db>.<mode>.pstats",
    )
    parser.add_argument(  # internal: the child that runs the consuming service
        "--consumer-process", action="store_true", help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


def quiet_logs() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


async def main_async(args: argparse.Namespace, loop_name: str) -> int:
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    run_id = uuid.uuid4().hex[:8]
    results: list[Result] = []
    loads = [load_average()]
    with tempfile.TemporaryDirectory(prefix="bench-event-path-") as tmp:
        folder = Path(tmp)
        broker = EmbeddedBroker(log_file=folder / "tansu.log").start()
        if args.pin_cpu is not None:
            # After the broker started, so it keeps every CPU; threads made later (aiosqlite's
            # one per connection) inherit the pin from this, the event loop's, thread.
            os.sched_setaffinity(0, {args.pin_cpu})
        try:
            for db in dbs:
                print(f"[{db}] running ...", file=sys.stderr, flush=True)
                began = time.perf_counter()
                try:
                    result = await bench_database(db, args, broker, run_id, folder)
                except Exception as exc:
                    traceback.print_exc()
                    result = Result(db, error=f"{type(exc).__name__}: {exc}")
                results.append(result)
                took = time.perf_counter() - began
                print(f"[{db}] done in {took:.1f}s", file=sys.stderr, flush=True)
        finally:
            broker.stop()
    loads.append(load_average())
    report(results, args, loop_name, loads)
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_logs()
    if args.consumer_process:
        run_loop(args.loop)[1](consumer_process_main())
        return 0
    loop_name, runner = run_loop(args.loop)
    return runner(main_async(args, loop_name))


def run_loop(choice: str) -> tuple[str, Callable[[Any], Any]]:
    """The event loop: uvloop when it is installed and wanted (as uvicorn picks it), or asyncio."""
    if choice in ("auto", "uvloop"):
        try:
            import uvloop
        except ImportError:
            if choice == "uvloop":
                raise
        else:
            return "uvloop", uvloop.run
    return "asyncio", asyncio.run


if __name__ == "__main__":
    sys.exit(main())
