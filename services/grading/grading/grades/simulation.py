"""What-if: apply a draft policy (or changed thresholds) to the current workers, writing nothing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.schemas import (
    DistributionRow,
    GradeAt,
    Simulation,
    SimulationCreate,
    WorkerDifference,
)
from grading.grades.service import facts_of
from grading.ladder.engine import evaluate
from grading.policies.service import Catalogue, parse_document
from grading.scope import subtree_path
from union_shared.auth import Caller
from union_shared.errors import InvalidInput


def _draft(current, body: SimulationCreate):
    if body.policy is not None:
        return parse_document(body.policy)
    if body.post_thresholds is not None:
        document = current.model_dump(mode="json")
        if "post_thresholds" not in document:
            raise InvalidInput.on_field(
                "body.post_thresholds", f"{current.id} has no post thresholds"
            )
        return parse_document({**document, "post_thresholds": body.post_thresholds})
    raise InvalidInput.on_field("body.policy", "send a draft policy or post_thresholds")


def _rows(counter: Counter) -> list[DistributionRow]:
    return [DistributionRow(post=p, level=lv, workers=n) for (p, lv), n in sorted(counter.items())]


async def simulate(
    session: AsyncSession, caller: Caller, catalogue: Catalogue, body: SimulationCreate
) -> Simulation:
    under = await subtree_path(session, caller, body.unit_id)
    workers = await repository.active_under(session, under)
    ratings = await repository.ratings_of(session, [w.worker_id for w in workers])
    before, after, moves = Counter(), Counter(), Counter()
    differences = []
    drafts: dict[str, object] = {}
    for worker in workers:
        current = catalogue.book_for_unit(worker.unit_id).governing(body.as_of)
        draft = drafts.setdefault(current.id, _draft(current, body))
        facts = facts_of(worker, ratings.get(worker.worker_id, {}))
        if worker.hire_date > body.as_of:
            continue
        now = evaluate(facts, current, body.as_of)
        then = evaluate(facts, draft, body.as_of)
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
