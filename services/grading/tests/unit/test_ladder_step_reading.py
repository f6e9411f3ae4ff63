"""How seniority steps combine with a post reached by merit, read two ways (DOMAIN.md, "Grading:
the post-and-level ladder"): `level_carried` (the raised level is the new starting point, later
steps add to it) and `level_from_service` (1 + counted steps + entry credit - demotions, raised
to the post's bottom and capped at its top).

Every expectation below was worked out by hand from the Tianjin ladder (junior 1-12, middle
4-15, senior 7-18; a step every 3 counted years on the anniversary; middle after 2 excellent
ratings, senior after 4, from 1 January after the appraisal year; a basically-competent year
does not count; two in a row lower the level by one) before the engine was run on it.
"""

from datetime import date

import pytest
from pydantic import ValidationError

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import WorkerFacts
from grading.ladder.policy import StepReading, parse_policy, shipped_policies
from union_shared.events.catalogue import Education, Rating

TIANJIN = shipped_policies()["tianjin-3p18l"].versions[0]
EX, OK, BC = Rating.EXCELLENT, Rating.COMPETENT, Rating.BASICALLY_COMPETENT
D = date.fromisoformat


def reading(value: str):
    return parse_policy({**TIANJIN.model_dump(mode="json"), "steps_after_post_change": value})


CARRIED = reading("level_carried")
FROM_SERVICE = reading("level_from_service")


def worker(hire, start=None, ratings=None, education=Education.BELOW_BACHELOR):
    return WorkerFacts(
        hire_date=D(hire),
        seniority_start=D(start or hire),
        education=education,
        appraisals=dict(ratings or {}),
    )


def grade(facts, as_of, policy):
    result = evaluate(facts, policy, D(as_of))
    return result.post, result.level, result.effective_date.isoformat()


