"""Typed dependency aliases for the grading's endpoints, and who may call the ones that are
grading's own (the shared ones are in union_shared.auth)."""

from typing import Annotated

from fastapi import Depends

from union_shared.auth import ADMINS, Caller, CurrentCaller, Role, allow
from union_shared.deps import SessionDep, TodayDep

# A policy version binds every unit assigned to it: the city, or a system client, publishes.
PolicyPublisher = Annotated[Caller, Depends(allow(Role.CITY_ADMIN, Role.SYSTEM))]
# What-if runs over a subtree's workers: admins, auditors and system clients.
Simulator = Annotated[Caller, Depends(allow(*ADMINS, Role.AUDITOR, Role.SYSTEM))]

__all__ = ["CurrentCaller", "PolicyPublisher", "SessionDep", "Simulator", "TodayDep"]
