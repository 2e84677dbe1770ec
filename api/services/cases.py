"""Cases: publish (redact, classify, store with one need per confirmed category, match each need,
notify), list, read, change status, delete, import, and classify stored cases again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services import policy
from api.services.categories import category_ids
from api.services.errors import (
    CaseNotFound,
    NarrativeTooLong,
    NeedIsExample,
    UnknownCategory,
    quoted,
)
from api.services.events import EventPublisher
from api.services.serving import ServingModel
from api.services.validation import JurisdictionCode, LanguageCode, describe
from api.storage.tables import Case, CaseClassification, CaseLabel, Need, Offer, User, utc_now
from index.matching import NeedQuery, Suggestion, match_need, why_no_match
from nlp.deadlines import find_deadlines, is_urgent
from nlp.languages import SUPPORTED_LANGUAGES, detect_language
from training.datasets import DatasetError, read_jsonl

if TYPE_CHECKING:
    from nlp.classify import Classification
    from nlp.encoding import EncodedText

logger = logging.getLogger("needmatch.service")

# Imported labelled examples are stored as cases with this status: never searched, matched,
# offered on or shown to responders; they exist to be learned from. They hold no needs.
EXAMPLE_STATUS = "labelled"
# A published case that no responder sees until its poster opens it (see `publish`).
REVIEW_STATUS = "review"
ReviewReason = Literal["unsupported_language", "no_category"]
UNSUPPORTED_LANGUAGE: ReviewReason = "unsupported_language"
NO_CATEGORY: ReviewReason = "no_category"
URGENCIES = ("low", "normal", "high")
# A deadline this many days after posting (or sooner) makes a case urgent, unless the advocate
# chose its urgency herself.
URGENT_WITHIN_DAYS = 14


@dataclass(frozen=True)
class Consent:
    """The survivor's written, time-limited consent to share the de-identified summary."""

    obtained_on: date
    expires_on: date
    scope: str


@dataclass(frozen=True)
class Published:
    """A published (or replayed) case with what publishing found: each need's suggestions, the
    redacted text's language, and why the case is held for review (None when opened at once)."""

    case: Case
    needs: list[Need]
    suggestions: dict[str, list[Suggestion]]  # need id -> suggestions
    detected_language: str
    review: ReviewReason | None
    replayed: bool = False
    field_labels: dict[str, bool] = field(default_factory=dict)


class CaseInput(BaseModel):
    """A case as imported or matched from a file: id, narrative, where, in what language."""

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


def read_case_rows(path: Path) -> list[CaseInput]:
    """Validate every line first; the message names the line but never quotes the narrative."""
    rows = []
    for number, value in read_jsonl(path):
        try:
            rows.append(CaseInput.model_validate(value))
        except ValidationError as error:
            raise DatasetError(f"{path}:{number}: {describe(error)}") from None
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


def check_narrative_size(text: str, limit: int | None) -> None:
    """Refuse a narrative past the configured number of characters."""
    if limit is not None and len(text) > limit:
        raise NarrativeTooLong(len(text), limit)


def need_query(encoded: EncodedText, scores: dict[str, float], category: str,
               jurisdiction: str, languages: Sequence[str]) -> NeedQuery:
    """One need of a case as matching sees it: the case's sentences, this category alone."""
    return NeedQuery(encoded, scores, [category], jurisdiction, tuple(languages))


# -- matching (nothing stored) ------------------------------------------------------------
@dataclass(frozen=True)
class MatchOutcome:
    """A redacted case, its suggestions per category and all of them merged by score."""

    id: str
    redacted_text: str
    labels: list[str]
    by_category: dict[str, list[Suggestion]]

    def merged(self, k: int) -> list[Suggestion]:
        """The best k over every need, a responder once (its best score)."""
        best: dict[str, Suggestion] = {}
        for suggestions in self.by_category.values():
            for suggestion in suggestions:
                if suggestion.responder_id not in best or suggestion.score > best[
                        suggestion.responder_id].score:
                    best[suggestion.responder_id] = suggestion
        return sorted(best.values(), key=lambda s: (-s.score, s.responder_id))[:k]


