"""Scores per application and kind of assessment, and each application's standing in its
posting (granted bonus points, composite, rank, a tie waiting for a run-off).

Revision ID: recruitment_0006
Revises: recruitment_0005
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "recruitment_0006"
down_revision = "recruitment_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scores",
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("scorer", sa.String(length=200), nullable=False),
        sa.Column("import_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_scores_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("application_id", "kind", name=op.f("pk_scores")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bonus_points", sa.Numeric(precision=6, scale=2), server_default="0",
                nullable=False,
            )
        )  # fmt: skip
        batch_op.add_column(sa.Column("composite", sa.Numeric(precision=7, scale=2)))
        batch_op.add_column(sa.Column("rank", sa.Integer()))
        batch_op.add_column(
            sa.Column("run_off_needed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        for column in ("run_off_needed", "rank", "composite", "bonus_points"):
            batch_op.drop_column(column)
    op.drop_table("scores")
