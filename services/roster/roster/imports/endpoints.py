from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from fastapi.responses import JSONResponse

from roster.deps import SessionDep
from roster.imports import service
from roster.imports.parsing import MAX_COLUMNS, MAX_DATA_ROWS, MAX_SHEET_ROWS
from roster.imports.schemas import DryRunReply, ImportReply
from union_shared.auth import HrWriter
from union_shared.errors import FieldError
from union_shared.problems import PROBLEM_JSON, FieldProblem, Problem

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 20,000 rows of .xlsx take about 1 MB, of CSV about 3 MB
# The whole request: the file and the multipart framing around it. Past it the body is not read
# (FastAPI's limit answers 413 on Content-Length, or at the byte that passes it).
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024

router = APIRouter(prefix="/workers", tags=["import"])

_PROBLEM = {"model": Problem, "content": {PROBLEM_JSON: {}}}


@router.post(
    "/import",
    status_code=201,
    response_model=ImportReply,
    summary="Import existing staff from .xlsx or .csv",
    description=(
        "All or nothing. The first row is a header; columns may be named in English or Chinese: "
        "name/姓名, resident_id/身份证号/公民身份号码, phone/手机号/联系电话, education/学历, "
        "major/专业, qualification/资格/职业资格, unit_id/单位编号, hire_date/入职日期 and, "
        "optionally, seniority_start/工龄起算日. Education: bachelor, master, doctorate, "
        "below_bachelor (本科, 硕士, 博士, 大专及以下); qualification: none, "
        "assistant_social_worker, social_worker, senior_social_worker (无, 助理社会工作师, "
        "社会工作师, 高级社会工作师). Dates: Excel dates, 2024-03-01, 2024/3/1 or 2024年3月1日. "
        "ID numbers must be text: Excel drops the last digits of an ID stored as a number. "
        "The first worksheet of a workbook is read; CSV must be UTF-8 (a BOM is fine). "
        f"At most {MAX_DATA_ROWS:,} data rows and {MAX_UPLOAD_BYTES // 2**20} MiB; every sheet of "
        f"a workbook lies within rows 1 to {MAX_SHEET_ROWS:,} and columns A to AX "
        f"({MAX_COLUMNS}), or the file is refused with 413 before it is read.\n\n"
        "If any row has a problem, nothing is written and the 422 reply lists every problem of "
        "every row as `row <n>.<column>` (spreadsheet row numbers: the header is row 1). "
        "`dry_run=true` runs the same checks, writes nothing and answers 200. Rows that are "
        "fine but worth a look (a hire at or past the statutory retirement age) are imported "
        "and listed in `warnings`, in the same `row <n>.<column>` form."
    ),
    responses={
        200: {"model": DryRunReply, "description": "dry_run=true: the file would import"},
        403: _PROBLEM,
        413: _PROBLEM,
    },
    max_body_size=MAX_REQUEST_BYTES,
)
async def import_workers(
    session: SessionDep,
    caller: HrWriter,
    file: Annotated[UploadFile, File(description="The .xlsx or .csv file.")],
    dry_run: bool = False,
) -> ImportReply | Response:
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        reason = f"the upload is larger than {MAX_UPLOAD_BYTES / 2**20:g} MiB"
        raise service.ImportTooLarge.on_field("file", reason)
    content = await file.read()
    if dry_run:
        checked = await service.check_import(session, caller, content, file.filename)
        reply = DryRunReply(would_import=len(checked.rows), warnings=_problems(checked.warnings))
        return JSONResponse(reply.model_dump(), status_code=200)
    ids, warnings = await service.import_workers(session, caller, content, file.filename)
    return ImportReply(imported=len(ids), worker_ids=ids, warnings=_problems(warnings))


def _problems(warnings: list[FieldError]) -> list[FieldProblem]:
    return [FieldProblem(field=w.field, reason=w.reason) for w in warnings]
