"""Reading places and languages out of a responder's plain-language query."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.places import US_STATES

CITIES = {
    "houston": "US-TX", "dallas": "US-TX", "san antonio": "US-TX", "austin": "US-TX",
    "el paso": "US-TX", "fort worth": "US-TX", "laredo": "US-TX", "mcallen": "US-TX",
    "los angeles": "US-CA", "san diego": "US-CA", "san francisco": "US-CA", "oakland": "US-CA",
    "fresno": "US-CA", "sacramento": "US-CA", "san jose": "US-CA", "bay area": "US-CA",
    "nyc": "US-NY", "new york city": "US-NY", "brooklyn": "US-NY", "queens": "US-NY",
    "bronx": "US-NY", "manhattan": "US-NY", "buffalo": "US-NY",
    "miami": "US-FL", "orlando": "US-FL", "tampa": "US-FL", "jacksonville": "US-FL",
    "chicago": "US-IL", "seattle": "US-WA", "spokane": "US-WA", "tacoma": "US-WA",
    "atlanta": "US-GA", "savannah": "US-GA", "denver": "US-CO", "aurora": "US-CO",
    "phoenix": "US-AZ", "tucson": "US-AZ", "las vegas": "US-NV", "boston": "US-MA",
    "newark": "US-NJ", "philadelphia": "US-PA", "detroit": "US-MI", "minneapolis": "US-MN",
    "portland": "US-OR", "new orleans": "US-LA", "nashville": "US-TN", "charlotte": "US-NC",
    "baltimore": "US-MD", "salt lake city": "US-UT", "albuquerque": "US-NM",
    "toronto": "CA-ON", "ottawa": "CA-ON", "montreal": "CA-QC", "montréal": "CA-QC",
    "vancouver": "CA-BC", "mexico city": "MX", "ciudad de mexico": "MX", "cdmx": "MX",
    "manila": "PH", "guatemala city": "GT",
}
COUNTRIES = {
    "mexico": "MX", "méxico": "MX", "guatemala": "GT", "honduras": "HN", "el salvador": "SV",
    "canada": "CA", "canadá": "CA", "ontario": "CA-ON", "quebec": "CA-QC", "québec": "CA-QC",
    "british columbia": "CA-BC", "philippines": "PH", "filipinas": "PH", "brazil": "BR",
    "brasil": "BR", "colombia": "CO", "united kingdom": "GB", "uk": "GB", "spain": "ES",
    "españa": "ES", "france": "FR", "portugal": "PT", "haiti": "HT", "haití": "HT",
}
LANGUAGES = {
    "spanish": "es", "español": "es", "espanol": "es", "hispanohablante": "es", "latina": "es",
    "latino": "es", "hispanic": "es", "french": "fr", "francés": "fr", "frances": "fr",
    "francophone": "fr", "français": "fr", "portuguese": "pt", "portugués": "pt",
    "portugues": "pt", "português": "pt", "brazilian": "pt", "brasileña": "pt",
    "vietnamese": "vi", "tagalog": "tl", "filipino": "tl", "mandarin": "zh", "chinese": "zh",
    "cantonese": "zh", "haitian creole": "ht", "kreyol": "ht", "creole": "ht", "arabic": "ar",
    "russian": "ru", "ukrainian": "uk", "korean": "ko", "english": "en", "inglés": "en",
}
_ABBREVIATION = re.compile(r"\b([A-Z]{2})\b")


@dataclass(frozen=True)
class QueryConstraints:
    """Places (ISO 3166 codes) and languages (ISO 639-1) a query names."""

    places: frozenset[str]
    languages: frozenset[str]


def _phrases(table: dict[str, str], text: str) -> set[str]:
    lowered = text.lower()
    return {code for name, code in table.items()
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)}


def understand(query: str) -> QueryConstraints:
    """Places named by state, city, country or two-letter state code; languages by name."""
    places = {f"US-{code}" for code in _phrases(US_STATES, query)}
    places |= _phrases(CITIES, query) | _phrases(COUNTRIES, query)
    state_codes = set(US_STATES.values())
    for match in _ABBREVIATION.finditer(query):
        if match.group(1) in state_codes and match.group(1) not in {"IN", "OR", "ME", "US"}:
            places.add(f"US-{match.group(1)}")
    # "Washington DC" is not the state of Washington.
    if "US-DC" in places or re.search(r"washington,?\s+d\.?c\.?", query, re.IGNORECASE):
        places.discard("US-WA")
        places.add("US-DC")
    return QueryConstraints(frozenset(places), frozenset(_phrases(LANGUAGES, query)))


def place_matches(need_jurisdiction: str, places: frozenset[str]) -> bool:
    """A need is in a named place when its code or its country is named."""
    return need_jurisdiction in places or need_jurisdiction.split("-", 1)[0] in places
