from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile

from recruitment.deps import CampaignRunner, NowDep, ScorerCaller, SessionDep
from recruitment.scores import service
from recruitment.scores.domain import COLUMNS
from recruitment.scores.kinds import ScoreKind
from recruitment.scores.parsing import MAX_DATA_ROWS, MAX_UPLOAD_BYTES
from recruitment.scores.schemas import RelationCreate, RelationRead, ScoreImportReport
from union_shared.problems import PROBLEM_JSON, Problem

router = APIRouter(tags=["scores"])

_PROBLEM = {"model": Problem, "content": {PROBLEM_JSON: {}}}
_HEADERS = "; ".join(f"{c}/{'/'.join(a[1:])}" for c, a in COLUMNS.items())


@router.post(
    "/campaigns/{campaign_id}/scores/import",
    summary="Import one kind of result for a campaign's applicants from .xlsx or .csv",
    description=(
        "All or nothing. One file holds one kind of result (`kind`), one row per application. "
        f"Header row, in Chinese or English: {_HEADERS}. Scores (written, interview, "
        "run_off): application_id and score, optionally scorer; a score is an exact decimal "
        "of at most two places from 0 to the campaign rules' max_score. Checks (medical, "
        "background): application_id and result (合格/不合格 or pass/fail), reason (required "
        "for a fail), optionally scorer. The scorer is a scorer's account (token subject); "
        "without one, the uploader is the scorer. Each applicant must be at the stage the "
        "kind needs: written for qualified, shortlisted or not_shortlisted; interview for "
        "shortlisted or ranked; run_off for a tie flagged for a run-off; medical and "
        "background for in_check or check_failed; never withdrawn. A scorer who declared a "
        "relation to the applicant (回避) may not score them. "
        f"At most {MAX_DATA_ROWS:,} data rows and {MAX_UPLOAD_BYTES // 2**20} MiB (413), "
        "checked with the workbook's zip and extent before it is read.\n\n"
        "If any row has a problem nothing is written and the 422 reply lists every one as "
        "`file.row.<n>.<column>` (spreadsheet row numbers: the header is row 1). Otherwise "
        "the 200 reply reports each row: old and new value and `new`, `changed` or "
        "`unchanged`. `dry_run=true` checks and reports the same and writes nothing."
    ),
    responses={403: _PROBLEM, 413: _PROBLEM, 422: _PROBLEM},
    max_body_size=MAX_UPLOAD_BYTES + 64 * 1024,
)
async def import_scores(
    campaign_id: str,
    session: SessionDep,
    caller: CampaignRunner,
    now: NowDep,
    kind: ScoreKind,
    file: Annotated[UploadFile, File(description="The .xlsx or .csv file.")],
    dry_run: Annotated[bool, Query()] = False,
) -> ScoreImportReport:
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        reason = f"the upload is larger than {MAX_UPLOAD_BYTES / 2**20:g} MiB"
        raise service.ImportTooLarge.on_field("file", reason)
    content = await file.read()
    return await service.import_scores(
        session, caller, campaign_id, kind, content, file.filename, dry_run=dry_run, now=now
    )


@router.post(
    "/campaigns/{campaign_id}/relations",
    status_code=201,
    summary="Declare a scorer's relation to an applicant (回避), by their resident ID",
    description=(
        "A scorer of the campaign's part of the tree declares their own relation; those "
        "running the campaign may declare one for a named `scorer_subject`. Relations: "
        "spouse, direct_line, collateral_within_three_generations, close_in_law. The resident "
        "ID must pass the GB 11643 check (422 on `body.resident_id`); only its keyed hash is "
        "kept. Score imports then refuse that scorer for that applicant. A second declaration "
        "of the same scorer and person is 409 (`/problems/duplicate-relation`)."
    ),
)
async def declare_relation(
    campaign_id: str, body: RelationCreate, request: Request, session: SessionDep,
    caller: ScorerCaller, now: NowDep,
) -> RelationRead:  # fmt: skip
    key = request.app.state.settings.identifier_hash_key_bytes()
    row = await service.declare_relation(session, caller, campaign_id, body, key, now)
    return RelationRead.model_validate(row)


@router.get(
    "/campaigns/{campaign_id}/relations",
    summary="A campaign's declared scorer relations, with the matched application (runners)",
)
async def list_relations(
    campaign_id: str, session: SessionDep, caller: CampaignRunner
) -> list[RelationRead]:
    return await service.relations(session, caller, campaign_id)
