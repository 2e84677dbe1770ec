"""Commands of classifier versions: retrain, models list/promote/rollback."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import CommandError, open_sessions, pipeline, print_json, registry


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
    from api.bootstrap import configured_retrainer
    from api.settings import Settings

    live = pipeline()
    retrainer = configured_retrainer(Settings(), open_sessions(), registry())
    job_id = retrainer.create_job(None, arguments.force, live.version)
    _print_retrain(retrainer.run(job_id, live, show_progress=True))


def _announce(version: str) -> None:
    """With Redis configured, running servers and workers swap at once (else within the poll)."""
    from api.services.model_follower import announce_promotion
    from api.settings import Settings

    redis_url = Settings().redis_url
    if redis_url:
        announce_promotion(redis_url, version)


def command_models(arguments: argparse.Namespace) -> None:
    """List classifier versions, promote one, or roll back to the previous live one."""
    from api.services.models import version_summary

    versions = registry()
    if arguments.action == "promote":
        if not arguments.version:
            raise CommandError("models promote needs a VERSION (see 'needmatch models list')")
        versions.promote_by_hand(arguments.version, arguments.reason or "", "command line")
        _announce(versions.live_version())
        print(f"live model: {versions.live_version()} (a running service swaps to it within "
              "seconds)")
    elif arguments.action == "rollback":
        live = versions.rollback(by="command line")
        _announce(live)
        print(f"rolled back; live model: {live}")
    else:
        live = versions.live_version()
        for manifest in versions.manifests():
            print_json(version_summary(manifest, live))


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
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
