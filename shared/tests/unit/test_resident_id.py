from datetime import date

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from union_shared.identifiers import mask_phone
from union_shared.resident_id import (
    InvalidResidentId,
    Sex,
    check_character,
    keyed_hash,
    parse_resident_id,
)
from union_shared.settings import DEV_IDENTIFIER_HASH_KEY, ServiceSettings


class RecruitmentLike(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECRUITMENT_", extra="ignore")


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


# HMAC-SHA256 of "11010519491231002X" under b"recruitment-test-key", computed apart from this
# code: printf '%s' 11010519491231002X | openssl dgst -sha256 -hmac recruitment-test-key
KEY = b"recruitment-test-key"
HASHED = "7ccdb8007b6dfdb64f9d50058d9a62206e89a8afb8b232c42556a11709afee7c"


def test_the_keyed_hash_is_hmac_sha256_of_the_number_in_hex():
    assert keyed_hash("11010519491231002X", KEY) == HASHED
    assert keyed_hash("11010519491231002X", KEY) == keyed_hash("11010519491231002X", KEY)


def test_another_key_gives_another_hash():
    # printf '%s' 11010519491231002X | openssl dgst -sha256 -hmac another-key
    other = "d20251e25a894097d22d015b7bdc4215894c858db865a74e170dd51689d6947c"
    assert keyed_hash("11010519491231002X", b"another-key") == other != HASHED


def test_the_hash_is_of_the_normalised_number():
    assert keyed_hash("11010519491231002x", KEY) == HASHED  # lower-case x is the same person
    assert keyed_hash(" 11010519491231002X\n", KEY) == HASHED


def test_the_hash_is_never_the_number_and_shows_none_of_it():
    number = "440304199003071811"
    hashed = keyed_hash(number, KEY)
    assert len(hashed) == 64 and set(hashed) <= set("0123456789abcdef")
    assert hashed != number and number not in hashed
    assert number[:6] not in hashed and number[6:14] not in hashed  # region and birth date


def test_an_empty_key_is_refused():
    with pytest.raises(ValueError, match="non-empty key"):
        keyed_hash("11010519491231002X", b"")


def test_the_hash_key_is_read_from_the_services_own_variable(monkeypatch):
    monkeypatch.setenv("RECRUITMENT_IDENTIFIER_HASH_KEY", "recruitment-test-key")
    monkeypatch.setenv("ROSTER_IDENTIFIER_HASH_KEY", "the-roster-key-not-ours")
    settings = RecruitmentLike()
    assert settings.identifier_hash_key_bytes() == KEY
    assert keyed_hash("11010519491231002X", settings.identifier_hash_key_bytes()) == HASHED
    assert "recruitment-test-key" not in repr(settings)  # a SecretStr: logs show asterisks


def test_unset_the_hash_key_is_the_development_one(monkeypatch):
    monkeypatch.delenv("RECRUITMENT_IDENTIFIER_HASH_KEY", raising=False)
    assert RecruitmentLike().identifier_hash_key_bytes() == DEV_IDENTIFIER_HASH_KEY.encode()


def test_a_short_hash_key_is_refused(monkeypatch):
    monkeypatch.setenv("RECRUITMENT_IDENTIFIER_HASH_KEY", "fifteen-chars!!")
    with pytest.raises(ValidationError, match="identifier_hash_key") as refused:
        RecruitmentLike()
    assert "at least 16" in str(refused.value)
    assert "fifteen-chars" not in str(refused.value)  # a refused key is not printed to the log
