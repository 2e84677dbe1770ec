"""Labelled postings from parallel need sets (`training/data/encoders/parallel_needs*.json`).

Each statement of a parallel set is one need of one category written in 14 languages. Each
language's version becomes one posting labelled with that category, and every version of a
statement carries the same ``group``, so that cross-validation holds a statement's translations
out together (`training.fit.fold_splits`).

    python -m training.parallel_rows training/data/encoders/parallel_needs.json ... > out.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nlp.taxonomy import CATEGORY_IDS
from training.datasets import read_jsonl

# The repository root: a model's manifest names its training files relative to it.
ROOT = Path(__file__).resolve().parents[1]

# The first parallel set's short category names, in taxonomy ids.
FIRST_SET_CATEGORIES = {
    "damages": "civil_damages", "judgment": "judgment_collection", "wages": "wage_claims",
    "immigration": "immigration_relief", "reunification": "family_reunification",
    "custody": "family_law", "records": "criminal_record_relief", "victim_rights": "victim_rights",
    "defense": "criminal_defense", "housing": "housing", "benefits": "public_benefits",
    "debt": "coerced_debt", "id_docs": "identity_documents",
}


def parallel_rows(parallel: dict[str, Any], name: str) -> Iterator[dict[str, Any]]:
    """One posting per statement and language (English first, then the set's languages)."""
    languages = ["en", *parallel["languages"]]
    # A set names its categories by ids or by short names: its own "categories" map (from the
    # second set on) or the first set's list.
    mapped = parallel.get("categories")
    short = mapped if isinstance(mapped, dict) else FIRST_SET_CATEGORIES
    for statement in parallel["statements"]:
        category = short.get(statement["category"], statement["category"])
        if category not in CATEGORY_IDS:
            raise ValueError(f"{name}: statement {statement['id']} has unknown category {category!r}")
        group = f"{name}:{statement['id']}"
        for language in languages:
            text = statement.get(language)
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{name}: statement {statement['id']} has no {language} text")
            yield {"id": f"{group}:{language}", "language": language, "group": group,
                   "text": text.strip(), "labels": [category]}


def trained_sets(training_files: Sequence[str], root: Path = ROOT) -> set[str]:
    """The parallel sets (by file stem) whose statements are among a model's training rows
    (its manifest's training files, relative to ``root``): a ranking measured on them is not blind."""
    found: set[str] = set()
    for name in training_files:
        path = Path(name) if Path(name).is_absolute() else root / name
        if not path.is_file():
            continue
        for _, value in read_jsonl(path):
            group = value.get("group")
            if isinstance(group, str) and ":" in group:
                found.add(group.split(":", 1)[0])
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="parallel need sets (JSON)")
    arguments = parser.parse_args(argv)
    for path in arguments.files:
        parallel = json.loads(path.read_text(encoding="utf-8"))
        for row in parallel_rows(parallel, path.stem):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
