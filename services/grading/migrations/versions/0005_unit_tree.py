"""The copy of the roster's unit tree, kept current by UnitCreated, UnitRenamed, UnitMoved and
UnitClosed, so scoping follows a unit when it moves and refuses units that do not exist.

Revision ID: grading_0005
Revises: grading_0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from union_shared.migration_ops import create_unit_tree_v1, drop_unit_tree_v1

revision: str = "grading_0005"
down_revision: str | None = "grading_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_unit_tree_v1()


def downgrade() -> None:
    drop_unit_tree_v1()
