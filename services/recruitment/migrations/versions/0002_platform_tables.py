"""Idempotency keys and the audit trail.

Revision ID: recruitment_0002
Revises: recruitment_0001
Create Date: 2026-12-08
"""

from union_shared.migration_ops import create_platform_tables_v2, drop_platform_tables_v2

revision = "recruitment_0002"
down_revision = "recruitment_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables_v2()


def downgrade() -> None:
    drop_platform_tables_v2()