def match_cases(model: ServingModel, cases: Sequence[CaseInput], k: int = 5) -> list[MatchOutcome]:
    """Redact, classify and match each case's needs (nothing is stored)."""
    redactions = model.redactor.redact_batch([case.text for case in cases])
    texts = [redaction.text for redaction in redactions]
    encoded = model.pipeline.document_encoder.encode_batch(texts)
    classified = model.pipeline.classifier.classify_encoded(encoded, texts)
    index = model.directory.index()
    outcomes = []
    for case, text, item, result in zip(cases, texts, encoded, classified, strict=True):
        categories = result.labels or NeedQuery(item, result.scores, [], case.jurisdiction,
                                                case.matching_languages()).categories()
        by_category = {category: match_need(index, need_query(
            item, result.scores, category, case.jurisdiction, case.matching_languages()), k)
            for category in categories}
        outcomes.append(MatchOutcome(case.id, text, result.labels, by_category))
    logger.info("matched %d cases", len(cases))
    return outcomes


# -- one case -----------------------------------------------------------------------------
def stored_case(session: Session, case_id: str) -> Case:
    """A stored case (an imported labelled example is not one)."""
    case = session.get(Case, case_id)
    if case is None or case.status == EXAMPLE_STATUS:
        raise CaseNotFound(case_id)
    return case


def needs_of(session: Session, case_ids: Sequence[str]) -> dict[str, list[Need]]:
    """The needs of these cases, in the order they were named."""
    found: dict[str, list[Need]] = {identifier: [] for identifier in case_ids}
    for need in session.scalars(select(Need).where(Need.case_id.in_(list(case_ids)))
                                .order_by(Need.created_at, Need.id)):
        found[need.case_id].append(need)
    return found


def read_case(sessions: sessionmaker[Session], user: User, case_id: str) -> tuple[Case, list[Need]]:
    """A case of the user's organisation (or any, for an admin), with its needs."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions() as session:
        case = stored_case(session, case_id)
        policy.check_manage_need(user, case)
        return case, needs_of(session, [case.id])[case.id]


def list_cases(sessions: sessionmaker[Session], user: User, status: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[tuple[Case, list[Need]]], int]:
    """The organisation's cases, newest first (an admin sees every organisation's), each with its
    needs, and how many there are in all."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    query = select(Case).where(Case.status != EXAMPLE_STATUS)
    if user.role != policy.ADMIN:
        query = query.where(Case.organization_id == user.organization_id)
    if status is not None:
        query = query.where(Case.status == status)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = list(session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc())
                                    .limit(limit).offset(offset)))
        needs = needs_of(session, [case.id for case in rows])
    return [(case, needs[case.id]) for case in rows], int(total)


def check_categories(sessions: sessionmaker[Session], categories: Sequence[str]) -> list[str]:
    """The categories without repeats; refuses one that is neither in the taxonomy nor added."""
    with sessions() as session:
        known = set(category_ids(session))
    unknown = [category for category in categories if category not in known]
    if unknown:
        raise UnknownCategory(
            f"unknown categories: {', '.join(quoted(name) for name in unknown[:5])}; the "
            "categories are listed by GET /v1/categories")
    return list(dict.fromkeys(categories))


