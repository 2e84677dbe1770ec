"""A deleted row's bytes leave the embedded SQLite file (an import job's unredacted input)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from api.storage.database import make_engine
from api.storage.tables import Base, JobInput, RetrainJob

NARRATIVE = "Rosa Elena Quispe, born 04/05/1999, 713-555-0199, was forced to work without pay."


def _stored_after_delete(engine: Engine, folder: Path) -> bytes:
    Base.metadata.create_all(engine)
    sessions = sessionmaker(engine)
    with sessions.begin() as session:
        job = RetrainJob(kind="import", status="queued", stage="queued")
        session.add(job)
        session.flush()
        session.add(JobInput(job_id=job.id, rows=[{"id": "c-1", "text": NARRATIVE}]))
    with sessions.begin() as session:
        session.execute(delete(JobInput))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return b"".join(path.read_bytes() for path in folder.iterdir())


def test_a_deleted_input_row_leaves_no_bytes_in_the_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'needmatch.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    stored = _stored_after_delete(engine, tmp_path)
    assert b"Rosa Elena Quispe" not in stored and b"713-555-0199" not in stored


def test_without_secure_delete_the_bytes_would_stay(tmp_path: Path) -> None:
    """The control: the check above finds a deleted row's bytes when they are left behind (some
    SQLite builds turn secure deletion on by default, others off; the engine sets it)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'needmatch.db'}")

    @event.listens_for(engine, "connect")
    def _off(connection, _record):  # type: ignore[no-untyped-def]
        connection.execute("PRAGMA secure_delete=OFF")

    assert b"Rosa Elena Quispe" in _stored_after_delete(engine, tmp_path)
