"""Policies as versioned data: documents with a version number and an effective date.

Roster rules, grading ladders and pay policies are all kept as books of versions; the rules of
a book are the same everywhere: versions increase in number and in effective date, the version
in force on a day is the last one effective by then, and shipped books are YAML files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar


class Dated(Protocol):
    version: int
    effective_from: date


V = TypeVar("V", bound=Dated)
B = TypeVar("B")


def check_ordered(versions: Sequence[Dated], what: str = "policy") -> None:
    """Refuse versions whose numbers or effective dates do not strictly increase."""
    dates = [v.effective_from for v in versions]
    numbers = [v.version for v in versions]
    if dates != sorted(set(dates)) or numbers != sorted(set(numbers)):
        raise ValueError(f"{what} versions must have increasing numbers and effective dates")


def in_force(versions: Sequence[V], on: date, what: str) -> V:
    """The version in force on `on`; LookupError "no <what> in force on <day>" when none is yet."""
    current = [v for v in versions if v.effective_from <= on]
    if not current:
        raise LookupError(f"no {what} in force on {on}")
    return current[-1]


def shipped_books(
    folder: Path, load: Callable[[Path], B], book_id: Callable[[B], str]
) -> dict[str, B]:
    """Every book shipped as a YAML file in `folder`, by id; an id shipped twice is an error."""
    books: dict[str, B] = {}
    for path in sorted(folder.glob("*.yaml")):
        book = load(path)
        key = book_id(book)
        if key in books:
            raise ValueError(f"{key} is shipped twice (again in {path.name})")
        books[key] = book
    return books
