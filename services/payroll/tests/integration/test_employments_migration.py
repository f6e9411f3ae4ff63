"""payroll_0008 gives every worker stored before it their first employment episode, with the
hire date and leaving date they had, so runs and arrears find an episode for every worker."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from union_dev.testing.databases import fresh_database
from union_shared.db import create_engine
from union_shared.migrations import upgrade

from .conftest import SERVICE_DIR

pytestmark = pytest.mark.db

WORKERS = [("w-1", date(2024, 3, 1), None), ("w-2", date(2023, 9, 1), date(2025, 4, 30))]


async def test_each_worker_gets_episode_1_from_their_own_dates(tmp_path):
    async with fresh_database(tmp_path, "employments") as url:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url, "payroll_0007")
        engine = create_engine(url)
        async with engine.begin() as conn:
            for worker_id, hired, left in WORKERS:
                await conn.execute(
                    text(
                        "INSERT INTO pay_workers (worker_id, unit_id, unit_path, hire_date, "
                        "left_on, qualification, education, status, updated_at) VALUES (:id, "
                        "'street', '/city/street/', :hired, :left, 'none', 'bachelor', 'active', "
                        ":at)"
                    ),
                    {"id": worker_id, "hired": hired, "left": left, "at": datetime.now(UTC)},
                )
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT worker_id, episode, hire_date, left_on FROM pay_employments "
                    "ORDER BY worker_id"
                )
            )
            found = [(r.worker_id, r.episode, _day(r.hire_date), _day(r.left_on)) for r in rows]
        await engine.dispose()
    assert found == [(w, 1, hired, left) for w, hired, left in WORKERS]


def _day(value: date | str | None) -> date | None:
    """A DATE as read back by text SQL: SQLite gives its ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value
