"""Advocates' marks on a preview, kept as evaluation data for the redactor.

The page sends the redacted text around a mark (never the original narrative, never the marked
span); it is redacted once more here before it is stored, so a detail the redactor misses in
the context is caught if the redactor now can, and the mark itself stays `[MARKED]`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services import policy
from api.services.errors import InvalidInput
from api.services.serving import ServingModel
from api.storage.tables import RedactionFeedback, User
from nlp.languages import detect_language

logger = logging.getLogger("needmatch.service")

MARK = "[MARKED]"
KINDS = ("missed", "wrongly_removed")
ENTITY_TYPES = ("PERSON", "PHONE", "EMAIL", "HANDLE", "ADDRESS", "DOB", "ID", "OTHER")
MAX_CONTEXT = 300


class InvalidFeedback(InvalidInput):
    """A mark the service cannot keep as it is."""


@dataclass(frozen=True)
class StoredFeedback:
    """One kept mark, as an admin reads it."""

    id: int
    kind: str
    entity_type: str
    language: str
    context: str
    created_at: datetime


def record_feedback(sessions: sessionmaker[Session], model: ServingModel, user: User, kind: str,
                    entity_type: str, before: str, after: str) -> StoredFeedback:
    """Keep one mark: the text around it, redacted again, with the mark as `[MARKED]`."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    if kind not in KINDS:
        raise InvalidFeedback(f"kind must be one of {', '.join(KINDS)}")
    if entity_type not in ENTITY_TYPES:
        raise InvalidFeedback(f"entity_type must be one of {', '.join(ENTITY_TYPES)}")
    if len(before) > MAX_CONTEXT or len(after) > MAX_CONTEXT:
        raise InvalidFeedback(f"before and after hold at most {MAX_CONTEXT} characters each")
    if MARK in before or MARK in after:
        raise InvalidFeedback(f"the context must not contain {MARK} itself")
    # The two sides are redacted apart, so the redactor never sees the mark as part of a name.
    redacted_before, redacted_after = (item.text for item in model.redactor.redact_batch([before, after]))
    context = f"{redacted_before}{MARK}{redacted_after}"
    row = RedactionFeedback(organization_id=user.organization_id, kind=kind, entity_type=entity_type,
                            language=detect_language(before + " " + after)[:8], context=context)
    with sessions.begin() as session:
        session.add(row)
        session.flush()
        stored = _stored(row)
    logger.info("redaction feedback %d kept: %s %s", stored.id, kind, entity_type)
    return stored


def list_feedback(sessions: sessionmaker[Session], user: User, limit: int = 200) -> list[StoredFeedback]:
    """The newest marks first (admins: the redactor's evaluation data)."""
    policy.require_role(user, policy.ADMIN)
    with sessions() as session:
        rows = session.scalars(select(RedactionFeedback).order_by(RedactionFeedback.id.desc())
                               .limit(limit))
        return [_stored(row) for row in rows]


def _stored(row: RedactionFeedback) -> StoredFeedback:
    return StoredFeedback(row.id, row.kind, row.entity_type, row.language, row.context, row.created_at)
