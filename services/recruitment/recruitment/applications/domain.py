"""An application's lifecycle, pure: what submitting needs of the campaign and posting, the
automatic screen's outcome, and when an applicant may withdraw."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from recruitment.campaigns.domain import CampaignStatus, Window
from recruitment.postings.domain import PostingStatus
from union_shared.errors import Conflict


class ApplicationStatus(StrEnum):
    ELIGIBLE = "eligible"  # passed the automatic screen; qualification review comes next
    INELIGIBLE = "ineligible"  # failed it, each rule named; a reviewer may still override
    WITHDRAWN = "withdrawn"


class WindowClosed(Conflict):
    slug = "window-closed"


class PostingNotOpen(Conflict):
    slug = "posting-not-open"


class DuplicateApplication(Conflict):
    slug = "duplicate-application"


class CannotWithdraw(Conflict):
    slug = "cannot-withdraw"


def check_submission(
    campaign_status: CampaignStatus, window: Window, posting_status: PostingStatus, now: datetime
) -> None:
    """Applications are taken for a published posting of an announced campaign, within its
    window."""
    if campaign_status is not CampaignStatus.ANNOUNCED or not window.is_open(now):
        raise WindowClosed(
            f"applications are taken from {window.opens_at.isoformat()} to "
            f"{window.closes_at.isoformat()} once the campaign is announced"
        )
    if posting_status is not PostingStatus.PUBLISHED:
        raise PostingNotOpen(f"the posting is {posting_status}: it takes no applications")


def screened(failures: list) -> ApplicationStatus:
    return ApplicationStatus.INELIGIBLE if failures else ApplicationStatus.ELIGIBLE


def check_withdrawal(status: ApplicationStatus, window: Window, now: datetime) -> None:
    """Before the window closes an applicant may withdraw; later withdrawal belongs to the
    stages that follow (it opens a replacement)."""
    if status is ApplicationStatus.WITHDRAWN:
        raise CannotWithdraw("the application is already withdrawn")
    if now >= window.closes_at:
        raise CannotWithdraw(f"the application window closed on {window.closes_at.isoformat()}")
