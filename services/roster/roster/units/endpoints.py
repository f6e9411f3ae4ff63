from __future__ import annotations

from fastapi import APIRouter, Request

from roster.deps import SessionDep
from roster.units import service
from roster.units.schemas import UnitClose, UnitCreate, UnitMove, UnitRead, UnitRename
from union_shared.auth import TreeAdmin, TreeReader

router = APIRouter(prefix="/units", tags=["units"])


@router.post("", status_code=201, summary="Add a unit to the tree")
async def create_unit(
    body: UnitCreate, request: Request, session: SessionDep, caller: TreeAdmin
) -> UnitRead:
    return UnitRead.model_validate(await service.create(session, caller, body))


@router.get(
    "",
    summary="List a subtree of units",
    description="The units under `root` (default: the caller's own unit), in tree order.",
)
async def list_units(
    session: SessionDep,
    caller: TreeReader,
    root: str | None = None,
    include_closed: bool = False,
) -> list[UnitRead]:
    units = await service.list_subtree(session, caller, root, include_closed)
    return [UnitRead.model_validate(u) for u in units]


@router.patch("/{unit_id}", summary="Rename a unit")
async def rename_unit(
    unit_id: str, body: UnitRename, session: SessionDep, caller: TreeAdmin
) -> UnitRead:
    return UnitRead.model_validate(await service.rename(session, caller, unit_id, body.name))


@router.post("/{unit_id}/move", summary="Move a unit (and its subtree) under another parent")
async def move_unit(
    unit_id: str, body: UnitMove, session: SessionDep, caller: TreeAdmin
) -> UnitRead:
    return UnitRead.model_validate(await service.move(session, caller, unit_id, body.parent_id))


@router.post(
    "/{unit_id}/close",
    summary="Close a unit",
    description="Refused while open units or workers remain in it.",
)
async def close_unit(
    unit_id: str, body: UnitClose, session: SessionDep, caller: TreeAdmin
) -> UnitRead:
    return UnitRead.model_validate(await service.close(session, caller, unit_id, body))
