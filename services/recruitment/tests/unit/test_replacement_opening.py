"""Replacement from the ranking (递补) and the opening ratio (开考比例), by hand."""

from decimal import Decimal as D

import pytest

from recruitment.rules.schema import CampaignRules, PassMarks
from recruitment.rules.scoring import (
    Candidate,
    TieUnresolved,
    opening_check,
    rank,
    replacement,
)

RULES = CampaignRules()  # interview pass mark 60, replacement allowed


def cand(number, comp, interview):
    return Candidate(number, D(comp), D(comp), D(interview))


RANKED = rank([cand("A", 90, 90), cand("B", 85, 59), cand("C", 80, 80), cand("D", 75, 75)], RULES)


def picked(ranked, taken, out, rules=RULES):
    row = replacement(ranked, taken, out, rules)
    return None if row is None else row.candidate.application_no


def test_the_next_ranked_who_passed_the_interview_mark():
    # A withdrew; B is next but scored 59 at interview, below 60.
    assert picked(RANKED, set(), {"A"}) == "C"


def test_taken_and_out_are_both_skipped():
    assert picked(RANKED, {"A", "C"}, {"A"}) == "D"
    assert picked(RANKED, {"A"}, {"C"}) == "D"


def test_without_an_interview_pass_mark_the_next_ranked_comes():
    no_mark = CampaignRules(pass_marks=PassMarks(interview=None))
    assert picked(RANKED, {"A"}, {"A"}, no_mark) == "B"


def test_none_left():
    assert picked(RANKED, {"A", "C", "D"}, {"A"}) is None


def test_forbidden_by_the_announcement():
    assert picked(RANKED, {"A"}, {"A"}, CampaignRules(replacement_allowed=False)) is None


def test_a_tie_at_the_next_place_is_for_a_run_off_to_decide():
    tied = rank([cand("A", 90, 90), cand("B", 80, 80), cand("C", 80, 80)], RULES)
    with pytest.raises(TieUnresolved, match="B, C"):
        replacement(tied, {"A"}, {"A"}, RULES)
    # Once one of the tied is taken, the other is the next.
    assert picked(tied, {"A", "B"}, {"A"}) == "C"


def test_opening_three_per_place():
    check = opening_check(6, 2, RULES)
    assert check.opens and check.needed == 6 and check.ratio == D("3.00")
    short = opening_check(5, 2, RULES)
    assert not short.opens and short.needed == 6 and short.ratio == D("2.50")
    assert "cut or merged" in short.message and "2.50:1" in short.message


def test_the_ratio_is_rounded_down_so_a_short_posting_never_shows_the_ratio():
    check = opening_check(2999, 1000, RULES)
    assert not check.opens and check.ratio == D("2.99")
    assert opening_check(8, 3, RULES).ratio == D("2.66")  # 2.666...


def test_the_opening_ratio_is_the_rules():
    check = opening_check(9, 2, CampaignRules(min_applicants_per_place=5))
    assert not check.opens and check.needed == 10
