"""De-identification of narratives: find identifying details and replace them with placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nlp.folding import fold, fold_keeping_length
from nlp.pii.address_tails import address_head_start, address_tail_end
from nlp.pii.common import (
    ADDRESS,
    DOB,
    ID,
    PERSON,
    PHONE,
    PLACEHOLDER,
    TIER_CUE,
    TIER_MODEL,
    TIER_PERSON_NOUN,
    TIER_SPECIFIC,
    PatternMatch,
)
from nlp.pii.contacts import public_numbers
from nlp.pii.dates import calendar_marker_start, date_around, dates_after_names
from nlp.pii.identifiers import is_law_number
from nlp.pii.name_words import (
    MODE_ANY,
    MODE_CAPITALISED,
    PLACE_OF_ORIGIN,
    TITLE_PATTERN,
    is_capitalised,
    is_common_word,
    is_listed_name,
    is_never_a_name,
    strip_possessive,
    take_name,
)
from nlp.pii.names import find_cued_names
from nlp.pii.names_cyrillic import (
    is_cyrillic_given_name,
    is_cyrillic_place_or_institution,
    is_named_as_place,
)
from nlp.pii.names_east_asian import is_vietnamese_place_or_agency, is_vietnamese_text
from nlp.pii.structured import find_structured
from nlp.pii.tagger import TaggerWithEncoder, load_shipped_tagger
from nlp.pii.wordlists import (
    ADMINISTRATIVE_UNITS,
    ARABIC_PLACES,
    ENGLISH_STOP_WORDS,
    GIVEN_NAMES,
    INSTITUTION_WORDS_AFTER_NAMES,
    INSTITUTION_WORDS_BEFORE_NAMES,
    LEGAL_AND_AGENCY_WORDS,
    MONTH_AND_DAY_WORDS,
    NAME_PARTICLES,
    NATIONALITY_WORDS,
    NON_PERSON_SUFFIXES,
    PLACE_NAMES,
    PLACE_PREFIXES,
    PLACE_PREPOSITIONS,
    PLACE_WORDS_BEFORE_NAMES,
    ROLE_WORDS,
    ROMANCE_STOP_WORDS,
    ROMANIAN_FUNCTION_WORDS,
    STATE_ABBREVIATIONS,
    STOP_WORDS,
    STRONG_PLACE_PREPOSITIONS,
    SURNAMES,
    is_place_name,
)
from nlp.scripts import mask_for_english_model, without_lone_surrogates
from nlp.spacy_model import load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

ENTITY_COMPONENT = "ner"
_ENGLISH_ONLY_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) - ROMANCE_STOP_WORDS
_ROMANCE_ONLY_STOP_WORDS = (ROMANCE_STOP_WORDS | ROMANIAN_FUNCTION_WORDS) - frozenset(ENGLISH_STOP_WORDS)
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")
_DOUBLE_GIVEN_NAME = re.compile(r"[^\W\d_]+(?:-[A-ZÀ-Þ][^\W\d_]+)+")
_LEADING_TITLE = re.compile(rf"^(?:{TITLE_PATTERN})[ \t]+")
_SENTENCE_BREAK = frozenset(".!?:;\n•*-–—\"“(|")
_HEADING = re.compile(r"^\s*([^\n.!?]{1,80}?)\.(?:\s|$)")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_AGE_BEFORE = re.compile(
    r"\b\d{1,2}[ \t]*(?:de[ \t]+)?(?i:años|anos|ans|ani|an|years?\s+old|y/?o|yrs?|anyos)[ \t]*,[ \t]*$"
)
_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[-'’][^\W\d_]+)?"
    r"(?:[ \t]+(?:(?:de|del|da|do|dos|das|la|van|von|el)[ \t]+)?[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[-'’][^\W\d_]+)?)+"
)
_PLACE_NOUNS = frozenset({"municipal", "county", "countie", "city", "area", "metro", "region",
                          "district", "township", "parish", "apartment", "neighborhood"})
_NATIONALITY_SUFFIX = re.compile(r"(?:ien|ienne|ais|aise|ois|oise|ain|aine|ano|ana|ense|eño|eña)s?$")
_PARENTHESIS = re.compile(r"[ \t]*\(([^()\n]{1,60})\)")
_EQUALS = re.compile(r"[\"”’]?[ \t]*=[ \t]*")
_ADDRESS_PLACEHOLDER = re.compile(rf"\[{ADDRESS} \d+\][ \t]*,[ \t]*")
_PREVIOUS_CAPITALISED = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][^\W\d_]*[ \t]+){1,3}$")
_CYRILLIC = re.compile("[А-Яа-яЁёІіЇїЄєҐґ]")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_NEPALI_POSTPOSITIONS = "(?:ले|लाई|को|का|की|मा|बाट|सँग|संग|हरू|कै|नै|द्वारा|जी)*"
_CYRILLIC_CASE_ENDING = "(?:а|я|у|ю|ом|ем|ым|им|е|є|ы|и|і|ой|ою|ей|ею|ові|еві|ого|ому)?"
# A Ukrainian or Russian adjective before the noun of a district, region, court or council is a
# place or an institution: "Коростенський р-н", "Дніпровський райсуд", "Тернопільської обл.".
_CYRILLIC_INSTITUTION_AFTER = re.compile(
    r"[ \t]+(?:р-н|р-ну|район[аеуі]?|району|обл\.|област[іиь]|область|суд[аеуі]?|райсуд[аеуі]?"
    r"|міськрайонн\w*|районн\w*|окружн\w*|апеляційн\w*|апелляционн\w*|городск\w*|міськ\w*"
    r"|сільськ\w*|селищн\w*|отг|громад\w*|сельсовет\w*|відділ\w*|управлін\w*|отдел\w*)(?![\w])"
)
# Ukrainian ministries are written as one word from "Мін" and the stem of their field: "Мінсоцполітики".
_CYRILLIC_MINISTRY = re.compile(
    r"М[іи]н(?:соц|юст|фін|здоров|закордон|освіт|внутр|оборон|економ|цифр|реінтеграц|культ|агро"
    r"|енерго|інфраструктур|вет|регіон|трав|труд|обр|здрав)\w*"
)
# Vietnamese abbreviations of a city, town, district or ward before its name: "TP Long Xuyên",
# "TX Vĩnh Châu", "Q. Bình Tân".
_VIETNAMESE_UNIT_ABBREVIATION = re.compile(r"(?:TP|TX|TT|Q|P|H)\.?[ \t]+")
_VIETNAMESE_UNIT_BEFORE = re.compile(r"(?<![\w])(?:TP|TX|TT|Q|P|H)\.?[ \t]+$")
_QUOTED_BEFORE = re.compile(r"[\"“«‘'][ ]?(?i:(?:el|la|los|las)[ \t]+)?$")


@dataclass(frozen=True)
class RedactedSpan:
    """One removed detail: its type, its offsets in the original text and its placeholder."""

    type: str
    start: int
    end: int
    placeholder: str


@dataclass(frozen=True)
class Redaction:
    """The redacted text and the spans that were replaced, sorted by start."""

    text: str
    entities: list[RedactedSpan]


def _english_word_lexicon(pipeline: Language) -> frozenset[str]:
    """Ordinary English words from the pipeline's lemmatizer tables (empty if it has none)."""
    if "lemmatizer" not in pipeline.pipe_names:
        return frozenset()
    lookups = getattr(pipeline.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for part_of_speech in ("noun", "verb", "adj", "adv"):
        if part_of_speech in index:
            words.update(word for word in index[part_of_speech] if word.isalpha())
    return frozenset(words) - GIVEN_NAMES - SURNAMES


def _components_to_disable(pipeline: Language, component: str) -> list[str]:
    """Pipes to skip so that only component (and the pipes it listens to) runs."""
    needed = {component}
    for name, pipe in pipeline.pipeline:
        if component in (getattr(pipe, "listening_components", None) or []):
            needed.add(name)
    return [name for name in pipeline.pipe_names if name not in needed]


@lru_cache(maxsize=1)
def _multiword_place_pattern() -> re.Pattern[str]:
    """One pattern for every multi-word place on the list ("carolina del norte", "santa ana")."""
    names = sorted((name for name in PLACE_NAMES if " " in name), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w])")


