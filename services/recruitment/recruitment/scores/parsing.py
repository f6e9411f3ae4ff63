"""A score import file read into lines: the shared spreadsheet reader (union_shared.spreadsheets
checks the file before anything is built from it) with this import's columns and bounds."""

from __future__ import annotations

from decimal import Decimal

from recruitment.scores import domain
from recruitment.scores.domain import Line, RowError
from recruitment.scores.kinds import ScoreKind
from union_shared.spreadsheets import SheetLimits, read_table

MAX_UPLOAD_BYTES = 5 * 2**20  # 20,000 rows of three columns take well under 1 MB
MAX_DATA_ROWS = 20_000
LIMITS = SheetLimits(
    data_rows=MAX_DATA_ROWS, sheet_rows=MAX_DATA_ROWS + 1_000, columns=30, line_chars=4_096,
    cell_chars=domain.MAX_REASON_CHARS, max_bytes=MAX_UPLOAD_BYTES, unpacked_bytes=32 * 2**20,
)  # fmt: skip


def read_lines(
    content: bytes, filename: str | None, kind: ScoreKind, max_score: Decimal
) -> tuple[list[Line], list[RowError], int]:
    """The file's rows that read cleanly, every problem of the others (duplicates too), and
    how many data rows it has. Raises SheetRejected or SheetTooLarge for the file as a whole."""
    table = read_table(
        content, filename, domain.read_columns(kind), domain.required_columns(kind), LIMITS
    )
    lines: list[Line] = []
    errors: list[RowError] = []
    for row in table.rows:
        read = domain.read_line(row.number, row.cells, kind, max_score)
        if isinstance(read, Line):
            lines.append(read)
        else:
            errors.extend(read)
    errors.extend(domain.duplicates(lines))
    return lines, errors, len(table.rows)
