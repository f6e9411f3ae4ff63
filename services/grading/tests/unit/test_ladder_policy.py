import copy
import json
import re
from datetime import date

import pytest
from pydantic import ValidationError

from grading.ladder.policy import (
    PolicyBook,
    PolicyRefused,
    PostLevelPolicy,
    RankPolicy,
    StepTiming,
    add_version,
    can_publish,
    level_range,
    parse_policy,
    parse_policy_book,
    publish,
    shipped_policies,
)
from union_shared.events.catalogue import Education, Rating

BOOKS = shipped_policies()
TIANJIN = BOOKS["tianjin-3p18l"].versions[0]
QINGDAO = BOOKS["qingdao-ranks"].versions[0]


def document(policy, **changes):
    data = copy.deepcopy(policy.model_dump(mode="json"))
    data.update(changes)
    return data


def test_shipped_tianjin_policy_carries_the_domain_defaults():
    assert isinstance(TIANJIN, PostLevelPolicy)
    assert (TIANJIN.version, TIANJIN.effective_from) == (1, date(2025, 1, 1))
    assert [(p.code, p.name, p.min_level, p.max_level) for p in TIANJIN.posts] == [
        ("junior", "初级岗", 1, 12),
        ("middle", "中级岗", 4, 15),
        ("senior", "高级岗", 7, 18),
    ]
    assert TIANJIN.seniority.years_per_level == 3
    assert TIANJIN.seniority.takes_effect is StepTiming.ANNIVERSARY
    assert TIANJIN.post_thresholds == {"middle": 2, "senior": 4}
    assert not TIANJIN.ratings[Rating.BASICALLY_COMPETENT].counts_for_seniority
    assert TIANJIN.ratings[Rating.INCOMPETENT].flags_review
    assert TIANJIN.demotion.consecutive_basically_competent == 2
    assert (TIANJIN.entry.post, TIANJIN.entry.level) == ("junior", 1)
    assert TIANJIN.entry.education_credit.levels_for(Education.DOCTORATE) == 0  # off by default


def test_shipped_qingdao_policy_has_four_ranks():
    assert isinstance(QINGDAO, RankPolicy)
    assert QINGDAO.effective_from == date(2024, 1, 1)
    assert [(r.code, r.min_years_in_rank) for r in QINGDAO.ranks] == [
        ("trainee", 1),
        ("junior", 3),
        ("middle", 3),
        ("senior", None),
    ]
    assert level_range(QINGDAO, "middle") == (1, 1)
    assert level_range(TIANJIN, "middle") == (4, 15)


@pytest.mark.parametrize("policy", [TIANJIN, QINGDAO])
def test_a_policy_survives_a_json_round_trip(policy):
    assert parse_policy(json.dumps(policy.model_dump(mode="json"))) == policy


