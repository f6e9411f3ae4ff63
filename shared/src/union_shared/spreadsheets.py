"""Reading uploaded spreadsheets, .xlsx or .csv, into numbered rows of raw cell values, with the
file checked before anything is built from it. Every service's imports use this one reader
(the roster's staff import, recruitment's score imports); each keeps its own columns and its
own reading of a cell.

Pure: no I/O beyond the bytes given. Whole-file faults (not a spreadsheet, empty, a required
column missing, too many rows, a cell too long) raise `SheetRejected` or `SheetTooLarge`, each
naming where (`file`, `file.header`). Row numbers are the ones the user sees in the spreadsheet
(the header is row 1).

The .xlsx guard (`check_xlsx`): calamine (Rust) turns a sheet into one dense grid from A1 to its
furthest cell, and reserves up front the number of shared strings a workbook declares. A 2 KB
file with one cell at CV100000 therefore costs 300 MB; one at XFD1048576 asks for 512 GB and
aborts the whole process; a zip member can unpack a thousandfold. None of that may reach
calamine, so every member of the zip is unpacked here first, in 64 KiB pieces and never whole:

- the zip directory: few parts, no encryption, stored or deflated only, a bounded total unpacked
  size and no part compressed far beyond what spreadsheet XML compresses to (a zip bomb);
- each part unpacks to exactly the size its directory entry declares, so a lying header is caught
  before it unpacks further;
- each part is streamed through expat: a worksheet's declared `<dimension ref>` (near its start)
  and every cell holding something must lie within the import's rows and columns, and a shared
  strings table may not declare or hold more strings than such a sheet has cells.

Cells are located the way calamine locates them (the `r` attribute, else the next column of the
current row) and, where calamine's stream reader could read a construct either way, the larger
position is assumed, so no crafted nesting can place a cell further for calamine than here. A
part that names `sheetData` or a shared strings table must be well-formed XML: calamine's reader
is more lenient than expat, so a part expat cannot follow could hide cells from this check.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

from python_calamine import CalamineWorkbook

# A workbook unpacked, in all: 20,000 rows of nine columns unpack to about 10 MB.
MAX_UNPACKED_BYTES = 64 * 2**20


class SheetRejected(ValueError):
    """The file as a whole cannot be read as an import; `field` names where (file, header)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class SheetTooLarge(SheetRejected):
    """The file is past a size limit of the import (answered 413)."""


@dataclass(frozen=True)
class SheetLimits:
    """One import's bounds. `sheet_rows` counts blank and note rows too: calamine's grid spans
    A1 to the furthest cell, so the file is checked against it before any grid is built."""

    data_rows: int
    sheet_rows: int
    columns: int
    line_chars: int = 16 * 1024  # a CSV line of megabytes is no import
    cell_chars: int | None = None  # a read column's cell; None: only the line bounds it
    max_bytes: int | None = None  # the file itself; None where the endpoint checks it
    unpacked_bytes: int = MAX_UNPACKED_BYTES


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it: the header is row 1
    cells: dict[str, Any]  # canonical column → the raw cell value (None when blank)


@dataclass(frozen=True)
class Table:
    kind: str  # "xlsx" or "csv": bare numbers in an .xlsx may be Excel date serials
    columns: tuple[str, ...]  # the canonical columns present, in the order they were given
    rows: list[Row]


_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy binary .xls (and .doc)
_BOM = b"\xef\xbb\xbf"


def read_table(
    content: bytes, filename: str | None, columns: Mapping[str, Sequence[str]],
    required: Sequence[str], limits: SheetLimits,
) -> Table:  # fmt: skip
    """The file's header matched against `columns` (canonical name → accepted header texts)
    and its data rows, blank ones skipped, each cell as the file holds it."""
    kind, lines = read_lines(content, filename, limits)
    header = next(((n, line) for n, line in lines if not blank(line)), None)
    if header is None:
        raise SheetRejected("file", "the file is empty")
    positions = match_header(header[1], columns, required)
    rows = []
    for number, line in data_lines(lines, limits.data_rows):
        cells = {c: line[p] if p < len(line) else None for c, p in positions.items()}
        _check_lengths(number, cells, positions, limits.cell_chars)
        rows.append(Row(number, cells))
    if not rows:
        raise SheetRejected("file", "no data rows below the header")
    return Table(kind, tuple(c for c in columns if c in positions), rows)


