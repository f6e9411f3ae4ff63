"""Splitting an amount between funders to the fen, so that the parts always sum exactly.

Rule (largest remainder, 最大余数法): every funder first gets its exact share rounded down to the
fen; the fen left over go one each to the funders with the largest remainders, ties to the
funder listed first. Exact shares are rationals (Fraction), so no rounding happens before that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from union_shared.money import Money, from_fen, to_fen

from .policy import no_float

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
    if sum((w for _, w in weights), Fraction(0)) != 1:
        raise ValueError("funder weights must sum to exactly 1")
    total_fen = to_fen(total)
    exact = [(name, total_fen * w) for name, w in weights]
    floors = [math.floor(x) for _, x in exact]
    left_over = total_fen - sum(floors)
    # Largest remainder first; Python's sort is stable, so equal remainders keep listed order.
    order = sorted(range(len(exact)), key=lambda i: exact[i][1] - floors[i], reverse=True)
    for i in order[:left_over]:
        floors[i] += 1
    return tuple(
        FunderPart(
            funder=name,
            amount=from_fen(fen),
            explanation=(
                f"{_percent(weight)} of {total:,.2f}"
                + (" plus a remainder fen (largest remainder)" if fen != math.floor(x) else "")
            ),
        )
        for (name, weight), (_, x), fen in zip(weights, exact, floors, strict=True)
    )


def _percent(weight: Fraction) -> str:
    return (
        f"{Decimal(weight.numerator) * 100 / Decimal(weight.denominator):.4f}".rstrip("0").rstrip(
            "."
        )
        + "%"
    )
