"""Workbooks written part by part, as no spreadsheet program would write them: the minimal
package around one worksheet, for the tests that hand the import guard hostile files."""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"

# The package around one worksheet (and a shared-strings table, if a test adds one), as any
# spreadsheet program reads it.
PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def text_cell(text: str, ref: str | None = None) -> str:
    """An inline-string cell; without `ref` it lands on the next column of its row."""
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'


def worksheet(rows: str, *, before: str = "", xml_decl: bool = True) -> str:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>' if xml_decl else ""
    return (
        f'{declaration}<worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData></worksheet>'
    )


def package(book: zipfile.ZipFile) -> None:
    """Write the package's parts, all but the worksheet, into `book`."""
    for name, text in PACKAGE.items():
        book.writestr(name, text)


def hand_built(sheet: str | bytes, **parts: str | bytes) -> bytes:
    """An .xlsx zip written part by part; `parts` adds or replaces any (path with / as __)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        package(book)
        book.writestr(SHEET, sheet)
        for name, text in parts.items():
            book.writestr(name.replace("__", "/"), text)
    return out.getvalue()
