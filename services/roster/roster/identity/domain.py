"""The resident ID validator now lives in `union_shared.resident_id`, shared with recruitment.

The roster's own code imports it from there. This module stays for the callers outside the
roster that still name it (tests/test_chain.py, bench/roster_import_and_list.py) and for the
layering test, which lists it among the pure domain modules.
"""

from __future__ import annotations

from union_shared.identifiers import mask_phone
from union_shared.resident_id import (
    InvalidResidentId,
    ResidentId,
    Sex,
    check_character,
    parse_resident_id,
)

__all__ = [
    "InvalidResidentId",
    "ResidentId",
    "Sex",
    "check_character",
    "mask_phone",
    "parse_resident_id",
]
