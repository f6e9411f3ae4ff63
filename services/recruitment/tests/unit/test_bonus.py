"""Bonus points: only granted items count, highest only or cumulative, capped."""

from decimal import Decimal

import pytest

from recruitment.rules.bonus import BonusClaim, Review, UnknownBonusItem, granted_points
from recruitment.rules.schema import Bonus, BonusCombination, BonusItem

ITEMS = (
    BonusItem(code="grassroots", name="Two years in a grassroots programme", points=Decimal(5)),
    BonusItem(code="veteran_1", name="Veteran, first class merit", points=Decimal(3)),
    BonusItem(code="veteran_2", name="Veteran, second class merit", points=Decimal(2)),
)
HIGHEST = Bonus(items=ITEMS, cap=Decimal(5))
CUMULATIVE = Bonus(items=ITEMS, combination=BonusCombination.CUMULATIVE, cap=Decimal(6))


def claims(*pairs):
    return [BonusClaim(code, review) for code, review in pairs]


def test_only_granted_items_count():
    award = granted_points(
        HIGHEST,
        claims(("grassroots", Review.PENDING), ("veteran_2", Review.GRANTED)),
    )
    assert award.points == Decimal(2)
    refused = granted_points(HIGHEST, claims(("grassroots", Review.REFUSED)))
    assert refused.points == 0
    assert "No bonus item was granted" in refused.explanation


def test_highest_only_takes_the_largest():
    award = granted_points(
        HIGHEST, claims(("veteran_1", Review.GRANTED), ("veteran_2", Review.GRANTED))
    )
    assert award.points == Decimal(3)
    assert "largest counts" in award.explanation and "veteran_1" in award.explanation


def test_cumulative_adds_up_to_the_cap():
    two = granted_points(
        CUMULATIVE, claims(("veteran_1", Review.GRANTED), ("veteran_2", Review.GRANTED))
    )
    assert two.points == Decimal(5)
    three = granted_points(
        CUMULATIVE,
        claims(*((code, Review.GRANTED) for code in ("grassroots", "veteran_1", "veteran_2"))),
    )
    assert three.points == Decimal(6)  # 5 + 3 + 2 = 10, capped at 6
    assert "capped at 6" in three.explanation and three.explanation.endswith("6 points.")


def test_highest_only_is_capped_too():
    award = granted_points(
        Bonus(items=ITEMS, cap=Decimal(4)), claims(("grassroots", Review.GRANTED))
    )
    assert award.points == Decimal(4)
    assert "capped at 4" in award.explanation


def test_an_item_claimed_twice_counts_once():
    award = granted_points(
        CUMULATIVE, claims(("veteran_2", Review.GRANTED), ("veteran_2", Review.GRANTED))
    )
    assert award.points == Decimal(2)


def test_an_unknown_item_is_refused_even_when_not_granted():
    with pytest.raises(UnknownBonusItem, match="athlete"):
        granted_points(HIGHEST, claims(("athlete", Review.PENDING)))


def test_no_claims_no_points():
    assert granted_points(Bonus(), []).points == 0
