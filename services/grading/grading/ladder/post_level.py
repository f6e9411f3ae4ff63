"""Replay a career on a post-and-level ladder (e.g. Tianjin 三岗十八级).

The policy's `steps_after_post_change` picks how later steps combine with a post reached by
merit: `_Grade` carries a raised level forward, `_ServiceGrade` derives the level from service.

An appraisal takes effect on 1 January after its year, once that year has ended: a replay to
any date uses only what could be known on it, so replaying to a later date extends the history
without rewriting it (unless the facts themselves were corrected).
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import NamedTuple

from grading.ladder.evaluation import (
    Evaluation,
    Reason,
    Resumed,
    TimelineBuilder,
    WorkerFacts,
    anniversary,
    first_january_on_or_after,
    words,
)
from grading.ladder.policy import Post, PostLevelPolicy, StepReading, StepTiming
from union_shared.vocabulary import Rating

# Decisions falling on one day apply in this order: a new post first (so a step that day counts
# against the new post's range), then a demotion, then the seniority step, then review flags.
MERIT, DEMOTION, STEP, REVIEW = 0, 1, 2, 3


class StepDue(NamedTuple):
    counted: int  # counted years of service completed
    due: date  # the anniversary on which they are complete
    day: date  # when the step takes effect
    pushed: int  # how many years that did not count pushed this step later


class PostReached(NamedTuple):
    post_i: int
    excellent_years: tuple[int, ...]
    needed: int
    appraisal_year: int


class Demoted(NamedTuple):
    years: tuple[int, ...]  # the consecutive basically-competent years
    day: date


class Appraised(NamedTuple):
    year: int
    rating: Rating


Event = tuple[date, int, StepDue | PostReached | Demoted | Appraised]
_WHEN = itemgetter(0, 1)


def replay_post_level(
    facts: WorkerFacts, policy: PostLevelPolicy, last_day: date, left_on: date | None
) -> Evaluation:
    """The grade history from the hire date to `last_day` (no decision after it)."""
    # The policy's reading of steps after a post change picks the grade's rules once per replay.
    service = policy.steps_after_post_change is StepReading.LEVEL_FROM_SERVICE
    grade = (_ServiceGrade if service else _Grade)(facts, policy)
    lookups = grade.lookups
    # Each kind of event's decision, indexed by MERIT, DEMOTION, STEP, REVIEW.
    decide = (grade.merit, grade.demotion, grade.step, grade.review)
    resumed = facts.resumed
    reasons = grade.enter() if resumed is None else grade.resume(resumed)
    hire = facts.hire_date
    steps = _step_events(facts, policy, grade.skipped, last_day)
    # Credited prior service: steps already earned by the hire date apply on it (steps come in
    # date order, so they are the first ones). A resumed grade already holds them.
    credited = 0
    while credited < len(steps) and steps[credited][0] <= hire:
        if resumed is None:
            reasons.append(grade.step(steps[credited][2]))  # type: ignore[arg-type]
        credited += 1
    events = steps[credited:]
    last_year = last_day.year
    known = sorted([(y, r) for y, r in facts.appraisals.items() if y < last_year])
    if known:  # without appraisals there are only the steps, already in order
        flagging = lookups.flagging
        merits = _merit_events(known, lookups.needed, lookups.entry_index)
        demotions = _demotion_events(known, policy)
        reviews = [(date(y + 1, 1, 1), REVIEW, Appraised(y, r)) for y, r in known if r in flagging]
        if resumed is not None:
            merits = _merits_after(merits, hire, grade.post_i)
            demotions = [e for e in demotions if e[0] > hire]
            reviews = [e for e in reviews if e[0] > hire]
        events += merits + demotions + reviews
        events.sort(key=_WHEN)
        while events and events[0][0] <= hire:  # a resumed grade's post earned by the hire date
            _, kind, payload = events.pop(0)
            reasons.append(decide[kind](payload))

    timeline = TimelineBuilder(hire, grade.post.code, grade.level, reasons)
    # The decisions of each day together (groupby by hand: most days have one).
    i, count = 0, len(events)
    while i < count:
        day, kind, payload = events[i]
        decided = [decide[kind](payload)]
        i += 1
        while i < count and events[i][0] == day:
            _, kind, payload = events[i]
            decided.append(decide[kind](payload))
            i += 1
        timeline.decide(day, grade.post.code, grade.level, decided)
    timeline.flags.extend(grade.flags)
    evaluation = timeline.evaluation(left_on)
    if service:
        evaluation.service = grade.service  # type: ignore[attr-defined]
    return evaluation


def _step_events(
    facts: WorkerFacts, policy: PostLevelPolicy, skipped: list[int], last_day: date
) -> list[Event]:
    """Seniority steps up to `last_day`: one per `years_per_level` counted years from
    seniority_start. A year in `skipped` (sorted: its rating does not count) pushes one year
    later every step due after that year has ended; a step due during the year itself is not
    held back by it."""
    per_level = policy.seniority.years_per_level
    on_january = policy.seniority.takes_effect is StepTiming.NEXT_JANUARY_FIRST
    start = facts.seniority_start
    first, month, day_of_month = start.year, start.month, start.day
    leap_day = month == 2 and day_of_month == 29  # anniversary() knows the common years
    skippable = len(skipped)
    events: list[Event] = []
    pushed = 0
    counted = per_level
    while True:
        years = counted + pushed
        due = anniversary(start, years) if leap_day else date(first + years, month, day_of_month)
        while pushed < skippable and skipped[pushed] < due.year:
            pushed += 1
            due = anniversary(start, counted + pushed)
        day = first_january_on_or_after(due) if on_january else due
        if day > last_day:
            return events
        events.append((day, STEP, StepDue(counted, due, day, pushed)))
        counted += per_level


def _merit_events(
    known: list[tuple[int, Rating]], needed: tuple[int, ...], entry_i: int
) -> list[Event]:
    """A post is reached on 1 January after the appraisal year whose excellent rating brings
    the count to the post's threshold; posts never go down."""
    events: list[Event] = []
    excellent: list[int] = []
    reached = entry_i
    for year, rating in known:
        if rating is not Rating.EXCELLENT:
            continue
        excellent.append(year)
        target = reached
        while target + 1 < len(needed) and needed[target + 1] <= len(excellent):
            target += 1
        if target > reached:
            reached = target
            payload = PostReached(target, tuple(excellent), needed[target], year)
            events.append((date(year + 1, 1, 1), MERIT, payload))
    return events