@lru_cache(maxsize=1)
def _place_word_before_pattern() -> re.Pattern[str]:
    """One pattern for a unit of administration right before a name ("județul", "huyện")."""
    words = sorted(PLACE_WORDS_BEFORE_NAMES, key=len, reverse=True)
    alternation = "|".join(re.escape(word).replace(r"\ ", r"[ \t]+") for word in words)
    return re.compile(rf"(?<![\w])(?:{alternation})[ \t]+$")


# The capitalised words that may stand between a name and the word that makes it an
# institution's ("Helen Bamber Foundation", "Graça Machel Trust", "Anna Lindh Memorial Fund").
_FOLLOWING_CAPITALISED = re.compile(r"(?:[ \t]+(?:(?:de|del|do|da|du|of)[ \t]+)?[^\W\d_][\w'’.-]*){1,3}")


def _names_an_institution(context: _Context, start: int, end: int) -> bool:
    """True when a name the tagger found is part of an institution's name: the run of capitalised
    words after it ends with a foundation, hospital, school or other institution word
    (nlp/pii/data/institution_words_after_names.txt; no business word: "Mejía Construction"
    names the employer, a person). (A run
    starting after one is not enough: "Auditor-Fiscal do Trabalho Ricardo ..." is a person.)"""
    text = context.text
    following = _FOLLOWING_CAPITALISED.match(text, end)
    if following is not None:
        for word in following.group().split():
            if not word[:1].isupper():
                if fold(word) in NAME_PARTICLES:
                    continue
                break
            if fold(word.rstrip(".,")) in INSTITUTION_WORDS_AFTER_NAMES:
                return True
    return False


# "named after" in Russian and Ukrainian, before the person an institution is named after ("по
# имени", "by the name of", names a person).
_NAMED_AFTER = re.compile(
    r"(?<![\w])(?<!(?i:по)[ \t])(?i:им\.|ім\.|имени|імені)[ \t]*(?:[А-ЯЁІЇЄҐ]\.[ \t]*){0,2}$")


def _opens_institution(words: Sequence[str]) -> bool:
    """True when a word, or the first two words ("Bệnh viện"), is an institution word."""
    return bool(words) and (fold(words[0].rstrip(",")) in INSTITUTION_WORDS_BEFORE_NAMES
                            or fold(" ".join(words[:2])) in INSTITUTION_WORDS_BEFORE_NAMES)


def _is_listed_place(span: str) -> bool:
    """True when the span is, whole, a listed place or a country in any of the network's
    languages that is nobody's given name ("Tijuana", "Meksik", "Repiblik Dominikèn", "Trung
    Quốc"): what the tagger took for a name there is the place."""
    key = fold(span.strip(" \t.,;:"))
    return key not in GIVEN_NAMES and is_place_name(key)


# The first piece of a tagged address, up to its first comma: "عمّان، شارع الجامعة، ...".
_LEADING_PIECE = re.compile(r"([^,،\n]{2,40}?)[ \t]*[,،][ \t]*")


def _after_leading_city(text: str, start: int, end: int) -> int:
    """Where a tagged address starts once a listed city or country heading it is left out
    ("عمّان، شارع الجامعة": the city stays, as it does before the rules' addresses)."""
    piece = _LEADING_PIECE.match(text, start, end)
    if piece is None:
        return start
    key = fold(piece.group(1).strip())
    if key in ARABIC_PLACES or _is_listed_place(piece.group(1)):
        return piece.end()
    return start


def _after_place_word(text: str, start: int) -> bool:
    """True when a unit of administration stands right before start ("comuna Dimitrie Cantemir")."""
    return _place_word_before_pattern().search(fold(text[max(0, start - 30) : start])) is not None


def _is_romance_text(text: str) -> bool:
    """True when Spanish, French, Portuguese or Romanian function words outnumber English ones."""
    romance = english = 0
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in _ROMANCE_ONLY_STOP_WORDS:
            romance += 1
        elif word in _ENGLISH_ONLY_STOP_WORDS:
            english += 1
    return romance > english


def _sentence_initial(text: str, start: int) -> bool:
    """True when only spaces separate start from the beginning of a sentence or line."""
    position = start - 1
    while position >= 0 and text[position] in " \t":
        position -= 1
    return position < 0 or text[position] in _SENTENCE_BREAK


_STATE_AFTER_COMMA = re.compile(r",[ \t]*([^\W\d_][^\W\d_ .]*(?:[ .][^\W\d_]+)?)\.?(?=[\s.,;:)]|$)")
# Prepositions that stand before places in the rules' eyes, but before people too in this or
# another language ("parlé à Marie", "sat near Marie", "tiền từ Lan", Portuguese "o Rodrigo" and
# "em" against Vietnamese "ở" and "em", "na"/"no"/"sa" against Tagalog): not enough to keep a
# name the tagger found.
_ALSO_BEFORE_PEOPLE = frozenset({"a", "near", "tu", "o", "em", "na", "no", "sa"})


def _place_or_state_follows(following: str, capitals: bool = False) -> bool:
    """True when a listed place or a state's abbreviation follows after a comma ("Doral, FL");
    with `capitals`, an abbreviation only in capitals (", de 19 años" is not Delaware)."""
    state = _STATE_AFTER_COMMA.match(following)
    if state is None:
        return False
    written = state.group(1).strip(" .")
    candidate = fold(written)
    if candidate in PLACE_NAMES:
        return True
    return candidate.replace(".", "") in STATE_ABBREVIATIONS and (not capitals or written.isupper())


def _state_abbreviation_follows(following: str) -> bool:
    """True when a state's abbreviation in capitals follows after a space ("Elizabeth NJ")."""
    return (re.match(r"[ \t]+[A-Z]{2}\b", following) is not None
            and following.split()[0].lower() in STATE_ABBREVIATIONS)


def _previous_words(text: str, start: int, count: int) -> list[str]:
    """Up to count words just before start, nearest last, if only spaces separate them."""
    window = text[max(0, start - 60) : start]
    match = re.search(rf"((?:[^\W\d_]+[ \t]+){{1,{count}}})$", window)
    return match.group(1).split() if match else []


def _trailing_capitals(words: list[str]) -> int:
    """How many of the last words are capitalised ("no Bom" -> 1)."""
    count = 0
    for word in reversed(words):
        if not word[:1].isupper():
            break
        count += 1
    return count


def _heading_end(text: str) -> int:
    """End of a leading place heading such as 'Maui (Kahului).' or 'Salem, Marion County.'."""
    match = _HEADING.match(text)
    if match is None:
        return 0
    heading = match.group(1)
    words = _WORD.findall(heading)
    if not words or len(words) > 6 or any(char.isdigit() for char in heading):
        return 0
    # A heading is a run of capitalised words; caseless scripts (Chinese, Korean) never make one.
    if any(not word[:1].isupper() and fold(word) not in NAME_PARTICLES for word in words):
        return 0
    return match.end(1)


