"""Admin labels on postings and the category list: set, import, export, and rows for training.

A label says that a category applies to a posting or does not; categories with no label stay
unknown (partial labels). Every decision is a new row, so a correction keeps the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services.cases import EXAMPLE_STATUS
from api.services.categories import category_ids
from api.services.errors import CaseNotFound, InvalidLabels, LabelNotFound, UnknownCategory, quoted
from api.services.validation import JurisdictionCode, LanguageCode, describe
from api.storage.tables import Case, CaseLabel, CustomCategory, utc_iso
from nlp.languages import detect_language
from nlp.taxonomy import CATEGORIES
from training.datasets import DatasetError, LabelledRow, read_jsonl

if TYPE_CHECKING:
    from nlp.embedding_cache import CachedEncoding
    from nlp.redact import Redactor


# -- categories with their status ---------------------------------------------------------
def category_list(session: Session, live_labels: Sequence[str], min_examples: int
                  ) -> list[dict[str, Any]]:
    """Every category with its status: learned by the live model, or collecting examples."""
    positives: dict[str, int] = {}
    for posting in labelled_rows(session):  # current decisions only: a correction counts, not history
        for category in posting.labels:
            positives[category] = positives.get(category, 0) + 1
    rows: list[dict[str, Any]] = [
        {"id": c.id, "label": c.label, "description": c.description, "added": False}
        for c in CATEGORIES]
    rows += [{"id": c.id, "label": c.label, "description": c.description, "added": True}
             for c in session.scalars(select(CustomCategory).order_by(CustomCategory.created_at))]
    for row in rows:
        labelled = int(positives.get(row["id"], 0))
        row["labelled_positives"] = labelled
        if row["id"] in live_labels:
            row["status"] = "live"
        elif labelled >= min_examples:
            row["status"] = "ready: learned at the next retrain"
        else:
            row["status"] = f"collecting examples: {labelled} of {min_examples}"
    return rows


# -- labels -------------------------------------------------------------------------------
def current_labels(session: Session, case_id: str) -> dict[str, bool]:
    """The latest confirmed decision per category (older ones stay as history; an advocate's
    label counts once an admin confirmed it)."""
    rows = session.scalars(select(CaseLabel).where(CaseLabel.case_id == case_id,
                                                   CaseLabel.confirmed.is_(True))
                           .order_by(CaseLabel.set_at, CaseLabel.id))
    return {row.category: row.applies for row in rows}


def recent_postings(sessions: sessionmaker[Session], limit: int) -> list[dict[str, Any]]:
    """The newest postings with their predicted categories and admin labels (for review)."""
    with sessions() as session:
        rows = list(session.scalars(select(Case).order_by(Case.created_at.desc()).limit(limit)))
        return [{"id": n.id, "text": n.text, "labels": n.labels, "scores": n.scores,
                 "status": n.status, "model_version": n.model_version,
                 "admin_labels": current_labels(session, n.id)} for n in rows]


def check_decision(applies: Iterable[str], does_not_apply: Iterable[str], known: Iterable[str]) -> None:
    """Refuse unknown categories and a category that would both apply and not apply."""
    applies, does_not_apply = set(applies), set(does_not_apply)
    unknown = sorted((applies | does_not_apply) - set(known))
    if unknown:
        raise UnknownCategory(f"unknown categories: {', '.join(quoted(name) for name in unknown[:5])} "
                              "(add a category first: POST /v1/admin/categories)")
    if applies & does_not_apply:
        raise InvalidLabels("a category cannot both apply and not apply")


def record_labels(session: Session, case_id: str, applies: Sequence[str],
                  does_not_apply: Sequence[str], user_id: int | None) -> int:
    """Add the decisions that change something; returns how many were added."""
    current = current_labels(session, case_id)
    added = 0
    for category, value in [(c, True) for c in applies] + [(c, False) for c in does_not_apply]:
        if current.get(category) is not value:
            session.add(CaseLabel(case_id=case_id, category=category, applies=value, set_by=user_id))
            added += 1
    session.flush()
    return added


def set_labels(sessions: sessionmaker[Session], case_id: str, applies: Sequence[str],
               does_not_apply: Sequence[str], user_id: int | None) -> tuple[dict[str, bool], int]:
    """Confirm or correct one posting's categories; returns the current labels and history size."""
    with sessions.begin() as session:
        check_decision(applies, does_not_apply, category_ids(session))
        if session.get(Case, case_id) is None:
            raise CaseNotFound(case_id)
        record_labels(session, case_id, applies, does_not_apply, user_id)
        history = session.scalar(select(func.count()).select_from(CaseLabel)
                                 .where(CaseLabel.case_id == case_id)) or 0
        return current_labels(session, case_id), history