def read_lines(
    content: bytes, filename: str | None, limits: SheetLimits
) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """The format, decided from the first bytes and the name, and every line of the first
    sheet numbered from 1, blank ones included."""
    if limits.max_bytes is not None and len(content) > limits.max_bytes:
        raise SheetTooLarge("file", f"the upload is larger than {limits.max_bytes / 2**20:g} MiB")
    if not content.strip() or content.strip() == _BOM:
        raise SheetRejected("file", "the file is empty")
    if content.startswith(_XLSX_MAGIC):
        return "xlsx", enumerate(_xlsx_lines(content, limits), start=1)
    if content.startswith(_OLE_MAGIC):
        raise SheetRejected(
            "file", "this is an old binary .xls workbook: save it as .xlsx or as CSV UTF-8"
        )
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise SheetRejected("file", f"named {suffix} but it is not an Excel workbook")
    if suffix not in ("", ".csv", ".txt"):
        raise SheetRejected("file", f"not a spreadsheet: upload .xlsx or .csv (got {suffix})")
    return "csv", enumerate(_csv_lines(content, limits), start=1)


# --- formats ------------------------------------------------------------------------------------


def _xlsx_lines(content: bytes, limits: SheetLimits) -> Iterator[list[Any]]:
    # Before calamine sees the bytes: its grid spans A1 to the furthest cell, so one far cell or
    # a zip bomb would cost gigabytes (check_xlsx).
    check_xlsx(content, Limits(limits.sheet_rows, limits.columns, limits.unpacked_bytes))
    # calamine (Rust) reads a 10,000-row sheet several times faster than openpyxl. A damaged or
    # foreign zip raises one of many errors: to the user they all mean the same thing.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:
        raise SheetRejected("file", f"not a readable .xlsx workbook ({exc})") from None
    if sheet.start is None:
        raise SheetRejected("file", "the file is empty")
    # calamine's iterator starts at row 1 but at the first column holding something: pad to A,
    # so positions are letters.
    padding = [None] * sheet.start[1]
    try:
        for line in sheet.iter_rows():
            yield padding + line if padding else line
    except Exception as exc:
        raise SheetRejected("file", f"not a readable .xlsx workbook ({exc})") from None


def _csv_lines(content: bytes, limits: SheetLimits) -> Iterator[list[Any]]:
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
    records = csv.reader(_bounded_lines(text, limits.line_chars), delimiter=delimiter)
    try:
        yield from _bounded_records(records, limits)
    except csv.Error as exc:
        raise SheetRejected("file", f"not a readable CSV file ({exc})") from None


def _bounded_lines(text: str, max_chars: int) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > max_chars:
            raise SheetTooLarge(
                "file",
                f"line {number:,} is longer than {max_chars:,} characters: no import line is "
                "that long",
            )
        yield line


def _bounded_records(records: Iterable[list[str]], limits: SheetLimits) -> Iterator[list[str]]:
    """The same bounds as a sheet's: rows (blank ones too) and columns."""
    for number, record in enumerate(records, start=1):
        if number > limits.sheet_rows:
            raise SheetTooLarge(
                "file",
                f"more than {limits.sheet_rows:,} rows, blank ones included: split the file and "
                "import each part",
            )
        if len(record) > limits.columns:
            raise SheetTooLarge(
                "file",
                f"row {number:,} has {len(record):,} columns: an import may use at most "
                f"{limits.columns}",
            )
        yield record


# --- header and rows ----------------------------------------------------------------------------


