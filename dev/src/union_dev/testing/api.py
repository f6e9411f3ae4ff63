"""Calling a service's app over real HTTP semantics (httpx + ASGI) as a given role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from union_shared.auth import Role, mint_token


def bearer(
    role: Role | str,
    *,
    unit_id: str | None = None,
    worker_id: str | None = None,
    sub: str | None = None,
) -> dict[str, str]:
    role = Role(role)
    token = mint_token(sub or f"test-{role}", role, unit_id=unit_id, worker_id=worker_id)
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, and a client speaking to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def problem_fields(reply: httpx.Response) -> dict[str, str]:
    """The {field: reason} pairs of a problem+json reply (asserting it is one)."""
    assert reply.headers["content-type"] == "application/problem+json", reply.text
    body: dict[str, Any] = reply.json()
    return {e["field"]: e["reason"] for e in body.get("errors", [])}
