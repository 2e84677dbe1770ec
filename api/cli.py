"""The `needmatch` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# Nothing may reach for a model hub at run time; every model is loaded from local files.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

logger = logging.getLogger("needmatch")

# The command line reads whole case files; the web service has its own, smaller limit.
MAX_NARRATIVE_CHARS = 100_000


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


def _read_stdin_text() -> str:
    raw = sys.stdin.buffer.read()
    if b"\x00" in raw:
        raise CommandError("standard input is binary, expected a narrative as UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError("standard input is not UTF-8 text") from error
    if not text.strip():
        raise CommandError("standard input is empty: pipe a narrative into the command")
    if len(text) > MAX_NARRATIVE_CHARS:
        raise CommandError(f"the narrative is longer than {MAX_NARRATIVE_CHARS} characters")
    return text


def _jsonl_texts(path: Path) -> Iterator[tuple[Any, str]]:
    """(id, text) per line of a JSONL file, all validated before the first is yielded."""
    from training.datasets import DatasetError, read_jsonl

    items = []
    for number, value in read_jsonl(path):
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f"{path}:{number}: 'text' is missing or empty")
        items.append((value.get("id"), text))
    return iter(items)


def configure_logging(settings: Any) -> None:
    """Log to stderr and to the data directory's log file. Log lines carry ids and counts only."""
    settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        logging.FileHandler(settings.log_file, encoding="utf-8"),
    ]
    handlers[0].setLevel(logging.WARNING)
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )


def _registry() -> Any:
    from api.model_registry import ModelRegistry
    from api.settings import Settings

    return ModelRegistry(Settings().model_root)


def _load_pipeline(model: Path | None) -> Any:
    from nlp.classifier_store import load_classifier
    from nlp.classify import DocumentEncoder, NeedClassificationPipeline
    from nlp.encoder import Encoder

    directory = model if model is not None else _registry().live_directory()
    encoder = Encoder()
    classifier, manifest = load_classifier(directory, encoder)
    return NeedClassificationPipeline(DocumentEncoder(encoder), classifier, manifest["version"])


def classification_json(result: Any, version: str) -> dict[str, Any]:
    """The classify contract: labels, scores, evidence, model."""
    return {
        "labels": result.labels,
        "scores": result.scores,
        "evidence": {
            label: [
                {"text": item.text, "start": item.start, "end": item.end, "score": item.score}
                for item in items
            ]
            for label, items in result.evidence.items()
        },
        "model": version,
    }


