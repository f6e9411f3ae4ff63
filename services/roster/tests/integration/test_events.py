"""The roster on the real broker: ApplicantHired (as recruitment will send it) puts a worker on
the register exactly once, a hire that cannot be applied is dead-lettered with its reason, and
AppraisalRecorded reaches the broker with the fields grading needs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from union_dev.testing.api import bearer
from union_dev.testing.service import outbox_events
from union_shared.auth import Role
from union_shared.events import REGISTRY, ApplicantHired, build_event
from union_shared.events.catalogue import RECRUITMENT_TOPIC, ROSTER_TOPIC
from union_shared.messaging.bus import ensure_topics

from .conftest import SYSTEM, resident_id

pytestmark = pytest.mark.db


def hire(unit_id: str, **overrides) -> ApplicantHired:
    fields = {
        "application_id": f"app-{uuid.uuid4().hex[:8]}",
        "campaign_id": "tj-2026",
        "posting_id": "post-hexi-1",
        "unit_id": unit_id,
        "name": "李静",
        "resident_id": resident_id(date(1996, 4, 2), male=False),
        "phone": "13920001234",
        "education": "master",
        "major": "社会工作",
        "start_date": date(2026, 9, 1),
        "credited_service_years": 2,
    }
    return ApplicantHired(**{**fields, **overrides})


async def publish(settings, *payloads: ApplicantHired, repeat: int = 1) -> None:
    await ensure_topics(settings, [RECRUITMENT_TOPIC])
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        for payload in payloads:
            envelope = build_event(payload, subject=payload.application_id, source="recruitment")
            for _ in range(repeat):
                await producer.send_and_wait(
                    RECRUITMENT_TOPIC, envelope.to_bytes(), key=envelope.subject.encode()
                )
    finally:
        await producer.stop()


async def until(check, timeout_s: float = 30.0):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_applicant_hired_puts_the_worker_on_the_register_once(live_client, tree, settings):
    hired = hire(tree["street"])
    await publish(settings, hired, repeat=2)  # a redelivery
    # The same hire sent again as a new event (e.g. recruitment retried its own outbox row).
    await publish(settings, hired)
    admin = bearer(Role.CITY_ADMIN, unit_id=tree["city"])

    async def listed():
        page = (await live_client.get("/workers", params={"name": "李静"}, headers=admin)).json()
        return page["items"]

    (worker,) = await until(listed)
    await asyncio.sleep(1.0)  # give the duplicates time to (not) land
    assert len(await listed()) == 1
    assert worker["hire_date"] == "2026-09-01"
    assert worker["seniority_start"] == "2024-09-01"  # two credited years
    assert worker["sex"] == "female" and worker["birth_date"] == "1996-04-02"
    assert worker["origin"] == "recruitment"
    (onboarded,) = await outbox_events(live_client, "WorkerOnboarded")
    assert onboarded["data"]["application_id"] == hired.application_id
    assert onboarded["subject"] == worker["id"]
    assert onboarded["data"]["unit_path"] == f"/{tree['city']}/{tree['hexi']}/{tree['street']}/"


async def test_a_hire_naming_a_unit_id_longer_than_the_register_holds_is_refused_with_why(
    live_client, tree, settings
):
    await publish(settings, hire("u" * 40))

    async def letters():
        return (await live_client.get("/admin/dead-letters", headers=SYSTEM)).json()

    (letter,) = await until(lambda: _at_least(letters, 1))
    assert letter["error"].startswith("roster.workers.hiring.HireRefused: ")
    assert "unit_id: String should have at most 36 characters" in letter["error"]
    assert await outbox_events(live_client, "WorkerOnboarded") == []


async def test_a_hire_that_cannot_apply_is_dead_lettered_with_the_reason(
    live_client, tree, settings
):
    await publish(
        settings, hire("no-such-unit"), hire(tree["street"], resident_id="110105194912310021")
    )

    async def letters():
        return (await live_client.get("/admin/dead-letters", headers=SYSTEM)).json()

    found = await until(lambda: _at_least(letters, 2))
    errors = " | ".join(letter["error"] for letter in found)
    assert "unit_id: no unit no-such-unit" in errors
    assert "resident_id: check character is 1, expected X" in errors
    assert await outbox_events(live_client, "WorkerOnboarded") == []

    whole = {letter["id"]: letter["payload"] for letter in found}
    assert any("110105194912310021" in p and "13920001234" in p for p in whole.values())
    operator = bearer(Role.OPERATOR)
    masked = (await live_client.get("/admin/dead-letters", headers=operator)).json()
    assert {letter["id"] for letter in masked} == set(whole)
    for letter in masked:
        assert "110105194912310021" not in letter["payload"]
        assert "13920001234" not in letter["payload"]
        assert "139****1234" in letter["payload"]
        one = await live_client.get(f"/admin/dead-letters/{letter['id']}", headers=operator)
        assert one.json()["payload"] == letter["payload"]
    assert any("110105**********21" in letter["payload"] for letter in masked)

    assert (await live_client.get("/admin/dead-letters")).status_code == 401
    district = bearer(Role.DISTRICT_ADMIN, unit_id=tree["hexi"])
    assert (await live_client.get("/admin/dead-letters", headers=district)).status_code == 403
    replay = await live_client.post(f"/admin/dead-letters/{min(whole)}/replay", headers=district)
    assert replay.status_code == 403


async def _at_least(fetch, n):
    rows = await fetch()
    return rows if len(rows) >= n else None


async def test_appraisal_recorded_reaches_the_broker_with_what_grading_needs(
    live_client, tree, settings
):
    from .conftest import onboard, worker_row

    (worker,) = await onboard(live_client, [worker_row(tree["street"], hire_date="2023-03-01")])
    reply = await live_client.post(
        f"/workers/{worker}/appraisals",
        json={"year": 2025, "rating": "excellent", "score": "95.00"},
        headers=bearer(Role.UNIT_HR, unit_id=tree["street"]),
    )
    assert reply.status_code == 201
    consumer = AIOKafkaConsumer(
        ROSTER_TOPIC,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"grading-probe-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:

        async def appraisal_event():
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    envelope, payload = REGISTRY.decode(record.value)
                    if envelope.type == "AppraisalRecorded" and envelope.subject == worker:
                        return record, envelope, payload
            return None

        record, envelope, payload = await until(appraisal_event)
    finally:
        await consumer.stop()
    assert record.key.decode() == worker
    assert envelope.source == "/roster" and envelope.schemaversion == 1
    assert (payload.worker_id, payload.unit_id, payload.year, payload.rating, payload.revision) == (
        worker,
        tree["street"],
        2025,
        "excellent",
        1,
    )
    assert payload.appraisal_id == reply.json()["appraisal"]["id"]


async def test_a_leaver_recruited_again_is_rehired_not_refused(live_client, tree, settings):
    """Someone who left and wins a new recruitment comes back as the same worker: the hire's
    ApplicantHired is a re-hire (a new episode and WorkerRehired), not a duplicate refused."""
    hr = bearer(Role.UNIT_HR, unit_id=tree["street"])
    number = resident_id(date(1990, 6, 6))
    first = await live_client.post(
        "/workers",
        json={
            "name": "王芳",
            "resident_id": number,
            "education": "bachelor",
            "unit_id": tree["street"],
            "hire_date": "2023-01-01",
        },
        headers=hr,
    )
    worker_id = first.json()["id"]
    left = await live_client.post(
        f"/workers/{worker_id}/departure",
        json={"effective_date": "2025-12-31", "reason": "contract not renewed"},
        headers=hr,
    )
    assert left.status_code == 200, left.text
    hired = hire(tree["building"], name="王芳", resident_id=number, credited_service_years=0)
    await publish(settings, hired)

    async def rehired():
        return await outbox_events(live_client, "WorkerRehired")

    (event,) = await until(rehired)
    assert event["subject"] == worker_id
    # 2023-01-01..2025-12-31 is three years (1,096 days) of counted service, carried on from
    # the new hire on 2026-09-01: seniority starts 1,096 days earlier, on 2023-09-01.
    assert (event["data"]["hire_date"], event["data"]["seniority_start"]) == (
        "2026-09-01",
        "2023-09-01",
    )
    assert event["data"]["application_id"] == hired.application_id
    worker = (await live_client.get(f"/workers/{worker_id}", headers=hr)).json()["worker"]
    assert (worker["status"], worker["unit_id"], worker["origin"]) == (
        "active",
        tree["building"],
        "registration",
    )
    assert (await live_client.get("/admin/dead-letters", headers=SYSTEM)).json() == []
