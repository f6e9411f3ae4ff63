"""Messaging tables: outbox, processed events (inbox), dead letters.

Revision ID: roster_0001
Revises:
Create Date: 2026-11-21
"""

from union_shared.migration_ops import create_messaging_tables_v1, drop_messaging_tables_v1

revision = "roster_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()


def downgrade() -> None:
    drop_messaging_tables_v1()
