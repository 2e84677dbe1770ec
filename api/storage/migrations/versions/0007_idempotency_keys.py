"""A client's Idempotency-Key on a published need: a retried publish returns the same need.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("needs") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(100), nullable=True))
        batch.create_unique_constraint("uq_needs_organization_idempotency_key",
                                       ["organization_id", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("needs") as batch:
        batch.drop_constraint("uq_needs_organization_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
