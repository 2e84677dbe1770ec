"""Tests for the redactor's word lists: the data files, their loader and the stop-word snapshots."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from nlp.folding import fold
from nlp.pii import wordlists
from nlp.pii.wordlists import MissingWordList, load_entries, load_mapping, load_words, parse_entries

DATA = resources.files(wordlists.DATA_PACKAGE) / wordlists.DATA_DIRECTORY
DATA_FILES = sorted(entry.name for entry in DATA.iterdir() if entry.name.endswith(".txt"))
LIST_NAMES = [name.removesuffix(".txt") for name in DATA_FILES]
MAPPINGS = {"months", "birth_date_months", "us_states"}
# Titles are matched as written ("Tía" and "Tia" are both listed); the others in any case.
CASE_SENSITIVE_LISTS = {"titles"}
ANY_CASE_TITLE_LISTS = {"titles_any_case", "first_name_titles", "address_words"}
STOP_WORD_LANGUAGES = ["en", "es", "fr", "pt"]


def _comparison_key(name: str, entry: str) -> str:
    """The form under which the recognisers compare an entry of the list name."""
    if name in MAPPINGS:
        return entry.split("\t")[0]
    if name in CASE_SENSITIVE_LISTS:
        return entry
    if name in ANY_CASE_TITLE_LISTS or name.startswith("stop_words_"):
        return entry.casefold()  # stop words: spaCy lists "más" and "mas" apart
    return fold(entry)


def test_the_data_directory_holds_the_lists() -> None:
    assert "given_names.txt" in DATA_FILES
    assert {f"stop_words_{language}.txt" for language in STOP_WORD_LANGUAGES} <= set(DATA_FILES)


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_loads_with_a_header(name: str) -> None:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    assert text.startswith("# "), "each file opens with a comment saying what it holds"
    assert len(load_entries(name)) >= 5


@pytest.mark.parametrize("name", LIST_NAMES)
def test_no_duplicate_entries(name: str) -> None:
    keys = [_comparison_key(name, entry) for entry in load_entries(name)]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert duplicates == []


@pytest.mark.parametrize("name", LIST_NAMES)
def test_no_stray_whitespace(name: str) -> None:
    raw = (DATA / f"{name}.txt").read_bytes().decode("utf-8")
    assert "\r" not in raw and raw.endswith("\n") and not raw.endswith("\n\n")
    for number, line in enumerate(raw.split("\n")[:-1], start=1):
        where = f"{name}.txt line {number}: {line!r}"
        assert line == line.strip(), where
        if not line or line.startswith("#"):
            continue
        assert "  " not in line, where
        assert line.count("\t") == (1 if name in MAPPINGS else 0), where


def test_every_data_file_is_read_by_the_loader_module() -> None:
    source = Path(wordlists.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'load_\w+\("(\w+)"\)', source))
    assert read == set(LIST_NAMES)


@pytest.mark.parametrize("language", STOP_WORD_LANGUAGES)
def test_stop_word_snapshot_equals_spacy(language: str) -> None:
    spacy_stop_words = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    assert load_words(f"stop_words_{language}") == frozenset(spacy_stop_words)


def test_importing_the_redactor_imports_no_spacy_language() -> None:
    probe = "import json, sys, nlp.redact; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert not [name for name in loaded if re.match(r"spacy\.lang\.(en|es|fr|pt)\b", name)]


def test_parse_entries_skips_comments_and_blank_lines() -> None:
    assert parse_entries("# what it is\n\n  carlos \n# a section\nmaria\n") == ("carlos", "maria")


def test_a_missing_list_names_the_file() -> None:
    with pytest.raises(MissingWordList, match=r"nlp/pii/data/no_such_list\.txt"):
        load_entries("no_such_list")


def test_mappings_hold_month_numbers_and_state_codes() -> None:
    months = load_mapping("months") | load_mapping("birth_date_months")
    assert {int(number) for number in months.values()} == set(range(1, 13))
    assert wordlists.MONTHS["mayo"] == 5 and wordlists.BIRTH_MONTHS["maret"] == 3
    assert all(re.fullmatch("[a-z]{2}", code) for code in load_mapping("us_states").values())


def test_lists_are_folded_where_the_recognisers_fold() -> None:
    assert "a" in wordlists.STRONG_PLACE_PREPOSITIONS  # written "à"
    assert "mas" in wordlists.ROMANCE_STOP_WORDS and "más" not in wordlists.ROMANCE_STOP_WORDS
    assert "d.n.j." in wordlists.DOTTED_ABBREVIATIONS  # a federal district, made from us_states.txt
