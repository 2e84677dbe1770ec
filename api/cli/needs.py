"""Commands of cases and needs: import, reclassify, re-embed, match, search."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli.common import CommandError, open_sessions, print_json, read_stdin_text, services


def _queue(arguments: argparse.Namespace) -> None:
    """Hand an import or a re-embedding to the workers' queue instead of running it here."""
    from api.settings import Settings

    if arguments.action not in ("import", "reembed"):
        raise CommandError("--queue applies to 'needs import' and 'needs reembed'")
    settings = Settings()
    if not settings.redis_url:
        raise CommandError("--queue needs NEEDMATCH_REDIS_URL (the workers' queue on Redis, "
                           "where `needmatch worker` reads its jobs); without it, leave out "
                           "--queue to run the job here")
    if arguments.action == "reembed":
        from api.services.reclassification import start_reembed

        job_id = start_reembed(open_sessions(), None, None, settings.redis_url)
    else:
        from api.services.case_imports import start_import
        from api.services.cases import read_case_rows

        if arguments.file is None:
            raise CommandError("needs import needs a FILE (.jsonl)")
        rows = read_case_rows(arguments.file)
        job_id = start_import(open_sessions(), rows, None, settings.redis_url)
    print(f"queued {arguments.action} job {job_id}: a `needmatch worker` runs it; follow it at "
          f"GET /v1/admin/jobs/{job_id}")
    print(job_id)


def command_needs(arguments: argparse.Namespace) -> None:
    """Import cases (redact, classify, store open with a need per category) or classify stored
    cases again."""
    from api.services.cases import import_cases, read_case_rows
    from api.services.reclassification import reclassify_everything

    if arguments.queue:
        _queue(arguments)
        return
    if arguments.action == "reembed":
        from api.services.reclassification import reembed_everything

        loaded = services()
        report = reembed_everything(loaded.sessions, loaded.model, show_progress=True)
        print(f"embedded {report['needs']} cases and {report['responders']} responder profiles with "
              f"{report['encoder']} ({report['precision']}); the responder index names it")
        return
    if arguments.action == "purge":
        from api.services.retention import purge_cases
        from api.storage.tables import utc_now

        loaded = services()
        purged = purge_cases(loaded.sessions, loaded.model.encodings, utc_now().date(),
                             loaded.settings.closed_case_retention_days)
        print(f"purged {purged.consent_ended} cases whose consent ended and "
              f"{purged.retention_passed} closed more than "
              f"{loaded.settings.closed_case_retention_days} days ago")
        return
    if arguments.action == "reclassify":
        loaded = services()
        report = reclassify_everything(loaded.sessions, loaded.model, show_progress=True)
        print(f"reclassified {report['needs']} cases with model {report['model']}: "
              f"{report['changed']} changed (earlier categories kept in history); "
              f"{report['responders_changed']} responders' inferred categories changed")
        return
    if arguments.file is None:
        raise CommandError("needs import needs a FILE (.jsonl)")
    rows = read_case_rows(arguments.file)
    loaded = services()
    created, updated = import_cases(loaded.sessions, loaded.model, rows, show_progress=True)
    print(f"imported {len(rows)} cases: {created} new, {updated} updated")


def _need_rows_from_stdin(arguments: argparse.Namespace) -> list[Any]:
    from pydantic import ValidationError

    from api.services.cases import CaseInput
    from api.services.validation import describe

    if not arguments.jurisdiction or not arguments.language:
        raise CommandError("a narrative on stdin needs --jurisdiction and --language")
    try:
        return [CaseInput(id="stdin", text=read_stdin_text(), jurisdiction=arguments.jurisdiction,
                          language=arguments.language)]
    except ValidationError as error:
        raise CommandError(describe(error)) from None


def command_match(arguments: argparse.Namespace) -> None:
    """Suggest responders for cases (JSONL) or one narrative on stdin: per row, the suggestions of
    all its needs merged by score, and each need's own list beside them."""
    from api.services.cases import match_cases, read_case_rows

    rows = read_case_rows(arguments.jsonl) if arguments.jsonl else _need_rows_from_stdin(arguments)

    def shown(suggestion: Any) -> dict[str, Any]:
        return {"responder_id": suggestion.responder_id, "score": suggestion.score,
                "explanation": suggestion.explanation}

    for outcome in match_cases(services().model, rows, arguments.k):
        print_json({"id": outcome.id,
                    "suggestions": [shown(s) for s in outcome.merged(arguments.k)],
                    "needs": [{"category": category, "suggestions": [shown(s) for s in found]}
                              for category, found in outcome.by_category.items()]})


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
            {"need_id": hit.result.need_id, "case_id": hit.facts.case_id,
             "category": hit.facts.category, "jurisdiction": hit.facts.jurisdiction,
             "urgency": hit.facts.urgency, "score": hit.result.score,
             "snippet": hit.result.snippet, "score_parts": hit.result.parts}
            for hit in found]})


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    needs = commands.add_parser(
        "needs", help="import cases (redacted, classified, stored open with a need per category), "
                      "reclassify stored ones, embed cases and responders again with the live "
                      "model's encoder, or purge cases past their consent or retention")
    needs.add_argument("action", choices=["import", "reclassify", "reembed", "purge"])
    needs.add_argument("file", type=Path, nargs="?",
                       help="JSONL rows {'id', 'text', 'jurisdiction', 'language'} (import)")
    needs.add_argument("--queue", action="store_true",
                       help="import or reembed: put the job on the workers' queue (needs "
                            "NEEDMATCH_REDIS_URL) and print its id, instead of running it here")
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
