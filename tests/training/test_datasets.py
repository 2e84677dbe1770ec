from pathlib import Path

import numpy as np
import pytest

from nlp.taxonomy import UNKNOWN
from training.datasets import DatasetError, data_hash, label_matrix, labels_in, load_labelled


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_labelled([tmp_path / "absent.jsonl"])


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"text": "x", "labels": [', "malformed JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"text": "  ", "labels": ["housing"]}', "'text' is missing or empty"),
        ('{"text": "x", "labels": "housing"}', "must be a list"),
        ('{"text": "x", "labels": ["Bad Label"]}', "not a valid label id"),
        ('{"text": "x", "labels": ["housing"], "negatives": ["housing"]}', "both positive"),
        ('{"text": "x"}', "'labels' is missing"),
    ],
)
def test_malformed_lines_name_their_line(write_jsonl, bad_line: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([{"text": "fine", "labels": ["housing"]}, bad_line])
    with pytest.raises(DatasetError, match=message) as error:
        load_labelled([path])
    assert f"{path}:2" in str(error.value)


def test_unknown_label_against_a_known_set(write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([{"text": "x", "labels": ["time_travel"]}])
    with pytest.raises(DatasetError, match="unknown label 'time_travel'"):
        load_labelled([path], known_labels=["housing", "family_law"])


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.jsonl"
    path.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_labelled([path])


def test_full_and_partial_rows_in_the_label_matrix(write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([
        {"text": "a", "labels": ["housing"]},
        {"text": "b", "labels": ["divorce"], "negatives": ["crime"]},
    ])
    rows = load_labelled([path])
    labels = labels_in(rows)
    assert labels == ["crime", "divorce", "housing"]
    matrix = label_matrix(rows, labels)
    # A row without "negatives" is fully labelled; a row with it is partial.
    assert matrix[0].tolist() == [0, 0, 1]
    assert matrix[1].tolist() == [0, 1, UNKNOWN]
    assert matrix.dtype == np.int8


def test_hash_ignores_key_order_but_not_labels(write_jsonl) -> None:  # type: ignore[no-untyped-def]
    first = load_labelled([write_jsonl(['{"labels": ["housing"], "text": "a", "id": 1}'], "1.jsonl")])
    second = load_labelled([write_jsonl(['{"text": "a", "labels": ["housing"]}'], "2.jsonl")])
    third = load_labelled([write_jsonl(['{"text": "a", "labels": ["family_law"]}'], "3.jsonl")])
    assert data_hash(first) == data_hash(second) != data_hash(third)
