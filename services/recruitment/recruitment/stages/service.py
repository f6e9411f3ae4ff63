"""Stage use cases after screening: qualification review, the interview shortlist, ranking,
the checks 1:1 by rank, settling the checks, and replacement (递补) of a place given up.

Each move of an application is a recorded step (who, when, from what, to what, why) and the
posting's draws are audited; the caller's request owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications import repository as applications
from recruitment.applications import service as application_service
from recruitment.applications.domain import ApplicationStatus as S
from recruitment.applications.service import record_step
from recruitment.campaigns import service as campaigns
from recruitment.ids import new_id
from recruitment.models import Application, ApplicationEvent, Campaign, Posting
from recruitment.postings import service as postings
from recruitment.postings.domain import PostingStatus
from recruitment.rules.bonus import BonusClaim, Review, granted_points
from recruitment.rules.schema import CampaignRules
from recruitment.rules.scoring import (
    Candidate,
    Ranked,
    TieUnresolved,
    WrittenResult,
    rank,
    replacement,
    shortlist,
)
from recruitment.rules.scoring import composite as composite_of
from recruitment.scores.kinds import ScoreKind
from recruitment.stages import locks, repository
from recruitment.stages.domain import (
    GAVE_UP,
    HOLDING,
    StageRefused,
    check_places,
    refusal_reason,
    review_reason,
)
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.errors import NotFound

CENTS = Decimal("0.01")  # points are stored with two places, as the database holds them


@dataclass(frozen=True)
class Draw:
    """What a posting's draw did: who moved to which status, and the cut line if any."""

    posting_id: str
    moved: dict[str, str]  # application id -> status now
    cut_line: str | None = None
    note: str | None = None


async def review(
    session: AsyncSession, caller: Caller, application_id: str, decision: S, reason: str | None,
    now: datetime,
) -> Application:  # fmt: skip
    row, posting = await _reviewed(session, caller, application_id)
    if posting.shortlisted_at is not None:
        raise StageRefused("the posting's shortlist is drawn: its reviews are closed")
    before = S(row.status)
    text = review_reason(before, decision, reason)
    await _move(session, row, "reviewed", before, decision, caller, now, text)
    return row


async def draw_shortlist(
    session: AsyncSession, caller: Caller, posting_id: str, now: datetime
) -> Draw:
    """Qualified applicants with a written score, ratio × quota by score and everyone tied at
    the cut; the others, absent from the exam included, are not shortlisted. Drawn again (after
    a correction) until the posting is ranked."""
    posting, campaign, rules = await _run(session, caller, posting_id)
    if now < campaign.window_closes_at:
        raise StageRefused("the application window is still open")
    if posting.ranked_at is not None:
        raise StageRefused("the posting is ranked: its shortlist stands")
    pool = await repository.of_posting(
        session, posting.id, [S.QUALIFIED, S.SHORTLISTED, S.NOT_SHORTLISTED]
    )
    written = await repository.scores(session, [a.id for a in pool], [ScoreKind.WRITTEN])
    sat = [a for a in pool if ScoreKind.WRITTEN in written[a.id]]
    results = [
        WrittenResult(a.id, written[a.id][ScoreKind.WRITTEN].value, a.bonus_points) for a in sat
    ]
    drawn = shortlist(results, posting.quota, rules)
    kept = {r.application_no for r in drawn.kept}
    moved, steps = {}, []
    for a in pool:
        after = S.SHORTLISTED if a.id in kept else S.NOT_SHORTLISTED
        why = _shortlist_reason(a, after, written, drawn.cut_line, drawn.places)
        steps.append(_moved(a, "shortlist", S(a.status), after, caller, now, why))
        moved[a.id] = after.value
    await repository.add_all(session, steps)
    posting.shortlist_cut, posting.shortlisted_at = drawn.cut_line, now
    await record_audit(
        session, caller, "posting.shortlist_drawn", "posting", posting.id,
        changes={"places": drawn.places, "shortlisted": len(kept),
                 "cut_line": None if drawn.cut_line is None else str(drawn.cut_line)},
    )  # fmt: skip
    cut = None if drawn.cut_line is None else str(drawn.cut_line)
    return Draw(posting.id, moved, cut)