# (facts, as_of, under level_carried, under level_from_service)
CAREERS = {
    # The worked example. Excellent 2022 and 2023: middle from 2024-01-01.
    #   carried: level 1 raised to middle's bottom 4; step on 2025-03-01 (3 years): 4 + 1 = 5.
    #   service: 1 + 1 step = 2, raised to middle's bottom: 4 (since 2024-01-01; the step
    #   moves the service level 1 -> 2 and leaves the grade alone). 2024's third excellent
    #   rating is short of senior's 4.
    "worked example": (
        worker("2022-03-01", ratings={2022: EX, 2023: EX, 2024: EX}),
        "2025-03-01",
        ("middle", 5, "2025-03-01"),
        ("middle", 4, "2024-01-01"),
    ),
    # No merit: steps on 2023-06-15 and 2026-06-15 give 1 + 2 = 3 either way.
    "steps only (agree)": (
        worker("2020-06-15", ratings={y: OK for y in range(2020, 2026)}),
        "2026-06-15",
        ("junior", 3, "2026-06-15"),
        ("junior", 3, "2026-06-15"),
    ),
    # Steps 2013, 2016, 2019, 2022 (1 January): level 5 before the middle post comes on
    # 2024-01-01 (excellent 2022, 2023); 5 lies in 4-15, so nothing is raised and both readings
    # give 1 + 5 steps = 6 after the 2025-01-01 step.
    "promoted within range (agree)": (
        worker("2010-01-01", ratings={2022: EX, 2023: EX}),
        "2025-01-01",
        ("middle", 6, "2025-01-01"),
        ("middle", 6, "2025-01-01"),
    ),
    # 34 credited years at the hire date: 11 steps, 1 + 11 = 12, the top of junior. The 12th
    # step (2022-05-01, 36 years) is capped. Excellent 2021, 2022: middle from 2023-01-01.
    #   carried: the capped step is lost; 12 kept in middle; the 13th step (2025-05-01): 13.
    #   service: 1 + 12 = 13 capped at 12 in junior; in middle (top 15) 13 from 2023-01-01;
    #   the 13th step: 1 + 13 = 14.
    "capped in junior, then middle": (
        worker("2020-05-01", "1986-05-01", {2021: EX, 2022: EX}),
        "2025-05-01",
        ("middle", 13, "2025-05-01"),
        ("middle", 14, "2025-05-01"),
    ),
    # Never promoted, 40 years: steps on 2003, 2006, ..., 2039 (13 of them). 1 + 11 = 12, the
    # top of junior, on 2033-01-01; the last two steps are capped under either reading.
    "capped at junior's top (agree)": (
        worker("2000-01-01"),
        "2040-01-01",
        ("junior", 12, "2033-01-01"),
        ("junior", 12, "2033-01-01"),
    ),
    # Excellent 1980-1983: middle 1982-01-01, senior 1984-01-01; step k on 1 January 1980 + 3k.
    #   carried: 1 -> 4 (middle's bottom); k=1 (1983): 5; senior: 5 -> 7; from k=2 the level
    #   is 6 + k, 18 (senior's top) at k=12, 2016-01-01; later steps are capped.
    #   service: 1 + k, raised to 7 in senior, reaches 18 at k=17, 2031-01-01.
    # The same grade in 2040, reached fifteen years apart.
    "capped at senior's top (agree on the grade)": (
        worker("1980-01-01", ratings={1980: EX, 1981: EX, 1982: EX, 1983: EX}),
        "2040-01-01",
        ("senior", 18, "2016-01-01"),
        ("senior", 18, "2031-01-01"),
    ),
    # The README's ladder example. Seniority from 2016-03-01: one step credited at the hire
    # date (1 -> 2); 2021 and 2022 basically competent: not counted (the 6-year step comes on
    # 2024-03-01, two years late) and, two in a row, a demotion on 2023-01-01 (2 -> 1).
    # Excellent 2020 and 2023: middle from 2024-01-01; 2025's third is short of senior.
    #   carried: 1 -> 4 (middle's bottom); step 2024-03-01: 5.
    #   service: 1 + 1 - 1 = 1 -> 4 on 2024-01-01; step: 1 + 2 - 1 = 2, still below 4.
    "demotion, then promoted": (
        worker(
            "2019-03-01",
            "2016-03-01",
            {2019: OK, 2020: EX, 2021: BC, 2022: BC, 2023: EX, 2024: OK, 2025: EX},
        ),
        "2026-11-21",
        ("middle", 5, "2024-03-01"),
        ("middle", 4, "2024-01-01"),
    ),
    # Excellent 2020, 2021: middle 4 from 2022-01-01. 2022 and 2023 basically competent: the
    # first step (due 2023-01-01) comes two years late, 2025-01-01, and a demotion on
    # 2024-01-01 finds the level at middle's bottom.
    #   carried: the demotion is floored (4 stays); the step: 4 + 1 = 5.
    #   service: 1 - 1 would be 0, floored at level 1; the step: 1 + 1 = 2, below 4: 4.
    "demotion in the middle post": (
        worker("2020-01-01", ratings={2020: EX, 2021: EX, 2022: BC, 2023: BC}),
        "2025-01-01",
        ("middle", 5, "2025-01-01"),
        ("middle", 4, "2022-01-01"),
    ),
    # Excellent 2022-2025: middle 2024-01-01, senior 2026-01-01; steps every 1 March from 2025.
    #   carried: 1 -> 4; 2025: 5; senior: 5 -> 7; 2028: 8; 2031: 9.
    #   service: 1 + 3 steps = 4 by 2031, raised to senior's bottom 7 since 2026-01-01.
    "two raises, three steps": (
        worker("2022-03-01", ratings={y: EX for y in range(2022, 2026)}),
        "2031-03-01",
        ("senior", 9, "2031-03-01"),
        ("senior", 7, "2026-01-01"),
    ),
    # 34 credited years: 1 + 11 = 12 at the hire date; the 12th step (2022-05-01) is capped;
    # 2022 and 2023 basically competent, two in a row: a demotion on 2024-01-01.
    #   carried: the capped step was lost, so 12 - 1 = 11.
    #   service: 1 + 12 = 13, less 1 = 12, still junior's top: 12 since the hire date.
    "capped, then demoted": (
        worker("2020-05-01", "1986-05-01", {2022: BC, 2023: BC}),
        "2024-01-01",
        ("junior", 11, "2024-01-01"),
        ("junior", 12, "2020-05-01"),
    ),
}


