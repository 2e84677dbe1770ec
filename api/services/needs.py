"""Needs: publish (redact, classify, store, match, notify), read, change status, delete, import,
and classify stored needs again with a new model."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services import policy
from api.services.errors import NarrativeTooLong, NeedIsExample, NeedNotFound, quoted
from api.services.events import EventBus
from api.services.serving import ServingModel
from api.services.validation import JurisdictionCode, LanguageCode, describe
from api.storage.tables import Need, NeedClassification, Offer, User
from index.matching import NeedQuery, Suggestion, match_need, why_no_match
from nlp.languages import SUPPORTED_LANGUAGES, detect_language
from training.datasets import DatasetError, read_jsonl

if TYPE_CHECKING:
    from nlp.classify import Classification

logger = logging.getLogger("needmatch.service")

# Imported labelled examples are stored as postings with this status: never searched,
# matched, offered on or shown to responders; they exist to be learned from.
EXAMPLE_STATUS = "labelled"
# A published need that no responder sees until its poster opens it (see `publish`).
REVIEW_STATUS = "review"
ReviewReason = Literal["unsupported_language", "no_category"]
UNSUPPORTED_LANGUAGE: ReviewReason = "unsupported_language"
NO_CATEGORY: ReviewReason = "no_category"


@dataclass(frozen=True)
class Published:
    """What publishing found besides the need: the redacted text's language, and why it is held
    for review (None when it was opened at once)."""

    detected_language: str
    review: ReviewReason | None
URGENCIES = ("low", "normal", "high")


class NeedInput(BaseModel):
    """A need as posted: id, narrative, where and in what language."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=100_000)
    jurisdiction: JurisdictionCode
    language: LanguageCode
    survivor_languages: list[LanguageCode] = Field(default_factory=list, max_length=20)
    urgency: str = "normal"

    def matching_languages(self) -> tuple[str, ...]:
        """The survivor's languages, or the narrative's when none were given."""
        return tuple(self.survivor_languages or [self.language])

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str) -> str:
        if value not in URGENCIES:
            raise ValueError("must be low, normal or high")
        return value


def read_need_rows(path: Path) -> list[NeedInput]:
    """Validate every line first; the message names the line but never quotes the narrative."""
    rows = []
    for number, value in read_jsonl(path):
        try:
            rows.append(NeedInput.model_validate(value))
        except ValidationError as error:
            raise DatasetError(f"{path}:{number}: {describe(error)}") from None
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


@dataclass(frozen=True)
class MatchOutcome:
    """The redacted need and its suggestions."""

    id: str
    redacted_text: str
    labels: list[str]
    suggestions: list[Suggestion]


def check_narrative_size(text: str, limit: int | None) -> None:
    """Refuse a narrative past the configured number of characters."""
    if limit is not None and len(text) > limit:
        raise NarrativeTooLong(len(text), limit)


# -- matching (nothing stored) ------------------------------------------------------------
def match_needs(model: ServingModel, needs: Sequence[NeedInput], k: int = 5) -> list[MatchOutcome]:
    """Redact, classify and match needs (nothing is stored)."""
    redactions = model.redactor.redact_batch([need.text for need in needs])
    return _match_redacted(model, [
        (need.id, redaction.text, need.jurisdiction, need.matching_languages())
        for need, redaction in zip(needs, redactions, strict=True)], k)


def _match_redacted(model: ServingModel, needs: Sequence[tuple[str, str, str, tuple[str, ...]]],
                    k: int, stored: bool = False) -> list[MatchOutcome]:
    """Match (id, redacted text, jurisdiction, languages) rows; the encodings of `stored` texts
    are kept (never those of a narrative that is only being matched)."""
    index = model.directory.index()
    texts = [text for _, text, _, _ in needs]
    encoded = (model.encodings.encode(texts) if stored
               else model.pipeline.document_encoder.encode_batch(texts))
    classified = model.pipeline.classifier.classify_encoded(encoded, texts)
    outcomes = []
    for (identifier, text, jurisdiction, languages), item, result in zip(
            needs, encoded, classified, strict=True):
        query = NeedQuery(item, result.scores, result.labels, jurisdiction, languages)
        outcomes.append(MatchOutcome(identifier, text, result.labels, match_need(index, query, k)))
    logger.info("matched %d needs", len(needs))
    return outcomes


# -- one need -----------------------------------------------------------------------------
def _stored(session: Session, need_id: str) -> Need:
    need = session.get(Need, need_id)
    if need is None:
        raise NeedNotFound(need_id)
    return need


def read_need(sessions: sessionmaker[Session], user: User, need_id: str) -> Need:
    """A need this user may see."""
    with sessions() as session:
        need = _stored(session, need_id)
        accepted = user.responder_id is not None and (session.scalar(
            select(func.count()).select_from(Offer).where(
                Offer.need_id == need_id, Offer.responder_id == user.responder_id,
                Offer.status == "accepted")) or 0) > 0
    policy.check_read_need(user, need, accepted)
    return need


