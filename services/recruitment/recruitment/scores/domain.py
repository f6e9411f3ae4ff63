"""Score imports, pure: what each kind of result needs of a row and of the applicant, and how a
row compares with what is recorded. No I/O, no session, no clock."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.scores.kinds import SCORED, ScoreKind
from union_shared.spreadsheets import cell_text, digits_as_text

CENT = Decimal("0.01")

# The columns of an import file: canonical name → the header texts accepted (Chinese as the
# offices write them, and English). One file is one kind of result, named in the request.
COLUMNS: dict[str, tuple[str, ...]] = {
    "application_id": ("application_id", "报名序号"),
    "score": ("score", "成绩"),
    "result": ("result", "结论"),
    "reason": ("reason", "原因"),
    "scorer": ("scorer", "评分人"),
}


def required_columns(kind: ScoreKind) -> tuple[str, ...]:
    return ("application_id", "score") if kind in SCORED else ("application_id", "result")


def read_columns(kind: ScoreKind) -> dict[str, tuple[str, ...]]:
    """The columns a file of this kind is read for; any other is ignored."""
    wanted = ("score", "scorer") if kind in SCORED else ("result", "reason", "scorer")
    return {c: COLUMNS[c] for c in ("application_id", *wanted)}


# Where an applicant must stand for a kind of result to be recorded (or corrected). Written
# scores arrive after the qualification review and may be corrected once the shortlist is drawn;
# interview scores for those shortlisted, also once ranked; checks for those in them, and a
# failed check may be corrected. Run-off scores need the tie flag, whatever the status.
STAGES: dict[ScoreKind, frozenset[S]] = {
    ScoreKind.WRITTEN: frozenset({S.QUALIFIED, S.SHORTLISTED, S.NOT_SHORTLISTED}),
    ScoreKind.INTERVIEW: frozenset({S.SHORTLISTED, S.RANKED}),
    ScoreKind.MEDICAL: frozenset({S.IN_CHECK, S.CHECK_FAILED}),
    ScoreKind.BACKGROUND: frozenset({S.IN_CHECK, S.CHECK_FAILED}),
}

PASS_WORDS = {"合格": True, "通过": True, "pass": True, "不合格": False, "未通过": False,
              "fail": False}  # fmt: skip
MAX_REASON_CHARS = 500
# The platform's input rule (union_shared.inputs) for a cell: a workbook writes a NUL as
# _x0000_, which the reader turns back into one, and PostgreSQL refuses a NUL in text. Tab,
# newline and carriage return may stand in a cell, as in a JSON string.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Outcome(StrEnum):
    NEW = "new"  # nothing was recorded for this kind
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class Result:
    """One kind of result for one applicant: a score, or a pass or fail with the reason."""

    value: Decimal | None = None
    passed: bool | None = None
    reason: str | None = None

    def shown(self) -> str:
        if self.value is not None:
            return str(self.value)
        return "pass" if self.passed else "fail"


@dataclass(frozen=True)
class Line:
    """A row of the file that read cleanly."""

    row: int
    application_id: str
    result: Result
    scorer: str | None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


def read_line(
    row: int, cells: dict[str, Any], kind: ScoreKind, max_score: Decimal
) -> Line | list[RowError]:
    """The row read for this kind, or every problem of its cells."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    readers = {"application_id": _application_id, "scorer": _scorer, "reason": _reason,
               "score": lambda raw: score(raw, max_score), "result": result}  # fmt: skip
    for column, raw in cells.items():
        if isinstance(raw, str) and _CONTROL.search(raw):
            errors.append(RowError(row, column, "must not contain control characters"))
            continue
        try:
            values[column] = readers[column](raw)
        except CellError as exc:
            errors.append(RowError(row, column, str(exc)))
    if errors:
        return errors
    if kind in SCORED:
        outcome = Result(value=values["score"])
    else:
        reason = values.get("reason")
        if values["result"] is False and reason is None:
            return [RowError(row, "reason", "required for a fail (不合格): say why")]
        outcome = Result(passed=values["result"], reason=reason)
    return Line(row, values["application_id"], outcome, values.get("scorer"))


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _application_id(raw: Any) -> str:
    if _blank(raw):
        raise CellError("required")
    return digits_as_text(raw)


def _scorer(raw: Any) -> str | None:
    if _blank(raw):
        return None
    text = cell_text(raw)
    if len(text) > 200:
        raise CellError("at most 200 characters")
    return text


def _reason(raw: Any) -> str | None:
    if _blank(raw):
        return None
    text = cell_text(raw)
    if len(text) > MAX_REASON_CHARS:
        raise CellError(f"at most {MAX_REASON_CHARS} characters")
    return text


def score(raw: Any, max_score: Decimal) -> Decimal:
    """A score as an exact decimal of at most two places, 0 to the rules' max_score. A number
    cell of a workbook arrives as a float: its shortest text (85.5, not 85.4999...) is read."""
    if _blank(raw):
        raise CellError("required")
    if isinstance(raw, bool):
        raise CellError(f"{raw} is not a score")
    text = repr(raw) if isinstance(raw, float) else unicodedata.normalize("NFKC", str(raw))
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise CellError(f"{text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise CellError(f"{text.strip()!r} is not a number")
    if not Decimal(0) <= value <= max_score:
        raise CellError(f"{text.strip()} is outside 0 to {max_score}")
    if value != value.quantize(CENT, rounding=ROUND_DOWN):
        raise CellError(f"{text.strip()} has more than two decimal places")
    return value.quantize(CENT)


def result(raw: Any) -> bool:
    """合格/不合格 (or 通过/未通过), pass/fail in English."""
    if _blank(raw):
        raise CellError("required")
    text = unicodedata.normalize("NFKC", cell_text(raw)).casefold()
    if text not in PASS_WORDS:
        raise CellError(f"{cell_text(raw)!r} is not 合格, 不合格, pass or fail")
    return PASS_WORDS[text]


def duplicates(lines: list[Line]) -> list[RowError]:
    """A second row for an applicant is an error naming the first: which one holds is the
    office's to say, not the import's."""
    first: dict[str, int] = {}
    errors = []
    for line in lines:
        if line.application_id in first:
            errors.append(RowError(line.row, "application_id",
                                   f"a second row for this application (first: row "
                                   f"{first[line.application_id]})"))  # fmt: skip
        else:
            first[line.application_id] = line.row
    return errors


def stage_problem(kind: ScoreKind, status: S, run_off_needed: bool) -> str | None:
    """Why this applicant cannot take this kind of result now, or None."""
    if status is S.WITHDRAWN:
        return "the applicant has withdrawn"
    if kind is ScoreKind.RUN_OFF:
        return None if run_off_needed else "the applicant is not tied for a run-off"
    allowed = STAGES[kind]
    if status in allowed:
        return None
    needed = ", ".join(sorted(s.value for s in allowed))
    return f"the applicant is {status.value}: {kind.value} results are for {needed}"


def outcome(old: Result | None, new: Result) -> Outcome:
    if old is None:
        return Outcome.NEW
    return Outcome.UNCHANGED if old == new else Outcome.CHANGED
