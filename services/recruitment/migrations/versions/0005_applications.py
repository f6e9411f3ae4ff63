"""Applications (one per person per campaign, by a keyed hash of the resident ID number) and
the recorded steps of each.

Revision ID: recruitment_0005
Revises: recruitment_0004
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0005"
down_revision = "recruitment_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("posting_id", sa.String(length=36), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("resident_id", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("education", sa.String(length=30), nullable=False),
        sa.Column("majors", sa.JSON(), nullable=False),
        sa.Column("residence_region", sa.String(length=6), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("qualification", sa.String(length=40), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("applicant_subject", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("screening", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_applications_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_applications_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    op.create_index(
        op.f("ix_applications_applicant_subject"), "applications", ["applicant_subject"]
    )
    op.create_index(
        "ux_applications_campaign_person", "applications", ["campaign_id", "id_hash"], unique=True
    )
    op.create_index("ix_applications_posting_status", "applications", ["posting_id", "status"])
    op.create_table(
        "application_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status_from", sa.String(length=30), nullable=True),
        sa.Column("status_to", sa.String(length=30), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_events_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
    )
    op.create_index(
        op.f("ix_application_events_application_id"), "application_events", ["application_id"]
    )


def downgrade() -> None:
    op.drop_table("application_events")
    op.drop_table("applications")
