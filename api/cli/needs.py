"""Commands of needs: import, reclassify, match, search."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli.common import CommandError, print_json, read_stdin_text, services


def command_needs(arguments: argparse.Namespace) -> None:
    """Import needs (redact, classify, store open) or classify stored needs again."""
    from api.services.needs import import_needs, read_need_rows
    from api.services.reclassification import reclassify_everything

    if arguments.action == "reembed":
        from api.services.reclassification import reembed_everything

        loaded = services()
        report = reembed_everything(loaded.sessions, loaded.model, show_progress=True)
        print(f"embedded {report['needs']} needs and {report['responders']} responder profiles with "
              f"{report['encoder']} ({report['precision']}); the responder index names it")
        return
    if arguments.action == "reclassify":
        loaded = services()
        report = reclassify_everything(loaded.sessions, loaded.model, show_progress=True)
        print(f"reclassified {report['needs']} needs with model {report['model']}: "
              f"{report['changed']} changed (earlier categories kept in history); "
              f"{report['responders_changed']} responders' inferred categories changed")
        return
    if arguments.file is None:
        raise CommandError("needs import needs a FILE (.jsonl)")
    rows = read_need_rows(arguments.file)
    loaded = services()
    created, updated = import_needs(loaded.sessions, loaded.model, rows, show_progress=True)
    print(f"imported {len(rows)} needs: {created} new, {updated} updated")


def _need_rows_from_stdin(arguments: argparse.Namespace) -> list[Any]:
    from pydantic import ValidationError

    from api.services.needs import NeedInput
    from api.services.validation import describe

    if not arguments.jurisdiction or not arguments.language:
        raise CommandError("a narrative on stdin needs --jurisdiction and --language")
    try:
        return [NeedInput(id="stdin", text=read_stdin_text(), jurisdiction=arguments.jurisdiction,
                          language=arguments.language)]
    except ValidationError as error:
        raise CommandError(describe(error)) from None


def command_match(arguments: argparse.Namespace) -> None:
    """Suggest responders for needs (JSONL) or one narrative on stdin."""
    from api.services.needs import match_needs, read_need_rows

    rows = read_need_rows(arguments.jsonl) if arguments.jsonl else _need_rows_from_stdin(arguments)
    for outcome in match_needs(services().model, rows, arguments.k):
        print_json({"id": outcome.id, "suggestions": [
            {"responder_id": s.responder_id, "score": s.score, "explanation": s.explanation}
            for s in outcome.suggestions]})


def command_search(arguments: argparse.Namespace) -> None:
    """Search open needs with plain-language queries."""
    from api.services.search import search_needs
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
    loaded = services()
    results = search_needs(loaded.model.search, loaded.model.pipeline,
                           [query for _, query in queries], arguments.k)
    for (identifier, _), found in zip(queries, results, strict=True):
        print_json({"id": identifier, "results": [
            {"need_id": r.need_id, "score": r.score, "snippet": r.snippet, "score_parts": r.parts}
            for r in found]})


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    needs = commands.add_parser(
        "needs", help="import needs (redacted, classified, stored open), reclassify stored ones, or "
                      "embed needs and responders again with the live model's encoder")
    needs.add_argument("action", choices=["import", "reclassify", "reembed"])
    needs.add_argument("file", type=Path, nargs="?",
                       help="JSONL rows {'id', 'text', 'jurisdiction', 'language'} (import)")
    needs.set_defaults(handler=command_needs)

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