def publish(sessions: sessionmaker[Session], model: ServingModel, user: User, text: str,
            jurisdiction: str, language: str | None, urgency: str | None,
            consent: Consent | None = None, bus: EventPublisher | None = None,
            notify_threshold: float = 1.0, max_chars: int | None = None, k: int = 20,
            survivor_languages: Sequence[str] = (), categories: Sequence[str] | None = None,
            idempotency_key: str | None = None, today: date | None = None) -> Published:
    """Redact again (the poster may have skipped the preview), classify, store the case with one
    need per category, match each need, and push each need to the streams of responders whose
    suggestion scores at least notify_threshold.

    `categories` are the advocate's review of the classifier's proposal: when given, they are
    the needs, and what she added or removed is kept as labels from the field (unconfirmed until
    an admin confirms them). Without them the classifier's categories are the needs.

    Without an `urgency`, a deadline within URGENT_WITHIN_DAYS of today makes the case `high`.
    A case in a language the models were not measured on, or with no category, is held for
    review (status `review`): no responder sees it or hears of it until its poster opens it.
    With an `idempotency_key`, a retry returns the case the first request stored, and notifies
    nobody again.
    """
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    check_narrative_size(text, max_chars)
    if idempotency_key is not None:
        with sessions() as session:
            earlier = _by_idempotency_key(session, user, idempotency_key)
            if earlier is not None:
                return replay(sessions, model, earlier.id, k)
    confirmed = None if categories is None else check_categories(sessions, categories)
    redacted = model.redactor.redact(text).text
    detected = detect_language(redacted)
    encoded = model.encodings.encode([redacted])[0]
    result = model.pipeline.classifier.classify_encoded([encoded], [redacted])[0]
    chosen = list(result.labels) if confirmed is None else confirmed
    narrative_language = language or (detected if detected in SUPPORTED_LANGUAGES else "und")
    languages = tuple(dict.fromkeys(survivor_languages)) or (narrative_language,)
    posted = today or utc_now().date()
    deadlines = find_deadlines(redacted, posted, narrative_language if language else None)
    if urgency is None:
        urgency = "high" if is_urgent(deadlines, posted, URGENT_WITHIN_DAYS) else "normal"
    review: ReviewReason | None = None
    if detected not in SUPPORTED_LANGUAGES:
        review = UNSUPPORTED_LANGUAGE
    elif not chosen:
        review = NO_CATEGORY
    # Matched before anything is stored: a request that fails writes nothing, so a client that
    # retries after an error never makes a duplicate. The sentences were embedded once.
    index = model.directory.index()
    by_category = {category: match_need(index, need_query(
        encoded, result.scores, category, jurisdiction, languages), k) for category in chosen}
    status = REVIEW_STATUS if review else "open"
    case = Case(id=f"case-{uuid.uuid4().hex[:16]}", organization_id=user.organization_id,
                text=redacted, labels=result.labels, scores=result.scores,
                model_version=model.version, jurisdiction=jurisdiction, language=narrative_language,
                survivor_languages=list(dict.fromkeys(survivor_languages)), urgency=urgency,
                deadlines=[{"date": d.date.isoformat(), "sentence": d.sentence, "kind": d.kind}
                           for d in deadlines],
                status=status, idempotency_key=idempotency_key,
                consent_obtained_on=consent.obtained_on if consent else None,
                consent_expires_on=consent.expires_on if consent else None,
                consent_scope=consent.scope if consent else "")
    needs = [Need(id=f"need-{uuid.uuid4().hex[:16]}", case_id=case.id, category=category,
                  status=status, source="classifier" if category in result.labels else "advocate")
             for category in chosen]
    field_labels = ({} if confirmed is None else
                    {**{c: True for c in confirmed if c not in result.labels},
                     **{c: False for c in result.labels if c not in confirmed}})
    try:
        with sessions.begin() as session:
            session.add(case)
            session.flush()
            session.add_all(needs)
            for category, applies in field_labels.items():
                session.add(CaseLabel(case_id=case.id, category=category, applies=applies,
                                      source="advocate", confirmed=False, set_by=user.id))
    except IntegrityError:
        # The same key, stored by a concurrent request between the look-up and now.
        with sessions() as session:
            earlier = _by_idempotency_key(session, user, idempotency_key) if idempotency_key else None
            if earlier is None:
                raise
            earlier_id = earlier.id
        return replay(sessions, model, earlier_id, k)
    logger.info("case %s published: %d needs, status %s, %d deadlines", case.id, len(needs),
                case.status, len(deadlines))
    suggestions = {need.id: by_category[need.category] for need in needs}
    if bus is not None and not review:
        for need in needs:
            notify_need(bus, case, need, suggestions[need.id], notify_threshold)
    return Published(case, needs, suggestions, detected, review, field_labels=field_labels)


def notify_need(bus: EventPublisher, case: Case, need: Need, suggestions: Sequence[Suggestion],
                threshold: float) -> None:
    """Push a need to the streams of the responders suggested for it at or above threshold."""
    for suggestion in suggestions:
        if suggestion.score >= threshold:
            bus.publish(f"responder:{suggestion.responder_id}", "need",
                        need_event(case, need, suggestion.score))


def need_event(case: Case, need: Need, score: float | None) -> dict[str, Any]:
    """A `need` event as a responder's stream carries it: never the case's text."""
    return {"need_id": need.id, "case_id": case.id, "category": need.category, "score": score,
            "jurisdiction": case.jurisdiction, "language": case.language,
            "survivor_languages": case.survivor_languages, "urgency": case.urgency,
            "deadlines": [{"date": d["date"], "kind": d["kind"]} for d in case.deadlines]}


