"""A worker who left and was hired again: each employment's history, nothing between them, and
the grade of the new one resumed or restarted as the policy's on_rehire says.

The expected histories were worked out by hand from the shipped policies' rules (Tianjin: three
years a level on the anniversary, middle post at 2 excellent ratings and senior at 4 from 1
January after the year, posts' bottoms 4 and 7; Qingdao: trainee 1 year, junior 3) before the
engine was run on them.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from grading.ladder.episodes import Employment, evaluate_career
from grading.ladder.policy import RehireRule, StepReading, parse_policy, shipped_policies
from union_shared.vocabulary import Education, Rating

E, C = Rating.EXCELLENT, Rating.COMPETENT
TIANJIN = shipped_policies()["tianjin-3p18l"].versions[0]
QINGDAO = shipped_policies()["qingdao-ranks"].versions[0]

# Hired 2015-03-01; excellent in 2016 and 2017 (middle post from 2018-01-01, level 1 -> 4), the
# 3-year step on 2018-03-01 (level 5); left 2019-02-28, hired again 2020-03-01. Earlier service
# counted moves the seniority start forward by the gap of 366 days to 2016-03-01.
FIRST = Employment(date(2015, 3, 1), date(2015, 3, 1), date(2019, 2, 28))
RATINGS = {2015: C, 2016: E, 2017: E, 2018: C, 2020: E, 2021: E}
EPISODE_ONE = [
    ("junior", 1, date(2015, 3, 1), date(2017, 12, 31)),
    ("middle", 4, date(2018, 1, 1), date(2018, 2, 28)),
    ("middle", 5, date(2018, 3, 1), date(2019, 2, 28)),
]


def tianjin(**changes):
    return parse_policy({**TIANJIN.model_dump(mode="json"), **changes})


def career(policy, employments, as_of, ratings=RATINGS):
    replay = evaluate_career(employments, Education.BELOW_BACHELOR, ratings, [policy], as_of)
    return replay, [(i.post, i.level, i.start, i.end) for i in replay.evaluation.timeline]


def test_resume_is_the_default_and_shipped_policies_resume():
    assert TIANJIN.on_rehire is RehireRule.RESUME
    assert QINGDAO.on_rehire is RehireRule.RESUME


def test_resumed_with_earlier_service_the_grade_goes_on_from_the_day_of_leaving():
    # Middle 5 resumes on 2020-03-01 (the step due 2019-03-01 from the moved start is the one
    # already taken in 2018). Excellent 2016, 2017, 2020, 2021 are 4: senior from 2022-01-01,
    # level 5 -> 7; the 6-year step on 2022-03-01: level 8.
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    replay, timeline = career(TIANJIN, [FIRST, second], date(2023, 1, 1))
    assert timeline == [
        *EPISODE_ONE,
        ("middle", 5, date(2020, 3, 1), date(2021, 12, 31)),
        ("senior", 7, date(2022, 1, 1), date(2022, 2, 28)),
        ("senior", 8, date(2022, 3, 1), None),
    ]
    assert replay.evaluation.timeline[3].reasons[0].rule == "rehire.resume"
    assert (replay.evaluation.post, replay.evaluation.level) == ("senior", 8)
    assert len(replay.versions) == len(timeline)


def test_resumed_without_earlier_service_steps_count_from_the_new_hire_date():
    # Seniority from 2020-03-01: the first step is 2023-03-01 (senior 7 -> 8).
    second = Employment(date(2020, 3, 1), date(2020, 3, 1))
    _, timeline = career(TIANJIN, [FIRST, second], date(2023, 6, 1))
    assert timeline[3:] == [
        ("middle", 5, date(2020, 3, 1), date(2021, 12, 31)),
        ("senior", 7, date(2022, 1, 1), date(2023, 2, 28)),
        ("senior", 8, date(2023, 3, 1), None),
    ]


def test_restarted_the_new_employment_starts_at_entry_with_its_own_ratings():
    # Junior 1, plus the step the credited seniority (from 2016-03-01) earned by 2019-03-01:
    # junior 2 on the hire date. Only 2020 and 2021 count for posts: middle from 2022-01-01
    # (level 2 -> 4), the 6-year step on 2022-03-01: level 5.
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    replay, timeline = career(tianjin(on_rehire="restart"), [FIRST, second], date(2023, 1, 1))
    assert timeline == [
        *EPISODE_ONE,
        ("junior", 2, date(2020, 3, 1), date(2021, 12, 31)),
        ("middle", 4, date(2022, 1, 1), date(2022, 2, 28)),
        ("middle", 5, date(2022, 3, 1), None),
    ]
    assert replay.evaluation.timeline[3].reasons[0].rule == "rehire.restart"


def test_resumed_level_from_service_carries_the_service_not_the_raised_level():
    # Episode one under level_from_service: middle from 2018-01-01 at its bottom 4 with service
    # 1; the step on 2018-03-01 makes service 2, still 4. Resumed: senior from 2022-01-01 at its
    # bottom 7; the step on 2022-03-01 makes service 3, still 7.
    policy = tianjin(steps_after_post_change=StepReading.LEVEL_FROM_SERVICE.value)
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    _, timeline = career(policy, [FIRST, second], date(2023, 1, 1))
    assert timeline == [
        ("junior", 1, date(2015, 3, 1), date(2017, 12, 31)),
        ("middle", 4, date(2018, 1, 1), date(2019, 2, 28)),
        ("middle", 4, date(2020, 3, 1), date(2021, 12, 31)),
        ("senior", 7, date(2022, 1, 1), None),
    ]


def test_in_the_gap_the_history_is_the_first_employment_closed_on_its_last_day():
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    replay, timeline = career(TIANJIN, [FIRST, second], date(2019, 10, 1))
    assert timeline == EPISODE_ONE
    assert replay.evaluation.reasons[-1].rule == "left"


def test_the_first_employment_replays_as_it_did_before_the_re_hire():
    alone, _ = career(TIANJIN, [FIRST], date(2026, 1, 1))
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    both, _ = career(TIANJIN, [FIRST, second], date(2026, 1, 1))
    assert both.evaluation.timeline[:3] == alone.evaluation.timeline


def test_a_rank_resumes_and_its_years_count_again_from_the_re_hire():
    # Trainee from 2020-01-01, junior from 2021-01-01 (1 year), left 2022-06-30. Resumed on
    # 2023-01-01 as junior, three competent years from then: middle on 2026-01-01. Restarted:
    # trainee again, junior on 2024-01-01.
    ratings = {year: C for year in range(2020, 2026)}
    first = Employment(date(2020, 1, 1), date(2020, 1, 1), date(2022, 6, 30))
    second = Employment(date(2023, 1, 1), date(2023, 1, 1))
    _, resumed = career(QINGDAO, [first, second], date(2026, 6, 1), ratings)
    assert resumed == [
        ("trainee", 1, date(2020, 1, 1), date(2020, 12, 31)),
        ("junior", 1, date(2021, 1, 1), date(2022, 6, 30)),
        ("junior", 1, date(2023, 1, 1), date(2025, 12, 31)),
        ("middle", 1, date(2026, 1, 1), None),
    ]
    restart = parse_policy({**QINGDAO.model_dump(mode="json"), "on_rehire": "restart"})
    _, restarted = career(restart, [first, second], date(2026, 6, 1), ratings)
    assert restarted[2:] == [
        ("trainee", 1, date(2023, 1, 1), date(2023, 12, 31)),
        ("junior", 1, date(2024, 1, 1), None),
    ]


def test_an_employment_that_has_not_ended_cannot_be_followed_by_another():
    open_first = Employment(date(2015, 3, 1), date(2015, 3, 1))
    with pytest.raises(ValueError, match="has not ended"):
        career(
            TIANJIN, [open_first, Employment(date(2020, 3, 1), date(2020, 3, 1))], date(2021, 1, 1)
        )


README = Path(__file__).resolve().parents[4] / "README.md"
# A row of the example's table: | from | to | post | level | why |
ROW = re.compile(r"^\| (\d{4}-\d\d-\d\d) \| (\d{4}-\d\d-\d\d)? ?\| (\w+) \| (\d+) \|", re.M)


def test_the_readme_example_is_the_history_the_engine_gives():
    text = README.read_text(encoding="utf-8")
    start = text.index("### A worker hired again")
    section = text[start : text.index("\n## ", start)]
    stated = [
        (post, int(level), date.fromisoformat(begin), date.fromisoformat(end) if end else None)
        for begin, end, post, level in ROW.findall(section)
    ]
    second = Employment(date(2020, 3, 1), date(2016, 3, 1))
    _, timeline = career(TIANJIN, [FIRST, second], date(2023, 1, 1))
    assert stated == timeline
