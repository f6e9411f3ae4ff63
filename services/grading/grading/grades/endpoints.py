from __future__ import annotations

from fastapi import APIRouter, Request

from grading.deps import SessionDep, Simulator, TodayDep
from grading.grades import reading
from grading.grades.schemas import (
    Distribution,
    DistributionRow,
    GradeRead,
    IntervalRead,
    ReasonRead,
    Simulation,
    SimulationCreate,
    StepReadingComparison,
    StepReadingComparisonCreate,
)
from grading.grades.simulation import compare_step_readings, simulate
from grading.policies.service import catalogue
from union_shared.auth import ADMINS, RecordReader, Role, TreeReader
from union_shared.inputs import IsoDate

router = APIRouter(tags=["grades"])


def _default_policy(request: Request) -> str:
    return request.app.state.settings.default_policy


@router.get(
    "/workers/{worker_id}/grade",
    summary="A worker's post and level on a date, with the reasons",
    description=(
        "Replays the ladder on the worker's facts (seniority, credited service, education, every "
        "appraisal in force) up to `as_of` (default today), each version of the policy deciding "
        "the days it was in force; `policy_version` is the one that decided the grade. The first "
        "version also decides the days before it, back to the hire date, exactly as the grade "
        "history shows them."
    ),
)
async def get_grade(
    worker_id: str,
    request: Request,
    session: SessionDep,
    caller: RecordReader,
    today: TodayDep,
    as_of: IsoDate | None = None,
) -> GradeRead:
    day = as_of or today
    replay = await reading.grade_on(session, caller, worker_id, day, _default_policy(request))
    result, policy = replay.evaluation, replay.policy
    return GradeRead(
        worker_id=worker_id,
        as_of=day,
        policy_id=policy.id,
        policy_version=policy.version,
        post=result.post,
        level=result.level,
        effective_date=result.effective_date,
        reasons=[ReasonRead(rule=r.rule, detail=r.detail) for r in result.reasons],
        flags=list(result.flags),
    )


@router.get(
    "/workers/{worker_id}/grade-history",
    summary="A worker's grade history: effective-dated intervals that never overlap",
    description="With `include_superseded`, also the intervals later re-evaluations replaced.",
)
async def grade_history(
    worker_id: str, session: SessionDep, caller: RecordReader, include_superseded: bool = False
) -> list[IntervalRead]:
    rows = await reading.history(session, caller, worker_id, include_superseded)
    return [IntervalRead.model_validate(r) for r in rows]


@router.get(
    "/distribution",
    summary="How many workers hold each post and level in a unit subtree",
)
async def distribution(
    session: SessionDep, caller: TreeReader, unit_id: str | None = None
) -> Distribution:
    rows = await reading.distribution(session, caller, unit_id)
    return Distribution(
        unit_id=unit_id or caller.unit_id,
        total=sum(n for _, _, n in rows),
        rows=[DistributionRow(post=p, level=lv, workers=n) for p, lv, n in rows],
    )


@router.post(
    "/simulations",
    summary="What if: a draft policy, changed thresholds or the other step reading, applied",
    description=(
        "Writes nothing. The active workers of the unit's subtree hired by `as_of`, graded by "
        "the version of their policy governing that day and by the draft: a whole draft policy, "
        "or the version with other `post_thresholds` and/or another `steps_after_post_change`. "
        "Counts moving between posts and levels, and each worker's change."
    ),
)
async def run_simulation(
    body: SimulationCreate, request: Request, session: SessionDep, caller: Simulator
) -> Simulation:
    caller.require(*ADMINS, Role.SYSTEM, Role.AUDITOR)
    books = await catalogue(session, _default_policy(request))
    return await simulate(session, caller, books, body)


@router.post(
    "/simulations/step-readings",
    summary="What if: each worker's grade under both readings of steps after a post change",
    description=(
        "Writes nothing. For the active workers of the unit's subtree hired by `as_of`, the "
        "grade on that day under the version of their policy governing it, read once with "
        "`steps_after_post_change: level_carried` (a level raised to a new post's bottom is the "
        "starting point for later steps) and once with `level_from_service` (the level is the "
        "entry level plus the counted steps, raised to the post's bottom and capped at its "
        "top): per worker both grades and whether they differ, the distribution under each, "
        "and how many move between them. Workers on rank ladders are counted, not compared."
    ),
)
async def run_step_reading_comparison(
    body: StepReadingComparisonCreate, request: Request, session: SessionDep, caller: Simulator
) -> StepReadingComparison:
    caller.require(*ADMINS, Role.SYSTEM, Role.AUDITOR)
    books = await catalogue(session, _default_policy(request))
    return await compare_step_readings(session, caller, books, body)
