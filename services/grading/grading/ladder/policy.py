"""Grading ladders as versioned policy documents (YAML or JSON), validated on load.

A policy version in force in the past or today is never edited or replaced: a change is a new
version with a later effective_from, published before it takes effect.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, model_validator

from union_shared.versioned import check_ordered, in_force, shipped_books
from union_shared.vocabulary import Education, Rating

POLICIES_DIR = Path(__file__).with_name("policies")
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CODE = r"^[a-z][a-z0-9_]*$"


class PolicyRefused(ValueError):
    """A policy version that may not join its book (out of order, or already in force)."""


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Post(_Doc):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1)
    min_level: int = Field(ge=1)
    max_level: int = Field(ge=1)

    @model_validator(mode="after")
    def _sane_range(self) -> Post:
        if self.min_level > self.max_level:
            raise ValueError(
                f"post {self.code}: min_level {self.min_level} is above max_level {self.max_level}"
            )
        return self


class StepTiming(StrEnum):
    ANNIVERSARY = "anniversary"
    NEXT_JANUARY_FIRST = "next_january_first"


class PostChangeTiming(StrEnum):
    # 1 January after the appraisal year: the day after the year whose rating decided it ends.
    NEXT_JANUARY_FIRST = "next_january_first"


class StepReading(StrEnum):
    """How later seniority steps combine with a post reached by merit: DOMAIN.md ("Grading: the
    post-and-level ladder") finds the rules read two ways, so it is a policy choice."""

    # The level raised to the new post's bottom is the new starting point; later steps add to it.
    LEVEL_CARRIED = "level_carried"
    # The level is always the entry level (with any education credit) plus the counted steps,
    # less demotions, raised to the current post's bottom and capped at its top: moving up a
    # post does not add to later steps, and a step capped in one post counts in the next.
    LEVEL_FROM_SERVICE = "level_from_service"


class RehireRule(StrEnum):
    """The grade of a worker hired again after leaving, from the new hire date (DOMAIN.md,
    "Re-hire"). The roster decides, by its own rule, whether earlier service counts for
    seniority; this decides whether the grade itself carries over."""

    # The grade held on the last day of the episode before: post, level (and the level from
    # service), and for ranks the years already served in the rank; the rules go on from there.
    RESUME = "resume"
    # The entry grade, as for any new hire on that date (credited seniority still steps).
    RESTART = "restart"


class Seniority(_Doc):
    years_per_level: int = Field(ge=1)
    takes_effect: StepTiming = StepTiming.ANNIVERSARY


class RatingRule(_Doc):
    counts_for_seniority: bool
    flags_review: bool = False


class Demotion(_Doc):
    consecutive_basically_competent: int | None = Field(default=2, ge=1)
    levels: int = Field(default=1, ge=1)


class EducationCredit(_Doc):
    enabled: bool = False
    bachelor: int = Field(default=1, ge=0)
    master: int = Field(default=2, ge=0)
    doctorate: int = Field(default=3, ge=0)

    def levels_for(self, education: Education) -> int:
        if not self.enabled:
            return 0
        if education is Education.DOCTORATE:
            return self.doctorate
        if education is Education.MASTER:
            return self.master
        if education is Education.BACHELOR:
            return self.bachelor
        return 0


class Entry(_Doc):
    post: str
    level: int = Field(default=1, ge=1)
    education_credit: EducationCredit = EducationCredit()


class _Header(_Doc):
    id: str = Field(pattern=SLUG)
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    effective_from: date
    source: str = Field(min_length=1)
    # Absent from versions stored before re-hire existed: those resume, the default.
    on_rehire: RehireRule = Field(
        default=RehireRule.RESUME,
        description=(
            "The grade of a worker hired again, from the new hire date. resume: the grade held "
            "on the last day of the previous employment, and the rules go on from it. restart: "
            "the entry grade, as a new hire."
        ),
    )


@dataclass(frozen=True, slots=True)
class Lookups:
    """What the engine needs on every evaluation, derived once per loaded policy."""

    entry_index: int
    needed: tuple[int, ...]  # excellent ratings needed for each post, in post order
    not_counted: frozenset[Rating]  # ratings whose year does not count toward seniority
    flagging: frozenset[Rating]  # ratings that flag the worker for review


class PostLevelPolicy(_Header):
    kind: Literal["post_level"]
    posts: list[Post] = Field(min_length=1)
    seniority: Seniority
    post_thresholds: dict[str, int]
    post_change_takes_effect: PostChangeTiming = PostChangeTiming.NEXT_JANUARY_FIRST
    # Absent from versions stored before the choice existed: those carry the level, as the
    # engine always did.
    steps_after_post_change: StepReading = Field(
        default=StepReading.LEVEL_CARRIED,
        description=(
            "level_carried: after a post change the raised level is the new starting point and "
            "later steps add to it. level_from_service: the level is always the entry level "
            "(plus education credit) plus the counted steps less demotions, raised to the post's "
            "bottom and capped at its top."
        ),
    )
    ratings: dict[Rating, RatingRule]
    demotion: Demotion = Demotion()
    entry: Entry

    _lookups: Lookups = PrivateAttr()

    @model_validator(mode="after")
    def _consistent(self) -> PostLevelPolicy:
        codes = [p.code for p in self.posts]
        if len(set(codes)) != len(codes):
            raise ValueError(f"post codes must be unique: {codes}")
        for lower, upper in pairwise(self.posts):
            if upper.min_level < lower.min_level or upper.max_level < lower.max_level:
                raise ValueError(
                    f"posts must be ordered with non-decreasing levels: {upper.code} "
                    f"({upper.min_level}-{upper.max_level}) comes after {lower.code} "
                    f"({lower.min_level}-{lower.max_level})"
                )
        self._check_thresholds(codes)
        missing = set(Rating) - set(self.ratings)
        if missing:
            raise ValueError(f"ratings: no rule for {sorted(r.value for r in missing)}")
        entry = self.post(self.entry.post)
        if not entry.min_level <= self.entry.level <= entry.max_level:
            raise ValueError(
                f"entry level {self.entry.level} lies outside {entry.code} "
                f"({entry.min_level}-{entry.max_level})"
            )
        self._lookups = Lookups(
            entry_index=codes.index(self.entry.post),
            needed=(0, *(self.post_thresholds[c] for c in codes[1:])),
            not_counted=frozenset(r for r, v in self.ratings.items() if not v.counts_for_seniority),
            flagging=frozenset(r for r, v in self.ratings.items() if v.flags_review),
        )
        return self

    @property
    def lookups(self) -> Lookups:
        # Straight from pydantic's private store: `self._lookups` goes through
        # BaseModel.__getattr__, a few microseconds on every evaluation.
        return self.__pydantic_private__["_lookups"]  # type: ignore[index]

    def _check_thresholds(self, codes: list[str]) -> None:
        unknown = sorted(set(self.post_thresholds) - set(codes))
        if unknown:
            raise ValueError(f"post_thresholds names unknown post code(s) {unknown}")
        if codes[0] in self.post_thresholds:
            raise ValueError(f"post_thresholds: the first post {codes[0]} needs no threshold")
        absent = [c for c in codes[1:] if c not in self.post_thresholds]
        if absent:
            raise ValueError(f"post_thresholds: no threshold for post(s) {absent}")
        counts = [self.post_thresholds[c] for c in codes[1:]]
        if any(n < 1 for n in counts) or counts != sorted(set(counts)):
            raise ValueError(
                f"post_thresholds must be at least 1 and strictly increasing along the posts: {counts}"
            )

    def post(self, code: str) -> Post:
        for p in self.posts:
            if p.code == code:
                return p
        raise ValueError(f"unknown post code {code!r}")


class Rank(_Doc):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1)
    min_years_in_rank: int | None = Field(ge=1)


