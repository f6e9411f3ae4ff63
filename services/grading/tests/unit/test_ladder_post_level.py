from datetime import date

import pytest

from grading.ladder.engine import evaluate, explain
from grading.ladder.evaluation import WorkerFacts
from grading.ladder.policy import parse_policy, shipped_policies
from union_shared.events.catalogue import Education, Rating

TIANJIN = shipped_policies()["tianjin-3p18l"].versions[0]
EX, OK, BC, INC = (
    Rating.EXCELLENT,
    Rating.COMPETENT,
    Rating.BASICALLY_COMPETENT,
    Rating.INCOMPETENT,
)
D = date.fromisoformat


def variant(**changes):
    return parse_policy({**TIANJIN.model_dump(mode="json"), **changes})


JANUARY = variant(seniority={"years_per_level": 3, "takes_effect": "next_january_first"})
EDUCATED = variant(
    entry={"post": "junior", "level": 1, "education_credit": {"enabled": True}},
    post_thresholds={"middle": 2, "senior": 4},
)


def worker(hire, start=None, ratings=None, education=Education.BELOW_BACHELOR, left_on=None):
    return WorkerFacts(
        hire_date=D(hire),
        seniority_start=D(start or hire),
        education=education,
        appraisals=dict(ratings or {}),
        left_on=D(left_on) if left_on else None,
    )


def grade(facts, as_of, policy=TIANJIN):
    result = evaluate(facts, policy, D(as_of))
    return result.post, result.level, result.effective_date.isoformat()


def rules(facts, as_of, policy=TIANJIN):
    return [r.rule for r in evaluate(facts, policy, D(as_of)).reasons]


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        # entry: level 1 of the junior post on the hire date
        (worker("2025-03-10"), "2025-03-10", ("junior", 1, "2025-03-10")),
        # a step on the anniversary, not the day before
        (worker("2020-06-15"), "2023-06-14", ("junior", 1, "2020-06-15")),
        (worker("2020-06-15"), "2023-06-15", ("junior", 2, "2023-06-15")),
        (worker("2020-06-15"), "2026-06-15", ("junior", 3, "2026-06-15")),
        # from 29 February, a common year's anniversary is 28 February...
        (worker("2024-02-29"), "2027-02-27", ("junior", 1, "2024-02-29")),
        (worker("2024-02-29"), "2027-02-28", ("junior", 2, "2027-02-28")),
        # ...and a leap year's is 29 February again (12 years on)
        (worker("2024-02-29"), "2036-02-28", ("junior", 4, "2033-02-28")),
        (worker("2024-02-29"), "2036-02-29", ("junior", 5, "2036-02-29")),
        # a year that does not count pushes the step due after it by a year
        (worker("2020-01-01", ratings={2021: BC}), "2023-01-01", ("junior", 1, "2020-01-01")),
        (worker("2020-01-01", ratings={2021: BC}), "2024-01-01", ("junior", 2, "2024-01-01")),
        # a step due during the poor year itself is not held back; the next one is
        (worker("2020-06-15", ratings={2023: BC}), "2023-06-15", ("junior", 2, "2023-06-15")),
        (worker("2020-06-15", ratings={2023: BC}), "2026-06-15", ("junior", 2, "2023-06-15")),
        (worker("2020-06-15", ratings={2023: BC}), "2027-06-15", ("junior", 3, "2027-06-15")),
        # credited prior service: steps already earned apply on the hire date
        (worker("2023-09-01", "2017-03-01"), "2023-09-01", ("junior", 3, "2023-09-01")),
        (worker("2023-09-01", "2017-03-01"), "2026-03-01", ("junior", 4, "2026-03-01")),
        (worker("2023-09-01", "2020-09-01"), "2023-09-01", ("junior", 2, "2023-09-01")),
        (worker("2023-09-01", "2020-09-02"), "2023-09-01", ("junior", 1, "2023-09-01")),
    ],
)
def test_seniority_steps(facts, as_of, expected):
    assert grade(facts, as_of) == expected


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        # 1 January of the next year...
        (worker("2020-06-15"), "2023-06-15", ("junior", 1, "2020-06-15")),
        (worker("2020-06-15"), "2023-12-31", ("junior", 1, "2020-06-15")),
        (worker("2020-06-15"), "2024-01-01", ("junior", 2, "2024-01-01")),
        # ...or the anniversary itself when it falls on 1 January
        (worker("2020-01-01"), "2023-01-01", ("junior", 2, "2023-01-01")),
        (worker("2023-09-01", "2020-06-01"), "2023-09-01", ("junior", 1, "2023-09-01")),
        (worker("2023-09-01", "2020-06-01"), "2024-01-01", ("junior", 2, "2024-01-01")),
    ],
)
def test_seniority_steps_on_the_next_first_of_january_when_configured(facts, as_of, expected):
    assert grade(facts, as_of, JANUARY) == expected


