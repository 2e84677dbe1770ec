"""The argument parser: each command group registers its own subcommands."""

from __future__ import annotations

import argparse

from api.cli import accounts, benchmarks, classifier, labels, models, needs, redaction, responders, server

GROUPS = (classifier, redaction, responders, needs, labels, models, accounts, server, benchmarks)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="needmatch",
                                     description="The `needmatch` command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(commands)
    return parser
