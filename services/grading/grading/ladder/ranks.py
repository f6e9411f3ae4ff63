"""Replay a career on a rank ladder (e.g. Qingdao 见习干事 → 高级干事); the level is always 1.

Promotion needs `min_years_in_rank` full years in the current rank in which every appraisal
year overlapping them is rated competent or better. As on the post-and-level ladder, a rating
is known from 1 January after its year: a promotion due mid-year is not held back by the
running year, whose rating then counts against the years in the new rank.
"""

from __future__ import annotations

from datetime import date

from grading.ladder.evaluation import (
    ONE_DAY,
    Evaluation,
    Reason,
    TimelineBuilder,
    WorkerFacts,
    anniversary,
    words,
)
from grading.ladder.policy import Rank, RankPolicy


def replay_ranks(
    facts: WorkerFacts, policy: RankPolicy, last_day: date, left_on: date | None
) -> Evaluation:
    """The rank history from the hire date to `last_day` (no decision after it)."""
    ranks = policy.ranks
    resumed = facts.resumed
    if resumed is None:
        rank_i = policy.rank_index(policy.entry.post)
        entry = Reason(
            "entry", f"Hired on {facts.hire_date}: {ranks[rank_i].name}, the entry rank (level 1)."
        )
    else:
        rank_i = policy.rank_index(resumed.post)
        entry = Reason(
            "rehire.resume",
            f"Hired again on {facts.hire_date}: {ranks[rank_i].name}, the rank held on "
            f"{resumed.left_on}, the last day of the employment before, resumes; the years in "
            "it count again from the hire date, as after a year below competent.",
        )
    timeline = TimelineBuilder(facts.hire_date, ranks[rank_i].code, 1, [entry])
    poor = [
        y
        for y, r in sorted(facts.appraisals.items())
        if r not in policy.qualifying_ratings and y < last_day.year
    ]
    count_start = facts.hire_date
    restarts: list[tuple[date, Reason]] = []  # since the last promotion, which they explain
    while (years := ranks[rank_i].min_years_in_rank) is not None:
        due = anniversary(count_start, years)
        # Appraisal years that overlap the count and have ended by the day it completes.
        blocking = [y for y in poor if count_start.year <= y < due.year]
        if blocking:
            count_start = date(blocking[-1] + 1, 1, 1)
            restarts.append(
                (count_start, _restart(facts, ranks[rank_i], blocking[-1], count_start))
            )
            continue
        if due > last_day:
            break
        reason = _promotion(facts, ranks[rank_i], ranks[rank_i + 1], count_start, due, years)
        rank_i += 1
        count_start = due
        timeline.decide(due, ranks[rank_i].code, 1, [r for _, r in restarts] + [reason])
        restarts = []
    for day, reason in restarts:
        timeline.decide(day, ranks[rank_i].code, 1, [reason])
    return timeline.evaluation(left_on)


def _restart(facts: WorkerFacts, rank: Rank, year: int, restart: date) -> Reason:
    return Reason(
        "rank.restart",
        f"The {year} appraisal was rated {words(facts.appraisals[year])}, below competent: "
        f"the years in {rank.name} count again from {restart}.",
    )


def _promotion(
    facts: WorkerFacts, old: Rank, new: Rank, start: date, due: date, years: int
) -> Reason:
    rated = []
    for year in range(start.year, (due - ONE_DAY).year + 1):
        if year >= due.year:
            rated.append(f"{year} still running")
        elif year in facts.appraisals:
            rated.append(f"{year} {words(facts.appraisals[year])}")
        else:
            rated.append(f"{year} not appraised")
    return Reason(
        "rank.promotion",
        f"{old.name} -> {new.name}: {years} full year(s) in {old.name} from {start} to "
        f"{due - ONE_DAY} with every appraisal competent or better ({'; '.join(rated)}).",
    )
