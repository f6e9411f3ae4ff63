"""A career of several employments: a worker who left and was hired again (DOMAIN.md, "Re-hire").

Each employment is replayed on its own and the histories are put one after the other: the
first employment's history is what it was before the re-hire, no interval covers the days
between two employments, and a later one starts from the grade its policy version's
`on_rehire` gives (RehireRule): the grade held on the last day of the one before, or the
entry grade as for any new hire. A worker employed once, as nearly all are, is replayed exactly
as before (`evaluate_book`). Pure, like the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from grading.ladder.evaluation import Evaluation, GradeInterval, Reason, Resumed, WorkerFacts
from grading.ladder.policy import PostLevelPolicy, RehireRule
from grading.ladder.versions import BookEvaluation, Version, evaluate_book, ruling
from union_shared.vocabulary import Education, Rating


@dataclass(frozen=True, slots=True)
class Employment:
    """One employment episode: the roster's hire date, seniority start and last day."""

    hire_date: date
    seniority_start: date
    left_on: date | None = None
    education: Education | None = None  # as on the register then; None: the worker's own


def evaluate_career(
    employments: Sequence[Employment],
    education: Education,
    appraisals: Mapping[int, Rating],
    versions: Sequence[Version],
    as_of: date,
) -> BookEvaluation:
    """The grade on `as_of` and the history of every employment begun by then, oldest first.

    An appraisal year belongs to the employment whose hire year it is in or follows, up to the
    next one's hire year: a rating is known from 1 January after its year, so a year in which
    the worker left never changed the grade of the employment it ended."""
    begun = [e for e in employments if e.hire_date <= as_of] or list(employments[:1])
    replay: BookEvaluation | None = None
    timeline: list[GradeInterval] = []
    decided_by: list[Version] = []
    flags: list[str] = []
    for k, employment in enumerate(begun):
        until = begun[k + 1].hire_date.year if k + 1 < len(begun) else None
        resumed = None if replay is None else _resumed(replay, begun[k - 1], employment, versions)
        since = begun[0] if resumed is not None else employment
        facts = WorkerFacts(
            hire_date=employment.hire_date,
            seniority_start=employment.seniority_start,
            education=employment.education or education,
            appraisals={
                year: rating
                for year, rating in appraisals.items()
                if year >= since.hire_date.year and (until is None or year < until)
            },
            left_on=employment.left_on,
            resumed=resumed,
        )
        replay = evaluate_book(facts, versions, as_of)
        intervals = replay.evaluation.timeline
        if k and resumed is None:  # a restart says why the grade is the entry grade again
            intervals = [_restarted(replay.versions[0], employment, intervals[0]), *intervals[1:]]
        timeline += intervals
        decided_by += replay.versions
        flags += replay.evaluation.flags
    assert replay is not None  # there is always a first employment
    if len(begun) == 1:
        return replay
    now = replay.evaluation
    reasons = now.reasons
    if timeline[-1].reasons[0].rule == "rehire.restart":  # the grade now is the entry grade
        reasons = [timeline[-1].reasons[0], *reasons]
    evaluation = Evaluation(
        now.post,
        now.level,
        now.effective_date,
        reasons,
        list(dict.fromkeys(flags)),
        timeline,
        now.service,
    )
    return BookEvaluation(evaluation, decided_by)


def _resumed(
    before: BookEvaluation, ended: Employment, employment: Employment, versions: Sequence[Version]
) -> Resumed | None:
    """Where the grade resumes, or None when it restarts: by the rule of the version in force
    on the new hire date, and only on the ladder it was held on (a post that version still
    has)."""
    if ended.left_on is None or ended.left_on >= employment.hire_date:
        raise ValueError(
            f"the employment from {ended.hire_date} has not ended before {employment.hire_date}"
        )
    version = ruling(versions, employment.hire_date, employment.hire_date)[0]
    if version.on_rehire is not RehireRule.RESUME:
        return None
    last, held_under = before.evaluation.timeline[-1], before.versions[-1]
    if held_under.id != version.id or type(held_under) is not type(version):
        return None
    codes = (
        [p.code for p in version.posts]
        if isinstance(version, PostLevelPolicy)
        else [r.code for r in version.ranks]
    )
    if last.post not in codes:
        return None
    return Resumed(
        post=last.post,
        level=last.level,
        service=before.evaluation.service,
        since=last.start,
        left_on=ended.left_on,
        # The roster moves a re-hire's seniority start back by the earlier service it counts.
        earlier_service_counted=employment.seniority_start < employment.hire_date,
    )


def _restarted(version: Version, employment: Employment, first: GradeInterval) -> GradeInterval:
    """The first interval of a restarted employment, led by the reason it restarted."""
    why = (
        f"policy {version.id} version {version.version} restarts the grade on a re-hire"
        if version.on_rehire is RehireRule.RESTART
        else "the grade held before was on another ladder or post"
    )
    reason = Reason(
        "rehire.restart",
        f"Hired again on {employment.hire_date}: {why}, so it starts from the entry grade.",
    )
    return GradeInterval(first.post, first.level, first.start, first.end, [reason, *first.reasons])