# -- labels from the field ------------------------------------------------------------------
def field_labels(sessions: sessionmaker[Session], pending_only: bool = True, limit: int = 100
                 ) -> list[dict[str, Any]]:
    """Advocates' corrections of the classifier (a category added or removed before publishing),
    newest first, with the case's redacted text: for an admin to confirm or reject."""
    query = select(CaseLabel, Case).join(Case, Case.id == CaseLabel.case_id).where(
        CaseLabel.source == "advocate")
    if pending_only:
        query = query.where(CaseLabel.confirmed.is_(False))
    with sessions() as session:
        rows = session.execute(query.order_by(CaseLabel.set_at.desc(), CaseLabel.id.desc())
                               .limit(limit)).all()
        return [{"id": label.id, "case_id": case.id, "category": label.category,
                 "applies": label.applies, "confirmed": label.confirmed, "text": case.text,
                 "language": case.language, "set_at": utc_iso(label.set_at)}
                for label, case in rows]


def confirm_field_label(sessions: sessionmaker[Session], label_id: int, confirm: bool,
                        user_id: int | None) -> dict[str, Any]:
    """An admin confirms an advocate's label (retraining uses it from then on) or rejects it
    (the label is removed; the case's needs are not touched)."""
    with sessions.begin() as session:
        label = session.get(CaseLabel, label_id)
        if label is None or label.source != "advocate":
            raise LabelNotFound(f"no label from the field with id {label_id}")
        view = {"id": label.id, "case_id": label.case_id, "category": label.category,
                "applies": label.applies, "confirmed": confirm}
        if confirm:
            label.confirmed = True
        else:
            session.delete(label)
    return view


def labelled_rows(session: Session) -> list[LabelledRow]:
    """Every labelled posting as a partially labelled training row (its redacted text)."""
    decisions: dict[str, dict[str, bool]] = {}
    for label in session.scalars(select(CaseLabel).where(CaseLabel.confirmed.is_(True))
                                 .order_by(CaseLabel.set_at, CaseLabel.id)):
        decisions.setdefault(label.case_id, {})[label.category] = label.applies
    cases = {case.id: case for case in session.scalars(select(Case).where(Case.id.in_(list(decisions))))}
    rows = []
    for case_id in sorted(decisions):
        case = cases.get(case_id)
        if case is None or case.purged_at is not None:
            continue
        current = decisions[case_id]
        rows.append(LabelledRow(
            text=case.text, labels=tuple(sorted(c for c, v in current.items() if v)),
            negatives=tuple(sorted(c for c, v in current.items() if not v)), id=case.id,
            language=case.language or None, source=f"database:{case.id}"))
    return rows


