"""Shared fixtures: heavy models are loaded once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def encoder():  # type: ignore[no-untyped-def]
    from nlp.encoder import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def document_encoder(encoder):  # type: ignore[no-untyped-def]
    from nlp.classify import DocumentEncoder

    return DocumentEncoder(encoder)


@pytest.fixture(scope="session")
def shipped_pipeline(encoder, document_encoder):  # type: ignore[no-untyped-def]
    from api.model_registry import live_model_directory
    from nlp.classifier_store import load_classifier
    from nlp.classify import NeedClassificationPipeline

    classifier, manifest = load_classifier(live_model_directory(), encoder)
    return NeedClassificationPipeline(document_encoder, classifier, manifest["version"])


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write lines (dicts are JSON-encoded, strings written as they are) to a temp file."""
    import json

    def write(lines: list[object], name: str = "data.jsonl") -> Path:
        path = tmp_path / name
        path.write_text(
            "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
        )
        return path

    return write
