from __future__ import annotations

from pydantic import BaseModel, Field

from union_shared.problems import FieldProblem

_WARNINGS = (
    "Advice that does not stop the import, as `row <n>.<column>` (e.g. a hire at or past the "
    "statutory retirement age)."
)


class ImportReply(BaseModel):
    imported: int
    worker_ids: list[str] = Field(description="The new workers' ids, in the file's row order.")
    warnings: list[FieldProblem] = Field(default_factory=list, description=_WARNINGS)


class DryRunReply(BaseModel):
    would_import: int
    problems: list[FieldProblem] = Field(
        default_factory=list,
        description=(
            "Always empty: a file with problems is refused with 422 listing them, exactly as "
            "the real import would be."
        ),
    )
    warnings: list[FieldProblem] = Field(default_factory=list, description=_WARNINGS)
