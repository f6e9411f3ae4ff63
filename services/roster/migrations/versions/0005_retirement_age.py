"""Record which original statutory retirement age applies to each woman on the register.

The 2024 reform raises the statutory retirement age by birth month from an original age of 60
for men and 55 or 50 for women. Which of the two applies to a woman depends on her post, so the
register keeps it per worker: `female_retirement_age` is 55 or 50 for women (55, the age for
these posts, unless HR records otherwise) and empty for men, whose original age is always 60.
Existing women are filled in as 55.

Revision ID: roster_0005
Revises: roster_0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "roster_0005"
down_revision: str | None = "roster_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("female_retirement_age", sa.Integer(), nullable=True))
    op.execute(sa.text("UPDATE workers SET female_retirement_age = 55 WHERE sex = 'female'"))


def downgrade() -> None:
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.drop_column("female_retirement_age")