class _Context:
    """What one text tells about its own words: places, headings, language and entities."""

    def __init__(self, text: str, doc: Doc, common_words: frozenset[str]) -> None:
        self.text = text
        self.common_words = common_words
        self.romance = _is_romance_text(text)
        self.heading_end = _heading_end(text)
        self.vietnamese = is_vietnamese_text(text)
        self.places: set[str] = set()
        self.place_regions = [
            (entity.start_char, entity.end_char) for entity in doc.ents
            if entity.label_ in _PLACE_LABELS
        ]
        self.gazetteer_regions = [
            (match.start(), match.end())
            for match in _multiword_place_pattern().finditer(fold_keeping_length(text))
        ]
        self.address_ends: set[int] = set()

    def in_listed_place(self, start: int, end: int) -> bool:
        """True when the span overlaps a listed multi-word place ("Carolina del Norte")."""
        return any(begin < end and start < stop for begin, stop in self.gazetteer_regions)

    def in_known_place(self, start: int, end: int) -> bool:
        """True inside a listed multi-word place or inside a longer place entity."""
        if self.in_listed_place(start, end):
            return True
        return any(
            begin <= start and end <= stop and (stop - begin) > (end - start)
            for begin, stop in self.place_regions
        )

    def after_place_prefix(self, start: int) -> bool:
        """True after "San", "Fort" or an institution's name ("Fiscalía Especializada")."""
        for word in reversed(_previous_words(self.text, start, 4)):
            if (word.isupper() and len(word) > 1) or fold(word) in ROLE_WORDS:
                return False  # "HSI SA Kevin", "Police Officer John": a title, then a name
            if word[:1].isupper() and (
                fold(word) in PLACE_PREFIXES or fold(word) in LEGAL_AND_AGENCY_WORDS
            ):
                return True  # "San Nicolás de los Garza", "Lei Maria da Penha"
            if not (word[:1].isupper() or fold(word) in NAME_PARTICLES):
                return False
        return False

    def institution_named_before(self, start: int, end: int) -> bool:
        """True when a span is, or ends, the name of an institution named after a person: it
        starts with a capitalised institution word, or one stands in the run of capitalised words
        before it, within four words, capitalised or right before the run ("Liceo Andrés Bello",
        "Hospital José Joaquim Fernandes", "l'hôpital Édouard-Herriot", "Bệnh viện Trưng
        Vương", "больница им. Боткина"; nlp/pii/data/institution_words_before_names.txt)."""
        text = self.text
        words = [match.group() for match in _WORD.finditer(text, start, end)]
        if words and words[0][:1].isupper() and _opens_institution(words[:2]):
            return True
        if _NAMED_AFTER.search(text, max(0, start - 24), start):
            return True
        previous = _previous_words(text, start, 4)
        particle = False
        for index in range(len(previous) - 1, -1, -1):
            word = previous[index]
            if _opens_institution(previous[index:index + 2]) and (word[:1].isupper() or not particle):
                return True
            if fold(word) in NAME_PARTICLES:
                particle = True
            elif not word[:1].isupper():
                # A two-word institution word ending here ("Bệnh viện") right before the run.
                two_words = fold(" ".join(previous[index - 1 : index + 1])) if index > 0 else ""
                return not particle and two_words in INSTITUTION_WORDS_BEFORE_NAMES
        return False

    def names_a_place(self, start: int, end: int) -> bool:
        """True when the words around a span say it is a place whatever the span is: a unit of
        administration before it ("alcaldía Cuauhtémoc", "huyện Si Ma Cai"), "county of", a
        place-of-origin phrase, a state or a listed place after a comma ("Doral, FL"), a state's
        abbreviation after it, or a preposition used only before places ("taga-Tuguegarao").
        Weaker signs (prepositions that also stand before people, "to", "de") are not enough."""
        text = self.text
        if self._place_named_before(start):
            return True
        following = text[end : end + 40]
        if _place_or_state_follows(following, capitals=True) or _state_abbreviation_follows(following):
            return True
        run_start = self.run_start(start)
        hyphened = re.search(r"([^\W\d_]+)-$", text[max(0, run_start - 12) : run_start])  # taga-Cebu
        before = [hyphened.group(1)] if hyphened else _previous_words(text, run_start, 1)
        return bool(before) and fold(before[-1]) in STRONG_PLACE_PREPOSITIONS - _ALSO_BEFORE_PEOPLE

    def _place_named_before(self, start: int) -> bool:
        """True after a place word, before the span or before the run of capitalised words it
        ends ("huyện Si Ma Cai"), after a unit of administration and a particle ("condado de
        Harris", "county of Marion"), or after a place-of-origin phrase."""
        text = self.text
        run_start = self.run_start(start)
        if _after_place_word(text, start) or (run_start != start and _after_place_word(text, run_start)):
            return True
        previous = _previous_words(text, start, 2)
        if (len(previous) == 2 and fold(previous[0]) in ADMINISTRATIVE_UNITS
                and fold(previous[1]) in NAME_PARTICLES):
            return True
        return bool(PLACE_OF_ORIGIN.search(text[max(0, start - 30) : start]))

    def run_start(self, start: int) -> int:
        """Start of the run of capitalised words that ends with the word at start."""
        previous = _PREVIOUS_CAPITALISED.search(self.text[max(0, start - 40) : start])
        return start - len(previous.group()) if previous is not None else start

    def is_place_context(self, start: int, end: int, words: list[str]) -> bool:
        """True when the surroundings say the span is a place or an organisation."""
        text = self.text
        first, last = fold(words[0].split("-")[0]), fold(words[-1])
        if len(words) > 1 and (first in PLACE_PREFIXES or last in NON_PERSON_SUFFIXES):
            return True
        if "-" in words[0] and first in PLACE_PREFIXES:
            return True  # Saint-Denis
        if self.after_place_prefix(start) or self._place_named_before(start):
            return True
        previous = _previous_words(text, start, 2)
        following = text[end : end + 40]
        next_word = re.match(r"(?:['’]s)?[ \t]+(?:(?:de|del|do|da|du)[ \t]+)?([^\W\d_]+)", following)
        if next_word and next_word.group(1)[:1].isupper():
            if fold(next_word.group(1)) in NON_PERSON_SUFFIXES:
                return True
        if _place_or_state_follows(following):
            return True
        capitals = _trailing_capitals(previous)  # "no Bom Retiro": look past "Bom"
        if capitals < len(previous) and not any(
            is_listed_name(word) for word in previous[len(previous) - capitals :]
        ):
            preposition = fold(previous[-1 - capitals])
            if preposition in STRONG_PLACE_PREPOSITIONS:
                return True
            if preposition in PLACE_PREPOSITIONS and fold(words[0]) not in GIVEN_NAMES:
                return True
        if _state_abbreviation_follows(following):
            return True  # "Elizabeth NJ"
        lower_next = re.match(r"[ \t]+([a-z]+)", following)
        if lower_next and lower_next.group(1).rstrip("s") in _PLACE_NOUNS:
            return True  # "Aurora municipal court", "Franklin counties"
        if start in self.address_ends or self.run_start(start) in self.address_ends:
            return True  # "14 Union St. Apt 2-B, Lynn", "Jalan Mawar 4, Johor Bahru"
        if _AGE_BEFORE.search(text[max(0, start - 30) : start]) and not any(
            is_listed_name(word) for word in words
        ):
            return True  # "Mujer de 34 años, Pico Rivera": the place follows the age
        return start < self.heading_end


# An organisation written with its acronym in brackets, after it or before it: "Ofis Pwotektè
# Sitwayen (OPC)", "GARR (Gwoup Sipò pou Rapatrye ak Refijye)", or the acronym itself in brackets
# ("한인가정상담소(KFAM)"). Three capitals at least: a person's initials ("(JP)") are not one. An
# acronym after a name counts only when it starts with the name's first letter and the name has
# two words or more: a caseworker is written with her organisation's ("Ana Ruiz (CAST)").
_ACRONYM_AFTER = re.compile(r"[ \t]?\(([A-Z])[A-Z&]{2,}\)")
_ACRONYM_BEFORE = re.compile(r"(?<![\w])[A-Z][A-Z&]{2,}[ \t]?\($")
_BRACKETED_ACRONYM = re.compile(r"[A-Z][A-Z&]{2,}")


