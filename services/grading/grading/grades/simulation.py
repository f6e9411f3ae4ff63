"""What-if: apply a draft policy (or changed thresholds, or the other reading of steps after a
post change) to the current workers, or compare the two readings side by side, writing nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.schemas import (
    DistributionRow,
    GradeAt,
    Simulation,
    SimulationCreate,
    StepReadingComparison,
    StepReadingComparisonCreate,
    WorkerDifference,
    WorkerReadings,
)
from grading.grades.service import replay_of
from grading.ladder.evaluation import Evaluation
from grading.ladder.policy import PostLevelPolicy, RankPolicy, StepReading
from grading.models import GradedWorker
from grading.policies.service import Catalogue, parse_document
from grading.scope import subtree_path
from union_shared.auth import Caller
from union_shared.errors import InvalidInput

# The parts of the policy in force that a simulation may change alone.
_CHANGES = ("post_thresholds", "steps_after_post_change")


def _draft(current: PostLevelPolicy | RankPolicy, body: SimulationCreate):
    if body.policy is not None:
        return parse_document(body.policy)
    changes = body.model_dump(mode="json", include=set(_CHANGES), exclude_none=True)
    if not changes:
        raise InvalidInput.on_field(
            "body.policy", "send a draft policy, post_thresholds or steps_after_post_change"
        )
    document = current.model_dump(mode="json")
    for name in changes:
        if name not in document:
            raise InvalidInput.on_field(
                f"body.{name}", f"{current.id} has no {name.replace('_', ' ')}"
            )
    return parse_document({**document, **changes})


def _rows(counter: Counter) -> list[DistributionRow]:
    return [DistributionRow(post=p, level=lv, workers=n) for (p, lv), n in sorted(counter.items())]


async def _graded_on(
    session: AsyncSession, caller: Caller, catalogue: Catalogue, unit_id: str | None, as_of: date
) -> list[tuple[GradedWorker, dict[int, str], PostLevelPolicy | RankPolicy]]:
    """The subtree's active workers hired by `as_of`, with their ratings and the version of
    their unit's policy that governs that day."""
    under = await subtree_path(session, caller, unit_id)
    workers = await repository.active_under(session, under)
    ratings = await repository.ratings_of(session, [w.worker_id for w in workers])
    return [
        (
            worker,
            ratings.get(worker.worker_id, {}),
            catalogue.book_for_unit(worker.unit_id).governing(as_of),
        )
        for worker in sorted(workers, key=lambda w: w.worker_id)
        if worker.hire_date <= as_of
    ]


def _grade(
    worker: GradedWorker, ratings: dict[int, str], policy: PostLevelPolicy | RankPolicy, day: date
) -> Evaluation:
    """The worker's grade on `day` were `policy` the only version, over every employment."""
    return replay_of(worker, ratings, [policy], day).evaluation


async def simulate(
    session: AsyncSession, caller: Caller, catalogue: Catalogue, body: SimulationCreate
) -> Simulation:
    before, after, moves = Counter(), Counter(), Counter()
    differences = []
    drafts: dict[str, PostLevelPolicy | RankPolicy] = {}
    for worker, ratings, current in await _graded_on(
        session, caller, catalogue, body.unit_id, body.as_of
    ):
        draft = drafts.get(current.id) or drafts.setdefault(current.id, _draft(current, body))
        now = _grade(worker, ratings, current, body.as_of)
        then = _grade(worker, ratings, draft, body.as_of)
        before[(now.post, now.level)] += 1
        after[(then.post, then.level)] += 1
        if (now.post, now.level) != (then.post, then.level):
            moves[f"{now.post} {now.level} -> {then.post} {then.level}"] += 1
            differences.append(
                WorkerDifference(
                    worker_id=worker.worker_id,
                    before=GradeAt(post=now.post, level=now.level),
                    after=GradeAt(post=then.post, level=then.level),
                )
            )
    return Simulation(
        as_of=body.as_of,
        workers=sum(before.values()),
        changed=len(differences),
        before=_rows(before),
        after=_rows(after),
        moves=dict(moves),
        differences=differences,
    )


def _under(policy: PostLevelPolicy, reading: StepReading) -> PostLevelPolicy:
    """The version as it is, but for its reading of steps after a post change."""
    if policy.steps_after_post_change is reading:
        return policy
    document = {**policy.model_dump(mode="json"), "steps_after_post_change": reading.value}
    return parse_document(document)  # type: ignore[return-value]  # the kind is unchanged


def _both_readings(policy: PostLevelPolicy) -> tuple[PostLevelPolicy, PostLevelPolicy]:
    return _under(policy, StepReading.LEVEL_CARRIED), _under(policy, StepReading.LEVEL_FROM_SERVICE)


async def compare_step_readings(
    session: AsyncSession, caller: Caller, catalogue: Catalogue, body: StepReadingComparisonCreate
) -> StepReadingComparison:
    """Each worker's grade on `as_of` under both readings of steps after a post change, by the
    version of their unit's policy governing that day."""
    carried_rows, service_rows, moves = Counter(), Counter(), Counter()
    by_worker: list[WorkerReadings] = []
    pairs: dict[tuple[str, int], tuple[PostLevelPolicy, PostLevelPolicy]] = {}
    on_ranks = 0
    for worker, ratings, current in await _graded_on(
        session, caller, catalogue, body.unit_id, body.as_of
    ):
        if isinstance(current, RankPolicy):
            on_ranks += 1
            continue
        key = (current.id, current.version)
        pair = pairs.get(key) or pairs.setdefault(key, _both_readings(current))
        carried, service = (_grade(worker, ratings, policy, body.as_of) for policy in pair)
        carried_rows[(carried.post, carried.level)] += 1
        service_rows[(service.post, service.level)] += 1
        differs = (carried.post, carried.level) != (service.post, service.level)
        if differs:
            moves[f"{carried.post} {carried.level} -> {service.post} {service.level}"] += 1
        by_worker.append(
            WorkerReadings(
                worker_id=worker.worker_id,
                unit_id=worker.unit_id,
                policy_id=current.id,
                policy_version=current.version,
                in_force=current.steps_after_post_change,
                level_carried=GradeAt(post=carried.post, level=carried.level),
                level_from_service=GradeAt(post=service.post, level=service.level),
                differs=differs,
                levels_apart=service.level - carried.level,
            )
        )
    return StepReadingComparison(
        as_of=body.as_of,
        workers=len(by_worker),
        differing=sum(row.differs for row in by_worker),
        on_rank_ladders=on_ranks,
        level_carried=_rows(carried_rows),
        level_from_service=_rows(service_rows),
        moves=dict(moves),
        by_worker=by_worker,
    )
