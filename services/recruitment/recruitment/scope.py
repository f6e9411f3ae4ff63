"""Scoping through recruitment's copy of the unit tree (union_shared.scope).

A campaign is run by a federation for postings in its subtree. Those who govern the federation
run it; those governing a unit below it see it (their units' postings may be in it) and, of its
postings, those in their own part of the tree."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import UNIT_TREE, Campaign
from union_shared.auth import Caller
from union_shared.errors import Forbidden
from union_shared.scope import Scope


async def caller_scope(session: AsyncSession, caller: Caller) -> Scope:
    return await UNIT_TREE.scope(session, caller)


def runs(scope: Scope, campaign: Campaign) -> bool:
    """Whether the caller governs the federation running the campaign."""
    return scope.covers(campaign.unit_path)


def sees(scope: Scope, campaign: Campaign) -> bool:
    """Whether the caller runs the campaign or governs a unit below its federation."""
    return runs(scope, campaign) or (
        scope.root is not None and scope.root.startswith(campaign.unit_path)
    )


def require_runs(scope: Scope, campaign: Campaign) -> None:
    if not runs(scope, campaign):
        raise Forbidden(
            f"campaign {campaign.id} is run by unit {campaign.unit_id}, outside your part of "
            "the unit tree"
        )


async def unit_path(session: AsyncSession, caller: Caller, unit_id: str, field: str) -> str:
    """The path of a unit named in a request body that the caller governs (422 on `field` when
    the tree has no such unit)."""
    return await UNIT_TREE.unit_in_scope(session, caller, unit_id, field)