# An organisation's name in quotes after the word for what it is or after "from" ("центр
# «Родник»", "из «Альтернативы»", "з «Ла Страда»", "Fundația „Ana”"). A nickname in quotes
# follows a cue ("по кличке «Бебе»") or a name, not these words.
_QUOTED_ORGANISATION_BEFORE = re.compile(
    r"""(?<![^\W\d_])(?:(?i:центр[а-яё]*|фонд[а-яёії]*|движени[а-яё]*|рух[а-яії]*|организаци[а-яё]*
        |організаці[а-яії]*|ассоциаци[а-яё]*|асоціаці[а-яії]*|компани[а-яё]*|компані[а-яії]*
        |агентств[а-яёії]*|агенці[а-яії]*|союз[а-яё]*|спілк[а-яії]*|приют[а-яё]*|притул[а-яії]*
        |из|з|із|зі|fundați[ae]|fundati[ae]|asociați[ae]|asociati[ae]|centrul|organizați[ae]
        |organizati[ae]|agenți[ae]|agenti[ae]|firma|комитет[а-яё]*|комітет[а-яії]*|служб[а-яії]*
        |управлени[а-яё]*|управлінн[а-яії]*|отдел[а-яё]*|відділ[а-яії]*)
        # an agency's acronym, and up to two capitalised words of its name ("МУ МВД России «…»"),
        # but not the labels of a person's name ("ФИО «…»")
        |(?!(?:ФИО|ФІО|ПІБ|ФИ|ИО|ДР|AKA|NN)(?![^\W\d_]))[А-ЯЁІЇЄҐA-Z]{2,6}(?![^\W\d_]))
    (?:[ \t]+[А-ЯЁІЇЄҐA-Z][^\W\d_]*){0,2}[ \t]+[«„“"]$""",
    re.VERBOSE,
)
_OPENING_QUOTES = "«„“\""
# The rest of a quoted name after the span, up to its closing quote, on the same line.
_CLOSING_QUOTE_AFTER = re.compile(r"[^«»“”\"\n]{0,40}[»”“\"]")


def _quoted_organisation(text: str, start: int, end: int) -> bool:
    """True for a span inside a pair of quotes after an organisation's word, acronym or "from",
    unless it holds a listed name (an agency called «Maria Popescu» names a person; one called
    «Jan Novák», with no listed word, is still kept: a known loss on round 13)."""
    if any(is_listed_name(word) or is_cyrillic_given_name(word) for word in text[start:end].split()):
        return False
    # The quotes around the span: the nearest opening one before it on its line, the closing one
    # after it (a name of several words may be found in part: «Гражданское содействие»).
    line_start = text.rfind("\n", 0, start) + 1
    opening = max(text.rfind(quote, line_start, start) for quote in _OPENING_QUOTES)
    if opening < 0 or any(char in "»”" for char in text[opening + 1 : start]):
        return False
    closing = _CLOSING_QUOTE_AFTER.match(text, end)
    return (closing is not None
            and _QUOTED_ORGANISATION_BEFORE.search(text[max(0, opening - 40) : opening + 1]) is not None)


# Before an organisation's acronym, the words of its name: capitalised, joined by the short
# words that join the parts of a name ("Massachusetts Office for Victim Assistance (MOVA)",
# "Gwoup Sipò pou Rapatrye"); any other lower-case word ends it ("Referred by the ...").
_NAME_WORD_BEFORE = re.compile(
    r"(?:[^\W\d_a-zà-ÿ][\w'’-]*|(?:for|of|and|to|on|against|de|del|la|las|los|y|e|et|des|du|pou|ak|pa|nan"
    r"|da|do|das|dos|para|contra|sa|ng|für|und|zur))[ \t]+$")


def _organisation_run_start(text: str, start: int) -> int:
    """Where the run of capitalised words and short joining words ending at start begins."""
    run = start
    for _ in range(8):
        found = _NAME_WORD_BEFORE.search(text[max(0, run - 40) : run])
        if found is None:
            break
        run -= len(found.group())
    while run < start and not text[run].isupper():  # a joining word does not open the name
        run = text.index(" ", run, start) + 1 if " " in text[run:start] else start
    return run


def _beside_its_acronym(text: str, start: int, end: int) -> bool:
    """True when an acronym in brackets opens the brackets the span stands in, or follows the
    span and starts with the first letter of the name the span ends; or when the span is itself
    an acronym in brackets right after a word."""
    run = _organisation_run_start(text, start)
    if _ACRONYM_BEFORE.search(text[max(0, run - 20) : run]):
        return True
    after = _ACRONYM_AFTER.match(text, end)
    if after and len(text[run:end].split()) >= 2 and text[run] == after.group(1):
        return True
    return (text[start - 1 : start] == "(" and text[end : end + 1] == ")" and start >= 2
            and not text[start - 2].isspace() and _BRACKETED_ACRONYM.fullmatch(text, start, end) is not None)


class _PersonFilter:
    """Decides whether a span that looks like a name is a person or something to keep."""

    def __init__(self, context: _Context) -> None:
        self.context = context

    def is_institution_or_unit(self, start: int, end: int) -> bool:
        """True for a ministry, an adjective before a district or court, a Vietnamese place
        after its abbreviation (see the patterns), or a name beside its acronym in brackets."""
        text = self.context.text
        if _beside_its_acronym(text, start, end):
            return True
        if _quoted_organisation(text, start, end):
            return True
        if self.context.institution_named_before(start, end):
            return True
        if _CYRILLIC.match(text, start):
            if _CYRILLIC_INSTITUTION_AFTER.match(text, end) or _CYRILLIC_MINISTRY.fullmatch(text, start, end):
                return True
        if self.context.vietnamese:
            if _VIETNAMESE_UNIT_ABBREVIATION.match(text, start):
                return True
            run_start = self.context.run_start(start)
            if _VIETNAMESE_UNIT_BEFORE.search(text[max(0, run_start - 6) : run_start]):
                return True  # "Q. Gò Vấp": the abbreviation stands before the whole name
        return False

    def accept(
        self, start: int, end: int, tier: int, strict: bool = False
    ) -> tuple[int, int] | None:
        """Offsets of the span, trimmed, if it should be removed as a person, else None.

        A strict span (a run of capitals, not a model entity) is rejected when it holds an
        ordinary English word and no listed name ("Silver Spring", "Basic Food").
        """
        text = self.context.text
        if "\n" in text[start:end]:
            end = start + text[start:end].index("\n")
        if start >= end or any(char.isdigit() for char in text[start:end]):
            return None
        if self.is_institution_or_unit(start, end):
            return None
        if tier == TIER_SPECIFIC:
            return start, end  # a cue that leaves no doubt ("goes by sunday")
        if tier <= TIER_CUE:
            return self._accept_cued(start, end)
        title = _LEADING_TITLE.match(text[start:end])
        if title:
            start += title.end()
        found = list(_WORD.finditer(text, start, end))
        while found and not found[0].group()[:1].isupper():
            found.pop(0)
        while found and not found[-1].group()[:1].isupper():
            found.pop()
        if not found:
            return None
        while len(found) > 1 and self._leading_common_word(found[0].group(), found[0].start()):
            found.pop(0)  # "Speaks Bahasa", "Jeune Vietnamien"
        start, end = found[0].start(), found[-1].end()
        stripped = strip_possessive(text[start:end])
        end = start + len(stripped)
        words = [strip_possessive(match.group()) for match in found]
        if any(word.islower() and fold(word) not in NAME_PARTICLES for word in words):
            return None
        if strict and not any(is_listed_name(word) for word in words):
            if any(word.lower() in self.context.common_words for word in words):
                return None
        return self._accept_model(start, end, words, tier == TIER_PERSON_NOUN)

    def _leading_common_word(self, word: str, start: int) -> bool:
        """True for a sentence-opening ordinary word that the model glued to a name."""
        if is_listed_name(word) or len(word) == 1:
            return False
        return is_never_a_name(word) or (
            _sentence_initial(self.context.text, start) and word.lower() in self.context.common_words
        )

    def _accept_cued(self, start: int, end: int) -> tuple[int, int] | None:
        """Names after a cue word: reject words that are never names, and obvious places."""
        context = self.context
        text = context.text
        words = _WORD.findall(text, start, end) or [text[start:end]]
        content = [word for word in words if fold(word) not in NAME_PARTICLES]
        quoted = bool(_QUOTED_BEFORE.search(text[max(0, start - 8) : start]))
        if not content or all(is_never_a_name(word) for word in content):
            if not (quoted and content):
                return None  # a quoted nickname may be a role word: "La Jefa"
        if context.in_listed_place(start, end) or _after_place_word(text, start):
            return None
        if _CYRILLIC.search(text, start, end) and is_named_as_place(text, start, end):
            return None  # "станции «Площадь Восстания»"
        if is_place_name(fold(" ".join(words))) and not any(is_listed_name(w) for w in words):
            return None
        following = re.match(r"(?:['’]s)?[ \t]+([^\W\d_]+)", text[end : end + 30])
        if following and following.group(1)[:1].isupper():
            if fold(following.group(1)) in NON_PERSON_SUFFIXES:
                return None  # "Doña Ana County"
        if not quoted and context.after_place_prefix(start):
            return None
        if any(is_listed_name(word) for word in words):
            return start, end
        if start < context.heading_end and context.is_place_context(start, end, words):
            return None
        first, last = fold(words[0]), fold(words[-1])
        if len(words) > 1 and (first in PLACE_PREFIXES or last in NON_PERSON_SUFFIXES):
            return None
        return start, end

    def _accept_model(
        self, start: int, end: int, words: list[str], person_noun_before: bool = False
    ) -> tuple[int, int] | None:
        """Names proposed by the statistical model or the name list, checked against context."""
        context = self.context
        text = context.text
        key = fold(text[start:end])
        if key in context.places or is_place_name(key):
            return None
        if any(word.isupper() and len(word) > 1 for word in words):
            return None  # acronyms: ICE, USCIS, DA
        content = [word for word in words if fold(word) not in NAME_PARTICLES]
        if not content or any(is_never_a_name(word) for word in content):
            return None
        if all(fold(word) in PLACE_NAMES or fold(word) in NATIONALITY_WORDS for word in content):
            return None
        if re.match(r"[ \t]*:", text[end : end + 3]) and _sentence_initial(text, start):
            return None  # a form label: "Lang: Spanish"
        if context.in_known_place(start, end) or context.is_place_context(start, end, words):
            context.places.add(key)
            return None
        if len(content) == 1 and context.vietnamese:
            return None  # single Vietnamese syllables the model calls a person ("Địa chỉ", "Hà Nội")
        if context.vietnamese and is_vietnamese_place_or_agency(text, start, end):
            return None  # "Luật Trẻ em", "Cục Lãnh sự", "bay về Nội Bài"
        if len(content) == 1:
            word = content[0]
            listed = is_listed_name(word)
            if fold(word) in context.common_words and not listed:
                # A word of the English lexicon ("Grandma", "Survivor", "Manchester") unless a
                # plain noun for a person stands right before it ("the boy, Edwin").
                if not person_noun_before or _sentence_initial(text, start):
                    return None
            if context.romance and _sentence_initial(text, start) and not listed:
                return None  # a capitalised Spanish or French word opening a sentence
            if re.search(r"[\"“«‘'][ ]?$", text[max(0, start - 2) : start]) and not listed:
                return None  # the first word of a quotation, often in another language
            if context.romance and _NATIONALITY_SUFFIX.search(fold(word)) and not listed:
                return None  # "Haïtiens", "Sénégalaise": capitalised nationalities in French
        if self._bracketed_after_nationality(start, end):
            return None  # "Ukrainian woman (Lviv)": a home town
        return start, end

    def _bracketed_after_nationality(self, start: int, end: int) -> bool:
        """True for a span alone in brackets right after a nationality and a noun or two."""
        text = self.context.text
        if text[start - 1 : start] != "(" or text[end : end + 1] not in {")", ","}:
            return False
        before = _previous_words(text, start - 1, 3)
        return any(fold(word) in NATIONALITY_WORDS for word in before)