def _merits_after(merits: list[Event], hire: date, post_i: int) -> list[Event]:
    """A resumed grade's merit events: the posts above the one resumed (`post_i`). One that the
    ratings earned by the hire date, in a year not counted before (the year of leaving), is
    reached on the hire date."""
    kept: list[Event] = []
    for day, kind, reached in merits:
        if reached.post_i > post_i:  # type: ignore[union-attr]
            kept.append((max(day, hire), kind, reached))
    return kept


def _demotion_events(known: list[tuple[int, Rating]], policy: PostLevelPolicy) -> list[Event]:
    """A run of consecutive basically-competent years lowers the level after its last year;
    the run then starts again, so a third such year in a row needs a fourth. A year with no
    appraisal breaks the run."""
    size = policy.demotion.consecutive_basically_competent
    if size is None:
        return []
    events: list[Event] = []
    run: list[int] = []
    for year, rating in known:
        if rating is not Rating.BASICALLY_COMPETENT:
            run = []
            continue
        run = [*run, year] if run and run[-1] == year - 1 else [year]
        if len(run) == size:
            day = date(year + 1, 1, 1)
            events.append((day, DEMOTION, Demoted(tuple(run), day)))
            run = []
    return events


def _demotion_text(demoted: Demoted) -> str:
    years = demoted.years
    return f"Basically competent in {', '.join(map(str, years))}, {len(years)} years in a row"


