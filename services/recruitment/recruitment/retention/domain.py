"""How long applicant data is kept (the campaign rules' retention_years), pure."""

from __future__ import annotations

from datetime import datetime

from recruitment.applications.domain import ApplicationStatus as S
from union_shared.errors import Conflict

# Those hired (or on their way: the hire is sent on the start date) are kept: the roster's
# record starts from them.
KEPT = frozenset({S.ACCEPTED, S.HIRED})


class TooEarly(Conflict):
    slug = "retention-not-over"


def purge_from(closed_at: datetime, years: int) -> datetime:
    """The first instant applicant data may be purged: `years` after the window closed (29
    February moves to 28 February in a common year)."""
    try:
        return closed_at.replace(year=closed_at.year + years)
    except ValueError:
        return closed_at.replace(year=closed_at.year + years, day=28)


def check_due(closed_at: datetime, years: int, now: datetime) -> None:
    due = purge_from(closed_at, years)
    if now < due:
        raise TooEarly(
            f"the campaign's applicant data is kept {years} year(s) after its window closed: "
            f"it may be purged from {due.isoformat()}"
        )
