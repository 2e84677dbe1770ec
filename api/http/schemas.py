"""Request and response models of the web API, named by role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from api.services.search import SearchHitFacts
from api.services.validation import JurisdictionCode, LanguageCode
from index.matching import Suggestion


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


class ConsentIn(BaseModel):
    """The survivor's informed, written, time-limited consent to share the de-identified summary
    (34 U.S.C. 12291(b)(2)): when it was given, what it covers, when it ends."""

    model_config = ConfigDict(extra="forbid")
    written: Literal[True] = Field(description="the consent is written and signed (required)")
    obtained_on: date
    expires_on: date
    scope: str = Field(min_length=1, max_length=500,
                       description="what may be shared, with whom (e.g. 'de-identified summary, "
                                   "with responders of the network')")

    @model_validator(mode="after")
    def _dates(self) -> ConsentIn:
        today = datetime.now(UTC).date()
        if self.obtained_on > today:
            raise ValueError("consent obtained_on is in the future")
        if self.expires_on <= self.obtained_on:
            raise ValueError("consent expires_on must come after obtained_on")
        if self.expires_on <= today:
            raise ValueError("the consent has already expired: ask the survivor to renew it")
        return self


class CaseCreate(BaseModel):
    """A reviewed case to publish (it is redacted again on the way in)."""

    model_config = ConfigDict(extra="forbid")
    text: NarrativeText
    jurisdiction: JurisdictionCode
    # The narrative's language; detected when not given.
    language: LanguageCode | None = None
    # The languages the survivor speaks, when they differ from the summary's: the language rule
    # of matching uses them (a Spanish speaker's English summary is matched to Spanish speakers).
    survivor_languages: list[LanguageCode] = Field(default_factory=list, max_length=20)
    # The categories the advocate confirmed (added, removed) from the preview's; without them,
    # the classifier's. Each becomes a need.
    categories: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, max_length=30)
    # Without it: high when the narrative states a deadline within 14 days, else normal.
    urgency: Literal["low", "normal", "high"] | None = None
    consent: ConsentIn


class CaseStatusUpdate(BaseModel):
    """Open a case held for review (or closed), or close it with its open needs."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "closed"]


class NeedStatusUpdate(BaseModel):
    """One need's status (the case's follows its needs)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "matched", "closed"]


class InvitationCreate(BaseModel):
    """The advocate invites a suggested responder to offer help on a need."""

    model_config = ConfigDict(extra="forbid")
    responder_id: str = Field(min_length=1, max_length=100)


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


class NoSuggestionReason(BaseModel):
    """For a need nobody was suggested for: responders left after each eligibility rule."""

    practise: int
    practise_here: int
    speak: int
    with_capacity: int
    reason: Literal["nobody_practises", "nobody_licensed_here", "nobody_speaks", "all_at_capacity"] | None


class DeadlineOut(BaseModel):
    """A deadline found in the narrative: its date, the sentence that states it, its kind."""

    date: date
    sentence: str
    kind: str


class ConsentOut(BaseModel):
    """The consent recorded with a case."""

    obtained_on: date
    expires_on: date
    scope: str


class NeedOut(BaseModel):
    """One need of a case: a category with its own status, offers and suggestions."""

    id: str
    case_id: str
    category: str
    status: str
    # classifier (the advocate confirmed it), advocate (she added it) or migrated
    source: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
    suggestions: list[MatchSuggestion] | None = None
    # When nobody is suggested: which eligibility rule left nobody.
    no_suggestion: NoSuggestionReason | None = None
    offers: list[dict[str, Any]] | None = None


class CaseOut(BaseModel):
    """A stored case (redacted text only) with its needs."""

    id: str
    text: str
    labels: list[str]
    scores: dict[str, float]
    jurisdiction: str
    language: str
    survivor_languages: list[str]
    urgency: str
    deadlines: list[DeadlineOut]
    consent: ConsentOut | None
    status: str
    model_version: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
    # When the text was purged (its consent ended, or it was closed past retention).
    purged_at: UtcDateTime | None = None
    needs: list[NeedOut]


class CasePublished(CaseOut):
    """A newly published case, each need with its first suggestions.

    `review` says why a case was held for review (status `review`, not shown to responders):
    `unsupported_language` or `no_category`. `field_labels` are the advocate's corrections of
    the classifier (category -> applies), kept for an admin to confirm.
    """

    review: Literal["unsupported_language", "no_category"] | None = None
    detected_language: str
    field_labels: dict[str, bool]


class CaseList(BaseModel):
    """A page of the organisation's cases, newest first."""

    cases: list[CaseOut]
    total: int
    limit: int
    offset: int


class NeedSibling(BaseModel):
    """Another need of the same case."""

    id: str
    category: str
    status: str


class NeedDetail(BaseModel):
    """A need as a responder reads it: its case's redacted text, place, languages, urgency and
    deadlines, and the case's other needs."""

    id: str
    case_id: str
    category: str
    status: str
    text: str
    jurisdiction: str
    language: str
    survivor_languages: list[str]
    urgency: str
    deadlines: list[DeadlineOut]
    other_needs: list[NeedSibling]
    created_at: UtcDateTime


class SuggestionsOut(BaseModel):
    """Suggestions for a need; when there are none, why."""

    suggestions: list[MatchSuggestion]
    no_suggestion: NoSuggestionReason | None = None


class SearchHit(BaseModel):
    """A need matching a search, with what a responder needs to decide to look closer."""

    need_id: str
    case_id: str
    category: str
    jurisdiction: str
    language: str
    survivor_languages: list[str]
    urgency: str
    deadlines: list[dict[str, str]]
    score: float
    snippet: str

    @classmethod
    def of(cls, hit: SearchHitFacts) -> SearchHit:
        """The response model of a search result."""
        facts = hit.facts
        return cls(need_id=facts.need_id, case_id=facts.case_id, category=facts.category,
                   jurisdiction=facts.jurisdiction, language=facts.language,
                   survivor_languages=list(facts.survivor_languages), urgency=facts.urgency,
                   deadlines=list(facts.deadlines), score=hit.result.score,
                   snippet=hit.result.snippet)


class SearchOut(BaseModel):
    """Search results, best first."""

    results: list[SearchHit]


class AccessEntry(BaseModel):
    """One read of a case by a responder or an admin."""

    at: UtcDateTime
    reader: str
    role: str
    action: str


class AccessLog(BaseModel):
    """Who read a case, newest first."""

    case_id: str
    entries: list[AccessEntry]


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
