from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from recruitment.deps import SessionDep
from recruitment.reading import service
from recruitment.reading.schemas import Dashboard
from union_shared.auth import TreeReader

router = APIRouter(tags=["reading"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/campaigns/{campaign_id}/dashboard",
    summary="Applicants per posting and stage, the ratio to the quota, the opening check, cut lines",
    description=(
        "Those running the campaign see every posting; others the postings in their part of "
        "the tree. A posting short of the opening ratio (开考比例, 3 applicants a place by "
        "default) is flagged (`opens` false) to be cut or merged."
    ),
)
async def dashboard(campaign_id: str, session: SessionDep, caller: TreeReader) -> Dashboard:
    return await service.dashboard(session, caller, campaign_id)


def _chunks(target) -> Iterator[bytes]:
    with target:
        yield from iter(lambda: target.read(1 << 16), b"")


@router.get(
    "/campaigns/{campaign_id}/exports/{stage}.xlsx",
    summary="A stage's list as .xlsx: applications, shortlist, ranking, checks or hires",
    description=(
        "By posting, then rank. Resident IDs and phones are whole only for administrators, "
        "unit HR and system clients, masked for every other caller."
    ),
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX: {}}}},
)
async def export(
    campaign_id: str,
    stage: Literal["applications", "shortlist", "ranking", "checks", "hires"],
    session: SessionDep,
    caller: TreeReader,
) -> StreamingResponse:
    book = await service.stage_workbook(session, caller, campaign_id, stage)
    return StreamingResponse(
        _chunks(book),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{campaign_id}-{stage}.xlsx"'},
    )