class RankEntry(_Doc):
    post: str
    level: Literal[1] = 1


class RankPolicy(_Header):
    kind: Literal["rank"]
    ranks: list[Rank] = Field(min_length=1)
    # Ratings that keep the years in a rank counting (DOMAIN.md: "competent or better").
    qualifying_ratings: frozenset[Rating] = frozenset({Rating.EXCELLENT, Rating.COMPETENT})
    entry: RankEntry

    @model_validator(mode="after")
    def _consistent(self) -> RankPolicy:
        codes = [r.code for r in self.ranks]
        if len(set(codes)) != len(codes):
            raise ValueError(f"rank codes must be unique: {codes}")
        *lower, top = self.ranks
        if top.min_years_in_rank is not None:
            raise ValueError(f"the top rank {top.code} has no min_years_in_rank (null)")
        for rank in lower:
            if rank.min_years_in_rank is None:
                raise ValueError(f"rank {rank.code} below the top needs min_years_in_rank")
        if self.entry.post not in codes:
            raise ValueError(f"entry names unknown rank {self.entry.post!r}")
        return self

    def rank_index(self, code: str) -> int:
        for i, rank in enumerate(self.ranks):
            if rank.code == code:
                return i
        raise ValueError(f"unknown rank code {code!r}")


Policy = Annotated[PostLevelPolicy | RankPolicy, Field(discriminator="kind")]
_POLICY = TypeAdapter(Policy)


