"""Training obligations: pre-job training for every new hire, rotation training every 3 years;
and mentoring pairs (帮带制)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from roster.rules.policy import RosterRules
from union_shared.errors import RuleBroken


class TrainingKind(StrEnum):
    PRE_JOB = "pre_job"
    ROTATION = "rotation"
    QUALIFICATION = "qualification"
    TOPICAL = "topical"


@dataclass(frozen=True)
class TrainingDone:
    kind: TrainingKind
    end: date


@dataclass(frozen=True)
class TrainingAlert:
    kind: str  # "pre_job_training_missing" | "rotation_training_overdue"
    due_on: date
    detail: str


def training_alerts(
    hire_date: date, done: Iterable[TrainingDone], as_of: date, rules: RosterRules
) -> list[TrainingAlert]:
    taken = [t for t in done if t.end <= as_of]
    alerts: list[TrainingAlert] = []
    pre_job_due = hire_date + timedelta(days=rules.pre_job_training_grace_days)
    if as_of > pre_job_due and not any(t.kind is TrainingKind.PRE_JOB for t in taken):
        alerts.append(
            TrainingAlert(
                "pre_job_training_missing",
                pre_job_due,
                f"no pre-job training recorded; due by {pre_job_due}",
            )
        )
    rotations = [t.end for t in taken if t.kind is TrainingKind.ROTATION]
    since = max(rotations, default=hire_date)
    rotation_due = since + relativedelta(years=rules.rotation_training_interval_years)
    if as_of > rotation_due:
        last = (
            f"last rotation training ended {since}" if rotations else f"none since hire on {since}"
        )
        alerts.append(
            TrainingAlert(
                "rotation_training_overdue",
                rotation_due,
                f"{last}; rotation training is due every {rules.rotation_training_interval_years} "
                f"years (was due {rotation_due})",
            )
        )
    return alerts


# Pre-job training may start before the first day of work (it often runs while the hiring
# paperwork does), but a course months earlier was training for something else.
PRE_JOB_EARLIEST_DAYS_BEFORE_HIRE = 90


class TrainingRefused(RuleBroken):
    """A rule refused the record: `field` names the bad input, or is None for a conflict with
    the record as it stands (the worker has left, the pair already exists...)."""


def check_training(
    kind: TrainingKind, start: date, end: date, hire_date: date, left_on: date | None
) -> None:
    if end < start:
        raise TrainingRefused("end_date", f"ends {end}, before it starts {start}")
    earliest = hire_date - timedelta(days=PRE_JOB_EARLIEST_DAYS_BEFORE_HIRE)
    if kind is TrainingKind.PRE_JOB and start < earliest:
        raise TrainingRefused(
            "start_date",
            f"pre-job training starts at most {PRE_JOB_EARLIEST_DAYS_BEFORE_HIRE} days before "
            f"the hire date {hire_date} (no earlier than {earliest})",
        )
    if left_on is not None and left_on < start:
        raise TrainingRefused(None, f"the worker left on {left_on}, before the training starts")


def open_training_alerts(
    hire_date: date,
    left_on: date | None,
    done: Iterable[TrainingDone],
    as_of: date,
    rules: RosterRules,
) -> list[TrainingAlert]:
    """The alerts still open on `as_of`: a worker who has left owes no more training."""
    if left_on is not None and left_on <= as_of:
        return []
    return training_alerts(hire_date, done, as_of, rules)


class MentorRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True)
class Pairing:
    mentor_id: str
    mentee_id: str
    start: date
    end: date | None  # inclusive last day; None while the pair is open


def check_pairing(pairing: Pairing) -> None:
    if pairing.mentor_id == pairing.mentee_id:
        raise TrainingRefused("mentee_id", "a worker cannot mentor themselves")
    if pairing.end is not None and pairing.end < pairing.start:
        raise TrainingRefused("end_date", f"ends {pairing.end}, before it starts {pairing.start}")


def check_can_pair(mentor_status: str, mentee_status: str) -> None:
    """Both sides of a new pair must be at work: not suspended, not gone."""
    for role, status in ((MentorRole.MENTOR, mentor_status), (MentorRole.MENTEE, mentee_status)):
        if status != "active":
            raise TrainingRefused(None, f"the {role} is {status}, not active")


def _overlap(a: Pairing, b: Pairing) -> bool:
    return (b.end is None or a.start <= b.end) and (a.end is None or b.start <= a.end)


def clashing_pair(new: Pairing, existing: Iterable[Pairing]) -> Pairing | None:
    """An existing pairing of the same mentor and mentee over any of the same days: an open
    pair is a duplicate of any later one, and two records of one pair must not overlap."""
    for old in existing:
        same_pair = (old.mentor_id, old.mentee_id) == (new.mentor_id, new.mentee_id)
        if same_pair and _overlap(new, old):
            return old
    return None


def check_pair_end(start: date, current_end: date | None, end: date) -> None:
    if current_end is not None:
        raise TrainingRefused(None, f"the pair already ended on {current_end}")
    if end < start:
        raise TrainingRefused("end_date", f"{end} is before the pair started on {start}")
