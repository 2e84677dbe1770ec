"""One list of the shipped classifier's training files, read by make model and retraining alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from training.shipped import DATA, SHIPPED_TRAINING

ROOT = Path(__file__).resolve().parents[2]


def test_the_list_runs_postings_then_each_folder_in_order() -> None:
    parts = [path.relative_to(DATA).parts for path in SHIPPED_TRAINING]
    groups = ["top" if len(part) == 1 else part[0] for part in parts]
    assert groups[0] == "top" and groups[-1] == "multilingual_more"
    assert groups == sorted(groups, key=["top", "multilingual", "multilingual_more"].index)
    assert all(part[-1].startswith("postings_") for part in parts if len(part) == 1)
    assert "eval_multilingual.jsonl" not in {path.name for path in SHIPPED_TRAINING}


def test_make_model_trains_on_the_same_list() -> None:
    printed = subprocess.run([sys.executable, "-m", "training.shipped"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    assert [ROOT / path for path in printed] == list(SHIPPED_TRAINING)
    dry_run = subprocess.run(["make", "-n", "model"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout
    train = next(line for line in dry_run.splitlines() if "needmatch train" in line)
    assert [word for word in train.split() if word.endswith(".jsonl")] == printed
