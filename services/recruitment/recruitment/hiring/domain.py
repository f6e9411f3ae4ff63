"""The end of a recruitment, pure: the public notice (公示) and its objections, the offer, the
applicant's answer, and when a hire is due or has gone quiet (DOMAIN.md, "Recruitment").

No clock here: every rule takes the day or the instant it turns on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from recruitment.applications.domain import ApplicationStatus as S
from union_shared.errors import Conflict, RuleBroken

MIN_REASON = 10
# A hire sent longer ago than this with no worker back is shown as a problem: the roster
# answers within seconds, so an hour of silence means it refused the hire (a dead letter).
HIRE_ANSWER_WITHIN = timedelta(hours=1)


class NoticeRefused(Conflict):
    slug = "notice-refused"


class ObjectionRefused(Conflict):
    slug = "objection-refused"


class OfferRefused(Conflict):
    slug = "offer-refused"


def check_notice_start(starts_on: date, today: date) -> None:
    """A notice is published today or later: a day already past cannot have been public."""
    if starts_on < today:
        raise RuleBroken("starts_on", f"a notice cannot start before today ({today})")


def check_objection_open(starts_on: date, ends_on: date, today: date) -> None:
    """Objections are taken while the notice runs, its last day included."""
    if not starts_on <= today <= ends_on:
        raise ObjectionRefused(
            f"the notice runs from {starts_on} to {ends_on}: objections are taken then only"
        )


def resolution_reason(reason: str | None) -> str:
    """Whichever way an objection is decided, the decision says why: it is on the record."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise RuleBroken(
            "reason", f"a resolution needs a reason of at least {MIN_REASON} characters"
        )
    return text


def check_offer(
    status: S, notice_ends_on: date | None, open_objections: int, start_date: date, today: date
) -> None:
    """An offer goes to a proposed hire once their notice has ended with every objection about
    them resolved; work cannot start on a day already past."""
    if status is not S.PROPOSED:
        raise OfferRefused(f"the application is {status}: only a proposed hire is offered")
    if notice_ends_on is None:
        raise OfferRefused("the application is on no public notice yet")
    if today <= notice_ends_on:
        raise OfferRefused(f"the public notice runs until {notice_ends_on}: offer after it")
    if open_objections:
        raise OfferRefused(f"{open_objections} objection(s) about this hire are not resolved")
    if start_date < today:
        raise RuleBroken("start_date", f"the start date cannot be before today ({today})")


def check_answer(status: S) -> None:
    """Only an open offer is accepted or declined."""
    if status is not S.OFFERED:
        raise OfferRefused(f"the application is {status}: there is no offer to answer")


def hire_due(status: S, start_date: date | None, sent: bool, today: date) -> bool:
    """ApplicantHired goes once, on or after the start date of an accepted offer."""
    return status is S.ACCEPTED and start_date is not None and start_date <= today and not sent


def hire_problem(
    status: S, start_date: date | None, sent_at: datetime | None, worker_id: str | None,
    now: datetime, today: date,
) -> str | None:  # fmt: skip
    """What is wrong with a hire, seen from recruitment's side, or None. The roster's refusals
    end in its dead letters, which recruitment cannot read: a hire sent with no worker back
    after an hour is therefore never shown as done."""
    if worker_id is not None:
        return None
    if sent_at is None:
        if hire_due(status, start_date, False, today):
            return f"start date {start_date} reached, not sent yet: run POST /hires/due"
        return None
    waited = now - sent_at
    if waited <= HIRE_ANSWER_WITHIN:
        return None
    hours = int(waited.total_seconds() // 3600)
    unit = "hour" if hours == 1 else "hours"
    return f"sent {hours} {unit} ago, no worker yet: check the roster's dead letters"