def _shortlist_reason(a: Application, after: S, written: dict, cut, places: int) -> str:
    if ScoreKind.WRITTEN not in written[a.id]:
        return "no written score: absent from the written exam"
    if after is S.SHORTLISTED:
        return f"written score at or above the cut line {cut} for {places} place(s)"
    return (
        f"written score below the cut line {cut} for {places} place(s)"
        if cut
        else ("below the written pass mark")
    )


async def rank_posting(
    session: AsyncSession, caller: Caller, posting_id: str, now: datetime
) -> Draw:
    """The composite and rank of every shortlisted applicant with an interview score, by the
    tie-break chain (a run-off score, once recorded for all of a tied group, settles it).
    Ranked again until the checks begin."""
    posting, _, rules = await _run(session, caller, posting_id)
    if posting.shortlisted_at is None:
        raise StageRefused("draw the shortlist first")
    if await repository.of_posting(
        session, posting.id, [s.value for s in HOLDING | GAVE_UP - {S.WITHDRAWN}]
    ):
        raise StageRefused("the checks have begun: the ranking stands")
    pool = await repository.of_posting(session, posting.id, [S.SHORTLISTED, S.RANKED])
    kinds = [ScoreKind.WRITTEN, ScoreKind.INTERVIEW, ScoreKind.RUN_OFF]
    found = await repository.scores(session, [a.id for a in pool], kinds)
    sat = [a for a in pool if ScoreKind.INTERVIEW in found[a.id]]
    ranked = rank([_candidate(a, found[a.id], rules) for a in sat], rules)
    by_id = {a.id: a for a in sat}
    moved, steps = {}, []
    for row in ranked:
        a = by_id[row.candidate.application_no]
        a.composite, a.rank, a.run_off_needed = (
            row.candidate.composite,
            row.rank,
            row.run_off_needed,
        )
        why = f"composite {row.candidate.composite}, rank {row.rank}" + (
            " (tied: a run-off decides)" if row.run_off_needed else ""
        )
        steps.append(_moved(a, "ranked", S(a.status), S.RANKED, caller, now, why))
        moved[a.id] = S.RANKED.value
    await repository.add_all(session, steps)
    posting.ranked_at = now
    await record_audit(
        session, caller, "posting.ranked", "posting", posting.id,
        changes={"ranked": len(ranked), "absent": len(pool) - len(sat)},
    )  # fmt: skip
    return Draw(posting.id, moved)


def _candidate(a: Application, found: dict, rules: CampaignRules) -> Candidate:
    written = found[ScoreKind.WRITTEN].value
    interview = found[ScoreKind.INTERVIEW].value
    run_off = found[ScoreKind.RUN_OFF].value if ScoreKind.RUN_OFF in found else None
    total = composite_of(written, interview, rules, a.bonus_points)
    return Candidate(a.id, total, written, interview, run_off)


async def start_checks(
    session: AsyncSession, caller: Caller, posting_id: str, now: datetime
) -> Draw:
    """The medical check and background review for quota × check_ratio places by rank."""
    posting, _, rules = await _run(session, caller, posting_id)
    if posting.ranked_at is None:
        raise StageRefused("rank the posting first")
    pool = await repository.of_posting(session, posting.id)
    if any(S(a.status) in HOLDING | GAVE_UP - {S.WITHDRAWN} for a in pool):
        raise StageRefused("the checks have begun")
    ranked = await _ranking(session, pool, rules)
    moved = {}
    for row in check_places(ranked, posting.quota, rules):
        a = next(a for a in pool if a.id == row.candidate.application_no)
        why = f"rank {row.rank}: to the medical check and background review"
        moved[a.id] = await _move(session, a, "checks", S(a.status), S.IN_CHECK, caller, now, why)
    return Draw(posting.id, moved)


