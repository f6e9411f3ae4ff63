"""Idempotency-Key on every POST: a retried request gets the first reply, and changes nothing.

One mechanism for every service, installed by `create_service_app`: a FastAPI dependency on
every POST route (`IDEMPOTENCY`) and a wrapper that hands it the reply once the route built it.

- A key belongs to one caller identity (subject, role, unit and worker claims) and one route
  (method and path), so another caller, or the same caller on another route, never sees it: a
  stored reply goes back only to the identity it was produced and authorised for.
- The same key with another body (or query) on the same route is refused (422).
- The key and the reply are written in the request's own transaction, just before it commits,
  so either both the effects and the key exist or neither does. Two concurrent requests with
  one key cannot both commit: the second gets 409 and may retry, then gets the first reply.
- Only successful (2xx) replies are kept: a refused request may be retried once fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import insert, select
from starlette.datastructures import UploadFile as StarletteUpload

from union_shared.auth import CurrentCaller
from union_shared.clock import utc_now
from union_shared.deps import SessionDep
from union_shared.errors import InvalidInput
from union_shared.messaging.tables import idempotency_keys

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 200


@dataclass
class _Pending:
    owner: str
    key: str
    request_hash: str
    reply: Response | None = None


class Replayed(Exception):
    """The request was made before: answer with the stored reply (before anything runs)."""

    def __init__(self, status_code: int, body: str) -> None:
        self.status_code, self.body = status_code, body


def _owner(request: Request, caller) -> str:
    identity = "\x1f".join(
        (
            caller.subject,
            str(caller.role),
            caller.unit_id or "",
            caller.worker_id or "",
            request.method,
            request.url.path,
        )
    )
    return hashlib.sha256(identity.encode()).hexdigest()


async def _request_hash(request: Request) -> str:
    digest = hashlib.sha256(request.url.query.encode())
    digest.update(b"\x00")
    try:
        digest.update(await request.body())
    except RuntimeError:  # a multipart body FastAPI already parsed: hash its parts
        for name, value in (await request.form()).multi_items():
            digest.update(name.encode() + b"\x00")
            if isinstance(value, StarletteUpload):
                digest.update((value.filename or "").encode() + b"\x00")
                digest.update(await value.read())
                await value.seek(0)
            else:
                digest.update(value.encode())
            digest.update(b"\x00")
    return digest.hexdigest()


async def idempotency_key(
    request: Request, session: SessionDep, caller: CurrentCaller
) -> AsyncIterator[None]:
    key = request.headers.get(HEADER) if request.method == "POST" else None
    if not key:
        yield
        return
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput.on_field(
            "header.Idempotency-Key", f"at most {MAX_KEY_LENGTH} printable characters"
        )
    pending = _Pending(_owner(request, caller), key, await _request_hash(request))
    stored = (
        await session.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.caller == pending.owner, idempotency_keys.c.key == key
            )
        )
    ).first()
    if stored is not None:
        if stored.request_hash != pending.request_hash:
            raise InvalidInput.on_field(
                "header.Idempotency-Key", "already used for a different request"
            )
        raise Replayed(stored.status_code, stored.response_body)
    request.state.idempotency = pending
    yield
    reply = pending.reply
    if reply is not None and 200 <= reply.status_code < 300:
        await session.execute(
            insert(idempotency_keys).values(
                caller=pending.owner,
                key=key,
                request_hash=pending.request_hash,
                status_code=reply.status_code,
                response_body=bytes(reply.body).decode() if reply.body else "null",
                created_at=utc_now(),
            )
        )
        await session.flush()  # a concurrent twin fails here (409), before the commit


# Function-scoped like the session: its exit runs once the reply is built, before the commit.
IDEMPOTENCY = Depends(idempotency_key, scope="function")

Handler = Callable[[Request], Awaitable[Response]]


def _remember_replies_of(route: APIRoute) -> None:
    if getattr(route, "_remembers_replies", False):
        return  # a router shared by several apps (the dead letters) is wrapped once
    build = route.get_route_handler
    route.get_route_handler = lambda: _remembering_reply(build())  # type: ignore[method-assign]
    route._remembers_replies = True  # type: ignore[attr-defined]


def _remembering_reply(handler: Handler) -> Handler:
    async def handle(request: Request) -> Response:
        response = await handler(request)
        pending: _Pending | None = getattr(request.state, "idempotency", None)
        if pending is not None:
            pending.reply = response
        return response

    return handle


def install_idempotency(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Let each POST route of these routers hand its reply to the idempotency dependency (the
    routers must be included with `IDEMPOTENCY`). FastAPI builds an included route's handler from
    the original route's `get_route_handler()`, so wrapping that method wraps it as served."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and "POST" in route.methods:
                _remember_replies_of(route)

    @app.exception_handler(Replayed)
    async def _replayed(request: Request, exc: Replayed) -> JSONResponse:
        return JSONResponse(
            json.loads(exc.body),
            status_code=exc.status_code,
            headers={"Idempotent-Replayed": "true"},
        )
