"""Request bodies have a platform-wide limit (ServiceSettings.max_request_body_bytes, FastAPI's
max_body_size), which a route may raise. Past it the answer is a 413 problem+json and the body
is not read: refused on Content-Length before the first byte, else cut at the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from union_dev.testing.api import bearer, problem_fields, running
from union_shared.app import ServiceSpec, create_service_app
from union_shared.auth import CurrentCaller, Role
from union_shared.settings import ServiceSettings

pytestmark = pytest.mark.db

MIB = 2**20
UPLOAD_LIMIT = 4 * MIB
SYSTEM = bearer(Role.SYSTEM)


class Note(BaseModel):
    text: str


def probe_routes() -> APIRouter:
    router = APIRouter(tags=["probe"])

    @router.post("/notes")
    async def take_note(note: Note, caller: CurrentCaller) -> dict[str, int]:
        return {"length": len(note.text)}

    @router.post("/uploads", max_body_size=UPLOAD_LIMIT)
    async def take_upload(
        caller: CurrentCaller, file: Annotated[UploadFile, File()]
    ) -> dict[str, int]:
        return {"size": len(await file.read())}

    return router


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(database_url) as client:
        yield client


def serving(database_url: str, **settings):
    config = ServiceSettings(
        service_name="probe", database_url=database_url, run_background_tasks=False, **settings
    )
    spec = ServiceSpec(
        name="probe",
        title="Probe",
        description="Body limits",
        settings=config,
        routers=[probe_routes()],
    )
    return running(create_service_app(spec))


class Body:
    """A request body pulled chunk by chunk: `pulled` counts the bytes the server read."""

    def __init__(self, size: int, prefix: bytes = b"", chunk: int = 64 * 1024) -> None:
        self.size, self.prefix, self.chunk, self.pulled = size, prefix, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.size:
            piece = (b"" if self.pulled else self.prefix) + b"x" * self.chunk
            piece = piece[: self.size - self.pulled]
            self.pulled += len(piece)
            yield piece


def too_large(reply: httpx.Response, limit: int) -> None:
    assert reply.status_code == 413, reply.text
    assert problem_fields(reply) == {
        "body": f"larger than the {limit:,} bytes this endpoint accepts"
    }
    assert reply.json()["type"] == "/problems/content-too-large"


async def test_a_body_announcing_30_mb_is_refused_on_its_content_length_unread(client):
    body = Body(30 * MIB, prefix=b'{"text": "')
    headers = {**SYSTEM, "Content-Type": "application/json", "Content-Length": str(body.size)}

    reply = await client.post("/notes", content=body, headers=headers)

    too_large(reply, MIB)
    assert body.pulled == 0
    assert (await client.get("/healthz")).status_code == 200


async def test_a_body_without_content_length_is_cut_at_the_limit(client):
    body = Body(30 * MIB, prefix=b'{"text": "')
    headers = {**SYSTEM, "Content-Type": "application/json"}  # sent chunked

    reply = await client.post("/notes", content=body, headers=headers)

    too_large(reply, MIB)
    assert MIB < body.pulled <= MIB + body.chunk
    assert (await client.get("/healthz")).status_code == 200


async def test_a_body_within_the_limit_is_read(client):
    reply = await client.post("/notes", json={"text": "x" * (MIB - 100)}, headers=SYSTEM)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"length": MIB - 100}


async def test_a_route_may_take_more_than_the_platform_default(client):
    three = await client.post("/uploads", files={"file": ("a.bin", b"x" * 3 * MIB)}, headers=SYSTEM)
    assert three.status_code == 200, three.text
    assert three.json() == {"size": 3 * MIB}

    five = await client.post("/uploads", files={"file": ("a.bin", b"x" * 5 * MIB)}, headers=SYSTEM)
    too_large(five, UPLOAD_LIMIT)

    body = Body(30 * MIB)
    announced = {
        **SYSTEM,
        "Content-Type": "multipart/form-data; boundary=b",
        "Content-Length": str(body.size),
    }
    too_large(await client.post("/uploads", content=body, headers=announced), UPLOAD_LIMIT)
    assert body.pulled == 0


async def test_the_platform_limit_is_a_setting(database_url):
    async with serving(database_url, max_request_body_bytes=1000) as client:
        small = await client.post("/notes", json={"text": "x" * 900}, headers=SYSTEM)
        assert small.status_code == 200, small.text
        too_large(await client.post("/notes", json={"text": "x" * 2000}, headers=SYSTEM), 1000)
