"""Dates written out in words, as people say them in a statement: "el tres de mayo de mil novecientos
noventa", "the fourteenth of February, 1989", "vingt-trois juillet deux mille un", "trei martie o mie
nouă sute nouăzeci și patru", "ika-labing-apat ng Setyembre, taong 1995", "vennsis jen dezmil",
"mười lăm tháng tám năm một nghìn...", "двенадцатого апреля тысяча девятьсот девяносто пятого года",
"الثاني عشر من أبريل عام ألف وتسعمائة", and Chinese and Korean dates in their numerals
("一九九八年三月十二日", "천구백팔십구년 팔월 이십일일"). They are read only after a birth cue.
"""

from __future__ import annotations

import re

from nlp.folding import fold
from nlp.pii.wordlists import BIRTH_MONTHS

# Number words of each language, folded; a compound written with hyphens ("vingt-trois",
# "labing-apat") is read part by part.
_NUMBER_WORDS = frozenset((
    # English
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth oh "
    # Spanish and Portuguese
    "un uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro "
    "veinticinco veintiseis veintisiete veintiocho veintinueve treinta cuarenta cincuenta sesenta "
    "setenta ochenta noventa cien ciento mil novecientos ochocientos primero um duas dois quatro "
    "sete oito nove dez doze treze quatorze dezesseis dezasseis dezessete dezassete dezoito "
    "dezenove dezanove vinte trinta quarenta cinquenta sessenta oitenta cem cento novecentos "
    "oitocentos primeiro "
    # French
    "deux trois quatre cinq six sept huit neuf dix onze douze treize seize vingt trente quarante "
    "cinquante soixante cent cents mille premier quatorze quinze onze "
    # Romanian
    "unu doi doua trei patru cinci sase sapte opt noua zece unsprezece doisprezece douasprezece "
    "treisprezece paisprezece cincisprezece saisprezece saptesprezece optsprezece nouasprezece "
    "douazeci treizeci patruzeci cincizeci saizeci saptezeci optzeci nouazeci suta sute mie mii "
    "intai "
    # Tagalog
    "isa dalawa tatlo apat lima anim pito walo siyam sampu labing labin dalawampu tatlumpu "
    "apatnapu limampu animnapu pitumpu walumpu siyamnapu isang libo daan "
    # Haitian Creole
    "youn twa kat senk sis set uit nef dis onz douz trez katoz kenz sez dizuit disnef ven trant "
    "karant senkant swasant katreven san dezmil demil "
    # Vietnamese
    "mot hai ba bon tu nam sau bay tam chin muoi lam tram nghin ngan linh le"
).split())
# Prefixes of Russian, Ukrainian and Arabic number words, which take case endings or glued "و".
_NUMBER_PREFIXES = tuple(fold(prefix) for prefix in (
    "один одна одно перв втор трет треть четыр четв пят шест седьм сем восьм восем девят десят "
    "одиннадцат двенадцат тринадцат четырнадцат пятнадцат шестнадцат семнадцат восемнадцат "
    "девятнадцат двадцат тридцат сорок девяност сто двухтысячн тысяч девятьсот восемьсот два две "
    "три перш друг дві чотир п'ят шіст шост сім сьом вісім дев'ят одинадцят дванадцят чотирнадцят "
    "п'ятнадцят шістнадцят сімнадцят вісімнадцят дев'ятнадцят дев'яност тисяч дев'ятсот вісімсот "
    "тринадцят двадцят тридцят "
    "venn "
    "واحد احد اثن ثلاث اربع أربع خمس ست سبع ثمان تسع عشر اول أول ثاني ثالث رابع خامس سادس سابع "
    "ثامن تاسع عاشر حادي الف ألف مائة مئة تسعمائة ثمانمائة الفين ألفين "
    # Levantine and Egyptian forms: "تمنية", "تلاتة", "اتنين"
    "تمن تلات اتن"
).split())
# Words that join the parts of a spoken date.
_CONNECTORS = frozenset(fold(word) for word in (
    "de del of the and e y et si și ng ika taong ano año nam ngay thang tháng года року год рік "
    "عام سنة من و o a"
).split())
# Words a cue may leave before the date ("on the", "el", "في").
_LEADING = frozenset(fold(word) for word in "on the el le la em no dia pe noong ngay في في".split())
# Vietnamese writes the month as "tháng" and a number word.
_MONTH_MARKERS = frozenset({"thang"})
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d{1,4}|,")
_MAX_TOKENS = 16