def _print_json(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def command_classify(arguments: argparse.Namespace) -> None:
    """Classify one narrative from stdin, or every line of a JSONL file."""
    if arguments.jsonl:
        items = list(_jsonl_texts(arguments.jsonl))
        pipeline = _load_pipeline(arguments.model)
        batch = 32
        for first in range(0, len(items), batch):
            chunk = items[first : first + batch]
            results = pipeline.classify_batch([text for _, text in chunk])
            for (identifier, _), result in zip(chunk, results, strict=True):
                _print_json({"id": identifier, **classification_json(result, pipeline.version)})
        logger.info("classified %d narratives with model %s", len(items), pipeline.version)
        return
    text = _read_stdin_text()
    pipeline = _load_pipeline(arguments.model)
    result = pipeline.classify(text)
    _print_json(classification_json(result, pipeline.version))
    logger.info("classified 1 narrative with model %s: %d labels", pipeline.version,
                len(result.labels))


def command_train(arguments: argparse.Namespace) -> None:
    """Train a classifier on labelled JSONL files."""
    from nlp.classifier_store import save_classifier
    from nlp.classify import DocumentEncoder
    from nlp.encoder import Encoder
    from training.datasets import load_labelled
    from training.fit import TrainingConfig, train_classifier

    rows = load_labelled(arguments.data)
    config = TrainingConfig(seed=arguments.seed)
    encoder = Encoder()
    trained = train_classifier(
        rows, DocumentEncoder(encoder), config, sources=[str(path) for path in arguments.data]
    )
    save_classifier(trained.classifier, arguments.out, encoder, trained.manifest)
    metrics = trained.manifest["metrics"]
    (arguments.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (arguments.out / "config.json").write_text(json.dumps(trained.manifest["config"], indent=2) + "\n")
    print(
        f"model {trained.manifest['version']} written to {arguments.out}: "
        f"{metrics['primary']} = {metrics['cv_primary_value']:.4f} "
        f"({len(rows)} rows, {len(trained.classifier.labels)} labels)"
    )


def command_evaluate(arguments: argparse.Namespace) -> None:
    """Evaluate a classifier on labelled data, beside the TF-IDF baseline."""
    from nlp.classifier_store import load_classifier
    from nlp.classify import DocumentEncoder
    from nlp.encoder import Encoder
    from training.datasets import load_labelled
    from training.evaluate import evaluate, format_report, write_chart

    directory = arguments.model if arguments.model is not None else _registry().live_directory()
    encoder = Encoder()
    classifier, manifest = load_classifier(directory, encoder)
    rows = load_labelled(arguments.data, known_labels=classifier.labels)
    train_paths = arguments.train or [
        Path(name) for name in manifest["training"]["files"] if Path(name).is_file()
    ]
    train_rows = load_labelled(train_paths) if train_paths else None
    report = evaluate(classifier, DocumentEncoder(encoder), rows, train_rows)
    print(f"model {manifest['version']} ({directory})")
    if train_rows is None:
        print("baseline skipped: the model's training files were not found (pass --train)")
    print(format_report(report))
    if arguments.chart:
        print(f"chart written to {write_chart(report, arguments.chart)}")


def command_redact(arguments: argparse.Namespace) -> None:
    """Redact one narrative from stdin, or every line of a JSONL file."""
    from nlp.redact import Redactor

    def as_json(redaction: Any) -> dict[str, Any]:
        return {
            "text": redaction.text,
            "entities": [
                {"type": e.type, "start": e.start, "end": e.end, "placeholder": e.placeholder}
                for e in redaction.entities
            ],
        }

    if arguments.jsonl:
        items = list(_jsonl_texts(arguments.jsonl))
        redactor = Redactor()
        for (identifier, _), redaction in zip(
            items, redactor.redact_batch([text for _, text in items]), strict=True
        ):
            _print_json({"id": identifier, **as_json(redaction)})
        logger.info("redacted %d narratives", len(items))
        return
    text = _read_stdin_text()
    redaction = Redactor().redact(text)
    _print_json(as_json(redaction))
    logger.info("redacted 1 narrative: %d spans replaced", len(redaction.entities))


def command_evaluate_redaction(arguments: argparse.Namespace) -> None:
    """Removal recall, precision and keep rate of the redactor on gold files, and its speed."""
    from training.evaluate_redaction import main as evaluate_redaction

    argv = [item for path in arguments.data for item in ("--data", str(path))]
    evaluate_redaction(argv + (["--skip-benchmark"] if arguments.skip_benchmark else []))


def _open_database() -> Any:
    from api.database import open_database
    from api.settings import Settings

    settings = Settings()
    return open_database(settings.database_url, settings.data_dir)


def _category_inference(pipeline: Any) -> Any:
    """Classifier scores of expertise texts, used as a responder's inferred categories."""

    def infer(texts: Sequence[str]) -> list[dict[str, float]]:
        return [result.scores for result in pipeline.classify_batch(list(texts))]

    return infer


def command_responders(arguments: argparse.Namespace) -> None:
    """Import responder profiles (upsert by id) or list them."""
    from api.responder_import import list_responders, read_profiles, upsert_responders

    if arguments.action == "import":
        if arguments.file is None:
            raise CommandError("responders import needs a FILE (.jsonl or .csv)")
        profiles = read_profiles(arguments.file)
        sessions = _open_database()
        pipeline = _load_pipeline(None)
        created, updated = upsert_responders(
            sessions, profiles, _category_inference(pipeline), show_progress=True
        )
        print(f"imported {len(profiles)} responders: {created} new, {updated} updated")
        logger.info("responders import: %d new, %d updated", created, updated)
        return
    for responder in list_responders(_open_database()):
        _print_json(responder.profile())


def _service() -> Any:
    from api.matching_service import NeedmatchService
    from api.settings import Settings
    from nlp.redact import Redactor

    settings = Settings()
    return NeedmatchService(_open_database(), _load_pipeline(None), Redactor(), settings.data_dir)


def _need_rows_from_stdin(arguments: argparse.Namespace) -> list[Any]:
    from pydantic import ValidationError

    from api.matching_service import NeedInput
    from api.validation import describe

    if not arguments.jurisdiction or not arguments.language:
        raise CommandError("a narrative on stdin needs --jurisdiction and --language")

    try:
        return [NeedInput(id="stdin", text=_read_stdin_text(), jurisdiction=arguments.jurisdiction,
                          language=arguments.language)]
    except ValidationError as error:
        raise CommandError(describe(error)) from None


def command_needs(arguments: argparse.Namespace) -> None:
    """Import needs (redact, classify, store open) or classify stored needs again."""
    from api.matching_service import read_need_rows

    if arguments.action == "reclassify":
        service = _service()
        looked, changed = service.reclassify(show_progress=True)
        responders = service.rescore_responders()
        print(f"reclassified {looked} needs with model {service.pipeline.version}: {changed} changed "
              f"(earlier categories kept in history); {responders} responders' inferred categories "
              "changed")
        return
    if arguments.file is None:
        raise CommandError("needs import needs a FILE (.jsonl)")
    rows = read_need_rows(arguments.file)
    created, updated = _service().import_needs(rows, show_progress=True)
    print(f"imported {len(rows)} needs: {created} new, {updated} updated")


def command_labels(arguments: argparse.Namespace) -> None:
    """Import labels (and labelled examples), export them, or list postings worth labelling."""
    from api.labels import export_labels, import_labels
    from api.retraining import uncertain_postings

    sessions = _open_database()
    if arguments.action == "import":
        if arguments.file is None:
            raise CommandError("labels import needs a FILE (.jsonl)")
        from api.embedding_store import DatabaseEmbeddingStore
        from nlp.classify import DocumentEncoder
        from nlp.embedding_cache import CachedEncoding
        from nlp.encoder import Encoder
        from nlp.redact import Redactor

        encodings = CachedEncoding(DocumentEncoder(Encoder()), DatabaseEmbeddingStore(sessions))
        counts = import_labels(sessions, arguments.file, Redactor(), show_progress=True,
                               encodings=encodings)
        print(f"imported labels for {counts.rows} postings: {counts.examples_created} new labelled "
              f"examples, {counts.labels_added} label decisions added")
        logger.info("labels import: %d rows, %d examples, %d decisions", counts.rows,
                    counts.examples_created, counts.labels_added)
    elif arguments.action == "export":
        handle = arguments.out.open("w", encoding="utf-8") if arguments.out else sys.stdout
        with sessions() as session:
            count = 0
            for row in export_labels(session):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        if arguments.out:
            handle.close()
            print(f"exported {count} labelled postings to {arguments.out}")
    else:
        for item in uncertain_postings(sessions, _load_pipeline(None), arguments.k):
            _print_json(item)


def command_categories(arguments: argparse.Namespace) -> None:
    """List the categories with their status, or add one."""
    from api.errors import DomainError
    from api.labels import add_category, category_list
    from training.retrain import RetrainConfig

    sessions = _open_database()
    if arguments.action == "add":
        if not (arguments.id and arguments.label and arguments.description):
            raise CommandError("categories add needs ID, --label and --description")
        try:
            with sessions.begin() as session:
                add_category(session, arguments.id, arguments.label, arguments.description, None)
        except DomainError as error:
            raise CommandError(error.message) from None
        print(f"added category {arguments.id}; label postings with it, then retrain")
        return
    live = json.loads((_registry().live_directory() / "manifest.json").read_text())["labels"]
    with sessions() as session:
        for row in category_list(session, live, RetrainConfig().min_examples):
            _print_json(row)


def _print_retrain(outcome: Any) -> None:
    decision, metrics = outcome.decision, outcome.metrics
    live_f1, new_f1 = metrics["live_held_out_per_label_f1"], metrics["held_out_per_label_f1"]
    print(f"held-out split: {metrics['held_out_rows']} rows; training rows: "
          + ", ".join(f"{name} {count}" for name, count in outcome.rows.items()))
    print(f"{'category':<26}{'live F1':>9}{'new F1':>9}")
    for label in sorted(set(live_f1) | set(new_f1)):
        live_value = f"{live_f1[label]:.3f}" if label in live_f1 else "-"
        new_value = f"{new_f1[label]:.3f}" if label in new_f1 else "-"
        print(f"{label:<26}{live_value:>9}{new_value:>9}")
    print(f"held-out macro-F1 over the live model's categories: live {decision['live_primary']:.4f}, "
          f"candidate {decision['candidate_primary']:.4f}")
    print(f"{outcome.status}: {outcome.version} ({outcome.message}); live model now "
          f"{outcome.live_after}; {outcome.seconds:.0f} s")


def command_retrain(arguments: argparse.Namespace) -> None:
    """Retrain on the shipped postings plus the database's labels; promote if the gate passes."""
    from api.retraining import Retrainer

    sessions = _open_database()
    registry = _registry()
    pipeline = _load_pipeline(None)
    retrainer = Retrainer(sessions, registry)
    job_id = retrainer.create_job(None, arguments.force, pipeline.version)
    outcome = retrainer.run(job_id, pipeline, show_progress=True)
    _print_retrain(outcome)


def command_models(arguments: argparse.Namespace) -> None:
    """List classifier versions, promote one, or roll back to the previous live one."""
    from api.model_registry import NothingToRollBack, UnknownVersion, version_summary

    registry = _registry()
    try:
        if arguments.action == "promote":
            if not arguments.version:
                raise CommandError("models promote needs a VERSION (see 'needmatch models list')")
            registry.promote_by_hand(arguments.version, arguments.reason or "", "command line")
            print(f"live model: {registry.live_version()} (a running service swaps to it within "
                  "seconds)")
        elif arguments.action == "rollback":
            print(f"rolled back; live model: {registry.rollback(by='command line')}")
        else:
            live = registry.live_version()
            for manifest in registry.manifests():
                _print_json(version_summary(manifest, live))
    except (UnknownVersion, NothingToRollBack) as error:
        raise CommandError(str(error)) from None


def command_benchmark_retrain(arguments: argparse.Namespace) -> None:
    """Retraining time on N labelled postings (first and next retrain; with --cold, nothing kept)."""
    from api.retrain_benchmark import format_benchmark, run_benchmark

    print(format_benchmark(run_benchmark(arguments.rows, cold=arguments.cold)))


def command_match(arguments: argparse.Namespace) -> None:
    """Suggest responders for needs (JSONL) or one narrative on stdin."""
    from api.matching_service import read_need_rows, suggestion_json

    rows = read_need_rows(arguments.jsonl) if arguments.jsonl else _need_rows_from_stdin(arguments)
    for outcome in _service().match(rows, arguments.k):
        _print_json({"id": outcome.id,
                     "suggestions": [suggestion_json(s) for s in outcome.suggestions]})


def command_search(arguments: argparse.Namespace) -> None:
    """Search open needs with plain-language queries."""
    from api.matching_service import search_json
    from training.datasets import read_jsonl

    if arguments.jsonl:
        queries = []
        for number, value in read_jsonl(arguments.jsonl):
            if not isinstance(value.get("query"), str) or not value["query"].strip():
                raise CommandError(f"{arguments.jsonl}:{number}: 'query' is missing or empty")
            queries.append((value.get("id"), value["query"]))
    elif arguments.query and arguments.query.strip():
        queries = [(None, arguments.query)]
    else:
        raise CommandError("give a query, or --jsonl FILE with {'id', 'query'} rows")
    results = _service().search([query for _, query in queries], arguments.k)
    for (identifier, _), found in zip(queries, results, strict=True):
        _print_json({"id": identifier, "results": [search_json(r) for r in found]})


def command_benchmark_matching(arguments: argparse.Namespace) -> None:
    """Matching and search quality on a judged set, beside BM25-only and dense-only baselines."""
    from index.matching_benchmark import evaluate_matching, evaluate_search
    from training.datasets import read_jsonl

    def load(name: str) -> list[dict[str, Any]]:
        return [value for _, value in read_jsonl(arguments.data / name)]

    pipeline = _load_pipeline(arguments.model)
    matching = evaluate_matching(
        pipeline, load("responders.jsonl"), load("needs.jsonl"),
        {row["need_id"]: row["relevance"] for row in load("qrels.jsonl")},
    )
    search = evaluate_search(
        pipeline, load("needs.jsonl"), load("search_queries.jsonl"),
        {row["query_id"]: row["relevance"] for row in load("search_qrels.jsonl")},
    )
    print(f"matching ({len(load('needs.jsonl'))} needs, {len(load('responders.jsonl'))} responders)")
    for system, metrics in matching.items():
        print(f"  {system:<12} " + "  ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
    print(f"search ({len(load('search_queries.jsonl'))} queries)")
    for system, metrics in search.items():
        print(f"  {system:<12} " + "  ".join(f"{name} {value:.4f}" for name, value in metrics.items()))


def command_benchmark_scale(arguments: argparse.Namespace) -> None:
    """Exact and IVF vector search at the given sizes, on clustered synthetic vectors."""
    from index.scale_benchmark import benchmark_matching, benchmark_size, format_scale

    if not arguments.skip_vectors:
        for size in arguments.sizes:
            print(format_scale(benchmark_size(size, queries=arguments.queries)), flush=True)
    result = benchmark_matching(arguments.responders)
    print(f"match_need over {result['responders']:,} responders ({result['vectors']:,} vectors, "
          f"indexed in {result['build_s']:.0f} s), 15-sentence need, after the encoder pass: "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")


def command_serve(arguments: argparse.Namespace) -> None:
    """Serve the API (and, later, the web page)."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(), host=arguments.host, port=arguments.port, log_level="warning")


def command_demo(arguments: argparse.Namespace) -> None:
    """Load demo responders and demo accounts, print the keys, then serve."""
    from api.auth import create_user
    from api.responder_import import read_profiles, upsert_responders

    demo = Path(__file__).resolve().parent / "demo" / "responders.jsonl"
    sessions = _open_database()
    pipeline = _load_pipeline(None)
    created, updated = upsert_responders(sessions, read_profiles(demo),
                                         _category_inference(pipeline), show_progress=True)
    print(f"demo responders: {created} new, {updated} updated")
    accounts = [("Demo Shelter (advocate)", "poster", None),
                ("Demo Legal Aid (responder)", "responder", "demo-r-001"),
                ("Demo Network (admin)", "admin", None)]
    print(f"open http://{arguments.host}:{arguments.port}/ and sign in with one of these keys:")
    for organization, role, responder_id in accounts:
        _, key = create_user(sessions, organization, role, responder_id,
                             contact_email="intake@demo.example.org")
        print(f"  {role:<10} {key}")
    command_serve(arguments)


def command_users(arguments: argparse.Namespace) -> None:
    """Create a user; its API key is printed once, alone on the last line."""
    from api.auth import AccountError, create_user

    try:
        user, key = create_user(_open_database(), arguments.org, arguments.role,
                                arguments.responder_id, arguments.contact_email,
                                arguments.contact_phone)
    except AccountError as error:
        raise CommandError(str(error)) from None
    print(f"created {user.role} user {user.id} in organisation '{arguments.org}'; "
          "the key is shown once:")
    print(key)


def command_benchmark_service(arguments: argparse.Namespace) -> None:
    """Publish and suggestions latency through HTTP under load, beside the in-process floor."""
    from api.service_benchmark import format_results, run

    print(format_results(run(arguments.requests)))


def command_benchmark(arguments: argparse.Namespace) -> None:
    """Print speed figures for classification."""
    from training.benchmark import benchmark_classification, format_benchmark

    pipeline = _load_pipeline(arguments.model)
    text = Path(arguments.narrative).read_text()
    print(format_benchmark(benchmark_classification(pipeline, text, arguments.repeats)))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="needmatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    classify = commands.add_parser("classify", help="classify a narrative (stdin) or a JSONL file")
    classify.add_argument("--jsonl", type=Path, help="one {'id', 'text'} object per line")
    classify.add_argument("--model", type=Path, help="a model directory (default: the live one)")
    classify.set_defaults(handler=command_classify)

    train = commands.add_parser("train", help="train a classifier on labelled JSONL files")
    train.add_argument("--data", type=Path, action="append", required=True)
    train.add_argument("--out", type=Path, required=True)
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=command_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a classifier on labelled data")
    evaluate.add_argument("--data", type=Path, action="append", required=True)
    evaluate.add_argument("--model", type=Path)
    evaluate.add_argument(
        "--train", type=Path, action="append",
        help="training data for the baseline (default: the files named in the model manifest)",
    )
    evaluate.add_argument("--chart", type=Path, help="write a PNG of per-category scores")
    evaluate.set_defaults(handler=command_evaluate)

    redact = commands.add_parser("redact", help="remove identifying details from a narrative")
    redact.add_argument("--jsonl", type=Path, help="one {'id', 'text'} object per line")
    redact.set_defaults(handler=command_redact)

    evaluate_redaction = commands.add_parser(
        "evaluate-redaction", help="measure the redactor on gold spans (and its speed)"
    )
    evaluate_redaction.add_argument(
        "--data", type=Path, action="append", required=True,
        help="a gold JSONL file; a gold file without text needs its postings file too",
    )
    evaluate_redaction.add_argument("--skip-benchmark", action="store_true")
    evaluate_redaction.set_defaults(handler=command_evaluate_redaction)

    responders = commands.add_parser("responders", help="import or list responder profiles")
    responders.add_argument("action", choices=["import", "list"])
    responders.add_argument("file", type=Path, nargs="?", help="JSONL or CSV (import)")
    responders.set_defaults(handler=command_responders)

    needs = commands.add_parser(
        "needs", help="import needs (redacted, classified, stored open) or reclassify stored ones")
    needs.add_argument("action", choices=["import", "reclassify"])
    needs.add_argument("file", type=Path, nargs="?",
                       help="JSONL rows {'id', 'text', 'jurisdiction', 'language'} (import)")
    needs.set_defaults(handler=command_needs)

    labels = commands.add_parser("labels", help="import, export or suggest postings' labels")
    labels.add_argument("action", choices=["import", "export", "suggest"])
    labels.add_argument("file", type=Path, nargs="?",
                        help="import: JSONL rows {'id', 'labels', 'negatives'?, 'text'?}")
    labels.add_argument("--out", type=Path, help="export: write to this file (default stdout)")
    labels.add_argument("--k", type=int, default=20, help="suggest: how many postings")
    labels.set_defaults(handler=command_labels)

    categories = commands.add_parser("categories", help="list categories or add one")
    categories.add_argument("action", choices=["list", "add"])
    categories.add_argument("id", nargs="?", help="add: the new category's id")
    categories.add_argument("--label", help="add: a short human name")
    categories.add_argument("--description", help="add: what falls in it")
    categories.set_defaults(handler=command_categories)

    retrain = commands.add_parser(
        "retrain", help="retrain from shipped and database labels; promote if the gate passes")
    retrain.add_argument("--force", metavar="REASON",
                         help="promote even if the gate refuses, recording this reason")
    retrain.set_defaults(handler=command_retrain)

    models = commands.add_parser("models", help="list classifier versions, promote or roll back")
    models.add_argument("action", choices=["list", "promote", "rollback"])
    models.add_argument("version", nargs="?")
    models.add_argument("--reason", help="promote: why (required for a version the gate refused)")
    models.set_defaults(handler=command_models)

    benchmark_retrain = commands.add_parser(
        "benchmark-retrain", help="retraining time on N labelled postings, cold and warm")
    benchmark_retrain.add_argument("--rows", type=int, default=5000)
    benchmark_retrain.add_argument("--cold", action="store_true",
                                   help="also time a retrain where no encoding was kept")
    benchmark_retrain.set_defaults(handler=command_benchmark_retrain)

    match = commands.add_parser("match", help="suggest responders for needs")
    match.add_argument("--jsonl", type=Path, help="rows {'id', 'text', 'jurisdiction', 'language'}")
    match.add_argument("--jurisdiction", help="with a narrative on stdin: ISO 3166 code")
    match.add_argument("--language", help="with a narrative on stdin: ISO 639-1 code")
    match.add_argument("--k", type=int, default=5)
    match.set_defaults(handler=command_match)

    search = commands.add_parser("search", help="search open needs in plain language")
    search.add_argument("query", nargs="?")
    search.add_argument("--jsonl", type=Path, help="rows {'id', 'query'}")
    search.add_argument("--k", type=int, default=10)
    search.set_defaults(handler=command_search)

    benchmark_matching = commands.add_parser(
        "benchmark-matching", help="matching and search quality on a judged set")
    benchmark_matching.add_argument(
        "--data", type=Path,
        default=Path(__file__).resolve().parent.parent / "training" / "data" / "matching")
    benchmark_matching.add_argument("--model", type=Path)
    benchmark_matching.set_defaults(handler=command_benchmark_matching)

    benchmark_scale = commands.add_parser(
        "benchmark-scale", help="vector search speed, memory and recall at 10^5-10^6 vectors")
    benchmark_scale.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    benchmark_scale.add_argument("--queries", type=int, default=200)
    benchmark_scale.add_argument("--responders", type=int, default=100_000)
    benchmark_scale.add_argument("--skip-vectors", action="store_true",
                                 help="only the matching latency, not the vector-index sizes")
    benchmark_scale.set_defaults(handler=command_benchmark_scale)

    serve = commands.add_parser("serve", help="serve the web API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=command_serve)

    demo = commands.add_parser("demo", help="load demo data and accounts, then serve")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(handler=command_demo)

    users = commands.add_parser("users", help="create accounts")
    users.add_argument("action", choices=["create"])
    users.add_argument("--org", required=True)
    users.add_argument("--role", required=True, choices=["poster", "responder", "admin"])
    users.add_argument("--responder-id")
    users.add_argument("--contact-email", help="shared with a responder after an accepted offer")
    users.add_argument("--contact-phone")
    users.set_defaults(handler=command_users)

    benchmark_service = commands.add_parser(
        "benchmark-service", help="publish and suggestions latency at 1, 4 and 16 clients")
    benchmark_service.add_argument("--requests", type=int, default=24)
    benchmark_service.set_defaults(handler=command_benchmark_service)

    benchmark = commands.add_parser("benchmark", help="speed of classification")
    benchmark.add_argument("--model", type=Path)
    benchmark.add_argument(
        "--narrative", default=str(Path(__file__).resolve().parent.parent
                                   / "training" / "examples" / "narrative.txt"),
    )
    benchmark.add_argument("--repeats", type=int, default=20)
    benchmark.set_defaults(handler=command_benchmark)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    from pydantic import ValidationError

    from api.errors import DomainError
    from api.settings import Settings
    from api.validation import describe
    from nlp.classifier_store import ModelMismatch, ModelNotFound
    from nlp.classify import EmptyText
    from nlp.spacy_model import MissingModelError
    from training.datasets import DatasetError

    arguments = build_parser().parse_args(argv)
    try:
        configure_logging(Settings())
        logger.info("command %s started", arguments.command)
        arguments.handler(arguments)
    except ValidationError as error:
        # str() of a pydantic error quotes the input, which may be a narrative.
        print(f"needmatch: error: {describe(error)}", file=sys.stderr)
        logger.info("command %s failed: invalid input", arguments.command)
        return 1
    except DomainError as error:
        print(f"needmatch: error: {error.message}", file=sys.stderr)
        logger.info("command %s failed: %s", arguments.command, type(error).__name__)
        return 1
    except (CommandError, DatasetError, EmptyText, ModelMismatch, ModelNotFound,
            MissingModelError, FileNotFoundError, ValueError, LookupError) as error:
        print(f"needmatch: error: {error}", file=sys.stderr)
        logger.info("command %s failed: %s", arguments.command, type(error).__name__)
        return 1
    logger.info("command %s finished", arguments.command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
