"""Resident identity card numbers (公民身份号码), GB 11643-1999.

18 characters: a 6-digit address code, the birth date as YYYYMMDD, a 3-digit sequence (odd for
men, even for women) and a check character computed by ISO 7064 MOD 11-2 (`X` stands for 10).

One validator for every service: the roster registers workers by it, recruitment its applicants.
`keyed_hash` gives a service a stand-in for the number where the number itself should not be
stored, such as a unique index of one application per person per campaign.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import operator
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from union_shared.identifiers import mask_resident_id

__all__ = [
    "InvalidResidentId",
    "ResidentId",
    "Sex",
    "check_character",
    "keyed_hash",
    "parse_resident_id",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class InvalidResidentId(ValueError):
    pass


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: Sex

    @property
    def masked(self) -> str:
        """The address code and the last two characters (union_shared.identifiers): with the
        birth year a masked reply may show, ten digits stay hidden."""
        return mask_resident_id(self.number)


def check_character(first17: str) -> str:
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


@functools.lru_cache(maxsize=65536)  # pure; an import checks each number, then stores it
def parse_resident_id(raw: str, *, as_of: date | None = None) -> ResidentId:
    number = raw.strip().upper()
    if len(number) != 18:
        raise InvalidResidentId(f"must be 18 characters, got {len(number)}")
    if not _SHAPE.match(number):
        raise InvalidResidentId("must be 17 digits followed by a digit or X")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidResidentId(f"check character is {number[17]}, expected {expected}")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidResidentId(f"birth date {number[6:14]} is not a calendar date") from None
    if birth.year < 1900 or (as_of is not None and birth > as_of):
        raise InvalidResidentId(f"birth date {birth} is not plausible")
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number, birth, sex)


def keyed_hash(number: str, key: bytes) -> str:
    """HMAC-SHA256 of the normalised number, 64 hex characters. Keyed, because a plain hash of
    an 18-character number with a known shape (region codes, birth dates, check character) is
    reversed by trying them all; without the key the hash reveals nothing and cannot be built
    from a guessed number. Normalised as `parse_resident_id` does, so `...002x` and `...002X`
    are one person. A new key changes every hash: the stored ones must then be recomputed."""
    if not key:
        raise ValueError("keyed_hash needs a non-empty key")
    normalised = number.strip().upper()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
