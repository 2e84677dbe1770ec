"""The migrations build exactly the tables the code declares (no drift), on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, Table, select
from sqlalchemy.orm import Session

from api.storage.database import MIGRATIONS, make_engine, migrate
from api.storage.tables import Base, Case, CaseLabel, Need, Offer


def _differences(url: str, metadata: MetaData) -> list[object]:
    engine = make_engine(url)
    migrate(engine)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrations_match_the_declared_tables(database_url: str) -> None:
    assert _differences(database_url, Base.metadata) == []


def test_the_drift_check_sees_a_table_without_a_migration(database_url: str) -> None:
    drifted = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    Table("undeclared_in_migrations", drifted, Column("id", Integer, primary_key=True))
    differences = _differences(database_url, drifted)
    assert [difference[0] for difference in differences] == ["add_table"]  # type: ignore[index]


def _to(engine: Engine, revision: str, downgrade: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if downgrade else command.upgrade)(config, revision)


def test_postings_become_cases_with_a_need_per_category(tmp_path: Path) -> None:
    """A stored posting matched by its first accepted offer becomes a case whose other needs are
    open again; the offer moves to the need its responder practises; labels move to the case."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _to(engine, "0007")
    now = "2026-12-01 10:00:00.000000"
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run("INSERT INTO organizations (id, name, created_at) VALUES (1, 'Shelter', ?)", (now,))
        run("INSERT INTO users (id, organization_id, role, key_hash, created_at) "
            "VALUES (1, 1, 'admin', 'h', ?)", (now,))
        for identifier, declared in (("r-imm", '["immigration_relief"]'), ("r-fam", "null")):
            run("INSERT INTO responders (id, name, organization, expertise, categories, "
                "inferred_categories, jurisdictions, languages, capacity, created_at, updated_at) "
                "VALUES (?, 'R', '', 'x', ?, ?, '[\"US-TX\"]', '[\"en\"]', 2, ?, ?)",
                (identifier, declared, '{"family_law": 0.9, "immigration_relief": 0.2}', now, now))
        for identifier, status, labels in (("need-old1", "matched", '["family_law", "immigration_relief"]'),
                                           ("need-old2", "open", '["wage_claims"]'),
                                           ("ex-1", "labelled", "[]")):
            run("INSERT INTO needs (id, organization_id, text, labels, scores, model_version, "
                "jurisdiction, language, urgency, status, created_at, updated_at, "
                "survivor_languages) VALUES (?, 1, 'text', ?, '{}', 'v1', 'US-TX', 'en', 'normal', "
                "?, ?, ?, '[]')", (identifier, labels, status, now, now))
        run("INSERT INTO offers (id, need_id, responder_id, status, no_conflict_attested, created_at, "
            "updated_at) VALUES (7, 'need-old1', 'r-imm', 'accepted', 1, ?, ?)", (now, now))
        run("INSERT INTO offers (id, need_id, responder_id, status, no_conflict_attested, created_at, "
            "updated_at) VALUES (8, 'need-old1', 'r-fam', 'pending', 1, ?, ?)", (now, now))
        run("INSERT INTO need_labels (need_id, category, applies, set_by, set_at) "
            "VALUES ('ex-1', 'housing', 1, 1, ?)", (now,))
    _to(engine, "head")
    with Session(engine) as session:
        cases = {case.id: case for case in session.scalars(select(Case))}
        assert set(cases) == {"need-old1", "need-old2", "ex-1"}
        assert (cases["need-old1"].status, cases["need-old2"].status) == ("open", "open")
        needs = {(need.case_id, need.category): need for need in session.scalars(select(Need))}
        assert set(needs) == {("need-old1", "family_law"), ("need-old1", "immigration_relief"),
                              ("need-old2", "wage_claims")}  # an example holds no needs
        immigration = needs[("need-old1", "immigration_relief")]
        family = needs[("need-old1", "family_law")]
        assert (immigration.status, family.status) == ("matched", "open")
        offers = {offer.id: offer for offer in session.scalars(select(Offer))}
        assert offers[7].need_id == immigration.id  # declared immigration_relief
        assert offers[8].need_id == family.id  # inferred family_law
        labels = list(session.scalars(select(CaseLabel)))
        assert [(label.case_id, label.category, label.source, label.confirmed)
                for label in labels] == [("ex-1", "housing", "admin", True)]
        session.add(Offer(need_id=family.id, responder_id="r-imm", status="pending"))
        session.commit()  # the id sequence continues after the copied rows
    # And back: a posting again, holding the offers of all its needs.
    _to(engine, "0007", downgrade=True)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, need_id, responder_id FROM offers ORDER BY id").all()
        assert [(row[1], row[2]) for row in rows] == [("need-old1", "r-imm"), ("need-old1", "r-fam")]
        kept = connection.exec_driver_sql("SELECT need_id, category FROM need_labels").all()
    assert [tuple(row) for row in kept] == [("ex-1", "housing")]
    engine.dispose()
