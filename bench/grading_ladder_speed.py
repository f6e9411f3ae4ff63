"""How many evaluations a second one core manages for a typical worker (10 years, 10 appraisals).

Run: uv run python bench/grading_ladder_speed.py (a timing script, not a test)
"""

from __future__ import annotations

import time
from datetime import date

from grading.ladder.engine import evaluate
from grading.ladder.evaluation import WorkerFacts
from grading.ladder.policy import shipped_policies
from union_shared.vocabulary import Rating

TYPICAL = WorkerFacts(
    hire_date=date(2016, 3, 14),
    seniority_start=date(2014, 9, 1),
    appraisals={
        2016: Rating.COMPETENT,
        2017: Rating.EXCELLENT,
        2018: Rating.COMPETENT,
        2019: Rating.BASICALLY_COMPETENT,
        2020: Rating.BASICALLY_COMPETENT,
        2021: Rating.EXCELLENT,
        2022: Rating.COMPETENT,
        2023: Rating.INCOMPETENT,
        2024: Rating.EXCELLENT,
        2025: Rating.COMPETENT,
    },
)


def rate(policy_id: str, as_of: date, seconds: float = 1.0) -> float:
    policy = shipped_policies()[policy_id].in_force(as_of)
    done = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for _ in range(1000):
            evaluate(TYPICAL, policy, as_of)
        done += 1000
    return done / elapsed


if __name__ == "__main__":
    for policy_id in ("tianjin-3p18l", "qingdao-ranks"):
        print(f"{policy_id}: {rate(policy_id, date(2026, 6, 30)):,.0f} evaluations/s")
