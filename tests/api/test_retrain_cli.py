"""The retraining commands: categories, labels (all-or-nothing import), retrain, models."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import api.services.retraining
from api.cli.main import main
from api.services.errors import RetrainRunning
from api.services.models import SHIPPED_MODELS, ModelRegistry
from api.services.retraining import Retrainer
from api.storage.database import open_database
from api.storage.tables import CaseLabel, RetrainJob

pytestmark = pytest.mark.slow  # retraining

DATA = Path(__file__).resolve().parents[2] / "training" / "data"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory, and a small training set (NEEDMATCH_RETRAIN_FILES) so that a retrain
    takes seconds."""
    small = tmp_path / "small.jsonl"
    small.write_text("".join(line + "\n" for line in
                             (DATA / "postings_en.jsonl").read_text().splitlines()[:200]))
    held_out = tmp_path / "held_out.jsonl"
    held_out.write_text("".join(line + "\n" for line in
                                (DATA / "eval_multilingual.jsonl").read_text().splitlines()[:60]))
    monkeypatch.setenv("NEEDMATCH_RETRAIN_FILES", str(small))
    monkeypatch.setattr(api.services.retraining, "HELD_OUT_FILE", held_out)
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def _labels_in_database(data_dir: Path) -> int:
    with open_database("", data_dir)() as session:
        return session.query(CaseLabel).count()


def test_categories_labels_retrain_and_models(data_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["categories", "add", "tax_relief", "--label", "Tax problems",
                 "--description", "Taxes owed because of the trafficker."]) == 0
    assert main(["categories", "add", "tax_relief", "--label", "Again", "--description", "x"]) == 1
    assert "exists already" in capsys.readouterr().err

    # A bad line anywhere: nothing is stored, and the message names the line without its text.
    rows = [json.loads(line) for line in (DATA / "labels_new_category_tax_relief.jsonl").open()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rows[0]) + "\n" + json.dumps({**rows[1], "labels": ["space_law"]}) + "\n")
    assert main(["labels", "import", str(bad)]) == 1
    error = capsys.readouterr().err
    assert "bad.jsonl:2" in error and "space_law" in error and rows[1]["text"][:30] not in error
    orphan = tmp_path / "orphan.jsonl"
    orphan.write_text(json.dumps({"id": "need-unknown", "labels": ["housing"]}) + "\n")
    assert main(["labels", "import", str(orphan)]) == 1
    assert "no stored posting 'need-unknown'" in capsys.readouterr().err
    assert _labels_in_database(data_dir) == 0

    assert main(["labels", "import", str(DATA / "labels_new_category_tax_relief.jsonl")]) == 0
    assert "80 new labelled examples" in capsys.readouterr().out
    assert main(["categories", "list"]) == 0
    listed = {row["id"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert listed["tax_relief"]["status"] == "ready: learned at the next retrain"
    assert listed["family_law"]["status"] == "live"

    assert main(["retrain"]) == 0
    printed = capsys.readouterr().out
    assert "tax_relief" in printed and "refused:" in printed  # 200 postings cannot beat the shipped model
    assert "training rows: shipped_training 200," in printed  # NEEDMATCH_RETRAIN_FILES was read
    registry = ModelRegistry(data_dir / "models" / "classifier")
    shipped = json.loads((SHIPPED_MODELS / "live.json").read_text())["version"]
    assert registry.live_version() == shipped
    assert main(["models", "list"]) == 0
    versions = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    refused = next(v for v in versions if v["gate"] is not None)
    assert refused["gate"]["passed"] is False and "tax_relief" in refused["labels"]

    assert main(["models", "promote", refused["version"]]) == 1
    assert "give a reason" in capsys.readouterr().err
    assert main(["models", "promote", refused["version"], "--reason", "trying it"]) == 0
    assert registry.live_version() == refused["version"]
    assert main(["needs", "reclassify"]) == 0
    assert main(["models", "rollback"]) == 0 and registry.live_version() == shipped
    assert main(["models", "rollback"]) == 1
    assert "no earlier live version" in capsys.readouterr().err
    assert main(["models", "promote", "v-nothing"]) == 1

    assert main(["labels", "export"]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(exported) == 80 and all(row["history"] for row in exported)


def test_an_abandoned_job_does_not_block_retraining(data_dir: Path) -> None:
    sessions = open_database("", data_dir)
    retrainer = Retrainer(sessions, ModelRegistry(data_dir / "models"))
    with sessions.begin() as session:
        session.add(RetrainJob(status="running", created_at=datetime.now(UTC) - timedelta(hours=3)))
    first = retrainer.create_job(None, None, "v")
    with pytest.raises(RetrainRunning):
        retrainer.create_job(None, None, "v")
    with sessions() as session:
        jobs = {job.id: job for job in session.query(RetrainJob)}
    assert [job.status for job in jobs.values() if job.id != first] == ["failed"]
    assert "abandoned" in next(job.message for job in jobs.values() if job.id != first)


def test_reembed_follows_the_live_models_encoder(data_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["responders", "import", str(DATA / "matching" / "responders.jsonl")]) == 0
    needs = tmp_path / "needs.jsonl"
    needs.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in [
        {"id": "n-1", "text": "Quiere divorciarse de su esposo y la custodia de sus hijos.",
         "jurisdiction": "US-TX", "language": "es", "survivor_languages": ["es", "pt"]},
        {"id": "n-2", "text": "她想申请T签证。", "jurisdiction": "US-NY", "language": "zh"}]))
    assert main(["needs", "import", str(needs)]) == 0
    capsys.readouterr()

    def indexed_with() -> str:
        manifest = json.loads((data_dir / "index" / "responders" / "manifest.json").read_text())
        return str(manifest["encoder"])

    assert main(["needs", "reembed"]) == 0
    assert ("embedded 2 cases and 90 responder profiles with intfloat/multilingual-e5-small"
            in capsys.readouterr().out)
    assert indexed_with() == "intfloat/multilingual-e5-small"
    # A version trained on the English-only encoder: everything is embedded again with it.
    assert main(["models", "promote", "vf6b8de2b7b", "--reason", "the English-only model"]) == 0
    assert main(["needs", "reembed"]) == 0
    assert "sentence-transformers/all-MiniLM-L6-v2" in capsys.readouterr().out
    assert indexed_with() == "sentence-transformers/all-MiniLM-L6-v2"
