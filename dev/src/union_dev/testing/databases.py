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


FROM_ENV = "from TEST_POSTGRES_URL"


@asynccontextmanager
async def fresh_database(
    folder: Path, label: str, admin_url: str | None = FROM_ENV
) -> AsyncIterator[str]:
    """Yield the URL of an empty database that is removed afterwards: on the PostgreSQL server
    of `admin_url` (by default TEST_POSTGRES_URL's, if set), else a SQLite file in `folder`."""
    if admin_url == FROM_ENV:
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


@asynccontextmanager
async def migrated_database(
    folder: Path, service_dir: Path, label: str, admin_url: str | None = FROM_ENV
) -> AsyncIterator[str]:
    """A fresh database with a service's migrations applied, removed afterwards."""
    import asyncio

    from union_shared.migrations import upgrade

    async with fresh_database(folder, label, admin_url) as url:
        await asyncio.to_thread(upgrade, service_dir, url)
        yield url


def migrated_template(folder: Path, service_dir: Path, label: str):
    """A database with the service's migrations applied once, to clone for each test."""
    return migrated_database(folder, service_dir, f"{label}_template")


@asynccontextmanager
async def clone_database(template_url: str, folder: Path, label: str) -> AsyncIterator[str]:
    """A private copy of a migrated template: a file copy on SQLite, CREATE ... TEMPLATE on PG."""
    import shutil

    admin_url = postgres_admin_url()
    if admin_url is None:
        source = Path(make_url(template_url).database or "")
        target = folder / f"{label}.db"
        shutil.copyfile(source, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    template = make_url(template_url).database
    name = f"usw_test_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