# Looks at a text until nothing new is found (the second almost always finds nothing).
MAX_PASSES = 3
# With the tagger, two looks: on round 7 of the held-out redaction sets a third found one more
# span in 1,851 (0.9557 removed whole against 0.9552) and cost half as much time again (333 ms
# against 223 ms for 300 words), since the tagger's second look almost always finds something.
TAGGER_PASSES = 2


class Redactor:
    """Finds identifying details in a narrative and replaces them with typed placeholders."""

    def __init__(self, pipeline: Language | None = None,
                 tagger: TaggerWithEncoder | None | bool = True) -> None:
        """Use the given spaCy pipeline, or load the shared one; with the shipped token tagger
        (tagger=True), a given one, or none (False or None: the rules alone)."""
        self.pipeline = pipeline if pipeline is not None else load_pipeline()
        self._disabled = _components_to_disable(self.pipeline, ENTITY_COMPONENT)
        self._common_words = _english_word_lexicon(self.pipeline)
        self.tagger = load_shipped_tagger() if tagger is True else (tagger or None)

    def redact(self, text: str) -> Redaction:
        """Redact one narrative."""
        return self.redact_batch([text])[0]

    def redact_batch(self, texts: Sequence[str]) -> list[Redaction]:
        """Redact several narratives, running the entity recogniser over them as one stream."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError("Redactor expects each text to be a str")
        texts = [without_lone_surrogates(text) for text in texts]
        redactions = self._one_pass(texts)
        # Another look at what is left: once a detail is replaced, a name beside it ("张伟 Maria")
        # can stand out. Passes repeat until nothing new is found, so that redacting a redacted
        # text changes nothing (the rules alone; the tagger may still find more).
        # A text with nothing replaced would be looked at unchanged: it needs no second look.
        pending = [index for index, redaction in enumerate(redactions) if redaction.entities]
        for _ in range((MAX_PASSES if self.tagger is None else TAGGER_PASSES) - 1):
            if not pending:
                break
            # The rules alone: the entity recogniser reads the redacted text again (carrying the
            # first look's entities over instead was a third faster, but then redacting the
            # result could still find more: the output must be a fixed point,
            # tests/nlp/test_redact_properties.py). With the tagger, the recogniser reads the
            # first look only: on round 7 of the held-out redaction sets its later looks found
            # nothing more (0.936 removed whole with them, 0.937 without) at 25 ms each. The
            # tagger reads every look: names beside a placeholder ("Eduard și [PERSON 5]") stand
            # out to it (without its later looks, about 0.01 less removed, at half the time).
            again = self._one_pass([redactions[index].text for index in pending],
                                   entities=self.tagger is None)
            still = []
            for index, second in zip(pending, again, strict=True):
                found = _new_spans(redactions[index], second)
                if found:
                    redactions[index] = _build_redaction(
                        texts[index], _resolve_overlaps([*_as_matches(redactions[index]), *found]))
                    still.append(index)
            pending = still
        return redactions

    def _one_pass(self, texts: Sequence[str], entities: bool = True) -> list[Redaction]:
        """One look at each text: patterns, cues, the entity recogniser (unless entities is
        False) and the tagger."""
        if not texts:
            return []
        docs: Iterable[Doc]
        if ENTITY_COMPONENT in self.pipeline.pipe_names and entities:
            # Disabling per call leaves the shared pipeline untouched for other users.
            # The English model reads only the Latin-script stretches: other scripts are blanked
            # at the same offsets (it takes a Chinese clause or a Cyrillic word for a person).
            masked = [mask_for_english_model(text) for text in texts]
            docs = self.pipeline.pipe(masked, disable=self._disabled)
        else:
            docs = (self.pipeline.make_doc(text) for text in texts)
        tagged: list[list[tuple[int, int, str]]] = (
            self.tagger.spans(texts) if self.tagger is not None else [[] for _ in texts])
        return [self._redact_doc(text, doc, spans)
                for text, doc, spans in zip(texts, docs, tagged, strict=True)]

    def _redact_doc(self, text: str, doc: Doc,
                    tagged: Sequence[tuple[int, int, str]] = ()) -> Redaction:
        """Combine pattern, cue, entity-model and tagger findings for one text and build the
        redaction."""
        if not text.strip():
            return Redaction(text=text, entities=[])
        context = _Context(text, doc, self._common_words)
        # A toll-free or harmonised hotline reaches an office, not a person: it stays, whether
        # read as a phone number or (by the tagger) as an identifier.
        hotlines = public_numbers(text)
        candidates = [match for match in find_structured(text, self._common_words)
                      if match.type not in (PHONE, ID) or not _overlaps(match.start, match.end, hotlines)]
        # A calendar marker before a birth date goes with it ("음력", "वि.सं.").
        candidates = [PatternMatch(DOB, calendar_marker_start(text, match.start), match.end, match.tier)
                      if match.type == DOB else match for match in candidates]
        # A law's number ("Republic Act No. 9208", "Luật số 69/2020/QH14") is kept, as the rules
        # keep it.
        tagged = [(start, end, kind) for start, end, kind in tagged
                  if kind not in (PHONE, ID) or not (_overlaps(start, end, hotlines)
                                                     or (kind == ID and is_law_number(text, start)))]
        context.address_ends = {
            match.end + len(separator.group())
            for match in candidates if match.type == ADDRESS
            for separator in [re.match(r"[ \t]*,[ \t]*", text[match.end :])] if separator
        } | {match.end() for match in _ADDRESS_PLACEHOLDER.finditer(text)}  # on a later look
        person_filter = _PersonFilter(context)
        persons: list[tuple[int, int, int]] = []
        for match in find_cued_names(text, self._common_words):
            kept = person_filter.accept(match.start, match.end, match.tier)
            if kept is not None:
                persons.append((*kept, match.tier))
        for start, end, strict in self._model_person_spans(text, doc, context.romance):
            if strict and context.vietnamese:
                continue  # Vietnamese capitals are read by their own rules ("Hội Phụ nữ", "Luật Trẻ em")
            kept = person_filter.accept(start, end, TIER_MODEL, strict)
            if kept is not None:
                persons.append((*kept, TIER_MODEL))
        persons = _whole_names(text, persons, self._common_words)
        persons.extend(self._repeated_mentions(text, persons, context))
        linked = self._linked_mentions(text, persons, person_filter)
        persons.extend(linked)
        persons.extend(self._repeated_mentions(text, linked, context))
        candidates.extend(PatternMatch(PERSON, start, end, tier) for start, end, tier in persons)
        candidates.extend(dates_after_names(text, ((start, end) for start, end, _ in persons)))
        chosen = _resolve_overlaps(candidates)
        # The tagger's spans are added where the rules found nothing, as the tagger drew them:
        # the rules' person filter would drop the lower-case names it finds, and widening its
        # names to the words beside them took more places than names. Only the places the
        # rules know for certain (a listed place, a place entity around the span, a district or
        # court named by its adjective, "Q. Gò Vấp") are kept from it.
        tagged = [(start, end, kind) for start, end, kind in tagged if kind != PERSON or not (
            context.in_known_place(start, end) or person_filter.is_institution_or_unit(start, end)
            or _is_listed_place(text[start:end]) or _names_an_institution(context, start, end)
            or context.names_a_place(start, end))]
        # An address the tagger found takes the flat, floor and room after it, and the block or
        # house-number sign before it, as the rules' addresses do ("rue de la Grotte, 3e étage").
        tagged = _joined_addresses(text, [
            (address_head_start(text, _after_leading_city(text, start, end)),
             _tagged_address_end(text, start, end), kind)
            if kind == ADDRESS else (*date_around(text, start, end), kind) if kind == DOB
            else (*_whole_number(text, start, end), kind) if kind in (ID, PHONE)
            else (start, end, kind) for start, end, kind in tagged])
        # A name the rules found inside an address the tagger found is a street's name
        # ("на Уральской ул., д. 6"): it goes as a part of the address.
        tagged_addresses = [(start, end) for start, end, kind in tagged if kind == ADDRESS]
        chosen = [match for match in chosen if match.type != PERSON or not any(
            start <= match.start and match.end <= end for start, end in tagged_addresses)]
        # Every other mention of a name the tagger found goes too, as for the rules' names.
        tagged.extend((start, end, PERSON) for start, end, _ in self._repeated_mentions(
            text, [(start, end, TIER_MODEL) for start, end, kind in tagged if kind == PERSON],
            context))
        return _build_redaction(text, _joined_names(text, _add_uncovered(text, chosen, tagged)))

    def _model_person_spans(
        self, text: str, doc: Doc, romance: bool
    ) -> Iterator[tuple[int, int, bool]]:
        """PERSON entities, listed given names, and (strict) capitalised runs in Romance text."""
        for entity in doc.ents:
            if entity.label_ == "PERSON":
                yield entity.start_char, entity.end_char, False
        for match in _WORD.finditer(text):
            word = match.group()
            # A double given name is listed by its first part: "Ana-Maria", "Jean-Pierre".
            first_part = word.split("-")[0] if _DOUBLE_GIVEN_NAME.fullmatch(word) else word
            if len(word) < 3 or not is_capitalised(word) or fold(first_part) not in GIVEN_NAMES:
                continue
            end = take_name(text, match.start(), MODE_CAPITALISED, self._common_words)
            yield match.start(), end if end is not None else match.end(), False
        if romance:
            # In Spanish, French and Portuguese only proper nouns are capitalised mid-sentence,
            # and the English model misses many names there: take runs of capitalised words.
            for match in _CAPITALISED_RUN.finditer(text):
                if not _sentence_initial(text, match.start()):
                    yield match.start(), match.end(), True
        else:
            yield from self._unknown_word_runs(text, doc)

    def _unknown_word_runs(self, text: str, doc: Doc) -> Iterator[tuple[int, int, bool]]:
        """Two or more capitalised words in a row that no dictionary knows ("Gurpreet Dhillon").

        The model misses many names of less common origins; words outside the English
        lexicon and the place and nationality lists, side by side, are nearly always a name.
        Runs inside a place entity of the model are left to it.
        """
        # Only place entities veto: the model often calls an unfamiliar full name an ORG.
        others = [(entity.start_char, entity.end_char) for entity in doc.ents
                  if entity.label_ in _PLACE_LABELS]
        for match in _CAPITALISED_RUN.finditer(text):
            words = list(_WORD.finditer(text, match.start(), match.end()))
            while words and (is_never_a_name(words[0].group()) or is_common_word(
                    words[0].group(), self._common_words) or fold(words[0].group()) in PLACE_NAMES):
                words.pop(0)
            content = [word.group() for word in words if fold(word.group()) not in NAME_PARTICLES]
            if len(content) < 2 or any(
                is_never_a_name(word) or fold(word) in PLACE_NAMES
                or (is_common_word(word, self._common_words) and not is_listed_name(word))
                for word in content
            ):
                continue
            start, end = words[0].start(), words[-1].end()
            if any(begin < end and start < stop for begin, stop in others):
                continue
            yield start, end, True

    def _linked_mentions(
        self, text: str, persons: list[tuple[int, int, int]], person_filter: _PersonFilter
    ) -> list[tuple[int, int, int]]:
        """Names tied to a found name: '(Lupe)', '= josé luis', 'Crystal and Wayne'."""
        found: list[tuple[int, int, int]] = []
        for _, end, _ in persons:
            cursor = end
            if text[cursor : cursor + 1] in "\"”’'»":
                cursor += 1
            parenthesis = _PARENTHESIS.match(text, cursor)
            if parenthesis is not None:
                inner = _name_like_parenthesis(text, parenthesis.start(1), parenthesis.end(1),
                                               self._common_words)
                if inner is not None:
                    found.append((*inner, TIER_CUE))
                    found.extend(self._surname_after(text, parenthesis.end(), person_filter))
            equals = _EQUALS.match(text, cursor)
            if equals is not None:
                name_end = take_name(text, equals.end(), MODE_ANY, self._common_words)
                if name_end is not None:
                    kept = person_filter.accept(equals.end(), name_end, TIER_CUE)
                    if kept is not None:
                        found.append((*kept, TIER_CUE))
        return found

    def _surname_after(
        self, text: str, position: int, person_filter: _PersonFilter
    ) -> list[tuple[int, int, int]]:
        """The surname after a bracketed nickname: "Anastasia (Nastya) Kuznetsova"."""
        space = re.match(r"[ \t]+", text[position : position + 4])
        if space is None:
            return []
        start = position + space.end()
        end = take_name(text, start, MODE_CAPITALISED, self._common_words, max_words=2)
        if end is None:
            return []
        words = _WORD.findall(text, start, end)
        if any(is_common_word(word, self._common_words) and not is_listed_name(word)
               for word in words):
            return []
        kept = person_filter.accept(start, end, TIER_CUE)
        return [(*kept, TIER_CUE)] if kept is not None else []

    def _repeated_mentions(
        self, text: str, persons: list[tuple[int, int, int]], context: _Context
    ) -> list[tuple[int, int, int]]:
        """Every other mention of a name already found, and of each word of a full name."""
        forms: set[str] = set()
        for start, end, _ in persons:
            name = text[start:end]
            if len(name) > 1:
                forms.add(name)
            words = [word for word in _WORD.findall(name) if len(word) > 2]
            if len(words) > 1:
                forms.update(
                    word for word in words
                    if fold(word) not in NAME_PARTICLES and not is_never_a_name(word)
                    and fold(word) not in PLACE_NAMES and not word.isupper()
                )
        found: list[tuple[int, int, int]] = []
        placeholders = [(match.start(), match.end()) for match in PLACEHOLDER.finditer(text)]
        for form in sorted(forms, key=len, reverse=True):
            if fold(form) in context.places:
                continue
            # A full name matches in any case ("maria lopez"); one word only as written,
            # so that "Rose" does not catch "rose".
            flags = re.IGNORECASE if form.islower() or " " in form else 0
            # A Russian or Ukrainian name takes case endings: "Ельдар" is also "Ельдара", "Ельдаром".
            ending = _CYRILLIC_CASE_ENDING if _CYRILLIC.match(form) else ""
            if _DEVANAGARI.match(form):
                # A Nepali name takes postpositions ("अनुपमाले", "दिपकलाई"), which stay; a vowel sign
                # after it makes another word ("टेक" is not in "टेके").
                pattern = re.compile(rf"(?<![\w\u0900-\u097f]){re.escape(form)}(?={_NEPALI_POSTPOSITIONS}"
                                     r"(?![\w\u0900-\u097f]))")
            else:
                pattern = re.compile(rf"(?<![\w]){re.escape(form)}{ending}(?![\w])", flags)
            for match in pattern.finditer(text):
                if context.in_known_place(match.start(), match.end()) or _overlaps(
                        match.start(), match.end(), placeholders):
                    continue  # "DOB" taken as a name is no reason to touch "[DOB 1]"
                words = _WORD.findall(match.group()) or [match.group()]
                if " " not in form and fold(form) not in GIVEN_NAMES and context.is_place_context(
                    match.start(), match.end(), words
                ):
                    continue
                found.append((match.start(), match.end(), TIER_MODEL))
        return found


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+(?:['’-][^\W\d_]+)*)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+(?:['’-][^\W\d_]+)*)[ \t]+$")


def _could_continue_name(word: str, common_words: frozenset[str]) -> bool:
    """True for a capitalised word that can be another part of a name next to a found one."""
    if not is_capitalised(word) or len(word) < 2:
        return False
    if is_listed_name(word):
        return True
    key = fold(word)
    if key in ROLE_WORDS or key in LEGAL_AND_AGENCY_WORDS:
        return False
    if _CYRILLIC.match(word) and is_cyrillic_place_or_institution(word):
        return False  # "У Стамбулі Ельдар": the city is not part of the name
    if key in STOP_WORDS or key in NATIONALITY_WORDS or key in ADMINISTRATIVE_UNITS:
        return False
    # A month or a weekday is a name only beside a name ("Abril Paz Moreno"), never in a date.
    return not is_common_word(word, common_words) or key in MONTH_AND_DAY_WORDS


def _whole_names(
    text: str, persons: list[tuple[int, int, int]], common_words: frozenset[str]
) -> list[tuple[int, int, int]]:
    """Each found name widened to the capitalised words right beside it ("Mercedes Brianna Holloway"
    when only "Brianna Holloway" was found), so that no part of a name is left behind."""
    widened: list[tuple[int, int, int]] = []
    for start, end, tier in persons:
        if not text[start:end][:1].isupper():
            widened.append((start, end, tier))
            continue
        for _ in range(3):
            following = _NEXT_WORD.match(text, end)
            if following is not None and fold(following.group(1)) in NAME_PARTICLES:
                beyond = _NEXT_WORD.match(text, following.end())  # "Maricel Dela Cruz"
                if beyond is not None and _could_continue_name(beyond.group(1), common_words):
                    following = beyond
            if following is None or not _could_continue_name(following.group(1), common_words):
                break
            if re.match(r"[ \t]*(?:de[ \t]+)?\d", text[following.end() :]):
                break  # "Abril 2024", "Mayo de 2023": a date
            end = following.end()
        for _ in range(3):
            previous = _PREVIOUS_WORD.search(text[max(0, start - 40) : start])
            if previous is None or not _could_continue_name(previous.group(1), common_words):
                break
            word_start = start - (len(text[max(0, start - 40) : start]) - previous.start(1))
            if _sentence_initial(text, word_start) and not is_listed_name(previous.group(1)):
                break  # "Hoy Maria ...": an ordinary word opening the sentence
            before = _previous_words(text, word_start, 1)
            if before and fold(before[0]) in PLACE_PREPOSITIONS:
                break  # "in Dallas Maria said": the word before the name is a place
            start = word_start
        widened.append((start, end, tier))
    return widened


def _name_like_parenthesis(
    text: str, start: int, end: int, common_words: frozenset[str]
) -> tuple[int, int] | None:
    """The bracketed text after a name when it starts with a name ("(Lupe)", "(ana p., 34)")."""
    inner = re.split(r"[,;]", text[start:end])[0].rstrip()
    words = [word.rstrip(".") for word in inner.split()]
    if not 1 <= len(words) <= 5 or any(char.isdigit() for char in inner):
        return None
    if fold(inner) in PLACE_NAMES or not all(_WORD.fullmatch(word) for word in words):
        return None
    if any(word.lower() == word.upper() for word in words):
        return None  # a script without capitals ("(중국어 상담)"): its own rules read names there
    content = [word for word in words if fold(word) not in NAME_PARTICLES]
    for word in content:
        if is_never_a_name(word) or fold(word) in NATIONALITY_WORDS:
            return None
        if any(part.isupper() and len(part) > 1 for part in re.split(r"[-'’]", word)):
            return None  # an acronym: (EPD), (US-born)
    if all(len(word) == 1 for word in content):
        return start, start + len(inner)  # initials: (m.g.)
    if any(word.islower() for word in content):
        # Lower-case words in brackets are a name only beside a name from the lists.
        if not any(is_listed_name(word) for word in content):
            return None
    elif len(content) > 1 and fold(content[0]) in PLACE_PREFIXES:
        return None
    return start, start + len(inner)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when [start, end) overlaps any of spans."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _is_number_character(char: str) -> bool:
    """A digit of any script or a Latin letter: what an identifier or a phone number is made of."""
    return char.isdigit() or ("a" <= char.lower() <= "z")


def _whole_number(text: str, start: int, end: int) -> tuple[int, int]:
    """A tagged number with the rest of the run of digits and Latin letters it stops inside
    ("0471-6290" of "0471-6290385"): the tagger reads pieces, and a piece left out leaks."""
    def continues(position: int, step: int) -> bool:
        if not 0 <= position < len(text):
            return False
        if _is_number_character(text[position]):
            return True
        # A separator inside the number: "-", "/" or "." with a digit after it.
        after = position + step
        return (text[position] in "-/." and 0 <= after < len(text) and text[after].isdigit())
    if not any(char.isdigit() for char in text[start:end]):
        return start, end
    while continues(end, 1):
        end += 1
    while continues(start - 1, -1):
        start -= 1
    return start, end


_LAST_WORD = re.compile(r"\w+$")


# The administrative units after a Vietnamese address, kept as a town or district is: "..., phường
# 13, quận Phú Nhuận".
_VIETNAMESE_UNIT_AFTER = re.compile(
    r"[ \t]*,[ \t]*(?i:phường|xã|thị[ \t]+trấn|thị[ \t]+xã|quận|huyện|tỉnh|thành[ \t]+phố|tp\.)(?![\w])")


def _tagged_address_end(text: str, start: int, end: int) -> int:
    """The end of a tagged address with its flat, floor and room details. The tagger may stop
    inside a detail ("д" of "д. 6"), so the details are also read from its last word's start.
    A Vietnamese commune, ward or district the tagger took in after the address stays."""
    unit = _VIETNAMESE_UNIT_AFTER.search(text, start, end)
    if unit is not None and unit.start() > start:
        end = unit.start()
    last_word = _LAST_WORD.search(text, start, end)
    ends = [address_tail_end(text, end)]
    if last_word is not None:
        ends.append(address_tail_end(text, last_word.start()))
    return max(ends)


# What may lie between two parts of one address: spaces and one comma or full stop.
_ADDRESS_JOINT = re.compile(r"[ \t]*[,.，、،]?[ \t]*")


def _joined_addresses(text: str, tagged: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Tagged spans with the addresses that only a comma or spaces part made one span
    ("Уральской" and "ул., д" in "Уральской ул., д. 6"): the tagger reads the pieces of a long
    address one by one, and a piece it left out between two of its own would leak."""
    joined: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(tagged):
        if joined and kind == ADDRESS and joined[-1][2] == ADDRESS and joined[-1][1] <= start:
            joint = _ADDRESS_JOINT.match(text, joined[-1][1])
            if joint is not None and joint.end() >= start:
                joined[-1] = (joined[-1][0], max(end, joined[-1][1]), ADDRESS)
                continue
        joined.append((start, end, kind))
    return joined


