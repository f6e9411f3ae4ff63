"""Reading import files: both formats built in memory, headers in English and Chinese, the date
forms people type, ID numbers Excel mangled, and whole-file faults."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from roster.imports import xlsx_guard
from roster.imports.parsing import (
    MAX_DATA_ROWS,
    MAX_SHEET_ROWS,
    SheetRejected,
    SheetTooLarge,
    read_sheet,
)
from union_shared.events.catalogue import Education, Qualification

from ..hand_built_xlsx import MAIN, hand_built, text_cell, worksheet

ID = "12010319900517123X"  # shape only: the check character is the register's business
ENGLISH = [
    "name",
    "resident_id",
    "phone",
    "education",
    "major",
    "qualification",
    "unit_id",
    "hire_date",
]
CHINESE = ["姓名", "公民身份号码", "联系电话", "学历", "专业", "职业资格", "单位编号", "入职日期"]


def xlsx(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(*rows: list) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def utf8(text: str, *, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def row(**overrides) -> list:
    values = {
        "name": "张伟",
        "resident_id": ID,
        "phone": "13800138000",
        "education": "bachelor",
        "major": "社会工作",
        "qualification": "social_worker",
        "unit_id": "u-1",
        "hire_date": "2024-03-01",
        **overrides,
    }
    return [values[c] for c in ENGLISH]


def test_xlsx_with_english_headers():
    sheet = read_sheet(xlsx(ENGLISH, row(), row(name="王芳", education="master")), "staff.xlsx")
    assert sheet.columns == tuple(ENGLISH)
    assert [r.number for r in sheet.rows] == [2, 3]
    first = sheet.rows[0]
    assert first.problems == {}
    assert first.values == {
        "name": "张伟",
        "resident_id": ID,
        "phone": "13800138000",
        "education": Education.BACHELOR,
        "major": "社会工作",
        "qualification": Qualification.SOCIAL_WORKER,
        "unit_id": "u-1",
        "hire_date": date(2024, 3, 1),
    }
    assert sheet.rows[1].values["education"] is Education.MASTER


def test_csv_with_chinese_headers_and_values_with_and_without_bom():
    text = (
        ",".join([*CHINESE, "工龄起算日"])
        + "\n张伟,12010319900517123x,13800138000,硕士,社会工作,助理社会工作师,u-1,2024年3月1日,2019/9/1\n"
    )
    for content in (utf8(text), utf8(text, bom=True)):
        sheet = read_sheet(content, "花名册.csv")
        assert sheet.columns == (*ENGLISH, "seniority_start")
        (only,) = sheet.rows
        assert only.problems == {}
        assert only.values["resident_id"] == ID  # lower-case x read as X
        assert only.values["education"] is Education.MASTER
        assert only.values["qualification"] is Qualification.ASSISTANT
        assert only.values["hire_date"] == date(2024, 3, 1)
        assert only.values["seniority_start"] == date(2019, 9, 1)


def test_other_chinese_header_names_and_header_notes():
    header = ["姓名*", "身份证号（必填）", "手机号", "学历", "专业", "资格", "单位编号", "入职日期"]
    sheet = read_sheet(xlsx(header, row()), "x.xlsx")
    assert sheet.columns == tuple(ENGLISH)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/3/1", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        (datetime(2024, 3, 1), date(2024, 3, 1)),  # a date-formatted Excel cell
        (45352, date(2024, 3, 1)),  # an Excel serial in a cell left as General
    ],
)
def test_date_forms(cell, expected):
    sheet = read_sheet(xlsx(ENGLISH, row(hire_date=cell)), "x.xlsx")
    assert sheet.rows[0].values["hire_date"] == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("3/1/2024", "not a date"),
        ("2024-02-30", "not a calendar date"),
        (2024, "not a date"),
        ("next monday", "not a date"),
    ],
)
def test_bad_dates_are_cell_problems(cell, reason):
    sheet = read_sheet(xlsx(ENGLISH, row(hire_date=cell)), "x.xlsx")
    assert reason in sheet.rows[0].problems["hire_date"]
    assert "hire_date" not in sheet.rows[0].values


@pytest.mark.parametrize("cell", [120103199005171234, 1.20103199005171e17])
def test_an_id_number_excel_stored_as_a_number_is_refused(cell):
    sheet = read_sheet(xlsx(ENGLISH, row(resident_id=cell)), "x.xlsx")
    reason = sheet.rows[0].problems["resident_id"]
    assert "stored this ID number as a number" in reason
    assert "format the column as Text" in reason


def test_an_id_number_in_scientific_notation_in_a_csv_is_refused():
    content = csv_bytes(ENGLISH, row(resident_id="1.20103E+17"))
    reason = read_sheet(content, "x.csv").rows[0].problems["resident_id"]
    assert "turned this ID number into a number (1.20103E+17)" in reason


def test_an_id_number_forced_to_text_is_read():
    for cell in (f"'{ID}", f'="{ID}"', f" {ID[:6]} {ID[6:14]} {ID[14:]} "):
        sheet = read_sheet(csv_bytes(ENGLISH, row(resident_id=cell)), "x.csv")
        assert sheet.rows[0].values["resident_id"] == ID


def test_phone_numbers_typed_as_numbers_keep_their_digits():
    sheet = read_sheet(xlsx(ENGLISH, row(phone=13800138000)), "x.xlsx")
    assert sheet.rows[0].values["phone"] == "13800138000"


def test_unknown_choices_and_blank_required_cells_are_cell_problems():
    content = csv_bytes(ENGLISH, row(education="小学", qualification="大师", name="", unit_id=" "))
    problems = read_sheet(content, "x.csv").rows[0].problems
    assert "'小学' is not one of" in problems["education"]
    assert "本科" in problems["education"]
    assert "'大师' is not one of" in problems["qualification"]
    assert problems["name"] == problems["unit_id"] == "required"


def test_blank_optional_cells_are_absent():
    content = csv_bytes(ENGLISH, row(phone="", major="", qualification=""))
    sheet = read_sheet(content, "x.csv")
    assert sheet.rows[0].problems == {}
    assert not {"phone", "major", "qualification"} & sheet.rows[0].values.keys()


def test_row_numbers_are_the_spreadsheet_rows_blank_rows_skipped():
    sheet = read_sheet(xlsx([], ENGLISH, row(), [None] * 8, row(), []), "x.xlsx")
    assert [r.number for r in sheet.rows] == [3, 5]


def test_unknown_columns_are_ignored():
    sheet = read_sheet(xlsx(["序号", *ENGLISH, "备注"], [1, *row(), "x"]), "x.xlsx")
    assert sheet.rows[0].values["name"] == "张伟"


def test_a_missing_required_column_is_named():
    header = [h for h in CHINESE if h != "单位编号"]
    body = [v for c, v in zip(ENGLISH, row(), strict=True) if c != "unit_id"]
    with pytest.raises(SheetRejected) as refused:
        read_sheet(xlsx([*header, "单位"], body), "x.xlsx")
    assert refused.value.field == "file.header"
    assert "missing required column(s): unit_id (单位编号)" in refused.value.reason
    assert "not recognised: 单位" in refused.value.reason


def test_a_column_given_twice_is_refused():
    with pytest.raises(SheetRejected, match="columns B and I both give resident_id"):
        read_sheet(xlsx([*ENGLISH, "身份证号"], [*row(), ID]), "x.xlsx")


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "x.csv", "the file is empty"),
        (b"\xef\xbb\xbf\n\n", "x.csv", "the file is empty"),
        (b"%PDF-1.7 \x00\x01", "x.pdf", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "x.xls", "old binary .xls"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "not a readable .xlsx workbook"),
        (b"name,resident_id\n", "x.xlsx", "not an Excel workbook"),
        ("姓名,身份证号\n".encode("gbk"), "x.csv", "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "x.csv", "not a spreadsheet"),
    ],
)
def test_files_that_are_not_import_spreadsheets(content, name, reason):
    with pytest.raises(SheetRejected) as refused:
        read_sheet(content, name)
    assert reason in refused.value.reason


def test_a_header_without_rows_is_refused():
    with pytest.raises(SheetRejected, match="no data rows"):
        read_sheet(csv_bytes(ENGLISH), "x.csv")


def test_the_format_is_sniffed_from_the_content_when_the_name_says_nothing():
    assert read_sheet(xlsx(ENGLISH, row()), "upload").rows[0].values["name"] == "张伟"
    assert read_sheet(csv_bytes(ENGLISH, row()), None).rows[0].values["name"] == "张伟"


def test_more_than_the_row_limit_is_too_large():
    body = "\n".join(",".join(row()) for _ in range(MAX_DATA_ROWS + 1))
    content = utf8(",".join(ENGLISH) + "\n" + body)
    with pytest.raises(SheetTooLarge, match="more than 20,000 data rows"):
        read_sheet(content, "x.csv")
    exactly = utf8(",".join(ENGLISH) + "\n" + body.split("\n", 1)[1])
    assert len(read_sheet(exactly, "x.csv").rows) == MAX_DATA_ROWS


# --- hostile files: written by hand, as no spreadsheet program would -----------------------------


def header_row(at_row: int = 1, first_column: str = "A") -> str:
    start = ord(first_column)
    cells = "".join(text_cell(c, f"{chr(start + i)}{at_row}") for i, c in enumerate(ENGLISH))
    return f'<row r="{at_row}">{cells}</row>'


def data_row(at_row: int, first_column: str = "A", **overrides) -> str:
    start = ord(first_column)
    values = row(**overrides)
    cells = "".join(text_cell(v, f"{chr(start + i)}{at_row}") for i, v in enumerate(values))
    return f'<row r="{at_row}">{cells}</row>'


def test_a_hand_built_sheet_reads_like_any_other():
    sheet = read_sheet(hand_built(worksheet(header_row() + data_row(2))), "x.xlsx")
    assert [r.number for r in sheet.rows] == [2]
    assert sheet.rows[0].values["resident_id"] == ID


def test_a_sheet_starting_away_from_a1_keeps_its_row_numbers_and_column_letters():
    moved = worksheet(header_row(3, "C") + data_row(5, "C"))
    assert [r.number for r in read_sheet(hand_built(moved), "x.xlsx").rows] == [5]
    twice = worksheet(
        header_row(3, "C").replace("</row>", text_cell("身份证号", "K3") + "</row>")
        + data_row(4, "C")
    )
    with pytest.raises(SheetRejected, match="columns D and K both give resident_id"):
        read_sheet(hand_built(twice), "x.xlsx")


def test_a_sheet_reaching_exactly_the_limits_is_read():
    corner = f'<row r="{MAX_SHEET_ROWS}">{text_cell("note", f"AX{MAX_SHEET_ROWS}")}</row>'
    content = hand_built(worksheet(header_row() + data_row(2) + corner, before=DIMENSION_AT_LIMIT))
    assert [r.number for r in read_sheet(content, "x.xlsx").rows] == [2, MAX_SHEET_ROWS]


DIMENSION_AT_LIMIT = f'<dimension ref="A1:AX{MAX_SHEET_ROWS}"/>'
ONE = text_cell("x")  # a cell without a reference: it lands on the next column of its row
FAR = {
    "a reference": (f'<row r="100000">{text_cell("x", "CV100000")}</row>', "a cell at CV100000"),
    "the last cell": (f'<row r="1048576">{text_cell("x", "XFD1048576")}</row>', "XFD1048576"),
    "lower case": (f'<row r="2">{text_cell("x", "xfd2")}</row>', "a cell at XFD2"),
    "a row reference": (f'<row r="100000">{ONE}</row>', "a cell at A100000"),
    "no references": (f"<row>{ONE * 60}</row>", "a cell at AY2"),
    "empty rows between": (f'<row r="2">{ONE * 45}<row/>{ONE * 10}</row>', "a cell at AY"),
    "an empty row with a reference": (
        f'<row r="20999"></row><row r="21000"/><row>{ONE}</row><row/><row>{ONE}</row>',
        "a cell at A21001",
    ),
    "a cell inside a cell": (
        f'<row r="2"><c r="A2" t="inlineStr"><is>{text_cell("x", "CV100000")}</is></c></row>',
        "a cell at CV100000",
    ),
    "a second sheetData": (
        f'</sheetData><sheetData/><sheetData><row r="100000">{text_cell("x", "CV100000")}</row>',
        "a cell at CV100000",
    ),
    "a reference past 32 bits": (
        f'<row r="2">{text_cell("x", "A4294967297")}</row>',
        "a cell at row 4,294,967,297, column 1",
    ),
}


@pytest.mark.parametrize(("rows", "reason"), FAR.values(), ids=FAR.keys())
def test_a_cell_beyond_the_limits_is_refused_however_it_is_placed(rows, reason):
    content = hand_built(worksheet(header_row() + rows))
    assert len(content) < 4000
    with pytest.raises(SheetTooLarge) as refused:
        read_sheet(content, "x.xlsx")
    assert refused.value.field == "file"
    assert reason in refused.value.reason
    assert "an import may use rows 1 to 21,000 and columns A to AX (50)" in refused.value.reason


def test_a_far_cell_under_a_namespace_prefix_or_in_utf16_is_refused():
    prefixed = worksheet(header_row() + '<row r="9"><x:c r="CV100000"><x:v>1</x:v></x:c></row>')
    prefixed = prefixed.replace(f'xmlns="{MAIN}"', f'xmlns="{MAIN}" xmlns:x="{MAIN}"')
    with pytest.raises(SheetTooLarge, match="a cell at CV100000"):
        read_sheet(hand_built(prefixed), "x.xlsx")
    far = worksheet(header_row() + FAR["a reference"][0], xml_decl=False)
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16") + far.encode("utf-16-le")
    with pytest.raises(SheetTooLarge, match="a cell at CV100000"):
        read_sheet(hand_built(utf16), "x.xlsx")


def test_an_empty_styled_cell_far_away_holds_nothing_and_is_no_reason_to_refuse():
    styled = '<row r="100000"><c r="CV100000" s="1"/></row>'
    content = hand_built(worksheet(header_row() + data_row(2) + styled))
    assert [r.number for r in read_sheet(content, "x.xlsx").rows] == [2]


def test_a_declared_used_range_past_the_limits_is_refused():
    content = hand_built(
        worksheet(header_row() + data_row(2), before='<dimension ref="A1:XFD1048576"/>')
    )
    with pytest.raises(SheetTooLarge, match="declares its used range as A1:XFD1048576"):
        read_sheet(content, "x.xlsx")


@pytest.mark.parametrize(
    ("sheet", "reason"),
    [
        (worksheet(header_row() + "&bogus;" + FAR["a reference"][0]), "undefined entity"),
        (worksheet(header_row()) + "<trailing/>", "junk after document element"),
        ("x" + worksheet(header_row()), "not well-formed (invalid token)"),
        ('<!DOCTYPE w [<!ENTITY a "b">]>' + worksheet(header_row()), "document type"),
    ],
    ids=["undefined-entity", "trailing-element", "junk-before", "doctype"],
)
def test_a_sheet_expat_cannot_follow_is_refused(sheet, reason):
    # calamine's reader is more lenient: it would read on and find the cells hidden behind.
    with pytest.raises(SheetRejected) as refused:
        read_sheet(hand_built(sheet), "x.xlsx")
    assert "is not well-formed XML" in refused.value.reason
    assert reason in refused.value.reason


def test_a_shared_strings_table_declaring_too_many_strings_is_refused():
    # calamine reserved room for all of them up front, and aborted on 10**14.
    table = f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="100000000000000">'
    table += "<si><t>name</t></si></sst>"
    content = hand_built(worksheet(header_row() + data_row(2)), **{"xl__sharedStrings.xml": table})
    with pytest.raises(SheetTooLarge, match="declares 100,000,000,000,000 strings"):
        read_sheet(content, "x.xlsx")


def _sized(content: bytes, member: str, declared: int) -> bytes:
    """The zip with `member`'s uncompressed size rewritten in its local and central headers."""
    data = bytearray(content)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def test_a_part_unpacking_past_the_size_its_zip_entry_declares_is_refused():
    padded = worksheet(header_row() + " " * 2_000_000 + data_row(2))
    content = _sized(hand_built(padded), "xl/worksheets/sheet1.xml", 10_000)
    with pytest.raises(SheetTooLarge, match="unpacks to more than the 10,000 bytes its zip entry"):
        read_sheet(content, "x.xlsx")


