"""Matching latency on the two responder-index paths: in the process (set algebra and a profile
matrix) and in PostgreSQL with pgvector (one filtered statement, then the candidates' vectors).

The same synthetic directory (clustered 384-dimensional vectors, 1-6 sentences per profile, US
states and a few other places, a third of the profiles with inferred rather than declared
categories) is matched by `match_need` on each path, need by need, after the encoder: stage one
alone and stages one and two with the explanations, after one untimed pass. pgvector runs twice:
as the service runs it (every eligible responder scored while the table has at most EXACT_ROWS
rows) and with the HNSW statement forced (the path past that size; PostgreSQL may still scan
where it estimates that cheaper). Agreement is the share of needs whose five
suggestions are the in-process ones, in order: for the needs as drawn (1-3 categories in one
query) and for one query per category, which is how the service matches a case's needs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from api.benchmarks.scale import clustered_vectors
from index.matching import STAGE_ONE, NeedQuery, _stage_one, match_need
from index.pg_responder_index import EXACT_ROWS, PgResponderIndex, ResponderFacts
from index.responder_index import ResponderIndex, ResponderSearch, entry_from_profile
from nlp.encoding import EncodedText
from nlp.sentences import Sentence
from nlp.taxonomy import CATEGORY_IDS

DIMENSION = 384
STATES = [f"US-{code}" for code in (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()]
OTHER_PLACES = ["US", "MX", "GT", "HN", "CA-ON", "PH"]
NEED_SENTENCES = 15


def synthetic_directory(responders: int, needs: int, seed: int = 0
                        ) -> tuple[list[tuple[dict[str, Any], dict[str, float], EncodedText]],
                                   list[NeedQuery], dict[str, float]]:
    """Profiles (with inferred scores and encodings), needs and the classifier's thresholds."""
    rng = np.random.default_rng(seed)
    sentences_per = rng.integers(1, 7, size=responders)
    vectors = clustered_vectors(int(sentences_per.sum()) + needs * NEED_SENTENCES, DIMENSION, seed)
    thresholds = {category: 0.5 for category in CATEGORY_IDS}
    profiles, position = [], 0
    for number in range(responders):
        count = int(sentences_per[number])
        practised = [str(c) for c in rng.choice(CATEGORY_IDS, size=rng.integers(1, 4), replace=False)]
        codes = [str(c) for c in rng.choice(STATES, size=rng.integers(1, 3), replace=False)]
        if rng.random() < 0.08:
            codes.append(str(rng.choice(OTHER_PLACES)))
        profile: dict[str, Any] = {"id": f"r{number}", "jurisdictions": codes,
                                   "languages": ["en"] + (["es"] if rng.random() < 0.4 else []),
                                   "capacity": int(rng.integers(0, 6))}
        inferred = {category: float(rng.uniform(0.0, 0.45)) for category in CATEGORY_IDS}
        if rng.random() < 2 / 3:
            profile["categories"] = practised
        else:
            inferred.update({category: float(rng.uniform(0.5, 1.0)) for category in practised})
        text = [Sentence(f"s{i}", 0, 2) for i in range(count)]
        profiles.append((profile, inferred, EncodedText(text, vectors[position : position + count])))
        position += count
    queries = []
    for number in range(needs):
        chosen = [str(c) for c in rng.choice(CATEGORY_IDS, size=rng.integers(1, 4), replace=False)]
        encoded = EncodedText([Sentence(f"n{i}", 0, 2) for i in range(NEED_SENTENCES)],
                              vectors[position : position + NEED_SENTENCES])
        position += NEED_SENTENCES
        queries.append(NeedQuery(encoded, {c: float(rng.uniform(0.4, 0.95)) for c in chosen}, chosen,
                                 str(rng.choice(STATES)), ("es",) if number % 3 == 0 else ("en",)))
    return profiles, queries, thresholds


def _timed(index: ResponderSearch, needs: list[NeedQuery]) -> tuple[dict[str, float], list[list[str]]]:
    """Per-need latency of stage one alone and of the whole match (median, 95th percentile),
    after one untimed pass (PostgreSQL's cache warm, as a running service's is)."""
    for need in needs:
        match_need(index, need, 5)
    first, whole, rankings = [], [], []
    for need in needs:
        begin = time.perf_counter()
        _stage_one(index, need)
        first.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        rankings.append([s.responder_id for s in match_need(index, need, 5)])
        whole.append((time.perf_counter() - begin) * 1000)
    timing = {"stage_one_p50_ms": statistics.median(first),
              "stage_one_p95_ms": float(np.percentile(first, 95)),
              "match_p50_ms": statistics.median(whole), "match_p95_ms": float(np.percentile(whole, 95))}
    return timing, rankings


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    """The given PostgreSQL URL, or a throwaway embedded server's."""
    if url:
        yield url
        return
    from index.embedded_postgres import EmbeddedPostgres

    with EmbeddedPostgres() as server:
        yield server.url()


