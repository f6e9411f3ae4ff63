"""Typed dependency aliases for recruitment's endpoints, and who may call the ones that are
recruitment's own (the shared ones are in union_shared.auth)."""

from typing import Annotated

from fastapi import Depends

from union_shared.auth import ADMINS, HR_WRITERS, PLATFORM_USERS, TREE_READERS, Caller, Role, allow
from union_shared.deps import NowDep, SessionDep, TodayDep

# A campaign and its postings are run by the federation's administrators, or a system client.
CampaignRunner = Annotated[Caller, Depends(allow(*ADMINS, Role.SYSTEM))]
# Qualification review: the posting's HR and administrators, or a system client.
Reviewer = Annotated[Caller, Depends(allow(*HR_WRITERS, Role.SYSTEM))]
# An applicant acts on their own applications only (their token's subject).
ApplicantCaller = Annotated[Caller, Depends(allow(Role.APPLICANT))]
# One application: the applicant's own, or the tree's readers for postings they may read.
ApplicationReader = Annotated[Caller, Depends(allow(*TREE_READERS, Role.APPLICANT))]
# A scorer declaring a relation to an applicant (回避): the tree's readers of the campaign's
# part of the tree (scorers are its staff), or a system client.
ScorerCaller = Annotated[Caller, Depends(allow(*TREE_READERS))]
# A public notice (公示) is for everyone, applicants included: it shows nothing unmasked. Not
# operators: they run the platform, and no route of the register's admits them
# (tests/test_role_table.py).
NoticeReader = Annotated[Caller, Depends(allow(*PLATFORM_USERS - {Role.OPERATOR}, Role.APPLICANT))]
# The daily run of the due hires: a CronJob's system client (operators run the same by hand with
# `python -m recruitment.hiring`; no route outside /admin/ admits them).
HireRunner = Annotated[Caller, Depends(allow(Role.SYSTEM))]

__all__ = [
    "ApplicantCaller",
    "ApplicationReader",
    "CampaignRunner",
    "HireRunner",
    "NoticeReader",
    "NowDep",
    "Reviewer",
    "ScorerCaller",
    "SessionDep",
    "TodayDep",
]
