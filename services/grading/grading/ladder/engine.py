"""Evaluate a worker's grade on a date by replaying the career under one ladder policy.

Pure and deterministic: the same facts, policy and date give the same evaluation.
"""

from __future__ import annotations

from datetime import date

from grading.ladder.evaluation import Evaluation, WorkerFacts
from grading.ladder.policy import PostLevelPolicy, RankPolicy
from grading.ladder.post_level import replay_post_level
from grading.ladder.ranks import replay_ranks


def evaluate(facts: WorkerFacts, policy: PostLevelPolicy | RankPolicy, as_of: date) -> Evaluation:
    """The post and level on `as_of`, with the history and reasons that led to it."""
    if as_of < facts.hire_date:
        raise ValueError(f"as_of {as_of} is before the hire date {facts.hire_date}")
    left_on = facts.left_on if facts.left_on is not None and facts.left_on <= as_of else None
    # Nothing changes after the last day of employment.
    last_day = left_on or as_of
    if isinstance(policy, RankPolicy):
        return replay_ranks(facts, policy, last_day, left_on)
    return replay_post_level(facts, policy, last_day, left_on)


def explain(evaluation: Evaluation) -> str:
    """The evaluation as plain text, newest grade first."""
    lines = [
        f"Grade: {evaluation.post} level {evaluation.level} since {evaluation.effective_date}."
    ]
    lines += [f"  - [{r.rule}] {r.detail}" for r in evaluation.reasons]
    lines += [f"Flag: {flag}" for flag in evaluation.flags]
    lines.append("History:")
    for interval in reversed(evaluation.timeline):
        until = f"to {interval.end}" if interval.end else "onwards"
        lines.append(f"  {interval.start} {until}: {interval.post} level {interval.level}")
        lines += [f"      [{r.rule}] {r.detail}" for r in interval.reasons]
    return "\n".join(lines)
