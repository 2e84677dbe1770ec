"""Helpers shared by the tests: a free port, waiting for a server, running the command line."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

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
