"""Responder profiles: validated import (JSONL or CSV, all or nothing), one profile's life
(create, read, replace, delete), and categories inferred from the expertise text."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services import policy
from api.services.errors import IdentifierMismatch, ResponderExists, ResponderNotFound, quoted
from api.services.serving import ServingModel
from api.services.validation import JurisdictionCode, LanguageCode, describe
from api.storage.tables import Responder, User
from nlp.taxonomy import CATEGORY_IDS
from training.datasets import DatasetError, read_jsonl

logger = logging.getLogger("needmatch.service")
_LIST_FIELDS = ("categories", "jurisdictions", "languages")


class ResponderProfile(BaseModel):
    """One responder profile, in the format of taxonomy.md."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    organization: str = Field(default="", max_length=300)
    expertise: str = Field(min_length=1, max_length=10_000)
    categories: list[str] | None = None
    jurisdictions: list[JurisdictionCode] = Field(min_length=1)
    languages: list[LanguageCode] = Field(min_length=1)
    capacity: int = Field(ge=0, le=10_000)
    email: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=100)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            unknown = [category for category in value if category not in CATEGORY_IDS]
            if unknown:
                raise ValueError(f"unknown categories: {', '.join(quoted(name) for name in unknown[:5])}")
        return value


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """CSV rows with the JSONL columns; list columns hold a JSON array or ';'-separated codes."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path}: not UTF-8 text") from error
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        value: dict[str, Any] = {key: item for key, item in row.items() if key and item != ""}
        for field in _LIST_FIELDS:
            if field in value:
                raw = value[field].strip()
                value[field] = (json.loads(raw) if raw.startswith("[")
                                else [part.strip() for part in raw.split(";") if part.strip()])
        rows.append((number, value))
    return rows


def read_profiles(path: Path) -> list[ResponderProfile]:
    """Validate every line of a JSONL or CSV file; the first bad line raises DatasetError."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    raw_rows = _csv_rows(path) if path.suffix.lower() == ".csv" else list(read_jsonl(path))
    profiles: list[ResponderProfile] = []
    seen: dict[str, int] = {}
    for number, value in raw_rows:
        try:
            profile = ResponderProfile.model_validate(value)
        except ValidationError as error:
            raise DatasetError(f"{path}:{number}: {describe(error)}") from None
        if profile.id in seen:
            raise DatasetError(f"{path}:{number}: id '{profile.id}' repeats line {seen[profile.id]}")
        seen[profile.id] = number
        profiles.append(profile)
    if not profiles:
        raise DatasetError(f"{path}: no responder profiles")
    return profiles


CategoryInference = Callable[[Sequence[str]], list[dict[str, float]]]


def upsert_responders(
    sessions: sessionmaker[Session],
    profiles: Sequence[ResponderProfile],
    infer_categories: CategoryInference | None = None,
    show_progress: bool = False,
    batch_size: int = 64,
) -> tuple[int, int]:
    """Insert or update profiles by id in one transaction; returns (created, updated)."""
    created = updated = 0
    with sessions.begin() as session, tqdm(
        total=len(profiles), desc="responders", unit="profile", disable=not show_progress
    ) as bar:
        for first in range(0, len(profiles), batch_size):
            batch = profiles[first : first + batch_size]
            inferred = (infer_categories([p.expertise for p in batch]) if infer_categories
                        else [{} for _ in batch])
            existing = {
                row.id: row
                for row in session.scalars(
                    select(Responder).where(Responder.id.in_([p.id for p in batch]))
                )
            }
            for profile, categories in zip(batch, inferred, strict=True):
                fields = profile.model_dump()
                row = existing.get(profile.id)
                if row is None:
                    session.add(Responder(**fields, inferred_categories=categories))
                    created += 1
                else:
                    for key, value in fields.items():
                        setattr(row, key, value)
                    row.inferred_categories = categories
                    updated += 1
            bar.update(len(batch))
    return created, updated


def list_responders(sessions: sessionmaker[Session]) -> list[Responder]:
    """All responders, by id."""
    with sessions() as session:
        return list(session.scalars(select(Responder).order_by(Responder.id)))


def responder_cards(sessions: sessionmaker[Session], ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What an advocate sees of suggested responders: name, organisation, where they practise,
    languages and remaining capacity (never contact details, which follow an accepted offer)."""
    if not ids:
        return {}
    with sessions() as session:
        rows = session.scalars(select(Responder).where(Responder.id.in_(list(ids))))
        return {row.id: {"name": row.name, "organization": row.organization,
                         "jurisdictions": list(row.jurisdictions), "languages": list(row.languages),
                         "capacity": row.capacity} for row in rows}


def category_inference(model: ServingModel) -> CategoryInference:
    """Classifier scores of expertise texts, kept as a responder's inferred categories."""

    def infer(texts: Sequence[str]) -> list[dict[str, float]]:
        return [result.scores for result in model.pipeline.classify_batch(list(texts))]

    return infer


def rescore_responders(sessions: sessionmaker[Session], model: ServingModel) -> int:
    """Infer every responder's categories again with this model (a new model may know new
    categories); returns how many profiles changed. The index follows on its next use."""
    with sessions() as session:
        expertise = dict(session.execute(select(Responder.id, Responder.expertise)).all())
    if not expertise:
        return 0
    texts = list(expertise.values())
    results = model.pipeline.classifier.classify_encoded(model.encodings.encode(texts), texts)
    scores = dict(zip(expertise, (result.scores for result in results), strict=True))
    changed = 0
    with sessions.begin() as session:
        for responder in session.scalars(select(Responder).where(Responder.id.in_(list(scores)))):
            if responder.expertise == expertise[responder.id] and \
                    responder.inferred_categories != scores[responder.id]:
                responder.inferred_categories = scores[responder.id]
                changed += 1
    logger.info("responders re-scored with model %s: %d changed", model.version, changed)
    return changed


# -- one profile --------------------------------------------------------------------------
def read_profile(sessions: sessionmaker[Session], user: User, responder_id: str) -> Responder:
    """A profile, for an admin or the responder itself (contact details included)."""
    policy.check_own_profile(user, responder_id)
    with sessions() as session:
        responder = session.get(Responder, responder_id)
    if responder is None:
        raise ResponderNotFound(responder_id)
    return responder


def create_profile(sessions: sessionmaker[Session], model: ServingModel, user: User,
                   profile: ResponderProfile) -> Responder:
    """Add a profile (admins only); its id is kept."""
    policy.require_role(user, policy.ADMIN)
    with sessions() as session:
        if session.get(Responder, profile.id) is not None:
            raise ResponderExists(f"responder {quoted(profile.id)} exists: "
                                  "replace it with PUT /v1/responders/{id}")
    upsert_responders(sessions, [profile], category_inference(model))
    return read_profile(sessions, user, profile.id)


def replace_profile(sessions: sessionmaker[Session], model: ServingModel, user: User,
                    responder_id: str, profile: ResponderProfile) -> Responder:
    """Replace a profile; the index follows on the next match."""
    policy.check_own_profile(user, responder_id)
    if profile.id != responder_id:
        raise IdentifierMismatch("the profile's id must be the one in the address")
    upsert_responders(sessions, [profile], category_inference(model))
    return read_profile(sessions, user, responder_id)


def delete_profile(sessions: sessionmaker[Session], user: User, responder_id: str) -> None:
    """Delete a profile (its offers go with it)."""
    policy.check_own_profile(user, responder_id)
    with sessions.begin() as session:
        if session.get(Responder, responder_id) is None:
            raise ResponderNotFound(responder_id)
        session.execute(delete(Responder).where(Responder.id == responder_id))
