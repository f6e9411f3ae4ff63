"""The composite score by hand: weights, rounding half up, and where the bonus goes."""

from decimal import Decimal as D

import pytest

from recruitment.rules.schema import Bonus, CampaignRules, TieBreak, Weights
from recruitment.rules.scoring import composite, written_with_bonus

FIFTY = CampaignRules()
SIXTY_FORTY = CampaignRules(weights=Weights(written=D(60), interview=D(40)))
TO_COMPOSITE = CampaignRules(bonus=Bonus(added_to=TieBreak.COMPOSITE))


def test_fifty_fifty():
    # 78.5 × 0.5 + 81.25 × 0.5 = 39.25 + 40.625 = 79.875 → 79.88
    assert composite(D("78.5"), D("81.25"), FIFTY) == D("79.88")


def test_sixty_forty():
    # 72.33 × 0.6 + 85.67 × 0.4 = 43.398 + 34.268 = 77.666 → 77.67
    assert composite(D("72.33"), D("85.67"), SIXTY_FORTY) == D("77.67")


def test_a_half_rounds_up_not_to_even():
    # 80.01 × 0.5 + 80 × 0.5 = 80.005: half up gives 80.01 (banker's rounding would give 80.00)
    assert composite(D("80.01"), D(80), FIFTY) == D("80.01")
    # 80.03 × 0.5 + 80 × 0.5 = 80.015 → 80.02
    assert composite(D("80.03"), D(80), FIFTY) == D("80.02")


def test_the_number_of_places_is_the_rules():
    one = CampaignRules(weights=Weights(written=D(40), interview=D(60)), decimals=1)
    # 70 × 0.4 + 75.5 × 0.6 = 28 + 45.3 = 73.3
    assert str(composite(D(70), D("75.5"), one)) == "73.3"
    whole = CampaignRules(decimals=0)
    # 84.5 × 0.5 + 85 × 0.5 = 84.75 → 85
    assert str(composite(D("84.5"), D(85), whole)) == "85"
    assert str(composite(D(80), D(80), FIFTY)) == "80.00"


def test_bonus_added_to_the_written_score_counts_at_the_written_weight():
    # (70 + 5) × 0.5 + 80 × 0.5 = 37.5 + 40 = 77.50
    assert composite(D(70), D(80), FIFTY, bonus=D(5)) == D("77.50")
    assert written_with_bonus(D(70), D(5), FIFTY) == D(75)


def test_bonus_added_to_the_composite_counts_whole():
    # 70 × 0.5 + 80 × 0.5 + 5 = 80.00
    assert composite(D(70), D(80), TO_COMPOSITE, bonus=D(5)) == D("80.00")
    assert written_with_bonus(D(70), D(5), TO_COMPOSITE) == D(70)


def test_a_bonus_may_lift_the_composite_above_the_maximum():
    assert composite(D(100), D(100), TO_COMPOSITE, bonus=D(3)) == D("103.00")


@pytest.mark.parametrize(
    ("written", "interview", "bonus"),
    [
        (D(-1), D(80), D(0)),
        (D(80), D("100.01"), D(0)),
        (D(101), D(80), D(0)),
        (D(80), D(80), D(-1)),
    ],
)
def test_scores_outside_the_range_are_refused(written, interview, bonus):
    with pytest.raises(ValueError):
        composite(written, interview, FIFTY, bonus=bonus)


def test_more_places_than_storage_holds_are_refused():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="decimals"):
        CampaignRules(decimals=3)
