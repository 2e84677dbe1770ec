"""Helpers shared by the tests: a free port, waiting for a server, running the command line."""

from __future__ import annotations

import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.benchmarks.server import free_port as free_port  # one helper for tests and benchmarks
from api.cli.main import main

REPOSITORY = Path(__file__).resolve().parent.parent
# The console script installed beside this interpreter (the subprocess tests run it).
NEEDMATCH = str(Path(sys.executable).parent / "needmatch")
MATCHING = REPOSITORY / "training" / "data" / "matching"


def wait_until_ready(base: str, path: str = "/readyz", seconds: float = 180) -> bool:
    """Poll base+path until it answers 200 (True), or give up after `seconds` (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + path, timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            stdin: bytes = b"") -> tuple[int, str, str]:
    """Run `needmatch argv` in this process with stdin; returns (status, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def consent(days: int = 90) -> dict[str, object]:
    """A survivor's written consent, obtained today, ending in `days` days."""
    today = date.today()
    return {"written": True, "obtained_on": today.isoformat(),
            "expires_on": (today + timedelta(days=days)).isoformat(),
            "scope": "de-identified summary, shared with the network's responders"}


def case_body(text: str, jurisdiction: str = "US-TX", language: str | None = "en",
              **extra: object) -> dict[str, object]:
    """A POST /v1/cases body with a valid consent."""
    body: dict[str, object] = {"text": text, "jurisdiction": jurisdiction, "consent": consent()}
    if language is not None:
        body["language"] = language
    return {**body, **extra}


def need_of(case: dict[str, Any], category: str) -> dict[str, Any]:
    """The need of a case (a POST or GET /v1/cases answer) for a category."""
    found = [need for need in case["needs"] if need["category"] == category]
    assert found, f"no {category} need in {[need['category'] for need in case['needs']]}"
    return found[0]
