"""Entry point of the `needmatch` command: parse, run one command, turn errors into one line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from api.cli.common import CommandError, configure_logging, logger
from api.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a user-facing error is printed as one line with exit status 1."""
    from pydantic import ValidationError

    from api.services.errors import DomainError
    from api.services.validation import describe
    from api.settings import Settings
    from nlp.classifier_store import ModelMismatch, ModelNotFound
    from nlp.encoding import EmptyText
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
