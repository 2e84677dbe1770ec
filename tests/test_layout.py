"""Imports flow one way: api -> index -> nlp, training -> nlp; nlp and index stay web-free.

Inside api/: http and cli -> bootstrap -> services -> storage (and index, nlp, training).
"""

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


# Inside api/: what each layer must not import (a module path prefix, or a top-level package).
API_LAYERS = {
    "api/storage": {"api.services", "api.http", "api.cli", "api.bootstrap", "api.benchmarks",
                    "fastapi", "starlette", "argparse"},
    "api/services": {"api.http", "api.cli", "api.bootstrap", "api.benchmarks", "fastapi",
                     "starlette", "uvicorn", "argparse"},
    "api/http": {"api.cli", "api.benchmarks", "argparse"},
    "api/bootstrap.py": {"api.http", "api.cli", "api.benchmarks", "fastapi", "argparse"},
    "api/benchmarks": {"api.cli"},
}


def _modules(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(imported: set[str], rules: set[str]) -> list[str]:
    return sorted(name for name in imported
                  if any(name == rule or name.startswith(rule + ".") for rule in rules))


@pytest.mark.parametrize("layer", sorted(API_LAYERS))
def test_api_layers_import_downward_only(layer: str) -> None:
    target = ROOT / layer
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    offenders = {str(path.relative_to(ROOT)): _forbidden(_modules(path), API_LAYERS[layer])
                 for path in files if _forbidden(_modules(path), API_LAYERS[layer])}
    assert offenders == {}


def test_benchmarks_are_imported_only_by_the_command_line() -> None:
    importers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "api").rglob("*.py")
                       if "benchmarks" not in path.parts and "cli" not in path.parts
                       and _forbidden(_modules(path), {"api.benchmarks"}))
    assert importers == []


def test_the_layer_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from api.http.app import create_app\nimport fastapi.routing\n")
    assert _forbidden(_modules(sample), API_LAYERS["api/services"]) == [
        "api.http.app", "api.http.app.create_app", "fastapi.routing"]


@pytest.mark.parametrize("package", ["nlp", "index"])
def test_no_environment_reads(package: str) -> None:
    readers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if "os.environ" in path.read_text() or "getenv" in path.read_text()
    ]
    assert readers == []


def test_the_checker_sees_a_real_import() -> None:
    assert "api" in _imports(ROOT / "tests" / "support.py")
