from datetime import date, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import ONE_DAY, WorkerFacts, anniversary
from grading.ladder.policy import level_range, parse_policy, shipped_policies
from union_shared.events.catalogue import Education, Rating

BOOKS = shipped_policies()
TIANJIN = BOOKS["tianjin-3p18l"].versions[0]
QINGDAO = BOOKS["qingdao-ranks"].versions[0]
# Every timing option, education credit on, deeper demotions, a different step rhythm.
VARIANT = parse_policy(
    {
        **TIANJIN.model_dump(mode="json"),
        "seniority": {"years_per_level": 2, "takes_effect": "next_january_first"},
        "demotion": {"consecutive_basically_competent": 2, "levels": 3},
        "entry": {"post": "junior", "level": 1, "education_credit": {"enabled": True}},
    }
)


def from_service(policy):
    return parse_policy(
        {**policy.model_dump(mode="json"), "steps_after_post_change": "level_from_service"}
    )


TIANJIN_FROM_SERVICE, VARIANT_FROM_SERVICE = from_service(TIANJIN), from_service(VARIANT)
POLICIES = st.sampled_from([TIANJIN, VARIANT, QINGDAO, TIANJIN_FROM_SERVICE, VARIANT_FROM_SERVICE])
GOOD_RATINGS = st.sampled_from([Rating.EXCELLENT, Rating.COMPETENT])


@st.composite
def workers(draw, ratings=st.sampled_from(list(Rating))):
    hire = draw(st.dates(date(2000, 1, 1), date(2030, 12, 31)))
    credited = draw(st.integers(0, 40 * 365) | st.just(0))
    years = draw(st.lists(st.booleans(), max_size=20))
    appraisals = {hire.year + i: draw(ratings) for i, rated in enumerate(years) if rated}
    left_after = draw(st.none() | st.integers(0, 25 * 365))
    return WorkerFacts(
        hire_date=hire,
        seniority_start=hire - timedelta(days=credited),
        education=draw(st.sampled_from(list(Education))),
        appraisals=appraisals,
        left_on=None if left_after is None else hire + timedelta(days=left_after),
    )


def as_of_for(facts, days):
    return facts.hire_date + timedelta(days=days)


DAYS = st.integers(0, 30 * 365)


@given(workers(), POLICIES, DAYS)
def test_the_level_always_lies_in_the_post_range(facts, policy, days):
    result = evaluate(facts, policy, as_of_for(facts, days))
    for interval in result.timeline:
        low, high = level_range(policy, interval.post)
        assert low <= interval.level <= high


@given(workers(GOOD_RATINGS), POLICIES, st.lists(DAYS, min_size=2, max_size=6))
def test_without_poor_ratings_the_grade_never_falls(facts, policy, days):
    order = {p.code: i for i, p in enumerate(getattr(policy, "posts", None) or policy.ranks)}
    grades = [evaluate(facts, policy, as_of_for(facts, d)) for d in sorted(days)]
    seen = [(order[g.post], g.level) for g in grades]
    assert seen == sorted(seen)
    assert all(r.rule != "review.incompetent" for g in grades for r in g.reasons)


@given(workers(), POLICIES, DAYS)
def test_the_same_facts_give_the_same_answer(facts, policy, days):
    as_of = as_of_for(facts, days)
    assert evaluate(facts, policy, as_of) == evaluate(facts, policy, as_of)


@given(workers(), POLICIES, DAYS)
def test_the_timeline_is_contiguous_and_ends_with_the_grade_on_the_date(facts, policy, days):
    as_of = as_of_for(facts, days)
    result = evaluate(facts, policy, as_of)
    timeline = result.timeline
    assert timeline[0].start == facts.hire_date
    assert timeline[0].reasons[0].rule == "entry"
    for before, after in pairwise(timeline):
        assert before.end is not None and before.start <= before.end
        assert after.start == before.end + ONE_DAY
        assert (before.post, before.level) != (after.post, after.level)
        assert after.reasons
    last = timeline[-1]
    assert (last.post, last.level, last.start) == (result.post, result.level, result.effective_date)
    assert last.start <= as_of
    left = facts.left_on is not None and facts.left_on <= as_of
    assert last.end == (facts.left_on if left else None)


@given(workers(), POLICIES, DAYS, DAYS)
def test_a_later_date_extends_the_history_without_rewriting_it(facts, policy, a, b):
    early, late = sorted([as_of_for(facts, a), as_of_for(facts, b)])
    before = evaluate(facts, policy, early).timeline
    after = evaluate(facts, policy, late).timeline
    assert after[: len(before) - 1] == before[:-1]
    kept = after[len(before) - 1]
    assert (kept.post, kept.level, kept.start) == (
        before[-1].post,
        before[-1].level,
        before[-1].start,
    )


@given(workers(), st.sampled_from([TIANJIN, VARIANT]), DAYS)
def test_the_reading_of_steps_never_changes_the_post(facts, policy, days):
    as_of = as_of_for(facts, days)
    carried = evaluate(facts, policy, as_of).timeline
    service = evaluate(facts, from_service(policy), as_of).timeline
    day = facts.hire_date
    while day <= as_of and day <= (facts.left_on or as_of):
        assert _post_on(carried, day) == _post_on(service, day), day
        day = date(day.year + 1, 1, 1)  # posts change only on 1 January


def _post_on(timeline, day):
    return next(i.post for i in timeline if i.start <= day and (i.end is None or day <= i.end))


@given(workers(GOOD_RATINGS), DAYS)
def test_from_service_the_level_is_one_plus_the_steps_within_the_post(facts, days):
    # Without poor ratings every year counts and nothing demotes: by the rule alone the level is
    # 1 + one step per 3 complete years of service, raised to the post's bottom, capped at its
    # top (Tianjin's steps fall on the anniversary; its education credit is off).
    last_day = min(as_of_for(facts, days), facts.left_on or date.max)
    result = evaluate(facts, TIANJIN_FROM_SERVICE, last_day)
    years = 0
    while anniversary(facts.seniority_start, years + 1) <= last_day:
        years += 1
    low, high = level_range(TIANJIN, result.post)
    assert result.level == min(max(1 + years // 3, low), high)


@given(st.dates(date(1950, 1, 1), date(2060, 12, 31)), st.integers(0, 60))
def test_anniversaries_count_as_the_roster_service_does(start, years):
    assert anniversary(start, years) == start + relativedelta(years=years)
