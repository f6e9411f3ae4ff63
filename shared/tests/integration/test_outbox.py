"""The outbox: a state change and its event row commit or roll back together, and the relay
publishes committed rows in order per key and marks them sent only after the broker acked."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, insert, select

from union_shared.events import REGISTRY
from union_shared.messaging.bus import ensure_topics, new_producer
from union_shared.messaging.outbox import record_events
from union_shared.messaging.relay import OutboxRelay
from union_shared.messaging.tables import outbox
from union_shared.settings import ServiceSettings

from .conftest import eventually, onboarded_event, tallies

pytestmark = pytest.mark.db


class Boom(Exception):
    pass


async def counts(sessions) -> tuple[int, int]:
    async with sessions() as session:
        rows = (await session.execute(select(func.count()).select_from(tallies))).scalar_one()
        events = (await session.execute(select(func.count()).select_from(outbox))).scalar_one()
    return rows, events


async def test_state_change_and_its_event_commit_together(sessions):
    async with sessions() as session, session.begin():
        await session.execute(insert(tallies).values(worker_id="w-1", hits=1))
        await record_events(session, [onboarded_event("w-1")])
    assert await counts(sessions) == (1, 1)


async def test_state_change_and_its_event_roll_back_together(sessions):
    with pytest.raises(Boom):
        async with sessions() as session, session.begin():
            await session.execute(insert(tallies).values(worker_id="w-1", hits=1))
            await record_events(session, [onboarded_event("w-1")])
            raise Boom
    assert await counts(sessions) == (0, 0)


async def test_a_failed_commit_leaves_neither(sessions):
    async with sessions() as session, session.begin():
        await session.execute(insert(tallies).values(worker_id="w-1", hits=1))
    # The duplicate key fails at flush, after the event row was queued in the same transaction.
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        async with sessions() as session, session.begin():
            await record_events(session, [onboarded_event("w-1")])
            await session.execute(insert(tallies).values(worker_id="w-1", hits=1))
    assert await counts(sessions) == (1, 0)


async def test_relay_publishes_in_order_per_key_and_marks_rows_sent(sessions, kafka_bootstrap):
    settings = ServiceSettings(service_name="relaytest", kafka_bootstrap_servers=kafka_bootstrap)
    topic = REGISTRY.spec("WorkerOnboarded", 1).topic
    await ensure_topics(settings, [topic])
    run = uuid.uuid4().hex[:8]
    workers = [f"{run}-w{i}" for i in range(5)]
    written: dict[str, list[str]] = {w: [] for w in workers}
    for round_ in range(10):
        for worker in workers:
            event = onboarded_event(worker)
            written[worker].append(event.id)
            async with sessions() as session, session.begin():
                await record_events(session, [event])
        if round_ == 4:
            await asyncio.sleep(0)  # interleave commits with the relay below

    producer = new_producer(settings)
    await producer.start()
    stop = asyncio.Event()
    relay = OutboxRelay("relaytest", sessions, producer, batch_size=7)
    task = asyncio.create_task(relay.run(stop))
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"check-{run}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    seen: dict[str, list[str]] = {w: [] for w in workers}
    try:

        async def all_seen() -> bool:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    key = record.key.decode()
                    if key in seen:
                        seen[key].append(REGISTRY.decode(record.value)[0].id)
                        assert _as_cloudevent(record)["subject"] == key
            return sum(map(len, seen.values())) >= 50

        await eventually(all_seen)
        await eventually(lambda: _none_unsent(relay))
    finally:
        stop.set()
        await task
        await consumer.stop()
        await producer.stop()
    assert seen == written


def _as_cloudevent(record) -> dict:
    """The record read by the official CloudEvents SDK's Kafka binding, both of its APIs, which
    take a record without `content-type: application/cloudevents+json` for binary mode."""
    from cloudevents.core.bindings import kafka
    from cloudevents.v1.kafka import conversion

    headers = {name: value for name, value in record.headers}
    assert headers["content-type"] == b"application/cloudevents+json"
    message = conversion.KafkaMessage(headers=headers, key=record.key, value=record.value)
    legacy = conversion.from_structured(message)
    event = kafka.from_kafka_event(kafka.KafkaMessage(headers, record.key, record.value))
    attributes = event.get_attributes()
    assert attributes["id"] == legacy["id"] and attributes["type"] == legacy["type"]
    assert attributes["specversion"] == "1.0" and attributes["schemaversion"] == 1
    return attributes


async def _none_unsent(relay: OutboxRelay) -> bool:
    return await relay.backlog() == 0
