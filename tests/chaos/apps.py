"""Two test-only services for the chaos tests, on the real outbox/inbox machinery.

The producer registers workers (POST /workers, idempotent by worker id so a client may retry
after a crash) and sends WorkerOnboarded through the outbox. The consumer adds one to a tally
per worker for every WorkerOnboarded it handles: a tally of 2 is a doubled effect, a missing one
a lost event. Started by the tests as real processes: `uvicorn apps:create_producer_app --factory`.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.app import ServiceSpec, create_service_app
from union_shared.deps import SessionDep
from union_shared.events import Envelope, WorkerOnboarded, build_event
from union_shared.messaging.outbox import record_events
from union_shared.messaging.runtime import ConsumerSpec
from union_shared.settings import ServiceSettings

metadata = MetaData()
workers = Table("workers", metadata, Column("worker_id", String(64), primary_key=True))
tallies = Table(
    "tallies",
    metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("hits", Integer, nullable=False),
)


def _insert(session: AsyncSession, table: Table):
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(table)


class WorkerIn(BaseModel):
    worker_id: str


router = APIRouter()


@router.post("/workers", status_code=201)
async def register_worker(body: WorkerIn, session: SessionDep) -> dict[str, bool]:
    created = (
        await session.execute(
            _insert(session, workers)
            .values(worker_id=body.worker_id)
            .on_conflict_do_nothing()
            .returning(workers.c.worker_id)
        )
    ).first() is not None
    if created:
        payload = WorkerOnboarded(
            worker_id=body.worker_id,
            unit_id="u-chaos",
            hire_date=date(2026, 1, 5),
            seniority_start=date(2026, 1, 5),
            education="bachelor",
            origin="import",
        )
        await record_events(
            session, [build_event(payload, subject=body.worker_id, source="roster")]
        )
    return {"created": created}


@router.get("/tallies")
async def read_tallies(session: SessionDep) -> dict[str, int]:
    return dict((await session.execute(select(tallies.c.worker_id, tallies.c.hits))).all())


async def add_tally(session: AsyncSession, envelope: Envelope, payload: WorkerOnboarded) -> None:
    await session.execute(
        _insert(session, tallies)
        .values(worker_id=payload.worker_id, hits=1)
        .on_conflict_do_update(index_elements=["worker_id"], set_={"hits": tallies.c.hits + 1})
    )


def create_producer_app() -> FastAPI:
    settings = ServiceSettings(service_name="roster")
    return create_service_app(
        ServiceSpec("roster", "chaos producer", "test-only", settings, routers=[router])
    )


def create_consumer_app() -> FastAPI:
    settings = ServiceSettings(service_name="grading")
    consumer = ConsumerSpec("chaos-tally", ["roster.events"], {"WorkerOnboarded": add_tally})
    return create_service_app(
        ServiceSpec(
            "grading",
            "chaos consumer",
            "test-only",
            settings,
            routers=[router],
            consumers=[consumer],
        )
    )
