"""How long `needmatch serve` takes to answer /healthz (the process is up) and /readyz (models
loaded, database and responder index usable), from the command being started."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api.benchmarks.server import EXECUTABLE, free_port


def _first_200(base: str, path: str, process: subprocess.Popen[bytes], started: float) -> float:
    while process.poll() is None:
        try:
            if httpx.get(base + path, timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError("the server stopped before it answered")


def run(repeats: int = 3) -> dict[str, Any]:
    """Start the server `repeats` times on a fresh data directory (the first start creates the
    database and the responder index, later ones find them)."""
    healthz, readyz = [], []
    with tempfile.TemporaryDirectory(prefix="needmatch-startup-") as folder:
        environment = {**os.environ, "NEEDMATCH_DATA_DIR": str(Path(folder) / "var")}
        for _ in range(repeats):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            process = subprocess.Popen([EXECUTABLE, "serve", "--port", str(port)], env=environment,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                healthz.append(_first_200(base, "/healthz", process, started))
                readyz.append(_first_200(base, "/readyz", process, started))
            finally:
                process.terminate()
                process.wait(timeout=60)
    return {"healthz": healthz, "readyz": readyz}


def format_startup(result: dict[str, Any]) -> str:
    """Median and every run."""
    return "\n".join(
        f"{name}: median {statistics.median(times):.1f} s (runs: "
        + ", ".join(f"{value:.1f}" for value in times) + ")"
        for name, times in result.items())
