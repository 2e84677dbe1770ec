"""The word lists the recognisers rely on, read from the text files in `nlp/pii/data/`.

Each file holds one entry a line; lines starting with `#` and blank lines are ignored. A
mapping file holds `key<TAB>value` lines. The lists are data, kept apart from the code so that
people who know the languages can review them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from nlp.folding import fold

DATA_PACKAGE = "nlp.pii"
DATA_DIRECTORY = "data"


class MissingWordList(FileNotFoundError):
    """A word-list file that the recognisers need is not in the installed package."""


def parse_entries(content: str) -> tuple[str, ...]:
    """The entries of a word-list file's text: one a line, without `#` comments or blank lines."""
    stripped = (line.strip() for line in content.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


@cache
def load_entries(name: str) -> tuple[str, ...]:
    """The entries of data file `<name>.txt`, in file order."""
    filename = f"{name}.txt"
    try:
        content = (resources.files(DATA_PACKAGE) / DATA_DIRECTORY / filename).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise MissingWordList(
            f"The word list nlp/pii/{DATA_DIRECTORY}/{filename} is missing; restore it from the "
            "repository or reinstall needmatch (it is package data of nlp)."
        ) from error
    return parse_entries(content)


def load_words(name: str) -> frozenset[str]:
    """The entries of a word list as written."""
    return frozenset(load_entries(name))


def load_folded_words(name: str) -> frozenset[str]:
    """The entries of a word list, lower-cased and with accents stripped."""
    return frozenset(fold(word) for word in load_entries(name))


def load_mapping(name: str) -> dict[str, str]:
    """The `key<TAB>value` entries of a mapping file, in file order."""
    mapping: dict[str, str] = {}
    for entry in load_entries(name):
        key, separator, value = entry.partition("\t")
        if not separator or not key.strip() or not value.strip():
            raise ValueError(f"nlp/pii/{DATA_DIRECTORY}/{name}.txt: expected 'key<TAB>value', got {entry!r}")
        mapping[key.strip()] = value.strip()
    return mapping


# Dates: month names with their numbers, and days of the week.
MONTHS = {word: int(number) for word, number in load_mapping("months").items()}
# Month names of further languages, read only inside a date that a birth cue announces.
BIRTH_MONTHS = MONTHS | {word: int(number) for word, number in load_mapping("birth_date_months").items()}
WEEKDAYS = load_folded_words("weekdays")

# Stop words, snapshotted from spaCy so that its language packages are not imported for them.
ENGLISH_STOP_WORDS = load_words("stop_words_en")
ROMANCE_STOP_WORDS = frozenset(
    fold(word)
    for word in load_words("stop_words_es") | load_words("stop_words_fr") | load_words("stop_words_pt")
)
STOP_WORDS = frozenset(fold(word) for word in ENGLISH_STOP_WORDS) | ROMANCE_STOP_WORDS
# Romanian function words, only to recognise a Romanian text (never as words that cannot be names).
ROMANIAN_FUNCTION_WORDS = load_folded_words("function_words_ro")

# Names, and words that are never names.
GIVEN_NAMES = load_folded_words("given_names")
SURNAMES = load_folded_words("surnames")
NAME_PARTICLES = load_folded_words("name_particles")
NON_NAME_VALUES = load_folded_words("non_name_values")
SPANISH_NICKNAMES = load_folded_words("nicknames_es")
NICKNAME_ARTICLES = load_folded_words("nickname_articles")
ROLE_WORDS = load_folded_words("role_words")
LEGAL_AND_AGENCY_WORDS = load_folded_words("legal_and_agency_words")
NATIONALITY_WORDS = load_folded_words("nationalities")
IRREGULAR_VERB_FORMS = load_folded_words("irregular_verbs_en")
MONTH_AND_DAY_WORDS = (frozenset(MONTHS) | WEEKDAYS) - GIVEN_NAMES

# Titles and words of address, as written: the patterns built from them decide the case.
TITLES = load_entries("titles")
TITLES_ANY_CASE = load_entries("titles_any_case")
FIRST_NAME_TITLES = load_entries("first_name_titles")
ADDRESS_WORDS = load_entries("address_words")
# Words that keep a numbered piece beside an address out of it (ages, durations, parts of a city).
ADDRESS_PIECE_STOP_WORDS = load_folded_words("address_piece_stop_words")

# Places, and the words around a capitalised span that make it a place.
US_STATES = load_mapping("us_states")  # the one table of nlp/places.py, codes in lower case
STATE_ABBREVIATIONS = frozenset(US_STATES.values()) | load_folded_words("state_abbreviations")
PLACE_NAMES = frozenset(fold(name) for name in US_STATES) | load_folded_words("places")
# The network's languages, in the locale names of pycountry's translations of ISO 3166-1.
_COUNTRY_NAME_LOCALES = ("es", "fr", "pt", "pt_BR", "zh_CN", "zh_TW", "ko", "vi", "fil", "ru", "uk",
                         "ht", "ro", "ne", "ar")


@cache
def country_names() -> frozenset[str]:
    """Every country's name, common name and official name, folded, in English and in the
    translations pycountry ships for the network's languages ("meksik", "trung quoc",
    "repiblik dominiken"), but for names people also bear ("jordan") and one-word names of five
    letters or fewer."""
    import gettext

    import pycountry

    english = [value for country in pycountry.countries
               for value in (getattr(country, attribute, None)
                             for attribute in ("name", "common_name", "official_name"))
               if value]
    names = {fold(value) for value in english}
    for locale in _COUNTRY_NAME_LOCALES:
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        except OSError:
            continue  # a locale pycountry does not ship
        names.update(fold(translation.gettext(value)) for value in english)
    # A short one-word name is too often a person's or a word ("sebi", "syed", "nhat", "chip").
    return frozenset(name for name in names
                     if (len(name) >= 6 or (" " in name and len(name) > 3)) and name not in GIVEN_NAMES)


def is_place_name(key: str) -> bool:
    """True for a folded listed place or country name ("tijuana", "meksik")."""
    return key in PLACE_NAMES or key in country_names()


PLACE_PREFIXES = load_folded_words("place_prefixes")
NON_PERSON_SUFFIXES = load_folded_words("non_person_suffixes")
INSTITUTION_WORDS_AFTER_NAMES = load_folded_words("institution_words_after_names")
INSTITUTION_WORDS_BEFORE_NAMES = load_folded_words("institution_words_before_names")
PLACE_PREPOSITIONS = load_folded_words("place_prepositions")
STRONG_PLACE_PREPOSITIONS = load_folded_words("strong_place_prepositions")
ADMINISTRATIVE_UNITS = load_folded_words("administrative_units")
PLACE_WORDS_BEFORE_NAMES = load_folded_words("place_words_before_names")

# Dotted initials that are abbreviations, with the federal districts ("D.N.J.", "D.S.C.").
DOTTED_ABBREVIATIONS = load_folded_words("dotted_abbreviations") | frozenset(
    fold(f"D.{abbreviation[0]}.{abbreviation[1]}.") for abbreviation in set(US_STATES.values())
)

# Names of other languages and scripts, and Chinese and Korean words that are never names.
CHINESE_SURNAMES = load_words("surnames_zh")
KOREAN_SURNAMES = load_words("surnames_ko")
VIETNAMESE_SURNAMES = load_words("surnames_vi")
CJK_PROTECTED_WORDS = load_words("protected_words_cjk")
CYRILLIC_GIVEN_NAMES = load_folded_words("given_names_cyrillic")
ARABIC_GIVEN_NAMES = load_folded_words("given_names_arabic")

# Word lists of the script-specific name readers: Cyrillic places and proper nouns as stems,
# Arabic given names and ordinary words, Nepali given and family names.
CYRILLIC_PLACE_STEMS = load_folded_words("places_cyrillic")
ARABIC_PLACES = load_folded_words("places_arabic")
CYRILLIC_PROPER_NOUN_STEMS = load_folded_words("common_capitalised_cyrillic")
ARABIC_MORE_GIVEN_NAMES = load_folded_words("given_names_arabic_more")
ARABIC_COMMON_WORDS = load_folded_words("common_words_arabic")
NEPALI_FAMILY_NAMES = load_words("names_nepali")
NEPALI_GIVEN_NAMES = load_words("given_names_nepali")
