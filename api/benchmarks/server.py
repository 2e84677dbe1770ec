"""A real `needmatch serve` on loopback with the judged responders and benchmark accounts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx

TRAINING = Path(str(files("training")))
NARRATIVE = (TRAINING / "examples" / "narrative.txt").read_text()
EXECUTABLE = str(Path(sys.executable).parent / "needmatch")


def case_body(text: str, jurisdiction: str = "US-TX", language: str = "en") -> dict[str, Any]:
    """A POST /v1/cases body with a consent valid for a year from today."""
    today = date.today()
    return {"text": text, "jurisdiction": jurisdiction, "language": language,
            "consent": {"written": True, "obtained_on": today.isoformat(),
                        "expires_on": (today + timedelta(days=365)).isoformat(),
                        "scope": "de-identified summary, shared with the network's responders"}}


def free_port() -> int:
    """A TCP port on the loopback interface that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class RunningServer:
    """Where the server answers, its process, data directory and the keys made for it."""

    base: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    poster_key: str
    responder_key: str


@contextmanager
def benchmark_server() -> Iterator[RunningServer]:
    """Serve a fresh data directory (rate limit lifted) until the block ends."""
    with tempfile.TemporaryDirectory(prefix="needmatch-bench-") as folder:
        data_dir = Path(folder) / "var"
        environment = {**os.environ, "NEEDMATCH_DATA_DIR": str(data_dir),
                       "NEEDMATCH_RATE_LIMIT_PER_MINUTE": "1000000"}

        def cli(*arguments: str) -> str:
            return subprocess.run([EXECUTABLE, *arguments], env=environment, capture_output=True,
                                  text=True, check=True, timeout=600).stdout

        cli("responders", "import", str(TRAINING / "data" / "matching" / "responders.jsonl"))
        poster = cli("users", "create", "--org", "Bench", "--role", "poster").strip().splitlines()[-1]
        responder = cli("users", "create", "--org", "Bench Clinic", "--role", "responder",
                        "--responder-id", "r-001").strip().splitlines()[-1]
        port = free_port()
        process = subprocess.Popen([EXECUTABLE, "serve", "--port", str(port)], env=environment,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the benchmark server did not become ready")
                time.sleep(0.2)
            yield RunningServer(base, process, data_dir, poster, responder)
        finally:
            process.terminate()
            process.wait(timeout=60)
