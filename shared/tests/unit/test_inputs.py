"""The control-character rule on JSON bodies, on a route that takes a body (FastAPI has parsed
it before the rule runs) and on one that takes none (the rule parses it itself)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from union_shared.inputs import INPUT_RULES
from union_shared.problems import install_problem_handlers


class Note(BaseModel):
    text: str


def app() -> FastAPI:
    router = APIRouter()

    @router.post("/notes")
    async def add(note: Note) -> dict:
        return {"text": note.text}

    @router.post("/pings")
    async def ping() -> dict:
        return {"ok": True}

    made = FastAPI()
    install_problem_handlers(made)
    made.include_router(router, dependencies=[INPUT_RULES])
    return made


async def post(path: str, content: bytes) -> httpx.Response:
    transport = httpx.ASGITransport(app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(
            path, content=content, headers={"content-type": "application/json"}
        )


def fields(reply: httpx.Response) -> list[str]:
    return [e["field"] for e in reply.json().get("errors", [])]


async def test_a_control_character_in_a_parsed_body_is_refused_by_its_field():
    reply = await post("/notes", b'{"text": "a\\u0000b"}')
    assert (reply.status_code, fields(reply)) == (422, ["body.text"])
    fine = await post("/notes", b'{"text": "line one\\nline two\\ttab"}')
    assert (fine.status_code, fine.json()) == (200, {"text": "line one\nline two\ttab"})


async def test_a_body_no_route_reads_is_still_checked():
    reply = await post("/pings", b'{"extra": ["x", "\\u001b[31m"]}')
    assert (reply.status_code, fields(reply)) == (422, ["body.extra.1"])
    assert (await post("/pings", b"")).status_code == 200


async def test_a_malformed_body_gets_the_frameworks_answer_or_none():
    assert (await post("/notes", b'{"text": ')).status_code == 422  # FastAPI's json_invalid
    assert (await post("/pings", b'{"text": ')).status_code == 200  # no route reads it


async def test_a_control_character_in_the_query_is_refused_by_its_name():
    transport = httpx.ASGITransport(app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        reply = await client.post("/pings?note=a%07b&fine=yes")
        assert (reply.status_code, fields(reply)) == (422, ["query.note"])
        assert (await client.post("/pings?fine=yes")).status_code == 200
