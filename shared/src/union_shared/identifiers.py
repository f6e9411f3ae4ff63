"""Masking personal identifiers: resident ID numbers, phone numbers and bank accounts.

One rule everywhere (worker views, audit trails, dead letters): a masked resident ID keeps the
6-digit address code and the last two characters, so neither the birth date nor the sequence
can be read back, and a reply that masks it shows the birth year at most, never the birth date.
With the year known, ten digits stay hidden and the check character narrows them only elevenfold.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{10}([\dXx]{2})(?![0-9A-Za-z])")
# Mainland mobiles (1[3-9]x, 11 digits, optionally +86) and landlines (0xx[x]-xxxxxxx[x]).
_PHONE_IN_TEXT = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)|(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)"
)
_ACCOUNT_KEYS = frozenset({"bank_account", "account", "account_number"})
_PHONE_KEYS = frozenset({"phone", "mobile", "telephone", "contact_phone"})
_RESIDENT_ID_KEYS = frozenset({"resident_id", "id_number", "resident_id_number"})


def mask_resident_id(number: str) -> str:
    return f"{number[:6]}{'*' * max(len(number) - 8, 0)}{number[-2:]}" if number else number


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_account(account: str | None) -> str | None:
    return f"****{account[-4:]}" if account else account


def mask_text(text: str) -> str:
    """Every resident ID and phone number inside free text, masked where it stands."""
    text = _RESIDENT_ID.sub(lambda m: mask_resident_id(m.group(0)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)) or "", text)


def mask_identifiers(value: Any, key: str | None = None) -> Any:
    """A JSON-like tree with every identifier masked: by its key where the key names one, and by
    its shape anywhere else (so a payload with unexpected field names leaks nothing either)."""
    if isinstance(value, dict):
        return {k: mask_identifiers(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_identifiers(v, key) for v in value]
    if not isinstance(value, str):
        return value
    name = (key or "").lower()
    if name in _RESIDENT_ID_KEYS:
        return mask_resident_id(value)
    if name in _PHONE_KEYS:
        return mask_phone(value)
    if name in _ACCOUNT_KEYS:
        return mask_account(value)
    return mask_text(value)


class InvalidPhone(ValueError):
    pass


_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# Area codes: 010 and 02x have three digits, every other one four (0xxx).
_LANDLINE = re.compile(r"^(0(?:[12]\d|[3-9]\d{2}))-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")


def parse_phone(raw: str) -> str:
    """A mainland mobile (`13812345678`, `+86 138 1234 5678`) or landline (`022-23456789`,
    `02223456789-801`) number in one stored form: 11 digits, or area code, hyphen, number and
    an optional extension. Nothing else is a phone number, and nothing a spreadsheet would run
    as a formula can pass."""
    compact = re.sub(r"[\s()]", "", raw)
    if mobile := _MOBILE.match(compact):
        return mobile.group(1)
    if landline := _LANDLINE.match(compact):
        code, number, extension = landline.groups()
        return f"{code}-{number}" + (f"-{extension}" if extension else "")
    raise InvalidPhone(
        "not a mainland phone number: a mobile such as 13812345678 or a landline such as "
        "022-23456789"
    )


def _phone(value: str) -> str:
    try:
        return parse_phone(value)
    except InvalidPhone as exc:
        raise ValueError(str(exc)) from None


# A pydantic field type for phone numbers on every path (API bodies, imports, events).
Phone = Annotated[str, Field(max_length=30), AfterValidator(_phone)]
