"""Reading an import file: .xlsx or .csv bytes → one dict of cell values per spreadsheet row.

Pure: no I/O beyond the bytes given, no database, no clock. Whole-file faults (not a spreadsheet,
empty, a required column missing, too many rows) raise `SheetRejected`; a bad cell becomes a
problem on its row, so one pass reports every bad cell of the file. Row numbers are the ones the
user sees in the spreadsheet (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel
from python_calamine import CalamineWorkbook

from roster.imports.errors import SheetRejected, SheetTooLarge
from roster.imports.xlsx_guard import Limits, check_xlsx
from union_shared.vocabulary import Education, Qualification

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

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy binary .xls (and .doc)
_BOM = b"\xef\xbb\xbf"
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
    """Parse an uploaded import file, deciding the format from its first bytes and its name."""
    if not content.strip() or content.strip() == _BOM:
        raise SheetRejected("file", "the file is empty")
    if content.startswith(_XLSX_MAGIC):
        return _read_xlsx(content)
    if content.startswith(_OLE_MAGIC):
        raise SheetRejected(
            "file", "this is an old binary .xls workbook: save it as .xlsx or as CSV UTF-8"
        )
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise SheetRejected("file", f"named {suffix} but it is not an Excel workbook")
    if suffix not in ("", ".csv", ".txt"):
        raise SheetRejected("file", f"not a spreadsheet: upload .xlsx or .csv (got {suffix})")
    return _read_csv(content)


# --- formats ------------------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Sheet:
    # Before calamine sees the bytes: its grid spans A1 to the furthest cell, so one far cell or
    # a zip bomb would cost gigabytes (xlsx_guard).
    check_xlsx(content, Limits(rows=MAX_SHEET_ROWS, columns=MAX_COLUMNS))
    # calamine (Rust) reads a 10,000-row sheet several times faster than openpyxl. A damaged or
    # foreign zip raises one of many errors: to the user they all mean the same thing.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:
        raise SheetRejected("file", f"not a readable .xlsx workbook ({exc})") from None
    if sheet.start is None:
        raise SheetRejected("file", "the file is empty")
    # calamine gives dates for date-formatted cells itself; bare serial numbers count from the
    # Windows 1900 epoch, the default of every current spreadsheet program.
    return _build(enumerate(_sheet_rows(sheet), start=1), CALENDAR_WINDOWS_1900)


def _sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """The sheet's rows one at a time, from row 1 and column A. calamine's iterator starts at
    row 1 but at the first column holding something: pad to A, so positions are letters."""
    padding = [None] * sheet.start[1]
    try:
        for line in sheet.iter_rows():
            yield padding + line if padding else line
    except Exception as exc:
        raise SheetRejected("file", f"not a readable .xlsx workbook ({exc})") from None


def _read_csv(content: bytes) -> Sheet:
    if b"\x00" in content:
        raise SheetRejected("file", "not a spreadsheet: upload .xlsx or .csv")
    try:
        text = content.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise SheetRejected(
            "file",
            "the CSV is not UTF-8 text: save it as 'CSV UTF-8' (Excel) or with UTF-8 encoding",
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    records = csv.reader(_bounded_lines(text), delimiter=delimiter)
    try:
        return _build(enumerate(_bounded_records(records), start=1), None)
    except csv.Error as exc:
        raise SheetRejected("file", f"not a readable CSV file ({exc})") from None


def _bounded_lines(text: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise SheetTooLarge(
                "file",
                f"line {number:,} is longer than {MAX_LINE_CHARS:,} characters: not a staff list",
            )
        yield line


def _bounded_records(records: Iterable[list[str]]) -> Iterator[list[str]]:
    """The same bounds as a sheet's: rows (blank ones too) and columns."""
    for number, record in enumerate(records, start=1):
        if number > MAX_SHEET_ROWS:
            raise SheetTooLarge(
                "file",
                f"more than {MAX_SHEET_ROWS:,} rows, blank ones included: split the file and "
                "import each part",
            )
        if len(record) > MAX_COLUMNS:
            raise SheetTooLarge(
                "file",
                f"row {number:,} has {len(record):,} columns: an import may use at most "
                f"{MAX_COLUMNS}",
            )
        yield record


