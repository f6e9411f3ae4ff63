"""Masking for the public notice of proposed hires (DOMAIN.md, "Recruitment": the notice masks
identities). Names follow the rule below; resident ID numbers and phone numbers use the
platform's one rule each (union_shared.identifiers), so a notice never shows more or less of an
ID than the rest of the platform does.
"""

from __future__ import annotations

from dataclasses import dataclass

from union_shared.identifiers import mask_phone, mask_resident_id

__all__ = [
    "NoticeIdentity",
    "mask_for_notice",
    "mask_name",
    "mask_phone",
    "mask_resident_id",
    "resident_id_problem",
]


def mask_name(name: str) -> str:
    """Keep the first character (usually the surname) and, in a name of three characters or
    more, the last; every character between becomes `*`. So 张三 → 张*, 张小三 → 张*三,
    欧阳小明 → 欧**明 (a two-character surname keeps only its first character, so the rule does
    not need to know which surnames are compound). A one-character string shows nothing: `*`.
    Spaces around the name are dropped; characters are counted as Unicode code points."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class NoticeIdentity:
    name: str
    resident_id: str
    phone: str | None = None


def mask_for_notice(name: str, resident_id: str, phone: str | None = None) -> NoticeIdentity:
    """One proposed hire's identity as the public notice may print it."""
    return NoticeIdentity(mask_name(name), mask_resident_id(resident_id), mask_phone(phone))


def resident_id_problem(error: ValueError) -> str:
    """Why a resident ID number was refused, in words that quote none of it: the shared parser
    names the birth date it read and the check character it expected, and a problem reply (or
    a log of it) must not carry part of a person's number. The other reasons quote nothing."""
    reason = str(error)
    if reason.startswith("check character"):
        return "the check character does not match the first 17 characters (GB 11643): a typo?"
    if reason.startswith("birth date"):
        return "the birth date it holds " + (
            "is not a calendar date" if "calendar" in reason else "is not plausible"
        )
    return reason
