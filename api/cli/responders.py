"""Commands of responder profiles: import, list."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from api.cli.common import CommandError, logger, open_sessions, print_json, services


def command_responders(arguments: argparse.Namespace) -> None:
    """Import responder profiles (upsert by id) or list them."""
    from api.services.responders import (
        category_inference,
        list_responders,
        read_profiles,
        upsert_responders,
    )

    if arguments.action == "import":
        if arguments.file is None:
            raise CommandError("responders import needs a FILE (.jsonl or .csv)")
        profiles = read_profiles(arguments.file)
        loaded = services()
        created, updated = upsert_responders(
            loaded.sessions, profiles, category_inference(loaded.model), show_progress=True
        )
        print(f"imported {len(profiles)} responders: {created} new, {updated} updated")
        logger.info("responders import: %d new, %d updated", created, updated)
        return
    for responder in list_responders(open_sessions()):
        print_json(responder.profile())


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    responders = commands.add_parser("responders", help="import or list responder profiles")
    responders.add_argument("action", choices=["import", "list"])
    responders.add_argument("file", type=Path, nargs="?", help="JSONL or CSV (import)")
    responders.set_defaults(handler=command_responders)
