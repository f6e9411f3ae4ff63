"""Public notices of proposed hires with their masked entries and objections, the offer's start
date and the roster's worker on each application, and one row per hire sent.

Revision ID: recruitment_0009
Revises: recruitment_0008
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0009"
down_revision = "recruitment_0008"
branch_labels = None
depends_on = None


def _application_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["application_id"],
        ["applications.id"],
        name=op.f(f"fk_{table}_application_id_applications"),
        ondelete="CASCADE",
    )


def _notice_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["notice_id"], ["notices.id"], name=op.f(f"fk_{table}_notice_id_notices"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_date", sa.Date()))
        batch_op.add_column(sa.Column("worker_id", sa.String(length=36)))
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_notices_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_campaign_id"), "notices", ["campaign_id"])
    op.create_table(
        "notice_entries",
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("posting_code", sa.String(length=40), nullable=False),
        sa.Column("posting_title", sa.String(length=200), nullable=False),
        sa.Column("masked_name", sa.String(length=100), nullable=False),
        sa.Column("masked_resident_id", sa.String(length=18), nullable=False),
        sa.Column("composite", sa.Numeric(precision=7, scale=2), nullable=True),
        _application_fk("notice_entries"),
        _notice_fk("notice_entries"),
        sa.PrimaryKeyConstraint("notice_id", "application_id", name=op.f("pk_notice_entries")),
    )
    op.create_index(
        "ux_notice_entries_application", "notice_entries", ["application_id"], unique=True
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        _application_fk("objections"),
        _notice_fk("objections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_index(op.f("ix_objections_application_id"), "objections", ["application_id"])
    op.create_table(
        "hires",
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("onboarded_at", sa.DateTime(timezone=True), nullable=True),
        _application_fk("hires"),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_hires")),
    )


def downgrade() -> None:
    op.drop_table("hires")
    op.drop_table("objections")
    op.drop_table("notice_entries")
    op.drop_table("notices")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        for column in ("worker_id", "start_date"):
            batch_op.drop_column(column)
