"""Details read aloud and written down as words: phone and identity numbers said digit by digit
("ocho tres dos cinco cinco cinco...", "không chín một hai...", "一三九五五五零八八七六", "공일공 오오오오
육칠팔구") and street addresses with the house number in words ("strada principala numarul o suta
patruzeci si doi", "на улице мира дом двенадцать квартира сорок пять", "ri kapwa nimewo dizwit",
"fourteen twenty two simpson street"). Transcribed calls and voice notes write them so.

A run of seven or more number words says a phone or a file number: a date in words holds a month
and a year of thousands, which end the run ("dos mil", "hai nghìn", "две тысячи").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from nlp.folding import fold
from nlp.pii.common import ID, PHONE, TIER_SPECIFIC, PatternMatch
from nlp.pii.date_words import is_number_word

# Digit words of the fourteen languages, folded (accents and hamza dropped).
_DIGIT_WORDS = frozenset(fold(word) for word in (
    "zero oh o one two three four five six seven eight nine double "
    "cero uno una dos tres cuatro cinco seis siete ocho nueve "
    "zéro un une deux trois quatre cinq six sept huit neuf "
    "um uma dois duas três quatro cinco seis meia sete oito nove "
    "unu doi două trei patru cinci șase şase sase șapte şapte sapte opt nouă noua "
    "isa dalawa tatlo apat lima anim pito walo siyam "
    "zewo youn en de twa kat senk sis sèt set uit nèf "
    "không một hai ba bốn tư năm lăm sáu bảy bẩy tám chín "
    "ноль нуль один одна два две дві три четыре чотири пять п'ять п’ять шесть шість семь сім "
    "восемь вісім девять дев'ять дев’ять "
    "शून्य सुन्ना एक दुई तीन चार पाँच पांच छ सात आठ नौ "
    "صفر واحد اثنين اثنان اتنين ثلاثة تلاتة ثلاث تلات أربعة اربعة اربع خمسة خمس ستة ست سبعة سبع "
    "ثمانية تمانية تمنية ثمان تسعة تسع"
).split())
# Words for a thousand: a year said in words, never part of a phone number.
_THOUSANDS = re.compile(
    r"(?:thousand|mil|mille|libo|mie|mii|dezmil|demil|nghin|ngan|тысяч|тисяч|هزار|हजार|الف|ألف|الفين)",
)
# Words that join number words inside a spoken number ("cinquenta e dois", "patruzeci si doi").
_JOINERS = frozenset(fold(word) for word in "e y et si și şi and i و".split())
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\u0900-\u097f]|[-'’](?=\w))*|\d+")
_MIN_DIGIT_WORDS = 7
# Cue words after which a spoken number is an identifier (a file, case or account), not a phone.
_ID_CUE_BEFORE = re.compile(
    r"(?i:file|case|account|cuenta|expediente|dossier|processo|dosar|справ[аи]|дел[ао]|ملف|قضية|حساب"
    r"|هوية|cccd|cmnd|passport|pasaporte|паспорт|등록번호|주민번호|账户|账号|帐号|身份证|护照)"
    r"[^\n.!?。]{0,25}$"
)

# ---- Chinese and Korean digits ------------------------------------------------------------------
_CHINESE_DIGIT_RUN = re.compile(r"[零〇一二三四五六七八九幺]{7,}(?![年月日号號])")
_KOREAN_DIGITS = "공영일이삼사오육칠팔구"
_KOREAN_GROUP = rf"[{_KOREAN_DIGITS}]{{3,}}"
_KOREAN_DIGIT_RUN = re.compile(
    rf"(?<![\uac00-\ud7af]){_KOREAN_GROUP}(?:(?:[ \t]+|[ \t]*(?:다시|-)[ \t]*){_KOREAN_GROUP})+"
)


def _is_digit_word(token: str) -> bool:
    return fold(token) in _DIGIT_WORDS


@lru_cache(maxsize=8192)
def _token_kind(word: str) -> tuple[bool, bool]:
    """(is a number word, is a joining word) for one token; narratives repeat their words."""
    key = fold(word)
    is_number = not word.isdigit() and (key in _DIGIT_WORDS or (
        is_number_word(word) and not _THOUSANDS.search(key)))
    return is_number, key in _JOINERS


def _spoken_number_runs(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, word count) of each run of number words, joined by spaces, hyphens or "e"."""
    run: list[re.Match[str]] = []
    count = 0

    def close() -> Iterator[tuple[int, int, int]]:
        while run and fold(run[-1].group()) in _JOINERS:
            run.pop()
        if run:
            yield run[0].start(), run[-1].end(), count

    previous_end = -1
    for token in _TOKEN.finditer(text):
        word = token.group()
        gap = text[previous_end : token.start()] if previous_end >= 0 else ""
        joined = previous_end < 0 or re.fullmatch(r"[ \t,-]*", gap) is not None
        is_number, is_joiner = _token_kind(word)
        if run and (not joined or not (is_number or is_joiner)):
            yield from close()
            run, count = [], 0
        if is_number or (run and is_joiner):
            run.append(token)
            count += is_number
        previous_end = token.end()
    yield from close()


