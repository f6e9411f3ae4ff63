"""A posting's lifecycle, pure: published with its campaign (or later, on its own), closed to
new applications, and cut or merged with a recorded decision when too few apply (开考比例)."""

from __future__ import annotations

from enum import StrEnum

from union_shared.errors import RuleBroken

MIN_REASON = 10


class PostingStatus(StrEnum):
    DRAFT = "draft"  # not public yet
    PUBLISHED = "published"  # takes applications while the campaign's window is open
    CLOSED = "closed"  # takes no more applications
    CUT = "cut"  # withdrawn from the campaign, with a decision
    MERGED = "merged"  # its places joined another posting of the campaign, with a decision


# Where each action may start from.
_FROM = {
    "publish": {PostingStatus.DRAFT},
    "close": {PostingStatus.PUBLISHED},
    "cut": {PostingStatus.DRAFT, PostingStatus.PUBLISHED, PostingStatus.CLOSED},
    "merge": {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
}


def check_action(action: str, status: PostingStatus) -> None:
    if status not in _FROM[action]:
        allowed = ", ".join(sorted(_FROM[action]))
        raise RuleBroken(None, f"a {status} posting cannot be {_DONE[action]} (only {allowed})")


_DONE = {"publish": "published", "close": "closed", "cut": "cut", "merge": "merged"}


def decision(reason: str) -> str:
    """A cut or a merge is a decision a reader of the notice must understand."""
    text = reason.strip()
    if len(text) < MIN_REASON:
        raise RuleBroken("reason", f"give the decision in at least {MIN_REASON} characters")
    return text


def check_merge(
    posting_id: str, into_id: str, into_status: PostingStatus, same_campaign: bool
) -> None:
    if into_id == posting_id:
        raise RuleBroken("into_posting_id", "a posting cannot be merged into itself")
    if not same_campaign:
        raise RuleBroken("into_posting_id", "the posting merged into must be of the same campaign")
    if into_status not in (PostingStatus.PUBLISHED, PostingStatus.CLOSED):
        raise RuleBroken("into_posting_id", f"the posting merged into is {into_status}")
