"""The roster under test: migrated once into a template database, cloned for every test, called
through its real HTTP app with real role tokens, with a real broker behind it."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from roster.config import Settings
from roster.main import create_app
from union_dev.testing.api import bearer, running
from union_dev.testing.service import migrated_database_fixtures
from union_shared.auth import Role
from union_shared.resident_id import check_character

SERVICE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.db


service_template, roster_url = migrated_database_fixtures(SERVICE_DIR, "roster")


@pytest.fixture
def settings(roster_url: str, kafka_bootstrap: str) -> Settings:
    # The outbox relay and the consumers run only for tests that ask for `live_client`: joining
    # a consumer group costs seconds, and most tests read the outbox rows directly.
    return Settings(
        database_url=roster_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_partitions=3,
        run_background_tasks=False,
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


@pytest.fixture
async def live_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The roster with its outbox relay and ApplicantHired consumer running against the broker."""
    app = create_app(settings.model_copy(update={"run_background_tasks": True}))
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


SYSTEM = bearer(Role.SYSTEM)


async def make_unit(
    client: httpx.AsyncClient, name: str, kind: str, parent_id: str | None = None
) -> str:
    reply = await client.post(
        "/units", json={"name": name, "kind": kind, "parent_id": parent_id}, headers=SYSTEM
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


@pytest.fixture
async def tree(client: httpx.AsyncClient) -> dict[str, str]:
    """A small unit tree: a city, two districts, a street federation and a building union."""
    city = await make_unit(client, "天津市总工会", "city_federation")
    hexi = await make_unit(client, "河西区总工会", "district_federation", city)
    nankai = await make_unit(client, "南开区总工会", "district_federation", city)
    street = await make_unit(client, "友谊路街道总工会", "street_federation", hexi)
    building = await make_unit(client, "金融大厦楼宇工会", "building_union", street)
    return {"city": city, "hexi": hexi, "nankai": nankai, "street": street, "building": building}


def resident_id(
    birth: date = date(1990, 5, 17), *, male: bool = True, rng: random.Random | None = None
) -> str:
    """A valid GB 11643 number for a made-up person (Tianjin Hexi region code 120103)."""
    rng = rng or random.Random()
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"120103{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def worker_row(unit_id: str, *, rng: random.Random | None = None, **overrides) -> dict:
    rng = rng or random.Random()
    # Born 1970-1994: old enough (16+) for any hire date a test uses from 2011 on.
    birth = date(rng.randrange(1970, 1995), rng.randrange(1, 13), rng.randrange(1, 29))
    row = {
        "name": rng.choice(["张", "王", "李", "赵", "刘"])
        + rng.choice(["伟", "芳", "娜", "敏", "静", "磊"]),
        "resident_id": resident_id(birth, male=rng.random() < 0.5, rng=rng),
        "phone": f"13{rng.randrange(10**8, 10**9)}",
        "education": "bachelor",
        "major": "社会工作",
        "qualification": "social_worker",
        "unit_id": unit_id,
        "hire_date": "2024-03-01",
    }
    return {**row, **overrides}


async def onboard(client: httpx.AsyncClient, rows: list[dict]) -> list[str]:
    """Put workers on the register through the service layer (as an import would)."""
    from roster.workers import service
    from roster.workers.schemas import WorkerCreate
    from union_shared.audit import SYSTEM_ACTOR

    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    models = [WorkerCreate.model_validate(r) for r in rows]
    async with sessions() as session, session.begin():
        problems = await service.check_new_workers(session, SYSTEM_ACTOR, models)
        assert not problems, problems
        return await service.onboard(session, SYSTEM_ACTOR, models, origin="import")