# -- import and export --------------------------------------------------------------------
class LabelImportRow(BaseModel):
    """A line of a labels file: labels for a stored posting, or a new labelled example.

    Without a "negatives" key the row is fully labelled: every other known category does not
    apply. With one, categories in neither list stay unknown.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    labels: list[str]
    negatives: list[str] | None = None
    text: str | None = Field(default=None, min_length=1, max_length=100_000)
    language: LanguageCode | None = None
    jurisdiction: JurisdictionCode | None = None


@dataclass(frozen=True)
class ImportCounts:
    """What an import did."""

    rows: int
    examples_created: int
    labels_added: int


def _read_label_rows(path: Path, known: Sequence[str]) -> list[LabelImportRow]:
    rows = []
    for number, value in read_jsonl(path):
        if "id" not in value and "need_id" in value:
            value = {**value, "id": value["need_id"]}
        try:
            row = LabelImportRow.model_validate(value)
        except ValidationError as error:
            raise DatasetError(f"{path}:{number}: {describe(error)}") from None
        try:
            check_decision(row.labels, row.negatives or [], known)
        except (UnknownCategory, InvalidLabels) as error:
            raise DatasetError(f"{path}:{number}: {error.message}") from None
        rows.append(row)
    if not rows:
        raise DatasetError(f"{path}: no rows")
    if len({row.id for row in rows}) != len(rows):
        raise DatasetError(f"{path}: an id appears on more than one line")
    return rows


def import_labels(sessions: sessionmaker[Session], path: Path, redactor: Redactor,
                  user_id: int | None = None, show_progress: bool = False,
                  encodings: CachedEncoding | None = None) -> ImportCounts:
    """Validate every line first, then apply all of it in one transaction (or nothing).

    With ``encodings``, new examples are embedded (their redacted text) and the encodings kept,
    as publishing does, so that a retrain does not embed them again.
    """
    with sessions() as session:
        known = category_ids(session)
    rows = _read_label_rows(path, known)
    with sessions() as session:
        present = set(session.scalars(select(Case.id).where(Case.id.in_([r.id for r in rows]))))
    for row in rows:
        if row.id not in present and row.text is None:
            raise DatasetError(f"{path}: no stored posting '{row.id}', and the line has no 'text' "
                               "to create it from")
    created = added = 0
    new_rows = [row for row in rows if row.id not in present]
    # Imported texts are redacted like any posting before anything is stored.
    redacted = redactor.redact_batch([row.text or "" for row in new_rows]) if new_rows else []
    redacted_by_id = {row.id: item.text for row, item in zip(new_rows, redacted, strict=True)}
    if encodings is not None and redacted_by_id:
        # Before the write transaction: the cache writes in its own (SQLite has one writer).
        encodings.encode(list(redacted_by_id.values()))
    with sessions.begin() as session, tqdm(total=len(rows), desc="labels", unit="row",
                                           disable=not show_progress) as bar:
        for row in rows:
            if row.id in redacted_by_id:
                text = redacted_by_id[row.id]
                session.add(Case(id=row.id, organization_id=None, text=text, labels=[], scores={},
                                 model_version="", jurisdiction=row.jurisdiction or "",
                                 language=row.language or detect_language(text)[:8],
                                 urgency="normal", status=EXAMPLE_STATUS))
                session.flush()
                created += 1
            negatives = (row.negatives if row.negatives is not None
                         else [c for c in known if c not in row.labels])
            added += record_labels(session, row.id, row.labels, negatives, user_id)
            bar.update(1)
    return ImportCounts(len(rows), created, added)


def export_labels(session: Session) -> Iterable[dict[str, Any]]:
    """One object per labelled posting: its redacted text, current labels and the history."""
    history: dict[str, list[dict[str, Any]]] = {}
    for label in session.scalars(select(CaseLabel).where(CaseLabel.confirmed.is_(True))
                                 .order_by(CaseLabel.set_at, CaseLabel.id)):
        history.setdefault(label.case_id, []).append(
            {"category": label.category, "applies": label.applies, "set_by": label.set_by,
             "set_at": utc_iso(label.set_at)})
    for row in labelled_rows(session):
        case = session.get(Case, row.id)
        yield {"id": row.id, "text": row.text, "labels": list(row.labels),
               "negatives": list(row.negatives or ()), "language": row.language,
               "jurisdiction": case.jurisdiction if case is not None and case.jurisdiction else None,
               "history": history.get(row.id or "", [])}
