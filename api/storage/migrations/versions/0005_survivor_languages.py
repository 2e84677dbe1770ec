"""The survivor's languages, kept apart from the language the narrative is written in.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("needs") as batch:
        # Needs stored before this column have none: matching falls back to the narrative's language.
        batch.add_column(sa.Column("survivor_languages", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("needs") as batch:
        batch.drop_column("survivor_languages")
