"""Typed dependency aliases for recruitment's endpoints, and who may call the ones that are
recruitment's own (the shared ones are in union_shared.auth)."""

from typing import Annotated

from fastapi import Depends

from union_shared.auth import ADMINS, Caller, Role, allow
from union_shared.deps import NowDep, SessionDep

# A campaign and its postings are run by the federation's administrators, or a system client.
CampaignRunner = Annotated[Caller, Depends(allow(*ADMINS, Role.SYSTEM))]

__all__ = ["CampaignRunner", "NowDep", "SessionDep"]
