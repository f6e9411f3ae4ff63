"""Resident identity card numbers (公民身份号码), GB 11643-1999.

18 characters: a 6-digit address code, the birth date as YYYYMMDD, a 3-digit sequence (odd for
men, even for women) and a check character computed by ISO 7064 MOD 11-2 (`X` stands for 10).
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from union_shared.identifiers import mask_phone, mask_resident_id

__all__ = ["InvalidResidentId", "ResidentId", "Sex", "mask_phone", "parse_resident_id"]

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
