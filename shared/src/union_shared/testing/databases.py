"""Fresh databases for tests: a SQLite file by default, or a new PostgreSQL database per test
when TEST_POSTGRES_URL is set (`.ci/run` sets it to the machine's PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

POSTGRES_ENV = "TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def backend_name() -> str:
    return "postgresql" if postgres_admin_url() else "sqlite"


@asynccontextmanager
async def fresh_database(folder: Path, label: str) -> AsyncIterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        yield f"sqlite+aiosqlite:///{folder / (label + '.db')}"
        return
    name = f"usw_test_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
