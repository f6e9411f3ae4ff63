"""A campaign's lifecycle rules, pure: when its window may be set, when its rules may change and
whether a change needs a reason, when it may be announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from union_shared.errors import RuleBroken

# A reason is a sentence a reader of the audit trail can act on, not a placeholder.
MIN_REASON = 10


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # being prepared: nothing is public
    ANNOUNCED = "announced"  # public: applications are taken within the window


@dataclass(frozen=True, slots=True)
class Window:
    opens_at: datetime
    closes_at: datetime

    def __post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise RuleBroken(
                "window_closes_at",
                f"the window must close after it opens ({self.opens_at.isoformat()})",
            )

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def has_opened(self, now: datetime) -> bool:
        return now >= self.opens_at


def rules_change_reason(window: Window, now: datetime, reason: str | None) -> str | None:
    """The reason a new version of the rules is recorded with. Before the window opens the rules
    are still being drafted and need none; from then on applicants rely on them, so a change
    needs a reason of at least MIN_REASON characters, kept in the audit trail."""
    if not window.has_opened(now):
        return reason
    if reason is None or len(reason.strip()) < MIN_REASON:
        raise RuleBroken(
            "reason",
            f"the application window opened on {window.opens_at.isoformat()}: a change of the "
            f"rules needs a reason of at least {MIN_REASON} characters",
        )
    return reason.strip()


def check_announce(status: CampaignStatus, window: Window, now: datetime, postings: int) -> None:
    """A draft campaign with at least one posting, whose window has not closed yet."""
    if status is not CampaignStatus.DRAFT:
        raise RuleBroken(None, "the campaign is already announced")
    if postings == 0:
        raise RuleBroken(None, "a campaign needs at least one posting to be announced")
    if now >= window.closes_at:
        raise RuleBroken(None, f"the application window closed on {window.closes_at.isoformat()}")


def check_window_change(status: CampaignStatus, window: Window, now: datetime) -> None:
    """The window of an announced campaign is public: it may still move before it opens."""
    if status is CampaignStatus.ANNOUNCED and window.has_opened(now):
        raise RuleBroken(
            None,
            f"the application window opened on {window.opens_at.isoformat()}: it can no "
            "longer be moved",
        )
