from datetime import date

import pytest

from roster.identity.domain import InvalidResidentId, Sex, mask_phone, parse_resident_id


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), Sex.FEMALE),  # X stands for 10
        ("11010519491231002x", date(1949, 12, 31), Sex.FEMALE),  # lower-case x accepted
        ("440304199003071811", date(1990, 3, 7), Sex.MALE),
        ("120101198501010035", date(1985, 1, 1), Sex.MALE),
        (" 120101198501010035 ", date(1985, 1, 1), Sex.MALE),
    ],
)
def test_valid_numbers_give_birth_date_and_sex(number, birth, sex):
    parsed = parse_resident_id(number)
    assert (parsed.birth_date, parsed.sex) == (birth, sex)
    assert parsed.number == number.strip().upper()


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("11010519491231002", "must be 18 characters, got 17"),
        ("11010519491231002XX", "must be 18 characters, got 19"),
        ("1101051949123100X2", "17 digits followed by a digit or X"),
        ("110105194912310021", "check character is 1, expected X"),
        ("440304199003071812", "check character is 2, expected 1"),
        ("120101198502300036", None),  # 30 February
        ("", "must be 18 characters, got 0"),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(number, reason):
    from roster.identity.domain import check_character

    if reason is None:  # make the check digit right so only the date is wrong
        number = number[:17] + check_character(number[:17])
        reason = "not a calendar date"
    with pytest.raises(InvalidResidentId, match=reason):
        parse_resident_id(number)


def test_a_birth_date_after_the_as_of_date_is_refused():
    with pytest.raises(InvalidResidentId, match="not plausible"):
        parse_resident_id("120101198501010035", as_of=date(1984, 12, 31))
    assert parse_resident_id("120101198501010035", as_of=date(1985, 1, 1))


def test_masking_keeps_region_and_last_four():
    assert parse_resident_id("440304199003071811").masked == "440304**********11"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "*****"
    assert mask_phone(None) is None
