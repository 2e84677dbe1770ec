"""Rows of one group (a statement and its translations) are held out together."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sklearn.model_selection import KFold

from training.datasets import DatasetError, LabelledRow, data_hash, load_labelled
from training.fit import TrainingConfig, fold_splits
from training.parallel_rows import parallel_rows, trained_sets

CONFIG = TrainingConfig(folds=5)


def test_without_groups_the_folds_are_the_plain_shuffled_ones() -> None:
    plain = KFold(n_splits=5, shuffle=True, random_state=CONFIG.seed).split(list(range(40)))
    for (train, test), (expected_train, expected_test) in zip(
            fold_splits(40, None, CONFIG), plain, strict=True):
        assert list(train) == list(expected_train) and list(test) == list(expected_test)
    assert [list(test) for _, test in fold_splits(40, [None] * 40, CONFIG)] == [
        list(test) for _, test in fold_splits(40, None, CONFIG)]


def test_a_group_never_straddles_two_folds() -> None:
    # 8 statements in 14 languages, beside 30 rows with no group.
    groups: list[str | None] = [f"s{index // 14}" for index in range(8 * 14)] + [None] * 30
    tested: set[int] = set()
    for train, test in fold_splits(len(groups), groups, CONFIG):
        held_out = {groups[index] for index in test if groups[index] is not None}
        trained = {groups[index] for index in train if groups[index] is not None}
        assert not held_out & trained
        tested.update(int(index) for index in test)
    assert tested == set(range(len(groups)))  # every row is held out once


def test_a_group_count_must_match_the_rows() -> None:
    with pytest.raises(ValueError, match="one group"):
        fold_splits(10, ["a", None], CONFIG)


def _write(tmp_path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("group", ["", "  ", 7, ["a"]])
def test_a_malformed_group_names_its_line(tmp_path: Path, group: object) -> None:
    path = _write(tmp_path, [{"text": "Ella quiere el divorcio.", "labels": ["family_law"], "group": group}])
    with pytest.raises(DatasetError, match=r"rows.jsonl:1: 'group'"):
        load_labelled([path])


def test_the_hash_of_rows_without_a_group_is_unchanged_and_a_group_changes_it(tmp_path: Path) -> None:
    plain = LabelledRow("她想离婚。", ("family_law",), None)
    grouped = LabelledRow("她想离婚。", ("family_law",), None, extra={"group": "s1"})
    # The hash as it was before groups existed: text, labels, negatives, fully labelled.
    before = hashlib.sha256(json.dumps(["她想离婚。", ["family_law"], [], True],
                                       ensure_ascii=False).encode("utf-8") + b"\n").hexdigest()
    assert data_hash([plain]) == before
    assert data_hash([grouped]) != data_hash([plain])
    written = _write(tmp_path, [{"text": "她想离婚。", "labels": ["family_law"], "group": "s1"}])
    assert load_labelled([written])[0].group == "s1"


FIRST_SET: dict[str, Any] = {"languages": ["es", "zh"], "categories": ["damages", "id_docs"],
             "statements": [{"id": "d1", "category": "damages", "en": "She wants to sue him.",
                             "es": "Quiere demandarlo.", "zh": "她想起诉他。"}]}
LATER_SET: dict[str, Any] = {"languages": ["es", "zh"], "categories": {"documents": "identity_documents"},
             "statements": [{"id": "p9-documents-1", "category": "documents", "en": "He took my passport.",
                             "es": "Se quedó con mi pasaporte.", "zh": "他拿走了我的护照。"}]}


def test_each_language_of_a_statement_is_one_row_of_one_group() -> None:
    rows = list(parallel_rows(FIRST_SET, "parallel_needs"))
    assert [row["language"] for row in rows] == ["en", "es", "zh"]
    assert {row["group"] for row in rows} == {"parallel_needs:d1"}
    assert all(row["labels"] == ["civil_damages"] for row in rows)
    assert [row["labels"] for row in parallel_rows(LATER_SET, "r9")] == [["identity_documents"]] * 3


def test_a_statement_missing_a_language_or_with_an_unknown_category_is_refused() -> None:
    missing = {**LATER_SET, "statements": [{**LATER_SET["statements"][0], "zh": " "}]}
    with pytest.raises(ValueError, match="no zh text"):
        list(parallel_rows(missing, "r9"))
    unknown = {**LATER_SET, "statements": [{**LATER_SET["statements"][0], "category": "taxes"}]}
    with pytest.raises(ValueError, match="unknown category"):
        list(parallel_rows(unknown, "r9"))


def test_the_sets_a_model_was_trained_on_are_named(tmp_path: Path) -> None:
    trained = _write(tmp_path, list(parallel_rows(FIRST_SET, "parallel_needs")))
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"text": "Quiere demandarlo.", "labels": ["civil_damages"]}) + "\n")
    assert trained_sets([str(trained), str(other), str(tmp_path / "gone.jsonl")]) == {"parallel_needs"}
    assert trained_sets([str(other)]) == set()
