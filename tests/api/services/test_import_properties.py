"""The import parsers on generated files: a clear DatasetError or rows, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from api.services.cases import read_case_rows as read_need_rows
from api.services.responders import read_profiles
from training.datasets import DatasetError, load_labelled

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                      max_size=6),
    max_leaves=12)
FIELDS = ["id", "text", "labels", "negatives", "jurisdiction", "language", "urgency", "name",
          "expertise", "jurisdictions", "languages", "capacity", "categories"]
rows = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
lines = st.lists(rows.map(json.dumps) | st.text(max_size=40) | st.binary(max_size=40).map(
    lambda raw: raw.decode("latin-1")), min_size=0, max_size=6)


def _write(content: str | bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False)
    handle.write(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    handle.close()
    return Path(handle.name)


@settings(max_examples=200, deadline=None)
@given(content=lines.map("\n".join) | st.binary(max_size=200))
def test_every_parser_answers_rows_or_a_dataset_error(content: str | bytes) -> None:
    for suffix, parse in ((".jsonl", read_need_rows), (".jsonl", read_profiles),
                          (".csv", read_profiles), (".jsonl", lambda path: load_labelled([path]))):
        path = _write(content, suffix)
        try:
            parse(path)
        except DatasetError as error:
            assert str(path) in str(error)  # the message names the file
        finally:
            path.unlink()
