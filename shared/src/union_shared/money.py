"""Exact money: `Decimal` in code, integer fen in storage, two-place decimal strings in JSON.

Rounding rule (the one rule for the whole platform): half-up to the fen, as Chinese payroll
and tax practice expects (四舍五入).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

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


# What any amount may be: payroll stores integer fen in BIGINT columns and adds up whole runs,
# so an amount stays well inside them; past this nobody is paid.
MONEY_LIMIT = Decimal("1000000000000")  # 10^12 yuan, exclusive


def _exact(value: Any, places: int, *, quantize: bool = True, floats: bool = False) -> Decimal:
    """A decimal from a JSON string or integer, refused (not rounded) past `places` places.
    With `floats`, a JSON number is read by its shortest decimal form (16.5 is "16.5")."""
    if isinstance(value, float) and not floats:
        raise ValueError("write it as a quoted decimal string: floats are never exact")
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str) and len(value) > 40:
        raise ValueError("too long for a number")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a decimal number: {value!r}") from None
    if not amount.is_finite():
        raise ValueError("must be a finite number")
    if amount.adjusted() >= 20:  # before any arithmetic: 1e30 would overflow the context
        raise ValueError("too large")
    step = Decimal(1).scaleb(-places)
    exact = amount.quantize(step)
    if exact != amount:
        raise ValueError(f"at most {places} decimal place{'s' if places != 1 else ''}")
    return exact if quantize else amount


def _money(value: Any) -> Decimal:
    amount = _exact(value, 2)
    if abs(amount) >= MONEY_LIMIT:
        raise ValueError(f"must be less than {MONEY_LIMIT:,} in magnitude")
    return amount


def _money_type(signed: bool) -> Any:
    pattern = rf"^{'-?' if signed else ''}\d{{1,12}}(\.\d{{1,2}})?$"
    return Annotated[
        Decimal,
        BeforeValidator(_money),
        PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
        WithJsonSchema({"type": "string", "pattern": pattern, "examples": ["5124.00"]}),
    ]


# An amount in yuan: a decimal string with at most two places (more is refused, never
# rounded), less than 10^12 in magnitude; always written with two places.
Money = _money_type(signed=True)
NonNegativeMoney = Annotated[_money_type(signed=False), Field(ge=0)]


def _positive(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise ValueError("must be more than 0.00")
    return amount


PositiveMoney = Annotated[_money_type(signed=False), AfterValidator(_positive)]


def _number(bound: Decimal | int) -> int | float:
    return int(bound) if bound == int(bound) else float(bound)  # a schema bound, not money


def exact_decimal(
    places: int,
    *,
    ge: Decimal | int | None = None,
    gt: Decimal | int | None = None,
    le: Decimal | int | None = None,
    fixed: bool = False,
    floats: bool = False,
) -> Any:
    """A bounded exact decimal (a rate, a share) whose limits the OpenAPI states as JSON Schema
    (`minimum`, `exclusiveMinimum`, `maximum` and a pattern), so clients can check it too.
    `fixed` writes every value with all its places ("16" becomes "16.0"); `floats` accepts JSON
    numbers (never on a money path)."""
    whole = len(str(int(le))) if le is not None else 12
    schema: dict[str, Any] = {
        "type": "string",
        "pattern": rf"^\d{{1,{whole}}}(\.\d{{1,{places}}})?$",
        "description": f"a decimal string with at most {places} places",
    }
    bounds = {"minimum": ge, "exclusiveMinimum": gt, "maximum": le}
    schema.update({k: _number(v) for k, v in bounds.items() if v is not None})
    return Annotated[
        Decimal,
        BeforeValidator(lambda v: _exact(v, places, quantize=fixed, floats=floats)),
        Field(ge=ge, gt=gt, le=le),
        PlainSerializer(str, return_type=str),
        WithJsonSchema(schema),
    ]
