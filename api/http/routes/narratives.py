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
    RedactionFeedbackIn,
    RedactionFeedbackOut,
    RedactOut,
)
from api.services.cases import check_narrative_size

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
    """The narrative's language and script, and plainly when the models are weak or untried in it."""
    from nlp.languages import NAMES_OFTEN_MISSED, SUPPORTED_LANGUAGES, detect_language
    from nlp.scripts import dominant_script

    detected, script = detect_language(text), dominant_script(text)
    if detected not in SUPPORTED_LANGUAGES:
        return LanguageCheck(detected=detected, script=script, measured=False, warning=(
            f"This summary reads as '{detected}', a language the redactor and the classifier were "
            "not trained or measured on: review every name, number and place in it yourself. "
            "Published, it is held for review until you open it."))
    if detected in NAMES_OFTEN_MISSED:
        return LanguageCheck(detected=detected, script=script, measured=True, names_often_missed=True,
                             warning=(f"In '{detected}' the redactor misses many people's names: "
                                      "check every name, nickname and initial before publishing."))
    return LanguageCheck(detected=detected, script=script, measured=True)


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


@router.post("/redaction-feedback", status_code=201, response_model=RedactionFeedbackOut)
def redaction_feedback(body: RedactionFeedbackIn, services: ServicesDep, model: ModelDep,
                       user: PosterUser) -> RedactionFeedbackOut:
    """Keep an advocate's mark (a missed or wrongly removed detail) as evaluation data: the
    redacted text around it, redacted again, with the span as [MARKED]."""
    from api.services.redaction_feedback import record_feedback

    stored = record_feedback(services.sessions, model, user, body.kind, body.entity_type,
                             body.before, body.after)
    return RedactionFeedbackOut.model_validate(stored, from_attributes=True)
