"""Where the responder index lives: in PostgreSQL with pgvector (an embedded server), shared by
every process, giving the suggestions the in-process FAISS index gives."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from api.services.accounts import create_user
from api.services.cases import case_suggestions, need_query, needs_of
from api.services.responders import read_profiles, upsert_responders
from api.services.serving import (
    ResponderDirectory,
    ResponderStorage,
    ServingModel,
    choose_responder_storage,
)
from api.storage.database import open_database
from api.storage.embedding_store import kept_encodings
from api.storage.tables import Case, Responder
from index.matching import NeedQuery, match_need
from index.pg_responder_index import ConnectionPool, PgResponderIndex
from tests.support import MATCHING, case_body, need_of

pytestmark = pytest.mark.slow  # an embedded PostgreSQL and the encoder

NARRATIVE = ("Houston. She was trafficked by her husband, who kept her passport. She wants a divorce "
             "and custody of her two children, and a T visa. Her employer never paid her wages.")


def _database(embedded_postgres: Any, tmp_path: Path, pipeline: Any) -> sessionmaker[Session]:
    """A migrated service database on the embedded server, holding the judged set's responders."""
    url = embedded_postgres.create_database(f"service_{uuid.uuid4().hex[:8]}")
    sessions = open_database(url, tmp_path / "var")
    upsert_responders(sessions, read_profiles(MATCHING / "responders.jsonl"),
                      lambda texts: [result.scores for result in pipeline.classify_batch(texts)])
    return sessions


def _directory(sessions: sessionmaker[Session], pipeline: Any, data_dir: Path,
               storage: ResponderStorage) -> ResponderDirectory:
    return ResponderDirectory(sessions, pipeline, kept_encodings(sessions, pipeline.document_encoder),
                              data_dir, storage=storage)


def _judged_needs(pipeline: Any, count: int) -> list[NeedQuery]:
    """The judged set's first needs, one query per predicted category (as a case's needs are)."""
    rows = [json.loads(line) for line in (MATCHING / "needs.jsonl").open()][:count]
    encoded = pipeline.document_encoder.encode_batch([row["text"] for row in rows])
    classified = pipeline.classifier.classify_encoded(encoded, [row["text"] for row in rows])
    queries = []
    for row, item, result in zip(rows, encoded, classified, strict=True):
        languages = tuple(row.get("survivor_languages") or [row["language"]])
        for category in result.labels or NeedQuery(item, result.scores, [], "", ()).categories():
            queries.append(need_query(item, result.scores, category, row["jurisdiction"], languages))
    return queries


def test_two_processes_share_one_table_and_match_as_faiss_does(
        embedded_postgres: Any, shipped_pipeline: Any, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    sessions = _database(embedded_postgres, tmp_path, shipped_pipeline)
    with caplog.at_level(logging.INFO, logger="needmatch.service"):
        first_storage = choose_responder_storage(sessions)
    assert first_storage.backend == "pgvector"
    assert "responder index backend: pgvector" in caplog.messages
    assert first_storage.pool is not None
    # Another process: its own connections, its own lock, its own data directory.
    second_storage = ResponderStorage("pgvector", ConnectionPool(first_storage.pool.url))
    first = _directory(sessions, shipped_pipeline, tmp_path / "first", first_storage)
    second = _directory(sessions, shipped_pipeline, tmp_path / "second", second_storage)
    with sessions() as session:
        identifiers = set(session.scalars(select(Responder.id)))

    # Both start on an empty table at once: one writes, the other finds it written.
    indexes: list[Any] = []
    threads = [threading.Thread(target=lambda d=d: indexes.append(d.index())) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(indexes) == 2 and all(isinstance(index, PgResponderIndex) for index in indexes)
    keys = indexes[0].keys()
    assert set(keys) == identifiers and len(set(keys.values())) == len(identifiers)
    assert indexes[1].keys() == keys and len(indexes[1]) == len(identifiers)
    # Nothing held or saved per process on this path.
    assert not (tmp_path / "first" / "index").exists() and not (tmp_path / "second" / "index").exists()

    # A change seen by one process is applied once and read by both, under the same key.
    with sessions.begin() as session:
        session.get(Responder, "r-001").capacity = 0  # type: ignore[union-attr]
        session.execute(delete(Responder).where(Responder.id == "r-002"))
    index = second.index()
    assert isinstance(index, PgResponderIndex) and index.stale("responders") == ([], [])
    reread = first.index()
    assert isinstance(reread, PgResponderIndex)
    assert set(reread.keys()) == identifiers - {"r-002"} and reread.keys()["r-001"] == keys["r-001"]
    entry, _ = reread.details([keys["r-001"]])[keys["r-001"]]
    assert entry.capacity == 0

    # The same suggestions (ids, scores, explanations) as the in-process FAISS index.
    files = _directory(sessions, shipped_pipeline, tmp_path / "files", ResponderStorage("faiss"))
    faiss_index, shared = files.index(), first.index()
    compared = 0
    for need in _judged_needs(shipped_pipeline, 30):
        expected = [(s.responder_id, s.score, s.explanation) for s in match_need(faiss_index, need, 5)]
        assert [(s.responder_id, s.score, s.explanation) for s in match_need(shared, need, 5)] == expected
        compared += bool(expected)
    assert compared >= 20
    second_storage.pool.close()  # type: ignore[union-attr]


def test_the_service_on_postgresql_with_pgvector_matches_there(
        embedded_postgres: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from api.http.app import create_app
    from api.settings import Settings

    url = embedded_postgres.create_database(f"app_{uuid.uuid4().hex[:8]}")
    settings = Settings(data_dir=tmp_path / "var", database_url=url)
    with caplog.at_level(logging.INFO, logger="needmatch.service"), \
            TestClient(create_app(settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        assert "responder index backend: pgvector" in caplog.messages
        upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
        ready = client.get("/readyz").json()
        assert ready["ready"] and ready["responder_backend"] == "pgvector"
        key = create_user(services.sessions, "Shelter", "poster")[1]
        published = client.post("/v1/cases", headers={"Authorization": f"Bearer {key}"},
                                json=case_body(NARRATIVE, categories=["immigration_relief", "family_law"]))
        assert published.status_code == 201, published.text
        immigration = need_of(published.json(), "immigration_relief")
        assert immigration["suggestions"]
        # The same suggestions as the in-process FAISS index over the same database.
        model = services.model
        files = ServingModel.build(services.sessions, model.pipeline, model.redactor, tmp_path / "files",
                                   storage=ResponderStorage("faiss"))
        with services.sessions() as session:
            case = session.get(Case, published.json()["id"])
            assert case is not None
            needs = needs_of(session, [case.id])[case.id]
        expected = case_suggestions(files, case, needs, 5)
        for need in published.json()["needs"]:
            assert [(s["responder_id"], s["score"]) for s in need["suggestions"]] == \
                [(s.responder_id, s.score) for s in expected[need["id"]]]
