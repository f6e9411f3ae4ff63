"""The inbox consumer: a redelivered event changes nothing, poison goes to the dead-letter topic
without blocking its partition, and a dead letter replays once its cause is fixed."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, select

from union_dev.testing.api import bearer
from union_shared.app import ServiceSpec, create_service_app
from union_shared.auth import Role
from union_shared.messaging.bus import ensure_topics, new_producer
from union_shared.messaging.consumer import EventConsumer, InboxProcessor
from union_shared.messaging.runtime import ConsumerSpec
from union_shared.messaging.tables import dead_letters, processed_events
from union_shared.settings import ServiceSettings

from .conftest import add_tally, eventually, onboarded_event, tally_map

pytestmark = pytest.mark.db


def settings_for(kafka_bootstrap: str, database_url: str = "", **extra) -> ServiceSettings:
    return ServiceSettings(
        service_name="consumertest",
        kafka_bootstrap_servers=kafka_bootstrap,
        database_url=database_url,
        kafka_topic_partitions=1,
        consumer_retry_backoff_s=0.01,
        **extra,
    )


@contextlib.asynccontextmanager
async def running_consumer(
    sessions, kafka_bootstrap: str, topic: str, handlers, name: str | None = None
) -> AsyncIterator[EventConsumer]:
    settings = settings_for(kafka_bootstrap)
    await ensure_topics(settings, [topic])
    producer = new_producer(settings)
    await producer.start()
    name = name or f"c-{uuid.uuid4().hex[:8]}"
    consumer = EventConsumer(
        name,
        [topic],
        InboxProcessor(name, sessions, handlers),
        bootstrap_servers=kafka_bootstrap,
        producer=producer,
        retry_backoff_s=0.01,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield consumer
    finally:
        stop.set()
        await task
        await producer.stop()


async def test_a_redelivered_event_changes_nothing(sessions, producer, topic, kafka_bootstrap):
    event = onboarded_event("w-1")
    other = onboarded_event("w-2")
    handlers = {"WorkerOnboarded": add_tally}
    async with running_consumer(sessions, kafka_bootstrap, topic, handlers) as consumer:
        for e in (event, event, other, event):
            await producer.send_and_wait(topic, e.to_bytes(), key=e.subject.encode())
        await eventually(lambda: _has(sessions, {"w-1": 1, "w-2": 1}))
    # A fresh consumer with the same name re-reads nothing new; one re-run of the same event by
    # hand (as after a crash before the offset commit) is absorbed by the inbox too.
    await InboxProcessor(consumer.name, sessions, handlers).apply(
        [consumer.processor.decode_bytes(event.to_bytes())]
    )
    assert await tally_map(sessions) == {"w-1": 1, "w-2": 1}
    async with sessions() as session:
        recorded = (
            await session.execute(select(func.count()).select_from(processed_events))
        ).scalar_one()
    assert recorded == 2


async def test_poison_goes_to_the_dead_letter_topic_and_the_partition_keeps_flowing(
    sessions, producer, topic, kafka_bootstrap
):
    unknown_version = onboarded_event("w-x").model_copy(update={"schemaversion": 7})
    messages = [
        onboarded_event("w-1").to_bytes(),
        b"\x00 definitely not an event",
        unknown_version.to_bytes(),
        onboarded_event("w-2").to_bytes(),
    ]
    async with running_consumer(sessions, kafka_bootstrap, topic, {"WorkerOnboarded": add_tally}):
        for raw in messages:
            await producer.send_and_wait(topic, raw, key=b"same-key")
        await eventually(lambda: _has(sessions, {"w-1": 1, "w-2": 1}))
        await eventually(lambda: _dead_letter_count(sessions, 2))

    dlq = AIOKafkaConsumer(
        f"{topic}.dlq", bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await dlq.start()
    try:
        records = []
        while len(records) < 2:
            for batch in (await dlq.getmany(timeout_ms=2000)).values():
                records.extend(batch)
    finally:
        await dlq.stop()
    assert [r.value for r in records] == messages[1:3]
    assert all(dict(r.headers)["content-type"] == b"application/cloudevents+json" for r in records)
    errors = [dict(r.headers)["dlq.error"].decode() for r in records]
    assert "not a valid event envelope" in errors[0]
    assert "unknown schema version 7 of WorkerOnboarded" in errors[1]


async def test_a_failing_handler_is_dead_lettered_then_replayed_after_the_fix(
    database_url, engine, sessions, producer, topic, kafka_bootstrap
):
    broken = {"w-bad"}

    async def fragile_tally(session, envelope, payload):
        if payload.worker_id in broken:
            raise RuntimeError("unit u-1 is not in the register yet")
        await add_tally(session, envelope, payload)

    spec = ServiceSpec(
        name="consumertest",
        title="consumer test",
        description="",
        settings=settings_for(kafka_bootstrap, database_url),
        consumers=[ConsumerSpec("tally", [topic], {"WorkerOnboarded": fragile_tally})],
    )
    app = create_service_app(spec)
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://t", headers=bearer(Role.OPERATOR)
        )
        for worker in ("w-1", "w-bad", "w-2"):
            e = onboarded_event(worker)
            await producer.send_and_wait(topic, e.to_bytes(), key=b"one-partition")
        await eventually(lambda: _has(sessions, {"w-1": 1, "w-2": 1}))
        await eventually(lambda: _dead_letter_count(sessions, 1))

        listed = (await client.get("/admin/dead-letters")).json()
        assert len(listed) == 1
        letter = listed[0]
        assert letter["consumer"] == "tally"
        assert letter["attempts"] == 3
        assert "unit u-1 is not in the register yet" in letter["error"]

        still_broken = await client.post(f"/admin/dead-letters/{letter['id']}/replay")
        assert still_broken.status_code == 409
        assert still_broken.headers["content-type"] == "application/problem+json"
        assert "handler failed again" in still_broken.json()["detail"]

        broken.clear()  # the cause is fixed
        replayed = await client.post(f"/admin/dead-letters/{letter['id']}/replay")
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["replayed_at"] is not None
        assert await tally_map(sessions) == {"w-1": 1, "w-2": 1, "w-bad": 1}

        again = await client.post(f"/admin/dead-letters/{letter['id']}/replay")
        assert again.status_code == 409
        assert (await client.get("/admin/dead-letters")).json() == []
        missing = await client.post("/admin/dead-letters/999999/replay")
        assert missing.status_code == 404
    assert await tally_map(sessions) == {"w-1": 1, "w-2": 1, "w-bad": 1}


async def _has(sessions, expected: dict[str, int]) -> bool:
    return await tally_map(sessions) == expected


async def _dead_letter_count(sessions, n: int) -> bool:
    async with sessions() as session:
        count = (await session.execute(select(func.count()).select_from(dead_letters))).scalar_one()
    return count == n
