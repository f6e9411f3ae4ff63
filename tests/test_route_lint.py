"""The route lint (`make lint`) finds a route that takes no caller, and only such routes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI

from union_shared.auth import CurrentCaller, OperatorCaller, Role, allow

_spec = importlib.util.spec_from_file_location(
    "lint_routes", Path(__file__).resolve().parents[1] / "scripts" / "lint_routes.py"
)
lint_routes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint_routes)


def test_an_open_route_is_named_and_guarded_ones_are_not():
    app = FastAPI()

    @app.get("/open")
    async def open_door() -> dict:
        return {}

    @app.get("/guarded")
    async def guarded(caller: CurrentCaller) -> dict:
        return {}

    @app.post("/ops")
    async def ops(caller: OperatorCaller) -> dict:
        return {}

    async def nested(caller=Depends(allow(Role.CITY_ADMIN))) -> None:
        return None

    @app.get("/nested", dependencies=[Depends(nested)])
    async def nested_route() -> dict:
        return {}

    @app.get("/healthz")
    async def healthz() -> dict:
        return {}

    assert lint_routes.open_routes(app) == ["GET /open"]


def test_routes_of_included_routers_are_seen():
    router = APIRouter(prefix="/inner")

    @router.post("/door")
    async def door() -> dict:
        return {}

    @router.get("/guarded")
    async def guarded(caller: CurrentCaller) -> dict:
        return {}

    app = FastAPI()
    app.include_router(router)
    assert lint_routes.open_routes(app) == ["POST /inner/door"]


def test_every_service_route_declares_its_caller():
    assert lint_routes.offences() == []
