"""Cases holding needs: a posting becomes a case, with one need per category, each matched apart.

Until now a posting was one need: the first accepted offer matched all of it. Each stored
posting becomes a case (same id, same text and settings); each of its categories becomes a need
of its own (a new id). An offer moves to the need of its case that its responder practises (its
declared categories first, then those inferred from its expertise, then the case's first need).
A case that was `matched` keeps `matched` only on the needs whose offer was accepted (when no
offer was accepted, the advocate set it by hand, and every need keeps it); the others are open
again, since the old rule closed them wrongly. Admin labels and earlier classifications move to
the case (`case_labels`, `case_classifications`); labels gain their source.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EXAMPLE_STATUS = "labelled"


def _json(value: Any) -> Any:
    """SQLite hands JSON columns back as text through a plain select."""
    return json.loads(value) if isinstance(value, str) else value


def _reset_sequence(table: str) -> None:
    """Rows copied with their ids: PostgreSQL's sequence must start after the largest."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def _need_table() -> sa.Table:
    return op.create_table(
        "needs",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "category", name="uq_needs_case_category"),
    )


def _offer_table(target: str) -> sa.Table:
    return op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.String(100), nullable=False),
        sa.Column("responder_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("no_conflict_attested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["need_id"], [f"{target}.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["responder_id"], ["responders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("need_id", "responder_id"),
    )


def _rows(bind: sa.Connection, table: str, *columns: str) -> list[Any]:
    """Rows read through the reflected table, so that times and JSON come back typed."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=bind)
    chosen = [reflected.c[name] for name in columns] if columns else [reflected]
    return list(bind.execute(sa.select(*chosen)))


def _responder_categories(bind: sa.Connection) -> dict[str, list[str]]:
    """Each responder's categories, the declared ones first, then the inferred by probability."""
    found: dict[str, list[str]] = {}
    for row in _rows(bind, "responders", "id", "categories", "inferred_categories"):
        identifier, declared, inferred = row[0], _json(row[1]) or [], _json(row[2]) or {}
        found[identifier] = list(dict.fromkeys(
            [*declared, *sorted(inferred, key=lambda category: -inferred[category])]))
    return found


def _restore(table: str, rows: list[dict[str, Any]], renamed: dict[str, str]) -> None:
    """Put back rows read before the table was rebuilt: on SQLite, rebuilding the table they
    refer to (a batch operation drops it) deletes them through ON DELETE CASCADE."""
    op.execute(sa.text(f"DELETE FROM {table}"))
    if rows:
        reflected = sa.Table(table, sa.MetaData(), autoload_with=op.get_bind())
        op.bulk_insert(reflected, [{renamed.get(key, key): value for key, value in row.items()}
                                   for row in rows])
    _reset_sequence(table)


def upgrade() -> None:
    bind = op.get_bind()
    offers = [dict(row._mapping) for row in _rows(bind, "offers")]
    labels = [dict(row._mapping) for row in _rows(bind, "need_labels")]
    classifications = [dict(row._mapping) for row in _rows(bind, "need_classifications")]
    op.drop_table("offers")

    op.rename_table("needs", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("uq_needs_organization_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_cases_organization_idempotency_key",
                                       ["organization_id", "idempotency_key"])
        batch.add_column(sa.Column("deadlines", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("consent_obtained_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("consent_expires_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("consent_scope", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))

    op.rename_table("need_labels", "case_labels")
    with op.batch_alter_table("case_labels") as batch:
        batch.alter_column("need_id", new_column_name="case_id", existing_type=sa.String(100),
                           existing_nullable=False)
        batch.add_column(sa.Column("source", sa.String(20), nullable=False, server_default="admin"))
        batch.add_column(sa.Column("confirmed", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_index("ix_case_labels_case_id", "case_labels", ["case_id"])
    op.rename_table("need_classifications", "case_classifications")
    with op.batch_alter_table("case_classifications") as batch:
        batch.alter_column("need_id", new_column_name="case_id", existing_type=sa.String(100),
                           existing_nullable=False)
    op.create_index("ix_case_classifications_case_id", "case_classifications", ["case_id"])
    _restore("case_labels", [{**row, "source": "admin", "confirmed": True} for row in labels],
             {"need_id": "case_id"})
    _restore("case_classifications", classifications, {"need_id": "case_id"})

    needs = _need_table()
    op.create_index("ix_needs_case_id", "needs", ["case_id"])
    categories_of = _responder_categories(bind)
    accepted = {(offer["need_id"], offer["responder_id"]) for offer in offers
                if offer["status"] == "accepted"}
    by_case: dict[str, dict[str, str]] = {}  # case id -> category -> need id
    rows: list[dict[str, Any]] = []
    statuses: dict[str, str] = {}
    cases = _rows(bind, "cases", "id", "labels", "scores", "status", "created_at", "updated_at")
    for case in cases:
        case_id, status, created, updated = case[0], case[3], case[4], case[5]
        if status == EXAMPLE_STATUS:
            continue
        statuses[case_id] = status
        labels, scores = _json(case[1]) or [], _json(case[2]) or {}
        if not labels and any(offer["need_id"] == case_id for offer in offers):
            # An offer on a posting with no category: its best-scoring category holds it.
            labels = sorted(scores, key=lambda category: -scores[category])[:1]
        for category in dict.fromkeys(labels):
            identifier = f"need-{uuid.uuid4().hex[:16]}"
            by_case.setdefault(case_id, {})[category] = identifier
            rows.append({"id": identifier, "case_id": case_id, "category": category,
                         "status": status, "source": "migrated", "created_at": created,
                         "updated_at": updated})

    moved: list[dict[str, Any]] = []
    matched_needs: set[str] = set()
    for offer in offers:
        case_needs = by_case.get(offer["need_id"])
        if not case_needs:
            continue  # an offer on an imported example cannot exist; nothing to move
        preferred = categories_of.get(offer["responder_id"], [])
        category = next((c for c in preferred if c in case_needs), next(iter(case_needs)))
        need_id = case_needs[category]
        if any(existing["need_id"] == need_id and existing["responder_id"] == offer["responder_id"]
               for existing in moved):
            need_id = next(iter(case_needs.values()))
        moved.append({**offer, "need_id": need_id})
        if (offer["need_id"], offer["responder_id"]) in accepted:
            matched_needs.add(need_id)
    matched_cases = {row["case_id"] for row in rows if row["id"] in matched_needs}
    for row in rows:
        if statuses[row["case_id"]] == "matched" and row["case_id"] in matched_cases:
            row["status"] = "matched" if row["id"] in matched_needs else "open"
    if rows:
        op.bulk_insert(needs, rows)
    for case_id in matched_cases:
        if any(row["status"] == "open" for row in rows if row["case_id"] == case_id):
            bind.execute(sa.text("UPDATE cases SET status = 'open' WHERE id = :id"), {"id": case_id})

    offers_table = _offer_table("needs")
    if moved:
        op.bulk_insert(offers_table, moved)
    _reset_sequence("offers")

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.String(100), nullable=False),
        sa.Column("responder_id", sa.String(100), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["need_id"], ["needs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["responder_id"], ["responders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("need_id", "responder_id", name="uq_invitations_need_responder"),
    )
    op.create_table(
        "case_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("reader", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_access_case_id", "case_access", ["case_id"])
    op.create_index("ix_case_access_organization_id", "case_access", ["organization_id"])


def downgrade() -> None:
    """Back to postings: each case is one need again, holding the offers of all its needs (a
    responder with offers on two needs of one case keeps the first: one offer per posting)."""
    bind = op.get_bind()
    labels = [dict(row._mapping) for row in _rows(bind, "case_labels")]
    classifications = [dict(row._mapping) for row in _rows(bind, "case_classifications")]
    op.drop_table("case_access")
    op.drop_table("invitations")
    need_case: dict[str, str] = {row[0]: row[1] for row in
                                 bind.execute(sa.text("SELECT id, case_id FROM needs"))}
    offers = sorted((dict(row._mapping) for row in _rows(bind, "offers")),
                    key=lambda offer: offer["id"])
    op.drop_table("offers")
    op.drop_index("ix_needs_case_id", table_name="needs")
    op.drop_table("needs")
    op.drop_index("ix_case_classifications_case_id", table_name="case_classifications")
    with op.batch_alter_table("case_classifications") as batch:
        batch.alter_column("case_id", new_column_name="need_id", existing_type=sa.String(100),
                           existing_nullable=False)
    op.rename_table("case_classifications", "need_classifications")
    op.drop_index("ix_case_labels_case_id", table_name="case_labels")
    with op.batch_alter_table("case_labels") as batch:
        batch.drop_column("confirmed")
        batch.drop_column("source")
        batch.alter_column("case_id", new_column_name="need_id", existing_type=sa.String(100),
                           existing_nullable=False)
    op.rename_table("case_labels", "need_labels")
    with op.batch_alter_table("cases") as batch:
        for column in ("purged_at", "consent_scope", "consent_expires_on", "consent_obtained_on",
                       "deadlines"):
            batch.drop_column(column)
        batch.drop_constraint("uq_cases_organization_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_needs_organization_idempotency_key",
                                       ["organization_id", "idempotency_key"])
    op.rename_table("cases", "needs")
    _restore("need_labels", [{key: value for key, value in row.items()
                              if key not in ("source", "confirmed")} for row in labels],
             {"case_id": "need_id"})
    _restore("need_classifications", classifications, {"case_id": "need_id"})
    table = _offer_table("needs")
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for offer in offers:
        key = (need_case[offer["need_id"]], offer["responder_id"])
        kept.setdefault(key, {**offer, "need_id": key[0]})
    if kept:
        op.bulk_insert(table, list(kept.values()))
    _reset_sequence("offers")
