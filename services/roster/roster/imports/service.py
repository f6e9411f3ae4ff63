"""Bulk import of existing staff: all rows go on the register together, or none do.

Every problem of every row is reported in one reply (row and column as the user sees them), so a
file can be fixed in one round instead of one error at a time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from roster.imports.parsing import (
    COLUMNS,
    Sheet,
    SheetRejected,
    SheetRow,
    SheetTooLarge,
    read_sheet,
)
from roster.workers import service as workers
from roster.workers.schemas import WorkerCreate
from union_shared.auth import HR_WRITERS, Caller
from union_shared.errors import DomainError, FieldError, InvalidInput
from union_shared.vocabulary import Education, Qualification


class ImportTooLarge(DomainError):
    status, title, slug = 413, "Content too large", "import-too-large"


# Stand-ins for cells that failed to parse, so the row can still go through the register checks
# (duplicates, people already registered, unit scope) and the file is reported in one pass.
# Each is valid for WorkerCreate and cannot cause a problem on another column in
# `check_new_workers`; problems found on a stand-in itself are dropped (the cell's own is kept).
_STAND_INS: dict[str, Any] = {
    "name": "-",
    "resident_id": "",
    "phone": None,
    "education": Education.BACHELOR,
    "major": None,
    "qualification": Qualification.NONE,
    "unit_id": "",
    "hire_date": date.max,
    "seniority_start": None,
}


@dataclass(frozen=True)
class CheckedImport:
    rows: list[WorkerCreate]  # ready for `onboard`, in the file's order
    warnings: list[FieldError]  # advice that does not stop the import, named `row <n>.<column>`


@dataclass(frozen=True)
class _Checked:
    row: SheetRow
    worker: WorkerCreate | None  # None only when even the stand-ins do not validate
    problems: dict[str, str]  # the row's own cell problems, by column


async def check_import(
    session: AsyncSession, caller: Caller, content: bytes, filename: str | None
) -> CheckedImport:
    """The file's rows ready for `onboard`, with warnings; else InvalidInput listing every
    problem found."""
    caller.require(*HR_WRITERS)
    # Parsing 20,000 rows takes seconds of CPU: off the event loop, so other requests go on.
    sheet = await asyncio.to_thread(_read, content, filename)
    checked = [_validated(row) for row in sheet.rows]
    problems = [
        (c.row.number, column, reason) for c in checked for column, reason in c.problems.items()
    ]
    candidates = [c for c in checked if c.worker is not None]
    numbers = [c.row.number for c in candidates]
    found = await workers.check_new_workers(
        session, caller, [c.worker for c in candidates], labels=[f"row {n}" for n in numbers]
    )
    for p in found:
        if p.field not in candidates[p.row].problems:
            problems.append((numbers[p.row], p.field, p.reason))
    if problems:
        raise _refusal(problems, len(sheet.rows))
    rows = [c.worker for c in candidates]  # every row, now that none has a problem
    warnings = [
        FieldError(f"row {numbers[w.row]}.{w.field}", w.reason)
        for w in workers.retirement_warnings(rows)
    ]
    return CheckedImport(rows, warnings)


async def import_workers(
    session: AsyncSession, caller: Caller, content: bytes, filename: str | None
) -> tuple[list[str], list[FieldError]]:
    checked = await check_import(session, caller, content, filename)
    ids = await workers.onboard(session, caller, checked.rows, origin="import")
    return ids, checked.warnings


def _read(content: bytes, filename: str | None) -> Sheet:
    try:
        return read_sheet(content, filename)
    except SheetTooLarge as exc:
        raise ImportTooLarge.on_field(exc.field, exc.reason) from None
    except SheetRejected as exc:
        raise InvalidInput.on_field(exc.field, exc.reason) from None


def _validated(row: SheetRow) -> _Checked:
    problems = dict(row.problems)
    values = {**row.values, **{column: _STAND_INS[column] for column in problems}}
    try:
        return _Checked(row, WorkerCreate.model_validate(values), problems)
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else "row"
            problems.setdefault(column, error["msg"])
    values |= {c: _STAND_INS[c] for c in problems if c in _STAND_INS}
    try:
        return _Checked(row, WorkerCreate.model_validate(values), problems)
    except ValidationError:
        return _Checked(row, None, problems)


def _refusal(problems: list[tuple[int, str, str]], row_count: int) -> InvalidInput:
    order = {column: i for i, column in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p[0], order.get(p[1], len(order))))
    bad_rows = len({row for row, _, _ in problems})
    return InvalidInput(
        f"{bad_rows} of {row_count} rows have problems ({len(problems)} in all); "
        "nothing was imported",
        errors=[FieldError(f"row {row}.{column}", reason) for row, column, reason in problems],
    )