def data_lines(lines: Iterator[tuple[int, Any]], max_rows: int) -> Iterator[tuple[int, Any]]:
    """The lines holding something, at most `max_rows` of them."""
    count = 0
    for number, line in lines:
        if blank(line):
            continue
        count += 1
        if count > max_rows:
            raise SheetTooLarge(
                "file", f"more than {max_rows:,} data rows: split the file and import each part"
            )
        yield number, line


def blank(line: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in line)


def header_key(text: Any) -> str:
    """Header text compared loosely: full-width folded, case and spacing ignored, and a
    trailing note such as "（必填）" or a required-marker "*" dropped."""
    key = unicodedata.normalize("NFKC", str(text or "")).strip().strip("*").strip()
    key = re.sub(r"\s*\(.*\)$", "", key)
    return re.sub(r"[\s\-]+", "_", key).casefold()


def match_header(
    header: Sequence[Any], columns: Mapping[str, Sequence[str]], required: Sequence[str]
) -> dict[str, int]:
    """Canonical column → its position in the header; a column given twice or a required one
    missing rejects the file (on `file.header`), naming the columns not recognised."""
    aliases = {header_key(alias): column for column, texts in columns.items() for alias in texts}
    positions: dict[str, int] = {}
    unknown = []
    for position, text in enumerate(header):
        column = aliases.get(header_key(text))
        if column is None:
            if text is not None and str(text).strip():
                unknown.append(str(text).strip())
            continue
        if column in positions:
            raise SheetRejected(
                "file.header",
                f"columns {column_letter(positions[column] + 1)} and "
                f"{column_letter(position + 1)} both give {column}",
            )
        positions[column] = position
    missing = [c for c in required if c not in positions]
    if missing:
        named = ", ".join(f"{c} ({'/'.join(columns[c][1:2]) or c})" for c in missing)
        note = f"; columns not recognised: {', '.join(unknown)}" if unknown else ""
        raise SheetRejected("file.header", f"missing required column(s): {named}{note}")
    return positions


def _check_lengths(
    number: int, cells: dict[str, Any], positions: dict[str, int], max_chars: int | None
) -> None:
    if max_chars is None:
        return
    for column, value in cells.items():
        if isinstance(value, str) and len(value) > max_chars:
            raise SheetTooLarge(
                "file",
                f"cell {column_letter(positions[column] + 1)}{number} holds {len(value):,} "
                f"characters, more than the {max_chars:,} a cell of this import may hold",
            )


def column_letter(number: int) -> str:
    """A 1-based column number as its letters (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- cells --------------------------------------------------------------------------------------


def cell_text(raw: Any) -> str:
    """A cell as text: a whole number typed into a number cell loses its ".0"."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def digits_as_text(raw: Any) -> str:
    """Text typed to keep digits, in the ways spreadsheets let people force it: a leading
    apostrophe, or the CSV formula form ="..."."""
    text = cell_text(raw)
    quoted = re.fullmatch(r'="(.*)"', text)
    if quoted:
        text = quoted.group(1)
    return text.removeprefix("'").strip()


# --- the .xlsx guard ----------------------------------------------------------------------------

MAX_PARTS = 1_000  # a workbook from Excel, WPS or LibreOffice has 10 to 50
# Spreadsheet XML deflates 5 to 20 times; a part past 1 MiB compressed further is a zip bomb.
MAX_RATIO = 100
RATIO_FROM_BYTES = 2**20
MAX_DEPTH = 64  # worksheet XML nests about 6 deep
_CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_LOCAL_HEADER = b"PK\x03\x04"
_MAX_ENTRY_BYTES = 512  # one directory entry: 46 bytes and the part's name

