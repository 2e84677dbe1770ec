"""Classification speed of this checkout against another one, measured interleaved.

Each checkout's code runs in its own process, loaded once: the other one's from its own folder
(its modules shadow this installation's), with its own live model. The two take turns, one
round of classifications each, so that whatever else the machine does falls on both alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Runs inside each checkout; it uses only what every needmatch checkout has had since
# 2026-12-05 (api.bootstrap.load_pipeline, api.services.models.live_model_directory).
_WORKER = """
import json, sys, time
from api.bootstrap import load_pipeline
from api.services.models import live_model_directory
pipeline = load_pipeline(live_model_directory())
text = open(sys.argv[1], encoding="utf-8").read()
encoder = pipeline.document_encoder.encoder
pipeline.classify(text)
pipeline.classify_batch([text] * 4)
print(json.dumps({"encoder": encoder.name, "precision": getattr(encoder, "precision", "fp32"),
                  "model": pipeline.version}), flush=True)
for line in sys.stdin:
    kind, count = line.split()
    times = []
    for _ in range(int(count)):
        start = time.perf_counter()
        if kind == "one":
            pipeline.classify(text)
        else:
            pipeline.classify_batch([text] * 32)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps(times), flush=True)
"""


class CompareError(RuntimeError):
    """The other checkout could not be run."""


@dataclass
class _Worker:
    label: str
    process: subprocess.Popen[str]
    identity: dict[str, Any]

    @classmethod
    def start(cls, label: str, checkout: Path, narrative: Path) -> _Worker:
        environment = {**os.environ, "PYTHONPATH": str(checkout), "HF_HUB_OFFLINE": "1",
                       "TRANSFORMERS_OFFLINE": "1"}
        process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(narrative.resolve())], cwd=checkout, env=environment,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        identity = _read_json(process, label)
        return cls(label, process, identity)

    def run(self, kind: str, count: int) -> list[float]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{kind} {count}\n")
        self.process.stdin.flush()
        times: list[float] = _read_json(self.process, self.label)
        return times

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _read_json(process: subprocess.Popen[str], label: str) -> Any:
    stdout: IO[str] | None = process.stdout
    line = stdout.readline() if stdout is not None else ""
    if not line:
        error = process.stderr.read() if process.stderr is not None else ""
        last = error.strip().splitlines()[-1] if error.strip() else "no output"
        raise CompareError(f"the {label} checkout's benchmark stopped: {last}")
    return json.loads(line)


def compare(other: Path, narrative: Path, rounds: int = 10, per_round: int = 5) -> dict[str, Any]:
    """Median classify time and batch rate of this checkout and `other`, over interleaved rounds."""
    if not (other / "api" / "bootstrap.py").is_file():
        raise CompareError(f"{other} is not a needmatch checkout (no api/bootstrap.py)")
    here = Path(__file__).resolve().parents[2]
    workers = {"this": _Worker.start("this", here, narrative),
               "other": _Worker.start("other", other.resolve(), narrative)}
    single: dict[str, list[float]] = {name: [] for name in workers}
    batch: dict[str, list[float]] = {name: [] for name in workers}
    try:
        for round_number in range(rounds):
            # Alternate which side goes first, so neither always runs on a warmer machine.
            order = list(workers) if round_number % 2 == 0 else list(reversed(workers))
            for name in order:
                single[name].extend(workers[name].run("one", per_round))
            if round_number % 3 == 0:
                for name in order:
                    batch[name].extend(workers[name].run("batch", 1))
    finally:
        for worker in workers.values():
            worker.stop()
    result: dict[str, Any] = {"rounds": rounds, "per_round": per_round}
    for name, worker in workers.items():
        result[name] = {**worker.identity, "classify_ms": statistics.median(single[name]),
                        "batch_narratives_per_second": 32 / (statistics.median(batch[name]) / 1000)}
    result["classify_speedup"] = result["other"]["classify_ms"] / result["this"]["classify_ms"]
    result["batch_speedup"] = (result["this"]["batch_narratives_per_second"]
                               / result["other"]["batch_narratives_per_second"])
    return result


def format_comparison(result: dict[str, Any], other: Path) -> str:
    """Both sides and the ratios (above 1: this checkout is faster)."""
    lines = []
    for name, label in (("this", "this checkout"), ("other", str(other))):
        side = result[name]
        lines.append(f"{label}: model {side['model']} on {side['encoder']} ({side['precision']}): "
                     f"classify {side['classify_ms']:.1f} ms median, "
                     f"batch of 32 {side['batch_narratives_per_second']:.2f} narratives/s")
    lines.append(f"classify: {result['classify_speedup']:.2f}x the speed of {other} "
                 f"({result['rounds']} interleaved rounds of {result['per_round']})")
    lines.append(f"batch of 32: {result['batch_speedup']:.2f}x")
    return "\n".join(lines)
