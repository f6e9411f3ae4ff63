"""The copy of the roster's unit tree, kept current by UnitCreated, UnitRenamed, UnitMoved and
UnitClosed, so campaigns and postings are scoped by the tree as it is now.

Revision ID: recruitment_0003
Revises: recruitment_0002
Create Date: 2026-12-08
"""

from union_shared.migration_ops import create_unit_tree_v1, drop_unit_tree_v1

revision = "recruitment_0003"
down_revision = "recruitment_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_unit_tree_v1()


def downgrade() -> None:
    drop_unit_tree_v1()
