"""What can be a person's name: word tests, titles, and reading a name at a position."""

from __future__ import annotations

import re

from nlp.folding import fold
from nlp.pii.wordlists import (
    ADDRESS_WORDS,
    FIRST_NAME_TITLES,
    GIVEN_NAMES,
    IRREGULAR_VERB_FORMS,
    LEGAL_AND_AGENCY_WORDS,
    MONTH_AND_DAY_WORDS,
    NAME_PARTICLES,
    NATIONALITY_WORDS,
    ROLE_WORDS,
    STOP_WORDS,
    SURNAMES,
    TITLES,
    TITLES_ANY_CASE,
)


def _alternation(words: tuple[str, ...]) -> str:
    """A pattern matching any of the words as written, in the order given."""
    return "|".join(re.escape(word) for word in words)


# "Originaria de", "native of": the capitalised word after them is a place of origin, not a name.
PLACE_OF_ORIGIN = re.compile(
    r"(?i:\b(?:natural|originari[oa]|oriund[oa]|nativ[oa]|originaire|native|vecin[oa])"
    r"[ \t]+(?:de|of|do|da|del|du|d')[ \t]*)$"
)

TITLES_CASE_SENSITIVE_PATTERN = _alternation(TITLES)
TITLES_ANY_CASE_PATTERN = _alternation(TITLES_ANY_CASE)
# Titles that stand before first names, so that any lower-case word after them is a name.
FIRST_NAME_TITLES_PATTERN = _alternation(FIRST_NAME_TITLES)
# Words of address that may stand before a name in any case ("ask for sister bernadette").
ADDRESS_WORDS_PATTERN = _alternation(ADDRESS_WORDS)
# Titles before a name; the name after them is removed, the title kept ("Ms. [PERSON 1]").
TITLE_PATTERN = (
    rf"(?:(?:{TITLES_CASE_SENSITIVE_PATTERN})\.?|(?i:{TITLES_ANY_CASE_PATTERN})\.?)"
)

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CONTRACTION = re.compile(r"(?i:['’](?:ll|re|ve|m|d|t))$|(?i:n['’]t)$")
TITLE = re.compile(rf"(?<![\w.])(?:{TITLE_PATTERN}|(?i:{ADDRESS_WORDS_PATTERN}))[ \t]+")
_INITIALS = re.compile(r"[A-Z]\.(?:[ ]?[A-Z]\.)*|[A-Z](?![\w'’.])")

MODE_CAPITALISED = "capitalised"  # only capitalised words (or listed names in capitals)
MODE_LISTED = "listed"  # also lower-case words from the name lists ("carlos")
MODE_ANY = "any"  # also any lower-case word that is not a function or common word


def is_capitalised(word: str) -> bool:
    """True when a word starts with a capital letter and is not shouting in all capitals."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def strip_possessive(word: str) -> str:
    """Drop an English possessive ending ("Carlos's" -> "Carlos")."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def is_never_a_name(word: str) -> bool:
    """True for words that cannot be a person's name whatever the context."""
    key = fold(strip_possessive(word)).strip(".")
    return (
        key in STOP_WORDS
        or key in ROLE_WORDS
        or key in LEGAL_AND_AGENCY_WORDS
        or key in MONTH_AND_DAY_WORDS
        or key in NATIONALITY_WORDS
    )


def is_listed_name(word: str) -> bool:
    """True for a word on the given-name or surname lists."""
    key = fold(strip_possessive(word))
    return key in GIVEN_NAMES or key in SURNAMES


def is_common_word(word: str, common_words: frozenset[str]) -> bool:
    """True for an ordinary English word, also in a plural or past form ("started", "went")."""
    key = word.lower()
    if key in common_words or key in IRREGULAR_VERB_FORMS:
        return True
    for ending, replacement in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                ("ing", "e"), ("ies", "y"), ("d", "")):
        if key.endswith(ending) and key[: -len(ending)] + replacement in common_words:
            return True
    return False


def name_word_end(text: str, position: int, mode: str, common_words: frozenset[str]) -> int | None:
    """End offset of one acceptable name word starting at position, or None."""
    match = WORD.match(text, position)
    if match is None:
        return None
    word = strip_possessive(match.group())
    if len(word) < 2 or is_never_a_name(word) or _CONTRACTION.search(word):
        return None
    if is_capitalised(word) or (word.isupper() and is_listed_name(word)):
        return match.start() + len(word)
    if word.islower() and mode != MODE_CAPITALISED:
        if is_listed_name(word) and len(word) > 2:  # not "li" (he, she in Haitian Creole)
            return match.start() + len(word)
        if mode == MODE_ANY and not is_common_word(word, common_words):
            if not re.match(r"(?:[sldnmtjc]|qu)['’]", word):  # French elision: "s'appeler"
                return match.start() + len(word)
    return None


def take_name(
    text: str,
    position: int,
    mode: str,
    common_words: frozenset[str] = frozenset(),
    max_words: int = 4,
    after_title: bool = False,
) -> int | None:
    """End offset of a name (one to max_words words) starting at position, or None."""
    title = TITLE.match(text, position)
    if title is not None:
        position = title.end()
        after_title = True
    initials = _INITIALS.match(text, position)
    if initials is not None and (initials.group().endswith(".") or after_title):
        after = initials.end()
        if text[after : after + 1] == " ":
            surname = name_word_end(text, after + 1, MODE_CAPITALISED, common_words)
            if surname is not None:
                return surname
        return after
    end = name_word_end(text, position, mode, common_words)
    if end is None:
        return None
    lowercase = text[position].islower()
    words = 1
    cursor = end
    while words < max_words:
        gap = re.match(r"[ \t]+", text[cursor:])
        if gap is None:
            break
        next_start = cursor + gap.end()
        word_match = WORD.match(text, next_start)
        if word_match is None:
            break
        if len(word_match.group()) == 1 and text[word_match.end() : word_match.end() + 1] == ".":
            if lowercase and mode != MODE_ANY:
                break
            cursor = word_match.end() + 1  # an initial inside or after a name: "Karim B."
            words += 1
            continue
        word = word_match.group()
        if fold(word) in NAME_PARTICLES and word.islower():
            space = re.match(r"[ \t]+", text[word_match.end() :])
            if space is None:
                break
            candidate = name_word_end(text, word_match.end() + space.end(), mode, common_words)
            if candidate is None:
                break
            cursor = candidate
            words += 2
            continue
        if lowercase != word.islower():
            break  # "carlos Took" or "Carlos said" do not run on
        next_mode = MODE_CAPITALISED if not lowercase else mode
        candidate = name_word_end(text, next_start, next_mode, common_words)
        if candidate is None:
            break
        cursor = candidate
        words += 1
    return cursor
