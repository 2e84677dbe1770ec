"""Commands of the classifier: classify, train, evaluate, benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.common import (
    CommandError,
    jsonl_texts,
    logger,
    open_sessions,
    pipeline,
    print_json,
    read_stdin_text,
    registry,
)

if TYPE_CHECKING:  # the encoder's libraries load only with the commands that use them
    from nlp.encoding import DocumentEncoder, EncodedText


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


def command_classify(arguments: argparse.Namespace) -> None:
    """Classify one narrative from stdin, or every line of a JSONL file."""
    if arguments.jsonl:
        items = list(jsonl_texts(arguments.jsonl))
        loaded = pipeline(arguments.model)
        batch = 32
        for first in range(0, len(items), batch):
            chunk = items[first : first + batch]
            results = loaded.classify_batch([text for _, text in chunk])
            for (identifier, _), result in zip(chunk, results, strict=True):
                print_json({"id": identifier, **classification_json(result, loaded.version)})
        logger.info("classified %d narratives with model %s", len(items), loaded.version)
        return
    text = read_stdin_text()
    loaded = pipeline(arguments.model)
    result = loaded.classify(text)
    print_json(classification_json(result, loaded.version))
    logger.info("classified 1 narrative with model %s: %d labels", loaded.version,
                len(result.labels))


def command_train(arguments: argparse.Namespace) -> None:
    """Train a classifier on labelled JSONL files."""
    from nlp.classifier_store import save_classifier
    from nlp.encoder import load_encoder
    from nlp.encoding import DocumentEncoder
    from training.datasets import load_labelled
    from training.fit import TrainingConfig, train_classifier

    rows = load_labelled(arguments.data)
    config = TrainingConfig(seed=arguments.seed)
    encoder = load_encoder(arguments.encoder) if arguments.encoder else load_encoder()
    document_encoder = DocumentEncoder(encoder)
    texts = [row.text for row in rows]
    encoded = _kept_encodings(document_encoder, texts) if arguments.keep_encodings else None
    trained = train_classifier(
        rows, document_encoder, config, sources=[str(path) for path in arguments.data], encoded=encoded
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


def _kept_encodings(document_encoder: DocumentEncoder, texts: list[str]) -> list[EncodedText]:
    """The texts' encodings through the configured database's cache (as a retrain reads them):
    only texts never encoded with this encoder and sentence splitting are embedded."""
    from tqdm import tqdm

    from api.storage.embedding_store import kept_encodings

    cache = kept_encodings(open_sessions(), document_encoder)
    with tqdm(total=len(texts), desc="embedding", unit="text") as bar:

        def advance(done: int, total: int) -> None:
            bar.update(done - bar.n)

        encoded = cache.encode(texts, on_chunk=advance)
    print(f"encodings: {cache.hits} kept, {cache.misses} new", file=sys.stderr)
    return encoded


def command_evaluate(arguments: argparse.Namespace) -> None:
    """Evaluate a classifier on labelled data, beside the TF-IDF baseline."""
    from nlp.classifier_store import read_manifest
    from training.datasets import load_labelled
    from training.evaluate import evaluate, format_report, write_chart

    directory = arguments.model if arguments.model is not None else registry().live_directory()
    loaded = pipeline(directory, arguments.precision)
    manifest = read_manifest(directory)
    rows = load_labelled(arguments.data, known_labels=loaded.classifier.labels)
    train_paths = arguments.train or [
        Path(name) for name in manifest["training"]["files"] if Path(name).is_file()
    ]
    train_rows = load_labelled(train_paths) if train_paths else None
    report = evaluate(loaded.classifier, loaded.document_encoder, rows, train_rows)
    print(f"model {manifest['version']} ({directory})")
    if train_rows is None:
        print("baseline skipped: the model's training files were not found (pass --train)")
    print(format_report(report))
    if arguments.chart:
        print(f"chart written to {write_chart(report, arguments.chart)}")


def command_benchmark(arguments: argparse.Namespace) -> None:
    """Print speed figures for classification (with --compare, beside another checkout's)."""
    from api.benchmarks.classification import benchmark_classification, format_benchmark

    text = Path(arguments.narrative).read_text()
    print(format_benchmark(benchmark_classification(pipeline(arguments.model, arguments.precision), text,
                                                    arguments.repeats)))
    if arguments.compare is not None:
        from api.benchmarks.compare import CompareError, compare, format_comparison

        try:
            result = compare(arguments.compare, Path(arguments.narrative))
        except CompareError as error:
            raise CommandError(str(error)) from error
        print(format_comparison(result, arguments.compare))


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    classify = commands.add_parser("classify", help="classify a narrative (stdin) or a JSONL file")
    classify.add_argument("--jsonl", type=Path, help="one {'id', 'text'} object per line")
    classify.add_argument("--model", type=Path, help="a model directory (default: the live one)")
    classify.set_defaults(handler=command_classify)

    train = commands.add_parser("train", help="train a classifier on labelled JSONL files")
    train.add_argument("--data", type=Path, action="append", required=True)
    train.add_argument("--out", type=Path, required=True)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--encoder", default=None,
                       help="sentence encoder (default: multilingual-e5-small; "
                            "sentence-transformers/all-MiniLM-L6-v2 for English only)")
    train.add_argument("--keep-encodings", action="store_true",
                       help="read and keep the texts' encodings (a hash and vectors, no text) in the "
                            "configured database, as retraining does: a second training embeds only "
                            "texts it has not seen; for redacted or fictional postings only")
    train.set_defaults(handler=command_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a classifier on labelled data")
    evaluate.add_argument("--data", type=Path, action="append", required=True)
    evaluate.add_argument("--precision", choices=["auto", "bf16", "fp32", "int8"], default="auto",
                          help="the encoder's precision (auto: "
                               "bf16 where the CPU has it, else fp32)")
    evaluate.add_argument("--model", type=Path)
    evaluate.add_argument(
        "--train", type=Path, action="append",
        help="training data for the baseline (default: the files named in the model manifest)",
    )
    evaluate.add_argument("--chart", type=Path, help="write a PNG of per-category scores")
    evaluate.set_defaults(handler=command_evaluate)

    benchmark = commands.add_parser("benchmark", help="speed of classification")
    benchmark.add_argument("--model", type=Path)
    benchmark.add_argument(
        "--narrative", default=str(files("training") / "examples" / "narrative.txt"))
    benchmark.add_argument("--repeats", type=int, default=20)
    benchmark.add_argument("--precision", choices=["auto", "bf16", "fp32", "int8"], default="auto")
    benchmark.add_argument("--compare", type=Path, metavar="PATH",
                           help="another needmatch checkout: the same narrative classified by its code "
                                "and its live model, in interleaved rounds, with the speed ratio")
    benchmark.set_defaults(handler=command_benchmark)