def _by_idempotency_key(session: Session, user: User, key: str) -> Case | None:
    organization = (Case.organization_id.is_(None) if user.organization_id is None
                    else Case.organization_id == user.organization_id)
    return session.scalar(select(Case).where(organization, Case.idempotency_key == key))


def case_suggestions(model: ServingModel, case: Case, needs: Sequence[Need], k: int
                     ) -> dict[str, list[Suggestion]]:
    """Each need's suggestions as they stand now (the case's encoding is kept)."""
    encoded = model.encodings.encode([case.text])[0]
    index = model.directory.index()
    return {need.id: match_need(index, need_query(encoded, case.scores, need.category,
                                                  case.jurisdiction, case.matching_languages()), k)
            for need in needs}


def replay(sessions: sessionmaker[Session], model: ServingModel, case_id: str, k: int) -> Published:
    """A stored case as its first publish returned it (suggestions as they stand now)."""
    with sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        needs = needs_of(session, [case_id])[case_id]
    detected = detect_language(case.text)
    review: ReviewReason | None = None
    if case.status == REVIEW_STATUS:
        review = UNSUPPORTED_LANGUAGE if detected not in SUPPORTED_LANGUAGES else NO_CATEGORY
    logger.info("case %s returned again for a repeated Idempotency-Key", case.id)
    return Published(case, needs, case_suggestions(model, case, needs, k), detected, review,
                     replayed=True)


def why_no_suggestion(model: ServingModel, case: Case, category: str) -> dict[str, Any]:
    """For a need that got no suggestion: which eligibility rule left nobody."""
    return why_no_match(model.directory.index(), case.jurisdiction, case.matching_languages(),
                        [category])[category]


def refresh_case_status(session: Session, case: Case) -> None:
    """A case is matched when every one of its needs that is not closed is matched (and one is),
    open while any is open, closed when all are; a held or closed case keeps its status."""
    if case.status not in ("open", "matched"):
        return
    statuses = {need.status for need in session.scalars(select(Need).where(Need.case_id == case.id))}
    if "open" in statuses or not statuses:
        case.status = "open"
    elif "matched" in statuses:
        case.status = "matched"
    else:
        case.status = "closed"


def set_case_status(sessions: sessionmaker[Session], user: User, case_id: str,
                    status: str) -> tuple[Case, list[Need]]:
    """Open a case held for review (its needs open with it), or close it (its open needs close)."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        policy.check_manage_need(user, case)
        if case.status == EXAMPLE_STATUS:
            raise NeedIsExample(f"{quoted(case_id)} is an imported labelled example, not a request "
                                "for help: it cannot be opened or closed")
        needs = needs_of(session, [case_id])[case_id]
        if status == "closed":
            case.status = "closed"
            for need in needs:
                if need.status in ("open", REVIEW_STATUS):
                    need.status = "closed"
        else:  # open: a held case, or a closed one opened again
            case.status = "open"
            for need in needs:
                if need.status in (REVIEW_STATUS, "closed"):
                    need.status = "open"
            session.flush()
            refresh_case_status(session, case)
    return case, needs


def delete_case(sessions: sessionmaker[Session], model: ServingModel, user: User,
                case_id: str) -> None:
    """Delete a case, its needs, their offers and its kept encoding for good."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        policy.check_manage_need(user, case)
        text = case.text
        need_ids = list(session.scalars(select(Need.id).where(Need.case_id == case_id)))
        session.execute(delete(Offer).where(Offer.need_id.in_(need_ids)))
        session.execute(delete(Need).where(Need.case_id == case_id))
        session.execute(delete(Case).where(Case.id == case_id))
    model.encodings.forget([text])


