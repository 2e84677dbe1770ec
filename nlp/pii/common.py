"""What every recogniser of identifying details shares: detail types, tiers and matches."""

from __future__ import annotations

import re
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