# A Vietnamese middle name between two removed parts of one name, as Korean and Latin text write
# it: "쩐 티 흐엉", "응우옌 반 남", "Tran Thi Huong".
_MIDDLE_NAME = re.compile(r"[ \t]+(?:티|반|(?i:thị|thi|văn|van))[ \t]+")


def _joined_names(text: str, matches: list[PatternMatch]) -> list[PatternMatch]:
    """The matches, with two names that only a Vietnamese middle name parts made one name (the
    middle name alone would be left: "[PERSON 1] 티 [PERSON 2]")."""
    joined: list[PatternMatch] = []
    for match in sorted(matches, key=lambda item: item.start):
        if joined and match.type == PERSON and joined[-1].type == PERSON:
            middle = _MIDDLE_NAME.fullmatch(text, joined[-1].end, match.start)
            if middle is not None:
                joined[-1] = PatternMatch(PERSON, joined[-1].start, match.end, joined[-1].tier)
                continue
        joined.append(match)
    return joined


def _add_uncovered(text: str, chosen: list[PatternMatch],
                   tagged: Sequence[tuple[int, int, str]]) -> list[PatternMatch]:
    """The chosen spans and the parts of tagged spans that none covers: a part touching a
    chosen span of its type widens it, any other part with a letter or digit is a span."""
    spans = sorted(chosen, key=lambda match: match.start)
    for start, end, kind in tagged:
        pieces = [(start, end)]
        for match in spans:
            pieces = [part for low, high in pieces for part in (
                (low, min(high, match.start)), (max(low, match.end), high)) if part[1] > part[0]]
        for low, high in pieces:
            if not any(char.isalnum() for char in text[low:high]):
                continue
            touching = [index for index, match in enumerate(spans) if match.type == kind and (
                (match.end <= low and low - match.end <= 2 and not text[match.end : low].strip())
                or (high <= match.start and match.start - high <= 2
                    and not text[high : match.start].strip()))]
            if touching:
                index = touching[0]
                match = spans[index]
                spans[index] = PatternMatch(kind, min(match.start, low), max(match.end, high),
                                            match.tier)
            else:
                spans.append(PatternMatch(kind, low, high, TIER_MODEL))
            spans.sort(key=lambda match: match.start)
    return _resolve_overlaps(spans)


