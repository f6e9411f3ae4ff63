"""Pure rules of honours (award years, elected terms) and of training records and mentoring
pairs, on their edge days."""

from datetime import date

import pytest

from roster.honours.domain import (
    HonourRefused,
    Post,
    Term,
    check_award_year,
    check_post_fits_unit,
    check_term,
    clashing_term,
)
from roster.rules.policy import rules_on
from roster.training.domain import (
    Pairing,
    TrainingDone,
    TrainingKind,
    TrainingRefused,
    check_can_pair,
    check_pair_end,
    check_pairing,
    check_training,
    clashing_pair,
    open_training_alerts,
)
from roster.units.domain import UnitKind

HIRED = date(2024, 3, 1)
D = date.fromisoformat


def refusal(exc_type, call, *args):
    with pytest.raises(exc_type) as caught:
        call(*args)
    return caught.value.field, caught.value.reason


# --- training records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "end", "left_on", "field"),
    [
        (TrainingKind.PRE_JOB, "2023-12-01", "2023-12-05", None, "start_date"),  # 91 days before
        (TrainingKind.ROTATION, "2024-05-02", "2024-05-01", None, "end_date"),
        (TrainingKind.TOPICAL, "2025-07-01", "2025-07-02", "2025-06-30", None),  # left before
    ],
)
def test_training_refusals_name_the_field(kind, start, end, left_on, field):
    left = D(left_on) if left_on else None
    got, _ = refusal(TrainingRefused, check_training, kind, D(start), D(end), HIRED, left)
    assert got == field


@pytest.mark.parametrize(
    ("kind", "start", "end", "left_on"),
    [
        (TrainingKind.PRE_JOB, "2023-12-02", "2023-12-05", None),  # exactly 90 days before
        (TrainingKind.QUALIFICATION, "2020-01-01", "2020-01-01", None),  # one day; only pre-job
        (TrainingKind.TOPICAL, "2025-06-30", "2025-07-02", "2025-06-30"),  # starts on last day
    ],
)
def test_training_accepted_on_the_edges(kind, start, end, left_on):
    check_training(kind, D(start), D(end), HIRED, D(left_on) if left_on else None)


def test_a_worker_who_has_left_has_no_open_training_alerts():
    as_of = D("2027-06-01")  # no training at all: both alerts open while employed
    rules = rules_on(as_of)
    assert len(open_training_alerts(HIRED, None, [], as_of, rules)) == 2
    assert len(open_training_alerts(HIRED, D("2027-06-02"), [], as_of, rules)) == 2
    assert open_training_alerts(HIRED, D("2027-06-01"), [], as_of, rules) == []
    done = [TrainingDone(TrainingKind.PRE_JOB, D("2024-03-10"))]
    assert [a.kind for a in open_training_alerts(HIRED, None, done, as_of, rules)] == [
        "rotation_training_overdue"
    ]


# --- mentoring pairs -------------------------------------------------------------------------


def pairing(start, end=None, mentor="m", mentee="e"):
    return Pairing(mentor, mentee, D(start), D(end) if end else None)


def test_pairing_refusals():
    assert refusal(TrainingRefused, check_pairing, pairing("2025-01-01", mentee="m"))[0] == (
        "mentee_id"
    )
    assert refusal(TrainingRefused, check_pairing, pairing("2025-01-02", "2025-01-01"))[0] == (
        "end_date"
    )
    check_pairing(pairing("2025-01-01", "2025-01-01"))
    assert refusal(TrainingRefused, check_can_pair, "active", "suspended") == (
        None,
        "the mentee is suspended, not active",
    )
    assert refusal(TrainingRefused, check_can_pair, "left", "active")[1].startswith("the mentor")
    check_can_pair("active", "active")


@pytest.mark.parametrize(
    ("new", "old", "clash"),
    [
        (pairing("2025-06-01"), pairing("2025-01-01"), True),  # open pair, duplicate later
        (pairing("2024-01-01"), pairing("2025-01-01"), True),  # open-ended both ways
        (pairing("2024-01-01", "2024-12-31"), pairing("2025-01-01"), False),  # ends the day before
        (pairing("2025-01-01", "2025-03-01"), pairing("2024-01-01", "2025-01-01"), True),
        (pairing("2025-01-02"), pairing("2024-01-01", "2025-01-01"), False),  # re-paired after
        (pairing("2025-06-01", mentor="x"), pairing("2025-01-01"), False),  # another mentor
        (pairing("2025-06-01", mentor="e", mentee="m"), pairing("2025-01-01"), False),  # reversed
    ],
)
def test_clashing_pairs(new, old, clash):
    assert (clashing_pair(new, [old]) is old) == clash


