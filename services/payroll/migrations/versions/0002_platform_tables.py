"""Idempotency keys and the audit trail.

Revision ID: payroll_0002
Revises: payroll_0001
Create Date: 2026-11-21
"""

from union_shared.migration_ops import create_platform_tables_v2, drop_platform_tables_v2

revision = "payroll_0002"
down_revision = "payroll_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables_v2()


def downgrade() -> None:
    drop_platform_tables_v2()