# Parts calamine could read cells or shared strings from, in the encodings its reader decodes.
_MARKERS = re.compile(
    b"|".join(
        re.escape(text.encode(encoding))
        for text in ("sheetData", "<sst", ":sst")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )
)
_MARKER_OVERLAP = 2 * len("sheetData")
_REFERENCE = re.compile(r"([A-Za-z]*)([0-9]*)")
_FAR = 1 << 32
_WATCHED = frozenset({"c", "row", "sheetData", "dimension", "sst", "si"})
_COUNT = re.compile(r"\s*\+?([0-9]{1,19})\s*")


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    unpacked_bytes: int = MAX_UNPACKED_BYTES
    cells: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", self.rows * self.columns)

    def describe(self) -> str:
        return (
            f"an import may use rows 1 to {self.rows:,} and columns A to "
            f"{column_letter(self.columns)} ({self.columns})"
        )


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Raise SheetTooLarge or SheetRejected unless every part of the workbook is within limits."""
    _check_part_count(content)
    try:
        infos = zipfile.ZipFile(BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _unreadable(str(exc)) from None
    _check_directory(infos, limits.unpacked_bytes)
    for info in infos:
        if not _surveyed_within(info.filename, _unpacked(content, info), limits):
            _scan_part(info.filename, _unpacked(content, info), limits)


# --- the zip ------------------------------------------------------------------------------------


def _check_part_count(content: bytes) -> None:
    # From the end-of-directory record, before zipfile builds one object per entry it finds in
    # the directory's bytes: both the count and the directory's size are bounded.
    at = len(content) - 22
    if content[at : at + 4] != _EOCD:
        at = content.rfind(_EOCD, max(0, len(content) - 22 - 0xFFFF))
    if at < 0 or len(content) < at + 22:
        raise _unreadable("no zip directory")
    if at >= 20 and content[at - 20 : at - 16] == _ZIP64_LOCATOR:
        raise _unreadable("a zip64 archive, which no spreadsheet of this size needs")
    entries, directory_size = struct.unpack_from("<HI", content, at + 10)
    if entries > MAX_PARTS or directory_size > MAX_PARTS * _MAX_ENTRY_BYTES:
        raise _too_many_parts()


def _check_directory(infos: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    if len(infos) > MAX_PARTS:
        raise _too_many_parts()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SheetRejected(
                "file", "the workbook is encrypted: remove its password, save and upload again"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unreadable(f"{info.filename} uses an unsupported compression")
        total += info.file_size
        if total > max_unpacked:
            raise SheetTooLarge(
                "file",
                f"the workbook unpacks to more than {max_unpacked // 2**20} MiB, more than "
                "an import needs: refused (a zip bomb?)",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise SheetTooLarge(
                "file",
                f"{info.filename} unpacks {ratio:,.0f} times its packed size "
                f"({info.file_size / 2**20:,.0f} MiB from {info.compress_size / 2**10:,.0f} KiB), "
                f"far beyond the {MAX_RATIO} times of spreadsheet data: refused as a zip bomb",
            )


def _unpacked(content: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in pieces, failing as soon as they pass the size it declares."""
    at = info.header_offset
    if content[at : at + 4] != _LOCAL_HEADER or len(content) < at + 30:
        raise _unreadable(f"{info.filename} is damaged")
    name_length, extra_length = struct.unpack_from("<HH", content, at + 26)
    start = at + 30 + name_length + extra_length
    packed = memoryview(content)[start : start + info.compress_size]
    if len(packed) != info.compress_size:
        raise _unreadable(f"{info.filename} is cut short")
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _lying(info)
        for offset in range(0, len(packed), _CHUNK):
            yield bytes(packed[offset : offset + _CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left = info.file_size
    offset = 0
    pending: bytes | memoryview = b""
    try:
        while not inflater.eof:
            if not pending and offset < len(packed):
                pending = packed[offset : offset + _CHUNK]
                offset += _CHUNK
            piece = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not piece and not pending and offset >= len(packed):
                break  # the packed data ends before the deflate stream does
            if len(piece) > left:
                raise _lying(info)
            left -= len(piece)
            if piece:
                yield piece
    except zlib.error as exc:
        raise _unreadable(f"{info.filename} is damaged ({exc})") from None
    if not inflater.eof or left:
        raise _unreadable(f"{info.filename} is damaged")


def _too_many_parts() -> SheetTooLarge:
    return SheetTooLarge(
        "file", f"the workbook has more than {MAX_PARTS:,} parts: not an import spreadsheet"
    )


def _lying(info: zipfile.ZipInfo) -> SheetTooLarge:
    return SheetTooLarge(
        "file",
        f"{info.filename} unpacks to more than the {info.file_size:,} bytes its zip entry "
        "declares: refused as a zip bomb",
    )


def _unreadable(why: str) -> SheetRejected:
    return SheetRejected("file", f"not a readable .xlsx workbook ({why})")


# --- the XML of one part ------------------------------------------------------------------------


class _Malformed(Exception):
    pass


class _Feed:
    """One part's bytes into expat, noting whether calamine could read cells or strings from it
    (it names sheetData or a strings table) and whether expat followed it to its end. expat keeps
    a tag whole until it ends, so one of megabytes is not fed to it: the part fails there."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.marked = False
        self.failure: str | None = None
        self._tail = b""
        self._open_tag = -1  # bytes since a "<" not yet followed by ">", or -1

    def __call__(self, piece: bytes) -> None:
        if not self.marked:
            window = self._tail + piece
            self.marked = _MARKERS.search(window) is not None
            self._tail = window[-_MARKER_OVERLAP:]
        if self.failure is not None:
            return
        opened, closed = piece.rfind(b"<"), piece.rfind(b">")
        if opened > closed:
            self._open_tag = len(piece) - opened
        elif closed >= 0:
            self._open_tag = -1
        elif self._open_tag >= 0:
            self._open_tag += len(piece)
        if self._open_tag > _MAX_TAG_BYTES:
            self.failure = f"a tag or comment longer than {_MAX_TAG_BYTES // 1024} KiB"
            return
        self.failure = _parse(self.parser, piece, final=False)

    def followed(self, part: str) -> bool:
        """Whether expat read the part to its end; a part calamine may read cells or strings
        from must be one (its reader is more lenient: cells could hide behind what stops expat)."""
        if self.failure is None:
            self.failure = _parse(self.parser, b"", final=True)
        if self.marked and self.failure is not None:
            raise _unreadable(f"{part} is not well-formed XML: {self.failure}")
        return self.failure is None


# The quick pass finds tags by their bytes, which may find more than the XML holds (in comments
# or CDATA) but never less. It takes the form every spreadsheet program writes, <c r="B7" ...>,
# and leaves anything else (a prefix, a cell without r, UTF-16) to the exact pass.
_TAG_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_CELL_TAGS = tuple(b"<c" + end for end in _TAG_ENDS)
_STRING_TAGS = tuple(b"<si" + end for end in _TAG_ENDS)
_STRINGS_TABLE_TAGS = tuple(b"<sst" + end for end in _TAG_ENDS)
_PLACED_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_PLACED_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_PREFIXED = re.compile(rb":(?:c|si|sst|dimension)[\s/>]")
_DIMENSION = re.compile(rb"<dimension\s(?:[^>]*?\s)?ref\s*=\s*[\"']([^\"']*)[\"']")
_COUNTED_STRINGS = re.compile(rb"<sst\s(?:[^>]*?\s)?uniqueCount\s*=\s*[\"']([^\"']*)[\"']")
_MAX_TAG_BYTES = 64 * 1024


def _surveyed_within(part: str, pieces: Iterator[bytes], limits: Limits) -> bool:
    """The quick pass over a part: expat without callbacks checks it is well-formed, byte
    searches find its cell references. True when that proves the part harmless (not a sheet or
    a strings table, or every cell has a reference within the limits); False when only the
    exact pass can tell, as for a cell placed without a reference or an empty one far away."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    feed = _Feed(parser)
    carry = b""
    plain = True  # ASCII-compatible, no prefixed names, no tag longer than _MAX_TAG_BYTES
    cells = placed = tables = counted_tables = strings = declared = max_row = 0
    letters: set[bytes] = set()

    def survey(body: bytes) -> None:
        nonlocal cells, placed, tables, counted_tables, strings, declared, max_row
        if b"<dimension" in body:
            for ref in _DIMENSION.findall(body):
                _check_declared_extent(ref.decode("ascii", "replace"), limits)
        cells += sum(body.count(tag) for tag in _CELL_TAGS)
        rows = _PLACED_ROW.findall(body)
        if rows:
            placed += len(rows)
            max_row = max(max_row, *map(int, rows))
            letters.update(_PLACED_COLUMN.findall(body))
        if b"<sst" in body:
            tables += sum(body.count(tag) for tag in _STRINGS_TABLE_TAGS)
            for count in _COUNTED_STRINGS.findall(body):
                counted_tables += 1
                found = _COUNT.fullmatch(count.decode("ascii", "replace"))
                declared = max(declared, int(found.group(1)) if found else 0)
        strings += sum(body.count(tag) for tag in _STRING_TAGS)

    for piece in pieces:
        feed(piece)
        if not plain:
            continue
        text = carry + piece
        cut = text.rfind(b"<")  # a tag before the last "<" is whole: none holds a "<"
        body, carry = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        if b"\x00" in piece or len(carry) > _MAX_TAG_BYTES or _PREFIXED.search(text):
            plain = False  # UTF-16 or 32, a prefix, a tag too long: the exact pass reads it
            continue
        survey(body)
    if plain:
        survey(carry)
    if not feed.followed(part) or not feed.marked:
        return True  # nothing calamine reads cells or strings from
    max_column = max((_column(c.decode("ascii")) + 1 for c in letters), default=0)
    return (
        plain
        and cells == placed
        and cells <= limits.cells
        and max_row <= limits.rows
        and max_column <= limits.columns
        and tables == counted_tables
        and declared <= limits.cells
        and strings <= limits.cells
    )


def _refuse_dtd(*_: Any) -> None:
    raise _Malformed("a document type declaration")


# An open <row> or <c>: [kind, row counter before, column counter before, inside a <c>, the
# cell's row, the cell's column, has a child element (for a cell: a value)].
_KIND, _ROW_BEFORE, _COLUMN_BEFORE, _NESTED, _AT_ROW, _AT_COLUMN, _FILLED = range(7)


def _scan_part(part: str, pieces: Iterator[bytes], limits: Limits) -> None:
    """Stream one part through expat, refusing it as soon as it is past the limits.

    calamine's counters: <row r> sets the row, </row> adds one and sets the column to 0; <c r>
    sets the column, </c> adds one; a <c> without r lands on the counters. It skips an empty
    element (<row/>, <c/>) entirely, and may skip what lies inside a <c>; expat cannot tell
    <row/> from <row></row>, so where either outcome is possible the larger is kept: `row` and
    `column` here are upper bounds of calamine's counters, exact for ordinary sheets.
    """
    parser = expat.ParserCreate()  # no namespaces: names keep their prefix, as calamine reads
    depth = 0
    in_sheet_data = in_strings = False
    cells_open = cells = strings = 0
    row = column = 0
    stack: list[list[Any]] = []
    max_rows, max_columns, max_cells = limits.rows, limits.columns, limits.cells

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, in_sheet_data, in_strings, cells_open, strings, row, column
        depth += 1
        if depth > MAX_DEPTH:
            raise _Malformed(f"elements nested more than {MAX_DEPTH} deep")
        if stack:
            stack[-1][_FILLED] = True
        local = name.rpartition(":")[2] if ":" in name else name
        if local not in _WATCHED:
            return
        if in_sheet_data and local == "c":
            nested = cells_open > 0
            at_row, at_column = _reference(attrs.get("r")) or (None, None)
            if at_row is None or at_row < 0:
                at_row = row  # calamine fails on such a reference; assume the furthest reading
            if at_column is None:
                at_column = column
            else:
                column = max(column, at_column) if nested else at_column
            stack.append(["c", row, column, nested, at_row, at_column, False])
            cells_open += 1
        elif in_sheet_data and local == "row":
            nested = cells_open > 0
            stack.append(["row", row, column, nested, 0, 0, False])
            at_row = (_reference(attrs.get("r")) or (None, None))[0]
            if at_row is not None and at_row >= 0:
                row = max(row, at_row) if nested else at_row
        elif local == "sheetData":
            # calamine reads cells from the first sheetData on; every later one is read here.
            in_sheet_data = True
        elif local == "dimension" and not in_sheet_data:
            _check_declared_extent(attrs.get("ref"), limits)
        elif local == "sst":
            in_strings = True
            found = _COUNT.fullmatch(attrs.get("uniqueCount") or "")
            if found and int(found.group(1)) > max_cells:
                raise _too_many_strings(f"declares {int(found.group(1)):,}", limits)
        elif local == "si" and in_strings:
            strings += 1
            if strings > max_cells:
                raise _too_many_strings(f"holds more than {max_cells:,}", limits)

    def end(name: str) -> None:
        nonlocal depth, cells_open, cells, row, column
        depth -= 1
        if not stack:
            return
        top = stack[-1]
        if (name.rpartition(":")[2] if ":" in name else name) != top[_KIND]:
            return
        stack.pop()
        certain = top[_FILLED] and not top[_NESTED]  # calamine surely saw its start and end
        if top[_KIND] == "row":
            if certain:
                row, column = row + 1, 0
            else:
                row = max(top[_ROW_BEFORE], row + 1)
            return
        cells_open -= 1
        if top[_FILLED]:
            if top[_AT_ROW] >= max_rows or top[_AT_COLUMN] >= max_columns:
                raise _cell_too_far(top[_AT_ROW], top[_AT_COLUMN], limits)
            cells += 1
            if cells > max_cells:
                raise SheetTooLarge(
                    "file", f"the sheet holds more than {max_cells:,} cells with content"
                )
        column = column + 1 if certain else max(top[_COLUMN_BEFORE], column + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd

    feed = _Feed(parser)
    for piece in pieces:
        feed(piece)
    feed.followed(part)


def _parse(parser: Any, piece: bytes, *, final: bool) -> str | None:
    try:
        parser.Parse(piece, final)
    except (expat.ExpatError, _Malformed) as exc:
        return str(exc)
    return None


def _cell_too_far(row: int, column: int, limits: Limits) -> SheetTooLarge:
    return SheetTooLarge(
        "file",
        f"the sheet has a cell at {_label(row, column)}, beyond row {limits.rows:,} or column "
        f"{column_letter(limits.columns)}: {limits.describe()}. Delete the rows and columns "
        "past your data (or copy the data into a new workbook) and upload it again",
    )


def _check_declared_extent(ref: str | None, limits: Limits) -> None:
    end = _reference((ref or "").rpartition(":")[2])
    if end is None:
        return
    row, column = end
    if (row or 0) >= limits.rows or (column or 0) >= limits.columns:
        raise SheetTooLarge(
            "file",
            f"the sheet declares its used range as {(ref or '')[:40]}, reaching "
            f"{_label(row or 0, column or 0)}: {limits.describe()}. Delete the rows and columns "
            "past your data (or copy the data into a new workbook) and upload it again",
        )


def _too_many_strings(what: str, limits: Limits) -> SheetTooLarge:
    return SheetTooLarge(
        "file",
        f"the workbook's shared strings table {what} strings, more than the "
        f"{limits.cells:,} cells an import sheet can hold",
    )


def _reference(ref: str | None) -> tuple[int | None, int | None] | None:
    """A reference such as CV100000 as 0-based (row, column), each None where it is missing;
    None where calamine fails on it (it takes letters, then digits, nothing else). Past what its
    32-bit counters hold counts as far away."""
    found = _REFERENCE.fullmatch(ref or "")
    if found is None:
        return None
    letters, digits = found.groups()
    row = (int(digits) - 1 if len(digits) <= 10 else _FAR) if digits else None
    return row, _column(letters) if letters else None


@lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    if len(letters) > 7:
        return _FAR
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column - 1


def _label(row: int, column: int) -> str:
    if column < 16_384 and row < _FAR:
        return f"{column_letter(column + 1)}{row + 1}"
    return f"row {row + 1:,}, column {column + 1:,}"
