"""The responder index in the service's PostgreSQL with pgvector, shared by every server and worker.

One table per encoder and dimension (`responder_vectors_<hash>`, recorded in
`responder_vector_spaces`), so a model on another encoder never reads the vectors of the old
one. A row per responder holds:

* `key`: an identity column, the same in every process; `responder_id` is unique, so processes
  that apply the same change write one row (INSERT ... ON CONFLICT, one statement per responder);
* `stamp`: the stored profile's update time, which `stale` compares with the source table;
* the eligibility facts as the profile states them: declared `categories` (empty when the
  profile declares none), the classifier's `inferred` scores, `jurisdictions` and their
  `countries`, `languages`, `capacity`, and `last_referral` for the tie-break;
* `profile`: the profile vector, vector(d) with an HNSW index (vector_ip_ops: inner product of
  unit vectors, as in PgVectorIndex), and `vectors`: the profile vector then every indexed
  sentence vector as float32 bytes, with the sentences' texts for explanations.

Which inferred categories a responder practises depends on the serving classifier's thresholds,
which each query passes in: the rows do not depend on the classifier, so a promoted model on the
same encoder reads the same rows.

Stage one is one statement: the rules of index/eligibility.py in WHERE, ordered by the profile
vector's inner product with the need. Up to `exact_rows` rows in the table every eligible
responder is scored (as the in-memory index does); past that the HNSW index finds the `limit`
nearest with hnsw.iterative_scan, which goes on walking until the filters admit `limit` rows,
and when it returns fewer (the filter admits fewer, or the walk hit max_scan_tuples) the
eligible rows are scored exactly instead: a filter never starves the result. Matching asks for
more when someone left out could still enter stage two (index/matching.py, `_stage_one`).

The tables are made at run time, not by the app's migrations: their vector type depends on the
encoder that a model names (known when the model loads, and changed by a promotion without a
migration), and the extension is missing on plain PostgreSQL and on SQLite.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from index.base import IndexMismatch
from index.eligibility import country_of, needs_the_language, reaches
from index.pgvector_index import (
    MAXIMUM_EF_SEARCH,
    TABLE_NAME,
    PgVectorIndex,
    _psycopg,
    _send_id_arrays_in_binary,
    _vector_literal,
    _without_password,
    set_search_settings,
)
from index.responder_index import Candidates, ResponderEntry, entry_from_profile, expertise_vectors
from nlp.encoding import EncodedText

SPACES = "responder_vector_spaces"
TABLE_PREFIX = "responder_vectors"
# Held while creating the extension and the tables: two processes running CREATE ... IF NOT
# EXISTS at once can still collide in the catalogue.
CREATE_LOCK = 0x6E6D_7276
# Up to this many rows every eligible responder is scored (a few milliseconds); past it, HNSW.
EXACT_ROWS = 20_000
DEFAULT_THRESHOLD = 0.5  # as entry_from_profile: a category the classifier has no threshold for


def space_table(encoder: str, dimension: int, prefix: str = TABLE_PREFIX) -> str:
    """The table of one encoder's responder vectors."""
    digest = hashlib.sha256(f"{encoder}\n{dimension}".encode()).hexdigest()[:12]
    return f"{prefix}_{digest}"


def _connect(url: str) -> Any:
    """An autocommit connection that never prepares statements (custom plans see every value)."""
    connection = _psycopg().connect(url, autocommit=True, prepare_threshold=None)
    _send_id_arrays_in_binary(connection)
    return connection


