"""Background jobs of more than one kind: retrain and reclassify share the jobs table.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("retrain_jobs") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="retrain"))


def downgrade() -> None:
    with op.batch_alter_table("retrain_jobs") as batch:
        batch.drop_column("kind")
