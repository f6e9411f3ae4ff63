"""`create_service_app`: what every service's FastAPI app has in common.

Health (`/healthz`), readiness (`/readyz`: database and broker), Prometheus (`/metrics`), JSON
logs with request and correlation ids, problem+json errors, the dead-letter admin endpoints, and
a lifespan that owns the engine, the outbox relay and the consumers, and stops them in order on
SIGTERM (uvicorn turns SIGTERM into the lifespan's shutdown).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from union_shared.clock import Clock, ClockMiddleware, using
from union_shared.db import create_engine, session_factory
from union_shared.events.registry import REGISTRY
from union_shared.idempotency import IDEMPOTENCY, install_idempotency
from union_shared.inputs import INPUT_RULES
from union_shared.messaging.admin import router as dead_letter_router
from union_shared.messaging.bus import broker_reachable
from union_shared.messaging.runtime import ConsumerSpec, Messaging
from union_shared.observability import RequestContextMiddleware, configure_logging
from union_shared.problems import Problem, install_problem_handlers
from union_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)


def _problem(description: str) -> dict:
    return {
        "model": Problem,
        "description": description,
        "content": {"application/problem+json": {}},
    }


# Every operation may answer these, always as RFC 9457 problem details.
PROBLEM_RESPONSES: dict[int | str, dict] = {
    401: _problem("No valid bearer token"),
    403: _problem("The caller's role or unit scope does not allow it"),
    404: _problem("A named resource does not exist"),
    409: _problem("The request conflicts with the current state"),
    422: _problem("Invalid input: `errors` names each field and the reason"),
}


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    settings: ServiceSettings
    routers: Sequence[APIRouter] = ()
    consumers: Sequence[ConsumerSpec] = ()
    version: str = "0.1.0"
    openapi_tags: Sequence[dict[str, str]] = field(default_factory=tuple)
    # Run once the database is reachable, before traffic (e.g. seeding shipped policy data).
    on_startup: Sequence[Callable[[FastAPI], Awaitable[None]]] = ()
    # The app's one clock (union_shared.clock); unset, one in the settings' time zone.
    clock: Clock | None = None
    # Awaited before each scrape of /metrics: gauges of database state (how many rows wait, and
    # for how long) are read when Prometheus asks, so every replica reports the same truth.
    metrics: Sequence[Callable[[FastAPI], Awaitable[None]]] = ()

    @property
    def produced_topics(self) -> list[str]:
        return sorted({s.topic for s in REGISTRY.specs() if s.topic.startswith(f"{self.name}.")})


def create_service_app(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.resolved_database_url())
        app.state.engine = engine
        app.state.settings = settings
        app.state.sessions = session_factory(engine)
        for step in spec.on_startup:
            await step(app)
        app.state.messaging = Messaging(
            settings, app.state.sessions, spec.produced_topics, spec.consumers
        )
        if settings.run_background_tasks:
            # The consumers and the relay are tasks created here: they keep this clock.
            with using(clock):
                app.state.messaging.start()
        log.info("service.started", service=spec.name)
        try:
            yield
        finally:
            log.info("service.stopping", service=spec.name)
            await app.state.messaging.stop()
            await engine.dispose()
            log.info("service.stopped", service=spec.name)

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        openapi_tags=list(spec.openapi_tags) or None,
        responses=PROBLEM_RESPONSES,
        max_body_size=settings.max_request_body_bytes,
    )
    clock = spec.clock or Clock(settings.time_zone)
    app.state.clock = clock
    app.add_middleware(ClockMiddleware, clock=clock)
    app.add_middleware(RequestContextMiddleware, service=spec.name)
    install_problem_handlers(app)
    app.include_router(_probes(spec))
    # Every route but the probes applies the platform's input rules and honours
    # Idempotency-Key on POST (union_shared.inputs, union_shared.idempotency).
    routers = (dead_letter_router, *spec.routers)
    install_idempotency(app, routers)
    for router in routers:
        app.include_router(router, dependencies=[INPUT_RULES, IDEMPOTENCY])
    return app


def _probes(spec: ServiceSpec) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness: the process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": spec.name}

    @router.get(
        "/readyz",
        summary="Readiness: the database and the broker answer",
        responses={503: {"description": "A dependency is unreachable"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        database = await _database_ok(request)
        messaging: Messaging = request.app.state.messaging
        broker = messaging.producer_ready and await broker_reachable(messaging.producer)
        ready = database and broker
        body = {
            "status": "ready" if ready else "not ready",
            "service": spec.name,
            "checks": {"database": _ok(database), "broker": _ok(broker)},
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics(request: Request) -> Response:
        for refresh in spec.metrics:
            try:
                async with asyncio.timeout(2):
                    await refresh(request.app)
            except Exception as exc:  # a gauge left at its last value beats a failed scrape
                log.warning("metrics.refresh_failed", refresh=refresh.__name__, error=repr(exc))
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def _ok(flag: bool) -> str:
    return "ok" if flag else "unreachable"


async def _database_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(2):
            async with request.app.state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
