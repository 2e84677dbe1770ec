"""Commands of labels and categories: labels import/export/suggest, categories list/add."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.cli.common import (
    CommandError,
    logger,
    open_sessions,
    print_json,
    registry,
    services,
)


def command_labels(arguments: argparse.Namespace) -> None:
    """Import labels (and labelled examples), export them, or list postings worth labelling."""
    from api.services.labels import export_labels, import_labels
    from api.services.retraining import uncertain_postings

    if arguments.action == "import":
        if arguments.file is None:
            raise CommandError("labels import needs a FILE (.jsonl)")
        loaded = services()
        counts = import_labels(loaded.sessions, arguments.file, loaded.model.redactor,
                               show_progress=True, encodings=loaded.model.encodings)
        print(f"imported labels for {counts.rows} postings: {counts.examples_created} new labelled "
              f"examples, {counts.labels_added} label decisions added")
        logger.info("labels import: %d rows, %d examples, %d decisions", counts.rows,
                    counts.examples_created, counts.labels_added)
    elif arguments.action == "export":
        handle = arguments.out.open("w", encoding="utf-8") if arguments.out else sys.stdout
        with open_sessions()() as session:
            count = 0
            for row in export_labels(session):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        if arguments.out:
            handle.close()
            print(f"exported {count} labelled postings to {arguments.out}")
    else:
        loaded = services()
        for item in uncertain_postings(loaded.sessions, loaded.model.pipeline, arguments.k):
            print_json(item)


def command_categories(arguments: argparse.Namespace) -> None:
    """List the categories with their status, or add one."""
    from api.services.categories import add_category
    from api.services.labels import category_list
    from training.retrain import RetrainConfig

    sessions = open_sessions()
    if arguments.action == "add":
        if not (arguments.id and arguments.label and arguments.description):
            raise CommandError("categories add needs ID, --label and --description")
        with sessions.begin() as session:
            add_category(session, arguments.id, arguments.label, arguments.description, None)
        print(f"added category {arguments.id}; label postings with it, then retrain")
        return
    live = json.loads((registry().live_directory() / "manifest.json").read_text())["labels"]
    with sessions() as session:
        for row in category_list(session, live, RetrainConfig().min_examples):
            print_json(row)


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
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
