"""Masking for the public notice of proposed hires (DOMAIN.md, "Recruitment": the notice masks
identities). Names follow the rule below; resident ID numbers and phone numbers use the
platform's one rule each (union_shared.identifiers), so a notice never shows more or less of an
ID than the rest of the platform does.
"""

from __future__ import annotations

from dataclasses import dataclass

from union_shared.identifiers import mask_phone, mask_resident_id

__all__ = ["NoticeIdentity", "mask_for_notice", "mask_name", "mask_phone", "mask_resident_id"]


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
