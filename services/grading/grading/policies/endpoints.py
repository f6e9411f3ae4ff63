from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request

from grading.deps import PolicyPublisher, SessionDep, TodayDep
from grading.policies import service
from grading.policies.schemas import AssignmentRead, AssignmentUpdate, PolicyVersionRead
from union_shared.auth import AnyCaller, TreeAdmin

router = APIRouter(tags=["policies"])


@router.get("/policies", summary="Every ladder policy version, shipped and published")
async def list_policies(session: SessionDep, caller: AnyCaller) -> list[PolicyVersionRead]:
    return [PolicyVersionRead.model_validate(v) for v in await service.versions(session)]


@router.get("/policies/{policy_id}", summary="The versions of one policy, oldest first")
async def get_policy(
    policy_id: str, session: SessionDep, caller: AnyCaller
) -> list[PolicyVersionRead]:
    return [PolicyVersionRead.model_validate(v) for v in await service.versions(session, policy_id)]


@router.post(
    "/policies/{policy_id}/versions",
    status_code=201,
    summary="Publish a new version of a policy for a future date",
    description=(
        "The document is validated (level ranges sane, thresholds ordered, rules complete). Its "
        "effective date must be after today and after every existing version: a version in "
        "force in the past is never changed."
    ),
)
async def publish_version(
    policy_id: str,
    request: Request,
    session: SessionDep,
    caller: PolicyPublisher,
    today: TodayDep,
    document: dict[str, Any] = Body(description="A policy document, as in ladder/policies/*.yaml."),
) -> PolicyVersionRead:
    row = await service.publish_version(session, caller, policy_id, document, today)
    return PolicyVersionRead.model_validate(row)


@router.put("/units/{unit_id}/policy", summary="Grade a unit's workers by a given policy")
async def assign_policy(
    unit_id: str, body: AssignmentUpdate, session: SessionDep, caller: TreeAdmin
) -> AssignmentRead:
    return AssignmentRead.model_validate(
        await service.assign(session, caller, unit_id, body.policy_id)
    )