# -- many cases ---------------------------------------------------------------------------
def import_cases(sessions: sessionmaker[Session], model: ServingModel, cases: Sequence[CaseInput],
                 show_progress: bool = False,
                 progress: Callable[[str, int, int], object] | None = None,
                 then: Callable[[Session, int, int], object] | None = None) -> tuple[int, int]:
    """Redact, classify and store cases as open, a need per category (upsert by id, one
    transaction); an updated case's needs follow its new categories, keeping those with offers.

    `then(session, created, updated)` runs last inside that transaction (a job deletes its input
    and records its outcome there); if it raises, nothing is stored.
    """
    created = updated = 0
    prepared: list[tuple[CaseInput, str, Classification]] = []
    # Redact, embed and classify first: the embedding cache writes in its own transaction,
    # and SQLite allows one writer at a time.
    with tqdm(total=len(cases), desc="cases", unit="case", disable=not show_progress) as bar:
        for first in range(0, len(cases), 32):
            batch = cases[first : first + 32]
            texts = [r.text for r in model.redactor.redact_batch([n.text for n in batch])]
            results = model.pipeline.classifier.classify_encoded(model.encodings.encode(texts), texts)
            prepared.extend(zip(batch, texts, results, strict=True))
            bar.update(len(batch))
            if progress is not None:
                progress("redacting and classifying cases", len(prepared), len(cases))
    if progress is not None:
        progress("storing cases", 0, len(prepared))
    with sessions.begin() as session:
        for row, text, result in prepared:
            case = session.get(Case, row.id)
            if case is None:
                case = Case(id=row.id)
                session.add(case)
                created += 1
            else:
                updated += 1
            case.text, case.labels, case.scores = text, result.labels, result.scores
            case.model_version = model.version
            case.jurisdiction, case.language = row.jurisdiction, row.language
            case.survivor_languages = list(row.survivor_languages)
            case.urgency, case.status = row.urgency, "open"
            session.flush()
            existing = {need.category: need for need in
                        session.scalars(select(Need).where(Need.case_id == case.id))}
            for category, need in existing.items():
                if category not in result.labels and not session.scalar(
                        select(func.count()).select_from(Offer).where(Offer.need_id == need.id)):
                    session.delete(need)
            for category in result.labels:
                if category not in existing:
                    session.add(Need(id=f"need-{uuid.uuid4().hex[:16]}", case_id=case.id,
                                     category=category, status="open", source="classifier"))
        if then is not None:
            then(session, created, updated)
    logger.info("cases import: %d new, %d updated", created, updated)
    return created, updated


def reclassify_cases(sessions: sessionmaker[Session], model: ServingModel,
                     statuses: Sequence[str] = ("open", REVIEW_STATUS, "matched", "closed"),
                     show_progress: bool = False, batch: int = 64,
                     progress: Callable[[str, int, int], object] | None = None) -> tuple[int, int]:
    """Classify stored cases again with this model; earlier categories go to history. The needs
    (what the advocate confirmed) stay as they are.

    Returns (cases looked at, cases whose categories or scores changed).
    """
    classifier, version = model.pipeline.classifier, model.version
    with sessions() as session:
        identifiers = list(session.scalars(select(Case.id).where(Case.status.in_(statuses))
                                           .order_by(Case.id)))
    changed = 0
    with tqdm(total=len(identifiers), desc="reclassify", unit="case",
              disable=not show_progress) as bar:
        for first in range(0, len(identifiers), batch):
            chunk = identifiers[first : first + batch]
            with sessions() as session:
                texts = dict(session.execute(select(Case.id, Case.text)
                                             .where(Case.id.in_(chunk))).all())
            # Encoded outside the write transaction (the cache writes in its own).
            results = dict(zip(texts, classifier.classify_encoded(
                model.encodings.encode(list(texts.values())), list(texts.values())), strict=True))
            with sessions.begin() as session:
                for case in session.scalars(select(Case).where(Case.id.in_(list(texts)))):
                    result = results[case.id]
                    if case.text != texts[case.id] or (case.model_version == version
                                                       and case.labels == result.labels
                                                       and case.scores == result.scores):
                        continue  # edited meanwhile, or nothing new
                    session.add(CaseClassification(
                        case_id=case.id, labels=case.labels, scores=case.scores,
                        model_version=case.model_version))
                    case.labels, case.scores = result.labels, result.scores
                    case.model_version = version
                    changed += 1
            if progress is not None:
                progress("reclassifying cases", min(first + batch, len(identifiers)),
                         len(identifiers))
            bar.update(len(chunk))
    logger.info("reclassified %d cases with model %s: %d changed", len(identifiers), version,
                changed)
    return len(identifiers), changed