def _resolve_overlaps(candidates: list[PatternMatch]) -> list[PatternMatch]:
    """Keep non-overlapping spans, merging overlapping names and preferring stronger evidence."""
    merged = _merge_person_overlaps(candidates)
    ordered = sorted(merged, key=lambda match: (match.tier, -(match.end - match.start), match.start))
    chosen: list[PatternMatch] = []
    for match in ordered:
        if match.start >= match.end:
            continue
        if all(match.end <= other.start or match.start >= other.end for other in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda match: match.start)


def _merge_person_overlaps(candidates: list[PatternMatch]) -> list[PatternMatch]:
    """Join overlapping PERSON spans into one span with the strongest tier among them."""
    others = [match for match in candidates if match.type != PERSON]
    persons = sorted((match for match in candidates if match.type == PERSON), key=lambda m: m.start)
    merged: list[PatternMatch] = []
    for match in persons:
        if merged and match.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = PatternMatch(
                PERSON, last.start, max(last.end, match.end), min(last.tier, match.tier)
            )
        else:
            merged.append(match)
    return others + merged


def _placeholder_key(kind: str, value: str) -> str:
    """The form under which two mentions count as the same detail."""
    if kind in {PHONE, ID}:
        return "".join(char for char in value if char.isalnum()).casefold()
    return " ".join(fold(value).split())


