"""The interview shortlist by hand: ratios, ties at the cut, pass marks and bonus points."""

from decimal import Decimal as D

import pytest

from recruitment.rules.schema import Bonus, CampaignRules, PassMarks, TieBreak
from recruitment.rules.scoring import WrittenResult, shortlist

RULES = CampaignRules()  # 1:3, 1:2 from a quota of 10, no written pass mark


def results(*scores):
    return [WrittenResult(f"A{n:03}", D(score)) for n, score in enumerate(scores, start=1)]


def numbers(result):
    return [c.application_no for c in result.kept]


def test_three_per_place():
    result = shortlist(results(90, 85, 80, 75, 70, 65, 60, 55), 2, RULES)
    assert result.places == 6
    assert numbers(result) == ["A001", "A002", "A003", "A004", "A005", "A006"]
    assert result.cut_line == D(65)


def test_everyone_tied_at_the_cut_passes():
    result = shortlist(results(90, 80, 80, 80, 70), 1, RULES)
    assert numbers(result) == ["A001", "A002", "A003", "A004"]
    assert result.cut_line == D(80)


def test_two_per_place_from_a_quota_of_ten():
    pool = results(*range(100, 70, -1))  # 30 distinct scores
    assert len(shortlist(pool, 10, RULES).kept) == 20
    assert shortlist(pool, 10, RULES).cut_line == D(81)
    assert len(shortlist(pool, 9, RULES).kept) == 27
    assert shortlist(pool, 9, RULES).cut_line == D(74)


def test_fewer_candidates_than_places_all_go_through():
    result = shortlist(results(70, 50), 2, RULES)
    assert numbers(result) == ["A001", "A002"] and result.cut_line == D(50)


def test_only_those_at_or_above_the_written_pass_mark():
    marked = CampaignRules(pass_marks=PassMarks(written=D(60)))
    result = shortlist(results(65, 60, "59.5", 58), 1, marked)
    assert numbers(result) == ["A001", "A002"] and result.cut_line == D(60)


def test_no_one_passed():
    marked = CampaignRules(pass_marks=PassMarks(written=D(60)))
    result = shortlist(results(50, 40), 1, marked)
    assert result.kept == () and result.cut_line is None and result.places == 3


def test_bonus_added_to_written_counts_for_the_shortlist_and_the_pass_mark():
    marked = CampaignRules(pass_marks=PassMarks(written=D(60)))
    pool = [
        WrittenResult("A001", D(70)),
        WrittenResult("A002", D(66)),
        WrittenResult("A003", D(65), bonus=D(3)),  # 68
        WrittenResult("A004", D(58), bonus=D(3)),  # 61: passes the mark with the bonus
        WrittenResult("A005", D(62)),
    ]
    result = shortlist(pool, 1, marked)
    assert numbers(result) == ["A001", "A003", "A002"] and result.cut_line == D(66)
    loose = shortlist(pool, 2, marked)
    assert numbers(loose) == ["A001", "A003", "A002", "A005", "A004"]
    assert loose.cut_line == D(61)


def test_bonus_added_to_the_composite_does_not_count_for_the_shortlist():
    rules = CampaignRules(
        pass_marks=PassMarks(written=D(60)), bonus=Bonus(added_to=TieBreak.COMPOSITE)
    )
    pool = [
        WrittenResult("A001", D(70)),
        WrittenResult("A002", D(66)),
        WrittenResult("A003", D(65), bonus=D(3)),
        WrittenResult("A004", D(58), bonus=D(3)),
    ]
    result = shortlist(pool, 1, rules)
    assert numbers(result) == ["A001", "A002", "A003"] and result.cut_line == D(65)


def test_a_quota_is_at_least_one():
    with pytest.raises(ValueError):
        shortlist(results(80), 0, RULES)