async def _ranking(
    session: AsyncSession, pool: list[Application], rules: CampaignRules
) -> list[Ranked]:
    """The posting's ranking as stored, rebuilt as the rules' rows (ranked in the same order)."""
    ranked = [a for a in pool if a.composite is not None]
    kinds = [ScoreKind.WRITTEN, ScoreKind.INTERVIEW, ScoreKind.RUN_OFF]
    found = await repository.scores(session, [a.id for a in ranked], kinds)
    return rank([_candidate(a, found[a.id], rules) for a in ranked], rules)


async def settle_checks(
    session: AsyncSession, caller: Caller, posting_id: str, now: datetime
) -> Draw:
    """Those who passed both checks are proposed for the public notice; a failure gives the
    place up, and the next ranked takes it when the rules allow. Those with a result missing
    stay in the checks."""
    posting, _, rules = await _run(session, caller, posting_id)
    pool = await repository.of_posting(session, posting.id)
    checking = [a for a in pool if a.status == S.IN_CHECK]
    found = await repository.scores(
        session, [a.id for a in checking], [ScoreKind.MEDICAL, ScoreKind.BACKGROUND]
    )
    moved, notes = {}, []
    for a in checking:
        results = found[a.id]
        failed = [k for k, r in results.items() if r.passed is False]
        if failed:
            why = "; ".join(f"{k} failed: {results[k].reason}" for k in sorted(failed))
            moved[a.id] = await _move(
                session, a, "checks", S.IN_CHECK, S.CHECK_FAILED, caller, now, why
            )
            notes.append(await replace(session, caller, posting, pool, rules, a, now))
        elif len(results) == 2:
            why = "passed the medical check and the background review"
            moved[a.id] = await _move(
                session, a, "checks", S.IN_CHECK, S.PROPOSED, caller, now, why
            )
    return Draw(posting.id, moved, note="; ".join(n for n in notes if n) or None)


async def replace(
    session: AsyncSession, caller: Caller, posting: Posting, pool: list[Application],
    rules: CampaignRules, vacated: Application, now: datetime,
) -> str | None:  # fmt: skip
    """The next ranked applicant of the posting takes the place `vacated` gave up (递补), into
    the checks; a sentence when no one can (forbidden, no one left, or a tie to settle)."""
    ranked = await _ranking(session, pool, rules)
    taken = {a.id for a in pool if S(a.status) in HOLDING}
    out = {a.id for a in pool if S(a.status) in GAVE_UP}
    try:
        nxt = replacement(ranked, taken, out, rules)
    except TieUnresolved as exc:
        return f"no replacement for {vacated.id} yet: {exc}"
    if nxt is None:
        return f"no replacement for {vacated.id}: " + (
            "the rules forbid it" if not rules.replacement_allowed else "no one is left"
        )
    a = next(a for a in pool if a.id == nxt.candidate.application_no)
    why = f"replaces {vacated.id} ({vacated.status}), next at rank {nxt.rank}"
    await _move(session, a, "replacement", S(a.status), S.IN_CHECK, caller, now, why)
    return None


async def _run(
    session: AsyncSession, caller: Caller, posting_id: str
) -> tuple[Posting, Campaign, CampaignRules]:
    posting, campaign = await postings.run_by(session, caller, posting_id)
    _check_in_campaign(posting)
    return posting, campaign, await campaigns.rules_of(session, campaign)


def _check_in_campaign(posting: Posting) -> None:
    """A posting cut from its campaign, or merged into another, has no stages left: its
    applications wait for nothing (a merged one's moved with its places)."""
    if posting.status in (PostingStatus.CUT, PostingStatus.MERGED):
        raise StageRefused(f"the posting is {posting.status}: {posting.decision}")


