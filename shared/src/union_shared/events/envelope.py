"""The versioned event envelope, with CloudEvents 1.0 attribute names (structured JSON mode).

Extension attributes follow the CloudEvents naming rule (lower-case letters and digits only):
`schemaversion`, `correlationid`, `causationid`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

import uuid_utils
from pydantic import BaseModel, ConfigDict, Field

from union_shared.clock import utc_now

# The correlation id of the work in hand (an HTTP request or an event being handled) and the
# id of the event that caused it; events built inside inherit both, so a chain of events can
# be followed from the first request to the last payslip.
_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
_causation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "causation_id", default=None
)


def new_event_id() -> str:
    """A UUIDv7: unique and ordered by creation time."""
    return str(uuid_utils.uuid7())


def current_correlation_id() -> str | None:
    return _correlation_id.get()


@contextlib.contextmanager
def correlation_scope(correlation_id: str, causation_id: str | None = None) -> Iterator[None]:
    corr = _correlation_id.set(correlation_id)
    cause = _causation_id.set(causation_id)
    try:
        yield
    finally:
        _correlation_id.reset(corr)
        _causation_id.reset(cause)


def event_scope(envelope: Envelope) -> contextlib.AbstractContextManager[None]:
    """Events built while handling `envelope` are caused by it and share its correlation id."""
    return correlation_scope(envelope.correlationid, envelope.id)


# The CloudEvents Kafka binding reads a record as structured mode (the whole event in the value)
# only when this header says so; without it SDKs take it for binary mode and refuse it.
CONTENT_TYPE = "application/cloudevents+json"
KAFKA_HEADERS = [("content-type", CONTENT_TYPE.encode())]


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(description="UUIDv7, unique and time-ordered.")
    type: str = Field(description="Event type name from the catalogue, e.g. WorkerOnboarded.")
    source: str = Field(description="URI-reference of the producing service, e.g. /roster.")
    subject: str = Field(description="The aggregate id; also the Kafka message key.")
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    schemaversion: int = Field(ge=1, description="Version of the payload schema for this type.")
    correlationid: str = Field(description="Shared by every event of one chain of work.")
    causationid: str | None = Field(default=None, description="Id of the event that caused this.")
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        # CloudEvents has no null attributes: an event that started a chain has no causationid.
        absent = {"causationid"} if self.causationid is None else None
        return self.model_dump_json(exclude=absent).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate_json(raw)


def wrap(
    payload: BaseModel,
    *,
    event_type: str,
    version: int,
    subject: str,
    source: str,
    time: datetime | None = None,
) -> Envelope:
    """`payload` in an envelope, inheriting correlation from the current scope (callers use
    union_shared.events.build_event, which finds the type and version in the registry)."""
    event_id = new_event_id()
    return Envelope(
        id=event_id,
        type=event_type,
        source=source if source.startswith("/") else f"/{source}",
        subject=subject,
        time=time or utc_now(),
        schemaversion=version,
        correlationid=_correlation_id.get() or event_id,
        causationid=_causation_id.get(),
        data=payload.model_dump(mode="json"),
    )
