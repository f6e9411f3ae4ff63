"""Scores, shortlist, ranking and replacement (DOMAIN.md, "Recruitment", stages "interview
shortlist", "composite score", "ranking", and the rules on ties, the opening ratio (开考比例)
and replacement (递补)). Every figure comes from the campaign's `CampaignRules`.

Where bonus points go: with `bonus.added_to = written` (the default) they are added to the
written score before the shortlist is drawn and before the composite is weighted, so they count
at the written weight in the composite; with `added_to = composite` the shortlist uses the bare
written score and the points are added whole to the composite. A bonus may lift a score above
`max_score`; the announcements do not cap the sum.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from recruitment.rules.schema import CampaignRules, TieBreak

ZERO = Decimal(0)


def _check_score(name: str, score: Decimal, rules: CampaignRules) -> None:
    if not ZERO <= score <= rules.max_score:
        raise ValueError(f"the {name} score {score} is outside 0 to {rules.max_score}")


def written_with_bonus(written: Decimal, bonus: Decimal, rules: CampaignRules) -> Decimal:
    """The written score the shortlist uses: with the bonus when the rules add it there."""
    _check_score("written", written, rules)
    if bonus < 0:
        raise ValueError(f"bonus points are never negative, not {bonus}")
    return written + bonus if rules.bonus.added_to is TieBreak.WRITTEN else written


def composite(
    written: Decimal, interview: Decimal, rules: CampaignRules, bonus: Decimal = ZERO
) -> Decimal:
    """written × w/100 + interview × i/100, plus the bonus where the rules put it (see the module
    docstring). Rounded once, at the end, to `rules.decimals` places by ROUND_HALF_UP (四舍五入,
    the only rounding the rules allow), so the weighted parts carry no rounding error of their
    own."""
    _check_score("interview", interview, rules)
    base = written_with_bonus(written, bonus, rules)
    exact = base * rules.weights.written / 100 + interview * rules.weights.interview / 100
    if rules.bonus.added_to is TieBreak.COMPOSITE:
        exact += bonus
    return exact.quantize(Decimal(1).scaleb(-rules.decimals), rounding=ROUND_HALF_UP)


# Ranking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One applicant's scores on one posting, as ranking needs them."""

    application_no: str
    composite: Decimal
    written: Decimal
    interview: Decimal
    run_off: Decimal | None = None  # 加试: None until the run-off has been held and scored


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    rank: int
    # Tied with someone on the whole chain: their order is not decided (a run-off is due, or
    # its scores are missing or equal), and they share the rank.
    run_off_needed: bool


def rank(candidates: Iterable[Candidate], rules: CampaignRules) -> list[Ranked]:
    """Competition ranking (1, 2, 2, 4) by the tie-break chain, every score descending. A group
    the chain cannot separate shares a rank and is flagged. A run-off step separates a group
    only once every member has a run-off score: until then the tie stands, since one
    candidate's missing score cannot lose to another's. Within a tied group the rows are in
    application-number order, for display only; so the result is the same for any order of
    the input."""
    pool = sorted(candidates, key=lambda c: c.application_no)
    numbers = [c.application_no for c in pool]
    if len(set(numbers)) != len(numbers):
        raise ValueError("each application is ranked once per posting")
    rows: list[Ranked] = []
    for group in _tied_groups(pool, rules.tie_breaks):
        place = len(rows) + 1
        rows.extend(Ranked(c, place, run_off_needed=len(group) > 1) for c in group)
    return rows


def _tied_groups(pool: list[Candidate], chain: Sequence[TieBreak]) -> list[list[Candidate]]:
    if len(pool) < 2 or not chain:
        return [pool] if pool else []
    step, rest = chain[0], chain[1:]
    if step is TieBreak.RUN_OFF and any(c.run_off is None for c in pool):
        return [pool]
    values = sorted({_score(c, step) for c in pool}, reverse=True)
    groups: list[list[Candidate]] = []
    for value in values:
        groups.extend(_tied_groups([c for c in pool if _score(c, step) == value], rest))
    return groups


