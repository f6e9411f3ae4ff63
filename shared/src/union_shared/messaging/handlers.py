"""What every service's event handlers share: the context their bootstrap gives them, binding
module-level handlers to it, and the refusal of an event about a worker not yet known.

A handler is a plain module-level coroutine `handler(session, envelope, data, context)`; the
service's `bootstrap.py` binds each to its event type and its context (clock and settings) in
one place, so handlers hold no state and tests wire them as production does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.clock import Clock
from union_shared.events.envelope import Envelope
from union_shared.messaging.consumer import Handler
from union_shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)
W = TypeVar("W")


@dataclass(frozen=True)
class HandlerContext(Generic[S]):
    """What a handler may use beyond its session and event: the clock and the settings."""

    clock: Clock
    settings: S


ContextHandler = Callable[[AsyncSession, Envelope, BaseModel, HandlerContext], Awaitable[None]]


def bind(context: HandlerContext, handlers: Mapping[str, ContextHandler]) -> dict[str, Handler]:
    """The consumer's handlers (session, envelope, data): each given `context`."""
    return {name: partial(handler, context=context) for name, handler in handlers.items()}


class UnknownWorker(Exception):
    """An event about a worker this service has not heard of; retried, then dead-lettered."""


def known(worker: W | None, worker_id: str) -> W:
    """`worker`, or UnknownWorker when the service has no WorkerOnboarded for it yet."""
    if worker is None:
        raise UnknownWorker(f"no WorkerOnboarded seen for worker {worker_id}")
    return worker
