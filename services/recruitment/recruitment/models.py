"""The recruitment service's own tables (its database is its own: no other service reads it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
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


Index("ux_postings_campaign_code", Posting.campaign_id, Posting.code, unique=True)


# The roster's unit tree as recruitment knows it; a move rewrites every stored path under it.
unit_tree = unit_tree_table(Base.metadata)
UNIT_TREE = UnitTree(
    unit_tree,
    [Campaign.__table__.c.unit_path, Posting.__table__.c.unit_path],
    service="recruitment",
)
