"""Admin endpoints over dead letters: list them, read one, replay it once its cause is fixed.

Operators and system clients only. A dead letter holds the whole event, resident IDs and
phones included, so an operator (who sees no personal data unmasked) gets its payload and error
with every identifier masked; a system client, which may read identifiers, gets them whole.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update

from union_shared.auth import Caller, OperatorCaller
from union_shared.clock import utc_now
from union_shared.deps import SessionDep
from union_shared.errors import Conflict, NotFound
from union_shared.identifiers import mask_identifiers, mask_text
from union_shared.messaging.consumer import Poison
from union_shared.messaging.tables import dead_letters

router = APIRouter(prefix="/admin/dead-letters", tags=["admin: dead letters"])

# Dead-letter ids are database bigints: anything past them is refused as 422, never a 500.
DeadLetterId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the dead letter's id")]


class DeadLetterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer: str
    topic: str
    partition: int
    offset: int
    message_key: str | None
    event_id: str | None
    event_type: str | None
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None
    replay_error: str | None
    payload: str


def _read(row, caller: Caller) -> DeadLetterRead:
    data = dict(row._mapping)
    payload = bytes(data["payload"]).decode("utf-8", errors="replace")
    if not caller.sees_identifiers:
        payload = _masked_payload(payload)
        data["error"] = mask_text(data["error"])
        data["replay_error"] = data["replay_error"] and mask_text(data["replay_error"])
        data["message_key"] = data["message_key"] and mask_text(data["message_key"])
    data["payload"] = payload
    return DeadLetterRead.model_validate(data)


def _masked_payload(payload: str) -> str:
    try:
        return json.dumps(mask_identifiers(json.loads(payload)), ensure_ascii=False)
    except ValueError:  # undecodable messages are dead letters too: mask what the text shows
        return mask_text(payload)


@router.get("", summary="List dead letters, newest first")
async def list_dead_letters(
    session: SessionDep,
    caller: OperatorCaller,
    consumer: Annotated[str | None, Query(max_length=200)] = None,
    include_replayed: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeadLetterRead]:
    query = select(dead_letters).order_by(dead_letters.c.id.desc()).limit(limit)
    if consumer:
        query = query.where(dead_letters.c.consumer == consumer)
    if not include_replayed:
        query = query.where(dead_letters.c.replayed_at.is_(None))
    return [_read(row, caller) for row in (await session.execute(query)).all()]


@router.get("/{dead_letter_id}", summary="Read one dead letter")
async def get_dead_letter(
    dead_letter_id: DeadLetterId, session: SessionDep, caller: OperatorCaller
) -> DeadLetterRead:
    row = (
        await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
    ).first()
    if row is None:
        raise NotFound(f"no dead letter {dead_letter_id}")
    return _read(row, caller)


@router.post(
    "/{dead_letter_id}/replay",
    summary="Run a dead letter through its consumer's handler again",
    description=(
        "Decodes the stored message and applies it through the same inbox path as live "
        "traffic, so an event already processed changes nothing. On success the dead letter "
        "is marked replayed; on failure the reply is 409 with the error and it stays listed."
    ),
)
async def replay_dead_letter(
    dead_letter_id: DeadLetterId, request: Request, caller: OperatorCaller
) -> DeadLetterRead:
    sessions = request.app.state.sessions
    async with sessions() as session:
        row = (
            await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
        ).first()
    if row is None:
        raise NotFound(f"no dead letter {dead_letter_id}")
    if row.replayed_at is not None:
        raise Conflict(f"dead letter {dead_letter_id} was already replayed at {row.replayed_at}")
    processor = request.app.state.messaging.processors.get(row.consumer)
    if processor is None:
        raise Conflict(f"this service has no consumer named {row.consumer!r}")
    error: str | None = None
    try:
        decoded = processor.decode_bytes(bytes(row.payload))
        if decoded is not None:
            await processor.apply([decoded])
    except Poison as exc:
        error = f"still undecodable: {exc}"
    except Exception as exc:
        error = f"handler failed again: {exc!r}"
    async with sessions() as session, session.begin():
        values = {"replay_error": error} if error else {"replayed_at": utc_now()}
        await session.execute(
            update(dead_letters).where(dead_letters.c.id == dead_letter_id).values(**values)
        )
        row = (
            await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
        ).first()
    if error:
        shown = error if caller.sees_identifiers else mask_text(error)
        raise Conflict(f"replay of dead letter {dead_letter_id} failed: {shown}")
    return _read(row, caller)