def find_spoken_numbers(text: str) -> Iterator[PatternMatch]:
    """Phone and identity numbers said digit by digit and written in words."""
    for start, end, count in _spoken_number_runs(text):
        if count < _MIN_DIGIT_WORDS:
            continue
        kind = ID if _ID_CUE_BEFORE.search(text[max(0, start - 40) : start]) else PHONE
        yield PatternMatch(kind, start, end, TIER_SPECIFIC)
    if text.isascii():
        return
    for pattern in (_CHINESE_DIGIT_RUN, _KOREAN_DIGIT_RUN):
        for match in pattern.finditer(text):
            end = match.end()
            # A Korean copula after the number ("...육이고요", "...사예요") starts with 이.
            if pattern is _KOREAN_DIGIT_RUN and text[end - 1] == "이" and re.match(
                    r"[고에요야라었]", text[end : end + 1]):
                end -= 1
            kind = ID if _ID_CUE_BEFORE.search(text[max(0, match.start() - 40) : match.start()]) else PHONE
            yield PatternMatch(kind, match.start(), end, TIER_SPECIFIC)


# ---- Addresses with the house number in words ---------------------------------------------------
_STREET_WORD = (
    r"(?:street|avenue|road|calle|avenida|rua|rue|strada|strad[ăa]|ri|kalye|улиц[аеуы]|вулиц[яіюи]"
    r"|проспект[еау]?|переул(?:ок|ке)|провулк?[уі]?)"
)
_HOUSE_CUE = (
    r"(?:numarul|num[ăa]rul|nr\.?|n[úu]mero|num[ée]ro|numero|nimewo|number|no\.?|\#|дом|д\.|номер"
    r"|хата|будинок|буд\.|house|casa|kay|bahay)"
)
_UNIT_CUE = (
    r"(?:квартира|кв\.|кімната|комната|строение|корпус|под[ъ]?езд|apartament|apartamento|apartment"
    r"|apt|bloc|bloque|bloco|block|scara|etaj|piso|andar|casa|kay|lote|lot|manzana|quadra|room|unit"
    r"|kuwarto|chambre|chanm|дом|хата|quarteir[ãa]o|rumah|blok|tower|torre)"
)
_SPOKEN_STREET = re.compile(
    rf"(?<![\w])(?i:{_STREET_WORD})(?P<name>(?:[ \t]+(?!(?i:{_HOUSE_CUE})(?![\w]))[^\W\d_][\w'’-]*){{1,3}}?)"
    rf"[ \t]*,?[ \t]+(?i:{_HOUSE_CUE})(?:[ \t]+(?i:{_HOUSE_CUE}))*[ \t]*(?=\w)"
)
# Number first: "numéro quarante-sept de la rue josaphat", "418 de la calle mulberry", "54 rue de
# marseille" (Romance languages), "fourteen twenty two simpson street northwest", "1187 east 123rd
# street" (English, the street word last).
_PARTICLES = r"(?:de|del|la|le|les|da|do|dos|das|du|des|d['’]|l['’])"
_ROMANCE_STREET_AFTER_NUMBER = re.compile(
    rf"(?<![\w])(?:(?i:de[ \t]+la|del|de|da|do|du)[ \t]+)?(?i:rue|calle|rua|avenida|avenue|strada|boulevard)"
    rf"[ \t]+(?:(?i:{_PARTICLES})[ \t]*)*[^\W\d_][\w'’-]*(?:[ \t]+[A-ZÀ-Þ][\w'’-]*){{0,2}}"
)
_FIGURES_BEFORE = re.compile(r"(?<![\w#$.,/-])\d{1,5}[A-Za-z]?[ \t]+$")
_HOUSE_CUE_BEFORE = re.compile(rf"(?<![\w])(?i:{_HOUSE_CUE})[ \t]+$")
_ENGLISH_STREET_LAST = re.compile(
    r"(?<![\w])(?P<figures>\d{1,5}[ \t]+)?(?:(?i:north|south|east|west)[ \t]+)?"
    r"(?P<name>(?:[a-z][a-z'-]*[ \t]+|\d{1,3}(?:st|nd|rd|th)[ \t]+){1,3})"
    r"(?:street|avenue|road|drive|lane|boulevard|place|court)(?![\w])"
    r"(?:[ \t]+(?:north|south|east|west|northwest|northeast|southwest|southeast)(?![\w]))?"
)
_NOT_STREET_NAME_WORDS = frozenset(
    "the a an on in at of to for and or from with his her their my our your this that back main "
    "years year days months weeks hours times people men women blocks miles same other next".split()
)
_UNIT_START = re.compile(
    rf"[ \t]*,?[ \t]*(?i:{_UNIT_CUE})(?![\w])\.?[ \t]*(?:(?i:n[º°o]\.?|n\.[º°]|no\.|nr\.?|\#|n[úu]mero"
    rf"|nimewo|number)[ \t]*)?"
)
_SHORT_TOKEN = re.compile(r"(?:\d{1,5}(?:[A-Za-z]|[ \t][A-Z])?|[A-Za-z]\d{0,3})(?![\w])")
# A street named by its number, with a block, house or lot after it: "Rua 7, Quadra 12, Casa 4",
# "rua dezessete quadra vinte e dois", "ri 15 H, kay 62".
_NUMBERED_STREET = re.compile(r"(?<![\w])(?i:rua|calle|strada|ri|street|kalye|avenida|rue)[ \t]+(?=\w)")