def test_a_capped_step_is_lost_then_the_new_post_keeps_the_level():
    # 34 credited years: 11 steps on the hire date reach 12, the top of the junior post
    facts = worker("2020-05-01", "1986-05-01", {2021: EX, 2022: EX})
    assert grade(facts, "2020-05-01") == ("junior", 12, "2020-05-01")
    # the step due 2022-05-01 is capped and lost (not banked)
    assert grade(facts, "2022-05-01") == ("junior", 12, "2020-05-01")
    assert "seniority.capped" in rules(facts, "2022-05-01")
    # two excellent ratings: middle post from 1 January 2023, level 12 kept (4-15)
    assert grade(facts, "2022-12-31") == ("junior", 12, "2020-05-01")
    assert grade(facts, "2023-01-01") == ("middle", 12, "2023-01-01")
    assert rules(facts, "2023-01-01") == ["post.merit"]
    # the next step gives 13, not 14: the capped step did not bank
    assert grade(facts, "2025-05-01") == ("middle", 13, "2025-05-01")


def test_a_new_post_and_a_step_on_the_same_day_count_the_step_in_the_new_post():
    facts = worker("2020-01-01", "1980-01-01", {2020: EX, 2021: EX})  # step due 2022-01-01
    result = evaluate(facts, TIANJIN, D("2022-01-01"))
    assert (result.post, result.level) == ("middle", 13)
    assert [r.rule for r in result.timeline[-1].reasons] == ["post.merit", "seniority.step"]


@pytest.mark.parametrize(
    ("ratings", "as_of", "expected"),
    [
        # hired mid-year so that seniority steps (1 July 2023, 2026) stay apart
        ({2020: EX}, "2021-01-01", ("junior", 1, "2020-07-01")),
        # the second excellent year has not ended yet
        ({2020: EX, 2021: EX}, "2021-12-31", ("junior", 1, "2020-07-01")),
        # middle post from 1 January after the second; level raised to its bottom
        ({2020: EX, 2021: EX}, "2022-01-01", ("middle", 4, "2022-01-01")),
        ({2020: EX, 2021: OK, 2022: EX}, "2022-12-31", ("junior", 1, "2020-07-01")),
        ({2020: EX, 2021: OK, 2022: EX}, "2023-01-01", ("middle", 4, "2023-01-01")),
        ({2020: EX, 2021: EX, 2022: EX}, "2023-06-30", ("middle", 4, "2022-01-01")),
        # a step in the middle post
        ({2020: EX, 2021: EX}, "2023-07-01", ("middle", 5, "2023-07-01")),
        # senior after four; level 5 raised to its bottom 7
        ({y: EX for y in range(2020, 2024)}, "2024-01-01", ("senior", 7, "2024-01-01")),
        ({2020: EX, 2021: EX, 2023: EX, 2025: EX}, "2025-12-31", ("middle", 5, "2023-07-01")),
        ({2020: EX, 2021: EX, 2023: EX, 2025: EX}, "2026-01-01", ("senior", 7, "2026-01-01")),
    ],
)
def test_posts_follow_the_count_of_excellent_ratings(ratings, as_of, expected):
    assert grade(worker("2020-07-01", ratings=ratings), as_of) == expected


def test_posts_never_go_down():
    facts = worker("2020-01-01", ratings={2020: EX, 2021: EX, 2022: INC, 2023: BC, 2024: BC})
    assert {i.post for i in evaluate(facts, TIANJIN, D("2030-01-01")).timeline[1:]} == {"middle"}


@pytest.mark.parametrize(
    ("ratings", "as_of", "expected", "rule"),
    [
        # steps 2018-01-01 (2) and 2021-01-01 (3); 2021 and 2022 basically competent
        ({2021: BC, 2022: BC}, "2022-12-31", ("junior", 3, "2021-01-01"), "seniority.step"),
        (
            {2021: BC, 2022: BC},
            "2023-01-01",
            ("junior", 2, "2023-01-01"),
            "demotion.basically_competent",
        ),
        # a third in a row is not a new pair; a fourth is
        (
            {2021: BC, 2022: BC, 2023: BC},
            "2024-01-01",
            ("junior", 2, "2023-01-01"),
            "demotion.basically_competent",
        ),
        (
            {2021: BC, 2022: BC, 2023: BC, 2024: BC},
            "2025-01-01",
            ("junior", 1, "2025-01-01"),
            "demotion.basically_competent",
        ),
        # not in a row: no demotion
        (
            {2021: BC, 2022: OK, 2023: BC},
            "2024-06-30",
            ("junior", 3, "2021-01-01"),
            "seniority.step",
        ),
        # never below the bottom of the post
        (
            {2015: BC, 2016: BC},
            "2017-01-01",
            ("junior", 1, "2015-01-01"),
            "demotion.floored",
        ),
    ],
)
def test_two_basically_competent_years_in_a_row_lower_the_level(ratings, as_of, expected, rule):
    facts = worker("2015-01-01", ratings=ratings)
    assert grade(facts, as_of) == expected
    assert rule in rules(facts, as_of)


