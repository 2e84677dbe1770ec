"""Writing systems of a text: which script dominates, and the stretches an English model may read."""

from __future__ import annotations

import re
from collections import Counter

LATIN = "Latin"
HAN = "Han"
KANA = "Kana"
HANGUL = "Hangul"
CYRILLIC = "Cyrillic"
DEVANAGARI = "Devanagari"
ARABIC = "Arabic"
OTHER = "other"

# Code-point ranges of each script's letters (the main blocks; enough for narratives).
_RANGES: dict[str, str] = {
    HAN: "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
    KANA: "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    HANGUL: "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff",
    CYRILLIC: "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f",
    DEVANAGARI: "\u0900-\u097f\ua8e0-\ua8ff",
    ARABIC: "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
}
_SCRIPT_PATTERNS = {script: re.compile(f"[{ranges}]") for script, ranges in _RANGES.items()}
# Scripts without capital letters: an English entity model reads nothing sensible in them.
CASELESS_SCRIPTS = frozenset({HAN, KANA, HANGUL, DEVANAGARI, ARABIC})
# Letters that the English entity model must not see: the caseless scripts, and Cyrillic, whose
# capitals it was never trained on.
_NOT_FOR_ENGLISH_MODEL = re.compile(
    "[" + "".join(_RANGES[script] for script in (*sorted(CASELESS_SCRIPTS), CYRILLIC)) + "]+"
)
_LETTER = re.compile(r"[^\W\d_]")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """The text with each lone surrogate (a string decoded from broken UTF-16, which spaCy and
    the tokenizer cannot read) replaced by U+FFFD, one for one, so that offsets still hold."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def script_of(char: str) -> str | None:
    """The script of one character, or None when it is not a letter (digits, spaces, marks)."""
    if not _LETTER.match(char):
        # Vowel signs of Devanagari are marks, not letters, but belong to the script.
        return DEVANAGARI if _SCRIPT_PATTERNS[DEVANAGARI].match(char) else None
    if char.isascii() or "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
        return LATIN
    for script, pattern in _SCRIPT_PATTERNS.items():
        if pattern.match(char):
            return script
    return OTHER


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script the text holds."""
    return Counter(script for script in map(script_of, text) if script is not None)


def dominant_script(text: str) -> str:
    """The script of most of the text's letters (Latin for a text without letters)."""
    if text.isascii():
        return LATIN
    counts = script_counts(text)
    if not counts:
        return LATIN
    # Han and Kana together write Japanese: a text with any Kana is Kana.
    if counts[KANA] and counts[KANA] + counts[HAN] >= max(counts.values()):
        return KANA
    return counts.most_common(1)[0][0]


def is_caseless(script: str) -> bool:
    """True for a script without capital letters (Han, Kana, Hangul, Devanagari, Arabic)."""
    return script in CASELESS_SCRIPTS


def mask_for_english_model(text: str) -> str:
    """The text with letters of other scripts blanked, offsets unchanged.

    The English entity model reads a clause of Chinese or a Cyrillic word as a person ("我现在没有
    合法身份" -> PERSON); blanking them leaves it only the Latin-script stretches of a mixed text,
    at the same character offsets.
    """
    if text.isascii():
        return text
    return _NOT_FOR_ENGLISH_MODEL.sub(lambda match: " " * len(match.group()), text)


def has_letters_for_english_model(text: str) -> bool:
    """True when the (masked) text has Latin letters for the English model to read."""
    return any(script_of(char) == LATIN for char in text) if not text.isascii() else bool(
        re.search("[A-Za-z]", text))