async def _move(
    session: AsyncSession, a: Application, kind: str, before: S, after: S, caller: Caller,
    now: datetime, reason: str | None,
) -> str:  # fmt: skip
    a.status, a.updated_at = after.value, now
    await record_step(session, a, kind, before, after, caller, now, reason=reason)
    return after.value


def _moved(
    a: Application, kind: str, before: S, after: S, caller: Caller, now: datetime,
    reason: str | None,
) -> ApplicationEvent:  # fmt: skip
    """`a` moved, and the step recording it as record_step records one, not yet sent: a draw
    moves a posting's whole pool and sends its steps in one flush (a flush per step cost 3.5 s
    of the shortlists of 2,000 applications, bench/recruitment_scoring.py)."""
    a.status, a.updated_at = after.value, now
    return ApplicationEvent(
        id=new_id(), application_id=a.id, kind=kind, status_from=before.value,
        status_to=after.value, actor=caller.label, at=now, reason=reason, detail=None,
    )  # fmt: skip


async def _reviewed(
    session: AsyncSession, caller: Caller, application_id: str
) -> tuple[Application, Posting]:
    """An application under review and its posting, the posting locked first: a review cannot
    land after the shortlist a concurrent draw makes without it."""
    posting = await locks.posting_of_application(session, application_id)
    row = await applications.application(session, application_id, lock=True)
    if row is None:
        raise NotFound(f"no application {application_id}")
    await postings.seen(session, caller, posting.id)
    _check_in_campaign(posting)
    return row, posting


async def withdraw(
    session: AsyncSession, caller: Caller, application_id: str, reason: str | None, now: datetime
) -> tuple[Application, str | None]:
    """The applicant's withdrawal at any stage; a place held (in the checks, on the notice,
    offered or accepted) goes to the next ranked. The note says when no one could take it.
    The posting is locked before the application (recruitment.stages.locks)."""
    await locks.posting_of_application(session, application_id)
    row, before = await application_service.withdraw(session, caller, application_id, reason, now)
    if before not in HOLDING:
        return row, None
    posting = await postings.found(session, row.posting_id, lock=True)  # held, or merged into
    campaign = await campaigns.found(session, posting.campaign_id)
    rules = await campaigns.rules_of(session, campaign)
    pool = await repository.of_posting(session, posting.id)
    return row, await replace(session, caller, posting, pool, rules, row, now)


async def review_bonus(
    session: AsyncSession, caller: Caller, application_id: str, code: str, granted: bool,
    reason: str | None, now: datetime,
) -> Application:  # fmt: skip
    """Grant or refuse one claimed bonus item; the application's points follow the campaign's
    bonus rules over every granted claim (largest only or added up, to the cap). Reviewed again
    until the posting's shortlist is drawn, which the points take part in."""
    row, posting = await _reviewed(session, caller, application_id)
    if posting.shortlisted_at is not None:
        raise StageRefused("the posting's shortlist is drawn: its bonus points stand")
    claim = await applications.claim(session, row.id, code)
    if claim is None:
        raise NotFound(f"application {application_id} claims no bonus item {code}")
    text = refusal_reason(granted, reason)
    claim.review = (Review.GRANTED if granted else Review.REFUSED).value
    claim.reason, claim.reviewed_by, claim.reviewed_at = text, caller.label, now
    campaign = await campaigns.found(session, row.campaign_id)
    rules = await campaigns.rules_of(session, campaign)
    claims = (await applications.claims(session, [row.id]))[row.id]
    award = granted_points(rules.bonus, [BonusClaim(c.code, Review(c.review)) for c in claims])
    row.bonus_points, row.updated_at = award.points.quantize(CENTS), now
    status = S(row.status)
    await record_step(session, row, "bonus_reviewed", status, status, caller, now,
                      reason=text, detail={"code": code, "granted": granted,
                                           "points": str(award.points),
                                           "explanation": award.explanation})  # fmt: skip
    return row
