"""Scoping: every read and write stays inside the caller's part of the unit tree.

One helper for every service. The roster owns the tree; grading and payroll keep a copy of it
(`unit_tree`), kept current by the roster's UnitCreated, UnitRenamed, UnitMoved and UnitClosed
events, which all carry one subject and so arrive in order. A move rewrites every stored path
that starts with the moved unit's old path (the tree's own rows and each table a service names),
so a township moved from district A to district B is B's at once, in every service, and no
longer A's.

A caller governing unit U sees the units, workers and runs whose path starts with U's path. A
caller whose unit claim names a unit the service does not know is refused (403): a token for a
unit that does not exist governs nothing. Workers see only themselves; platform-wide system
clients see everything; operators see no personal data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    MetaData,
    String,
    Table,
    false,
    func,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.auth import Caller, Role
from union_shared.clock import utc_now
from union_shared.db import UtcDateTime
from union_shared.errors import Forbidden, InvalidInput, NotFound
from union_shared.events import Envelope, UnitClosed, UnitCreated, UnitMoved, UnitRenamed

PathOf = Callable[[str], Awaitable[str | None]]


class PlacedWorker(Protocol):
    """A service's row for one worker: where in the tree they are."""

    @property
    def unit_path(self) -> str | None: ...


W = TypeVar("W", bound=PlacedWorker)


@dataclass(frozen=True)
class Scope:
    """The part of the unit tree one caller may act in."""

    caller: Caller
    # The governed unit's path; None for a platform-wide system client (the whole tree) and for
    # a worker (no unit: their own record only).
    root: str | None

    @property
    def whole_tree(self) -> bool:
        return self.root is None and self.caller.role is Role.SYSTEM

    def covers(self, path: str | None) -> bool:
        if self.root is None:
            return self.whole_tree
        return path is not None and path.startswith(self.root)

    def covers_worker(self, worker_id: str, path: str | None) -> bool:
        if self.caller.role is Role.WORKER:
            return self.caller.worker_id == worker_id
        return self.covers(path)

    def within(self, path_column: ColumnElement[str]) -> ColumnElement[bool] | None:
        """A SQL condition keeping rows under the root (None: no condition needed)."""
        if self.whole_tree:
            return None
        if self.root is None:
            return false()
        return path_column.startswith(self.root, autoescape=True)


async def scope_of(caller: Caller, path_of: PathOf) -> Scope:
    """The caller's scope, resolving their unit claim through the service's copy of the tree."""
    if caller.role is Role.WORKER:
        return Scope(caller, root=None)
    if caller.unit_id is None:
        if caller.role is Role.SYSTEM:
            return Scope(caller, root=None)
        raise Forbidden(f"a {caller.role} caller governs no part of the unit tree")
    path = await path_of(caller.unit_id)
    if path is None:
        raise Forbidden(f"your scope unit {caller.unit_id} is not in the unit tree")
    return Scope(caller, root=path)


# The copy of the roster's unit tree that grading and payroll keep.


def unit_tree_table(metadata: MetaData) -> Table:
    return Table(
        "unit_tree",
        metadata,
        Column("unit_id", String(36), primary_key=True),
        Column("parent_id", String(36), nullable=True),
        Column("path", String(2000), nullable=False, index=True),
        Column("name", String(200), nullable=False),
        Column("kind", String(40), nullable=False),
        Column("closed_on", Date, nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    )


@dataclass(frozen=True)
class UnitTree:
    """A service's copy of the tree, and every column of its own that stores a unit path."""

    table: Table
    path_columns: Sequence[Column]
    service: str  # who keeps this copy, as refusals name it ("grading knows no worker ...")

    async def path_of(self, session: AsyncSession, unit_id: str) -> str | None:
        query = select(self.table.c.path).where(self.table.c.unit_id == unit_id)
        return (await session.execute(query)).scalar_one_or_none()

    async def scope(self, session: AsyncSession, caller: Caller) -> Scope:
        return await scope_of(caller, lambda unit_id: self.path_of(session, unit_id))

    async def unit_in_scope(
        self, session: AsyncSession, caller: Caller, unit_id: str, field: str | None = None
    ) -> str:
        """The path of a unit the caller governs. A unit the tree does not have is 404, or 422
        on `field` when the unit is named in a request body."""
        scope = await self.scope(session, caller)
        path = await self.path_of(session, unit_id)
        if path is None:
            if field:
                raise InvalidInput.on_field(field, f"no unit {unit_id} in the unit tree")
            raise NotFound(f"no unit {unit_id}")
        if not scope.covers(path):
            raise Forbidden(f"unit {unit_id} is outside your part of the unit tree")
        return path

    async def worker_in_scope(
        self, session: AsyncSession, caller: Caller, worker_id: str, worker: W | None
    ) -> W:
        """`worker`, the service's row for `worker_id` (None: it has none), if the caller may
        act on them."""
        if worker is None:
            raise NotFound(f"{self.service} knows no worker {worker_id}")
        if not (await self.scope(session, caller)).covers_worker(worker_id, worker.unit_path):
            raise Forbidden(f"worker {worker_id} is outside your part of the unit tree")
        return worker

    async def current_path(self, session: AsyncSession, unit_id: str, sent: str | None) -> str:
        """The unit's path as this copy knows it now: a worker event sent before a move it is
        processed after carries the old path, and the tree's is the current one."""
        return await self.path_of(session, unit_id) or sent or f"/{unit_id}/"

    async def on_created(self, session: AsyncSession, envelope: Envelope, data: UnitCreated):
        if await self.path_of(session, data.unit_id) is not None:
            return
        await session.execute(
            self.table.insert().values(
                unit_id=data.unit_id,
                parent_id=data.parent_id,
                path=data.path,
                name=data.name,
                kind=data.kind,
                updated_at=utc_now(),
            )
        )

    async def on_renamed(self, session: AsyncSession, envelope: Envelope, data: UnitRenamed):
        await self._change(data.unit_id, session, name=data.name)

    async def on_closed(self, session: AsyncSession, envelope: Envelope, data: UnitClosed):
        await self._change(data.unit_id, session, closed_on=data.closed_on)

    async def on_moved(self, session: AsyncSession, envelope: Envelope, data: UnitMoved):
        await self._change(data.unit_id, session, parent_id=data.to_parent_id)
        for column in (self.table.c.path, *self.path_columns):
            await repath(session, column, data.from_path, data.to_path)

    async def _change(self, unit_id: str, session: AsyncSession, **values) -> None:
        table = self.table
        await session.execute(
            sql_update(table)
            .where(table.c.unit_id == unit_id)
            .values(**values, updated_at=utc_now())
        )

    def handlers(self) -> dict:
        return {
            "UnitCreated": self.on_created,
            "UnitRenamed": self.on_renamed,
            "UnitMoved": self.on_moved,
            "UnitClosed": self.on_closed,
        }


async def repath(session: AsyncSession, column: Column, from_path: str, to_path: str) -> None:
    """Every value of `column` under `from_path` moved under `to_path`. Run twice, the second
    finds nothing left under the old path, so a redelivered move changes nothing."""
    await session.execute(
        sql_update(column.table)
        .where(column.startswith(from_path, autoescape=True))
        .values({column.name: to_path + func.substr(column, len(from_path) + 1)})
        .execution_options(synchronize_session=False)
    )
