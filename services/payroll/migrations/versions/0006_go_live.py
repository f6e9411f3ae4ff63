"""Go-live per unit and pay declared for the months before it (arrears are owed only for months
run on the platform or declared), and the pay-fact sequence that tells a stale draft from a
fresh one without reading any clock.

Revision ID: payroll_0006
Revises: payroll_0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0006"
down_revision: str | None = "payroll_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQ = "pay_fact_seq"


def upgrade() -> None:
    op.create_table(
        "go_live",
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_go_live")),
    )
    op.create_table(
        "declared_pay",
        sa.Column("worker_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("gross_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", "period", name=op.f("pk_declared_pay")),
    )
    op.create_table(
        "pay_fact_changes",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("worker_id", sa.String(length=36), nullable=True),
        sa.Column("unit_path", sa.String(length=2000), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_pay_fact_changes")),
    )
    op.create_index("ix_pay_fact_changes_worker", "pay_fact_changes", ["worker_id", "seq"])
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("facts_seq", sa.BigInteger(), server_default="0", nullable=False)
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE {SEQ} AS BIGINT START WITH 1")
        first = f"nextval('{SEQ}')"
    else:
        op.create_table(
            SEQ,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("value", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{SEQ}")),
        )
        op.execute(f"INSERT INTO {SEQ} (id, value) VALUES (1, 1)")
        first = "1"
    # Drafts computed before this revision recorded no sequence value (0): one change over the
    # whole tree makes each of them stale once, to be recomputed, rather than trusted unchecked.
    op.execute(
        "INSERT INTO pay_fact_changes (seq, kind, unit_path, recorded_at) "
        f"VALUES ({first}, 'revision', '/', CURRENT_TIMESTAMP)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SEQUENCE {SEQ}")
    else:
        op.drop_table(SEQ)
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.drop_column("facts_seq")
    op.drop_index("ix_pay_fact_changes_worker", table_name="pay_fact_changes")
    op.drop_table("pay_fact_changes")
    op.drop_table("declared_pay")
    op.drop_table("go_live")
