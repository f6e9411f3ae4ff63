"""The outbox relay: publishes committed outbox rows to Kafka in order and marks them sent.

Order: rows are read in id order (commit order within a key, since a key's writes are
serialised by its aggregate) and sent through one producer, which keeps per-partition order.
Rows are marked sent only after the broker acknowledged them, and only the unbroken prefix of
acknowledged rows: everything after the first failure is sent again, so nothing is lost and a
duplicate is the worst case (consumers are idempotent).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from prometheus_client import Counter, Gauge
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from union_shared.aio import sleep_unless, wait_either
from union_shared.clock import utc_now
from union_shared.events.envelope import KAFKA_HEADERS
from union_shared.messaging.outbox import subscribe_wakeups, unsubscribe_wakeups
from union_shared.messaging.tables import outbox

log = structlog.get_logger(__name__)

PUBLISHED = Counter("outbox_published_total", "Outbox rows acknowledged by the broker", ["service"])
PUBLISH_FAILURES = Counter("outbox_publish_failures_total", "Failed outbox batches", ["service"])
BACKLOG = Gauge("outbox_backlog", "Unsent outbox rows seen by the relay", ["service"])


class OutboxRelay:
    def __init__(
        self,
        service: str,
        sessions: async_sessionmaker[AsyncSession],
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        poll_interval_s: float = 0.2,
        max_backoff_s: float = 5.0,
        retention: timedelta = timedelta(days=7),
    ) -> None:
        self.service = service
        self.sessions = sessions
        self.producer = producer
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.max_backoff_s = max_backoff_s
        self.retention = retention

    async def run(self, stop: asyncio.Event) -> None:
        wake = subscribe_wakeups()
        backoff = 0.1
        try:
            while not stop.is_set():
                wake.clear()
                try:
                    _, more = await self.publish_batch()
                    backoff = 0.1
                except (KafkaError, OSError, TimeoutError, DBAPIError) as exc:
                    PUBLISH_FAILURES.labels(self.service).inc()
                    log.warning("outbox.publish_failed", error=repr(exc), retry_in_s=backoff)
                    await sleep_unless(stop, backoff)
                    backoff = min(backoff * 2, self.max_backoff_s)
                    continue
                except Exception as exc:  # keep relaying; the rows stay until they are sent
                    log.exception("outbox.relay_error", error=repr(exc))
                    await sleep_unless(stop, self.max_backoff_s)
                    continue
                if not more:
                    await wait_either(stop, wake, self.poll_interval_s)
        finally:
            unsubscribe_wakeups(wake)

    async def publish_batch(self) -> tuple[int, bool]:
        """Publish one batch; returns (rows marked sent, whether a full batch was read)."""
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(outbox.c.id, outbox.c.topic, outbox.c.message_key, outbox.c.payload)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self.batch_size)
                )
            ).all()
        BACKLOG.labels(self.service).set(len(rows))
        if not rows:
            return 0, False
        acked, error = await self._send(rows)
        if acked:
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(outbox).where(outbox.c.id.in_(acked)).values(published_at=utc_now())
                )
            PUBLISHED.labels(self.service).inc(len(acked))
        if error is not None:
            raise error
        return len(acked), len(rows) == self.batch_size

    async def _send(self, rows: list) -> tuple[list[int], BaseException | None]:
        futures = []
        try:
            for row in rows:
                futures.append(
                    await self.producer.send(
                        row.topic,
                        value=row.payload,
                        key=row.message_key.encode(),
                        headers=KAFKA_HEADERS,
                    )
                )
        except (KafkaError, OSError) as exc:
            send_error: BaseException | None = exc
        else:
            send_error = None
        results = await asyncio.gather(*futures, return_exceptions=True)
        acked: list[int] = []
        for row, result in zip(rows, results, strict=False):
            if isinstance(result, BaseException):
                return acked, result
            acked.append(row.id)
        return acked, send_error

    async def purge_published(self, now: datetime) -> int:
        """Delete rows published longer ago than the retention; the broker keeps the history."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                delete(outbox).where(outbox.c.published_at < now - self.retention)
            )
            return result.rowcount or 0

    async def backlog(self) -> int:
        async with self.sessions() as session:
            return (
                await session.execute(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
            ).scalar_one()