def pgvector_unavailable(url: str) -> str | None:
    """None when the database at `url` has pgvector 0.8 or newer (creating the extension if it
    can), else the reason it cannot be used."""
    psycopg = _psycopg()
    try:
        with _connect(_plain_url(url)) as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (CREATE_LOCK,))
            PgVectorIndex._check_extension(connection)
    except (psycopg.Error, RuntimeError) as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def _plain_url(url: str) -> str:
    if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise ValueError(f"expected a postgresql:// URL, got {_without_password(url)!r}")
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class ConnectionPool:
    """A few connections to one database, each lent to one thread at a time (a server's threads
    match at once); shared by the indexes a process makes for successive models."""

    def __init__(self, url: str, size: int = 4) -> None:
        self.url = _plain_url(url)
        self.size = size
        self._idle: list[Any] = []
        self._open = 0
        self._available = threading.Condition()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection for the duration of the block; a broken one is dropped, not returned."""
        with self._available:
            while not self._idle and self._open >= self.size:
                self._available.wait()
            connection = self._idle.pop() if self._idle else None
            if connection is None:
                self._open += 1
        try:
            if connection is None or connection.closed:
                connection = _connect(self.url)
        except BaseException:
            with self._available:
                self._open -= 1
                self._available.notify()
            raise
        try:
            yield connection
        finally:
            with self._available:
                if connection.closed or connection.broken:
                    self._open -= 1
                else:
                    self._idle.append(connection)
                self._available.notify()

    def close(self) -> None:
        """Close the idle connections (lent ones are closed when they come back broken or not)."""
        with self._available:
            for connection in self._idle:
                connection.close()
            self._open -= len(self._idle)
            self._idle.clear()


@dataclass(frozen=True)
class ResponderFacts:
    """A responder as its stored profile states it, independent of any classifier."""

    id: str
    categories: tuple[str, ...]  # declared; empty when the profile declares none
    inferred: Mapping[str, float]  # the classifier's scores of the expertise text
    jurisdictions: tuple[str, ...]
    languages: tuple[str, ...]
    capacity: int
    last_referral: float = 0.0
    stamp: datetime | None = None  # the stored profile's update time

    @classmethod
    def from_profile(cls, profile: Mapping[str, Any], inferred: Mapping[str, float],
                     last_referral: float = 0.0, stamp: datetime | None = None) -> ResponderFacts:
        """From a profile in the JSONL format of taxonomy.md and its inferred category scores."""
        return cls(str(profile["id"]), tuple(profile.get("categories") or ()),
                   {category: float(score) for category, score in inferred.items()},
                   tuple(profile["jurisdictions"]), tuple(profile["languages"]),
                   int(profile["capacity"]), last_referral, stamp)


@dataclass
class _Rule:
    """One category's eligibility rules as SQL conditions over a row."""

    practise: Any
    here: Any
    speak: Any
    strength: Any


