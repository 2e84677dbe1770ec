"""The category list: the taxonomy's categories and those an admin added (never renamed or reused)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.errors import CategoryExists, InvalidCategory, quoted
from api.storage.tables import CustomCategory
from nlp.taxonomy import CATEGORY_IDS

_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


def category_ids(session: Session) -> list[str]:
    """The taxonomy's ids and every added category's id."""
    return [*CATEGORY_IDS, *session.scalars(select(CustomCategory.id).order_by(CustomCategory.id))]


def add_category(session: Session, identifier: str, label: str, description: str,
                 user_id: int | None) -> CustomCategory:
    """Add a category to the taxonomy (ids are never renamed or reused)."""
    if not _CATEGORY_ID.match(identifier):
        raise InvalidCategory(
            "a category id is 3-64 lower-case letters, digits or underscores, starting with a letter")
    if not label.strip() or not description.strip():
        raise InvalidCategory("a new category needs a label and a description")
    if identifier in CATEGORY_IDS or session.get(CustomCategory, identifier) is not None:
        raise CategoryExists(f"category {quoted(identifier)} exists already")
    category = CustomCategory(id=identifier, label=label.strip()[:200],
                              description=description.strip()[:2000], created_by=user_id)
    session.add(category)
    return category
