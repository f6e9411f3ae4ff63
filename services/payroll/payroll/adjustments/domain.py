"""What a grade re-evaluation does to pay: pure rules over spans, months and the pay core.

No I/O and no clock. The service loads the worker's spans and locked periods, calls these, and
stores the result; every amount comes from the pure core in `payroll.pay`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from payroll.pay.arrears import (
    Arrears,
    ArrearsLine,
    ArrearsMonth,
    ArrearsMonthFacts,
    DeclaredMonthFacts,
    compute_arrears,
)
from payroll.pay.earnings import (
    Employment,
    Grade,
    Interval,
    Period,
    earning_parts,
    employed_days,
)
from payroll.pay.funders import FunderShare
from payroll.pay.policy import PolicyBook
from payroll.pay.tax import PayError
from union_shared.vocabulary import Qualification, Rating

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)
# Earnings never depend on who funds them (funders only divide the cost), but the core's
# intervals must name funders: this stand-in is used where only earnings are computed.
EARNINGS_ONLY = (FunderShare(funder="unassigned", percent=Decimal(100)),)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one grade, start to end inclusive (end None: still holding), as grading said
    it. The pay core is handed intervals instead (payroll.pay.earnings.Interval), which add the
    unit and the funders."""

    ladder: str
    post: str
    level: int
    start: date
    end: date | None

    @property
    def grade(self) -> Grade:
        return Grade(ladder=self.ladder, post=self.post, level=self.level)

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Replacement:
    """The spans to supersede (by index into the current list), the spans to insert, and the
    whole history once applied. `changed` is False when the timeline repeats what is stored."""

    superseded: tuple[int, ...]
    inserted: tuple[Span, ...]
    after: tuple[Span, ...]
    changed: bool


def replace_from(current: Sequence[Span], effective: date, timeline: Sequence[Span]) -> Replacement:
    """Grading's `timeline` is the truth from `effective` on: spans reaching that day are
    superseded, the one straddling it survives as a copy cut short the day before. Spans of the
    timeline before `effective` are not grading's word on the change and are cut off."""
    timeline = normalised(
        [_from(s, effective) for s in timeline if s.end is None or s.end >= effective]
    )
    touched = [i for i, s in enumerate(current) if s.end is None or s.end >= effective]
    as_stored = normalised([_from(current[i], effective) for i in touched])
    if as_stored == timeline:
        return Replacement((), (), tuple(current), changed=False)
    kept = [s for i, s in enumerate(current) if i not in touched]
    cut = [_until(current[i], effective - ONE_DAY) for i in touched if current[i].start < effective]
    inserted = (*cut, *timeline)
    after = tuple(sorted([*kept, *inserted], key=lambda s: s.start))
    return Replacement(tuple(touched), inserted, after, changed=True)


def normalised(spans: Sequence[Span]) -> list[Span]:
    """The same grades with adjacent spans of one grade joined: grading may cut a stretch at a
    policy version or a re-evaluation without the grade changing, and such a cut moves no pay."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.end is not None
            and last.end + ONE_DAY == span.start
            and (last.ladder, last.post, last.level) == (span.ladder, span.post, span.level)
        ):
            joined[-1] = Span(last.ladder, last.post, last.level, last.start, span.end)
        else:
            joined.append(span)
    return joined


def _from(span: Span, day: date) -> Span:
    return Span(span.ladder, span.post, span.level, max(span.start, day), span.end)


def _until(span: Span, day: date) -> Span:
    return Span(span.ladder, span.post, span.level, span.start, day)


def grade_on(spans: Sequence[Span], day: date) -> Grade | None:
    return next((s.grade for s in spans if s.holds_on(day)), None)


def period_of(day: date) -> Period:
    return Period(year=day.year, month=day.month)


def next_period(period: Period) -> Period:
    if period.month == 12:
        return Period(year=period.year + 1, month=1)
    return Period(year=period.year, month=period.month + 1)


def previous_period(period: Period) -> Period:
    if period.month == 1:
        return Period(year=period.year - 1, month=12)
    return Period(year=period.year, month=period.month - 1)


def parse_period(text: str) -> Period:
    year, month = text.split("-")
    return Period(year=int(year), month=int(month))


def months_between(first: Period, last: Period) -> list[Period]:
    months, month = [], first
    while (month.year, month.month) <= (last.year, last.month):
        months.append(month)
        month = next_period(month)
    return months


def priced_period(book: PolicyBook, day: date) -> Period:
    """The month whose policy prices `day`: a day before the pay policy's first version is
    priced by that first version's month (this platform paid nothing before it)."""
    first = book.versions[0].effective_from
    return period_of(max(day, first))


