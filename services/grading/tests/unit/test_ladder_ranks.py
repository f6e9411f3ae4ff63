from datetime import date

import pytest

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import WorkerFacts
from grading.ladder.policy import shipped_policies
from union_shared.events.catalogue import Rating

QINGDAO = shipped_policies()["qingdao-ranks"].versions[0]
EX, OK, BC, INC = (
    Rating.EXCELLENT,
    Rating.COMPETENT,
    Rating.BASICALLY_COMPETENT,
    Rating.INCOMPETENT,
)
D = date.fromisoformat
GOOD = {y: OK for y in range(2024, 2040)}


def worker(ratings, hire="2024-03-01", left_on=None):
    return WorkerFacts(
        hire_date=D(hire),
        seniority_start=D(hire),
        appraisals=ratings,
        left_on=D(left_on) if left_on else None,
    )


def rank(facts, as_of):
    result = evaluate(facts, QINGDAO, D(as_of))
    return result.post, result.level, result.effective_date.isoformat()


@pytest.mark.parametrize(
    ("ratings", "as_of", "expected"),
    [
        (GOOD, "2024-03-01", ("trainee", 1, "2024-03-01")),
        # one full year as trainee: promoted on the anniversary, not the day before
        (GOOD, "2025-02-28", ("trainee", 1, "2024-03-01")),
        (GOOD, "2025-03-01", ("junior", 1, "2025-03-01")),
        # three more as junior, three as middle; senior is the top
        (GOOD, "2028-02-29", ("junior", 1, "2025-03-01")),
        (GOOD, "2028-03-01", ("middle", 1, "2028-03-01")),
        (GOOD, "2031-03-01", ("senior", 1, "2031-03-01")),
        (GOOD, "2039-12-31", ("senior", 1, "2031-03-01")),
        # no appraisal yet (or a missing one) does not hold a promotion back
        ({}, "2025-03-01", ("junior", 1, "2025-03-01")),
        # a basically-competent year restarts the count from 1 January after it
        ({**GOOD, 2026: BC}, "2028-03-01", ("junior", 1, "2025-03-01")),
        ({**GOOD, 2026: BC}, "2029-12-31", ("junior", 1, "2025-03-01")),
        ({**GOOD, 2026: BC}, "2030-01-01", ("middle", 1, "2030-01-01")),
        # so does an incompetent one, here in the trainee year
        ({**GOOD, 2024: INC}, "2025-03-01", ("trainee", 1, "2024-03-01")),
        ({**GOOD, 2024: INC}, "2026-01-01", ("junior", 1, "2026-01-01")),
        # the year still running at a promotion counts against the new rank
        ({**GOOD, 2025: BC}, "2025-03-01", ("junior", 1, "2025-03-01")),
        ({**GOOD, 2025: BC}, "2028-03-01", ("junior", 1, "2025-03-01")),
        ({**GOOD, 2025: BC}, "2029-01-01", ("middle", 1, "2029-01-01")),
        # excellent qualifies like competent
        ({y: EX for y in range(2024, 2040)}, "2028-03-01", ("middle", 1, "2028-03-01")),
    ],
)
def test_rank_promotion(ratings, as_of, expected):
    assert rank(worker(ratings), as_of) == expected


def test_a_promotion_names_the_years_and_the_restart_that_led_to_it():
    result = evaluate(worker({**GOOD, 2026: BC}), QINGDAO, D("2030-01-01"))
    assert [r.rule for r in result.reasons] == ["rank.restart", "rank.promotion"]
    restart, promotion = result.reasons
    assert "2026 appraisal was rated basically competent" in restart.detail
    assert "count again from 2027-01-01" in restart.detail
    assert "from 2027-01-01 to 2029-12-31" in promotion.detail
    assert "2027 competent; 2028 competent; 2029 competent" in promotion.detail


def test_a_restart_without_a_promotion_yet_is_still_explained():
    result = evaluate(worker({**GOOD, 2026: BC}), QINGDAO, D("2027-06-30"))
    assert (result.post, result.effective_date) == ("junior", D("2025-03-01"))
    assert [r.rule for r in result.reasons] == ["rank.promotion", "rank.restart"]


def test_no_promotion_after_leaving():
    result = evaluate(worker(GOOD, left_on="2027-12-31"), QINGDAO, D("2035-01-01"))
    assert (result.post, result.level) == ("junior", 1)
    assert result.timeline[-1].end == D("2027-12-31")
    assert all(i.level == 1 for i in result.timeline)
