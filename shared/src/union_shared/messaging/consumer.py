"""The consumer runner: Kafka → handler → inbox, exactly one effect per event.

For every message: decode it (an undecodable message or an unknown type/version is poison and
goes straight to the dead-letter topic), skip it if this consumer already processed its event id,
else run the handler and record the event id in `processed_events` in the same transaction.
Offsets are committed per partition only after that transaction commits, so a crash anywhere
means redelivery, and redelivery means no second effect.

Fast path: a run of messages is handled in one transaction. If any handler fails, the run is
rolled back and replayed one message per transaction with retries, so one bad event cannot
take its neighbours down; after the last attempt it goes to the dead-letter topic and the
partition moves on. A database that cannot be reached is not the event's fault: that is retried
until it comes back, never dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import KafkaError
from prometheus_client import Counter
from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from union_shared.aio import sleep_unless
from union_shared.clock import utc_now
from union_shared.events.envelope import KAFKA_HEADERS, Envelope, event_scope
from union_shared.events.registry import REGISTRY, EventRegistry, UnknownEventError
from union_shared.messaging.bus import GroupMembership, dead_letter_topic
from union_shared.messaging.tables import dead_letters, processed_events

log = structlog.get_logger(__name__)

Handler = Callable[[AsyncSession, Envelope, BaseModel], Awaitable[None]]

PROCESSED = Counter("events_processed_total", "Events handled", ["consumer", "type"])
DUPLICATES = Counter("events_duplicate_total", "Redelivered events skipped", ["consumer"])
DEAD_LETTERED = Counter("events_dead_lettered_total", "Events sent to a DLQ", ["consumer"])


@dataclass(frozen=True)
class Decoded:
    record: ConsumerRecord | None  # None when replayed from the dead-letter table
    envelope: Envelope
    payload: BaseModel


class _Interrupted(Exception):
    """Shutdown arrived while an event was waiting on the database: leave it for redelivery."""


class Poison(Exception):
    """A message that can never be handled as it is; it goes to the dead-letter topic."""


def _is_transient(exc: BaseException) -> bool:
    # Connection loss and lock timeouts are the database's trouble, not the event's.
    return isinstance(exc, DBAPIError) and (
        exc.connection_invalidated
        or "locked" in str(exc.orig).lower()
        or "connect" in str(exc.orig).lower()
    )


class InboxProcessor:
    """Runs handlers for decoded events inside transactions with the inbox record."""

    def __init__(
        self,
        consumer: str,
        sessions: async_sessionmaker[AsyncSession],
        handlers: Mapping[str, Handler],
        registry: EventRegistry = REGISTRY,
    ) -> None:
        self.consumer = consumer
        self.sessions = sessions
        self.handlers = dict(handlers)
        self.registry = registry

    def decode(self, record: ConsumerRecord | None, raw: bytes) -> Decoded | None:
        """The decoded event, None for a known type this consumer ignores; raises Poison."""
        try:
            envelope, payload = self.registry.decode(raw)
        except UnknownEventError as exc:
            raise Poison(str(exc)) from exc
        if envelope.type not in self.handlers:
            return None
        return Decoded(record, envelope, payload)

    def decode_bytes(self, raw: bytes) -> Decoded | None:
        return self.decode(None, raw)

    async def apply(self, batch: Sequence[Decoded]) -> None:
        """Apply a run of events in one transaction; all or none take effect."""
        async with self.sessions() as session, session.begin():
            ids = [d.envelope.id for d in batch]
            seen = set(
                (
                    await session.execute(
                        select(processed_events.c.event_id).where(
                            processed_events.c.consumer == self.consumer,
                            processed_events.c.event_id.in_(ids),
                        )
                    )
                ).scalars()
            )
            fresh: list[Decoded] = []
            for d in batch:
                if d.envelope.id in seen:
                    DUPLICATES.labels(self.consumer).inc()
                    continue
                seen.add(d.envelope.id)  # the same event twice in one batch
                fresh.append(d)
            for d in fresh:
                with event_scope(d.envelope):
                    await self.handlers[d.envelope.type](session, d.envelope, d.payload)
            if fresh:
                now = utc_now()
                await session.execute(
                    insert(processed_events),
                    [
                        {
                            "consumer": self.consumer,
                            "event_id": d.envelope.id,
                            "event_type": d.envelope.type,
                            "processed_at": now,
                        }
                        for d in fresh
                    ],
                )
        for d in fresh:
            PROCESSED.labels(self.consumer, d.envelope.type).inc()

    async def record_dead_letter(self, record: ConsumerRecord, error: str, attempts: int) -> None:
        event_id = event_type = None
        try:
            envelope = Envelope.from_bytes(record.value or b"")
            event_id, event_type = envelope.id, envelope.type
        except ValueError:
            pass
        row = {
            "consumer": self.consumer,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "message_key": record.key.decode(errors="replace") if record.key else None,
            "payload": record.value or b"",
            "event_id": event_id,
            "event_type": event_type,
            "error": error,
            "attempts": attempts,
            "failed_at": utc_now(),
        }
        async with self.sessions() as session, session.begin():
            dialect = session.bind.dialect.name
            stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(dead_letters)
            # A redelivery after a crash must not list the same dead letter twice.
            await session.execute(
                stmt.values(row).on_conflict_do_nothing(
                    index_elements=["consumer", "topic", "partition", "offset"]
                )
            )


class _CommitOnRevoke(ConsumerRebalanceListener):
    def __init__(self, runner: EventConsumer) -> None:
        self.runner = runner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        # Wait for the batch in hand, then hand the partitions over with their offsets committed.
        async with self.runner.processing:
            await self.runner.commit_pending(set(revoked))

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        log.info("consumer.assigned", consumer=self.runner.name, partitions=len(assigned))


class EventConsumer:
    def __init__(
        self,
        name: str,
        topics: Sequence[str],
        processor: InboxProcessor,
        *,
        bootstrap_servers: str,
        producer: AIOKafkaProducer,
        batch_size: int = 500,
        handler_attempts: int = 3,
        retry_backoff_s: float = 0.05,
        commit_interval_s: float = 0.0,
        fetch_max_wait_ms: int = 50,
        membership: GroupMembership | None = None,
    ) -> None:
        self.name = name
        # None: the platform-wide KAFKA_CONSUMER_* settings (GroupMembership.from_settings).
        self.membership = membership or GroupMembership.from_settings()
        # Committing offsets less often saves broker round-trips; anything uncommitted at a
        # crash is redelivered and absorbed by the inbox, so it costs duplicates, never effects.
        self.commit_interval_s = commit_interval_s
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self._last_commit = 0.0
        self.topics = list(topics)
        self.processor = processor
        self.bootstrap_servers = bootstrap_servers
        self.producer = producer
        self.batch_size = batch_size
        self.handler_attempts = handler_attempts
        self.retry_backoff_s = retry_backoff_s
        self.processing = asyncio.Lock()
        self._pending: dict[TopicPartition, int] = {}
        self._kafka: AIOKafkaConsumer | None = None

    def _new_kafka_consumer(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=self.name,
            client_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.batch_size,
            fetch_max_wait_ms=self.fetch_max_wait_ms,
            **self.membership.consumer_options(),
        )

    async def run(self, stop: asyncio.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            kafka = self._new_kafka_consumer()
            try:
                await kafka.start()
                kafka.subscribe(self.topics, listener=_CommitOnRevoke(self))
                self._kafka = kafka
                delay = 0.5
                await self._loop(kafka, stop)
            except (KafkaError, OSError) as exc:
                log.warning("consumer.broker_error", consumer=self.name, error=repr(exc))
                await sleep_unless(stop, delay)
                delay = min(delay * 2, 10.0)
            except Exception as exc:  # never let one surprise end consumption for good
                log.exception("consumer.crashed", consumer=self.name, error=repr(exc))
                await sleep_unless(stop, delay)
                delay = min(delay * 2, 10.0)
            finally:
                try:
                    await self.commit_pending(None)
                finally:
                    self._kafka = None
                    await kafka.stop()

    async def _loop(self, kafka: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                batches = await self._fetch(kafka, stopping)
                if batches:
                    await self._handle_batches(batches, stop)
        finally:
            stopping.cancel()

    async def _fetch(
        self, kafka: AIOKafkaConsumer, stopping: asyncio.Future[bool]
    ) -> dict[TopicPartition, list[ConsumerRecord]]:
        """The next records, or nothing when shutdown comes first (even mid group-join)."""
        fetch = asyncio.ensure_future(kafka.getmany(timeout_ms=200, max_records=self.batch_size))
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, KafkaError):
                await fetch
            return {}
        return fetch.result()

    async def _handle_batches(
        self, batches: dict[TopicPartition, list[ConsumerRecord]], stop: asyncio.Event
    ) -> None:
        async with self.processing:
            for tp, records in batches.items():
                await self.handle_partition(tp, records, stop)
                if stop.is_set():
                    break
            now = asyncio.get_running_loop().time()
            if stop.is_set() or now - self._last_commit >= self.commit_interval_s:
                await self.commit_pending(None)
                self._last_commit = now

    async def commit_pending(self, only: set[TopicPartition] | None) -> None:
        kafka = self._kafka
        offsets = {tp: off for tp, off in self._pending.items() if only is None or tp in only}
        if kafka is None or not offsets:
            return
        try:
            await kafka.commit(offsets)
        except KafkaError as exc:
            # Uncommitted offsets only mean redelivery, which the inbox absorbs.
            log.warning("consumer.commit_failed", consumer=self.name, error=repr(exc))
        for tp in offsets:
            if self._pending.get(tp) == offsets[tp]:
                del self._pending[tp]

    async def handle_partition(
        self, tp: TopicPartition, records: Sequence[ConsumerRecord], stop: asyncio.Event
    ) -> None:
        run: list[Decoded] = []
        try:
            for record in records:
                try:
                    decoded = self.processor.decode(record, record.value or b"")
                except Poison as exc:
                    await self._flush(run, stop)
                    run = []
                    await self._dead_letter(record, str(exc), attempts=1)
                    continue
                if decoded is not None:
                    run.append(decoded)
            await self._flush(run, stop)
        except _Interrupted:
            return  # the rest is redelivered after restart; the inbox absorbs what was done
        self._pending[tp] = records[-1].offset + 1

    async def _flush(self, run: list[Decoded], stop: asyncio.Event) -> None:
        if not run:
            return
        try:
            await self._apply_with_db_retry(run, stop)
            return
        except _Interrupted:
            raise
        except Exception as exc:  # a handler failed: find the culprit one event at a time
            if len(run) == 1:
                await self._retry_one(run[0], exc, stop)
                return
        for decoded in run:
            try:
                await self._apply_with_db_retry([decoded], stop)
            except _Interrupted:
                raise
            except Exception as exc:
                await self._retry_one(decoded, exc, stop)

    async def _apply_with_db_retry(self, run: list[Decoded], stop: asyncio.Event) -> None:
        delay = 0.2
        while True:
            if stop.is_set():
                raise _Interrupted
            try:
                await self.processor.apply(run)
                return
            except DBAPIError as exc:
                if isinstance(exc, IntegrityError) or not _is_transient(exc):
                    raise
                log.warning("consumer.database_unavailable", consumer=self.name, error=str(exc))
                await sleep_unless(stop, delay)
                delay = min(delay * 2, 10.0)

    async def _retry_one(
        self, decoded: Decoded, first_error: Exception, stop: asyncio.Event
    ) -> None:
        error: Exception = first_error
        for attempt in range(2, self.handler_attempts + 1):
            await sleep_unless(stop, self.retry_backoff_s * 2 ** (attempt - 2))
            try:
                await self._apply_with_db_retry([decoded], stop)
                return
            except _Interrupted:
                raise
            except Exception as exc:
                log.warning(
                    "consumer.handler_failed",
                    consumer=self.name,
                    event_id=decoded.envelope.id,
                    attempt=attempt,
                    error=_describe(exc),
                )
                error = exc
        await self._dead_letter(decoded.record, _describe(error), attempts=self.handler_attempts)

    async def _dead_letter(self, record: ConsumerRecord, error: str, attempts: int) -> None:
        log.error(
            "consumer.dead_letter",
            consumer=self.name,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=error,
        )
        headers = [
            *KAFKA_HEADERS,  # the copy is still a CloudEvent (or the same undecodable bytes)
            ("dlq.consumer", self.name.encode()),
            ("dlq.error", error[:4000].encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
        ]
        await self.producer.send_and_wait(
            dead_letter_topic(record.topic), value=record.value, key=record.key, headers=headers
        )
        await self.processor.record_dead_letter(record, error, attempts)
        DEAD_LETTERED.labels(self.name).inc()


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
