"""Kafka plumbing shared by the relay and the consumers: producer, topics, reachability."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from union_shared.aio import sleep_unless
from union_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

DLQ_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def new_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    options: dict[str, object] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "client_id": f"{settings.service_name}-producer",
        "acks": "all",
        "linger_ms": 5,
        "request_timeout_ms": 30000,
        "retry_backoff_ms": 200,
    }
    if settings.kafka_idempotent_producer:
        options["enable_idempotence"] = True
    return AIOKafkaProducer(**options)


async def ensure_topics(
    settings: ServiceSettings, topics: Iterable[str], *, with_dead_letters: bool = True
) -> None:
    """Create missing topics (and their dead-letter topics); existing ones are left alone."""
    wanted = set(topics)
    if with_dead_letters:
        wanted |= {dead_letter_topic(t) for t in wanted if not t.endswith(DLQ_SUFFIX)}
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-admin",
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(wanted - existing)
        if not missing:
            return
        new = [
            NewTopic(t, settings.kafka_topic_partitions, settings.kafka_replication_factor)
            for t in missing
        ]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            pass  # another service created it between our list and our create
        log.info("topics.created", topics=missing)
    finally:
        await admin.close()


async def ensure_topics_with_retry(
    settings: ServiceSettings, topics: Iterable[str], stop: asyncio.Event
) -> None:
    """Keep trying until the broker answers, so a service can start before its broker."""
    topics = list(topics)
    delay = 0.5
    while not stop.is_set():
        try:
            await ensure_topics(settings, topics)
            return
        except (KafkaError, OSError) as exc:
            log.warning("topics.broker_unreachable", error=str(exc), retry_in_s=delay)
            await sleep_unless(stop, delay)
            delay = min(delay * 2, 10.0)


async def broker_reachable(producer: AIOKafkaProducer | None, timeout_s: float = 2.0) -> bool:
    if producer is None:
        return False
    try:
        await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout_s)
        return True
    except (KafkaError, OSError, TimeoutError):
        return False
