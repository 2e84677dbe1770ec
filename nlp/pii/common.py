"""What every recogniser of identifying details shares: detail types, tiers and matches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

PERSON = "PERSON"
PHONE = "PHONE"
EMAIL = "EMAIL"
HANDLE = "HANDLE"
ADDRESS = "ADDRESS"
DOB = "DOB"
ID = "ID"

# Lower tiers win an overlap: specific patterns, then generic identifier shapes, then names
# found through a cue word, then names proposed by the statistical model or the name list.
TIER_SPECIFIC = 0
TIER_GENERIC = 1
TIER_CUE = 2
TIER_PERSON_NOUN = 3  # a name after a plain noun for a person ("the boy, Edwin"): checked as a guess
TIER_MODEL = 4

# A year of the last or the present century, which phone and identifier shapes must not swallow.
YEAR = re.compile(r"(?:19|20)\d{2}")
# A placeholder an earlier redaction (or an advocate) left in the text: "[PERSON 2]", "[EMAIL]".
PLACEHOLDER = re.compile(r"\[[A-Z_]+(?: \d+)?\]")
# A letter or sign of Devanagari, without the danda (।), the double danda and the digits; a
# word of them.
DEVANAGARI_LETTER = r"[\u0900-\u0963\u0971-\u097f]"
DEVANAGARI_WORD = rf"{DEVANAGARI_LETTER}+"

@dataclass(frozen=True)
class PatternMatch:
    """A candidate span found by a recogniser, before overlaps are resolved."""

    type: str
    start: int
    end: int
    tier: int


def compile_verbose(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a verbose pattern."""
    return re.compile(pattern, flags | re.VERBOSE)


def digits_of(text: str) -> str:
    """The digits of a string, in order."""
    return "".join(char for char in text if char.isdigit())


def lower_or_capitalised(fragments: str, upper: bool = False) -> str:
    """An alternation of the "|"-separated lower-case fragments, each also with a capital first
    letter ("calle|r[úu]a" -> "(?:calle|Calle|r[úu]a|R[úu]a)"), and in capitals when upper is set.

    Matching case-sensitively on both forms is several times faster than an (?i:...) group, which
    the regular-expression engine cannot search for by its first letters.
    """
    alternatives: list[str] = []
    for fragment in fragments.split("|"):
        alternatives.append(fragment)
        if fragment.startswith("["):
            close = fragment.index("]")
            letters = fragment[1:close]
            alternatives.append(f"[{letters.upper()}]{fragment[close + 1:]}")
        elif fragment[:1].isalpha():
            alternatives.append(fragment[0].upper() + fragment[1:])
        if upper:
            alternatives.append(re.sub(r"\[([^\]]*)\]", lambda group: f"[{group.group(1).upper()}]",
                                       fragment).upper().replace("\\D", "\\d").replace("\\S", "\\s"))
    return "(?:" + "|".join(dict.fromkeys(alternatives)) + ")"


def occurrences(text: str, needle: str) -> Iterator[int]:
    """Where needle starts in text, every time, overlapping ones included (none if empty)."""
    position = text.find(needle) if needle else -1
    while position != -1:
        yield position
        position = text.find(needle, position + 1)
