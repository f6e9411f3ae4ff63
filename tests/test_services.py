"""Every service: its migrations apply and roll back on SQLite and PostgreSQL, and its app
answers the operations endpoints (health, readiness, metrics) and errors as problem+json."""

from __future__ import annotations

import asyncio
import importlib

import httpx
import pytest
from sqlalchemy import inspect

from union_dev.platform import SERVICES
from union_dev.testing.api import bearer, problem_fields
from union_dev.testing.databases import fresh_database
from union_shared.auth import Role
from union_shared.db import create_engine
from union_shared.migrations import alembic_config, upgrade

pytestmark = pytest.mark.db

NAMES = [s.name for s in SERVICES]


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    return names


@pytest.mark.parametrize("service", SERVICES, ids=NAMES)
async def test_migrations_apply_and_roll_back(service, tmp_path):
    from alembic import command

    async with fresh_database(tmp_path, service.name) as url:
        await asyncio.to_thread(upgrade, service.directory, url)
        tables = await _tables(url)
        assert {
            "outbox",
            "processed_events",
            "dead_letters",
            f"alembic_version_{service.name}",
        } <= tables
        await asyncio.to_thread(command.downgrade, alembic_config(service.directory, url), "base")
        assert await _tables(url) == {f"alembic_version_{service.name}"}


def _app(service_name: str, **settings):
    module = importlib.import_module(f"{service_name}.main")
    config = importlib.import_module(f"{service_name}.config")
    return module.create_app(config.Settings(**settings))


@pytest.mark.parametrize("name", NAMES)
async def test_operations_endpoints(name, tmp_path, kafka_bootstrap):
    service = next(s for s in SERVICES if s.name == name)
    async with fresh_database(tmp_path, name) as url:
        await asyncio.to_thread(upgrade, service.directory, url)
        app = _app(name, database_url=url, kafka_bootstrap_servers=kafka_bootstrap)
        async with app.router.lifespan_context(app):
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t")
            assert (await client.get("/healthz")).json() == {"status": "ok", "service": name}

            for _ in range(100):
                ready = await client.get("/readyz")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}

            reply = await client.get("/healthz", headers={"x-correlation-id": "corr-42"})
            assert reply.headers["x-correlation-id"] == "corr-42"
            assert reply.headers["x-request-id"]

            metrics = await client.get("/metrics")
            assert "http_requests_total" in metrics.text

            missing = await client.get("/no-such-thing")
            assert missing.status_code == 404
            assert missing.headers["content-type"] == "application/problem+json"
            assert missing.json()["status"] == 404

            # The admin endpoints answer operators and system clients only, on every service.
            assert (await client.get("/admin/dead-letters")).status_code == 401
            assert (await client.post("/admin/dead-letters/1/replay")).status_code == 401
            admin = bearer(Role.CITY_ADMIN, unit_id="u-city")
            assert (await client.get("/admin/dead-letters", headers=admin)).status_code == 403
            operator = bearer(Role.OPERATOR)
            assert (await client.get("/admin/dead-letters", headers=operator)).json() == []
            for too_big in ("9223372036854775808", "99999999999999999999999"):
                past = await client.get(f"/admin/dead-letters/{too_big}", headers=operator)
                assert past.status_code == 422, past.text
                assert problem_fields(past) == {
                    "path.dead_letter_id": "Input should be less than or equal to "
                    "9223372036854775807"
                }
            bad = await client.get(
                "/admin/dead-letters", params={"limit": "lots"}, headers=operator
            )
            assert bad.status_code == 422
            assert bad.json()["errors"] == [
                {
                    "field": "query.limit",
                    "reason": "Input should be a valid integer, "
                    "unable to parse string as an integer",
                }
            ]
            assert (await client.get("/openapi.json")).json()["info"]["description"]


async def test_readiness_says_which_dependency_is_down(tmp_path):
    app = _app(
        "roster",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/missing/dir/x.db",
        kafka_bootstrap_servers="127.0.0.1:1",
    )
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t")
        reply = await client.get("/readyz")
        assert reply.status_code == 503
        assert reply.json()["checks"] == {"database": "unreachable", "broker": "unreachable"}
        assert (await client.get("/healthz")).status_code == 200
