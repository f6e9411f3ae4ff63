"""Whole-file faults of an import file, raised while reading it and answered by the service."""

from __future__ import annotations


class SheetRejected(ValueError):
    """The file as a whole cannot be read as an import; `field` names where (file, header)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class SheetTooLarge(SheetRejected):
    """The file is past a size limit of the import (answered 413)."""