class _Grade:
    """The worker's post and level during the replay; each decision returns its reason."""

    __slots__ = (
        "_every",
        "_since",
        "facts",
        "flags",
        "level",
        "lookups",
        "policy",
        "post",
        "post_i",
        "skipped",
    )

    def __init__(self, facts: WorkerFacts, policy: PostLevelPolicy) -> None:
        self.facts = facts
        self.policy = policy
        self.lookups = lookups = policy.lookups
        self.post_i = lookups.entry_index
        self.post = policy.posts[self.post_i]
        self.level = policy.entry.level
        self.flags: list[str] = []
        not_counted = lookups.not_counted
        # Years before a re-hire push steps only where the roster counts that earlier service.
        resumed = facts.resumed
        since = 0 if resumed is None or resumed.earlier_service_counted else facts.hire_date.year
        self.skipped = sorted(
            [y for y, r in facts.appraisals.items() if r in not_counted and y >= since]
        )
        # The words every step's reason shares, formatted once per replay.
        self._since = f" counted years of service since {facts.seniority_start}, complete on "
        self._every = f" (one level every {policy.seniority.years_per_level} years)"

    def enter(self) -> list[Reason]:
        post, level = self.post, self.level
        reasons = [
            Reason("entry", f"Hired on {self.facts.hire_date}: level {level} of {post.name}.")
        ]
        credit = self.policy.entry.education_credit.levels_for(self.facts.education)
        if credit:
            self.level = min(level + credit, post.max_level)
            detail = f"+{credit} level(s) for the {words(self.facts.education)} degree"
            detail += f": level {level} -> {self.level}"
            if self.level < level + credit:
                detail += f" ({self.level} is the top of {post.name}; the rest is lost)"
            reasons.append(Reason("entry.education", detail + "."))
        return reasons

    def resume(self, resumed: Resumed) -> list[Reason]:
        """Start from the grade held when the employment before ended (RehireRule.RESUME), kept
        within the post's range should this version have changed it."""
        posts = self.policy.posts
        self.post_i = next(i for i, p in enumerate(posts) if p.code == resumed.post)
        self.post = post = posts[self.post_i]
        self.level = min(max(resumed.level, post.min_level), post.max_level)
        detail = (
            f"Hired again on {self.facts.hire_date}: the grade held on {resumed.left_on}, the "
            f"last day of the employment before, resumes: level {self.level} of {post.name}"
        )
        if self.level != resumed.level:
            detail += f" (level {resumed.level} kept within {post.min_level}-{post.max_level})"
        return [Reason("rehire.resume", detail + ".")]

    def step(self, step: StepDue) -> Reason:
        text = self._step_text(step)
        level, post = self.level, self.post
        if level >= post.max_level:
            detail = f"{text}; level {level} is the top of {post.name}, so this step is lost."
            return Reason("seniority.capped", detail)
        self.level = level + 1
        return Reason("seniority.step", f"{text}: level {level} -> {level + 1}.")

    def _step_text(self, step: StepDue) -> str:
        facts = self.facts
        text = f"{step.counted}{self._since}{step.due}{self._every}"
        if step.day != step.due:
            text += f", taking effect on {step.day}"
        if step.pushed:
            years = [f"{y} ({words(facts.appraisals[y])})" for y in self.skipped[: step.pushed]]
            text += (
                f"; not counted: {', '.join(years)}, so the step came {step.pushed} year(s) later"
            )
        if step.day <= facts.hire_date:
            text = f"Credited prior service, applied on the hire date: {text}"
        return text

    def _merit_text(self, reached: PostReached) -> str:
        old, new = self.post, self.policy.posts[reached.post_i]
        years = reached.excellent_years
        return (
            f"{old.name} -> {new.name}: {len(years)} excellent ratings "
            f"({', '.join(map(str, years))}) reach the {reached.needed} needed, from 1 January "
            f"after the {reached.appraisal_year} appraisal year"
        )

    def merit(self, reached: PostReached) -> Reason:
        new = self.policy.posts[reached.post_i]
        text = self._merit_text(reached)
        if self.level < new.min_level:
            text += f"; level {self.level} -> {new.min_level}, the bottom of {new.name}"
            self.level = new.min_level
        else:
            text += f"; level {self.level} is kept (within {new.min_level}-{new.max_level})"
        self.post_i, self.post = reached.post_i, new
        return Reason("post.merit", text + ".")

    def demotion(self, demoted: Demoted) -> Reason:
        text = _demotion_text(demoted)
        level, post = self.level, self.post
        self.level = max(level - self.policy.demotion.levels, post.min_level)
        if self.level == level:
            detail = f"{text}; level {level} is already the bottom of {post.name}, so it stays."
            return Reason("demotion.floored", detail)
        detail = f"{text}: level {level} -> {self.level} from {demoted.day}."
        return Reason("demotion.basically_competent", detail)

    def review(self, appraised: Appraised) -> Reason:
        rating = words(appraised.rating)
        self.flags.append(f"review: the {appraised.year} appraisal was rated {rating}")
        effect = ""
        if appraised.rating in self.lookups.not_counted:
            effect = ", so the year does not count toward seniority (no step for it)"
        return Reason(
            f"review.{appraised.rating.value}",
            f"The {appraised.year} appraisal was rated {rating}{effect}; the worker is flagged "
            "for review.",
        )