def posts(*ranges):
    return [
        {"code": f"p{i}", "name": f"post {i}", "min_level": lo, "max_level": hi}
        for i, (lo, hi) in enumerate(ranges)
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"posts": posts((1, 12), (9, 4))}, "min_level 9 is above max_level 4"),
        ({"posts": posts((0, 12), (4, 15))}, "greater than or equal to 1"),
        ({"posts": posts((1, 12), (4, 11))}, "non-decreasing levels"),
        ({"posts": posts((3, 12), (2, 15))}, "non-decreasing levels"),
        ({"post_thresholds": {"middle": 4, "senior": 2}}, "strictly increasing"),
        ({"post_thresholds": {"middle": 2, "senior": 2}}, "strictly increasing"),
        ({"post_thresholds": {"middle": 0, "senior": 2}}, "strictly increasing"),
        ({"post_thresholds": {"middle": 2, "senior": 4, "chief": 6}}, "unknown post code"),
        ({"post_thresholds": {"junior": 0, "middle": 2, "senior": 4}}, "needs no threshold"),
        ({"post_thresholds": {"middle": 2}}, "no threshold for post(s) ['senior']"),
        ({"entry": {"post": "chief", "level": 1}}, "unknown post code 'chief'"),
        ({"entry": {"post": "middle", "level": 1}}, "entry level 1 lies outside middle"),
        ({"id": "Tianjin 3p18l"}, "should match pattern"),
        ({"version": 0}, "greater than or equal to 1"),
        ({"seniority": {"years_per_level": 0}}, "greater than or equal to 1"),
        ({"seniority": {"years_per_level": 3, "takes_effect": "whenever"}}, "takes_effect"),
        ({"post_change_takes_effect": "at_once"}, "post_change_takes_effect"),
        ({"surprise": True}, "Extra inputs are not permitted"),
    ],
)
def test_a_post_level_policy_that_is_not_sane_is_refused(changes, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_policy(document(TIANJIN, **changes))


def test_a_post_level_policy_needs_a_rule_for_every_rating():
    data = document(TIANJIN)
    del data["ratings"]["incompetent"]
    with pytest.raises(ValidationError, match="no rule for"):
        parse_policy(data)


@pytest.mark.parametrize(
    ("ranks", "entry", "message"),
    [
        ([("a", 1), ("b", 2)], "a", "the top rank b has no min_years_in_rank"),
        ([("a", None), ("b", None)], "a", "rank a below the top needs min_years_in_rank"),
        ([("a", 1), ("a", None)], "a", "rank codes must be unique"),
        ([("a", 1), ("b", None)], "c", "entry names unknown rank 'c'"),
    ],
)
def test_a_rank_policy_that_is_not_sane_is_refused(ranks, entry, message):
    data = document(
        QINGDAO,
        ranks=[{"code": c, "name": c, "min_years_in_rank": y} for c, y in ranks],
        entry={"post": entry, "level": 1},
    )
    with pytest.raises(ValidationError, match=message):
        parse_policy(data)


def version(number, effective_from, policy=TIANJIN):
    return parse_policy(document(policy, version=number, effective_from=effective_from.isoformat()))


def test_the_version_in_force_is_the_latest_already_effective():
    book = PolicyBook(versions=[TIANJIN, version(2, date(2027, 1, 1))])
    assert book.in_force(date(2026, 12, 31)).version == 1
    assert book.in_force(date(2027, 1, 1)).version == 2
    with pytest.raises(LookupError):
        book.in_force(date(2024, 12, 31))


@pytest.mark.parametrize(
    "versions",
    [
        [(1, date(2025, 1, 1)), (2, date(2025, 1, 1))],  # same day
        [(1, date(2025, 1, 1)), (2, date(2024, 1, 1))],  # earlier
        [(2, date(2025, 1, 1)), (1, date(2026, 1, 1))],  # number goes down
        [(1, date(2025, 1, 1)), (1, date(2026, 1, 1))],  # number repeated
    ],
)
def test_versions_must_increase_in_number_and_date(versions):
    with pytest.raises(ValidationError, match="increasing numbers and effective dates"):
        PolicyBook(versions=[version(n, d) for n, d in versions])


def test_a_book_holds_one_policy_id():
    with pytest.raises(ValidationError, match="one policy id"):
        PolicyBook(versions=[TIANJIN, version(2, date(2026, 1, 1), QINGDAO)])


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (version(2, date(2025, 1, 1)), "is not after 2025-01-01"),
        (version(2, date(2024, 6, 1)), "is not after 2025-01-01"),
        (version(1, date(2026, 1, 1)), "version 1 is not after version 1"),
        (version(2, date(2026, 1, 1), QINGDAO), "cannot join the book"),
    ],
)
def test_adding_a_version_refuses_one_that_rewrites_history(new, message):
    with pytest.raises(PolicyRefused, match=message):
        add_version(BOOKS["tianjin-3p18l"], new)


@pytest.mark.parametrize(
    ("effective_from", "allowed"),
    [
        (date(2026, 5, 31), False),  # in force in the past
        (date(2026, 6, 1), False),  # in force today
        (date(2026, 6, 2), True),  # tomorrow
    ],
)
def test_publishing_needs_an_effective_date_after_today(effective_from, allowed):
    book, today = BOOKS["tianjin-3p18l"], date(2026, 6, 1)
    new = version(2, effective_from)
    assert can_publish(book, new, today) is allowed
    if allowed:
        assert [v.version for v in publish(book, new, today).versions] == [1, 2]
    else:
        with pytest.raises(PolicyRefused, match="never changed or replaced"):
            publish(book, new, today)


def test_a_book_loads_from_json_text_as_well_as_yaml():
    text = json.dumps({"versions": [QINGDAO.model_dump(mode="json")]})
    assert parse_policy_book(text).in_force(date(2025, 1, 1)) == QINGDAO
