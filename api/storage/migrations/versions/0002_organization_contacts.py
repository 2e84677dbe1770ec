"""organisation contact details, shared after an accepted offer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("contact_email", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("contact_phone")
        batch.drop_column("contact_email")