def is_number_word(token: str) -> bool:
    """True for a number word of any of the languages read here ("quarante-sept", "сорок")."""
    key = fold(token)
    parts = [part for part in re.split(r"[-’]", key) if part]
    if parts and all(part in _NUMBER_WORDS or part in _CONNECTORS for part in parts) and any(
        part in _NUMBER_WORDS for part in parts
    ):
        return True
    forms = {key, key[1:] if key.startswith("و") and len(key) > 2 else key}
    forms |= {form[2:] for form in forms if form.startswith("ال") and len(form) > 4}
    return any(form.startswith(prefix) and len(form) - len(prefix) <= 6
               for form in forms for prefix in _NUMBER_PREFIXES)


def _is_month(token: str) -> bool:
    key = fold(token)
    key = key[2:] if key.startswith("ال") else key
    return key in BIRTH_MONTHS or key in _MONTH_MARKERS


def spelled_date_end(text: str, position: int) -> tuple[int, int] | None:
    """The span of a date written in words starting at position, or None.

    The words must hold a month and two numbers (in words or figures) and nothing but number words,
    month names and the small words that join them; the date ends at the first other word.
    """
    tokens = list(_TOKEN.finditer(text, position, min(len(text), position + 220)))
    index = 0
    while index < len(tokens) and fold(tokens[index].group()) in _LEADING:
        index += 1
    if tokens and text[position : tokens[0].start()].strip(" \t,:"):
        return None
    start = tokens[index].start() if index < len(tokens) else position
    end = None
    month = False
    numbers = number_words = 0
    last_content = index - 1
    for count, token in enumerate(tokens[index:]):
        if count >= _MAX_TOKENS:
            break
        previous_end = tokens[index + count - 1].end() if count else start
        if "\n" in text[previous_end : token.start()]:
            break
        word = token.group()
        if word == ",":
            continue
        if word.isdigit():
            numbers += 1
        elif _is_month(word):
            month = True
        elif fold(word) in _CONNECTORS:
            pass  # "de" is also two in Haitian Creole, "năm" both year and five in Vietnamese
        elif is_number_word(word):
            numbers += 1
            number_words += 1
        else:
            break
        if word.isdigit() or _is_month(word) or is_number_word(word) or fold(word) in {
            "года", "року", "год", "рік", "taong", "nam"
        }:
            last_content = index + count
            end = token.end()
    # A day and a year ("marzo de 2001" alone is not an exact date of birth), one of them in words
    # (a date in figures is read, and checked against the calendar, by the patterns of dates.py).
    if end is None or not month or numbers < 2 or not number_words or last_content < index:
        return None
    return start, end


# Chinese and Korean numerals: "一九九八年三月十二日", "천구백팔십구년 팔월 이십일일".
_CHINESE_DIGITS = {char: value for value, char in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CHINESE_DATE = re.compile(
    r"(?P<year>[〇零一二三四五六七八九]{4})[ \t]*年[ \t]*(?P<month>[一二三四五六七八九十]{1,3})[ \t]*月"
    r"[ \t]*(?P<day>[一二三四五六七八九十]{1,3})[ \t]*[日号號]"
)
_KOREAN_DIGITS = {char: value for value, char in enumerate("영일이삼사오육칠팔구")}
_KOREAN_DATE = re.compile(
    r"(?P<year>[일이삼사오육칠팔구천백십]{2,8})[ \t]*년"
    r"[ \t]*(?P<month>[일이삼사오육칠팔구십시]{1,3}?)[ \t]*월"
    r"[ \t]*(?P<day>[일이삼사오육칠팔구십]{1,4})[ \t]*일"
)


def _chinese_number(numeral: str) -> int:
    """The value of a Chinese numeral below 100 ("十二" -> 12), or of digits ("一九九八")."""
    if "十" not in numeral:
        return int("".join(str(_CHINESE_DIGITS[char]) for char in numeral))
    tens, _, units = numeral.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def _korean_number(numeral: str) -> int:
    """The value of a Sino-Korean numeral ("천구백팔십구" -> 1989, "시" in "시월" is ten)."""
    total = current = 0
    for char in numeral:
        if char in "천백십시":
            unit = {"천": 1000, "백": 100, "십": 10, "시": 10}[char]
            total += (current or 1) * unit
            current = 0
        else:
            current = _KOREAN_DIGITS[char]
    return total + current


def east_asian_numeral_date(text: str, position: int) -> tuple[int, int, tuple[int, int, int]] | None:
    """A Chinese or Korean date in numerals at position: its span and (year, month, day)."""
    match = _CHINESE_DATE.match(text, position)
    if match is not None:
        values = tuple(_chinese_number(match.group(name)) for name in ("year", "month", "day"))
        return match.start(), match.end(), (values[0], values[1], values[2])
    match = _KOREAN_DATE.match(text, position)
    if match is not None:
        values = tuple(_korean_number(match.group(name)) for name in ("year", "month", "day"))
        return match.start(), match.end(), (values[0], values[1], values[2])
    return None
