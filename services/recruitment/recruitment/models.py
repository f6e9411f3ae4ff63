"""The recruitment service's own tables (its database is its own: no other service reads it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from union_shared.db import Base as _Base
from union_shared.db import UtcDateTime, new_metadata
from union_shared.scope import UnitTree, unit_tree_table

Id = String(36)
PATH = String(2000)
ACTOR = String(200)


class Base(_Base):
    __abstract__ = True
    metadata = new_metadata()


class Campaign(Base):
    """A public recruitment call by one federation (a unit of the roster's tree), for postings
    in units of its subtree. Its rules are versioned beside it (CampaignRulesVersion)."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(Id)
    unit_path: Mapped[str] = mapped_column(PATH, index=True)
    # draft: being prepared, nothing public; announced: public, applications within the window.
    status: Mapped[str] = mapped_column(String(20))
    window_opens_at: Mapped[datetime] = mapped_column(UtcDateTime())
    window_closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rules_version: Mapped[int] = mapped_column(Integer)  # the version in force now
    created_by: Mapped[str] = mapped_column(ACTOR)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CampaignRulesVersion(Base):
    """One version of a campaign's rules. Never edited: a change is the next version, and once
    the application window has opened it needs a reason."""

    __tablename__ = "campaign_rules"

    campaign_id: Mapped[str] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(ACTOR)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Posting(Base):
    """Places in one unit offered by a campaign, with a quota and requirements."""

    __tablename__ = "postings"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id, ForeignKey("campaigns.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(Id)
    unit_path: Mapped[str] = mapped_column(PATH, index=True)
    code: Mapped[str] = mapped_column(String(40))  # the announcement's posting number
    title: Mapped[str] = mapped_column(String(200))
    quota: Mapped[int] = mapped_column(Integer)
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON)
    # draft, published, closed, cut (withdrawn for too few applicants), merged (into another).
    status: Mapped[str] = mapped_column(String(20))
    merged_into: Mapped[str | None] = mapped_column(Id)
    decision: Mapped[str | None] = mapped_column(Text)  # why it was cut or merged
    decided_by: Mapped[str | None] = mapped_column(ACTOR)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(ACTOR)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The interview shortlist: the written score (with bonus, where the rules add it there) of
    # the last place taken, and when it was drawn; when the posting was last ranked.
    shortlist_cut: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    shortlisted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ranked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


Index("ux_postings_campaign_code", Posting.campaign_id, Posting.code, unique=True)


class Application(Base):
    """One person's application to a posting of a campaign. The person is known by a keyed hash
    of their resident ID number: the unique index on it (one application per person per
    campaign) holds no raw number. The number itself is kept, unindexed, for the hire."""

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id, ForeignKey("campaigns.id", ondelete="CASCADE"))
    posting_id: Mapped[str] = mapped_column(Id, ForeignKey("postings.id", ondelete="CASCADE"))
    id_hash: Mapped[str] = mapped_column(String(64))
    resident_id: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(10))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    education: Mapped[str] = mapped_column(String(30))
    majors: Mapped[list[str]] = mapped_column(JSON)
    residence_region: Mapped[str] = mapped_column(String(6))
    years_experience: Mapped[int] = mapped_column(Integer)
    qualification: Mapped[str] = mapped_column(String(40))
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    # The applicant's account (the mobile app's login subject): who may read and withdraw it.
    applicant_subject: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(30))
    # The automatic screen's failed rules (rule code and sentence); empty when it passed.
    screening: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Set by the stages: granted bonus points, the composite and the rank in the posting (None
    # until computed), and whether a tie at that rank waits for a run-off.
    bonus_points: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    composite: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    rank: Mapped[int | None] = mapped_column(Integer)
    run_off_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by the hire: the first day of work offered, and the roster's worker once registered.
    start_date: Mapped[date | None] = mapped_column(Date)
    worker_id: Mapped[str | None] = mapped_column(Id)


Index("ux_applications_campaign_person", Application.campaign_id, Application.id_hash, unique=True)
Index("ix_applications_posting_status", Application.posting_id, Application.status)


class ApplicationEvent(Base):
    """One recorded step of an application: who moved it, when, from what to what, and why."""

    __tablename__ = "application_events"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # submitted, screened, withdrawn, ...
    status_from: Mapped[str | None] = mapped_column(String(30))
    status_to: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(ACTOR)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BonusClaim(Base):
    """An applicant's claim to one of the campaign's bonus items (加分), and its review: only a
    granted claim counts toward the application's bonus points."""

    __tablename__ = "bonus_claims"

    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    review: Mapped[str] = mapped_column(String(20))  # pending, granted, refused
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(ACTOR)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Score(Base):
    """An applicant's result in one kind of assessment, as last recorded: a score (written,
    interview, run-off) as an exact decimal, or a pass or fail (medical, background) with the
    reason. Every change is in the audit trail with the import that made it."""

    __tablename__ = "scores"

    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    scorer: Mapped[str] = mapped_column(ACTOR)
    import_id: Mapped[str | None] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScorerRelation(Base):
    """A scorer's declared relation to an applicant (回避, DOMAIN.md "recusal"): the scorer may
    not score that person in the campaign. The person is named by the keyed hash of their
    resident ID only, as applications are: no raw number is kept."""

    __tablename__ = "scorer_relations"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id, ForeignKey("campaigns.id", ondelete="CASCADE"))
    scorer_subject: Mapped[str] = mapped_column(ACTOR)
    id_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))  # spouse, direct_line, ...
    declared_by: Mapped[str] = mapped_column(ACTOR)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime())


