"""The database schema (SQLAlchemy 2 declarative models). Cases hold redacted text only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> datetime:
    """Timezone-aware now, for timestamps."""
    return datetime.now(UTC)


def utc_iso(value: datetime | None) -> str | None:
    """A stored time in ISO 8601 with its offset (SQLite gives stored times back without one;
    every stored time is UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Organization(Base):
    """An advocate organisation, a responder organisation or the network's admins."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Shared with a responder only after the organisation accepts its offer.
    contact_email: Mapped[str | None] = mapped_column(String(300), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class User(Base):
    """An account with an API key (stored hashed) and a role: poster, responder or admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    responder_id: Mapped[str | None] = mapped_column(
        ForeignKey("responders.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Responder(Base):
    """A responder profile in the format of taxonomy.md, keyed by the caller's id."""

    __tablename__ = "responders"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    organization: Mapped[str] = mapped_column(String(300), default="")
    expertise: Mapped[str] = mapped_column(Text)
    # Declared by the responder (None when the profile has no "categories" key).
    categories: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # Inferred from the expertise text by the classifier: {category: probability}.
    inferred_categories: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    jurisdictions: Mapped[list[str]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    email: Mapped[str | None] = mapped_column(String(300), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_referral_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )

    def profile(self) -> dict[str, Any]:
        """The profile in the JSONL format of taxonomy.md (contact details left out)."""
        profile: dict[str, Any] = {
            "id": self.id, "name": self.name, "organization": self.organization,
            "expertise": self.expertise, "jurisdictions": self.jurisdictions,
            "languages": self.languages, "capacity": self.capacity,
        }
        if self.categories is not None:
            profile["categories"] = self.categories
        return profile


class Case(Base):
    """A published case: one reviewed, redacted narrative, the classifier's categories for it, and
    where, in what languages and how urgently; its needs (one per category) are matched apart."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("organization_id", "idempotency_key",
                                       name="uq_cases_organization_idempotency_key"),)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    # What the classifier proposed (the confirmed categories are the case's needs).
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str] = mapped_column(String(50), default="")
    jurisdiction: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(8))
    # The languages the survivor speaks (the language rule of matching uses them); empty when the
    # advocate named none, and the narrative's language stands in.
    survivor_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    # Deadlines found in the narrative: [{"date", "sentence", "kind"}], earliest first.
    deadlines: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # open, review (held until its poster opens it), matched (every need is), closed, labelled
    status: Mapped[str] = mapped_column(String(10), default="open")
    # The client's Idempotency-Key, unique per organisation: a retried publish finds this case.
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The survivor's written, time-limited consent to share the de-identified summary
    # (34 U.S.C. 12291(b)(2)): when it was given, what it covers, when it ends. Past its end the
    # case is closed and its text purged.
    consent_obtained_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    consent_expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    consent_scope: Mapped[str] = mapped_column(Text, default="")
    # When the text was purged (consent ended, or retention after closing); None while kept.
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Indexed: need search finds what changed since its last look by a range on it.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now, index=True
    )

    def matching_languages(self) -> tuple[str, ...]:
        """The survivor's languages, or the narrative's when none were given."""
        return tuple(self.survivor_languages or [self.language])


class Need(Base):
    """One legal need of a case (one category): matched, offered on, accepted and closed alone."""

    __tablename__ = "needs"
    __table_args__ = (UniqueConstraint("case_id", "category", name="uq_needs_case_category"),)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(64))
    # open, review (its case is held), matched, closed
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Who named it: the classifier (confirmed by the advocate), the advocate, or the migration.
    source: Mapped[str] = mapped_column(String(20), default="classifier")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Indexed: need search finds what changed since its last look by a range on it.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now, index=True
    )


class Offer(Base):
    """A responder's offer of help on a need, accepted or declined by the poster."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("need_id", "responder_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    responder_id: Mapped[str] = mapped_column(ForeignKey("responders.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    no_conflict_attested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, onupdate=utc_now
    )


class Invitation(Base):
    """The advocate's invitation to a suggested responder to offer help on a need."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("need_id", "responder_id", name="uq_invitations_need_responder"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    responder_id: Mapped[str] = mapped_column(ForeignKey("responders.id", ondelete="CASCADE"))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CaseAccess(Base):
    """One read of a case by a responder or an admin (who, when, which case), for the audit log
    its organisation reads. Kept after the case is purged; no foreign key to it for that reason."""

    __tablename__ = "case_access"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(100), index=True)
    organization_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    # The reader's organisation's name as it was at the time (what the advocate needs to see).
    reader: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CaseLabel(Base):
    """A label on a case's text: a category applies (True) or not (False); history is kept.

    An admin's label counts at once; an advocate's (a category added or removed before
    publishing, a label from the field) counts for retraining once an admin confirms it.
    """

    __tablename__ = "case_labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(64))
    applies: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20), default="admin")  # admin or advocate
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RedactionFeedback(Base):
    """An advocate's mark on a preview: a detail the redactor missed, or one it removed wrongly.

    Only the text around the mark is kept, redacted again, with the marked span itself replaced
    by ``[MARKED]``: never the span, which is identifying when it was missed.
    """

    __tablename__ = "redaction_feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # "missed" or "wrongly_removed"
    entity_type: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    context: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CustomCategory(Base):
    """A category an admin added to the taxonomy; the classifier learns it from enough labels."""

    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CaseClassification(Base):
    """A case's categories as an earlier model gave them, kept when the case is re-classified."""

    __tablename__ = "case_classifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    labels: Mapped[list[str]] = mapped_column(JSON)
    scores: Mapped[dict[str, float]] = mapped_column(JSON)
    model_version: Mapped[str] = mapped_column(String(50))
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class TextEmbedding(Base):
    """Sentence offsets and vectors of a stored (redacted) text, keyed by a hash of the text."""

    __tablename__ = "text_embeddings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    offsets: Mapped[list[list[int]]] = mapped_column(JSON)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RetrainJob(Base):
    """One background job (a retrain, a reclassification or re-embedding of stored cases, a bulk
    import): its progress and outcome; for a retrain, the candidate it made and what the gate
    decided."""

    __tablename__ = "retrain_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="retrain", server_default="retrain")
    # queued, running, promoted, refused (by the gate), unchanged (same data), failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    stage: Mapped[str] = mapped_column(String(40), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    force_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    live_before: Mapped[str] = mapped_column(String(50), default="")
    candidate_version: Mapped[str | None] = mapped_column(String(50), nullable=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class JobInput(Base):
    """The rows a queued job reads (a bulk import's unredacted narratives), keyed by its job.

    Kept only while the job is queued or running: deleted in the transaction that stores what the
    job made of them, when the job fails, and when it is found abandoned.
    """

    __tablename__ = "job_inputs"
    job_id: Mapped[int] = mapped_column(ForeignKey("retrain_jobs.id"), primary_key=True)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ModelVersion(Base):
    """A classifier version stored in the database (the production shape): its manifest and its
    folder's files as one zip, so that every server and worker on any machine loads the same."""

    __tablename__ = "model_versions"
    version: Mapped[str] = mapped_column(String(50), primary_key=True)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    files: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ModelPointer(Base):
    """The live version and the stack of versions live before it (one row, id 1)."""

    __tablename__ = "model_pointer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    previous: Mapped[list[str]] = mapped_column(JSON, default=list)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    forced: Mapped[bool] = mapped_column(Boolean, default=False)


class ModelPromotion(Base):
    """Every promotion and rollback of the database's live pointer, oldest first."""

    __tablename__ = "model_promotions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    action: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text, default="")
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    by: Mapped[str] = mapped_column(String(200), default="")
