"""Scorers' declared relations to applicants (回避), by the keyed hash of the applicant's
resident ID: one per campaign, scorer and person.

Revision ID: recruitment_0008
Revises: recruitment_0007
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0008"
down_revision = "recruitment_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scorer_relations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("scorer_subject", sa.String(length=200), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("declared_by", sa.String(length=200), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_scorer_relations_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorer_relations")),
    )
    op.create_index(
        "ux_scorer_relations_campaign_scorer_person",
        "scorer_relations",
        ["campaign_id", "scorer_subject", "id_hash"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_scorer_relations_campaign_scorer_person", table_name="scorer_relations")
    op.drop_table("scorer_relations")
