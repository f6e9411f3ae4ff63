"""Score import rows read by hand-written cases: exact decimals of at most two places within the
rules' maximum, pass or fail with a reason for a fail, duplicates named by the first row, and the
stage each kind of result needs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.scores.domain import (
    Line,
    Outcome,
    Result,
    RowError,
    duplicates,
    outcome,
    read_line,
    stage_problem,
)
from recruitment.scores.kinds import ScoreKind

MAX = Decimal(100)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("85.50", "85.50"), ("85.5", "85.50"), (85.5, "85.50"), (90, "90.00"), ("0", "0.00"),
     ("100", "100.00"), ("１００", "100.00"), (72.25, "72.25")],
)  # fmt: skip
def test_a_score_is_kept_as_an_exact_two_place_decimal(cell, expected):
    line = read_line(2, {"application_id": "a1", "score": cell}, ScoreKind.WRITTEN, MAX)
    assert isinstance(line, Line)
    assert str(line.result.value) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("85.555", "more than two decimal places"), (85.555, "more than two decimal places"),
     ("100.01", "outside 0 to 100"), ("-1", "outside 0 to 100"), ("八十", "not a number"),
     ("NaN", "not a number"), ("", "required"), (True, "not a score")],
)  # fmt: skip
def test_a_bad_score_is_a_problem_on_its_cell(cell, reason):
    errors = read_line(7, {"application_id": "a1", "score": cell}, ScoreKind.INTERVIEW, MAX)
    assert isinstance(errors, list) and len(errors) == 1
    assert (errors[0].row, errors[0].column) == (7, "score")
    assert reason in errors[0].reason


def test_the_maximum_comes_from_the_rules():
    line = read_line(2, {"application_id": "a1", "score": "120"}, ScoreKind.WRITTEN, Decimal(150))
    assert isinstance(line, Line) and line.result.value == Decimal("120.00")


@pytest.mark.parametrize(
    ("cell", "passed"), [("合格", True), ("不合格", False), ("PASS", True), ("fail", False)]
)
def test_a_check_is_pass_or_fail(cell, passed):
    cells = {"application_id": "a1", "result": cell, "reason": "血压偏高"}
    line = read_line(3, cells, ScoreKind.MEDICAL, MAX)
    assert isinstance(line, Line) and line.result == Result(passed=passed, reason="血压偏高")


def test_a_fail_needs_a_reason_and_a_result_must_be_one_of_the_words():
    no_reason = read_line(4, {"application_id": "a1", "result": "不合格"}, ScoreKind.MEDICAL, MAX)
    assert no_reason == [RowError(4, "reason", "required for a fail (不合格): say why")]
    odd = read_line(5, {"application_id": "a1", "result": "ok"}, ScoreKind.BACKGROUND, MAX)
    assert isinstance(odd, list) and odd[0].column == "result"
    # A pass needs no reason.
    fine = read_line(6, {"application_id": "a1", "result": "合格"}, ScoreKind.BACKGROUND, MAX)
    assert isinstance(fine, Line) and fine.result == Result(passed=True)


def test_a_second_row_for_an_application_names_the_first():
    lines = [Line(2, "a1", Result(Decimal(1)), None), Line(3, "a2", Result(Decimal(2)), None),
             Line(5, "a1", Result(Decimal(3)), None)]  # fmt: skip
    assert duplicates(lines) == [
        RowError(5, "application_id", "a second row for this application (first: row 2)")
    ]


def test_each_kind_needs_its_stage():
    assert stage_problem(ScoreKind.WRITTEN, S.QUALIFIED, False) is None
    assert stage_problem(ScoreKind.WRITTEN, S.NOT_SHORTLISTED, False) is None
    assert "eligible" in stage_problem(ScoreKind.WRITTEN, S.ELIGIBLE, False)
    assert stage_problem(ScoreKind.INTERVIEW, S.RANKED, False) is None
    assert stage_problem(ScoreKind.INTERVIEW, S.QUALIFIED, False) is not None
    assert stage_problem(ScoreKind.RUN_OFF, S.RANKED, True) is None
    assert stage_problem(ScoreKind.RUN_OFF, S.RANKED, False) == (
        "the applicant is not tied for a run-off"
    )
    assert stage_problem(ScoreKind.MEDICAL, S.CHECK_FAILED, False) is None
    assert stage_problem(ScoreKind.BACKGROUND, S.PROPOSED, False) is not None
    assert stage_problem(ScoreKind.WRITTEN, S.WITHDRAWN, False) == "the applicant has withdrawn"


def test_a_row_is_new_changed_or_unchanged():
    assert outcome(None, Result(Decimal("85.50"))) is Outcome.NEW
    assert outcome(Result(Decimal("85.50")), Result(Decimal("85.50"))) is Outcome.UNCHANGED
    assert outcome(Result(Decimal("85.50")), Result(Decimal("85.00"))) is Outcome.CHANGED
    assert outcome(Result(passed=False, reason="a"), Result(passed=False, reason="b")) is (
        Outcome.CHANGED
    )
