"""Alembic for every service: one shared env.py body, each service with its own version table."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from union_shared.messaging.tables import platform_metadata


def run_env(service_metadata: MetaData, service: str) -> None:
    """The body of a service's migrations/env.py (offline and online, async engines)."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    options = {
        "target_metadata": [service_metadata, platform_metadata],
        "version_table": f"alembic_version_{service}",
        "render_as_batch": True,  # SQLite alters tables by copying them
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
        await engine.dispose()

    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
    else:
        asyncio.run(main())


def alembic_config(service_dir: Path, url: str) -> Config:
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(service_dir: Path, url: str, revision: str = "head") -> None:
    """Apply a service's migrations (blocking: call it from a thread inside an event loop)."""
    command.upgrade(alembic_config(service_dir, url), revision)
