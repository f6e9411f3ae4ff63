"""Reading a staff import file: .xlsx or .csv bytes → one dict of cell values per spreadsheet
row, in the roster's columns.

Pure: no I/O beyond the bytes given, no database, no clock. The file itself is read and checked
by union_shared.spreadsheets, which raises `SheetRejected` for whole-file faults (not a
spreadsheet, empty, a required column missing, too many rows); a bad cell becomes a problem on
its row here, so one pass reports every bad cell of the file. Row numbers are the ones the user
sees in the spreadsheet (the header is row 1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from roster.imports import xlsx_guard
from union_shared.spreadsheets import (
    Row,
    SheetLimits,
    SheetRejected,
    SheetTooLarge,
    cell_text,
    digits_as_text,
    read_table,
)
from union_shared.vocabulary import Education, Qualification

__all__ = ["COLUMNS", "Sheet", "SheetRejected", "SheetRow", "SheetTooLarge", "read_sheet"]

MAX_DATA_ROWS = 20_000
# How far a sheet may reach, blank rows and unknown columns included: the header, the data rows
# and room for blank or note rows; nine columns are read, the rest ignored. Checked on the file
# before any grid is built: calamine's grid spans A1 to the furthest cell.
MAX_SHEET_ROWS = MAX_DATA_ROWS + 1_000
MAX_COLUMNS = 50  # A to AX
# A CSV line is a few hundred characters; one of megabytes is no staff list.
MAX_LINE_CHARS = 16 * 1024

# Canonical column → the header texts accepted for it (compared after `_header_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名"),
    "resident_id": ("resident_id", "身份证号", "身份证号码", "公民身份号码"),
    "phone": ("phone", "手机号", "手机号码", "联系电话"),
    "education": ("education", "学历"),
    "major": ("major", "专业"),
    "qualification": ("qualification", "资格", "职业资格"),
    "unit_id": ("unit_id", "单位编号"),
    "hire_date": ("hire_date", "入职日期"),
    "seniority_start": ("seniority_start", "工龄起算日"),
}
OPTIONAL_COLUMNS = frozenset({"seniority_start"})
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
# Cells that may be blank (a blank qualification means none).
OPTIONAL_CELLS = frozenset({"phone", "major", "qualification", "seniority_start"})

EDUCATION = {
    **{e.value: e for e in Education},
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "硕士": Education.MASTER,
    "硕士研究生": Education.MASTER,
    "博士": Education.DOCTORATE,
    "博士研究生": Education.DOCTORATE,
    "大专及以下": Education.BELOW_BACHELOR,
    "大专": Education.BELOW_BACHELOR,
    "专科": Education.BELOW_BACHELOR,
}
QUALIFICATION = {
    **{q.value: q for q in Qualification},
    "无": Qualification.NONE,
    "助理社会工作师": Qualification.ASSISTANT,
    "社会工作师": Qualification.SOCIAL_WORKER,
    "高级社会工作师": Qualification.SENIOR,
}

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
# Excel serial numbers accepted as dates when a cell holds a plain number: 1950-01-01 to
# 2100-12-31 (a bare year such as 2024 would otherwise read as a day in 1905).
_SERIAL_RANGE = (18264, 73415)


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the user sees it: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)  # canonical column → parsed value
    problems: dict[str, str] = field(default_factory=dict)  # canonical column → reason


@dataclass(frozen=True)
class Sheet:
    columns: tuple[str, ...]  # the canonical columns present, in COLUMNS order
    rows: list[SheetRow]


def read_sheet(content: bytes, filename: str | None) -> Sheet:
    """Parse an uploaded import file (union_shared.spreadsheets decides the format from its
    first bytes and its name, and checks it before anything is built from it)."""
    limits = SheetLimits(
        data_rows=MAX_DATA_ROWS, sheet_rows=MAX_SHEET_ROWS, columns=MAX_COLUMNS,
        line_chars=MAX_LINE_CHARS, unpacked_bytes=xlsx_guard.MAX_UNPACKED_BYTES,
    )  # fmt: skip
    table = read_table(content, filename, COLUMNS, REQUIRED_COLUMNS, limits)
    # calamine gives dates for date-formatted cells itself; bare serial numbers count from the
    # Windows 1900 epoch, the default of every current spreadsheet program.
    serial_epoch = CALENDAR_WINDOWS_1900 if table.kind == "xlsx" else None
    return Sheet(table.columns, [_row(row, serial_epoch) for row in table.rows])


def _row(row: Row, serial_epoch: datetime | None) -> SheetRow:
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for column, raw in row.cells.items():
        try:
            value = _convert(column, raw, serial_epoch)
        except CellError as exc:
            problems[column] = str(exc)
            continue
        if value is not None:
            values[column] = value
    return SheetRow(row.number, values, problems)


# --- cells --------------------------------------------------------------------------------------


def _convert(column: str, raw: Any, serial_epoch: datetime | None) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column in OPTIONAL_CELLS:
            return None
        raise CellError("required")
    if column == "resident_id":
        return _resident_id(raw)
    if column == "phone":
        return digits_as_text(raw)
    if column == "education":
        return _choice(raw, EDUCATION, "本科, 硕士, 博士, 大专及以下")
    if column == "qualification":
        return _choice(raw, QUALIFICATION, "无, 助理社会工作师, 社会工作师, 高级社会工作师")
    if column in ("hire_date", "seniority_start"):
        return _date(raw, serial_epoch)
    return cell_text(raw)


def _resident_id(raw: Any) -> str:
    # Excel keeps 15 significant digits, so an 18-digit number typed into a General or Number
    # cell loses its last three and cannot hold a trailing X: never trust a numeric cell.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        shown = f"{raw:.0f}" if isinstance(raw, float) else str(raw)
        raise CellError(
            f"Excel stored this ID number as a number ({shown}), which drops its last digits: "
            "format the column as Text and enter the 18 characters again"
        )
    text = re.sub(r"\s+", "", digits_as_text(raw)).upper()
    if _SCIENTIFIC.match(text):
        raise CellError(
            f"Excel turned this ID number into a number ({text}) and dropped its last digits: "
            "format the column as Text and enter the 18 characters again"
        )
    return text


def _choice(raw: Any, choices: dict[str, Any], chinese: str) -> Any:
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    found = choices.get(text) or choices.get(text.casefold())
    if found is None:
        english = ", ".join(v for v in choices if v.isascii())
        raise CellError(f"{text!r} is not one of {english} (or {chinese})")
    return found


def _date(raw: Any, serial_epoch: datetime | None) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _numeric_date(raw, serial_epoch)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"{text!r} is not a date: write it as 2024-03-01, 2024/3/1 or 2024年3月1日")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"{text!r} is not a calendar date") from None


def _numeric_date(raw: float, serial_epoch: datetime | None) -> date:
    if float(raw).is_integer() and _COMPACT_DATE.match(str(int(raw))):
        return _date(str(int(raw)), serial_epoch)  # 20240301 typed as a number
    if serial_epoch is not None and _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]:
        return from_excel(raw, serial_epoch).date()
    raise CellError(f"{raw} is not a date: format the cell as a date, or write 2024-03-01")
