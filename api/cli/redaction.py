"""Commands of the redactor: redact, evaluate-redaction."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli.common import jsonl_texts, logger, print_json, read_stdin_text


def _redaction_json(redaction: Any) -> dict[str, Any]:
    return {
        "text": redaction.text,
        "entities": [
            {"type": e.type, "start": e.start, "end": e.end, "placeholder": e.placeholder}
            for e in redaction.entities
        ],
    }


def command_redact(arguments: argparse.Namespace) -> None:
    """Redact one narrative from stdin, or every line of a JSONL file."""
    from nlp.redact import Redactor

    if arguments.jsonl:
        items = list(jsonl_texts(arguments.jsonl))
        redactor = Redactor()
        for (identifier, _), redaction in zip(
            items, redactor.redact_batch([text for _, text in items]), strict=True
        ):
            print_json({"id": identifier, **_redaction_json(redaction)})
        logger.info("redacted %d narratives", len(items))
        return
    text = read_stdin_text()
    redaction = Redactor().redact(text)
    print_json(_redaction_json(redaction))
    logger.info("redacted 1 narrative: %d spans replaced", len(redaction.entities))


def command_evaluate_redaction(arguments: argparse.Namespace) -> None:
    """Removal recall, precision and keep rate of the redactor on gold files, and its speed."""
    from training.evaluate_redaction import main as evaluate_redaction

    argv = [item for path in arguments.data for item in ("--data", str(path))]
    evaluate_redaction(argv + (["--skip-benchmark"] if arguments.skip_benchmark else [])
                       + (["--by-language"] if arguments.by_language else [])
                       + (["--no-tagger"] if arguments.no_tagger else [])
                       + (["--tagger", str(arguments.tagger)] if arguments.tagger else []))


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
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
    evaluate_redaction.add_argument("--by-language", action="store_true",
                                    help="also one table per language of each file")
    evaluate_redaction.add_argument("--tagger", type=Path,
                                    help="a trained tagger's directory instead of the shipped one")
    evaluate_redaction.add_argument("--no-tagger", action="store_true",
                                    help="the rules alone, without the learned tagger")
    evaluate_redaction.set_defaults(handler=command_evaluate_redaction)
