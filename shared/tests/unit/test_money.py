from decimal import Decimal

import pytest
from pydantic import BaseModel

from union_shared.money import Money, from_fen, to_fen, to_money


class Line(BaseModel):
    amount: Money


@pytest.mark.parametrize(
    ("given", "expected"),
    [("5124", "5124.00"), ("0.005", "0.01"), ("0.004", "0.00"), ("-1.005", "-1.01"), (7, "7.00")],
)
def test_amounts_round_half_up_to_the_fen(given, expected):
    assert to_money(given) == Decimal(expected)


def test_floats_never_enter_a_money_path():
    with pytest.raises(ValueError, match="never a float"):
        to_money(0.1)
    with pytest.raises(ValueError):
        Line(amount=0.1)


def test_json_carries_two_place_strings():
    assert Line(amount="25620").model_dump_json() == '{"amount":"25620.00"}'


def test_fen_round_trip_is_exact():
    assert to_fen(Decimal("25620.37")) == 2562037
    assert from_fen(2562037) == Decimal("25620.37")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", ""])
def test_non_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        to_money(bad)