class PgResponderIndex:
    """Responders' eligibility facts and vectors in PostgreSQL, read by matching through
    `candidates`, `details` and `exclusions` (see index.responder_index.ResponderSearch)."""

    backend = "pgvector"

    def __init__(self, url: str, encoder: str, dimension: int,
                 thresholds: Mapping[str, float] | None = None, *, table: str | None = None,
                 pool: ConnectionPool | None = None, ef_search: int = 100, m: int = 16,
                 ef_construction: int = 64, exact_rows: int = EXACT_ROWS,
                 max_scan_tuples: int = 50_000) -> None:
        self.url = _plain_url(url)
        self.encoder, self.dimension = encoder, dimension
        self.thresholds = dict(thresholds or {})
        self.table = table or space_table(encoder, dimension)
        if not TABLE_NAME.fullmatch(self.table):
            raise ValueError(f"table name {self.table!r}: use 1-40 lower-case letters, digits and "
                             "underscores")
        self._own_pool = pool is None
        self.pool = pool if pool is not None else ConnectionPool(self.url)
        self.ef_search, self.m, self.ef_construction = ef_search, m, ef_construction
        self.exact_rows, self.max_scan_tuples = exact_rows, max_scan_tuples
        # An advisory lock of this table's own: one process applies changes at a time.
        self._write_lock = int.from_bytes(hashlib.sha256(self.table.encode()).digest()[:8], "big",
                                          signed=True)

    # Tables ---------------------------------------------------------------------------------

    def _sql(self, template: str, **names: Any) -> Any:
        sql = _psycopg().sql
        table = self.table
        return sql.SQL(template).format(
            table=sql.Identifier(table), pkey=sql.Identifier(f"{table}_pkey"),
            unique=sql.Identifier(f"{table}_responder_id_key"),
            hnsw=sql.Identifier(f"{table}_profile_hnsw"),
            codes=sql.Identifier(f"{table}_jurisdictions_gin"),
            countries=sql.Identifier(f"{table}_countries_gin"), **names)

    def open(self) -> PgResponderIndex:
        """Create the extension, the registry and this encoder's table if missing; refuse a table
        the registry records for another encoder or dimension (IndexMismatch)."""
        sql = _psycopg().sql
        with self.pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (CREATE_LOCK,))
            PgVectorIndex._check_extension(connection)
            connection.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, encoder text NOT NULL, "
                "dimension integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
            ).format(sql.Identifier(SPACES)))
            recorded = connection.execute(
                sql.SQL("SELECT encoder, dimension FROM {} WHERE name = %s").format(sql.Identifier(SPACES)),
                (self.table,)).fetchone()
            if recorded is not None and tuple(recorded) != (self.encoder, self.dimension):
                raise IndexMismatch(f"table {self.table} holds vectors of {recorded[0]} ({recorded[1]} "
                                    f"dimensions), not {self.encoder} ({self.dimension})")
            if recorded is None:
                self._create(connection)
                connection.execute(
                    sql.SQL("INSERT INTO {} (name, encoder, dimension) VALUES (%s, %s, %s)").format(
                        sql.Identifier(SPACES)), (self.table, self.encoder, self.dimension))
        return self

    def _create(self, connection: Any) -> None:
        sql = _psycopg().sql
        connection.execute(self._sql(
            "CREATE TABLE IF NOT EXISTS {table} ("
            "key bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT {pkey} PRIMARY KEY, "
            "responder_id text NOT NULL CONSTRAINT {unique} UNIQUE, stamp timestamptz, "
            "categories text[] NOT NULL, inferred jsonb NOT NULL, jurisdictions text[] NOT NULL, "
            "countries text[] NOT NULL, languages text[] NOT NULL, capacity integer NOT NULL, "
            "last_referral double precision NOT NULL, sentences text[] NOT NULL, "
            "profile vector({dimension}) NOT NULL, vectors bytea NOT NULL)",
            dimension=sql.Literal(self.dimension)))
        # Float bytes do not compress: store them out of line without trying.
        connection.execute(self._sql("ALTER TABLE {table} ALTER COLUMN vectors SET STORAGE EXTERNAL"))
        connection.execute(self._sql(
            "CREATE INDEX IF NOT EXISTS {hnsw} ON {table} USING hnsw (profile vector_ip_ops) "
            "WITH (m = {m}, ef_construction = {ef_construction})",
            m=sql.Literal(self.m), ef_construction=sql.Literal(self.ef_construction)))
        # For the exact path on a large table: a place is the most selective filter.
        for name, column in (("codes", "jurisdictions"), ("countries", "countries")):
            connection.execute(self._sql(f"CREATE INDEX IF NOT EXISTS {{{name}}} ON {{table}} "
                                         f"USING gin ({column})"))

    def drop(self) -> None:
        """Delete this encoder's table and its registry row."""
        sql = _psycopg().sql
        with self.pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (CREATE_LOCK,))
            connection.execute(self._sql("DROP TABLE IF EXISTS {table}"))
            if connection.execute("SELECT to_regclass(%s) IS NOT NULL", (SPACES,)).fetchone()[0]:
                connection.execute(sql.SQL("DELETE FROM {} WHERE name = %s").format(sql.Identifier(SPACES)),
                                   (self.table,))

    def close(self) -> None:
        """Close the connections, unless the pool was handed in (its owner closes it)."""
        if self._own_pool:
            self.pool.close()

    # Writing --------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold this table's advisory lock: processes apply changes one at a time (each then finds
        what the one before it applied), so no two encode the same profiles at once."""
        with self.pool.connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (self._write_lock,))
            try:
                yield
            finally:
                if not connection.closed:
                    connection.execute("SELECT pg_advisory_unlock(%s)", (self._write_lock,))

    def _row(self, facts: ResponderFacts, encoded: EncodedText) -> dict[str, Any]:
        from psycopg.types.json import Jsonb

        stacked, sentences = expertise_vectors(encoded)
        if not np.isfinite(stacked).all():  # a profile without a sentence: pgvector refuses NaN
            stacked = np.nan_to_num(stacked, nan=0.0)
        return {"id": facts.id, "stamp": facts.stamp, "categories": list(facts.categories),
                "inferred": Jsonb(dict(facts.inferred)), "jurisdictions": list(facts.jurisdictions),
                "countries": sorted({country_of(code) for code in facts.jurisdictions}),
                "languages": list(facts.languages), "capacity": facts.capacity,
                "last_referral": float(facts.last_referral), "sentences": sentences,
                "profile": _vector_literal(stacked[0]), "vectors": stacked.tobytes()}

    def _upsert_statement(self) -> Any:
        columns = ("stamp", "categories", "inferred", "jurisdictions", "countries", "languages",
                   "capacity", "last_referral", "sentences", "profile", "vectors")
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns)
        return self._sql(
            "INSERT INTO {table} (responder_id, stamp, categories, inferred, jurisdictions, countries, "
            "languages, capacity, last_referral, sentences, profile, vectors) VALUES (%(id)s, %(stamp)s, "
            "%(categories)s::text[], %(inferred)s, %(jurisdictions)s::text[], %(countries)s::text[], "
            "%(languages)s::text[], %(capacity)s, %(last_referral)s, %(sentences)s::text[], "
            f"%(profile)s::vector, %(vectors)s) ON CONFLICT (responder_id) DO UPDATE SET {updates} "
            "RETURNING key")

    def upsert(self, facts: ResponderFacts, encoded: EncodedText) -> int:
        """Add or replace one responder (one statement, its own transaction); returns its key,
        which a replaced responder keeps."""
        with self.pool.connection() as connection:
            return int(connection.execute(self._upsert_statement(), self._row(facts, encoded)).fetchone()[0])

    def upsert_many(self, items: Iterable[tuple[ResponderFacts, EncodedText]]) -> int:
        """Add or replace responders, each in a statement and transaction of its own (pipelined);
        returns how many were written."""
        rows = [self._row(facts, encoded) for facts, encoded in items]
        if rows:
            with self.pool.connection() as connection, connection.cursor() as cursor:
                cursor.executemany(self._upsert_statement(), rows)
        return len(rows)

    def remove(self, responder_id: str) -> bool:
        """Remove one responder; False when it was not there."""
        return self.remove_many([responder_id]) == 1

    def remove_many(self, responder_ids: Sequence[str]) -> int:
        """Remove responders; returns how many were there."""
        if not responder_ids:
            return 0
        with self.pool.connection() as connection:
            cursor = connection.execute(self._sql("DELETE FROM {table} WHERE responder_id = ANY(%s::text[])"),
                                        (list(responder_ids),))
            return int(cursor.rowcount)

    def analyze(self) -> None:
        """Refresh PostgreSQL's statistics of the table (after many rows changed), so that it
        estimates how many rows a filter admits and picks the HNSW walk or a scan accordingly."""
        with self.pool.connection() as connection:
            connection.execute(self._sql("ANALYZE {table}"))

    # Reading --------------------------------------------------------------------------------

    def stale(self, source: str, id_column: str = "id", stamp_column: str = "updated_at"
              ) -> tuple[list[str], list[str]]:
        """Against a table of profiles in the same database: the ids that are new or whose stamp
        differs (to upsert), and the ids no longer there (to remove). One join, in PostgreSQL."""
        sql = _psycopg().sql
        statement = self._sql(
            "SELECT source.{id}, stored.responder_id FROM {source} AS source FULL JOIN {table} AS stored "
            "ON stored.responder_id = source.{id} WHERE stored.responder_id IS NULL "
            "OR source.{id} IS NULL OR stored.stamp IS DISTINCT FROM source.{stamp}",
            source=sql.Identifier(source), id=sql.Identifier(id_column), stamp=sql.Identifier(stamp_column))
        with self.pool.connection() as connection:
            rows = connection.execute(statement).fetchall()
        changed = sorted(str(current) for current, _ in rows if current is not None)
        removed = sorted(str(stored) for current, stored in rows if current is None)
        return changed, removed

    def stamps(self) -> dict[str, datetime | None]:
        """Every stored responder's stamp, by id."""
        with self.pool.connection() as connection:
            return dict(connection.execute(self._sql("SELECT responder_id, stamp FROM {table}")).fetchall())

    def keys(self) -> dict[str, int]:
        """Every stored responder's key, by id."""
        with self.pool.connection() as connection:
            return {str(identifier): int(key) for identifier, key in connection.execute(
                self._sql("SELECT responder_id, key FROM {table}")).fetchall()}

    def __len__(self) -> int:
        with self.pool.connection() as connection:
            return int(connection.execute(self._sql("SELECT count(*) FROM {table}")).fetchone()[0])

    def _rules(self, jurisdiction: str, languages: Sequence[str], categories: Sequence[str]
               ) -> tuple[list[_Rule], dict[str, Any]]:
        """The rules of index/eligibility.py per category, as SQL over a row, and their values."""
        sql = _psycopg().sql
        parameters: dict[str, Any] = {"languages": list(languages)}
        rules = []
        for number, category in enumerate(categories):
            name, threshold = sql.Placeholder(f"c{number}"), sql.Placeholder(f"t{number}")
            parameters[f"c{number}"] = category
            parameters[f"t{number}"] = float(self.thresholds.get(category, DEFAULT_THRESHOLD))
            declared = sql.SQL("cardinality(categories) > 0")
            practise = sql.SQL(
                "(CASE WHEN {declared} THEN categories @> ARRAY[{name}::text] "
                "ELSE coalesce((inferred ->> {name}::text)::float8 >= {threshold}, false) END)"
            ).format(declared=declared, name=name, threshold=threshold)
            ways = []
            for way_number, way in enumerate(reaches(jurisdiction, category)):
                code = f"r{number}_{way_number}"
                parameters[code] = way.code
                column = sql.Identifier("jurisdictions" if way.by == "code" else "countries")
                ways.append(sql.SQL("{} @> ARRAY[{}::text]").format(column, sql.Placeholder(code)))
            here = sql.SQL("(") + sql.SQL(" OR ").join(ways) + sql.SQL(")")
            speak = (sql.SQL("languages && {}::text[]").format(sql.Placeholder("languages"))
                     if needs_the_language(category) else sql.SQL("true"))
            strength = sql.SQL("(CASE WHEN {declared} THEN 1.0::float8 "
                               "ELSE (inferred ->> {name}::text)::float8 END)").format(
                declared=declared, name=name)
            rules.append(_Rule(practise, here, speak, strength))
        return rules, parameters

    def _estimated_rows(self, connection: Any) -> int:
        estimate = connection.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                                      (self.table,)).fetchone()[0]
        if estimate is None or estimate < 0:  # never analysed
            return int(connection.execute(self._sql("SELECT count(*) FROM {table}")).fetchone()[0])
        return int(estimate)

    def _candidates_statement(self, rules: list[_Rule], nearest: bool, limited: bool) -> Any:
        sql = _psycopg().sql
        eligible = [sql.SQL("({} AND {} AND {})").format(r.practise, r.here, r.speak) for r in rules]
        strengths = [sql.SQL("CASE WHEN {} THEN {} ELSE 0 END AS {}").format(
            condition, rule.strength, sql.Identifier(f"s{n}"))
            for n, (condition, rule) in enumerate(zip(eligible, rules, strict=True))]
        select = sql.SQL(
            "SELECT key, profile <#> %(query)s::vector AS distance, {strengths} FROM {table} "
            "WHERE capacity > 0 AND ({eligible})").format(
            strengths=sql.SQL(", ").join(strengths), table=sql.Identifier(self.table),
            eligible=sql.SQL(" OR ").join(eligible))
        columns = sql.SQL(", ").join(sql.Identifier(f"s{n}") for n in range(len(rules)))
        if nearest:
            # The HNSW index serves ORDER BY distance LIMIT; relaxed iterative scans may return rows
            # slightly out of order, so the limit is sorted again.
            return sql.SQL(
                "WITH nearest AS MATERIALIZED ({select} ORDER BY profile <#> %(query)s::vector "
                "LIMIT %(limit)s) SELECT key, -distance, {columns} FROM nearest ORDER BY distance, key"
            ).format(select=select, columns=columns)
        # Materialised without an ORDER BY: the planner cannot turn it into an HNSW scan.
        return sql.SQL(
            "WITH eligible AS MATERIALIZED ({select}) SELECT key, -distance, {columns} FROM eligible "
            "ORDER BY distance, key{limit}").format(
            select=select, columns=columns, limit=sql.SQL(" LIMIT %(limit)s") if limited else sql.SQL(""))

    def candidates(self, vector: np.ndarray, jurisdiction: str, languages: Sequence[str],
                   categories: Sequence[str], limit: int | None) -> Candidates:
        """Eligible responders for at least one category with their profile similarity and
        per-category strength: every one while the table has at most `exact_rows` rows (or when
        `limit` is None), else the `limit` with the most similar profiles (the HNSW walk, or every
        eligible row scored when the walk finds fewer)."""
        if not categories:
            return Candidates.empty(0)
        rules, parameters = self._rules(jurisdiction, languages, categories)
        parameters.update(query=_vector_literal(np.asarray(vector, dtype=np.float32).reshape(-1)),
                          limit=limit)
        ef_search = min(MAXIMUM_EF_SEARCH, max(self.ef_search, limit or 0))
        with self.pool.connection() as connection, connection.transaction():
            set_search_settings(connection, ef_search, self.max_scan_tuples)
            if limit is None or self._estimated_rows(connection) <= self.exact_rows:
                statement = self._candidates_statement(rules, nearest=False, limited=False)
                rows, complete = connection.execute(statement, parameters).fetchall(), True
            else:
                statement = self._candidates_statement(rules, nearest=True, limited=True)
                rows = connection.execute(statement, parameters).fetchall()
                if len(rows) < limit:
                    # Fewer eligible than the limit, or a walk that gave up (max_scan_tuples).
                    statement = self._candidates_statement(rules, nearest=False, limited=True)
                    rows = connection.execute(statement, parameters).fetchall()
                complete = len(rows) < limit
        if not rows:
            return Candidates.empty(len(categories))
        table = np.asarray(rows, dtype=np.float64)
        return Candidates(table[:, 0].astype(np.int64), table[:, 1].astype(np.float32),
                          table[:, 2:].astype(np.float32), complete)

    def details(self, keys: Sequence[int]) -> dict[int, tuple[ResponderEntry, np.ndarray]]:
        """Each key's entry (practised categories as this index's thresholds read the facts) and
        vectors, in one query."""
        wanted = np.asarray(list(keys), dtype=np.int64)
        with self.pool.connection() as connection:
            rows = connection.execute(self._sql(
                "SELECT key, responder_id, stamp, categories, inferred, jurisdictions, languages, "
                "capacity, last_referral, sentences, vectors FROM {table} WHERE key = ANY(%b::bigint[])"),
                (wanted,)).fetchall()
        found: dict[int, tuple[ResponderEntry, np.ndarray]] = {}
        for (key, identifier, stamp, declared, inferred, jurisdictions, languages, capacity, last,
             sentences, vectors) in rows:
            profile = {"id": identifier, "jurisdictions": jurisdictions, "languages": languages,
                       "capacity": capacity, **({"categories": declared} if declared else {})}
            entry = entry_from_profile(profile, inferred, self.thresholds, float(last),
                                       stamp.isoformat() if stamp else "")
            entry.sentences = list(sentences)
            found[int(key)] = (entry, np.frombuffer(vectors, dtype=np.float32).reshape(-1, self.dimension))
        return found

    def exclusions(self, jurisdiction: str, languages: Sequence[str], categories: Iterable[str]
                   ) -> dict[str, dict[str, int]]:
        """Per category, how many responders are left after each rule in turn (practise, may
        practise where the need is, speak where the work needs it, capacity): one query."""
        names = list(categories)
        if not names:
            return {}
        sql = _psycopg().sql
        rules, parameters = self._rules(jurisdiction, languages, names)
        counts = []
        for rule in rules:
            steps = [rule.practise, rule.here, rule.speak, sql.SQL("capacity > 0")]
            for depth in range(1, len(steps) + 1):
                counts.append(sql.SQL("count(*) FILTER (WHERE {})").format(
                    sql.SQL(" AND ").join(steps[:depth])))
        statement = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(counts),
                                                        sql.Identifier(self.table))
        with self.pool.connection() as connection:
            values = connection.execute(statement, parameters).fetchone()
        stages = ("practise", "practise_here", "speak", "with_capacity")
        return {category: {stage: int(values[4 * number + place]) for place, stage in enumerate(stages)}
                for number, category in enumerate(names)}

    def explain(self, vector: np.ndarray, jurisdiction: str, languages: Sequence[str],
                categories: Sequence[str], limit: int, nearest: bool = True) -> str:
        """The plan PostgreSQL chooses for stage one's statement (EXPLAIN text)."""
        rules, parameters = self._rules(jurisdiction, languages, categories)
        parameters.update(query=_vector_literal(np.asarray(vector, dtype=np.float32).reshape(-1)),
                          limit=limit)
        statement = self._candidates_statement(rules, nearest=nearest, limited=True)
        with self.pool.connection() as connection, connection.transaction():
            connection.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                               "set_config('hnsw.ef_search', %s, true)",
                               (str(min(MAXIMUM_EF_SEARCH, max(self.ef_search, limit))),))
            plan = connection.execute(_psycopg().sql.SQL("EXPLAIN {}").format(statement), parameters)
            return "\n".join(row[0] for row in plan.fetchall())
