"""Use cases of the unit tree: create, rename, move, close, list a subtree."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.ids import new_id
from roster.models import Unit
from roster.units import repository
from roster.units.domain import UnitKind, child_path, is_within, parent_allowed
from roster.units.schemas import UnitClose, UnitCreate
from union_shared.audit import record_audit
from union_shared.auth import ADMINS, Caller, Role
from union_shared.clock import utc_now
from union_shared.errors import Conflict, InvalidInput
from union_shared.events import UnitClosed, UnitCreated, UnitMoved, UnitRenamed, build_event
from union_shared.events.catalogue import UNIT_TREE_SUBJECT
from union_shared.messaging.outbox import record_events


async def create(session: AsyncSession, caller: Caller, data: UnitCreate) -> Unit:
    caller.require(*ADMINS, Role.SYSTEM)
    parent = None
    if data.parent_id is not None:
        parent = await scope.unit_in_scope(session, caller, data.parent_id)
        if parent.status != "open":
            raise Conflict(f"parent unit {parent.id} is closed")
    elif caller.role is not Role.SYSTEM and await scope.root_path(session, caller) is not None:
        raise InvalidInput.on_field(
            "body.parent_id", "required: you may only add units under yours"
        )
    parent_kind = UnitKind(parent.kind) if parent else None
    if not parent_allowed(data.kind, parent_kind):
        raise InvalidInput.on_field(
            "body.parent_id", f"a {data.kind} cannot sit under {parent_kind or 'nothing'}"
        )
    unit_id = new_id()
    unit = Unit(
        id=unit_id,
        name=data.name,
        kind=data.kind,
        parent_id=parent.id if parent else None,
        path=child_path(parent.path if parent else None, unit_id),
        status="open",
        created_at=utc_now(),
    )
    await repository.add(session, unit)
    await record_audit(session, caller, "unit.created", "unit", unit.id, changes=data.model_dump())
    await _tell(
        session,
        UnitCreated(
            unit_id=unit.id,
            parent_id=unit.parent_id,
            path=unit.path,
            name=unit.name,
            kind=unit.kind,
        ),
    )
    return unit


async def rename(session: AsyncSession, caller: Caller, unit_id: str, name: str) -> Unit:
    caller.require(*ADMINS, Role.SYSTEM)
    unit = await scope.unit_in_scope(session, caller, unit_id)
    changes = {"name": {"from": unit.name, "to": name}}
    unit.name = name
    await record_audit(session, caller, "unit.renamed", "unit", unit.id, changes=changes)
    await _tell(session, UnitRenamed(unit_id=unit.id, path=unit.path, name=name))
    return unit


async def move(session: AsyncSession, caller: Caller, unit_id: str, parent_id: str) -> Unit:
    caller.require(*ADMINS, Role.SYSTEM)
    unit = await scope.unit_in_scope(session, caller, unit_id)
    parent = await scope.unit_in_scope(session, caller, parent_id)
    if is_within(parent.path, unit.path):
        raise InvalidInput.on_field(
            "body.parent_id", "a unit cannot move under itself or its own subtree"
        )
    if parent.status != "open":
        raise Conflict(f"parent unit {parent.id} is closed")
    if not parent_allowed(UnitKind(unit.kind), UnitKind(parent.kind)):
        raise InvalidInput.on_field(
            "body.parent_id", f"a {unit.kind} cannot sit under a {parent.kind}"
        )
    old_path, old_parent = unit.path, unit.parent_id
    new_path = child_path(parent.path, unit.id)
    await repository.repath_subtree(session, old_path, new_path)
    unit.parent_id = parent.id
    unit.path = new_path
    await record_audit(
        session,
        caller,
        "unit.moved",
        "unit",
        unit.id,
        changes={"parent_id": {"from": old_parent, "to": parent.id}},
    )
    moved = UnitMoved(
        unit_id=unit.id,
        from_parent_id=old_parent,
        to_parent_id=parent.id,
        from_path=old_path,
        to_path=new_path,
    )
    await _tell(session, moved)
    return unit


async def close(session: AsyncSession, caller: Caller, unit_id: str, data: UnitClose) -> Unit:
    caller.require(*ADMINS, Role.SYSTEM)
    unit = await scope.unit_in_scope(session, caller, unit_id)
    if unit.status == "closed":
        raise Conflict(f"unit {unit_id} is already closed")
    if await repository.open_children(session, unit_id):
        raise Conflict(f"unit {unit_id} still has open units under it: close or move them first")
    if await repository.workers_in(session, unit_id):
        raise Conflict(f"unit {unit_id} still has workers: transfer them first")
    unit.status, unit.closed_on = "closed", data.closed_on
    await record_audit(
        session,
        caller,
        "unit.closed",
        "unit",
        unit.id,
        reason=data.reason,
        changes={"closed_on": data.closed_on},
    )
    await _tell(session, UnitClosed(unit_id=unit.id, path=unit.path, closed_on=data.closed_on))
    return unit


async def _tell(session: AsyncSession, change: BaseModel) -> None:
    """Grading and payroll keep a copy of the tree: every change reaches them, in order."""
    event = build_event(change, subject=UNIT_TREE_SUBJECT, source="roster")
    await record_events(session, [event])


async def list_subtree(
    session: AsyncSession, caller: Caller, root_id: str | None, include_closed: bool
) -> list[Unit]:
    if root_id is not None:
        root = await scope.unit_in_scope(session, caller, root_id)
        return await repository.subtree(session, root.path, include_closed)
    path = await scope.root_path(session, caller)
    if path is None:
        return await repository.subtree(session, "/", include_closed)
    return await repository.subtree(session, path, include_closed)
