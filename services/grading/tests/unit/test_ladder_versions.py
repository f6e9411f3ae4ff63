"""A book of policy versions: each version decides the days it was in force. Publishing a new
version never changes a grade decided under an earlier one; from its effective date the grade
follows the new version's replay of the whole career."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import ONE_DAY, WorkerFacts
from grading.ladder.policy import parse_policy, shipped_policies
from grading.ladder.versions import evaluate_book, ruling
from union_shared.events.catalogue import Rating

V1 = shipped_policies()["tianjin-3p18l"].versions[0]  # one level every 3 years, from 2025-01-01


def version(number: int, effective_from: str, **changes):
    return parse_policy(
        {
            **V1.model_dump(mode="json"),
            "version": number,
            "effective_from": effective_from,
            **changes,
        }
    )


V2 = version(2, "2027-01-01", seniority={"years_per_level": 2, "takes_effect": "anniversary"})
V3 = version(3, "2029-01-01", seniority={"years_per_level": 4, "takes_effect": "anniversary"})
# Other demotion rules, the same steps: the grade goes on unchanged across the boundary.
V2_SAME_STEPS = version(2, "2027-01-01", demotion={"consecutive_basically_competent": 3})
D = date.fromisoformat


def worker(hire: str, left_on: str | None = None, **ratings: str) -> WorkerFacts:
    return WorkerFacts(
        hire_date=D(hire),
        seniority_start=D(hire),
        appraisals={int(year[1:]): Rating(r) for year, r in ratings.items()},
        left_on=D(left_on) if left_on else None,
    )


def spans(result):
    """(start, end, post, level, version) per interval; end None while it lasts."""
    return [
        (str(i.start), i.end and str(i.end), i.post, i.level, v.version)
        for i, v in zip(result.evaluation.timeline, result.versions, strict=True)
    ]


CASES = [
    pytest.param(
        worker("2018-03-01"),
        [V1, V2],
        "2026-12-31",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", None, "junior", 3, 1),
        ],
        id="before the new version takes effect, only the old one decides",
    ),
    pytest.param(
        worker("2018-03-01"),
        [V1, V2],
        "2029-06-01",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", "2026-12-31", "junior", 3, 1),
            # Version 2's replay (a level every 2 years) has level 5 since 2026-03-01.
            ("2027-01-01", "2028-02-29", "junior", 5, 2),
            ("2028-03-01", None, "junior", 6, 2),
        ],
        id="the past is unchanged, the future follows the new rule",
    ),
    pytest.param(
        worker("2019-01-01"),
        [V1, V2],
        "2027-06-01",
        [
            ("2019-01-01", "2021-12-31", "junior", 1, 1),
            ("2022-01-01", "2024-12-31", "junior", 2, 1),
            ("2025-01-01", "2026-12-31", "junior", 3, 1),
            ("2027-01-01", None, "junior", 5, 2),  # version 2 steps on that very day
        ],
        id="a step of the new version on its effective date",
    ),
    pytest.param(
        worker("2018-03-01"),
        [V1, V2_SAME_STEPS],
        "2027-06-01",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", "2026-12-31", "junior", 3, 1),
            ("2027-01-01", "2027-02-28", "junior", 3, 2),
            ("2027-03-01", None, "junior", 4, 2),
        ],
        id="the same grade across the boundary is split, so each version keeps its days",
    ),
    pytest.param(
        worker("2018-03-01"),
        [V1, V2, V3],
        "2029-06-01",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", "2026-12-31", "junior", 3, 1),
            ("2027-01-01", "2028-02-29", "junior", 5, 2),
            ("2028-03-01", "2028-12-31", "junior", 6, 2),
            ("2029-01-01", None, "junior", 3, 3),  # a level every 4 years: level 3 since 2026
        ],
        id="three versions, each its own period",
    ),
    pytest.param(
        worker("2027-05-01"),
        [V1, V2],
        "2030-01-01",
        [("2027-05-01", "2029-04-30", "junior", 1, 2), ("2029-05-01", None, "junior", 2, 2)],
        id="hired under the new version: the old one decides nothing",
    ),
    pytest.param(
        worker("2018-03-01", left_on="2026-06-30"),
        [V1, V2],
        "2029-06-01",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", "2026-06-30", "junior", 3, 1),
        ],
        id="left before the new version: the old one decides the whole career",
    ),
    pytest.param(
        worker("2018-03-01"),
        [V1],
        "2029-06-01",
        [
            ("2018-03-01", "2021-02-28", "junior", 1, 1),
            ("2021-03-01", "2024-02-29", "junior", 2, 1),
            ("2024-03-01", "2027-02-28", "junior", 3, 1),
            ("2027-03-01", None, "junior", 4, 1),
        ],
        id="one version decides everything, even before its effective date",
    ),
]


@pytest.mark.parametrize(("facts", "versions", "as_of", "expected"), CASES)
def test_each_version_decides_its_own_period(facts, versions, as_of, expected):
    assert spans(evaluate_book(facts, versions, D(as_of))) == expected


@pytest.mark.parametrize(
    ("facts", "versions", "as_of", "reason"),
    [
        (
            worker("2018-03-01"),
            [V1, V2],
            "2027-02-01",
            "Version 2 of policy tianjin-3p18l took effect on 2027-01-01: from that day the "
            "grade follows its rules (junior level 3 -> junior level 5).",
        ),
        (
            worker("2018-03-01"),
            [V1, V2_SAME_STEPS],
            "2027-02-01",
            "Version 2 of policy tianjin-3p18l took effect on 2027-01-01: from that day the "
            "grade follows its rules (junior level 3 is kept).",
        ),
    ],
)
def test_the_first_interval_under_a_new_version_says_so(facts, versions, as_of, reason):
    result = evaluate_book(facts, versions, D(as_of))
    first = result.evaluation.timeline[3]
    assert (first.reasons[0].rule, first.reasons[0].detail) == ("policy.version", reason)
    # The grade on the date is that interval's, so its reasons start the same way.
    assert result.evaluation.reasons[0] == first.reasons[0]
    assert result.evaluation.effective_date == D("2027-01-01")
    assert result.policy.version == 2


def test_a_step_on_the_effective_date_keeps_its_own_reason_after_the_versions():
    result = evaluate_book(worker("2019-01-01"), [V1, V2], D("2027-06-01"))
    assert [r.rule for r in result.evaluation.timeline[-1].reasons] == [
        "policy.version",
        "seniority.step",
    ]


def test_flags_from_any_version_are_kept_once():
    facts = worker("2018-03-01", y2020="incompetent")
    result = evaluate_book(facts, [V1, V2], D("2029-06-01"))
    assert result.evaluation.flags == ["review: the 2020 appraisal was rated incompetent"]


@pytest.mark.parametrize(
    ("hire", "last_day", "expected"),
    [
        ("2018-03-01", "2026-12-31", [1]),
        ("2018-03-01", "2027-01-01", [1, 2]),
        ("2018-03-01", "2030-01-01", [1, 2, 3]),
        ("2027-01-01", "2030-01-01", [2, 3]),
        ("2028-06-01", "2028-06-01", [2]),
    ],
)
def test_the_versions_that_rule_a_career(hire, last_day, expected):
    chosen = ruling([V1, V2, V3], D(hire), D(last_day))
    assert [v.version for v in chosen] == expected


# --- a version in force in the past is never changed, whatever the worker -------------------

BOUNDARY = V2.effective_from


@st.composite
def careers(draw):
    hire = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
    years = draw(st.lists(st.sampled_from(list(Rating)), max_size=15))
    left_after = draw(st.none() | st.integers(0, 20 * 365))
    return WorkerFacts(
        hire_date=hire,
        seniority_start=hire - timedelta(days=draw(st.integers(0, 10 * 365))),
        appraisals={hire.year + i: rating for i, rating in enumerate(years)},
        left_on=None if left_after is None else hire + timedelta(days=left_after),
    )


@given(careers(), st.integers(0, 25 * 365))
def test_publishing_a_version_never_changes_the_days_before_it(facts, days):
    as_of = facts.hire_date + timedelta(days=days)
    with_new = evaluate_book(facts, [V1, V2], as_of)
    timeline = with_new.evaluation.timeline
    # Contiguous from the hire date, and each interval decided by the version in force then.
    assert timeline[0].start == facts.hire_date
    for before, after in pairwise(timeline):
        assert before.end is not None and after.start == before.end + ONE_DAY
    for interval, decided_by in zip(timeline, with_new.versions, strict=True):
        assert decided_by is (V2 if interval.start >= BOUNDARY else V1)
    # The days before the boundary are exactly what version 1 alone decided.
    if facts.hire_date < BOUNDARY:
        old_only = evaluate(facts, V1, min(as_of, BOUNDARY - ONE_DAY)).timeline
        past = [i for i in timeline if i.start < BOUNDARY]
        assert [(i.post, i.level, i.start) for i in past] == [
            (i.post, i.level, i.start) for i in old_only
        ]
        assert [i.end for i in past[:-1]] == [i.end for i in old_only[:-1]]
