"""The deadline score: a deadline counts when its date and its sentence match a label."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from nlp.deadlines import Deadline
from training.evaluate_deadlines import evaluate_deadlines, load_rows, main

TEXT = "She arrived last year. Her hearing is on 2026-04-01. The interview is next week."
ROW: dict[str, Any] = {
    "id": "dd-en-001", "language": "en", "posted": "2026-03-10", "text": TEXT,
    "deadlines": [
        {"date": "2026-04-01", "quote": "Her hearing is on 2026-04-01", "kind": "hearing"},
        {"date": "2026-03-17", "quote": "next week", "kind": "appointment"},
    ],
}


def _sentence(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, text.index(".", start) + 1


Finder = Callable[[str, datetime.date, str | None], Sequence[Deadline]]


def _finder(*predictions: tuple[str, str, str]) -> Finder:
    """A finder that returns the given (date, sentence start text, kind) predictions."""

    def find(text: str, posted: datetime.date, language: str | None) -> list[Deadline]:
        deadlines = []
        for date, needle, kind in predictions:
            start, end = _sentence(text, needle)
            deadlines.append(Deadline(datetime.date.fromisoformat(date), start, end, text[start:end],
                                      kind, needle))
        return deadlines

    return find


def test_a_perfect_prediction_scores_one() -> None:
    find = _finder(("2026-04-01", "Her hearing", "hearing"), ("2026-03-17", "The interview", "appointment"))
    overall = evaluate_deadlines([ROW], find)["overall"]
    assert (overall["precision"], overall["recall"], overall["f1"]) == (1.0, 1.0, 1.0)
    assert overall["kind_agreement"] == 1.0


def test_a_wrong_date_scores_zero() -> None:
    report = evaluate_deadlines([ROW], _finder(("2026-04-02", "Her hearing", "hearing")))
    overall = report["overall"]
    assert (overall["precision"], overall["recall"], overall["f1"]) == (0.0, 0.0, 0.0)
    assert overall["date_f1"] == 0.0
    assert report["missed"] == ["dd-en-001"] and report["wrong"] == ["dd-en-001"]


def test_the_right_date_in_the_wrong_sentence_counts_for_date_only() -> None:
    overall = evaluate_deadlines([ROW], _finder(("2026-04-01", "She arrived", "other")))["overall"]
    assert overall["precision"] == 0.0
    assert overall["date_precision"] == 1.0 and overall["date_recall"] == 0.5


def test_a_labelled_deadline_is_matched_at_most_once() -> None:
    find = _finder(("2026-04-01", "Her hearing", "hearing"), ("2026-04-01", "Her hearing", "court_date"))
    overall = evaluate_deadlines([ROW], find)["overall"]
    assert overall["correct"] == 1 and overall["precision"] == 0.5 and overall["recall"] == 0.5
    assert overall["date_precision"] == 0.5


def test_figures_are_given_per_language() -> None:
    spanish = {**ROW, "id": "dd-es-001", "language": "es", "deadlines": []}
    report = evaluate_deadlines([ROW, spanish], _finder(("2026-04-01", "Her hearing", "hearing")))
    assert report["languages"]["en"]["recall"] == 0.5
    assert report["languages"]["es"]["precision"] == 0.0  # a deadline found where there is none
    assert report["overall"]["rows"] == 2


def test_a_missing_file_is_a_clear_error_with_exit_code_two(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "malformed JSON"),
    ({**ROW, "posted": "10/03/2026"}, "not an ISO date"),
    ({**ROW, "deadlines": [{"date": "2026-04-01", "quote": "not in the text"}]}, "not a substring"),
    ({key: value for key, value in ROW.items() if key != "deadlines"}, "'deadlines' must be a list"),
])
def test_a_malformed_file_is_a_clear_error_with_exit_code_two(
    write_jsonl: Callable[..., Path], capsys: pytest.CaptureFixture[str], line: object, message: str
) -> None:
    path = write_jsonl([ROW, line])
    assert main([str(path)]) == 2
    error = capsys.readouterr().err
    assert message in error and f"{path}:2" in error


def test_main_prints_overall_and_per_language_figures(write_jsonl: Callable[..., Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl([ROW])
    assert main([str(path)]) == 0
    output = capsys.readouterr().out
    assert "overall" in output and "\nen " in output
    assert len(load_rows([path])) == 1