def test_a_part_compressed_like_a_zip_bomb_is_refused():
    bomb = hand_built(worksheet(header_row() + " " * (8 * 2**20)))
    assert len(bomb) < 64 * 1024
    with pytest.raises(SheetTooLarge, match="refused as a zip bomb"):
        read_sheet(bomb, "x.xlsx")


def test_a_workbook_unpacking_past_the_total_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_UNPACKED_BYTES", 4096)
    with pytest.raises(SheetTooLarge, match="unpacks to more than 0 MiB"):
        read_sheet(hand_built(worksheet(header_row() + data_row(2) * 10)), "x.xlsx")


def test_a_workbook_of_too_many_parts_is_refused_before_its_directory_is_read():
    parts = {f"xl__media__{i}.png": b"" for i in range(1_001)}
    with pytest.raises(SheetTooLarge, match="more than 1,000 parts"):
        read_sheet(hand_built(worksheet(header_row()), **parts), "x.xlsx")


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ("x" * 20_000 + "\n", "line 3 is longer than 16,384 characters"),
        ("\n" * MAX_SHEET_ROWS, "more than 21,000 rows, blank ones included"),
        ("," * 50 + "\n", "row 3 has 51 columns: an import may use at most 50"),
    ],
    ids=["long-line", "many-blank-rows", "many-columns"],
)
def test_a_csv_of_absurd_shape_is_too_large(tail, reason):
    content = utf8(",".join(ENGLISH) + "\n" + ",".join(row()) + "\n" + tail)
    with pytest.raises(SheetTooLarge) as refused:
        read_sheet(content, "x.csv")
    assert refused.value.field == "file"
    assert reason in refused.value.reason
