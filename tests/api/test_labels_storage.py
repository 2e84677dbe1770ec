"""Labels, added categories, kept encodings and retrain jobs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.services.cases import EXAMPLE_STATUS
from api.services.categories import add_category, category_ids
from api.services.errors import CategoryExists, InvalidCategory, RetrainRunning
from api.services.labels import (
    category_list,
    export_labels,
    import_labels,
    labelled_rows,
    set_labels,
)
from api.services.models import ModelRegistry
from api.services.retraining import Retrainer
from api.storage.embedding_store import DatabaseEmbeddingStore
from api.storage.tables import Case
from nlp.embedding_cache import StoredEncoding
from nlp.redact import Redactor
from training.datasets import DatasetError

NARRATIVE = ("Maria Guadalupe Soto (phone 713-555-0164) was trafficked by her husband Carlos Mejia. "
             "The IRS says she owes taxes on returns he filed in her name.")


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def test_kept_encodings_round_trip_and_are_forgotten(sessions) -> None:  # type: ignore[no-untyped-def]
    store = DatabaseEmbeddingStore(sessions)
    one = StoredEncoding([[0, 5], [6, 12]], b"\x00\x01" * 8)
    store.put_many({"k1": one})
    store.put_many({"k1": StoredEncoding([[0, 1]], b"\x02" * 4), "k2": one})  # k1 is kept as it was
    found = store.get_many(["k1", "k2", "k3"])
    assert set(found) == {"k1", "k2"} and found["k1"] == one
    store.forget(["k1"])
    assert set(store.get_many(["k1", "k2"])) == {"k2"}


def test_import_is_all_or_nothing_redacts_and_keeps_history(sessions, redactor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        add_category(session, "tax_relief", "Tax problems", "Taxes owed because of the trafficker.", None)
        with pytest.raises(CategoryExists):
            add_category(session, "family_law", "Again", "Exists in the taxonomy.", None)
        with pytest.raises(InvalidCategory):
            add_category(session, "Bad Id", "x", "y", None)
    good = {"id": "ex-1", "text": NARRATIVE, "labels": ["tax_relief", "family_law"]}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(good) + "\n" + '{"id": "ex-2", "labels": "tax_relief"}\n')
    with pytest.raises(DatasetError, match="bad.jsonl:2"):
        import_labels(sessions, bad, redactor)
    with sessions() as session:
        assert session.get(Case, "ex-1") is None
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(good) + "\n")
    counts = import_labels(sessions, path, redactor)
    assert (counts.rows, counts.examples_created) == (1, 1)
    with sessions() as session:
        need = session.get(Case, "ex-1")
        assert need is not None and need.status == EXAMPLE_STATUS
        assert "Maria" not in need.text and "713-555-0164" not in need.text and "IRS" in need.text
        known = category_ids(session)
    # Fully labelled: every other known category was recorded as not applying.
    current, history = set_labels(sessions, "ex-1", ["housing"], ["tax_relief"], None)
    assert current["housing"] is True and current["tax_relief"] is False
    assert history == len(known) + 2  # two corrections on top of the import
    with sessions() as session:
        rows = labelled_rows(session)
        exported = list(export_labels(session))
        statuses = {row["id"]: row["status"] for row in category_list(session, ["family_law"], 1)}
    assert rows[0].labels == ("family_law", "housing") and "tax_relief" in (rows[0].negatives or ())
    assert exported[0]["history"][-1] == {**exported[0]["history"][-1], "category": "tax_relief",
                                          "applies": False}
    assert statuses["family_law"] == "live" and statuses["tax_relief"].startswith("collecting")


def test_one_retrain_job_at_a_time(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    retrainer = Retrainer(sessions, ModelRegistry(tmp_path / "models"))
    retrainer.create_job(None, None, "v-live")
    with pytest.raises(RetrainRunning, match="still running"):
        retrainer.create_job(None, "a reason", "v-live")
