"""Request and response models of the web API, named by role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.services.validation import JurisdictionCode, LanguageCode
from index.matching import Suggestion
from index.need_search import SearchResult


def _printable(value: str) -> str:
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise ValueError("contains control characters: send plain text")
    if not value.strip():
        raise ValueError("is empty")
    return value


# Not blank, no control characters but tab and line breaks (written into the OpenAPI document).
_PLAIN = r"[^\x00-\x08\x0b\x0c\x0e-\x1f]*"
NarrativeText = Annotated[str, AfterValidator(_printable), Field(
    min_length=1, json_schema_extra={"pattern": f"^{_PLAIN}\\S{_PLAIN}$"},
    description="plain text, not blank, without control characters other than tab and line breaks")]



def _as_utc(value: datetime) -> datetime:
    """SQLite gives back naive times; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# A stored time, always with its offset (the OpenAPI "date-time" format requires one).
UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]

class NarrativeIn(BaseModel):
    """A narrative for redaction, classification or preview."""

    model_config = ConfigDict(extra="forbid")
    text: NarrativeText
    jurisdiction: JurisdictionCode | None = None
    language: LanguageCode | None = None


class NeedCreate(BaseModel):
    """A reviewed need to publish (it is redacted again on the way in)."""

    model_config = ConfigDict(extra="forbid")
    text: NarrativeText
    jurisdiction: JurisdictionCode
    language: LanguageCode
    # The languages the survivor speaks, when they differ from the summary's: the language rule
    # of matching uses them (a Spanish speaker's English summary is matched to Spanish speakers).
    survivor_languages: list[LanguageCode] = Field(default_factory=list, max_length=20)
    urgency: Literal["low", "normal", "high"] = "normal"


class NeedStatusUpdate(BaseModel):
    """A status change (a need held for review is opened by setting it open)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "matched", "closed"]


class EntitySpan(BaseModel):
    """One replaced span, offsets into the text that was sent."""

    type: str
    start: int
    end: int
    placeholder: str


class EvidenceItem(BaseModel):
    """A sentence that drove a category."""

    text: str
    start: int
    end: int
    score: float


class RedactOut(BaseModel):
    """The redacted text and what was replaced."""

    text: str
    entities: list[EntitySpan]


class ClassifyOut(BaseModel):
    """Categories with their probabilities and evidence."""

    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[EvidenceItem]]
    model: str


class LanguageCheck(BaseModel):
    """The narrative's detected language and script, and whether the models were measured on it."""

    detected: str
    script: str
    measured: bool
    names_often_missed: bool = False
    warning: str | None = None


class PreviewOut(BaseModel):
    """What the advocate reviews before publishing: nothing is stored."""

    language: LanguageCheck
    redacted_text: str
    entities: list[EntitySpan]
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[EvidenceItem]]
    model: str


class SentenceSpan(BaseModel):
    """A sentence of the need with its offsets into the redacted text."""

    text: str
    start: int
    end: int


class MatchExplanation(BaseModel):
    """Why a responder is suggested: the closest sentence pair, categories, place, language."""

    need_sentence: SentenceSpan
    expertise_sentence: str
    similarity: float
    categories_in_common: list[str]
    categories_declared: bool
    jurisdiction: dict[str, str]
    language: str
    capacity: int
    score_parts: dict[str, float]


class ResponderCard(BaseModel):
    """A suggested responder as the advocate sees it (contact details come with an accepted offer)."""

    name: str
    organization: str
    jurisdictions: list[str]
    languages: list[str]
    capacity: int


class MatchSuggestion(BaseModel):
    """A suggested responder with its explanation (and its card, where the route has it)."""

    responder_id: str
    score: float
    explanation: MatchExplanation
    responder: ResponderCard | None = None

    @classmethod
    def of(cls, suggestion: Suggestion, cards: dict[str, dict[str, Any]] | None = None) -> MatchSuggestion:
        """The response model of a matching suggestion."""
        return cls.model_validate({"responder_id": suggestion.responder_id,
                                   "score": suggestion.score,
                                   "explanation": suggestion.explanation,
                                   "responder": (cards or {}).get(suggestion.responder_id)})


class NeedOut(BaseModel):
    """A stored need (redacted text only)."""

    id: str
    text: str
    labels: list[str]
    scores: dict[str, float]
    jurisdiction: str
    language: str
    survivor_languages: list[str]
    urgency: str
    status: str
    model_version: str
    created_at: UtcDateTime
    updated_at: UtcDateTime


class NoSuggestionReason(BaseModel):
    """For one category of a need nobody was suggested for: responders left after each rule."""

    practise: int
    practise_here: int
    speak: int
    with_capacity: int
    reason: Literal["nobody_practises", "nobody_licensed_here", "nobody_speaks", "all_at_capacity"] | None


class NeedList(BaseModel):
    """A page of the organisation's needs, newest first."""

    needs: list[NeedOut]
    total: int
    limit: int
    offset: int


class NeedPublished(NeedOut):
    """A newly published need with its first suggestions.

    `review` says why a need was held for review (status `review`, not shown to responders):
    `unsupported_language` or `no_category`.
    """

    suggestions: list[MatchSuggestion]
    # When nobody is suggested: per category, which eligibility rule left nobody.
    no_suggestion: dict[str, NoSuggestionReason] | None = None
    review: Literal["unsupported_language", "no_category"] | None = None
    detected_language: str


class SuggestionsOut(BaseModel):
    """Suggestions for a need; when there are none, why, per category."""

    suggestions: list[MatchSuggestion]
    no_suggestion: dict[str, NoSuggestionReason] | None = None


class SearchHit(BaseModel):
    """A need matching a search."""

    need_id: str
    score: float
    snippet: str

    @classmethod
    def of(cls, result: SearchResult) -> SearchHit:
        """The response model of a search result."""
        return cls(need_id=result.need_id, score=result.score, snippet=result.snippet)


class SearchOut(BaseModel):
    """Search results, best first."""

    results: list[SearchHit]


class RedactionFeedbackIn(BaseModel):
    """An advocate's mark on a preview: the redacted text before and after it, never the span."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["missed", "wrongly_removed"]
    entity_type: Literal["PERSON", "PHONE", "EMAIL", "HANDLE", "ADDRESS", "DOB", "ID", "OTHER"]
    before: str = Field(max_length=300)
    after: str = Field(max_length=300)


class RedactionFeedbackOut(BaseModel):
    """A kept mark: its context redacted again, the span itself as [MARKED]."""

    id: int
    kind: str
    entity_type: str
    language: str
    context: str
    created_at: UtcDateTime


class RedactionFeedbackList(BaseModel):
    """Kept marks, newest first."""

    feedback: list[RedactionFeedbackOut]
