"""What every command shares: reading input, printing JSON, logging, and the objects it needs
(built by `api.bootstrap`, as the server's are)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from api.bootstrap import Services
    from api.services.models import ModelRegistry
    from nlp.classify import NeedClassificationPipeline

logger = logging.getLogger("needmatch")

# The command line reads whole case files; the web service has its own, smaller limit.
MAX_NARRATIVE_CHARS = 100_000


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


def read_stdin_text() -> str:
    """The narrative on standard input: UTF-8 text, not empty, not binary, not too long."""
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


def jsonl_texts(path: Path) -> Iterator[tuple[Any, str]]:
    """(id, text) per line of a JSONL file, all validated before the first is yielded."""
    from training.datasets import DatasetError, read_jsonl

    items = []
    for number, value in read_jsonl(path):
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f"{path}:{number}: 'text' is missing or empty")
        items.append((value.get("id"), text))
    return iter(items)


def print_json(value: dict[str, Any]) -> None:
    """One JSON object on its own line of standard output."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def configure_logging(settings: Settings) -> None:
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


# -- the objects commands work with (imported late: a command loads only what it uses) -----
def registry() -> ModelRegistry:
    """The classifier versions of this configuration."""
    from api.bootstrap import model_registry

    return model_registry(Settings())


def pipeline(model: Path | None = None, precision: str = "auto") -> NeedClassificationPipeline:
    """The classifier in `model`, or the live one, its encoder at `precision` (auto: bf16 where
    the CPU has it)."""
    from api.bootstrap import load_pipeline

    return load_pipeline(model if model is not None else registry().live_directory(),
                         precision=precision)


def open_sessions() -> sessionmaker[Session]:
    """The migrated database of this configuration."""
    from api.bootstrap import open_sessions as open_configured

    return open_configured(Settings())


def services() -> Services:
    """Database, live classifier, redactor and responder index, as the server has them."""
    from api.bootstrap import build_services

    return build_services(Settings())
