"""The migrations build exactly the tables the code declares (no drift), on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table

from api.storage.database import make_engine, migrate
from api.storage.tables import Base


def _differences(url: str, metadata: MetaData) -> list[object]:
    engine = make_engine(url)
    migrate(engine)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrations_match_the_declared_tables(database_url: str) -> None:
    assert _differences(database_url, Base.metadata) == []


def test_the_drift_check_sees_a_table_without_a_migration(database_url: str) -> None:
    drifted = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    Table("undeclared_in_migrations", drifted, Column("id", Integer, primary_key=True))
    differences = _differences(database_url, drifted)
    assert [difference[0] for difference in differences] == ["add_table"]  # type: ignore[index]
