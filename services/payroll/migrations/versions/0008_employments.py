"""Employment episodes: a worker who left and was hired again (WorkerRehired) is paid for each
episode's months and nothing between them, so one hire date and leaving date per worker no
longer suffice.

Each existing worker gets episode 1 from their hire date and leaving date.

Revision ID: payroll_0008
Revises: payroll_0007
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0008"
down_revision: str | None = "payroll_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pay_employments",
        sa.Column("worker_id", sa.String(length=36), nullable=False),
        sa.Column("episode", sa.Integer(), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("worker_id", "episode", name=op.f("pk_pay_employments")),
    )
    op.create_index("ix_pay_employments_left_on", "pay_employments", ["left_on"])
    # One statement, in the database: a city's workers need not pass through Python.
    op.execute(
        "INSERT INTO pay_employments (worker_id, episode, hire_date, left_on) "
        "SELECT worker_id, 1, hire_date, left_on FROM pay_workers"
    )


def downgrade() -> None:
    op.drop_index("ix_pay_employments_left_on", table_name="pay_employments")
    op.drop_table("pay_employments")
