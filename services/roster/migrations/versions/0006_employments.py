"""Employment episodes: a worker who left and is hired again keeps one record (the resident ID
stays unique per person) and gains an episode with its own hire date and leaving date.

Every worker already on the register gets episode 1 from their hire date, leaving date and
seniority start.

Revision ID: roster_0006
Revises: roster_0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "roster_0006"
down_revision: str | None = "roster_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("worker_id", sa.String(length=36), nullable=False),
        sa.Column("episode", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("seniority_start", sa.Date(), nullable=False),
        sa.Column("earlier_service_counted", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name=op.f("fk_employments_worker_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_employments_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employments")),
        sa.UniqueConstraint("worker_id", "episode", name=op.f("uq_employments_worker_id")),
    )
    with op.batch_alter_table("employments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employments_worker_id"), ["worker_id"], unique=False)
    # Episode 1 for every worker: the id is the worker's own (unique, and stable on a re-run).
    op.execute(
        sa.text(
            "INSERT INTO employments (id, worker_id, episode, unit_id, hire_date, left_on, "
            "seniority_start, earlier_service_counted, origin, recorded_at) "
            "SELECT id, id, 1, unit_id, hire_date, left_on, seniority_start, false, origin, "
            "created_at FROM workers"
        )
    )


def downgrade() -> None:
    op.drop_table("employments")
