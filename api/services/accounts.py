"""Accounts: organisations, users with API keys (only a hash is stored) and roles."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.storage.tables import Organization, Responder, User

ROLES = ("poster", "responder", "admin")


class AccountError(ValueError):
    """An account cannot be created as asked."""


def hash_key(key: str) -> str:
    """SHA-256 of a key (keys are 256-bit random, so no slow hash is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_user(
    sessions: sessionmaker[Session], organization: str, role: str, responder_id: str | None = None,
    contact_email: str | None = None, contact_phone: str | None = None,
) -> tuple[User, str]:
    """Create a user (and its organisation if new); returns the user and its key, shown once."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not organization.strip():
        raise AccountError("the organisation name is empty")
    if (role == "responder") != (responder_id is not None):
        raise AccountError("a responder account needs --responder-id, and only it may have one")
    key = "nm_" + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        if responder_id is not None and session.get(Responder, responder_id) is None:
            raise AccountError(f"no responder with id '{responder_id}'")
        org = session.scalar(select(Organization).where(Organization.name == organization))
        if org is None:
            org = Organization(name=organization)
            session.add(org)
        if contact_email is not None:
            org.contact_email = contact_email
        if contact_phone is not None:
            org.contact_phone = contact_phone
        session.flush()
        user = User(organization_id=org.id, role=role, key_hash=hash_key(key),
                    responder_id=responder_id)
        session.add(user)
    return user, key


def user_for_key(session: Session, key: str) -> User | None:
    """The user holding this key, if any."""
    return session.scalar(select(User).where(User.key_hash == hash_key(key)))
