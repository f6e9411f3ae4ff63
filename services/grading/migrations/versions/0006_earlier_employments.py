"""The employments a re-hired worker had before the current one (WorkerRehired), so that their
histories replay as they were and the new one resumes or restarts by the policy's on_rehire.

A JSON list on graded_workers rather than a table: it is read with the worker in the seniority
run's one bulk query, and is null for every worker employed once.

Revision ID: grading_0006
Revises: grading_0005
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "grading_0006"
down_revision: str | None = "grading_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("graded_workers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("earlier_employments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("graded_workers", schema=None) as batch_op:
        batch_op.drop_column("earlier_employments")
