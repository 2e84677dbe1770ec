"""Score the deadline finder on labelled narratives: precision, recall and F1, overall and per language.

A predicted deadline is correct when its date equals a labelled date of the row (each labelled
deadline matched at most once) and the labelled quote overlaps the predicted sentence span. The
"date-only" figures drop the second condition.

    python -m training.evaluate_deadlines training/data/deadlines/deadlines_dev.jsonl
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from nlp.deadlines import KINDS, Deadline, find_deadlines
from training.datasets import DatasetError, read_jsonl

Finder = Callable[[str, datetime.date, str | None], Sequence[Deadline]]


def load_rows(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Read and validate every row of every file; a malformed row raises DatasetError naming it."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in paths:
        for number, row in read_jsonl(Path(path)):
            where = f"{path}:{number}"
            _validate(row, where)
            if row["id"] in seen:
                raise DatasetError(f"{where}: duplicate id '{row['id']}'")
            seen.add(row["id"])
            rows.append(row)
    return rows


def _validate(row: dict[str, Any], where: str) -> None:
    """Raise DatasetError unless the row has an id, a language, a posting date, a text and deadlines."""
    for key in ("id", "language", "posted", "text"):
        if not isinstance(row.get(key), str):
            raise DatasetError(f"{where}: '{key}' must be a string")
    _parse_date(row["posted"], f"{where}: 'posted'")
    deadlines = row.get("deadlines")
    if not isinstance(deadlines, list):
        raise DatasetError(f"{where}: 'deadlines' must be a list (empty when there is none)")
    for position, item in enumerate(deadlines):
        label = f"{where}: deadlines[{position}]"
        if not isinstance(item, dict) or not isinstance(item.get("date"), str) \
                or not isinstance(item.get("quote"), str):
            raise DatasetError(f"{label} must be an object with a 'date' and a 'quote'")
        _parse_date(item["date"], f"{label}.date")
        if not item["quote"] or item["quote"] not in row["text"]:
            raise DatasetError(f"{label}.quote is not a substring of the text")
        if "kind" in item and item["kind"] not in KINDS:
            raise DatasetError(f"{label}.kind '{item['kind']}' is not one of {', '.join(KINDS)}")


def _parse_date(value: str, where: str) -> datetime.date:
    """An ISO date, or DatasetError naming the field."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise DatasetError(f"{where} is not an ISO date (YYYY-MM-DD): {value!r}") from error


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of quote in text."""
    spans: list[tuple[int, int]] = []
    position = text.find(quote)
    while quote and position != -1:
        spans.append((position, position + len(quote)))
        position = text.find(quote, position + 1)
    return spans


def _maximum_matching(edges: Sequence[Sequence[int]], right_count: int) -> list[tuple[int, int]]:
    """Largest set of (left, right) pairs from the edges with each side used once (Kuhn's algorithm)."""
    owner: list[int | None] = [None] * right_count

    def assign(left: int, visited: set[int]) -> bool:
        for right in edges[left]:
            if right in visited:
                continue
            visited.add(right)
            current = owner[right]
            if current is None or assign(current, visited):
                owner[right] = left
                return True
        return False

    for left in range(len(edges)):
        assign(left, set())
    return [(left, right) for right, left in enumerate(owner) if left is not None]


def _score_row(row: dict[str, Any], predictions: Sequence[Deadline]) -> dict[str, int]:
    """Counts for one row: labelled, predicted, correct, date-only correct, kinds agreeing."""
    labels = row["deadlines"]
    label_dates = [datetime.date.fromisoformat(item["date"]) for item in labels]
    label_spans = [_quote_spans(row["text"], item["quote"]) for item in labels]
    edges = [
        [index for index, (date, spans) in enumerate(zip(label_dates, label_spans, strict=True))
         if prediction.date == date
         and any(start < prediction.end and prediction.start < end for start, end in spans)]
        for prediction in predictions
    ]
    matches = _maximum_matching(edges, len(labels))
    date_only = sum((Counter(label_dates) & Counter(prediction.date for prediction in predictions)).values())
    kinds = sum(predictions[left].kind == labels[right].get("kind") for left, right in matches)
    return {"labelled": len(labels), "predicted": len(predictions), "correct": len(matches),
            "date_correct": date_only, "kind_correct": kinds}


def _figures(counts: Counter[str]) -> dict[str, float | int]:
    """Precision, recall and F1 (strict and date-only) from summed counts."""

    def ratio(part: int, whole: int) -> float:
        # Nothing predicted is nothing wrong; nothing labelled is nothing missed.
        return part / whole if whole else 1.0

    def harmonic(precision: float, recall: float) -> float:
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    precision = ratio(counts["correct"], counts["predicted"])
    recall = ratio(counts["correct"], counts["labelled"])
    date_precision = ratio(counts["date_correct"], counts["predicted"])
    date_recall = ratio(counts["date_correct"], counts["labelled"])
    return {
        "rows": counts["rows"], "labelled": counts["labelled"], "predicted": counts["predicted"],
        "correct": counts["correct"], "precision": precision, "recall": recall,
        "f1": harmonic(precision, recall), "date_precision": date_precision,
        "date_recall": date_recall, "date_f1": harmonic(date_precision, date_recall),
        "kind_agreement": ratio(counts["kind_correct"], counts["correct"]),
    }


def evaluate_deadlines(rows: Sequence[dict[str, Any]], find: Finder = find_deadlines,
                       use_language: bool = True) -> dict[str, Any]:
    """Precision, recall and F1 of find on the rows, overall and per language, with the ids of rows
    that have a missed or a wrong deadline. With use_language=False the finder detects the language."""
    overall: Counter[str] = Counter()
    by_language: dict[str, Counter[str]] = {}
    missed: list[str] = []
    wrong: list[str] = []
    for row in rows:
        posted = datetime.date.fromisoformat(row["posted"])
        predictions = list(find(row["text"], posted, row["language"] if use_language else None))
        counts = Counter(_score_row(row, predictions))
        counts["rows"] = 1
        overall.update(counts)
        by_language.setdefault(row["language"], Counter()).update(counts)
        if counts["correct"] < counts["labelled"]:
            missed.append(row["id"])
        if counts["correct"] < counts["predicted"]:
            wrong.append(row["id"])
    return {
        "overall": _figures(overall),
        "languages": {language: _figures(counts) for language, counts in sorted(by_language.items())},
        "missed": missed,
        "wrong": wrong,
    }


def format_report(report: dict[str, Any]) -> str:
    """A table of the figures, overall then per language (ids only, never narrative text)."""
    header = (f"{'':<9}{'rows':>5}{'gold':>6}{'pred':>6}{'ok':>5}{'P':>7}{'R':>7}{'F1':>7}"
              f"{'date P':>9}{'date R':>8}{'date F1':>9}{'kind':>7}")
    lines = [header]
    named = [("overall", report["overall"]), *report["languages"].items()]
    for name, figures in named:
        lines.append(
            f"{name:<9}{figures['rows']:>5}{figures['labelled']:>6}{figures['predicted']:>6}"
            f"{figures['correct']:>5}{figures['precision']:>7.3f}{figures['recall']:>7.3f}"
            f"{figures['f1']:>7.3f}{figures['date_precision']:>9.3f}{figures['date_recall']:>8.3f}"
            f"{figures['date_f1']:>9.3f}{figures['kind_agreement']:>7.3f}"
        )
    lines.append("missed in: " + (", ".join(report["missed"]) or "-"))
    lines.append("wrong in: " + (", ".join(report["wrong"]) or "-"))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate find_deadlines on JSONL files and print the figures; exit code 2 on a bad file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="JSONL rows with labelled deadlines")
    parser.add_argument("--detect-language", action="store_true",
                        help="do not pass the row's language: let the finder detect it")
    arguments = parser.parse_args(argv)
    try:
        rows = load_rows(arguments.files)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = evaluate_deadlines(rows, find_deadlines, use_language=not arguments.detect_language)
    language_source = "detected" if arguments.detect_language else "from each row"
    print(f"{len(rows)} rows from {', '.join(str(path) for path in arguments.files)} "
          f"(language {language_source})")
    print(format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
