"""Detecting the language of a narrative."""

from __future__ import annotations

import re

import py3langid

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
# Languages the redactor's rules and the classifier were built and measured for; a narrative in
# another language is read by models that were not (see the README's held-out figures).
MEASURED_LANGUAGES = ("en", "es", "fr", "pt")


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's main language ("und" when it has no letters)."""
    if len(_LETTERS.findall(text)) < 3:
        return "und"
    code, _ = py3langid.classify(text)
    return str(code)
