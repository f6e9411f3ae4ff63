"""Typed dependency aliases for the payroll's endpoints, and who may call the ones that are
payroll's own (the shared ones are in union_shared.auth)."""

from typing import Annotated

from fastapi import Depends

from payroll.runs.reading import RUN_READERS
from payroll.runs.service import RUN_WRITERS
from payroll.scope import BANK_READERS
from union_shared.auth import ADMINS, Caller, CurrentCaller, Role, allow
from union_shared.deps import SessionDep, TodayDep

# Draft, recompute and discard runs, and record pay profiles: payroll officers and system clients.
PayWriter = Annotated[Caller, Depends(allow(*RUN_WRITERS))]
# Review and approve a run: a payroll officer, always a person.
PayApprover = Annotated[Caller, Depends(allow(Role.PAYROLL_OFFICER))]
RunReader = Annotated[Caller, Depends(allow(*RUN_READERS))]
# The bank file carries whole account numbers: those who pay (the bank gateway is a system).
BankReader = Annotated[Caller, Depends(allow(*BANK_READERS))]
# Who funds a unit's pay: the unit's admins and payroll officers, and system clients.
FunderWriter = Annotated[Caller, Depends(allow(*ADMINS, Role.PAYROLL_OFFICER, Role.SYSTEM))]

__all__ = [
    "BankReader",
    "CurrentCaller",
    "FunderWriter",
    "PayApprover",
    "PayWriter",
    "RunReader",
    "SessionDep",
    "TodayDep",
]
