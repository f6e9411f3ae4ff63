"""Ladder policies as versioned data: the shipped ones, published versions, unit assignments."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from grading import scope
from grading.ladder.policy import (
    PolicyBook,
    PolicyRefused,
    PostLevelPolicy,
    RankPolicy,
    parse_policy,
    publish,
    shipped_policies,
)
from grading.models import PolicyAssignment, PolicyVersion
from grading.policies import repository
from union_shared.auth import ADMINS, Caller, Role
from union_shared.clock import utc_now
from union_shared.errors import FieldError, InvalidInput, NotFound


@dataclass(frozen=True)
class Catalogue:
    """Every policy book, and which units use which; loaded once per use case."""

    books: dict[str, PolicyBook]
    assigned: dict[str, str]
    default: str

    def book_for_unit(self, unit_id: str) -> PolicyBook:
        return self.books[self.assigned.get(unit_id, self.default)]


async def seed_shipped(session: AsyncSession) -> None:
    """Store the shipped policies' versions that the database does not have yet."""
    have = {(v.policy_id, v.version) for v in await repository.versions(session)}
    now = utc_now()
    for book in shipped_policies().values():
        for version in book.versions:
            if (version.id, version.version) not in have:
                await repository.add(
                    session,
                    PolicyVersion(
                        policy_id=version.id,
                        version=version.version,
                        effective_from=version.effective_from,
                        document=version.model_dump(mode="json"),
                        published_by="shipped with the platform",
                        published_at=now,
                    ),
                )


# Parsed policy versions by stored identity. A published version is never edited, so its
# (id, version, published_at) always means the same document: every event's catalogue reuses
# the parse instead of validating each stored version again. Bounded: versions are few.
_PARSED: OrderedDict[tuple[str, int, datetime], PostLevelPolicy | RankPolicy] = OrderedDict()
_PARSED_MAX = 512


def _parsed(row: PolicyVersion) -> PostLevelPolicy | RankPolicy:
    key = (row.policy_id, row.version, row.published_at)
    policy = _PARSED.get(key)
    if policy is None:
        policy = _PARSED[key] = parse_policy(row.document)
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return policy


async def catalogue(session: AsyncSession, default: str) -> Catalogue:
    grouped: dict[str, list] = defaultdict(list)
    for row in await repository.versions(session):
        grouped[row.policy_id].append(_parsed(row))
    books = {pid: PolicyBook(versions=versions) for pid, versions in grouped.items()}
    if default not in books:
        raise RuntimeError(f"the default policy {default!r} is not stored; seed the shipped ones")
    return Catalogue(books, await repository.assignments(session), default)


def _invalid(exc: ValidationError) -> InvalidInput:
    errors = [FieldError(".".join(["body", *map(str, e["loc"])]), e["msg"]) for e in exc.errors()]
    return InvalidInput(f"the policy document is invalid ({len(errors)} problem(s))", errors=errors)


def parse_document(document: dict) -> PostLevelPolicy | RankPolicy:
    try:
        return parse_policy(document)
    except ValidationError as exc:
        raise _invalid(exc) from None


async def publish_version(
    session: AsyncSession, caller: Caller, policy_id: str, document: dict, today: date
) -> PolicyVersion:
    caller.require(Role.CITY_ADMIN, Role.SYSTEM)
    policy = parse_document(document)
    if policy.id != policy_id:
        raise InvalidInput.on_field("body.id", f"the document is for {policy.id}, not {policy_id}")
    rows = await repository.versions(session, policy_id)
    if rows:
        book = PolicyBook(versions=[parse_policy(r.document) for r in rows])
        try:
            publish(book, policy, today)
        except PolicyRefused as exc:
            raise InvalidInput.on_field("body.effective_from", str(exc)) from None
    elif policy.effective_from <= today:
        raise InvalidInput.on_field(
            "body.effective_from", "a new policy must take effect after today"
        )
    row = PolicyVersion(
        policy_id=policy.id,
        version=policy.version,
        effective_from=policy.effective_from,
        document=policy.model_dump(mode="json"),
        published_by=caller.label,
        published_at=utc_now(),
    )
    await repository.add(session, row)
    return row


async def assign(
    session: AsyncSession, caller: Caller, unit_id: str, policy_id: str
) -> PolicyAssignment:
    caller.require(*ADMINS, Role.SYSTEM)
    await scope.unit_path(session, caller, unit_id)
    if not await repository.versions(session, policy_id):
        raise InvalidInput.on_field("body.policy_id", f"no policy {policy_id}")
    row = await repository.assignment(session, unit_id)
    now = utc_now()
    if row is None:
        row = PolicyAssignment(
            unit_id=unit_id, policy_id=policy_id, assigned_by=caller.label, assigned_at=now
        )
        await repository.add(session, row)
    else:
        row.policy_id, row.assigned_by, row.assigned_at = policy_id, caller.label, now
    return row


async def versions(session: AsyncSession, policy_id: str | None = None) -> list[PolicyVersion]:
    rows = await repository.versions(session, policy_id)
    if policy_id is not None and not rows:
        raise NotFound(f"no policy {policy_id}")
    return rows