def level_range(policy: PostLevelPolicy | RankPolicy, post: str) -> tuple[int, int]:
    """The levels a post allows; a rank has level 1 only."""
    if isinstance(policy, RankPolicy):
        policy.rank_index(post)
        return (1, 1)
    found = policy.post(post)
    return (found.min_level, found.max_level)


class PolicyBook(_Doc):
    """Every version of one policy id, oldest first."""

    versions: list[Policy] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> PolicyBook:
        ids = {v.id for v in self.versions}
        if len(ids) != 1:
            raise ValueError(f"a policy book holds one policy id, not {sorted(ids)}")
        check_ordered(self.versions)
        return self

    @property
    def id(self) -> str:
        return self.versions[0].id

    def in_force(self, on: date) -> PostLevelPolicy | RankPolicy:
        return in_force(self.versions, on, f"version of policy {self.id} is")

    def governing(self, on: date) -> PostLevelPolicy | RankPolicy:
        """The version that decides a grade on `on`: the one in force, and for days before the
        first version, the first (a career is replayed from the hire date, however early, so
        the history, a grade asked for on an early date and a departure dated before the
        policy all agree)."""
        first = self.versions[0]
        return first if on < first.effective_from else self.in_force(on)


def add_version(book: PolicyBook, new: PostLevelPolicy | RankPolicy) -> PolicyBook:
    """A new book with `new` appended; refuses a version that would rewrite history."""
    if new.id != book.id:
        raise PolicyRefused(f"version of {new.id} cannot join the book of {book.id}")
    last = book.versions[-1]
    if new.version <= last.version:
        raise PolicyRefused(f"version {new.version} is not after version {last.version}")
    if new.effective_from <= last.effective_from:
        raise PolicyRefused(
            f"effective_from {new.effective_from} is not after {last.effective_from}, "
            f"when version {last.version} takes effect"
        )
    return PolicyBook(versions=[*book.versions, new])


def publish(book: PolicyBook, new: PostLevelPolicy | RankPolicy, today: date) -> PolicyBook:
    """Add a version that takes effect after today: a grade already decided never changes rules."""
    if new.effective_from <= today:
        raise PolicyRefused(
            f"effective_from {new.effective_from} is not after today ({today}): "
            "a version in force in the past or today is never changed or replaced"
        )
    return add_version(book, new)


def can_publish(book: PolicyBook, new: PostLevelPolicy | RankPolicy, today: date) -> bool:
    try:
        publish(book, new, today)
    except PolicyRefused:
        return False
    return True


def parse_policy(data: Mapping[str, Any] | str) -> PostLevelPolicy | RankPolicy:
    """One policy version from a mapping or YAML/JSON text."""
    return _POLICY.validate_python(yaml.safe_load(data) if isinstance(data, str) else data)


def parse_policy_book(text: str) -> PolicyBook:
    """A book from YAML or JSON text: {"versions": [policy, ...]}."""
    return PolicyBook.model_validate(yaml.safe_load(text))


def load_policy_book(path: Path) -> PolicyBook:
    return parse_policy_book(path.read_text(encoding="utf-8"))


@functools.cache
def shipped_policies() -> dict[str, PolicyBook]:
    """The books shipped with the service (YAML files in POLICIES_DIR), by policy id."""
    return shipped_books(POLICIES_DIR, load_policy_book, lambda book: book.id)
