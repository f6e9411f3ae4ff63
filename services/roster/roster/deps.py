"""Typed dependency aliases for the roster's endpoints."""

from union_shared.auth import CurrentCaller
from union_shared.deps import SessionDep, TodayDep

__all__ = ["CurrentCaller", "SessionDep", "TodayDep"]