def _number_end(text: str, position: int) -> int | None:
    """End of a house number at position: figures ("88", "12B") or number words."""
    figures = _SHORT_TOKEN.match(text, position)
    if figures is not None and any(char.isdigit() for char in figures.group()):
        return figures.end()
    end = None
    for start, stop, count in _spoken_number_runs(text[position : position + 120]):
        if start == 0 and count >= 1:
            end = position + stop
        break
    return end


def _units_end(text: str, end: int) -> int:
    """End of the flats, rooms and blocks said after a house number ("квартира сорок пять")."""
    for _ in range(4):
        unit = _UNIT_START.match(text, end)
        if unit is None:
            break
        number_end = _number_end(text, unit.end())
        if number_end is None:
            short = _SHORT_TOKEN.match(text, unit.end())
            if short is None:
                break
            number_end = short.end()
        end = number_end
    return end


def find_spoken_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of a street, a house-number word and the number in figures or words, with the
    flats and rooms said after it."""
    for match in _SPOKEN_STREET.finditer(text):
        number_end = _number_end(text, match.end())
        if number_end is None:
            continue
        yield match.start(), _units_end(text, number_end)
    for match in _NUMBERED_STREET.finditer(text):
        number_end = _number_end(text, match.end())
        if number_end is None:
            continue
        end = _units_end(text, number_end)
        if end > number_end:
            yield match.start(), end
    yield from _number_first_addresses(text)


def _spoken_run_before(text: str, position: int, minimum: int = 2) -> int | None:
    """Start of a run of number words (at least minimum) ending right before position, or None."""
    window_start = max(0, position - 80)
    for start, end, count in _spoken_number_runs(text[window_start:position]):
        if window_start + end == len(text[:position].rstrip(" \t")) and count >= minimum:
            return window_start + start
    return None


def _number_first_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Addresses said number first (see the patterns)."""
    for match in _ROMANCE_STREET_AFTER_NUMBER.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        figures = _FIGURES_BEFORE.search(before)
        if figures is not None:
            start = match.start() - len(figures.group())
        else:
            run_start = _spoken_run_before(text, match.start(), minimum=1)
            if run_start is None:
                continue
            cue = _HOUSE_CUE_BEFORE.search(text[max(0, run_start - 12) : run_start])
            if cue is None:
                continue
            start = run_start - len(cue.group())
        yield start, _units_end(text, match.end())
    for match in _ENGLISH_STREET_LAST.finditer(text):
        words = list(re.finditer(r"\S+", match.group("name")))
        kept = 0
        while kept < len(words) and not (
            words[-1 - kept].group() in _NOT_STREET_NAME_WORDS or is_number_word(words[-1 - kept].group())
        ):
            kept += 1
        if kept == 0:
            continue
        name_start = match.start("name") + words[len(words) - kept].start()
        if match.group("figures") and kept == len(words):
            start = match.start()
        else:
            run_start = _spoken_run_before(text, name_start)
            if run_start is None:
                continue
            start = run_start
        yield start, _units_end(text, match.end())
