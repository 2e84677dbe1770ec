"""Imports flow one way: api -> index -> nlp, training -> nlp; nlp and index stay web-free."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "nlp": {"api", "index", "training", "fastapi", "sqlalchemy", "starlette", "uvicorn"},
    "index": {"api", "training", "fastapi", "sqlalchemy", "starlette", "uvicorn"},
    "training": {"api", "index", "fastapi", "sqlalchemy"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downstream(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & FORBIDDEN[package]
    }
    assert offenders == {}


@pytest.mark.parametrize("package", ["nlp", "index"])
def test_no_environment_reads(package: str) -> None:
    readers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if "os.environ" in path.read_text() or "getenv" in path.read_text()
    ]
    assert readers == []


def test_the_checker_sees_a_real_import() -> None:
    assert "api" in _imports(ROOT / "tests" / "api" / "test_cli.py")