def benchmark_matching_backends(responders: int = 10_000, needs: int = 100, seed: int = 0,
                                url: str | None = None) -> dict[str, Any]:
    """Build both paths over one synthetic directory and time match_need on each."""
    profiles, queries, thresholds = synthetic_directory(responders, needs, seed)
    start = time.perf_counter()
    memory = ResponderIndex(DIMENSION)
    for profile, inferred, encoded in profiles:
        memory.upsert(entry_from_profile(profile, inferred, thresholds), encoded)
    result: dict[str, Any] = {"responders": responders, "needs": needs, "exact_rows": EXACT_ROWS,
                              "stage_one": STAGE_ONE}
    timing, reference = _timed(memory, queries)
    per_category = [NeedQuery(q.encoded, q.category_scores, [c], q.jurisdiction, q.languages)
                    for q in queries for c in q.categories()]
    reference_per_category = [[s.responder_id for s in match_need(memory, q, 5)] for q in per_category]
    # Each vector twice (the FAISS index and the rows stage two reads), plus the profile matrix.
    process_bytes = (2 * len(memory.vectors) + len(memory)) * DIMENSION * 4
    result["memory"] = {**timing, "build_s": time.perf_counter() - start, "agreement": 1.0,
                        "agreement_per_category": 1.0, "process_bytes": process_bytes}
    with _database(url) as database:
        shared = PgResponderIndex(database, "benchmark-encoder", DIMENSION, thresholds,
                                  table="benchmark_matching_responders")
        shared.drop()
        shared.open()
        try:
            start = time.perf_counter()
            shared.upsert_many((ResponderFacts.from_profile(profile, inferred), encoded)
                               for profile, inferred, encoded in profiles)
            shared.analyze()
            build = time.perf_counter() - start
            with shared.pool.connection() as connection:
                table_bytes = int(connection.execute(
                    "SELECT pg_total_relation_size(%s::regclass)", (shared.table,)).fetchone()[0])
            for name, exact_rows in (("pgvector", EXACT_ROWS), ("pgvector_hnsw", 0)):
                shared.exact_rows = exact_rows
                timing, rankings = _timed(shared, queries)
                same = sum(a == b for a, b in zip(rankings, reference, strict=True)) / len(queries)
                same_per_category = sum(
                    [s.responder_id for s in match_need(shared, q, 5)] == expected
                    for q, expected in zip(per_category, reference_per_category, strict=True)
                ) / len(per_category)
                plans = [shared.explain(q.encoded.pooled()[:DIMENSION], q.jurisdiction, q.languages,
                                        q.categories(), STAGE_ONE, nearest=responders > exact_rows)
                         for q in queries]
                result[name] = {**timing, "build_s": build, "agreement": same,
                                "agreement_per_category": same_per_category,
                                "table_bytes": table_bytes,
                                "hnsw_plans": sum("profile_hnsw" in plan for plan in plans)}
        finally:
            shared.drop()
            shared.close()
    return result


def format_matching_backends(result: dict[str, Any]) -> str:
    """Readable lines: one per path."""
    lines = [f"match_need over {result['responders']:,} synthetic responders, {result['needs']} needs "
             f"(1-3 categories, 15 sentences each), after the encoder; milliseconds per need"]
    labels = {"memory": "in-process (set algebra + profile matrix)",
              "pgvector": f"pgvector, as served (exact scan up to {result['exact_rows']:,} rows)",
              "pgvector_hnsw": f"pgvector, HNSW statement (the {result['stage_one']} nearest eligible)"}
    for name, label in labels.items():
        row = result[name]
        size = (f"{row['process_bytes'] / 2**20:.0f} MB in each process" if name == "memory"
                else f"{row['table_bytes'] / 2**20:.0f} MB in PostgreSQL, none per process")
        plans = (f", HNSW walked for {row['hnsw_plans']}/{result['needs']} needs"
                 if "hnsw_plans" in row else "")
        lines.append(f"  {label}: stage one p50 {row['stage_one_p50_ms']:.1f} / "
                     f"p95 {row['stage_one_p95_ms']:.1f}; whole match p50 {row['match_p50_ms']:.1f} / "
                     f"p95 {row['match_p95_ms']:.1f}; "
                     f"same five as in-process {row['agreement']:.0%} (one query per category "
                     f"{row['agreement_per_category']:.0%}); built in {row['build_s']:.0f} s, "
                     f"{size}{plans}")
    return "\n".join(lines)
