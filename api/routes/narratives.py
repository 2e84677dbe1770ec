"""Redact, classify and preview a narrative: nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter

from api.dependencies import ServicesDep, UserDep, require
from api.errors import PayloadTooLarge
from api.schemas import ClassifyOut, NarrativeIn, PreviewOut, RedactOut
from nlp.classify import Classification
from nlp.redact import Redaction

router = APIRouter(prefix="/v1")


def check_size(services: ServicesDep, text: str) -> None:
    """413 past the configured narrative size."""
    limit = services.settings.max_narrative_chars
    if len(text) > limit:
        raise PayloadTooLarge(f"the narrative has {len(text)} characters; the limit is {limit}")


def _entities(redaction: Redaction) -> list[dict[str, object]]:
    return [{"type": e.type, "start": e.start, "end": e.end, "placeholder": e.placeholder}
            for e in redaction.entities]


def _evidence(result: Classification) -> dict[str, list[dict[str, object]]]:
    return {label: [{"text": e.text, "start": e.start, "end": e.end, "score": e.score}
                    for e in items] for label, items in result.evidence.items()}


@router.post("/redact", response_model=RedactOut)
def redact(body: NarrativeIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Identifying details replaced by typed placeholders."""
    require(user, "poster", "admin")
    check_size(services, body.text)
    redaction = services.service.redactor.redact(body.text)
    return {"text": redaction.text, "entities": _entities(redaction)}


@router.post("/classify", response_model=ClassifyOut)
def classify(body: NarrativeIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Categories, probabilities and evidence of a narrative as sent."""
    require(user, "poster", "admin")
    check_size(services, body.text)
    pipeline = services.service.pipeline
    result = pipeline.classify(body.text)
    return {"labels": result.labels, "scores": result.scores, "evidence": _evidence(result),
            "model": pipeline.version}


@router.post("/needs/preview", response_model=PreviewOut)
def preview(body: NarrativeIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """The redacted text with its spans, and the categories of the redacted text with evidence."""
    require(user, "poster", "admin")
    check_size(services, body.text)
    service = services.service  # once: a model swap mid-request must not mix two models
    redaction = service.redactor.redact(body.text)
    pipeline = service.pipeline
    result = pipeline.classify(redaction.text)
    return {"redacted_text": redaction.text, "entities": _entities(redaction),
            "labels": result.labels, "scores": result.scores, "evidence": _evidence(result),
            "model": pipeline.version}
