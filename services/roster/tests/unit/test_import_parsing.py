"""Reading import files: both formats built in memory, headers in English and Chinese, the date
forms people type, ID numbers Excel mangled, and whole-file faults."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from roster.imports.parsing import MAX_DATA_ROWS, SheetRejected, SheetTooLarge, read_sheet
from union_shared.events.catalogue import Education, Qualification

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