class _Numbering:
    """Gives each distinct detail of a type its number, linking partial mentions of a name."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}
        self.person_words: list[tuple[set[str], int]] = []

    def number(self, kind: str, value: str) -> int:
        """The number of this detail, assigning the next free one to a new detail."""
        key = _placeholder_key(kind, value)
        if (kind, key) in self.numbers:
            return self.numbers[(kind, key)]
        number = self._linked_person(key) if kind == PERSON else None
        if number is None:
            number = self.counts.get(kind, 0) + 1
            self.counts[kind] = number
        self.numbers[(kind, key)] = number
        if kind == PERSON:
            self.person_words.append((set(key.replace(".", " ").split()) - NAME_PARTICLES, number))
        return number

    def _linked_person(self, key: str) -> int | None:
        """The number of the one earlier name that shares all words with this one, if unique."""
        words = set(key.replace(".", " ").split()) - NAME_PARTICLES
        if not words:
            return None
        matches = {number for known, number in self.person_words if words <= known or known <= words}
        return matches.pop() if len(matches) == 1 else None


def _as_matches(redaction: Redaction) -> list[PatternMatch]:
    """A redaction's spans as matches of the first tier (kept over anything found later)."""
    return [PatternMatch(entity.type, entity.start, entity.end, TIER_SPECIFIC)
            for entity in redaction.entities]


def _new_spans(first: Redaction, second: Redaction) -> list[PatternMatch]:
    """Spans the second look at first.text found outside first's placeholders, in the offsets
    of the original text (a span that reaches into a placeholder keeps only its outside part)."""
    # Stretches of first.text copied unchanged from the original: (start in first.text, start
    # in the original, length).
    stretches: list[tuple[int, int, int]] = []
    original = redacted = 0
    for entity in first.entities:
        stretches.append((redacted, original, entity.start - original))
        redacted += entity.start - original + len(entity.placeholder)
        original = entity.end
    stretches.append((redacted, original, len(first.text) - redacted))
    found = []
    for entity in second.entities:
        for start, origin, length in stretches:
            low, high = max(entity.start, start), min(entity.end, start + length)
            piece = first.text[low:high] if high > low else ""
            if not piece.strip(" \t\n,.;:()\"'-"):
                continue
            lead = len(piece) - len(piece.lstrip(" \t\n,.;:(\"'-"))
            trail = len(piece) - len(piece.rstrip(" \t\n,.;:)\"'-"))
            found.append(PatternMatch(entity.type, origin + low - start + lead,
                                      origin + high - start - trail, TIER_SPECIFIC))
    return found


def _build_redaction(text: str, chosen: list[PatternMatch]) -> Redaction:
    """Replace the chosen spans with numbered placeholders."""
    numbering = _Numbering()
    entities: list[RedactedSpan] = []
    pieces: list[str] = []
    cursor = 0
    for match in chosen:
        number = numbering.number(match.type, text[match.start : match.end])
        placeholder = f"[{match.type} {number}]"
        entities.append(RedactedSpan(match.type, match.start, match.end, placeholder))
        pieces.append(text[cursor : match.start])
        pieces.append(placeholder)
        cursor = match.end
    pieces.append(text[cursor:])
    return Redaction(text="".join(pieces), entities=entities)
