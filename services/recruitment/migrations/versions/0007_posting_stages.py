"""When each posting's shortlist was drawn and at what cut line, and when it was ranked.

Revision ID: recruitment_0007
Revises: recruitment_0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0007"
down_revision = "recruitment_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shortlist_cut", sa.Numeric(precision=7, scale=2)))
        batch_op.add_column(sa.Column("shortlisted_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("ranked_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("postings", schema=None) as batch_op:
        for column in ("ranked_at", "shortlisted_at", "shortlist_cut"):
            batch_op.drop_column(column)
