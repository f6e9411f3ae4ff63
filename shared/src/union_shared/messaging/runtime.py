"""The messaging side of a service's lifespan: topics, producer, relay and consumers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from union_shared.aio import sleep_unless
from union_shared.messaging.bus import GroupMembership, ensure_topics_with_retry, new_producer
from union_shared.messaging.consumer import EventConsumer, Handler, InboxProcessor
from union_shared.messaging.relay import OutboxRelay
from union_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group: the topics it reads and a handler per event type."""

    name: str
    topics: Sequence[str]
    handlers: Mapping[str, Handler]


@dataclass
class Messaging:
    settings: ServiceSettings
    sessions: async_sessionmaker[AsyncSession]
    topics: Sequence[str]
    consumers: Sequence[ConsumerSpec] = ()
    producer: AIOKafkaProducer | None = None
    processors: dict[str, InboxProcessor] = field(default_factory=dict)
    relay: OutboxRelay | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _producer_started: bool = False

    def __post_init__(self) -> None:
        for spec in self.consumers:
            self.processors[spec.name] = InboxProcessor(spec.name, self.sessions, spec.handlers)

    @property
    def producer_ready(self) -> bool:
        return self._producer_started

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._supervise(), name="messaging"))

    async def _supervise(self) -> None:
        """Wait for the broker without blocking start-up, then run the relay and consumers."""
        topics = {*self.topics, *(t for c in self.consumers for t in c.topics)}
        await ensure_topics_with_retry(self.settings, topics, self._stop)
        self.producer = await self._start_producer()
        if self.producer is None:
            return
        s = self.settings
        self.relay = OutboxRelay(
            s.service_name,
            self.sessions,
            self.producer,
            batch_size=s.outbox_batch_size,
            poll_interval_s=s.outbox_poll_interval_s,
        )
        self._tasks.append(asyncio.create_task(self.relay.run(self._stop), name="outbox-relay"))
        for spec in self.consumers:
            consumer = EventConsumer(
                spec.name,
                spec.topics,
                self.processors[spec.name],
                bootstrap_servers=s.kafka_bootstrap_servers,
                producer=self.producer,
                batch_size=s.consumer_batch_size,
                handler_attempts=s.consumer_handler_attempts,
                retry_backoff_s=s.consumer_retry_backoff_s,
                commit_interval_s=s.consumer_commit_interval_s,
                fetch_max_wait_ms=s.consumer_fetch_max_wait_ms,
                membership=GroupMembership.from_settings(s),
            )
            self._tasks.append(
                asyncio.create_task(consumer.run(self._stop), name=f"consumer-{spec.name}")
            )

    async def _start_producer(self) -> AIOKafkaProducer | None:
        delay = 0.5
        while not self._stop.is_set():
            producer = new_producer(self.settings)
            try:
                await producer.start()
                self._producer_started = True
                return producer
            except (KafkaError, OSError) as exc:
                await producer.stop()
                log.warning("producer.broker_unreachable", error=repr(exc), retry_in_s=delay)
                await sleep_unless(self._stop, delay)
                delay = min(delay * 2, 10.0)
        return None

    async def stop(self, timeout_s: float = 15.0) -> None:
        """Finish the batch in hand, commit offsets, flush the producer; then return."""
        self._stop.set()
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=timeout_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.error(
                        "messaging.task_failed", task=task.get_name(), error=repr(task.exception())
                    )
        if self.producer is not None:
            await self.producer.stop()
            self._producer_started = False
