"""Engine, sessions and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(configured: str, data_dir: Path) -> str:
    """The SQLAlchemy URL: the configured one (psycopg driver for PostgreSQL) or SQLite in data_dir."""
    if not configured:
        return f"sqlite:///{(data_dir / 'needmatch.db').resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if configured.startswith(prefix):
            return "postgresql+psycopg://" + configured[len(prefix):]
    return configured


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, a busy timeout, write-ahead logging and secure
    deletion (a deleted row's bytes are overwritten: an import job's unredacted input, a purged
    case's text)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(configured_url: str, data_dir: Path) -> sessionmaker[Session]:
    """Create the data directory, migrate the schema and return a session factory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url(configured_url, data_dir))
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
