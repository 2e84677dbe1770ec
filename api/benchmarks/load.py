"""Throughput and latency of a running server under 1, 8 and 32 simulated users (Locust in a
second process on loopback, each level bounded in time), and where it saturates."""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx

from api.benchmarks.server import NARRATIVE, RunningServer, benchmark_server, case_body

LOCUSTFILE = str(files("api") / "benchmarks" / "locustfile.py")
# A level whose throughput grows less than this over the previous one is past saturation.
SATURATION_GAIN = 1.10


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _level(server: RunningServer, users: int, seconds: int, need_id: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="needmatch-locust-") as folder:
        prefix = str(Path(folder) / "level")
        environment = {**os.environ, "NEEDMATCH_BENCH_POSTER_KEY": server.poster_key,
                       "NEEDMATCH_BENCH_RESPONDER_KEY": server.responder_key,
                       "NEEDMATCH_BENCH_NEED_ID": need_id}
        cpu_before = _cpu_seconds(server.process.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "locust", "-f", LOCUSTFILE, "--headless",
                        "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s",
                        "--host", server.base, "--csv", prefix, "--only-summary",
                        "--exit-code-on-error", "0", "--stop-timeout", "30"],
                       env=environment, capture_output=True, check=True, timeout=seconds + 120)
        # Over the level's run time: the server idles while Locust starts and stops.
        cores = (_cpu_seconds(server.process.pid) - cpu_before) / seconds
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        generator = (children.ru_utime + children.ru_stime - children_before.ru_utime
                     - children_before.ru_stime) / seconds
        with open(f"{prefix}_stats.csv", newline="") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]

    def figures(row: dict[str, str]) -> dict[str, float]:
        return {"requests": float(row["Request Count"]), "failures": float(row["Failure Count"]),
                "per_second": float(row["Requests/s"]), "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"])}

    return {"users": users, "server_cores": cores, "generator_cores": generator, **figures(total),
            "by_request": {name: figures(row) for name, row in rows.items() if name != "Aggregated"}}


def _open_needs(server: RunningServer, count: int) -> None:
    """Store `count` open needs (texts of the shipped English postings, each made distinct)."""
    import json

    from api.benchmarks.server import EXECUTABLE, TRAINING
    from api.benchmarks.service import follow_up

    texts = [json.loads(line)["text"] for line in
             (TRAINING / "data" / "postings_en.jsonl").read_text().splitlines() if line.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for number in range(count):
            handle.write(json.dumps({"id": f"bench-{number}", "jurisdiction": "US-TX", "language": "en",
                                     "text": texts[number % len(texts)] + " " + follow_up(number)})
                         + "\n")
    environment = {**os.environ, "NEEDMATCH_DATA_DIR": str(server.data_dir)}
    subprocess.run([EXECUTABLE, "needs", "import", handle.name], env=environment, check=True,
                   capture_output=True, timeout=3600)
    Path(handle.name).unlink()


def run(levels: tuple[int, ...] = (1, 8, 32), seconds: int = 30, open_needs: int = 0
        ) -> dict[str, Any]:
    """Serve a fresh data directory (with `open_needs` stored) and drive it at each level."""
    with benchmark_server() as server:
        if open_needs:
            _open_needs(server, open_needs)
        warm = httpx.post(server.base + "/v1/cases", headers={
            "Authorization": f"Bearer {server.poster_key}"}, timeout=300, json=case_body(NARRATIVE))
        warm.raise_for_status()
        need_id = warm.json()["needs"][0]["id"]
        results = [_level(server, users, seconds, need_id) for users in levels]
    return {"seconds": seconds, "cores": os.cpu_count() or 1, "open_needs": open_needs + 1,
            "levels": results}


def saturation(result: dict[str, Any]) -> str:
    """Where throughput stops growing with more users, and what limits it there."""
    levels = result["levels"]
    for previous, level in zip(levels, levels[1:], strict=False):
        if level["per_second"] < previous["per_second"] * SATURATION_GAIN:
            server, generator = level["server_cores"], level["generator_cores"]
            limit = (f"the machine's {result['cores']} cores are busy (server {server:.1f}, load "
                     f"generator {generator:.1f}): CPU-bound, the encoder and classifier work of "
                     "each publish, search and match"
                     if server + generator >= 0.8 * result["cores"] else
                     f"only {server + generator:.1f} of {result['cores']} cores are busy (server "
                     f"{server:.1f}, load generator {generator:.1f}): requests wait on something "
                     "else: one server process runs its Python work one thread at a time (the encoder's "
                     "own threads excepted), and SQLite takes one writer at a time; more server "
                     "processes (see the README: several workers) or PostgreSQL may raise it")
            return (f"saturated by {previous['users']} users at {previous['per_second']:.1f} "
                    f"requests/s; {limit}")
    last = levels[-1]
    return (f"not saturated up to {last['users']} users ({last['per_second']:.1f} requests/s, "
            f"server at {last['server_cores']:.1f} cores)")


def format_load(result: dict[str, Any]) -> str:
    """One line per level (and per kind of request), then the saturation point."""
    lines = [f"load on loopback, {result['seconds']} s per level, Locust in a second process on the "
             f"same {result['cores']}-core machine; mix: publish 1, suggestions 2, search 2; "
             f"{result['open_needs']} open needs at the start"]
    for level in result["levels"]:
        lines.append(f"{level['users']:>3} users: {level['per_second']:6.1f} req/s, p50 "
                     f"{level['p50_ms']:.0f} ms, p95 {level['p95_ms']:.0f} ms, p99 "
                     f"{level['p99_ms']:.0f} ms, errors {level['failures']:.0f} of "
                     f"{level['requests']:.0f}; CPU: server {level['server_cores']:.2f}, load "
                     f"generator {level['generator_cores']:.2f} cores")
        for name, row in sorted(level["by_request"].items()):
            lines.append(f"      {name:<12} {row['per_second']:6.1f} req/s, p50 {row['p50_ms']:.0f} ms, "
                         f"p95 {row['p95_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, errors "
                         f"{row['failures']:.0f}")
    lines.append(saturation(result))
    return "\n".join(lines)