def list_needs(sessions: sessionmaker[Session], user: User, status: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[Need], int]:
    """The organisation's posted needs, newest first (an admin sees every organisation's), and
    how many there are in all; imported labelled examples are not postings and are left out."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    query = select(Need).where(Need.status != EXAMPLE_STATUS)
    if user.role != policy.ADMIN:
        query = query.where(Need.organization_id == user.organization_id)
    if status is not None:
        query = query.where(Need.status == status)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = list(session.scalars(query.order_by(Need.created_at.desc(), Need.id.desc())
                                    .limit(limit).offset(offset)))
    return rows, int(total)


def suggestions_for(sessions: sessionmaker[Session], model: ServingModel, user: User,
                    need_id: str, k: int = 5) -> list[Suggestion]:
    """Responders suggested for one of the user's stored (already redacted) needs."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions() as session:
        need = _stored(session, need_id)
    policy.check_manage_need(user, need)
    row = (need.id, need.text, need.jurisdiction, need.matching_languages())
    return _match_redacted(model, [row], k, stored=True)[0].suggestions


def publish(sessions: sessionmaker[Session], model: ServingModel, user: User, text: str,
            jurisdiction: str, language: str, urgency: str, bus: EventBus | None = None,
            notify_threshold: float = 1.0, max_chars: int | None = None,
            k: int = 20, survivor_languages: Sequence[str] = (),
            idempotency_key: str | None = None) -> tuple[Need, list[Suggestion], Published]:
    """Redact again (the poster may have skipped the preview), classify, store, match, and push
    the need to the streams of responders whose suggestion scores at least notify_threshold.

    A need in a language the models were not trained on, or with no category found, is stored
    held for review (status `review`): no responder sees it or hears of it until its poster
    opens it.

    With an `idempotency_key`, a retry (the same organisation, the same key) returns the need
    that the first request stored, and notifies nobody again.
    """
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    check_narrative_size(text, max_chars)
    if idempotency_key is not None:
        with sessions() as session:
            earlier = _by_idempotency_key(session, user, idempotency_key)
        if earlier is not None:
            return _replay(model, earlier, k)
    redacted = model.redactor.redact(text).text
    encoded = model.encodings.encode([redacted])[0]
    result = model.pipeline.classifier.classify_encoded([encoded], [redacted])[0]
    # Matched before the need is stored: a request that fails writes nothing, so a client that
    # retries after an error never makes a duplicate. The sentences were embedded once.
    languages = tuple(dict.fromkeys(survivor_languages)) or (language,)
    query = NeedQuery(encoded, result.scores, result.labels, jurisdiction, languages)
    suggestions = match_need(model.directory.index(), query, k)
    published = Published(detect_language(redacted), None)
    if published.detected_language not in SUPPORTED_LANGUAGES:
        published = Published(published.detected_language, UNSUPPORTED_LANGUAGE)
    elif not result.labels:
        published = Published(published.detected_language, NO_CATEGORY)
    need = Need(id=f"need-{uuid.uuid4().hex[:16]}", organization_id=user.organization_id,
                text=redacted, labels=result.labels, scores=result.scores,
                model_version=model.version, jurisdiction=jurisdiction, language=language,
                survivor_languages=list(dict.fromkeys(survivor_languages)), urgency=urgency,
                status=REVIEW_STATUS if published.review else "open", idempotency_key=idempotency_key)
    try:
        with sessions.begin() as session:
            session.add(need)
    except IntegrityError:
        # The same key, stored by a concurrent request between the look-up and now.
        with sessions() as session:
            earlier = _by_idempotency_key(session, user, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replay(model, earlier, k)
    logger.info("need %s published: %d labels, status %s", need.id, len(result.labels), need.status)
    if bus is not None and not published.review:
        for suggestion in suggestions:
            if suggestion.score >= notify_threshold:
                bus.publish(f"responder:{suggestion.responder_id}", "need", {
                    "need_id": need.id, "score": suggestion.score, "labels": need.labels,
                    "jurisdiction": need.jurisdiction, "language": need.language,
                    "survivor_languages": need.survivor_languages,
                    "urgency": need.urgency})
    return need, suggestions, published


def _by_idempotency_key(session: Session, user: User, key: str) -> Need | None:
    organization = (Need.organization_id.is_(None) if user.organization_id is None
                    else Need.organization_id == user.organization_id)
    return session.scalar(select(Need).where(organization, Need.idempotency_key == key))


def _replay(model: ServingModel, need: Need, k: int) -> tuple[Need, list[Suggestion], Published]:
    """A stored need as its first publish returned it (suggestions as they stand now)."""
    row = (need.id, need.text, need.jurisdiction, need.matching_languages())
    suggestions = _match_redacted(model, [row], k, stored=True)[0].suggestions
    detected = detect_language(need.text)
    review: ReviewReason | None = None
    if need.status == REVIEW_STATUS:
        review = UNSUPPORTED_LANGUAGE if detected not in SUPPORTED_LANGUAGES else NO_CATEGORY
    logger.info("need %s returned again for a repeated Idempotency-Key", need.id)
    return need, suggestions, Published(detected, review)


def why_no_suggestion(model: ServingModel, need: Need) -> dict[str, dict[str, Any]]:
    """For a need that got no suggestion: per category, which eligibility rule left nobody."""
    categories = list(need.labels) or sorted(need.scores, key=lambda c: -need.scores[c])[:2]
    return why_no_match(model.directory.index(), need.jurisdiction, need.matching_languages(),
                        categories)


def set_status(sessions: sessionmaker[Session], user: User, need_id: str, status: str) -> Need:
    """Open, matched or closed (an imported labelled example has none of these)."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        need = _stored(session, need_id)
        policy.check_manage_need(user, need)
        if need.status == EXAMPLE_STATUS:
            raise NeedIsExample(f"{quoted(need_id)} is an imported labelled example, not a request for "
                                "help: it cannot be opened, matched or closed")
        need.status = status
    return need


def delete_need(sessions: sessionmaker[Session], model: ServingModel, user: User,
                need_id: str) -> None:
    """Delete a need, its offers and its kept encoding for good."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        need = _stored(session, need_id)
        policy.check_manage_need(user, need)
        text = need.text
        session.execute(delete(Offer).where(Offer.need_id == need_id))
        session.execute(delete(Need).where(Need.id == need_id))
    model.encodings.forget([text])


# -- many needs ---------------------------------------------------------------------------
def import_needs(sessions: sessionmaker[Session], model: ServingModel, needs: Sequence[NeedInput],
                 show_progress: bool = False) -> tuple[int, int]:
    """Redact, classify and store needs as open (upsert by id, one transaction)."""
    created = updated = 0
    prepared: list[tuple[NeedInput, str, Classification]] = []
    # Redact, embed and classify first: the embedding cache writes in its own transaction,
    # and SQLite allows one writer at a time.
    with tqdm(total=len(needs), desc="needs", unit="need", disable=not show_progress) as bar:
        for first in range(0, len(needs), 32):
            batch = needs[first : first + 32]
            texts = [r.text for r in model.redactor.redact_batch([n.text for n in batch])]
            results = model.pipeline.classifier.classify_encoded(model.encodings.encode(texts), texts)
            prepared.extend(zip(batch, texts, results, strict=True))
            bar.update(len(batch))
    with sessions.begin() as session:
        for need, text, result in prepared:
            row = session.get(Need, need.id)
            if row is None:
                row = Need(id=need.id)
                session.add(row)
                created += 1
            else:
                updated += 1
            row.text, row.labels, row.scores = text, result.labels, result.scores
            row.model_version = model.version
            row.jurisdiction, row.language = need.jurisdiction, need.language
            row.survivor_languages = list(need.survivor_languages)
            row.urgency, row.status = need.urgency, "open"
    logger.info("needs import: %d new, %d updated", created, updated)
    return created, updated


def reclassify_needs(sessions: sessionmaker[Session], model: ServingModel,
                     statuses: Sequence[str] = ("open", REVIEW_STATUS, "matched", "closed"),
                     show_progress: bool = False, batch: int = 64,
                     progress: Callable[[str, int, int], object] | None = None) -> tuple[int, int]:
    """Classify stored needs again with this model; earlier categories go to history.

    Returns (needs looked at, needs whose categories or scores changed).
    """
    classifier, version = model.pipeline.classifier, model.version
    with sessions() as session:
        identifiers = list(session.scalars(select(Need.id).where(Need.status.in_(statuses))
                                           .order_by(Need.id)))
    changed = 0
    with tqdm(total=len(identifiers), desc="reclassify", unit="need",
              disable=not show_progress) as bar:
        for first in range(0, len(identifiers), batch):
            chunk = identifiers[first : first + batch]
            with sessions() as session:
                texts = dict(session.execute(select(Need.id, Need.text)
                                             .where(Need.id.in_(chunk))).all())
            # Encoded outside the write transaction (the cache writes in its own).
            results = dict(zip(texts, classifier.classify_encoded(
                model.encodings.encode(list(texts.values())), list(texts.values())), strict=True))
            with sessions.begin() as session:
                for need in session.scalars(select(Need).where(Need.id.in_(list(texts)))):
                    result = results[need.id]
                    if need.text != texts[need.id] or (need.model_version == version
                                                       and need.labels == result.labels
                                                       and need.scores == result.scores):
                        continue  # edited meanwhile, or nothing new
                    session.add(NeedClassification(
                        need_id=need.id, labels=need.labels, scores=need.scores,
                        model_version=need.model_version))
                    need.labels, need.scores = result.labels, result.scores
                    need.model_version = version
                    changed += 1
            bar.update(len(chunk))
    logger.info("reclassified %d needs with model %s: %d changed", len(identifiers), version,
                changed)
    return len(identifiers), changed
