"""The campaign dashboard and the stage lists as .xlsx, scoped like every read: those who run
the campaign see every posting, others their own part of the tree's."""

from __future__ import annotations

import tempfile
from collections import Counter
from decimal import Decimal

import xlsxwriter
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.campaigns import service as campaigns
from recruitment.postings import repository as postings
from recruitment.postings import service as posting_service
from recruitment.reading import repository
from recruitment.reading.schemas import Dashboard, PostingFigures
from recruitment.rules.scoring import opening_check
from union_shared.auth import Caller
from union_shared.identifiers import mask_phone, mask_resident_id

# The statuses each stage list shows.
STAGES: dict[str, tuple[S, ...] | None] = {
    "applications": None,
    "shortlist": (S.SHORTLISTED, S.NOT_SHORTLISTED),
    "ranking": (S.RANKED, S.IN_CHECK, S.CHECK_FAILED, S.PROPOSED, S.OFFERED, S.ACCEPTED,
                S.DECLINED, S.HIRED),
    "checks": (S.IN_CHECK, S.CHECK_FAILED, S.PROPOSED),
    "hires": (S.PROPOSED, S.OFFERED, S.ACCEPTED, S.HIRED),
}  # fmt: skip


async def dashboard(session: AsyncSession, caller: Caller, campaign_id: str) -> Dashboard:
    campaign = await campaigns.seen(session, caller, campaign_id)
    root = await posting_service.reading_root(session, caller, campaign)
    rules = await campaigns.rules_of(session, campaign)
    counts = await repository.status_counts(session, campaign.id, root)
    total: Counter[str] = Counter()
    figures = []
    for posting in await postings.of_campaign(session, campaign.id, root):
        mine = {s: n for (p, s), n in counts.items() if p == posting.id}
        total.update(mine)
        applicants = sum(n for s, n in mine.items() if s != S.WITHDRAWN)
        check = opening_check(applicants, posting.quota, rules)
        figures.append(
            PostingFigures(
                posting_id=posting.id, code=posting.code, title=posting.title,
                unit_id=posting.unit_id, quota=posting.quota, status=posting.status,
                applicants=applicants, by_status=mine, applicants_per_place=check.ratio,
                opens=check.opens, opening=check.message, shortlist_cut=posting.shortlist_cut,
            )
        )  # fmt: skip
    return Dashboard(campaign_id=campaign.id, postings=figures, by_status=dict(total))


HEADER = ("Application 报名序号", "Posting 岗位", "Name 姓名", "Resident ID 身份证号",
          "Phone 手机", "Status 状态", "Written 笔试", "Interview 面试", "Composite 综合",
          "Rank 排名")  # fmt: skip


async def stage_workbook(
    session: AsyncSession, caller: Caller, campaign_id: str, stage: str
) -> tempfile.SpooledTemporaryFile:
    """One stage's list as .xlsx, identifiers whole only for callers who may see them."""
    campaign = await campaigns.seen(session, caller, campaign_id)
    root = await posting_service.reading_root(session, caller, campaign)
    statuses = STAGES[stage]
    rows = await repository.stage_rows(
        session, campaign.id, root, None if statuses is None else [s.value for s in statuses]
    )
    target = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller closes it)
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    score = book.add_format({"num_format": "0.00"})
    sheet = book.add_worksheet(stage)
    sheet.write_row(0, 0, HEADER, book.add_format({"bold": True}))
    whole = caller.sees_identifiers
    for i, (a, code, scores) in enumerate(rows, start=1):
        resident = a.resident_id if whole else mask_resident_id(a.resident_id)
        phone = a.phone if whole else mask_phone(a.phone) or ""
        for column, text in enumerate((a.id, code, a.name, resident, phone, a.status)):
            sheet.write_string(i, column, text)
        for column, value in ((6, scores.get("written")), (7, scores.get("interview")),
                              (8, a.composite)):  # fmt: skip
            if value is not None:
                sheet.write_number(i, column, Decimal(str(value)), score)
        if a.rank is not None:
            sheet.write_number(i, 9, a.rank)
    book.close()
    target.seek(0)
    return target