def _score(candidate: Candidate, step: TieBreak) -> Decimal:
    value = getattr(candidate, step.value)
    if value is None:
        raise ValueError(f"{candidate.application_no} has no {step.value} score")
    return value


# Interview shortlist -------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenResult:
    application_no: str
    written: Decimal
    bonus: Decimal = ZERO


@dataclass(frozen=True)
class ShortlistResult:
    kept: tuple[WrittenResult, ...]  # best first, ties in application-number order
    places: int  # ratio × quota
    # The lowest score that went through (分数线); None when no one passed the written exam.
    cut_line: Decimal | None


def shortlist(
    candidates: Iterable[WrittenResult], quota: int, rules: CampaignRules
) -> ShortlistResult:
    """The interview shortlist: ratio × quota places by written score (with the bonus where
    the rules add it to the written score), and everyone tied with the last place passes too.
    With a written pass mark, only those at or above it take part; the mark is compared with
    the same score the shortlist ranks by (笔试成绩（含加分）), so one number decides both."""
    if quota < 1:
        raise ValueError(f"a posting's quota is at least 1, not {quota}")
    sheet = rules.shortlist
    ratio = sheet.large_ratio if quota >= sheet.large_quota else sheet.ratio
    places = ratio * quota
    mark = rules.pass_marks.written

    def score(c: WrittenResult) -> Decimal:
        return written_with_bonus(c.written, c.bonus, rules)

    passed = [c for c in candidates if mark is None or score(c) >= mark]
    passed.sort(key=lambda c: (-score(c), c.application_no))
    if not passed:
        return ShortlistResult((), places, None)
    cut = score(passed[min(places, len(passed)) - 1])
    kept = tuple(c for c in passed if score(c) >= cut)
    return ShortlistResult(kept, places, cut)


# Replacement (递补) --------------------------------------------------------------------------


class TieUnresolved(ValueError):
    """The next place belongs to candidates still tied: the run-off decides, not this code."""


def replacement(
    ranked: Sequence[Ranked], taken: Collection[str], out: Collection[str], rules: CampaignRules
) -> Ranked | None:
    """The next ranked candidate of the same posting (`ranked` is one posting's ranking) who
    is neither already taken nor out (withdrawn, failed a check, declined) and passed the
    interview pass mark. None when the rules forbid replacement or no one is left. When the
    next place is shared by two or more tied candidates, raise TieUnresolved: the application
    number orders them for display only."""
    if not rules.replacement_allowed:
        return None
    mark = rules.pass_marks.interview
    open_ = [
        row
        for row in ranked
        if row.candidate.application_no not in taken
        and row.candidate.application_no not in out
        and (mark is None or row.candidate.interview >= mark)
    ]
    if not open_:
        return None
    first = open_[0]
    tied = [row for row in open_ if row.rank == first.rank]
    if len(tied) > 1:
        numbers = ", ".join(row.candidate.application_no for row in tied)
        raise TieUnresolved(f"the next place is tied between {numbers}; a run-off decides it")
    return first


# Opening ratio (开考比例) --------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningCheck:
    opens: bool  # False: flag the posting to be cut or merged
    applicants: int
    needed: int  # min_applicants_per_place × quota
    # Applicants per place, two places rounded down, so a posting just short of the ratio
    # never shows the ratio itself.
    ratio: Decimal
    message: str


def opening_check(applicants: int, quota: int, rules: CampaignRules) -> OpeningCheck:
    """Whether a posting has enough applicants to open (开考比例). `applicants` counts them as
    the announcement does (commonly those who passed screening)."""
    if quota < 1:
        raise ValueError(f"a posting's quota is at least 1, not {quota}")
    needed = rules.min_applicants_per_place * quota
    ratio = (Decimal(applicants) / quota).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    opens = applicants >= needed
    verdict = "opens" if opens else "falls short and is flagged to be cut or merged"
    message = (
        f"{applicants} applicants for {quota} places ({ratio}:1); the posting needs "
        f"{rules.min_applicants_per_place}:1, that is {needed}, so it {verdict}."
    )
    return OpeningCheck(opens, applicants, needed, ratio, message)
