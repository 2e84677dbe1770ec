"""needs import, match and search through the command line, on a small judged set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.matching import COVERAGE_MARGIN
from tests.support import run_cli as run

MATCHING = Path(__file__).resolve().parents[2] / "training" / "data" / "matching"




@pytest.fixture
def loaded(capsys, monkeypatch, tmp_path: Path, database_url: str) -> Path:  # type: ignore[no-untyped-def]
    """Responders of the judged set loaded, on SQLite and on PostgreSQL."""
    data_dir = tmp_path / "var"
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEEDMATCH_DATABASE_URL", database_url)
    status, _, _ = run(["responders", "import", str(MATCHING / "responders.jsonl")], capsys, monkeypatch)
    assert status == 0
    return data_dir


def _needs(count: int) -> list[dict]:
    return [json.loads(line) for line in (MATCHING / "needs.jsonl").read_text().splitlines()[:count]]


def test_match_jsonl_contract_filters_and_explanations(loaded, capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    needs = _needs(4)
    path = write_jsonl([{k: n[k] for k in ("id", "text", "jurisdiction", "language")} for n in needs])
    status, out, _ = run(["match", "--jsonl", str(path), "--k", "3"], capsys, monkeypatch)
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["id"] for row in rows] == [n["id"] for n in needs]
    responders = {json.loads(line)["id"]: json.loads(line)
                  for line in (MATCHING / "responders.jsonl").read_text().splitlines()}
    for row, need in zip(rows, needs, strict=True):
        assert 1 <= len(row["suggestions"]) <= 3
        scores = [s["score"] for s in row["suggestions"]]
        # Score order, except that help for a not-yet-covered need may step ahead of a
        # responder at most COVERAGE_MARGIN better.
        assert all(earlier >= later - COVERAGE_MARGIN
                   for position, earlier in enumerate(scores) for later in scores[position:])
        for suggestion in row["suggestions"]:
            responder = responders[suggestion["responder_id"]]
            explanation = suggestion["explanation"]
            assert responder["capacity"] > 0
            assert explanation["categories_in_common"]
            assert set(explanation["score_parts"]) == {"semantic", "category", "fit"}
            assert abs(sum(explanation["score_parts"].values()) - suggestion["score"]) < 1e-3
            sentence = explanation["need_sentence"]
            assert sentence["text"] and sentence["end"] > sentence["start"]
            assert need["language"] in responder["languages"] or "interpreter" in explanation["language"]
    # The first need's judged ideal responders lead its list.
    qrels = {json.loads(line)["need_id"]: json.loads(line)["relevance"]
             for line in (MATCHING / "qrels.jsonl").read_text().splitlines()}
    assert qrels[needs[0]["id"]].get(rows[0]["suggestions"][0]["responder_id"]) == 2


def test_match_from_stdin_and_its_errors(loaded, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    narrative = b"She wants a divorce and custody of her two kids; her husband trafficked her."
    status, out, _ = run(["match", "--jurisdiction", "US-TX", "--language", "en"], capsys,
                         monkeypatch, narrative)
    assert status == 0
    row = json.loads(out)
    assert row["id"] == "stdin" and row["suggestions"]
    assert all("family_law" in s["explanation"]["categories_in_common"] for s in row["suggestions"])
    status, _, err = run(["match"], capsys, monkeypatch, narrative)
    assert status == 1 and "--jurisdiction" in err
    status, _, err = run(["match", "--jurisdiction", "Texas", "--language", "en"], capsys,
                         monkeypatch, narrative)
    assert status == 1 and "ISO 3166" in err


def test_needs_import_then_search(loaded, capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(["needs", "import", str(MATCHING / "needs.jsonl")], capsys, monkeypatch)
    assert status == 0 and "60 new" in out
    queries = write_jsonl([{"id": "q1", "query": "T visa Houston"},
                           {"id": "q2", "query": "vacatur petitions NY"}])
    status, out, err = run(["search", "--jsonl", str(queries), "--k", "5"], capsys, monkeypatch)
    assert status == 0, err
    rows = {json.loads(line)["id"]: json.loads(line) for line in out.splitlines()}
    needs = {n["id"]: n for n in _needs(60)}
    # Each imported row is a case; search answers with its needs (one per category).
    top_houston = rows["q1"]["results"][0]
    assert needs[top_houston["case_id"]]["jurisdiction"] == "US-TX" == top_houston["jurisdiction"]
    assert top_houston["category"] == "immigration_relief"
    assert any(r["category"] == "criminal_record_relief"
               and needs[r["case_id"]]["jurisdiction"] == "US-NY" for r in rows["q2"]["results"][:3])
    assert all("**" in r["snippet"] or r["snippet"] for r in rows["q2"]["results"])
    status, out, _ = run(["search", "custody help in Chicago", "--k", "3"], capsys, monkeypatch)
    assert status == 0 and len(json.loads(out)["results"]) == 3
    status, _, err = run(["search"], capsys, monkeypatch)
    assert status == 1 and "give a query" in err


def test_needs_import_refuses_a_bad_file_whole(loaded, capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([{"id": "a", "text": "needs a divorce", "jurisdiction": "US-TX", "language": "en"},
                        {"id": "b", "text": "x", "jurisdiction": "Texas", "language": "en"}])
    status, _, err = run(["needs", "import", str(path)], capsys, monkeypatch)
    assert status == 1 and f"{path}:2" in err and "jurisdiction" in err
    status, out, _ = run(["search", "divorce", "--k", "3"], capsys, monkeypatch)
    assert json.loads(out)["results"] == []


def test_index_follows_the_database_without_rebuild(loaded, capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    narrative = b"Unpaid wages at a restaurant for two years."
    argv = ["match", "--jurisdiction", "US-TX", "--language", "en", "--k", "20"]
    run(argv, capsys, monkeypatch, narrative)
    log = loaded / "logs" / "needmatch.log"
    assert "responder index built: 90 responders" in log.read_text()
    newcomer = {"id": "r-new", "name": "New Wage Clinic", "expertise": "We recover unpaid wages.",
                "categories": ["wage_claims"], "jurisdictions": ["US-TX"], "languages": ["en"],
                "capacity": 4}
    run(["responders", "import", str(write_jsonl([newcomer], "new.jsonl"))], capsys, monkeypatch)
    status, out, _ = run(argv, capsys, monkeypatch, narrative)
    assert "r-new" in [s["responder_id"] for s in json.loads(out)["suggestions"]]
    assert "responder index updated: 1 changed, 0 removed" in log.read_text()
    assert log.read_text().count("responder index built") == 1
    full = {**newcomer, "capacity": 0}
    run(["responders", "import", str(write_jsonl([full], "full.jsonl"))], capsys, monkeypatch)
    status, out, _ = run(argv, capsys, monkeypatch, narrative)
    assert "r-new" not in [s["responder_id"] for s in json.loads(out)["suggestions"]]
    assert log.read_text().count("responder index built") == 1
