"""The stages after screening, pure: which status each step starts from, when a reason is
needed, and who takes the places in the checks (1:1 by rank)."""

from __future__ import annotations

from collections.abc import Sequence

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.rules.schema import CampaignRules
from recruitment.rules.scoring import Ranked
from union_shared.errors import Conflict, RuleBroken

MIN_REASON = 10

# Statuses that hold one of a posting's places, and those that gave one up.
HOLDING = frozenset({S.IN_CHECK, S.PROPOSED, S.OFFERED, S.ACCEPTED, S.HIRED})
GAVE_UP = frozenset({S.CHECK_FAILED, S.DECLINED, S.WITHDRAWN})


class StageRefused(Conflict):
    slug = "stage-refused"


class RunOffNeeded(Conflict):
    slug = "run-off-needed"


def review_reason(status: S, decision: S, reason: str | None) -> str | None:
    """Qualification review (资格审查) of a screened application. Disqualifying, and qualifying
    an application the automatic screen failed (an override), each need a reason."""
    if status not in (S.ELIGIBLE, S.INELIGIBLE, S.QUALIFIED, S.DISQUALIFIED):
        raise StageRefused(f"an application that is {status} is past qualification review")
    needs = decision is S.DISQUALIFIED or status is S.INELIGIBLE
    text = (reason or "").strip()
    if needs and len(text) < MIN_REASON:
        what = "disqualifying" if decision is S.DISQUALIFIED else "overriding the screen"
        raise RuleBroken("reason", f"{what} needs a reason of at least {MIN_REASON} characters")
    return text or None


def refusal_reason(granted: bool, reason: str | None) -> str | None:
    """Refusing a claimed bonus item needs a reason the applicant can read."""
    text = (reason or "").strip()
    if not granted and len(text) < MIN_REASON:
        raise RuleBroken(
            "reason", f"refusing a bonus item needs a reason of at least {MIN_REASON} characters"
        )
    return text or None


def check_places(ranked: Sequence[Ranked], quota: int, rules: CampaignRules) -> list[Ranked]:
    """Those who go to the medical check and background review: quota × check_ratio places by
    rank, among those at or above the interview pass mark. A tie across the last place is for
    a run-off to settle, not for the order of application numbers."""
    mark = rules.pass_marks.interview
    passed = [r for r in ranked if mark is None or r.candidate.interview >= mark]
    places = quota * rules.check_ratio
    taken = passed[:places]
    if len(passed) > places and passed[places].rank == taken[-1].rank:
        tied = [r.candidate.application_no for r in passed if r.rank == taken[-1].rank]
        raise RunOffNeeded(
            f"the last of {places} place(s) is tied at rank {taken[-1].rank} between "
            f"{', '.join(tied)}: record run-off scores and rank again"
        )
    return taken
