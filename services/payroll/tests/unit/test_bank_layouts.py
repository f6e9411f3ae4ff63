"""Bank file layouts write exactly the bytes their banks read: encoding, separators, line ends,
two-decimal amounts; the expected bytes are written out by hand (GBK and UTF-8 code units)."""

import io
from decimal import Decimal

import pytest

from payroll.runs.banks import LAYOUTS, BankFile, Batch, LayoutName, Transfer, Unwritable

D = Decimal
BATCH = Batch(run_id="run-1", period="2025-05", count=2, total=D("7170.55"))
ZHANG = Transfer("w-1", "6222020200112341234", "张三", D("2770.00"))
LI = Transfer("w-2", "6222020200198765432", "李四", D("4400.55"))


def written(layout: str, *transfers: Transfer) -> bytes:
    out = io.BytesIO()
    file = BankFile(LAYOUTS[layout], BATCH, out)
    for transfer in transfers:
        file.add(transfer)
    file.finish()
    return out.getvalue()


def test_icbc_payroll_is_gbk_text_one_record_a_line_with_no_header_or_total():
    # 序号,卡号,姓名,金额,备注 then CRLF. GBK: 张 D5C5, 三 C8FD, 李 C0EE, 四 CBC4, 工 B9A4, 资 D7CA.
    assert written("icbc-payroll", ZHANG, LI) == (
        b"1,6222020200112341234,\xd5\xc5\xc8\xfd,2770.00,2025-05\xb9\xa4\xd7\xca\r\n"
        b"2,6222020200198765432,\xc0\xee\xcb\xc4,4400.55,2025-05\xb9\xa4\xd7\xca\r\n"
    )


def test_generic_csv_keeps_its_header_bom_and_crlf():
    # UTF-8 BOM EF BB BF; 工 E5 B7 A5, 资 E8 B5 84.
    assert written("generic-csv", ZHANG) == (
        b"\xef\xbb\xbfworker_id,bank_account,amount,currency,reference\r\n"
        b"w-1,6222020200112341234,2770.00,CNY,\xe5\xb7\xa5\xe8\xb5\x84 2025-05 run-1\r\n"
    )


@pytest.mark.parametrize(
    ("amount", "text"), [("5", b"5.00"), ("0.1", b"0.10"), ("12345678.9", b"12345678.90")]
)
def test_amounts_have_exactly_two_decimals_and_no_separators(amount, text):
    line = written("icbc-payroll", Transfer("w-1", "62220202", "王五", D(amount)))
    assert line.split(b",")[3] == text


def test_a_payee_the_layout_cannot_carry_is_refused_by_name():
    with pytest.raises(Unwritable, match="w-3: no account holder's name"):
        written("icbc-payroll", Transfer("w-3", "62220202", None, D("1.00")))
    # U+20000 (an extension-B character) has no GBK code.
    with pytest.raises(Unwritable, match=r"w-4: .*GBK cannot carry"):
        written("icbc-payroll", Transfer("w-4", "62220202", "\U00020000明", D("1.00")))
    # The generic layout names no payee: no name is needed.
    assert written("generic-csv", Transfer("w-3", "62220202", None, D("1.00"))).count(b"\r\n") == 2


def test_the_registry_and_the_query_names_agree():
    assert {name.value for name in LayoutName} == set(LAYOUTS) == {"generic-csv", "icbc-payroll"}