def monthly_gross(
    book: PolicyBook, grade: Grade | None, period: Period, qualification: Qualification
) -> Decimal:
    """A whole month's earnings at one grade under the policy governing `period` (base,
    performance and certificate allowance; no proration, no contributions, no tax)."""
    if grade is None:
        return ZERO
    policy = book.for_period(period.year, period.month)
    whole = Interval(start=period.first_day, grade=grade, unit_id="-", funders=EARNINGS_ONLY)
    employment = Employment(hired_on=period.first_day)
    parts = earning_parts(policy, period, employment, (whole,), qualification)
    return sum((p.gross for p in parts), ZERO)


def intervals(spans: Sequence[Span]) -> tuple[Interval, ...]:
    return tuple(
        Interval(start=s.start, end=s.end, grade=s.grade, unit_id="-", funders=EARNINGS_ONLY)
        for s in spans
    )


def arrears_for(
    book: PolicyBook,
    employment: Employment,
    qualification: Qualification,
    old: Sequence[Span],
    new: Sequence[Span],
    months: Sequence[Period],
) -> Arrears:
    """Arrears for `months` a locked run paid, each at the pay policy then in force (DOMAIN.md,
    "Periods and changes"). Skipped: months the worker was not employed, months before the pay
    policy's first version, and months the old spans do not cover (nothing was paid at a known
    grade then, so there is no difference to pay: the first run pays those months whole)."""
    employed = [(period, employment) for period in months if employed_days(period, employment)]
    return compute_arrears(book, _platform_months(book, qualification, old, new, employed))


@dataclass(frozen=True, slots=True)
class PaidBefore:
    """How the closed months a change reaches were paid, as far as payroll knows."""

    on_platform: frozenset[str]  # the months (YYYY-MM) a locked run paid the worker
    # Months paid before go-live: (the gross declared paid, the arrears owed for it since).
    declared: Mapping[str, tuple[Decimal, Decimal]]
    go_live: Period | None  # the go-live governing the worker's unit, if one is set


@dataclass(frozen=True, slots=True)
class NotOwed:
    """A closed month the change reaches that owes nothing, because nothing says it was paid."""

    period: Period
    reason: str


@dataclass(frozen=True, slots=True)
class Owed:
    arrears: Arrears
    not_owed: tuple[NotOwed, ...]

    def note(self) -> str | None:
        if not self.not_owed:
            return None
        months = ", ".join(str(n.period) for n in self.not_owed)
        return (
            f"No arrears for {months}: not paid on the platform and no pay declared for them "
            "(a month before go-live owes arrears once its pay is declared)."
        )


def owed_for(
    book: PolicyBook,
    employment: Employment | Sequence[Employment],
    qualification: Qualification,
    old: Sequence[Span],
    new: Sequence[Span],
    months: Sequence[Period],
    paid: PaidBefore,
) -> Owed:
    """Arrears only for closed months that were paid: by a locked run (the facts it was paid on
    against the corrected ones) or, before go-live, as declared (the corrected gross less the
    declared and what was owed since). Any other month the worker was employed in is reported,
    never assumed paid at the old grade. `employment` may be the worker's episodes: each month
    is priced in the episode covering it, and a month between two episodes owes nothing."""
    episodes = (employment,) if isinstance(employment, Employment) else tuple(employment)
    first = book.versions[0].effective_from
    platform, declared, not_owed = [], [], []
    for period in months:
        episode = covering(episodes, period)
        if episode is None:
            continue
        if str(period) in paid.on_platform:
            platform.append((period, episode))
        elif str(period) not in paid.declared:
            not_owed.append(NotOwed(period, _unpaid(period, paid.go_live)))
        elif period.first_day < first:
            not_owed.append(NotOwed(period, f"pay policy {book.id} starts on {first}"))
        else:
            gross, since = paid.declared[str(period)]
            month = DeclaredMonthFacts(
                hired_on=episode.hired_on, left_on=episode.left_on, period=period,
                new_intervals=intervals(new), qualification=qualification, declared=gross,
                owed_since=since,
            )  # fmt: skip
            if _covers(book, month, month.new_intervals):
                declared.append(month)
            else:
                not_owed.append(NotOwed(period, "the corrected grades do not cover the month"))
    facts = _platform_months(book, qualification, old, new, platform)
    return Owed(compute_arrears(book, facts, declared), tuple(not_owed))


