"""Splitting an amount between funders to the fen, so that the parts always sum exactly.

Rule (largest remainder, 最大余数法): every funder first gets its exact share rounded down to the
fen; the fen left over go one each to the funders with the largest remainders, ties to the
funder listed first. Exact shares are rationals (Fraction), so no rounding happens before that.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from union_shared.money import Money, from_fen

from .policy import no_float
from .trusted import fen, trusted

Percent = Annotated[Decimal, BeforeValidator(no_float), Field(gt=0, le=100, decimal_places=4)]


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
    if len(weights) == 1:  # one funder (most workers): the whole, nothing to round
        ((name, weight),) = weights
        if weight != 1:
            raise ValueError("funder weights must sum to exactly 1")
        return (funder_part(name, from_fen(_to_fen(total)), f"100% of {total:,.2f}"),)
    if sum((w for _, w in weights), Fraction(0)) != 1:
        raise ValueError("funder weights must sum to exactly 1")
    total_fen = _to_fen(total)
    exact = [(name, total_fen * w) for name, w in weights]
    floors = [math.floor(x) for _, x in exact]
    left_over = total_fen - sum(floors)
    # Largest remainder first; Python's sort is stable, so equal remainders keep listed order.
    order = sorted(range(len(exact)), key=lambda i: exact[i][1] - floors[i], reverse=True)
    for i in order[:left_over]:
        floors[i] += 1
    return tuple(
        funder_part(
            name,
            from_fen(share_fen),
            f"{_percent(weight)} of {total:,.2f}"
            + (" plus a remainder fen (largest remainder)" if share_fen != math.floor(x) else ""),
        )
        for (name, weight), (_, x), share_fen in zip(weights, exact, floors, strict=True)
    )


def _to_fen(amount: Decimal) -> int:
    return int(fen(amount) * 100)  # union_shared.money.to_fen, without the str round trip


_PART_FIELDS = frozenset(FunderPart.model_fields)


def funder_part(funder: str, amount: Decimal, explanation: str) -> FunderPart:
    """A part from computed values (amount already to the fen), without validating them again."""
    values = {"funder": funder, "amount": amount, "explanation": explanation}
    return trusted(FunderPart, values, _PART_FIELDS)


@functools.lru_cache(maxsize=1024)
def share_weight(percent: Decimal) -> Fraction:
    """A funder share as an exact fraction of one: 33.33 is 3333/10000."""
    return Fraction(percent) / 100


@functools.lru_cache(maxsize=1024)
def per_million(percent: Decimal) -> int | None:
    """A funder share in millionths of one (33.33% is 333,300); None if it is finer than that."""
    numerator, denominator = percent.as_integer_ratio()
    return None if 10_000 % denominator else numerator * (10_000 // denominator)


def _percent(weight: Fraction) -> str:
    return (
        f"{Decimal(weight.numerator) * 100 / Decimal(weight.denominator):.4f}".rstrip("0").rstrip(
            "."
        )
        + "%"
    )
