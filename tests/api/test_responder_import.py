"""Responder import: validation with line numbers, all-or-nothing upsert, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from api.services.responders import ResponderProfile, list_responders, read_profiles, upsert_responders
from api.storage.database import database_url as resolve_url
from api.storage.database import make_engine, migrate
from training.datasets import DatasetError


def profile(identifier: str, **changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": identifier, "name": f"Responder {identifier}", "organization": "Clinic",
        "expertise": "We file T visas and U visas for survivors.", "categories": ["immigration_relief"],
        "jurisdictions": ["US-TX", "US"], "languages": ["en", "es"], "capacity": 3,
    }
    base.update(changes)
    return base


def test_upsert_creates_then_updates_and_keeps_ids(sessions, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([profile("r-1"), profile("r-2", capacity=0)])
    assert upsert_responders(sessions, read_profiles(path)) == (2, 0)
    changed = write_jsonl([profile("r-2", capacity=5, languages=["fr"])], "second.jsonl")
    fake_inference = lambda texts: [{"immigration_relief": 0.9} for _ in texts]  # noqa: E731
    assert upsert_responders(sessions, read_profiles(changed), fake_inference) == (0, 1)
    stored = {row.id: row for row in list_responders(sessions)}
    assert sorted(stored) == ["r-1", "r-2"]
    assert stored["r-2"].capacity == 5 and stored["r-2"].languages == ["fr"]
    assert stored["r-2"].inferred_categories == {"immigration_relief": 0.9}
    assert stored["r-1"].profile()["categories"] == ["immigration_relief"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (profile("r-9", jurisdictions=["Texas"]), "ISO 3166"),
        (profile("r-9", languages=["spanish"]), "ISO 639-1"),
        (profile("r-9", categories=["tax_law"]), "unknown categories"),
        (profile("r-9", capacity=-1), "capacity"),
        (profile("r-9", expertise=""), "expertise"),
        ({"id": "r-9"}, "name"),
        (profile("r-1"), "repeats line 1"),
        ("{not json", "malformed JSON"),
    ],
)
def test_a_bad_line_writes_nothing(sessions, write_jsonl, bad: object, message: str) -> None:  # type: ignore[no-untyped-def]
    good = write_jsonl([profile("r-1")], "good.jsonl")
    upsert_responders(sessions, read_profiles(good))
    path = write_jsonl([profile("r-1", capacity=9), profile("r-5"), bad])
    with pytest.raises(DatasetError, match=message) as error:
        upsert_responders(sessions, read_profiles(path))
    assert f"{path}:3" in str(error.value)
    rows = list_responders(sessions)
    assert [row.id for row in rows] == ["r-1"] and rows[0].capacity == 3


def test_csv_with_the_same_columns(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "responders.csv"
    path.write_text(
        "id,name,organization,expertise,categories,jurisdictions,languages,capacity\n"
        'r-c1,Ana Legal,Clinic,"Vacatur and sealing, NY",criminal_record_relief,US-NY,en;es,2\n'
        'r-c2,Bo Law,,Wage claims,"[""wage_claims""]",US-CA;US,en,0\n'
    )
    profiles = read_profiles(path)
    assert [p.languages for p in profiles] == [["en", "es"], ["en"]]
    assert profiles[1].categories == ["wage_claims"] and profiles[1].organization == ""
    upsert_responders(sessions, profiles)
    assert [row.id for row in list_responders(sessions)] == ["r-c1", "r-c2"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,expertise,jurisdictions,languages,capacity\nr-x,X,E,US-TX,en,many\n")
    with pytest.raises(DatasetError, match=r"bad.csv:2: capacity"):
        read_profiles(bad)


def test_migration_is_idempotent_and_complete(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"responders", "cases", "needs", "offers", "users", "organizations", "case_labels",
            "categories", "case_classifications", "text_embeddings", "retrain_jobs", "invitations",
            "case_access"} <= tables
    engine.dispose()


def test_database_url_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    assert resolve_url("", tmp_path) == f"sqlite:///{(tmp_path / 'needmatch.db').resolve()}"
    assert resolve_url("postgresql://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"


def test_profile_ignores_unknown_keys() -> None:
    parsed = ResponderProfile.model_validate({**profile("r-1"), "twitter": "@x"})
    assert "twitter" not in parsed.model_dump()
    assert json.loads(parsed.model_dump_json())["id"] == "r-1"
