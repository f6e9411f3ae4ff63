"""Kafka plumbing shared by the relay and the consumers: producer, topics, reachability."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class GroupMembership:
    """How a consumer takes part in its group: its liveness timings and, optionally, a static id.

    What decides how soon a restarted consumer gets its partitions back:

    - A graceful stop leaves the group: AIOKafkaConsumer.stop() sends LeaveGroup for a dynamic
      member, so its partitions move on the next join without waiting for any timeout.
    - A SIGKILLed member leaves nothing behind: the broker hands its partitions on only after
      missing its heartbeats for `session_timeout_ms`. Hence a short session.
    - Static membership (`instance_id`, KIP-345): a member that comes back under the same id
      within the session takes the old member's place without a rebalance. On real Kafka that is
      the fastest restart. A static member does not send LeaveGroup on a graceful stop (aiokafka
      follows KIP-345 there), so when a replica goes away for good its partitions wait out the
      session; give each replica its own id and only one that outlives restarts.

    Tansu (the embedded broker; 0.6, measured with aiokafka 0.14) supports static membership: a
    restarted member with the same id gets its member id and partitions back. But it pauses every
    static JoinGroup and SyncGroup for 3 s, so a static rejoin takes ~6.4 s whatever the session,
    against ~4.5 s for a dynamic member with a 2 s session (Tansu holds a dynamic JoinGroup for
    half the session and drops a dead member after a whole one). So on Tansu: dynamic members,
    short session (union_dev.broker.CONSUMER_ENV); the static id is for real Kafka.
    """

    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 1000
    instance_id: str | None = None

    @classmethod
    def from_settings(cls, settings: ServiceSettings | None = None) -> GroupMembership:
        """From `settings`, or else the platform-wide KAFKA_CONSUMER_* / KAFKA_GROUP_INSTANCE_ID
        variables (they carry no service prefix, so any ServiceSettings reads the same)."""
        s = settings if settings is not None else ServiceSettings()
        return cls(
            s.consumer_session_timeout_ms,
            s.consumer_heartbeat_interval_ms,
            s.consumer_group_instance_id,
        )

    def consumer_options(self) -> dict[str, object]:
        """Keyword arguments for AIOKafkaConsumer."""
        options: dict[str, object] = {
            "session_timeout_ms": self.session_timeout_ms,
            "heartbeat_interval_ms": self.heartbeat_interval_ms,
        }
        if self.instance_id:
            options["group_instance_id"] = self.instance_id
        return options


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
