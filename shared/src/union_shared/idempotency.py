"""Idempotency-Key on POST: a retried request gets the first reply, and changes nothing.

The key and the reply are stored in the same transaction as the request's effects, so either
both exist or neither does. A key reused with a different request is refused (422); two
concurrent requests with one key cannot both commit (the second gets 409 and may retry).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, ParamSpec

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.messaging.tables import idempotency_keys
from union_shared.problems import InvalidInput

HEADER = "idempotency-key"
P = ParamSpec("P")
Endpoint = Callable[P, Awaitable[Any]]


async def _request_hash(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.url.path.encode())
    digest.update(request.url.query.encode())
    digest.update(await request.body())
    return digest.hexdigest()


def idempotent(status_code: int = 201) -> Callable[[Endpoint[P]], Endpoint[P]]:
    """Make a POST endpoint honour `Idempotency-Key`.

    The endpoint must take `request: Request`, `session: SessionDep` and `caller: CurrentCaller`
    parameters (by those names). Without the header it runs as usual.
    """

    def decorate(endpoint: Endpoint[P]) -> Endpoint[P]:
        @functools.wraps(endpoint)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            request: Request = kwargs["request"]  # type: ignore[assignment]
            session: AsyncSession = kwargs["session"]  # type: ignore[assignment]
            caller = kwargs["caller"]
            key = request.headers.get(HEADER)
            if not key:
                return await endpoint(*args, **kwargs)
            if len(key) > 200:
                raise InvalidInput.on_field("header.Idempotency-Key", "at most 200 characters")
            request_hash = await _request_hash(request)
            stored = (
                await session.execute(
                    select(idempotency_keys).where(
                        idempotency_keys.c.caller == caller.subject, idempotency_keys.c.key == key
                    )
                )
            ).first()
            if stored is not None:
                if stored.request_hash != request_hash:
                    raise InvalidInput.on_field(
                        "header.Idempotency-Key", "already used for a different request"
                    )
                return JSONResponse(
                    json.loads(stored.response_body),
                    status_code=stored.status_code,
                    headers={"Idempotent-Replayed": "true"},
                )
            result = await endpoint(*args, **kwargs)
            body = jsonable_encoder(result)
            await session.execute(
                insert(idempotency_keys).values(
                    caller=caller.subject,
                    key=key,
                    request_hash=request_hash,
                    status_code=status_code,
                    response_body=json.dumps(body),
                    created_at=datetime.now(UTC),
                )
            )
            return JSONResponse(body, status_code=status_code)

        return wrapper

    return decorate
