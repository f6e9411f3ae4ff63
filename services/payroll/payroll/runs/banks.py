"""Bank transfer file layouts: a small registry, layout name → writer. Pure: no I/O here; the
export streams a locked run's transfers through a layout into a file.

`generic-csv` is the platform's own CSV: a header row, one transfer per row, UTF-8 with a BOM
so Excel in a Chinese locale opens it as it is.

`icbc-payroll` is the salary batch (代发工资) upload file of ICBC's corporate online banking
(中国工商银行企业网上银行, 付款业务 → 代发工资 → 上传工资文件). Source: ICBC's published
how-to for the service as reproduced in public guides (https://g230.com/228000654.html,
"一、发工资操作流程"; https://henanxw.com/jinrong/eb7e66acabf20e71cf06ddf019a238ce.html):
the company first defines the file's format once (上传工资文件格式定义), giving each item its
column number; the file is plain text (TXT, not a spreadsheet), one record a line, the items in
the defined order separated by commas, with the header row and the total row removed
(去掉表头, 去掉合计数); every record carries the card number (卡号), the holder's name (姓名,
checked by the bank against the account) and the amount (金额); before signing, the officer
checks the batch's total amount and count (核对总金额和笔数) on the bank's screen. The guide's
own example definition is the one used here: 1 序号 (record number), 2 卡号, 3 姓名, 4 金额,
5 备注 (remark). The file has no header or trailer line, so its count and total travel beside it
(the export's X-Record-Count and X-Total-Amount headers) for that check. Encoded GBK, the
Chinese Windows text encoding the bank's tools read, with CRLF line ends; amounts in yuan with
exactly two decimals and no separators.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import BinaryIO

CRLF = "\r\n"


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payslip's net pay to one account."""

    worker_id: str
    account: str
    name: str | None  # the account holder's name (户名), when the pay profile gives it
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Batch:
    """What a file's header or trailer may state about its transfers, known before writing."""

    run_id: str
    period: str
    count: int
    total: Decimal


@dataclass(frozen=True, slots=True)
class BankLayout:
    name: str
    title: str  # the bank and file, for the OpenAPI description
    media_type: str
    extension: str
    encoding: str  # a Python codec; an incremental encoder writes a BOM once, if it has one
    names_payees: bool  # every record needs the account holder's name
    header: Callable[[Batch], list[str]]
    record: Callable[[int, Transfer, Batch], str]  # the record's number counts from 1
    trailer: Callable[[Batch], list[str]]
    newline: str = CRLF


def money(amount: Decimal) -> str:
    """Yuan with exactly two decimals, no separators (the amount is already to the fen)."""
    return f"{amount:.2f}"


def reference(batch: Batch) -> str:
    return f"工资 {batch.period} {batch.run_id}"


def _csv(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


GENERIC_CSV = BankLayout(
    name="generic-csv",
    title="The platform's CSV: worker_id, bank_account, amount, currency, reference (UTF-8 BOM)",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    encoding="utf-8-sig",
    names_payees=False,
    header=lambda batch: [_csv(["worker_id", "bank_account", "amount", "currency", "reference"])],
    record=lambda number, t, batch: _csv(
        [t.worker_id, t.account, money(t.amount), "CNY", reference(batch)]
    ),
    trailer=lambda batch: [],
)


def _icbc_record(number: int, transfer: Transfer, batch: Batch) -> str:
    # 序号,卡号,姓名,金额,备注: the remark is the month paid, as the bank shows it to the payee.
    return (
        f"{number},{transfer.account},{transfer.name},{money(transfer.amount)},{batch.period}工资"
    )


ICBC_PAYROLL = BankLayout(
    name="icbc-payroll",
    title=(
        "ICBC corporate online banking salary batch upload (工行企业网银 代发工资 上传工资文件): "
        "TXT, GBK, CRLF, one record a line: 序号,卡号,姓名,金额,备注; no header or total line"
    ),
    media_type="text/plain; charset=gbk",
    extension="txt",
    encoding="gbk",
    names_payees=True,
    header=lambda batch: [],
    record=_icbc_record,
    trailer=lambda batch: [],
)

LAYOUTS: dict[str, BankLayout] = {layout.name: layout for layout in (GENERIC_CSV, ICBC_PAYROLL)}
# The names a request may ask for: OpenAPI lists them, and any other is a 422 naming the field.
LayoutName = StrEnum("LayoutName", {name.replace("-", "_"): name for name in LAYOUTS})


class Unwritable(ValueError):
    """A transfer the layout cannot carry (no holder's name, a name outside its encoding)."""


class BankFile:
    """A bank file being written to a binary stream: the header on opening, a record per
    transfer, the trailer on finishing; every line encoded as the layout says."""

    def __init__(self, layout: BankLayout, batch: Batch, out: BinaryIO) -> None:
        self.layout, self.batch, self.out = layout, batch, out
        self.records = 0
        self._encode = codecs.getincrementalencoder(layout.encoding)().encode
        for line in layout.header(batch):
            self._write(line)

    def add(self, transfer: Transfer) -> None:
        if self.layout.names_payees and not transfer.name:
            raise Unwritable(f"worker {transfer.worker_id}: no account holder's name (户名)")
        line = self.layout.record(self.records + 1, transfer, self.batch)
        try:
            self._write(line)
        except UnicodeEncodeError:
            raise Unwritable(
                f"worker {transfer.worker_id}: the account holder's name has a character "
                f"{self.layout.encoding.upper()} cannot carry"
            ) from None
        self.records += 1

    def finish(self) -> None:
        for line in self.layout.trailer(self.batch):
            self._write(line)

    def _write(self, line: str) -> None:
        self.out.write(self._encode(line + self.layout.newline))


def described() -> str:
    return "; ".join(f"`{layout.name}`: {layout.title}" for layout in LAYOUTS.values())
