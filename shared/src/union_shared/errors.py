"""The errors services raise on purpose, free of any framework: domain code raises them, and
union_shared.problems renders each as RFC 9457 problem+json (the only place that knows HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    """One bad input: `field` is its dotted path, named as request validation names fields
    (body.resident_id, query.as_of)."""

    field: str
    reason: str


class DomainError(Exception):
    """Base for errors a service raises on purpose; subclasses set the status and title their
    problem+json reply carries."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    @classmethod
    def on_field(cls, field: str, reason: str) -> DomainError:
        """The error for one bad field, named the way request validation names fields."""
        return cls(f"{field}: {reason}", errors=[FieldError(field, reason)])


class RuleBroken(ValueError):
    """A domain rule refused something. `field` names the input at fault (answered 422 naming
    `body.<field>`); None means the record as it stands forbids it (answered 409). Pure domain
    code raises it and knows nothing of HTTP; one handler below answers for every service."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


class InvalidInput(DomainError):
    status, title, slug = 422, "Invalid input", "invalid-input"


class NotFound(DomainError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(DomainError):
    status, title, slug = 409, "Conflict", "conflict"


class Forbidden(DomainError):
    status, title, slug = 403, "Forbidden", "forbidden"