class _ServiceGrade(_Grade):
    """The grade when the level comes from service (StepReading.LEVEL_FROM_SERVICE): `service`
    is the entry level plus education credit plus the counted steps, less demotions, never
    below 1; the level is that, raised to the post's bottom and capped at its top. A raise to a
    new post's bottom is not a starting point for later steps, and a step capped in one post
    counts in the next."""

    __slots__ = ("service",)

    def enter(self) -> list[Reason]:
        post, level = self.post, self.level
        reasons = [
            Reason("entry", f"Hired on {self.facts.hire_date}: level {level} of {post.name}.")
        ]
        credit = self.policy.entry.education_credit.levels_for(self.facts.education)
        self.service = level + credit
        if credit:
            self.level = self._within(post)
            detail = f"+{credit} level(s) for the {words(self.facts.education)} degree"
            detail += f": level {level} -> {self.level}"
            if self.level < self.service:
                detail += (
                    f" ({self.level} is the top of {post.name}; the level from service is "
                    f"{self.service}, counted in a higher post)"
                )
            reasons.append(Reason("entry.education", detail + "."))
        return reasons

    def resume(self, resumed: Resumed) -> list[Reason]:
        level = resumed.level if resumed.service is None else resumed.service
        self.service = level
        return super().resume(resumed)

    def _within(self, post: Post) -> int:
        service = self.service
        if service < post.min_level:
            return post.min_level
        return post.max_level if service > post.max_level else service

    def step(self, step: StepDue) -> Reason:
        text = self._step_text(step)
        level, post = self.level, self.post
        self.service += 1
        self.level = self._within(post)
        text += f": level from service {self.service - 1} -> {self.service}"
        if self.level > level:
            return Reason("seniority.step", f"{text}, level {level} -> {self.level}.")
        if self.service > post.max_level:
            detail = f"{text}; level {level} is the top of {post.name}, so it stays."
            return Reason("seniority.capped", detail)
        detail = f"{text}, no higher than {post.min_level}, the bottom of {post.name}"
        detail += f": the level stays {level}."
        return Reason("seniority.below_bottom", detail)

    def merit(self, reached: PostReached) -> Reason:
        new = self.policy.posts[reached.post_i]
        text = f"{self._merit_text(reached)}; the level from service is {self.service}"
        if self.service < new.min_level:
            text += f", raised to {new.min_level}, the bottom of {new.name}"
        elif self.service > new.max_level:
            text += f", capped at {new.max_level}, the top of {new.name}"
        level = self.level
        self.level = self._within(new)
        if self.level == level:
            text += f": level {level} is kept"
        else:
            text += f": level {level} -> {self.level}"
        self.post_i, self.post = reached.post_i, new
        return Reason("post.merit", text + ".")

    def demotion(self, demoted: Demoted) -> Reason:
        text = _demotion_text(demoted)
        level, post, service = self.level, self.post, self.service
        self.service = max(service - self.policy.demotion.levels, 1)
        self.level = self._within(post)
        text += f": level from service {service} -> {self.service}"
        if self.level < level:
            detail = f"{text}, level {level} -> {self.level} from {demoted.day}."
            return Reason("demotion.basically_competent", detail)
        if self.service >= post.max_level:
            detail = f"{text}; level {level} is the top of {post.name}, so it stays."
            return Reason("demotion.capped", detail)
        detail = f"{text}; level {level} is the bottom of {post.name}, so it stays."
        return Reason("demotion.floored", detail)