def test_a_demotion_stays_within_the_middle_post():
    facts = worker("2020-01-01", ratings={2020: EX, 2021: EX, 2022: BC, 2023: BC})
    assert grade(facts, "2024-01-01") == ("middle", 4, "2022-01-01")
    assert "demotion.floored" in rules(facts, "2024-01-01")


def test_an_incompetent_year_flags_review_and_gives_no_step():
    facts = worker("2020-01-01", ratings={2021: INC})
    assert evaluate(facts, TIANJIN, D("2021-12-31")).flags == []
    result = evaluate(facts, TIANJIN, D("2023-01-01"))
    assert result.flags == ["review: the 2021 appraisal was rated incompetent"]
    assert (result.post, result.level) == ("junior", 1)
    assert grade(facts, "2024-01-01") == ("junior", 2, "2024-01-01")
    step = evaluate(facts, TIANJIN, D("2024-01-01")).reasons[0]
    assert step.rule == "seniority.step"
    assert "2021 (incompetent)" in step.detail


@pytest.mark.parametrize(
    ("education", "policy", "level"),
    [
        (Education.MASTER, TIANJIN, 1),  # off by default
        (Education.BELOW_BACHELOR, EDUCATED, 1),
        (Education.BACHELOR, EDUCATED, 2),
        (Education.MASTER, EDUCATED, 3),
        (Education.DOCTORATE, EDUCATED, 4),
    ],
)
def test_education_credit_when_enabled(education, policy, level):
    facts = worker("2025-03-01", education=education)
    assert grade(facts, "2025-03-01", policy) == ("junior", level, "2025-03-01")


def test_nothing_changes_after_the_worker_leaves():
    facts = worker("2020-01-01", ratings={2023: EX, 2024: EX}, left_on="2024-06-30")
    before = evaluate(facts, TIANJIN, D("2024-06-29"))
    assert before.timeline[-1].end is None
    after = evaluate(facts, TIANJIN, D("2030-01-01"))
    assert (after.post, after.level, after.effective_date) == ("junior", 2, D("2023-01-01"))
    assert after.timeline[-1].end == D("2024-06-30")
    assert after.reasons[-1].rule == "left"


def test_the_timeline_explains_every_change_from_the_hire_date():
    facts = worker("2016-03-14", "2014-09-01", {2017: EX, 2019: BC, 2020: BC, 2021: EX})
    result = evaluate(facts, TIANJIN, D("2026-06-30"))
    assert [
        (i.post, i.level, i.start.isoformat(), [r.rule for r in i.reasons]) for i in result.timeline
    ] == [
        ("junior", 1, "2016-03-14", ["entry"]),
        ("junior", 2, "2017-09-01", ["seniority.step"]),
        ("junior", 1, "2021-01-01", ["demotion.basically_competent"]),
        ("middle", 4, "2022-01-01", ["post.merit"]),
        ("middle", 5, "2022-09-01", ["seniority.step"]),
        ("middle", 6, "2025-09-01", ["seniority.step"]),
    ]
    merit = result.timeline[3].reasons[0].detail
    assert "2 excellent ratings (2017, 2021)" in merit
    assert "level 1 -> 4" in merit
    assert "2019 (basically competent), 2020 (basically competent)" in result.reasons[0].detail
    assert "中级岗 level" not in explain(result)  # codes in the history, names in the reasons
    assert "middle level 6 since 2025-09-01" in explain(result)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hire": "2020-01-01", "start": "2020-01-02"}, "after the hire date"),
        ({"hire": "2020-01-01", "ratings": {2019: OK}}, "predate the hire year"),
        ({"hire": "2020-01-01", "left_on": "2019-12-31"}, "before the hire date"),
    ],
)
def test_facts_that_cannot_be_true_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        worker(**kwargs)


def test_no_grade_before_the_hire_date():
    with pytest.raises(ValueError, match="before the hire date"):
        evaluate(worker("2020-01-01"), TIANJIN, D("2019-12-31"))
