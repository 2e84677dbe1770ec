"""Reading and validating labelled postings (JSON Lines, the format of taxonomy.md)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nlp.taxonomy import UNKNOWN

_LABEL_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class DatasetError(ValueError):
    """A data file is missing or one of its lines is malformed (the message names the line)."""


@dataclass(frozen=True)
class LabelledRow:
    """One labelled posting.

    ``negatives`` is None when the row carries no "negatives" key: such a row is fully
    labelled (every label not listed is a negative). With a "negatives" key the row is
    partially labelled: a label in neither list is unknown and never treated as negative.
    """

    text: str
    labels: tuple[str, ...]
    negatives: tuple[str, ...] | None
    id: str | None = None
    language: str | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def group(self) -> str | None:
        """Rows of one group (one statement in several languages) stay in one cross-validation
        fold, so that no translation is scored by a model trained on another; None: the row alone."""
        group = self.extra.get("group")
        return group if isinstance(group, str) else None


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; malformed lines raise DatasetError."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise DatasetError(f"{path}:{number}: not UTF-8 text") from error
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path}:{number}: malformed JSON ({error.msg})") from error
            if not isinstance(value, dict):
                raise DatasetError(f"{path}:{number}: expected a JSON object")
            yield number, value


def _label_list(value: Any, key: str, where: str, known: Sequence[str] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DatasetError(f"{where}: '{key}' must be a list of label ids")
    for label in value:
        if not _LABEL_ID.match(label):
            raise DatasetError(f"{where}: '{label}' is not a valid label id")
        if known is not None and label not in known:
            raise DatasetError(
                f"{where}: unknown label '{label}' (known: {', '.join(sorted(known))})"
            )
    return tuple(dict.fromkeys(value))


def load_labelled(
    paths: Sequence[Path], known_labels: Sequence[str] | None = None, require_labels: bool = True
) -> list[LabelledRow]:
    """Load and validate every line of every file before returning anything."""
    rows: list[LabelledRow] = []
    for path in paths:
        for number, value in read_jsonl(path):
            where = f"{path}:{number}"
            text = value.get("text")
            if not isinstance(text, str) or not text.strip():
                raise DatasetError(f"{where}: 'text' is missing or empty")
            if require_labels and "labels" not in value:
                raise DatasetError(f"{where}: 'labels' is missing")
            labels = _label_list(value.get("labels", []), "labels", where, known_labels)
            negatives = None
            if "negatives" in value:
                negatives = _label_list(value["negatives"], "negatives", where, known_labels)
                if set(labels) & set(negatives):
                    raise DatasetError(f"{where}: a label is both positive and negative")
            group = value.get("group")
            if group is not None and (not isinstance(group, str) or not group.strip()):
                raise DatasetError(f"{where}: 'group' must be a non-empty string")
            identifier = value.get("id")
            language = value.get("language")
            rows.append(
                LabelledRow(
                    text=text,
                    labels=labels,
                    negatives=negatives,
                    id=str(identifier) if identifier is not None else None,
                    language=language if isinstance(language, str) else None,
                    source=where,
                    extra={k: v for k, v in value.items() if k not in {"text", "labels"}},
                )
            )
    if not rows:
        raise DatasetError(f"no rows in {', '.join(str(path) for path in paths)}")
    return rows


def labels_in(rows: Sequence[LabelledRow]) -> list[str]:
    """Every label that appears in the rows, as a positive or a negative, sorted."""
    found: set[str] = set()
    for row in rows:
        found.update(row.labels)
        found.update(row.negatives or ())
    return sorted(found)


def label_matrix(rows: Sequence[LabelledRow], labels: Sequence[str]) -> np.ndarray:
    """1 positive, 0 negative, -1 unknown, per row and label."""
    matrix = np.zeros((len(rows), len(labels)), dtype=np.int8)
    column = {label: index for index, label in enumerate(labels)}
    for row_index, row in enumerate(rows):
        if row.negatives is not None:
            matrix[row_index, :] = UNKNOWN
            for label in row.negatives:
                if label in column:
                    matrix[row_index, column[label]] = 0
        for label in row.labels:
            if label in column:
                matrix[row_index, column[label]] = 1
    return matrix


def data_hash(rows: Sequence[LabelledRow]) -> str:
    """SHA-256 over the rows' text and labels, independent of file names and key order."""
    digest = hashlib.sha256()
    for row in rows:
        canonical = [row.text, sorted(row.labels), sorted(row.negatives or []), row.negatives is None]
        if row.group is not None:
            # A group changes the folds (and so the thresholds): rows without one hash as before.
            canonical.append(row.group)
        digest.update(json.dumps(canonical, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
