"""Masking for the public notice: names by hand; IDs and phones by the platform's rule."""

import pytest

from recruitment.rules.masking import NoticeIdentity, mask_for_notice, mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("司马相如文", "司***文"),
        (" 李四 ", "李*"),
        ("王", "*"),
        ("", ""),
        ("阿依古丽·买买提", "阿******提"),
    ],
)
def test_names(name, masked):
    assert mask_name(name) == masked


def test_a_notice_row():
    assert mask_for_notice("张小三", "11010519491231002X", "13812345678") == NoticeIdentity(
        "张*三", "110105**********2X", "138****5678"
    )
    assert mask_for_notice("张三", "120104199103010011").phone is None
