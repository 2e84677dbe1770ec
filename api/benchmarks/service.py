"""Latency of publish and suggestions through HTTP under 1, 4 and 16 clients, beside the floor."""

from __future__ import annotations

import itertools
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from api.benchmarks.server import NARRATIVE, benchmark_server, case_body


def _percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 95))


def floor_ms(data_dir: Path, repeats: int = 10) -> tuple[float, float]:
    """Median and p95 of redact + classify + match in process (what a request cannot avoid)."""
    from api.bootstrap import build_services
    from api.services.cases import CaseInput, match_cases
    from api.settings import Settings

    model = build_services(Settings(data_dir=data_dir)).model
    model.directory.index()
    need = CaseInput(id="floor", text=NARRATIVE, jurisdiction="US-TX", language="en")
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        match_cases(model, [need], 5)
        times.append((time.perf_counter() - start) * 1000)
    return _percentiles(times[1:])


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth")
_MOODS = ("short", "long", "calm", "tense", "late", "early", "quiet", "busy", "brief", "useful")


def follow_up(number: int) -> str:
    """A sentence that differs for each number below 120 (no digits, nothing identifying)."""
    ordinal = _ORDINALS[number % len(_ORDINALS)]
    mood = _MOODS[(number // len(_ORDINALS)) % len(_MOODS)]
    return f"The advocate adds that the {ordinal} follow-up meeting was {mood}."


def run(requests_per_level: int = 24, levels: tuple[int, ...] = (1, 4, 16)) -> dict[str, Any]:
    """Start a server on a fresh data directory with the judged responders, then measure."""
    with benchmark_server() as server:
        floor = floor_ms(server.data_dir)
        base = server.base
        headers = {"Authorization": f"Bearer {server.poster_key}"}
        body = case_body(NARRATIVE)
        warm = httpx.post(base + "/v1/cases", json=body, headers=headers, timeout=120).json()
        need_id = warm["needs"][0]["id"]
        results: dict[str, Any] = {"floor_p50_ms": floor[0], "floor_p95_ms": floor[1],
                                   "levels": []}

        def timed(call: Any) -> float:
            start = time.perf_counter()
            response = call()
            response.raise_for_status()
            return (time.perf_counter() - start) * 1000

        variants = itertools.count()

        def new_need() -> dict[str, Any]:
            # Every publish is a new text, as in use: a repeated text would find its
            # encoding kept and skip the encoder.
            return {**body, "text": NARRATIVE + "\n" + follow_up(next(variants))}

        with httpx.Client(timeout=300) as client:
            for clients in levels:
                with ThreadPoolExecutor(max_workers=clients) as pool:
                    publish = list(pool.map(lambda _: timed(lambda: client.post(
                        base + "/v1/cases", json=new_need(), headers=headers)),
                        range(requests_per_level)))
                    suggest = list(pool.map(lambda _: timed(lambda: client.get(
                        f"{base}/v1/needs/{need_id}/suggestions?k=5", headers=headers)),
                        range(requests_per_level)))
                results["levels"].append({"clients": clients,
                                          "publish": _percentiles(publish),
                                          "suggestions": _percentiles(suggest)})
    return results


def format_results(results: dict[str, Any]) -> str:
    """Readable lines, with p95 at one client as a multiple of the floor."""
    floor = results["floor_p95_ms"]
    lines = [f"floor (redact + classify + match in process, 310-word narrative): "
             f"p50 {results['floor_p50_ms']:.0f} ms, p95 {floor:.0f} ms"]
    for level in results["levels"]:
        publish, suggest = level["publish"], level["suggestions"]
        lines.append(
            f"{level['clients']:>2} clients: publish p50 {publish[0]:.0f} ms p95 {publish[1]:.0f} ms "
            f"({publish[1] / floor:.2f}x floor); suggestions p50 {suggest[0]:.0f} ms "
            f"p95 {suggest[1]:.0f} ms ({suggest[1] / floor:.2f}x floor)")
    return "\n".join(lines)
