"""NEEDMATCH_RETRAIN_FILES: the labelled files a retrain trains on instead of the shipped postings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.bootstrap import configured_retrainer, open_sessions
from api.cli.main import main
from api.services.models import ModelRegistry
from api.settings import Settings
from training.shipped import SHIPPED_TRAINING


def test_without_the_setting_a_retrain_trains_on_the_shipped_postings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    assert settings.retrain_training_files is None
    retrainer = configured_retrainer(settings, open_sessions(settings), ModelRegistry(tmp_path / "m"))
    assert list(retrainer.sources.training_files) == list(SHIPPED_TRAINING)


def test_the_files_named_are_the_training_files_in_their_order(tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    for path in (first, second):
        path.write_text("")
    settings = Settings(data_dir=tmp_path / "var", retrain_files=f" {second} ,{first},")
    retrainer = configured_retrainer(settings, open_sessions(settings), ModelRegistry(tmp_path / "m"))
    assert list(retrainer.sources.training_files) == [second, first]


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    present, missing = tmp_path / "present.jsonl", tmp_path / "missing.jsonl"
    present.write_text("")
    with pytest.raises(ValidationError, match="missing.jsonl"):
        Settings(retrain_files=f"{present},{missing}")
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("NEEDMATCH_RETRAIN_FILES", str(missing))
    assert main(["retrain"]) == 1
    error = capsys.readouterr().err
    assert "NEEDMATCH_RETRAIN_FILES names no file at" in error and str(missing) in error
