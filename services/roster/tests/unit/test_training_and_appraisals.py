from datetime import date
from decimal import Decimal

import pytest

from roster.appraisals.domain import excellent_quota_warning, next_revision
from roster.rules.policy import RulesBook, rules_on
from roster.training.domain import TrainingDone, TrainingKind, training_alerts

RULES = rules_on(date(2026, 1, 1))
HIRED = date(2026, 1, 10)  # pre-job training due by 2026-02-09


def kinds(alerts):
    return [a.kind for a in alerts]


@pytest.mark.parametrize(
    ("done", "as_of", "expected"),
    [
        ([], date(2026, 2, 9), []),  # last day of grace
        ([], date(2026, 2, 10), ["pre_job_training_missing"]),
        ([TrainingDone(TrainingKind.PRE_JOB, date(2026, 1, 20))], date(2026, 6, 1), []),
        (
            [TrainingDone(TrainingKind.TOPICAL, date(2026, 1, 20))],
            date(2026, 6, 1),
            ["pre_job_training_missing"],
        ),
        # training recorded with a future end date does not count yet
        (
            [TrainingDone(TrainingKind.PRE_JOB, date(2026, 3, 1))],
            date(2026, 2, 20),
            ["pre_job_training_missing"],
        ),
        (
            [TrainingDone(TrainingKind.PRE_JOB, date(2026, 1, 20))],
            date(2029, 1, 10),
            [],
        ),  # 3 years to the day
        (
            [TrainingDone(TrainingKind.PRE_JOB, date(2026, 1, 20))],
            date(2029, 1, 11),
            ["rotation_training_overdue"],
        ),
        (
            [
                TrainingDone(TrainingKind.PRE_JOB, date(2026, 1, 20)),
                TrainingDone(TrainingKind.ROTATION, date(2028, 5, 1)),
            ],
            date(2031, 5, 1),
            [],
        ),
        (
            [
                TrainingDone(TrainingKind.PRE_JOB, date(2026, 1, 20)),
                TrainingDone(TrainingKind.ROTATION, date(2028, 5, 1)),
            ],
            date(2031, 5, 2),
            ["rotation_training_overdue"],
        ),
    ],
)
def test_training_alerts_on_the_edge_days(done, as_of, expected):
    assert kinds(training_alerts(HIRED, done, as_of, RULES)) == expected


@pytest.mark.parametrize(
    ("excellent", "headcount", "warn"),
    [(0, 10, False), (2, 8, False), (3, 12, False), (3, 11, True), (1, 1, True), (1, 0, False)],
)
def test_excellent_quota_warns_above_the_share(excellent, headcount, warn):
    warning = excellent_quota_warning("u-1", 2025, excellent, headcount, Decimal("0.25"))
    assert (warning is not None) == warn
    if warning:
        assert "above the 25% share" in warning.message


def test_revisions_count_up():
    assert next_revision([]) == 1
    assert next_revision([1, 2]) == 3


def test_rules_are_picked_by_date_and_versions_must_increase():
    assert RULES.version == 1
    with pytest.raises(LookupError):
        rules_on(date(1999, 1, 1))
    v1 = RULES.model_dump()
    with pytest.raises(ValueError, match="increasing"):
        RulesBook.model_validate({"versions": [v1, {**v1, "version": 2}]})  # same date twice
    book = RulesBook.model_validate(
        {"versions": [v1, {**v1, "version": 2, "effective_from": date(2027, 1, 1)}]}
    )
    assert book.in_force(date(2026, 12, 31)).version == 1
    assert book.in_force(date(2027, 1, 1)).version == 2
