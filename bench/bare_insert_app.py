"""The floor under recruitment's application endpoint, for bench/recruitment_applications.py:
FastAPI and one single-row INSERT, with no session, no ORM, no auth, no screening.

    BARE_DATABASE_URL=postgresql://... uvicorn bare_insert_app:create_app --factory

On PostgreSQL it holds an asyncpg pool as large as a service engine's (10, growing to 20); on
SQLite (so CI can run the bench at a small size) one aiosqlite connection, one writer at a time.
The table is `bare_applications` (CREATE_TABLE), as wide as recruitment's `applications`.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import Body, FastAPI

CREATE_TABLE = """
CREATE TABLE bare_applications (
    id varchar(36) PRIMARY KEY,
    campaign_id varchar(36) NOT NULL,
    posting_id varchar(36) NOT NULL,
    resident_id varchar(18) NOT NULL,
    name varchar(100) NOT NULL,
    phone varchar(20) NOT NULL,
    education varchar(30) NOT NULL,
    majors text NOT NULL,
    residence_region varchar(6) NOT NULL,
    years_experience integer NOT NULL,
    documents text NOT NULL,
    applicant_subject varchar(200) NOT NULL,
    submitted_at varchar(40) NOT NULL
)
"""
COLUMNS = (
    "id, campaign_id, posting_id, resident_id, name, phone, education, majors, "
    "residence_region, years_experience, documents, applicant_subject, submitted_at"
)
PG_PLACES = ", ".join(f"${i}" for i in range(1, 14))
PG_INSERT = f"INSERT INTO bare_applications ({COLUMNS}) VALUES ({PG_PLACES})"
SQLITE_INSERT = f"INSERT INTO bare_applications ({COLUMNS}) VALUES ({', '.join('?' * 13)})"


def row_values(campaign_id: str, body: dict[str, Any]) -> tuple:
    return (
        str(uuid.uuid4()), campaign_id, body["posting_id"], body["resident_id"], body["name"],
        body["phone"], body["education"], json.dumps(body.get("majors", [])),
        body["residence_region"], int(body.get("years_experience", 0)),
        json.dumps(body.get("documents", [])), "bare", datetime.now(UTC).isoformat(),
    )  # fmt: skip


class PostgresWriter:
    def __init__(self, url: str) -> None:
        self.url = url.replace("postgresql+asyncpg://", "postgresql://")

    async def open(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.url, min_size=10, max_size=20)

    async def insert(self, values: tuple) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(PG_INSERT, *values)

    async def close(self) -> None:
        await self.pool.close()


class SqliteWriter:
    def __init__(self, url: str) -> None:
        self.path = url.split(":///", 1)[1]
        self.lock = asyncio.Lock()

    async def open(self) -> None:
        import aiosqlite

        self.conn = await aiosqlite.connect(self.path, timeout=30)
        await self.conn.execute("PRAGMA journal_mode=WAL")

    async def insert(self, values: tuple) -> None:
        async with self.lock:
            await self.conn.execute(SQLITE_INSERT, values)
            await self.conn.commit()

    async def close(self) -> None:
        await self.conn.close()


def create_app() -> FastAPI:
    url = os.environ["BARE_DATABASE_URL"]
    writer = SqliteWriter(url) if url.startswith("sqlite") else PostgresWriter(url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await writer.open()
        yield
        await writer.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/campaigns/{campaign_id}/applications", status_code=201)
    async def submit(campaign_id: str, body: dict[str, Any] = Body()) -> dict[str, Any]:
        values = row_values(campaign_id, body)
        await writer.insert(values)
        return {"id": values[0], "campaign_id": campaign_id, **body}

    return app
