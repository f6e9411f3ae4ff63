"""An application's lifecycle, pure: what submitting needs of the campaign and posting, the
automatic screen's outcome, and when an applicant may withdraw."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from recruitment.campaigns.domain import CampaignStatus, Window
from recruitment.postings.domain import PostingStatus
from union_shared.errors import Conflict


class ApplicationStatus(StrEnum):
    """The stages, in order (DOMAIN.md, "Recruitment"); each move is a recorded step."""

    ELIGIBLE = "eligible"  # passed the automatic screen; qualification review comes next
    INELIGIBLE = "ineligible"  # failed it, each rule named; a reviewer may still override
    QUALIFIED = "qualified"  # qualification review (资格审查) passed: sits the written exam
    DISQUALIFIED = "disqualified"  # review refused, with the reason
    SHORTLISTED = "shortlisted"  # drawn for the interview by the ratio, ties at the cut too
    NOT_SHORTLISTED = "not_shortlisted"
    RANKED = "ranked"  # interviewed: composite and rank computed
    IN_CHECK = "in_check"  # medical check and background review (体检, 考察), 1:1 by rank
    CHECK_FAILED = "check_failed"  # failed either, with the reason: opens a replacement
    PROPOSED = "proposed"  # passed both: on the public notice (公示)
    OFFERED = "offered"
    ACCEPTED = "accepted"  # ApplicantHired is sent on the start date
    DECLINED = "declined"  # opens a replacement
    HIRED = "hired"  # the roster created the worker (WorkerOnboarded came back)
    WITHDRAWN = "withdrawn"  # by the applicant; after the window it opens a replacement


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


# Where an application has ended: nothing is left to withdraw from.
_ENDED = frozenset({ApplicationStatus.WITHDRAWN, ApplicationStatus.HIRED,
                    ApplicationStatus.DECLINED, ApplicationStatus.CHECK_FAILED})  # fmt: skip


def check_withdrawal(status: ApplicationStatus, hire_sent: bool = False) -> None:
    """An applicant may withdraw at any stage until the application has ended; after the
    window, giving up a place opens a replacement (recruitment.stages). Once the hire has gone
    to the roster, the person is the roster's worker: leaving is recorded there."""
    if status in _ENDED:
        raise CannotWithdraw(f"the application is {status}: there is nothing to withdraw from")
    if hire_sent:
        raise CannotWithdraw(
            "the hire has gone to the roster: the worker's departure is recorded there"
        )
