"""The web page's message catalogues: the same keys and placeholders in every language, and no
user-visible text left outside them in index.html or app.js."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nlp.taxonomy import CATEGORY_IDS

WEB = Path(__file__).resolve().parents[3] / "api" / "http" / "web"
LANGUAGES = ("en", "es", "fr", "pt")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
KEY = re.compile(r"^[a-z_]+(?:\.[a-z0-9_]+)+$")
# Text that index.html may hold as it is: the product's name and each language's own name.
FIXED_TEXT = {"needmatch", "English", "Español", "Français", "Português"}
TRANSLATED_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Strings of app.js that are not shown: the strict-mode directive, and the API's English
# explanations that app.js recognises in order to say them from the catalogue.
API_WORDS = {"use strict", "immigration law is federal", "nationwide federal practice", "(whole profile)"}


def catalogue(language: str) -> dict[str, str]:
    return json.loads((WEB / "i18n" / f"{language}.json").read_text(encoding="utf-8"))


def test_every_catalogue_has_the_same_keys_and_placeholders() -> None:
    english = catalogue("en")
    assert len(english) > 100
    for language in LANGUAGES[1:]:
        other = catalogue(language)
        assert sorted(set(english) - set(other)) == [], f"missing in {language}.json"
        assert sorted(set(other) - set(english)) == [], f"only in {language}.json"
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalogue_is_flat_and_filled(language: str) -> None:
    for key, text in catalogue(language).items():
        assert KEY.match(key), key
        assert isinstance(text, str) and text.strip(), (language, key)
        assert not re.search(r"[<>]", text), (language, key)  # text, never markup
        # A brace belongs to a placeholder: a typo such as "{count" would be shown as it is.
        assert not re.search(r"[{}]", PLACEHOLDER.sub("", text)), (language, key)


def test_translations_are_not_left_in_english() -> None:
    english = catalogue("en")
    # Strings that are the same in every language: placeholders only, acronyms, proper names.
    same = {key for key, text in english.items() if not re.sub(r"\{\w+\}|[\W\d_]", "", text)}
    same |= {"admin.models.version", "admin.models.actions", "admin.title", "urgency.normal"}
    also_same = {"fr": {"match.heading", "match.heading_named", "search.result"}}  # "score" is French too
    for language in LANGUAGES[1:]:
        other = catalogue(language)
        allowed = same | also_same.get(language, set())
        untranslated = sorted(key for key in english if key not in allowed and other.get(key) == english[key])
        assert untranslated == [], language


def test_every_category_of_the_taxonomy_is_named_and_described() -> None:
    for language in LANGUAGES:
        messages = catalogue(language)
        for category in CATEGORY_IDS:
            assert messages[f"category.{category}.label"].strip()
            assert messages[f"category.{category}.description"].strip()
    assert {key.split(".")[1] for key in catalogue("en") if key.startswith("category.")} == set(CATEGORY_IDS)


def test_the_legal_terms_are_the_ones_practitioners_use() -> None:
    spanish, french, portuguese = catalogue("es"), catalogue("fr"), catalogue("pt")
    assert "visa t" in spanish["category.immigration_relief.description"].lower()
    assert "Anulación de condenas (vacatur)" in spanish["category.criminal_record_relief.description"]
    assert "Droit de la famille" in french["category.family_law.label"]
    assert "Regularização migratória" in portuguese["category.immigration_relief.label"]


class _Page(HTMLParser):
    """The text nodes of index.html and every translatable attribute and data-i18n key."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.keys: list[str] = []
        self.literal_attributes: list[tuple[str, str, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in values.items():
            if name == "data-i18n" or (name.startswith("data-i18n-") and not name.endswith("-params")):
                self.keys.append(value or "")
        for attribute in TRANSLATED_ATTRIBUTES:
            if values.get(attribute) and f"data-i18n-{attribute}" not in values:
                self.literal_attributes.append((tag, attribute, values[attribute] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _index() -> _Page:
    page = _Page()
    page.feed((WEB / "index.html").read_text(encoding="utf-8"))
    return page


def test_index_html_holds_no_text_outside_the_catalogue() -> None:
    page = _index()
    assert set(page.texts) <= FIXED_TEXT, sorted(set(page.texts) - FIXED_TEXT)
    assert page.literal_attributes == []
    english = catalogue("en")
    assert page.keys and sorted(set(page.keys) - set(english)) == []


def _javascript_tokens(source: str) -> tuple[list[str], str]:
    """The string literals of a script (template literals without their ${...} parts), and the
    source with comments, strings and regular expressions blanked out."""
    strings: list[str] = []
    code: list[str] = []
    position, last = 0, ""
    while position < len(source):
        char = source[position]
        pair = source[position:position + 2]
        if pair == "//":
            position = source.find("\n", position) if "\n" in source[position:] else len(source)
            continue
        if pair == "/*":
            position = source.index("*/", position) + 2
            continue
        if char in "\"'`":
            end, text, depth = position + 1, [], 0
            while end < len(source):
                current = source[end]
                if current == "\\":
                    text.append(source[end:end + 2])
                    end += 2
                    continue
                if char == "`" and source[end:end + 2] == "${":
                    depth += 1
                    end += 2
                    continue
                if depth and current == "}":
                    depth -= 1
                elif not depth and current == char:
                    break
                elif not depth:
                    text.append(current)
                end += 1
            strings.append("".join(text))
            code.append('""')
            position, last = end + 1, '"'
            continue
        if char == "/" and (last in "(,=:[!&|?{};" or last == ""):
            # A regular expression literal: to its closing slash outside a character class.
            end, in_class = position + 1, False
            while source[end] != "/" or in_class:
                if source[end] == "\\":
                    end += 1
                elif source[end] == "[":
                    in_class = True
                elif source[end] == "]":
                    in_class = False
                end += 1
            position, last = end + 1, "/"
            code.append("/re/")
            continue
        code.append(char)
        if not char.isspace():
            last = char
        position += 1
    return strings, "".join(code)


def _app() -> tuple[str, list[str], str]:
    source = (WEB / "app.js").read_text(encoding="utf-8")
    strings, code = _javascript_tokens(source)
    return source, strings, code


def test_app_js_uses_only_keys_that_exist() -> None:
    english = catalogue("en")
    _, strings, _ = _app()
    used = {text for text in strings if KEY.match(text)}
    assert len(used) > 50
    missing = sorted(key for key in used if key not in english and f"{key}.other" not in english)
    assert missing == []


def test_every_catalogue_key_is_used() -> None:
    english = catalogue("en")
    source, strings, _ = _app()
    used = {text for text in strings if KEY.match(text)} | set(_index().keys)
    # Keys built from a value: term("role", ...) -> role.*, `category.${id}.label` -> category.*
    families = {f"{family}." for family in re.findall(r'\bterm\(\s*"([a-z_]+)"', source)}
    families |= {prefix for prefix in re.findall(r"`([a-z_.]+\.)\$\{", source)}
    assert {"role.", "offer_status.", "category."} <= families

    def is_used(key: str) -> bool:
        base = key.rsplit(".", 1)[0]
        return key in used or base in used or any(key.startswith(family) for family in families)

    assert sorted(key for key in english if not is_used(key)) == []


def test_app_js_shows_no_hard_coded_text() -> None:
    _, strings, code = _app()
    # A string of two words or more is a sentence for a person to read: it belongs in the catalogue,
    # unless it is one of the API's English words that the page recognises (never shows).
    sentences = {text for text in strings if re.search(r"[A-Za-z]{2,}[ ]+[A-Za-z]{2,}", text)}
    assert sentences - API_WORDS == set()
    # Text handed straight to the page: el(tag, "Text"), .textContent = "Text", dialogs.
    source = (WEB / "app.js").read_text(encoding="utf-8")
    assert not re.search(r'\bel\(\s*"\w+"\s*,\s*["\'`][^"\'`]*[A-Za-z]', source)
    assert not re.search(r'\.(textContent|innerText|title|alt|placeholder)\s*=\s*["\'`][^"\'`]*[A-Za-z]',
                         source)
    assert not re.search(r'\b(alert|confirm|prompt)\(\s*["\'`]', source)
    assert "innerHTML" not in code  # user text only ever as text nodes


def test_the_catalogues_are_served_from_the_pages_origin_and_packaged(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.http.app import create_app
    from api.settings import Settings

    client = TestClient(create_app(Settings(data_dir=tmp_path / "var")))  # no lifespan: no models
    for language in LANGUAGES:
        response = client.get(f"/static/i18n/{language}.json")
        assert response.status_code == 200 and response.json() == catalogue(language)
    # The page fetches them from its own origin, which its Content-Security-Policy allows.
    assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    assert "fetch(`/static/i18n/${code}.json`)" in (WEB / "app.js").read_text(encoding="utf-8")
    pyproject = (WEB.parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"http/web/i18n/*.json"' in pyproject
