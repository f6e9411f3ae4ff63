"""Bonus point claims (加分): one row per application and item, with its review.

Revision ID: recruitment_0010
Revises: recruitment_0009
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0010"
down_revision = "recruitment_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bonus_claims",
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("review", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_bonus_claims_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("application_id", "code", name=op.f("pk_bonus_claims")),
    )


def downgrade() -> None:
    op.drop_table("bonus_claims")
