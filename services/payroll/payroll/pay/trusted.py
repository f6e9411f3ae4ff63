"""Two shortcuts of the hot path: building values already checked, and reusing derived values.

A payroll run computes 100,000 payslips in seconds, so the core does not validate, field by
field, a line whose every value it has just computed from validated facts and policy, nor
recompute for each worker what depends only on the policy version (a grade's earning lines, a
bonus dead zone). The public inputs (PayFacts) are still validated, and each payslip's totals
are still checked against its lines.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from union_shared.money import FEN

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

_set = object.__setattr__
_new = object.__new__
_checked: set[type[BaseModel]] = set()


def fen(amount: Decimal) -> Decimal:
    """`to_money` for a value already a Decimal: the same half-up quantisation, no str round trip."""
    return amount.quantize(FEN, ROUND_HALF_UP)


def trusted(cls: type[M], values: dict[str, Any], fields_set: frozenset[str]) -> M:
    """An instance of `cls` from values that are already valid, as `model_construct` builds it.

    `values` must hold every field, in declaration order, already of the field's type (money
    quantised to the fen); `fields_set` names those a validated construction would mark as set.
    """
    if cls not in _checked:
        _check(cls)
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(fields_set))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def check_trusted(cls: type[BaseModel]) -> None:
    """Refuse, now, a class that trusted() could not build (for code that inlines trusted())."""
    if cls not in _checked:
        _check(cls)


def _check(cls: type[BaseModel]) -> None:
    # What model_construct does beyond setting these four attributes: none of it may apply.
    if (
        cls.__new__ is not _new
        or cls.__pydantic_post_init__
        or cls.__private_attributes__
        or cls.__pydantic_root_model__
        or cls.model_config.get("extra") == "allow"
    ):
        raise TypeError(f"{cls.__name__} cannot be built by trusted()")
    _checked.add(cls)


class Memo:
    """Values by key, kept from the second time a key is asked for, at most MAX_ENTRIES.

    A value asked for once only (one worker's declared base, one worker's mid-month split) is
    not kept: it would only grow the memo and, kept alive, make the garbage collector walk it
    again and again. Only a key asked for before (in the last MAX_ENTRIES keys) is stored.
    """

    __slots__ = ("seen", "values")

    def __init__(self) -> None:
        self.values: dict[Hashable, Any] = {}
        self.seen: set[Hashable] = set()

    def get(self, key: Hashable, make: Callable[..., T], *args: Any) -> T:
        """`make(*args)`, the key determining it; an exception is raised again, never kept."""
        value = self.values.get(key, _MISSING)
        if value is _MISSING:
            value = make(*args)
            self.keep(key, value)
        return value

    def keep(self, key: Hashable, value: Any) -> None:
        """Store `value` if `key` was asked for before; otherwise only remember the key."""
        if key in self.seen:
            if len(self.values) >= MAX_ENTRIES:
                self.values.clear()
            self.values[key] = value
        else:
            if len(self.seen) >= MAX_ENTRIES:
                self.seen.clear()
            self.seen.add(key)


MAX_ENTRIES = 20_000
_MISSING: Any = object()

# Derived values, by the identity of the policy object they derive from. A policy is frozen
# once loaded and never edited in force, so what derives from it never goes stale; the entry
# holds the object itself, so its id cannot be reused by another while the entry lives.
_derived: dict[int, tuple[object, Memo]] = {}
MAX_OWNERS = 64


def remembered(owner: object, key: Hashable, make: Callable[..., T], *args: Any) -> T:
    """`make(*args)`, memoised per owner (a policy or a part of one) and key."""
    entry = _derived.get(id(owner))
    if entry is not None and entry[0] is owner:
        value = entry[1].values.get(key, _MISSING)  # the usual case, without a call
        if value is not _MISSING:
            return value
    else:
        if len(_derived) >= MAX_OWNERS:
            _derived.clear()
        entry = _derived[id(owner)] = (owner, Memo())
    return entry[1].get(key, make, *args)