def _unpaid(period: Period, go_live: Period | None) -> str:
    if go_live is not None and (period.year, period.month) < (go_live.year, go_live.month):
        return f"before go-live ({go_live}) and no pay declared as paid for it"
    return "no locked run paid it on the platform and no pay declared as paid for it"


def _platform_months(
    book: PolicyBook,
    qualification: Qualification,
    old: Sequence[Span],
    new: Sequence[Span],
    months: Sequence[tuple[Period, Employment]],
) -> list[ArrearsMonthFacts]:
    """Each month a locked run paid, with the episode it was paid in."""
    if not old:
        return []
    first = book.versions[0].effective_from
    facts = []
    for period, employment in months:
        if period.first_day < first:
            continue
        month = ArrearsMonthFacts(
            hired_on=employment.hired_on,
            left_on=employment.left_on,
            period=period,
            old_intervals=intervals(old),
            new_intervals=intervals(new),
            qualification=qualification,
        )
        if _covers(book, month, month.old_intervals) and _covers(book, month, month.new_intervals):
            facts.append(month)
    return facts


def _covers(
    book: PolicyBook, month: ArrearsMonthFacts | DeclaredMonthFacts, paid: tuple[Interval, ...]
) -> bool:
    policy = book.for_period(month.period.year, month.period.month)
    try:
        earning_parts(policy, month.period, month, paid, month.qualification)
    except PayError:
        return False
    return True


def covering(episodes: Sequence[Employment], period: Period) -> Employment | None:
    """The employment episode the worker was employed in during `period`; None for a month
    before the first hire, after the last leaving or between two episodes (nothing is owed for
    it). The roster opens a re-hire in a later month than the leaving, so at most one episode
    meets a month; were two to, the later one would be taken."""
    found = None
    for episode in episodes:
        if employed_days(period, episode) is not None:
            found = episode
    return found


def months_served_in(episodes: Sequence[Employment], year: int) -> int:
    """Whole months of service in `year` over every employment episode: each episode's whole
    months as `months_served` counts them, added up (at most 12). A gap between two episodes
    counts for nothing, and neither do the odd days of each episode."""
    total = sum(months_served(e.hired_on, e.left_on, year) for e in episodes)
    return min(12, total)


def months_served(hired_on: date, left_on: date | None, year: int) -> int:
    """Whole months of service in `year` (DOMAIN.md, "Annual appraisal bonus": under 6 months
    none, 6 to 12 pro rata), counted from the hire date or 1 January to the leaving date."""
    start = max(hired_on, date(year, 1, 1))
    stop = date(year + 1, 1, 1)
    if left_on is not None:
        stop = min(stop, left_on + ONE_DAY)
    if start >= stop:
        return 0
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if stop.day < start.day:
        months -= 1
    return max(0, min(12, months))


def bonus_correction(
    book: PolicyBook, paid_slip: dict, year: int, rating: Rating, served: int
) -> Arrears | None:
    """A revised rating after the bonus was paid: the difference, priced by the bands of the
    policy that governed the paying month, as a correction of that month (None: no difference).
    A payslip paying several years' bonuses dates each line with its appraised year; an undated
    bonus line comes from a payslip that paid one year only."""
    period = Period.model_validate(paid_slip["period"])
    policy = book.for_period(period.year, period.month)
    was = sum(
        (
            Decimal(line["amount"])
            for line in paid_slip["lines"]
            if line["code"] == "annual_bonus" and (line["start"] or str(year))[:4] == str(year)
        ),
        ZERO,
    )
    now = policy.annual_bonus.amount(rating, served)
    if now == was:
        return None
    label = "Annual appraisal bonus (年度考核奖金)"
    line = ArrearsLine(code="annual_bonus", label=label, old=was, new=now, difference=now - was)
    month = ArrearsMonth(
        period=period,
        policy_id=policy.id,
        policy_version=policy.version,
        lines=(line,),
        old_gross=was,
        new_gross=now,
        difference=now - was,
        explanation=(
            f"The annual bonus paid in {period} was {was:,.2f}; the revised rating "
            f"{rating.value} earns {now:,.2f} under pay policy {policy.id} v{policy.version}, "
            f"difference {now - was:+,.2f}."
        ),
    )
    return Arrears(months=(month,), total=month.difference)
