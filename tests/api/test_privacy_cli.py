"""Nothing identifying is written to the data directory or the logs, on success or on error."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support import NEEDMATCH

pytestmark = pytest.mark.slow  # subprocess commands

REPOSITORY = Path(__file__).resolve().parents[2]
GOLD = REPOSITORY / "training" / "data" / "pii_eval.jsonl"


def _gold_rows(count: int = 12) -> list[dict]:
    """The first gold narratives that carry several kinds of identifying detail."""
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    rich = [row for row in rows if len({item["type"] for item in row["must_remove"]}) >= 3]
    return rich[:count]


ROWS = _gold_rows()
SECRETS = sorted({item["text"] for row in ROWS for item in row["must_remove"]
                  if len(item["text"]) >= 4})


def _run(arguments: list[str], data_dir: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    environment = {**os.environ, "NEEDMATCH_DATA_DIR": str(data_dir)}
    return subprocess.run([NEEDMATCH, *arguments], input=stdin, capture_output=True,
                          env=environment, timeout=300, cwd=data_dir.parent)


def _leaks(data_dir: Path, *streams: bytes) -> list[str]:
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace")
            found += [f"{path.name}: {secret}" for secret in SECRETS if secret in content]
    for stream in streams:
        text = stream.decode("utf-8", "replace")
        found += [f"stream: {secret}" for secret in SECRETS if secret in text]
    return found


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("privacy") / "var"


def test_gold_rows_are_rich_enough() -> None:
    assert len(ROWS) == 12 and len(SECRETS) > 40


def test_every_cli_entry_point_keeps_identifying_details_out(data_dir: Path, tmp_path: Path) -> None:
    narrative = ROWS[0]["text"].encode()
    jsonl = tmp_path / "narratives.jsonl"
    jsonl.write_text("".join(json.dumps({"id": row["id"], "text": row["text"]}) + "\n"
                             for row in ROWS))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "ok", "text": ROWS[1]["text"]}) + "\n"
                      + ROWS[2]["text"][:200] + "\n")
    unknown_label = tmp_path / "unknown.jsonl"
    unknown_label.write_text(json.dumps({"text": ROWS[3]["text"], "labels": ["no_such"]}) + "\n")

    needs = tmp_path / "needs.jsonl"
    needs.write_text("".join(json.dumps({"id": row["id"], "text": row["text"],
                                         "jurisdiction": "US-TX", "language": "en"}) + "\n"
                             for row in ROWS))
    responders = REPOSITORY / "training" / "data" / "matching" / "responders.jsonl"
    assert _run(["responders", "import", str(responders)], data_dir).returncode == 0
    stored = _run(["needs", "import", str(needs)], data_dir)
    assert stored.returncode == 0
    matched = _run(["match", "--jsonl", str(needs)], data_dir)
    assert matched.returncode == 0 and b"suggestions" in matched.stdout
    searched = _run(["search", ROWS[0]["text"][:300]], data_dir)
    assert searched.returncode == 0
    redacted = _run(["redact"], data_dir, narrative)
    assert redacted.returncode == 0
    redacted_batch = _run(["redact", "--jsonl", str(jsonl)], data_dir)
    assert redacted_batch.returncode == 0
    classified = _run(["classify", "--jsonl", str(jsonl)], data_dir)
    assert classified.returncode == 0
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"id": f"label-{row['id']}", "text": row["text"],
                                          "labels": ["family_law"]}) + "\n" for row in ROWS))
    labelled = _run(["labels", "import", str(labels)], data_dir)
    assert labelled.returncode == 0 and b"12 new labelled examples" in labelled.stdout
    exported = _run(["labels", "export"], data_dir)
    assert exported.returncode == 0 and exported.stdout.count(b"\n") == 12
    suggested = _run(["labels", "suggest", "--k", "5"], data_dir)
    assert suggested.returncode == 0 and suggested.stdout.count(b"\n") == 5
    reclassified = _run(["needs", "reclassify"], data_dir)
    assert reclassified.returncode == 0
    unknown_category = tmp_path / "unknown_category.jsonl"
    unknown_category.write_text(json.dumps({"id": "x", "text": ROWS[4]["text"],
                                            "labels": ["space_law"]}) + "\n")
    errors = [
        _run(["labels", "import", str(broken)], data_dir),
        _run(["labels", "import", str(unknown_category)], data_dir),
        _run(["redact", "--jsonl", str(broken)], data_dir),
        _run(["classify", "--jsonl", str(broken)], data_dir),
        _run(["evaluate", "--data", str(unknown_label)], data_dir),
        _run(["classify"], data_dir, narrative * 400),  # too long
        _run(["redact"], data_dir, narrative + b"\x00"),  # binary
        _run(["needs", "import", str(broken)], data_dir),
        _run(["match", "--jurisdiction", "Texas", "--language", "en"], data_dir, narrative),
    ]
    assert all(result.returncode == 1 for result in errors)
    assert all(b"Traceback" not in result.stderr for result in errors)

    log_file = data_dir / "logs" / "needmatch.log"
    assert log_file.is_file() and "redacted 12 narratives" in log_file.read_text()
    # The redactor's output goes back to the advocate: it must hold no identifying detail.
    assert _leaks(data_dir, redacted.stdout, redacted_batch.stdout, matched.stdout,
                  searched.stdout, exported.stdout, suggested.stdout) == []
    assert (data_dir / "needmatch.db").is_file() and (data_dir / "index").is_dir()
    # Error messages and logs never quote the narrative.
    assert _leaks(data_dir, *[result.stderr for result in errors], redacted.stderr,
                  classified.stderr, stored.stderr, matched.stderr, searched.stderr,
                  labelled.stderr, exported.stderr, suggested.stderr, reclassified.stderr) == []


def test_leak_scanner_finds_a_planted_secret(data_dir: Path) -> None:
    planted = data_dir / "planted.txt"
    planted.write_text(f"oops {SECRETS[0]}")
    try:
        assert _leaks(data_dir) == [f"planted.txt: {SECRETS[0]}"]
    finally:
        planted.unlink()
