"""The throwaway PostgreSQL's check that `nobody` can reach its programs (it runs as `nobody`
under root, and a checkout in a 0700 folder made every pgvector test fail with a bare
PermissionError from initdb)."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from index.embedded_postgres import EmbeddedPostgres, closed_to_others


def test_a_folder_others_cannot_enter_is_named() -> None:
    # Directly under the system's temporary folder (pytest's own is 0700).
    top = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        inner = top / "checkout" / "bin"
        inner.mkdir(parents=True)
        for folder in (top, top / "checkout", inner):
            folder.chmod(0o755)
        assert closed_to_others(inner) is None
        (top / "checkout").chmod(0o700)
        assert closed_to_others(inner) == (top / "checkout").resolve()
    finally:
        shutil.rmtree(top)


@pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as nobody only under root")
def test_under_root_a_closed_folder_gives_a_clear_error(tmp_path: Path) -> None:
    server = EmbeddedPostgres()
    closed = tmp_path / "closed"
    (closed / "bin").mkdir(parents=True)
    closed.chmod(0o700)
    server.binaries = closed / "bin"
    with pytest.raises(PermissionError, match=r"`nobody` cannot enter .*closed.*chmod o\+x"):
        server.start()
    assert server.directory is None  # its temporary folder is removed
