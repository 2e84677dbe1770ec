"""Folding text for comparison: one rule for every word list, feature and search in nlp/ and index/."""

from __future__ import annotations

import unicodedata

_ACCENTED = "áàâäãåāăąçćčďéèêëēėęěíìîïīįñńňóòôöõōőŕřśšşťúùûüūůűųýÿźżž"
_ACCENT_TABLE = str.maketrans(
    _ACCENTED + "øœæ", "".join(unicodedata.normalize("NFKD", char)[0] for char in _ACCENTED) + "ooa"
)


def fold(text: str) -> str:
    """Case-fold and strip accents, so 'José', 'jose' and 'JOSÉ' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_keeping_length(text: str) -> str:
    """Lower-case and strip accents without changing offsets, for searching the text."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower()[:1] for char in text)
    return lowered.translate(_ACCENT_TABLE)
