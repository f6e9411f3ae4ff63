"""Ranking by the tie-break chain, competition ranks and run-offs, by hand."""

from decimal import Decimal as D

import pytest

from recruitment.rules.schema import CampaignRules, TieBreak
from recruitment.rules.scoring import Candidate, rank

RULES = CampaignRules()  # composite, then written, then run-off


def cand(number, comp, written, interview=D(80), run_off=None):
    return Candidate(
        number, D(comp), D(written), D(interview), None if run_off is None else D(run_off)
    )


def table(rows):
    return [(row.candidate.application_no, row.rank, row.run_off_needed) for row in rows]


def test_competition_ranking_1_2_2_4():
    rows = rank([cand("D", 80, 80), cand("C", 85, 80), cand("A", 90, 85), cand("B", 85, 80)], RULES)
    assert table(rows) == [("A", 1, False), ("B", 2, True), ("C", 2, True), ("D", 4, False)]


def test_the_written_score_breaks_a_composite_tie():
    rows = rank([cand("A", 85, 80), cand("B", 85, 82)], RULES)
    assert table(rows) == [("B", 1, False), ("A", 2, False)]


def test_a_run_off_breaks_what_the_written_score_cannot():
    rows = rank([cand("C", 80, 75, run_off=88), cand("D", 80, 75, run_off=90)], RULES)
    assert table(rows) == [("D", 1, False), ("C", 2, False)]


def test_until_every_tied_candidate_has_a_run_off_score_the_tie_stands():
    rows = rank([cand("E", 70, 70), cand("C", 80, 75, run_off=88), cand("D", 80, 75)], RULES)
    assert table(rows) == [("C", 1, True), ("D", 1, True), ("E", 3, False)]


def test_equal_run_off_scores_leave_the_tie():
    rows = rank([cand("C", 80, 75, run_off=88), cand("D", 80, 75, run_off=88)], RULES)
    assert table(rows) == [("C", 1, True), ("D", 1, True)]


def test_the_chain_is_the_rules_chain():
    by_interview = CampaignRules(tie_breaks=(TieBreak.COMPOSITE, TieBreak.INTERVIEW))
    pair = [cand("A", 85, 90, interview=80), cand("B", 85, 80, interview=90)]
    assert table(rank(pair, by_interview)) == [("B", 1, False), ("A", 2, False)]
    assert table(rank(pair, RULES)) == [("A", 1, False), ("B", 2, False)]
    # A chain without a run-off leaves a full tie flagged all the same.
    tied = [cand("A", 85, 80), cand("B", 85, 80)]
    assert table(rank(tied, by_interview)) == [("A", 1, True), ("B", 1, True)]


def test_the_input_order_does_not_matter():
    pool = [cand("B", 85, 80), cand("A", 85, 80), cand("C", 90, 70)]
    assert rank(pool, RULES) == rank(list(reversed(pool)), RULES)


def test_empty_and_single():
    assert rank([], RULES) == []
    assert table(rank([cand("A", 1, 1)], RULES)) == [("A", 1, False)]


def test_an_application_is_ranked_once():
    with pytest.raises(ValueError):
        rank([cand("A", 80, 80), cand("A", 70, 70)], RULES)
