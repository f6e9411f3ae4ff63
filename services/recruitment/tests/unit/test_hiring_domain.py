"""The notice, offer and hire rules by hand: when objections are taken, when an offer may go,
when a hire is due, and what a quiet roster looks like from recruitment's side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.hiring.domain import (
    NoticeRefused,
    ObjectionRefused,
    OfferRefused,
    check_answer,
    check_notice_start,
    check_objection_open,
    check_offer,
    hire_due,
    hire_problem,
    resolution_reason,
)
from union_shared.errors import RuleBroken

STARTS, ENDS = date(2026, 9, 30), date(2026, 10, 15)
SENT = datetime(2026, 11, 1, 22, 0, tzinfo=UTC)


def test_a_notice_starts_today_or_later():
    check_notice_start(date(2026, 9, 30), date(2026, 9, 30))
    with pytest.raises(RuleBroken) as refused:
        check_notice_start(date(2026, 9, 29), date(2026, 9, 30))
    assert refused.value.field == "starts_on"


@pytest.mark.parametrize(
    ("today", "open_"),
    [(date(2026, 9, 29), False), (STARTS, True), (ENDS, True), (date(2026, 10, 16), False)],
)
def test_objections_are_taken_while_the_notice_runs_its_last_day_included(today, open_):
    if open_:
        check_objection_open(STARTS, ENDS, today)
    else:
        with pytest.raises(ObjectionRefused):
            check_objection_open(STARTS, ENDS, today)


def test_a_resolution_gives_a_reason_of_ten_characters():
    assert resolution_reason("  经核实，举报内容不属实  ") == "经核实，举报内容不属实"
    with pytest.raises(RuleBroken):
        resolution_reason("不属实")
    with pytest.raises(RuleBroken):
        resolution_reason(None)


def test_an_offer_waits_for_the_notice_to_end_and_every_objection_to_be_resolved():
    after = date(2026, 10, 16)
    check_offer(S.PROPOSED, ENDS, 0, date(2026, 11, 2), after)
    check_offer(S.PROPOSED, ENDS, 0, after, after)  # starting the same day
    refusals = [
        (S.RANKED, ENDS, 0, after),  # not proposed
        (S.PROPOSED, None, 0, after),  # on no notice
        (S.PROPOSED, ENDS, 0, ENDS),  # the notice's last day
        (S.PROPOSED, ENDS, 1, after),  # an objection open
    ]
    for status, ends_on, objections, today in refusals:
        with pytest.raises(OfferRefused):
            check_offer(status, ends_on, objections, date(2026, 11, 2), today)
    with pytest.raises(RuleBroken) as past:
        check_offer(S.PROPOSED, ENDS, 0, date(2026, 10, 15), after)
    assert past.value.field == "start_date"


def test_only_an_open_offer_is_answered():
    check_answer(S.OFFERED)
    for status in (S.PROPOSED, S.ACCEPTED, S.DECLINED):
        with pytest.raises(OfferRefused):
            check_answer(status)


def test_a_hire_is_due_once_on_or_after_the_start_date_of_an_accepted_offer():
    start = date(2026, 11, 2)
    assert hire_due(S.ACCEPTED, start, False, start)
    assert hire_due(S.ACCEPTED, start, False, date(2026, 11, 9))
    assert not hire_due(S.ACCEPTED, start, False, date(2026, 11, 1))
    assert not hire_due(S.ACCEPTED, start, True, start)  # sent already
    assert not hire_due(S.OFFERED, start, False, start)


def test_a_hire_sent_over_an_hour_ago_with_no_worker_is_a_problem():
    start = date(2026, 11, 2)
    quiet = "no worker yet: check the roster's dead letters"
    assert hire_problem(S.ACCEPTED, start, SENT, None, SENT + timedelta(hours=1), start) is None
    assert hire_problem(S.ACCEPTED, start, SENT, None, SENT + timedelta(minutes=61), start) == (
        f"sent 1 hour ago, {quiet}"
    )
    late = SENT + timedelta(hours=26, minutes=59)
    assert hire_problem(S.ACCEPTED, start, SENT, None, late, start) == f"sent 26 hours ago, {quiet}"
    assert hire_problem(S.HIRED, start, SENT, "w-1", late, start) is None


def test_a_start_date_reached_with_the_hire_unsent_is_a_problem_before_it_is_not():
    start = date(2026, 11, 2)
    now = SENT
    assert hire_problem(S.ACCEPTED, start, None, None, now, date(2026, 11, 1)) is None
    assert hire_problem(S.ACCEPTED, start, None, None, now, start) == (
        "start date 2026-11-02 reached, not sent yet: run POST /hires/due"
    )


def test_the_refusals_answer_409_with_their_own_problem_types():
    assert [(e.status, e.slug) for e in (NoticeRefused, ObjectionRefused, OfferRefused)] == [
        (409, "notice-refused"),
        (409, "objection-refused"),
        (409, "offer-refused"),
    ]