@pytest.mark.parametrize(("facts", "as_of", "carried", "_"), CAREERS.values(), ids=CAREERS)
def test_level_carried(facts, as_of, carried, _):
    assert grade(facts, as_of, CARRIED) == carried


@pytest.mark.parametrize(("facts", "as_of", "_", "service"), CAREERS.values(), ids=CAREERS)
def test_level_from_service(facts, as_of, _, service):
    assert grade(facts, as_of, FROM_SERVICE) == service


def test_the_shipped_tianjin_ladder_carries_the_level():
    assert TIANJIN.steps_after_post_change is StepReading.LEVEL_CARRIED
    facts, as_of, carried, _ = CAREERS["worked example"]
    assert grade(facts, as_of, TIANJIN) == carried


def test_a_stored_document_without_the_field_carries_the_level():
    document = TIANJIN.model_dump(mode="json")
    del document["steps_after_post_change"]
    assert parse_policy(document) == CARRIED


def test_an_unknown_reading_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        reading("level_from_merit")
    assert [e["loc"] for e in refused.value.errors()] == [("post_level", "steps_after_post_change")]


def test_a_step_capped_in_one_post_counts_in_the_next_from_service():
    facts = worker("2020-05-01", "1986-05-01", {2021: EX, 2022: EX})
    # 2022-05-01: service 1 + 12 = 13 over junior's top, so the grade stays 12 and says why.
    capped = evaluate(facts, FROM_SERVICE, D("2022-05-01"))
    assert (capped.post, capped.level) == ("junior", 12)
    assert capped.reasons[-1].rule == "seniority.capped"
    assert "level from service 12 -> 13" in capped.reasons[-1].detail
    # 2023-01-01: middle allows 13.
    moved = evaluate(facts, FROM_SERVICE, D("2023-01-01"))
    assert (moved.post, moved.level, moved.reasons[0].rule) == ("middle", 13, "post.merit")
    assert "level 12 -> 13" in moved.reasons[0].detail


def test_a_demotion_above_the_top_from_service_keeps_the_level_and_says_why():
    facts, as_of, _, _ = CAREERS["capped, then demoted"]
    reason = evaluate(facts, FROM_SERVICE, D(as_of)).reasons[-1]
    assert reason.rule == "demotion.capped"
    assert "level from service 13 -> 12" in reason.detail


def test_the_worked_example_from_service_explains_the_step_that_changes_nothing():
    facts, as_of, _, _ = CAREERS["worked example"]
    result = evaluate(facts, FROM_SERVICE, D(as_of))
    assert [(i.post, i.level, i.start.isoformat()) for i in result.timeline] == [
        ("junior", 1, "2022-03-01"),
        ("middle", 4, "2024-01-01"),
    ]
    merit, step = result.reasons
    assert merit.rule == "post.merit" and "level 1 -> 4" in merit.detail
    assert step.rule == "seniority.below_bottom"
    assert "level from service 1 -> 2" in step.detail and "stays 4" in step.detail


def test_education_credit_counts_in_the_level_from_service():
    # Doctorate +3 at entry: 1 + 3 = 4 in junior; excellent 2025, 2026: middle from 2027-01-01,
    # 4 within 4-15 so kept (a new interval: the post changed); the step on 2028-03-01:
    # 1 + 3 + 1 = 5.
    educated = {"entry": {"post": "junior", "level": 1, "education_credit": {"enabled": True}}}
    document = {**FROM_SERVICE.model_dump(mode="json"), **educated}
    facts = worker("2025-03-01", ratings={2025: EX, 2026: EX}, education=Education.DOCTORATE)
    assert grade(facts, "2027-01-01", parse_policy(document)) == ("middle", 4, "2027-01-01")
    assert grade(facts, "2028-03-01", parse_policy(document)) == ("middle", 5, "2028-03-01")
