"""Alembic environment: runs on the connection handed over by api.storage.database.migrate."""

from __future__ import annotations

from alembic import context

from api.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through api.storage.database.migrate")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
