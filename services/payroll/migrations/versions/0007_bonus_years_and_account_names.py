"""Every appraisal year a payslip paid a bonus for (one payslip may pay two years' bonuses), and
the account holder's name (户名) on pay profiles, which a bank's salary batch file needs.

Existing payslips that paid a bonus get their one year's row, its amount read from the slip.

Revision ID: payroll_0007
Revises: payroll_0006
Create Date: 2026-12-07
"""

import json
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "payroll_0007"
down_revision: str | None = "payroll_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bonuses = op.create_table(
        "payslip_bonuses",
        sa.Column("payslip_id", sa.String(length=36), nullable=False),
        sa.Column("appraisal_year", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("worker_id", sa.String(length=36), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("separate", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("payslip_id", "appraisal_year", name=op.f("pk_payslip_bonuses")),
    )
    op.create_index(op.f("ix_payslip_bonuses_run_id"), "payslip_bonuses", ["run_id"], unique=False)
    op.create_index("ix_payslip_bonuses_worker", "payslip_bonuses", ["worker_id", "appraisal_year"])
    with op.batch_alter_table("pay_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_name", sa.String(length=100), nullable=True))
    _backfill(bonuses)


def _backfill(bonuses: sa.Table) -> None:
    """A row for each payslip that paid a bonus before payslips could pay more than one."""
    payslips = sa.table(
        "payslips",
        sa.column("id", sa.String),
        sa.column("run_id", sa.String),
        sa.column("worker_id", sa.String),
        sa.column("bonus_year", sa.Integer),
        sa.column("bonus_separate", sa.Boolean),
        sa.column("slip", sa.JSON),
    )
    bind = op.get_bind()
    query = sa.select(payslips).where(payslips.c.bonus_year.is_not(None))
    rows = []
    for slip in bind.execute(query):
        record = json.loads(slip.slip) if isinstance(slip.slip, str) else slip.slip
        amount = sum(
            (Decimal(line["amount"]) for line in record["lines"] if line["code"] == "annual_bonus"),
            Decimal("0.00"),
        )
        rows.append({
            "payslip_id": slip.id, "appraisal_year": slip.bonus_year, "run_id": slip.run_id,
            "worker_id": slip.worker_id, "amount_fen": int(amount * 100),
            "separate": slip.bonus_separate,
        })  # fmt: skip
    if rows:
        op.bulk_insert(bonuses, rows)


def downgrade() -> None:
    with op.batch_alter_table("pay_profiles", schema=None) as batch_op:
        batch_op.drop_column("account_name")
    op.drop_index("ix_payslip_bonuses_worker", table_name="payslip_bonuses")
    op.drop_index(op.f("ix_payslip_bonuses_run_id"), table_name="payslip_bonuses")
    op.drop_table("payslip_bonuses")
