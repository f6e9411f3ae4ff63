"""Properties of the shortlist, the ranking and the composite over generated inputs."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from recruitment.rules.schema import Bonus, CampaignRules, PassMarks, TieBreak, Weights
from recruitment.rules.scoring import (
    Candidate,
    WrittenResult,
    composite,
    rank,
    shortlist,
    written_with_bonus,
)

# A few distinct values, so ties are common.
TIED = st.sampled_from([Decimal(v) for v in ("60", "72.5", "80", "80.01", "95")])
MARKS = st.sampled_from([None, Decimal(60), Decimal("72.5")])


def hundredths(top: int):
    return st.integers(0, top * 100).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def written_pool(draw):
    scores = draw(st.lists(st.one_of(TIED, hundredths(100)), max_size=40))
    bonuses = st.sampled_from([Decimal(0), Decimal(0), Decimal(2), Decimal(5)])
    return [WrittenResult(f"A{n:03}", s, draw(bonuses)) for n, s in enumerate(scores)]


@st.composite
def campaign_rules(draw):
    return CampaignRules(
        pass_marks=PassMarks(written=draw(MARKS)),
        bonus=Bonus(added_to=draw(st.sampled_from([TieBreak.WRITTEN, TieBreak.COMPOSITE]))),
    )


@given(written_pool(), st.integers(1, 15), campaign_rules())
def test_shortlist_keeps_enough_and_never_drops_a_better_score(pool, quota, rules):
    result = shortlist(pool, quota, rules)
    mark = rules.pass_marks.written

    def score(c):
        return written_with_bonus(c.written, c.bonus, rules)

    passed = [c for c in pool if mark is None or score(c) >= mark]
    ratio = 2 if quota >= 10 else 3
    assert result.places == ratio * quota
    assert len(result.kept) >= min(ratio * quota, len(passed))
    assert set(result.kept) <= set(passed)
    if result.kept:
        lowest = min(score(c) for c in result.kept)
        assert lowest == result.cut_line
        dropped = [c for c in pool if c not in result.kept]
        assert all(score(c) < lowest for c in dropped)
    else:
        assert not passed and result.cut_line is None


CHAINS = st.sampled_from(
    [
        (TieBreak.COMPOSITE, TieBreak.WRITTEN, TieBreak.RUN_OFF),
        (TieBreak.COMPOSITE, TieBreak.RUN_OFF, TieBreak.WRITTEN),
        (TieBreak.COMPOSITE, TieBreak.INTERVIEW),
        (TieBreak.COMPOSITE,),
    ]
)


@st.composite
def ranking_pool(draw):
    size = draw(st.integers(0, 25))
    return [
        Candidate(
            f"A{n:03}",
            draw(TIED),
            draw(TIED),
            draw(TIED),
            draw(st.one_of(st.none(), TIED)),
        )
        for n in range(size)
    ]


def ahead(a: Candidate, b: Candidate, chain) -> int:
    """1 if the chain puts a ahead of b, -1 if behind, 0 if it cannot tell them apart."""
    for step in chain:
        x, y = getattr(a, step.value), getattr(b, step.value)
        if x is None or y is None:
            return 0
        if x != y:
            return 1 if x > y else -1
    return 0


@given(ranking_pool(), CHAINS, st.randoms(use_true_random=False))
def test_rank_is_a_total_order(pool, chain, random):
    rules = CampaignRules(tie_breaks=chain)
    rows = rank(pool, rules)
    shuffled = list(pool)
    random.shuffle(shuffled)
    assert rank(shuffled, rules) == rows
    assert sorted(r.candidate.application_no for r in rows) == sorted(
        c.application_no for c in pool
    )
    for index, row in enumerate(rows):
        first = next(i for i, r in enumerate(rows) if r.rank == row.rank)
        assert row.rank == first + 1  # competition ranking
        group = [r.candidate for r in rows if r.rank == row.rank]
        assert row.run_off_needed is (len(group) > 1)
        if index == 0:
            continue
        before = rows[index - 1]
        if before.rank == row.rank:
            # Equal ranks only for a chain that cannot tell them apart: equal, or a run-off
            # step where someone in the tied group has no run-off score yet.
            verdict = ahead(before.candidate, row.candidate, chain)
            waiting = any(c.run_off is None for c in group)
            assert verdict == 0 or (waiting and TieBreak.RUN_OFF in chain)
            assert before.candidate.application_no < row.candidate.application_no
        else:
            assert before.rank < row.rank
            assert ahead(before.candidate, row.candidate, chain) == 1


@given(
    st.integers(0, 100 * 100).map(lambda n: Decimal(n).scaleb(-2)),
    st.integers(0, 2),  # composites are stored with two places
    st.sampled_from([Decimal(100), Decimal(150), Decimal(10)]),
    st.data(),
)
def test_composite_stays_in_range_with_the_rules_places(weight, decimals, top, data):
    rules = CampaignRules(
        weights=Weights(written=weight, interview=100 - weight),
        decimals=decimals,
        max_score=top,
        pass_marks=PassMarks(interview=None),  # a 10-point scale has no room for the 60 default
    )
    written = data.draw(hundredths(int(top)))
    interview = data.draw(hundredths(int(top)))
    score = composite(written, interview, rules)
    assert Decimal(0) <= score <= top
    assert score.as_tuple().exponent == -decimals