# --- header and rows ----------------------------------------------------------------------------


def _build(
    lines: Iterable[tuple[int, tuple[Any, ...] | list[Any]]], serial_epoch: datetime | None
) -> Sheet:
    lines = iter(lines)
    header = next(((n, line) for n, line in lines if not _blank(line)), None)
    if header is None:
        raise SheetRejected("file", "the file is empty")
    positions = _columns(header[1])
    rows = []
    for number, line in _data_lines(lines):
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for column, position in positions.items():
            raw = line[position] if position < len(line) else None
            try:
                value = _convert(column, raw, serial_epoch)
            except CellError as exc:
                problems[column] = str(exc)
                continue
            if value is not None:
                values[column] = value
        rows.append(SheetRow(number, values, problems))
    if not rows:
        raise SheetRejected("file", "no data rows below the header")
    return Sheet(tuple(c for c in COLUMNS if c in positions), rows)


def _data_lines(lines: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    count = 0
    for number, line in lines:
        if _blank(line):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            raise SheetTooLarge(
                "file",
                f"more than {MAX_DATA_ROWS:,} data rows: split the file and import each part",
            )
        yield number, line


def _blank(line: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in line)


def _header_key(text: Any) -> str:
    """Header text compared loosely: full-width folded, case and spacing ignored, and a
    trailing note such as "（必填）" or a required-marker "*" dropped."""
    key = unicodedata.normalize("NFKC", str(text or "")).strip().strip("*").strip()
    key = re.sub(r"\s*\(.*\)$", "", key)
    return re.sub(r"[\s\-]+", "_", key).casefold()


_ALIASES = {_header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def _columns(header: tuple[Any, ...] | list[Any]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown = []
    for position, text in enumerate(header):
        column = _ALIASES.get(_header_key(text))
        if column is None:
            if text is not None and str(text).strip():
                unknown.append(str(text).strip())
            continue
        if column in positions:
            raise SheetRejected(
                "file.header",
                f"columns {_letter(positions[column])} and {_letter(position)} both give {column}",
            )
        positions[column] = position
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        named = ", ".join(f"{c} ({COLUMNS[c][1]})" for c in missing)
        note = f"; columns not recognised: {', '.join(unknown)}" if unknown else ""
        raise SheetRejected("file.header", f"missing required column(s): {named}{note}")
    return positions


def _letter(position: int) -> str:
    return get_column_letter(position + 1)


# --- cells --------------------------------------------------------------------------------------


def _convert(column: str, raw: Any, serial_epoch: datetime | None) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column in OPTIONAL_CELLS:
            return None
        raise CellError("required")
    if column == "resident_id":
        return _resident_id(raw)
    if column == "phone":
        return _digits_as_text(raw)
    if column == "education":
        return _choice(raw, EDUCATION, "本科, 硕士, 博士, 大专及以下")
    if column == "qualification":
        return _choice(raw, QUALIFICATION, "无, 助理社会工作师, 社会工作师, 高级社会工作师")
    if column in ("hire_date", "seniority_start"):
        return _date(raw, serial_epoch)
    return _text(raw)


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _digits_as_text(raw: Any) -> str:
    """Text typed to keep digits, in the ways spreadsheets let people force it: a leading
    apostrophe, or the CSV formula form ="..."."""
    text = _text(raw)
    quoted = re.fullmatch(r'="(.*)"', text)
    if quoted:
        text = quoted.group(1)
    return text.removeprefix("'").strip()


def _resident_id(raw: Any) -> str:
    # Excel keeps 15 significant digits, so an 18-digit number typed into a General or Number
    # cell loses its last three and cannot hold a trailing X: never trust a numeric cell.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        shown = f"{raw:.0f}" if isinstance(raw, float) else str(raw)
        raise CellError(
            f"Excel stored this ID number as a number ({shown}), which drops its last digits: "
            "format the column as Text and enter the 18 characters again"
        )
    text = re.sub(r"\s+", "", _digits_as_text(raw)).upper()
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
