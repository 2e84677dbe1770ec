"""Redact, classify and preview a narrative: nothing is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter

from api.http.dependencies import ModelDep, PosterUser, ServicesDep
from api.http.schemas import (
    ClassifyOut,
    EntitySpan,
    EvidenceItem,
    LanguageCheck,
    NarrativeIn,
    PreviewOut,
    RedactOut,
)
from api.services.needs import check_narrative_size

if TYPE_CHECKING:  # types only: the models load after start-up
    from nlp.classify import Classification
    from nlp.redact import Redaction

router = APIRouter(prefix="/v1")


def _entities(redaction: Redaction) -> list[EntitySpan]:
    return [EntitySpan(type=e.type, start=e.start, end=e.end, placeholder=e.placeholder)
            for e in redaction.entities]


def _evidence(result: Classification) -> dict[str, list[EvidenceItem]]:
    return {label: [EvidenceItem(text=e.text, start=e.start, end=e.end, score=e.score)
                    for e in items] for label, items in result.evidence.items()}


def language_check(text: str) -> LanguageCheck:
    """Say plainly when the narrative is in a language the models were not measured on."""
    from nlp.languages import MEASURED_LANGUAGES, detect_language

    detected = detect_language(text)
    if detected in MEASURED_LANGUAGES:
        return LanguageCheck(detected=detected, measured=True)
    return LanguageCheck(detected=detected, measured=False, warning=(
        f"This summary reads as '{detected}', a language the redactor and the classifier were not "
        "built or measured for: review every name, number and place in it yourself, and check "
        "the categories, before publishing."))


@router.post("/redact", response_model=RedactOut)
def redact(body: NarrativeIn, services: ServicesDep, model: ModelDep, user: PosterUser) -> RedactOut:
    """Identifying details replaced by typed placeholders."""
    check_narrative_size(body.text, services.settings.max_narrative_chars)
    redaction = model.redactor.redact(body.text)
    return RedactOut(text=redaction.text, entities=_entities(redaction))


@router.post("/classify", response_model=ClassifyOut)
def classify(body: NarrativeIn, services: ServicesDep, model: ModelDep, user: PosterUser
             ) -> ClassifyOut:
    """Categories, probabilities and evidence of a narrative as sent."""
    check_narrative_size(body.text, services.settings.max_narrative_chars)
    result = model.pipeline.classify(body.text)
    return ClassifyOut(labels=result.labels, scores=result.scores, evidence=_evidence(result),
                       model=model.version)


@router.post("/needs/preview", response_model=PreviewOut)
def preview(body: NarrativeIn, services: ServicesDep, model: ModelDep, user: PosterUser
            ) -> PreviewOut:
    """The redacted text with its spans, and the categories of the redacted text with evidence."""
    check_narrative_size(body.text, services.settings.max_narrative_chars)
    redaction = model.redactor.redact(body.text)
    result = model.pipeline.classify(redaction.text)
    return PreviewOut(language=language_check(body.text), redacted_text=redaction.text,
                      entities=_entities(redaction), labels=result.labels, scores=result.scores,
                      evidence=_evidence(result), model=model.version)
