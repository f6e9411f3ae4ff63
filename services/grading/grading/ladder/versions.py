"""Evaluate a career under every version of its policy, each ruling its own period.

A version in force in the past is never changed (policy.py), and neither is what it decided:
version N decides the grade from its effective_from up to the day before version N+1's (the
first version also from the hire date, however early), and version N+1 from then on. Each
version replays the whole career by its own rules (where a rule counts years or ratings, it
counts them all), and the timeline is stitched from those replays at the boundaries; the first
interval under a new version says which version took effect. Pure, like the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import ONE_DAY, Evaluation, GradeInterval, Reason, WorkerFacts
from grading.ladder.policy import PostLevelPolicy, RankPolicy

Version = PostLevelPolicy | RankPolicy


@dataclass(frozen=True, slots=True)
class BookEvaluation:
    evaluation: Evaluation  # the stitched timeline; the grade and reasons on the evaluation date
    versions: list[Version]  # the version that decided each interval of evaluation.timeline

    @property
    def policy(self) -> Version:
        """The version that decided the grade on the evaluation date."""
        return self.versions[-1]


def ruling(versions: Sequence[Version], first_day: date, last_day: date) -> list[Version]:
    """The versions that decide some day from `first_day` to `last_day`, oldest first: the one
    in force on `first_day` (or the first version, when that day predates them all) and every
    later one in force by `last_day`."""
    if len(versions) == 1:  # a book of one version, as most are
        return [versions[0]]
    start = 0
    for i, version in enumerate(versions):
        if version.effective_from <= first_day:
            start = i
    chosen = [v for v in versions[start:] if v.effective_from <= last_day]
    return chosen or [versions[start]]


def evaluate_book(facts: WorkerFacts, versions: Sequence[Version], as_of: date) -> BookEvaluation:
    """The grade on `as_of` and its history, each interval decided by the version of the book
    (`versions`, oldest first) in force during it."""
    left = facts.left_on is not None and facts.left_on <= as_of
    last_day = facts.left_on if left and facts.left_on is not None else as_of
    chosen = ruling(versions, facts.hire_date, last_day)
    if len(chosen) == 1:  # the usual case: one version for the whole career
        evaluation = evaluate(facts, chosen[0], as_of)
        return BookEvaluation(evaluation, [chosen[0]] * len(evaluation.timeline))
    replays = [evaluate(facts, version, as_of) for version in chosen]
    timeline: list[GradeInterval] = []
    decided_by: list[Version] = []
    for k, (version, replay) in enumerate(zip(chosen, replays, strict=True)):
        first_of_version = len(timeline)
        begins = version.effective_from if k else None
        ends = chosen[k + 1].effective_from - ONE_DAY if k + 1 < len(chosen) else None
        # Never empty: each chosen version takes effect after the hire date and by the last day.
        for j, interval in enumerate(_within(replay.timeline, begins, ends)):
            if k and not j:
                interval = _taking_effect(version, timeline[-1], interval)
            timeline.append(interval)
            decided_by.append(version)
    last = replays[-1]
    reasons = list(last.reasons)
    if first_of_version == len(timeline) - 1:  # the grade now is the last version's first
        reasons.insert(0, timeline[-1].reasons[0])
    flags = list(dict.fromkeys(flag for replay in replays for flag in replay.flags))
    now = timeline[-1]
    return BookEvaluation(
        Evaluation(now.post, now.level, now.start, reasons, flags, timeline), decided_by
    )


def _within(
    timeline: list[GradeInterval], begins: date | None, ends: date | None
) -> list[GradeInterval]:
    """The intervals of `timeline` clipped to the days from `begins` to `ends` (open ends)."""
    kept = []
    for interval in timeline:
        if ends is not None and interval.start > ends:
            break
        if begins is not None and interval.end is not None and interval.end < begins:
            continue
        start, end = interval.start, interval.end
        if begins is not None and start < begins:
            start = begins
        if ends is not None and (end is None or end > ends):
            end = ends
        if (start, end) != (interval.start, interval.end):
            interval = GradeInterval(interval.post, interval.level, start, end, interval.reasons)
        kept.append(interval)
    return kept


def _taking_effect(version: Version, before: GradeInterval, first: GradeInterval) -> GradeInterval:
    """The first interval under `version`, with the reason that says so first."""
    was, now = f"{before.post} level {before.level}", f"{first.post} level {first.level}"
    change = f"{was} -> {now}" if was != now else f"{now} is kept"
    reason = Reason(
        "policy.version",
        f"Version {version.version} of policy {version.id} took effect on "
        f"{version.effective_from}: from that day the grade follows its rules ({change}).",
    )
    return GradeInterval(first.post, first.level, first.start, first.end, [reason, *first.reasons])