Index(
    "ux_scorer_relations_campaign_scorer_person",
    ScorerRelation.campaign_id, ScorerRelation.scorer_subject, ScorerRelation.id_hash,
    unique=True,
)  # fmt: skip


class Notice(Base):
    """A public notice (公示) of a campaign's proposed hires: who is listed, masked, from which
    day to which. Entries hold masked copies only, so nothing read from a notice can unmask."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(
        Id, ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last working day of the notice
    published_by: Mapped[str] = mapped_column(ACTOR)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NoticeEntry(Base):
    """One proposed hire on a notice, as printed: masked name and resident ID, the composite."""

    __tablename__ = "notice_entries"

    notice_id: Mapped[str] = mapped_column(
        Id, ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    posting_code: Mapped[str] = mapped_column(String(40))
    posting_title: Mapped[str] = mapped_column(String(200))
    masked_name: Mapped[str] = mapped_column(String(100))
    masked_resident_id: Mapped[str] = mapped_column(String(18))
    composite: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))


Index("ux_notice_entries_application", NoticeEntry.application_id, unique=True)


class Objection(Base):
    """An objection (异议) to one listed hire, raised while the notice runs; open until those
    running the campaign resolve it, and an open one holds the offer back."""

    __tablename__ = "objections"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    notice_id: Mapped[str] = mapped_column(Id, ForeignKey("notices.id", ondelete="CASCADE"))
    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(ACTOR)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime())
    upheld: Mapped[bool | None] = mapped_column(Boolean)  # None while open
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(ACTOR)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Hire(Base):
    """ApplicantHired sent for an accepted application: one row each, so it is sent once, and
    when; onboarded_at once the roster's WorkerOnboarded came back."""

    __tablename__ = "hires"

    application_id: Mapped[str] = mapped_column(
        Id, ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(Id)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_by: Mapped[str] = mapped_column(ACTOR)
    onboarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# The roster's unit tree as recruitment knows it; a move rewrites every stored path under it.
unit_tree = unit_tree_table(Base.metadata)
UNIT_TREE = UnitTree(
    unit_tree,
    [Campaign.__table__.c.unit_path, Posting.__table__.c.unit_path],
    service="recruitment",
)
