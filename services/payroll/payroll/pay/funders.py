"""Splitting an amount between funders to the fen, so that the parts always sum exactly.

Rule (largest remainder, 最大余数法): every funder first gets its exact share rounded down to the
fen; the fen left over go one each to the funders with the largest remainders, ties to the
funder listed first. Shares are exact: whole numbers over a common denominator (a share of
33.33% is 333,300 millionths), so no rounding happens before that.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from union_shared.money import Money, exact_decimal

from .trusted import fen, trusted

Percent = exact_decimal(4, gt=0, le=100)

# Each funder's share as a whole number over a common denominator (the second item), in the
# listed order: [("city", 600_000), ("district", 400_000)], 1_000_000 is 60% and 40%. Shared
# between payslips: never changed once made.
Weights = tuple[list[tuple[str, int]], int]
MILLION = 1_000_000


class FunderShare(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    funder: str = Field(min_length=1)
    percent: Percent


class FunderPart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    funder: str
    amount: Money
    explanation: str


def check_shares(shares: Sequence[FunderShare]) -> None:
    """Shares name each funder once and total exactly 100% (DOMAIN.md, "Funders")."""
    names = [s.funder for s in shares]
    if not shares:
        raise ValueError("at least one funder is needed")
    if len(set(names)) != len(names):
        raise ValueError(f"a funder is listed twice: {names}")
    total = sum((s.percent for s in shares), Decimal(0))
    if total != 100:
        raise ValueError(f"funder shares total {total}%, not exactly 100%")


def split(total: Decimal, weights: Sequence[tuple[str, Fraction]]) -> tuple[FunderPart, ...]:
    """Split `total` in proportion to `weights` (funders in listed order, weights summing to 1)."""
    return split_whole(total, in_common(weights))


def in_common(weights: Sequence[tuple[str, Fraction]]) -> Weights:
    """Fractions as whole numbers over their least common denominator."""
    whole = math.lcm(*(w.denominator for _, w in weights))
    return [(name, w.numerator * (whole // w.denominator)) for name, w in weights], whole


def split_whole(total: Decimal, weights: Weights) -> tuple[FunderPart, ...]:
    """Split `total` between the funders of `weights` (shares summing to the denominator)."""
    shares, whole = weights
    total_fen = _to_fen(total)
    if len(shares) == 1:  # one funder (most workers): the whole, nothing to round
        ((name, weight),) = shares
        if weight != whole:
            raise ValueError("funder weights must sum to exactly 1")
        return (funder_part(name, _from_fen(total_fen), f"100% of {total:,.2f}"),)
    # Exact share of funder i: total_fen × weight_i / whole = fen_i + remainder_i / whole; the
    # remainders share one denominator, so comparing them as integers compares the fractions.
    fens, remainders = [], []
    given = 0
    for _, weight in shares:
        share, remainder = divmod(total_fen * weight, whole)
        fens.append(share)
        remainders.append(remainder)
        given += weight
    if given != whole:
        raise ValueError("funder weights must sum to exactly 1")
    plus = [False] * len(shares)  # which funders get a remainder fen
    if left_over := total_fen - sum(fens):
        # Largest remainder first; Python's sort is stable, so equal remainders keep listed order.
        order = sorted(range(len(shares)), key=remainders.__getitem__, reverse=True)
        for i in order[:left_over]:
            fens[i] += 1
            plus[i] = True
    of = f" of {total:,.2f}"
    parts = []
    for i, (name, weight) in enumerate(shares):
        text = _percent(weight, whole) + (of + _REMAINDER if plus[i] else of)
        parts.append(funder_part(name, _from_fen(fens[i]), text))
    return tuple(parts)


_REMAINDER = " plus a remainder fen (largest remainder)"


def _to_fen(amount: Decimal) -> int:
    return int(fen(amount) * 100)  # union_shared.money.to_fen, without the str round trip


def _from_fen(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)  # union_shared.money.from_fen, without a division


_PART_FIELDS = frozenset(FunderPart.model_fields)


def funder_part(funder: str, amount: Decimal, explanation: str) -> FunderPart:
    """A part from computed values (amount already to the fen), without validating them again."""
    values = {"funder": funder, "amount": amount, "explanation": explanation}
    return trusted(FunderPart, values, _PART_FIELDS)


def share_weights(shares: Sequence[FunderShare]) -> Weights:
    """An interval's funder shares as weights, in millionths when none is finer than that."""
    # A run holds one tuple of shares per unit, so they are known by identity; the entry holds
    # the tuple, so its id cannot be another's while the entry lives.
    found = _weights_of.get(id(shares))
    if found is not None and found[0] is shares:
        return found[1]
    weights = _share_weights(shares)
    if type(shares) is not tuple:  # a list could change
        return weights
    if len(_weights_of) >= 1024:
        _weights_of.clear()
    _weights_of[id(shares)] = (shares, weights)
    return weights


def _share_weights(shares: Sequence[FunderShare]) -> Weights:
    weights = [(s.funder, per_million(s.percent)) for s in shares]
    if all(weight is not None for _, weight in weights):
        return weights, MILLION  # type: ignore[return-value]
    return in_common([(s.funder, share_weight(s.percent)) for s in shares])


_weights_of: dict[int, tuple[Sequence[FunderShare], Weights]] = {}


@functools.lru_cache(maxsize=1024)
def share_weight(percent: Decimal) -> Fraction:
    """A funder share as an exact fraction of one: 33.33 is 3333/10000."""
    return Fraction(percent) / 100


@functools.lru_cache(maxsize=1024)
def per_million(percent: Decimal) -> int | None:
    """A funder share in millionths of one (33.33% is 333,300); None if it is finer than that."""
    numerator, denominator = percent.as_integer_ratio()
    return None if 10_000 % denominator else numerator * (10_000 // denominator)


@functools.lru_cache(maxsize=1024)  # shares repeat (60%, 33.33%...); split costs never do
def _percent(weight: int, whole: int) -> str:
    """weight / whole as a percentage to at most 4 places: 333,300 / 1,000,000 is 33.33%."""
    common = math.gcd(weight, whole)  # in lowest terms, as a Fraction holds it
    numerator, denominator = weight // common, whole // common
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return f"{exact:.4f}".rstrip("0").rstrip(".") + "%"
