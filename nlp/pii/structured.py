"""All the recognisers of details other than names, run together over one text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from nlp.pii.addresses import find_addresses
from nlp.pii.common import PatternMatch
from nlp.pii.contacts import find_emails, find_handles, find_phones
from nlp.pii.dates import find_birth_dates
from nlp.pii.identifiers import find_identifiers
from nlp.pii.spoken import find_spoken_numbers


def find_structured(text: str, common_words: frozenset[str] = frozenset()) -> list[PatternMatch]:
    """Every contact detail, address, birth date and identifier the patterns find in text."""
    recognisers: tuple[Callable[[str], Iterator[PatternMatch]], ...] = (
        find_emails, find_phones, find_identifiers, find_birth_dates, find_addresses,
        find_spoken_numbers,
    )
    matches = [match for recogniser in recognisers for match in recogniser(text)]
    matches.extend(find_handles(text, common_words))
    return matches