def test_ending_a_pair():
    assert refusal(TrainingRefused, check_pair_end, D("2025-01-02"), None, D("2025-01-01"))[0] == (
        "end_date"
    )
    field, reason = refusal(
        TrainingRefused, check_pair_end, D("2025-01-01"), D("2025-02-01"), D("2025-03-01")
    )
    assert field is None and "already ended on 2025-02-01" in reason
    check_pair_end(D("2025-01-01"), None, D("2025-01-01"))


# --- awards ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "ok"), [(2023, False), (2024, True), (2026, True), (2027, False), (2030, False)]
)
def test_award_year_runs_from_the_hire_year_to_this_year(year, ok):
    today = D("2026-12-31")
    if ok:
        check_award_year(year, HIRED, today)
    else:
        assert refusal(HonourRefused, check_award_year, year, HIRED, today)[0] == "year"


# --- elected posts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "elected", "field"),
    [
        ("2025-01-01", "2025-01-01", None, "term_end"),
        ("2025-01-02", "2025-01-01", None, "term_end"),
        ("2025-01-01", "2030-01-01", "2025-01-02", "elected_on"),
        ("2025-01-01", "2025-01-02", "2025-01-01", None),  # elected the day the term starts
        ("2025-01-01", "2030-01-01", None, None),
    ],
)
def test_terms(start, end, elected, field):
    args = (D(start), D(end), D(elected) if elected else None)
    if field is None:
        check_term(*args)
    else:
        assert refusal(HonourRefused, check_term, *args)[0] == field


@pytest.mark.parametrize(
    ("post", "kind", "ok"),
    [
        (Post.CHAIR, UnitKind.BUILDING_UNION, True),
        (Post.CHAIR, UnitKind.JOINT_UNION, True),
        (Post.CHAIR, UnitKind.STREET_FEDERATION, False),
        (Post.VICE_CHAIR, UnitKind.STREET_FEDERATION, True),
        (Post.VICE_CHAIR, UnitKind.DISTRICT_FEDERATION, True),
        (Post.VICE_CHAIR, UnitKind.BUILDING_UNION, False),
        (Post.VICE_CHAIR, UnitKind.CITY_FEDERATION, False),
    ],
)
def test_which_unit_elects_which_post(post, kind, ok):
    if ok:
        check_post_fits_unit(post, kind)
    else:
        assert refusal(HonourRefused, check_post_fits_unit, post, kind)[0] == "unit_id"


def term(post, start, end, worker="w1"):
    return Term(worker, post, D(start), D(end))


@pytest.mark.parametrize(
    ("new", "old", "clash"),
    [
        # a successor may take office the day the term ends, not a day before
        (term(Post.CHAIR, "2030-01-01", "2035-01-01", "w2"), term(Post.CHAIR, "2025-01-01", "2030-01-01"), False),
        (term(Post.CHAIR, "2029-12-31", "2035-01-01", "w2"), term(Post.CHAIR, "2025-01-01", "2030-01-01"), True),
        (term(Post.CHAIR, "2020-01-01", "2025-01-02", "w2"), term(Post.CHAIR, "2025-01-01", "2030-01-01"), True),
        (term(Post.CHAIR, "2026-01-01", "2027-01-01", "w1"), term(Post.CHAIR, "2025-01-01", "2030-01-01"), True),
        # many vice-chairs at once, but nobody twice over the same days
        (term(Post.VICE_CHAIR, "2026-01-01", "2031-01-01", "w2"), term(Post.VICE_CHAIR, "2025-01-01", "2030-01-01"), False),
        (term(Post.VICE_CHAIR, "2026-01-01", "2031-01-01", "w1"), term(Post.VICE_CHAIR, "2025-01-01", "2030-01-01"), True),
        (term(Post.VICE_CHAIR, "2026-01-01", "2031-01-01", "w2"), term(Post.CHAIR, "2025-01-01", "2030-01-01"), False),
    ],
)  # fmt: skip
def test_clashing_terms(new, old, clash):
    assert (clashing_term(new, [old]) is old) == clash
