"""Indexes on cases.updated_at and needs.updated_at: need search reads what changed since its last
look by a range on them, and the latest update by the index's end.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"])
    op.create_index("ix_needs_updated_at", "needs", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_needs_updated_at", table_name="needs")
    op.drop_index("ix_cases_updated_at", table_name="cases")
