"""Exact money: `Decimal` in code, integer fen in storage, two-place decimal strings in JSON.

Rounding rule (the one rule for the whole platform): half-up to the fen, as Chinese payroll
and tax practice expects (四舍五入).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

FEN = Decimal("0.01")


def to_money(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("money must be a decimal string or integer, never a float")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a money amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError("money must be finite")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    return int(to_money(amount) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["5124.00"]}),
]
