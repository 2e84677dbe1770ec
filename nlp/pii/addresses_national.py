"""Street addresses in the national formats of scripts and countries with their own order:
Russia and Ukraine ("ул. Шевченко, д. 15", "вул. Мазепи, 12, кв. 5"), China ("建国路88号3单元502室",
"锦绣家园3栋2单元501"), Korea (road names "월드컵로27길 14" and lot numbers "가곡리 233"),
Vietnam ("số 27 ngõ 142 Lê Lợi", "hẻm 88/14 đường số 7"), Nepal ("ज्याठा मार्ग, घर नं. ३३") and
the Arab countries ("شارع أراكس، بناية نعمة", "عمارة ١٩، شقة ٧", "١٤ عطفة الحلواني").

Each pattern needs the street word of its language and a house number, or a numbered building,
flat or tent; a street, a district or a camp named alone is left for the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import DEVANAGARI_WORD, compile_verbose
from nlp.pii.names_arabic import is_ordinary_arabic_word
from nlp.pii.names_east_asian import VIETNAMESE_NAME_WORD, is_vietnamese_text

_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]"

# ---- Russian and Ukrainian ----------------------------------------------------------------------
_CYRILLIC_STREET_WORD = (
    r"(?i:ул\.|улица|улице|улицы|вул\.|вулиця|вулиці|пр\.|пр-т|просп\.|проспект|проспекте|пров\."
    r"|пер\.|переулок|переулке|провулок|провулку|бул\.|бульв\.|бульвар|бульваре|ш\.|шоссе|шосе"
    r"|наб\.|набережная|набережной|набережна|пл\.|площадь|площади|площа|мкр\.?|мкрн\.?|мкр-н"
    r"|микрорайон|микрорайоне|мікрорайон|мікрорайоні|кв-л|квартал|тупик|проезд|проїзд|ul\.|ulica)"
)
# A street name: capitalised Cyrillic or Latin words, with a number inside ("Аксай-4", "Długa").
_CYRILLIC_STREET_NAME = r"[А-ЯЁІЇЄҐA-ZÀ-ÖØ-ÞŁŚŻŹĆŃ0-9][\w'’ʼ.-]*"
_CYRILLIC_STREET = compile_verbose(
    rf"""(?<![\w]){_CYRILLIC_STREET_WORD}[ \t]*
        (?:{_CYRILLIC_STREET_NAME}|\d{{1,2}}-?[а-яієї]{{1,2}}[ \t]+{_CYRILLIC_STREET_NAME})
        (?:[ \t]+{_CYRILLIC_STREET_NAME}){{0,2}},?[ \t]*
        (?:(?i:д\.|дом|буд\.|будинок|№)[ \t]*)?\d{{1,4}}[а-яa-z]?(?:[/-]\d{{1,3}}[а-яa-z]?)?(?![\w])"""
)

# ---- Chinese ------------------------------------------------------------------------------------
_HAN = "\u4e00-\u9fff"
# Chinese texts about towns abroad write the street's own name in Latin letters or as its number
# ("Kennedy路3380号", "南Main大道12号", "41街135-22号", "8号大道5712号").
_CHINESE_STREET = compile_verbose(
    rf"""(?:(?:(?![区區市省县縣镇鎮州在住于於是到])[{_HAN}]){{1,5}}
        |(?<![A-Za-z])(?:[东南西北東][ \t]*)?[A-Z][A-Za-z'.-]{{1,20}}
            (?:[ \t][A-Z][A-Za-z'.-]{{1,20}}){{0,2}}[ \t]*
        |(?<![\d-])\d{{1,3}}(?:[号號]|th|st|nd|rd)?[ \t]*)
        (?:大街|大道|胡同|路|街|道|巷|弄)
        (?:[一二三四五六七八九十]{{1,2}}段)?(?:\d{{1,4}}[巷弄])*[ \t]*\d{{1,5}}(?:[ \t]*[-之]\d{{1,3}})?
        [ \t]*[号號]"""
)
# A housing estate named before its buildings: "锦绣家园3栋2单元501", "阳光小区B座".
_CHINESE_ESTATE = compile_verbose(
    rf"""(?:(?![区區市省县縣镇鎮在住于於是到的了])[{_HAN}]){{1,6}}
        (?:家园|家園|花园|花園|小区|小區|公寓|大厦|大廈|新村|广场|廣場|公馆|公館|宿舍|名苑|雅苑|苑|山庄|山莊)
        (?=[ \t]*(?:\d{{1,4}}|[A-Z]\d{{0,2}})[ \t]*(?:号楼|號樓|栋|棟|幢|座|单元|單元))"""
)

# ---- Korean -------------------------------------------------------------------------------------
_HANGUL = "\uac00-\ud7af"
# Road-name addresses: "부평대로 112", "월드컵로27길 14", "도림로 45길 12", "신장로 58-3".
_KOREAN_ROAD = compile_verbose(
    rf"""(?<![{_HANGUL}])[{_HANGUL}]{{1,8}}(?<!으)(?:대로|로|길)
        (?:[ \t]?\d{{1,3}}(?:번)?(?:가)?길)?[ \t]*\d{{1,4}}(?:-\d{{1,4}})?
        (?![\d]|[ \t]?(?:년|월|일|시|분|명|개|살|세|번째|차례|원|만|천|배|km|킬로|미터|시간|주|달|층))"""
)
# Lot-number addresses: a village (리) or a neighbourhood (동) and its lot, with the township
# (면, 읍) written before it ("송산면 가곡리 233", "역삼동 123-4번지"). The place name before 리 or
# 동 has two syllables or more, which leaves out words such as "거리" and "아동".
_KOREAN_LOT = compile_verbose(
    rf"""(?<![{_HANGUL}])(?:[{_HANGUL}]{{1,5}}(?:면|읍)[ \t]+)?[{_HANGUL}]{{2,5}}(?:리|동|가)
        [ \t]?\d{{1,4}}(?:-\d{{1,4}})?(?:[ \t]?번지)?
        (?![\d]|[ \t]?(?!에|에서|의|으로|로|번지)[{_HANGUL}])"""
)

# ---- Vietnamese ---------------------------------------------------------------------------------
_VIETNAMESE_LANE = r"(?i:ng[õo]|ng[áa]ch|h[ẻe]m|ki[ệe]t)[ \t]*\d{1,4}(?:/\d{1,4})*"
_VIETNAMESE_STREET_NAME = (
    rf"(?:(?i:ph[ốo]|đ[ưu][ờo]ng|đ\.)[ \t]+(?:{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}}"
    rf"|(?i:s[ốo])[ \t]*\d{{1,3}})|{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}})"
)
_VIETNAMESE_STREET = compile_verbose(
    rf"""(?<![\w])(?:
        (?i:s[ốo])(?:[ \t]+(?i:nh[àa]))?[ \t]*\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})*
            (?:(?:,?[ \t]+{_VIETNAMESE_LANE})+(?:,?[ \t]+{_VIETNAMESE_STREET_NAME})?
            |,?[ \t]+{_VIETNAMESE_STREET_NAME})
      | \d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})*(?:,?[ \t]+{_VIETNAMESE_LANE})+(?:,?[ \t]+{_VIETNAMESE_STREET_NAME})?
      | \d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})*,?[ \t]+(?i:ph[ốo]|đ[ưu][ờo]ng|đ\.)[ \t]+
            (?:{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}}|(?i:s[ốo])[ \t]*\d{{1,3}})
      | {_VIETNAMESE_LANE}(?:,?[ \t]+{_VIETNAMESE_LANE})*(?:,?[ \t]+{_VIETNAMESE_STREET_NAME})?
    )"""
)
# Words that open an article of law or an agency, not a street ("số 5 Điều 150").
_VIETNAMESE_NOT_STREET = re.compile(r"(?i:điều|luật|bộ|khoản|chương|mục|công|ủy|ban|hội|tòa|sở|cục)$")

# ---- Nepali -------------------------------------------------------------------------------------
# A street with its house number ("ज्याठा मार्ग, घर नं. ३३", "कलेज रोडस्थित घर नं. २१७").
_NEPALI_STREET = compile_verbose(
    rf"""(?<![\u0900-\u097f]){DEVANAGARI_WORD}[ \t]?(?:मार्ग|रोड|सडक|पथ|गल्ली|चोक)(?:स्थित)?
        [ \t]*,?[ \t]*घर[ \t]*नं\.?[ \t]*{_DIGIT}{{1,5}}"""
)

# ---- Arabic -------------------------------------------------------------------------------------
_ARABIC_LETTERS = "\u0621-\u064a\u064b-\u0652\u0670"
_ARABIC_WORD = rf"[{_ARABIC_LETTERS}]{{2,}}"
# Not "طريق" (road): "عن طريق" is "by way of".
_ARABIC_STREET_WORD = r"(?:شارع|ش\.|نهج|زقاق|زنقة|عطفة|حارة|درب|جادة)"
# A word of a street name: not the "number" that follows it ("نهج الحبيب ثامر عدد ١٢").
_ARABIC_NAME_WORD = rf"(?!(?:عدد|رقم)(?![{_ARABIC_LETTERS}])){_ARABIC_WORD}"
_ARABIC_NUMBERED_UNIT = (
    r"(?:ال)?(?:شقة|غرفة|منزل|مبنى|عمارة|بناية|خيمة|كرفان|بلوك|قطعة|قطاع|القطاع|فيلا|دار|محلة)"
)
_ARABIC_STREET = compile_verbose(
    rf"""(?<![{_ARABIC_LETTERS}])[وبفل]?{_ARABIC_STREET_WORD}[ \t]+
        (?P<name>{_DIGIT}{{1,4}}|{_ARABIC_NAME_WORD}(?:[ \t]+{_ARABIC_NAME_WORD}){{0,2}})
        (?:[ \t]+(?:عدد|رقم)[ \t]*{_DIGIT}{{1,5}})?"""
)
_ARABIC_NUMBER_FIRST = compile_verbose(
    rf"""(?<![\w]){_DIGIT}{{1,5}}[ \t]+{_ARABIC_STREET_WORD}[ \t]+{_ARABIC_WORD}(?:[ \t]+{_ARABIC_WORD})?"""
)
_ARABIC_UNIT = compile_verbose(
    rf"""(?<![{_ARABIC_LETTERS}])[وبفل]?{_ARABIC_NUMBERED_UNIT}[ \t]*(?:رقم[ \t]*)?{_DIGIT}{{1,5}}(?![\w])"""
)
# A settlement or compound named before the units in it: "تجمّع الرحمة، خيمة رقم ٤٧".
_ARABIC_COMPOUND_BEFORE = re.compile(
    rf"[وبفل]?(?:تجم[ّ]?ع|مجم[ّ]?ع)[ \t]+{_ARABIC_WORD}(?:[ \t]+{_ARABIC_WORD})?[ \t]*[،,][ \t]*$"
)
# Words that end an Arabic street name: prepositions, "near", "behind", "with".
_ARABIC_NAME_STOPS = frozenset(
    "في من مع الى إلى على عند قرب بجانب خلف أمام امام مقابل بين حتى منذ ثم و او أو التي الذي".split()
)


def _arabic_name_end(text: str, match: re.Match[str]) -> int:
    """The end of a street match with its name cut at the first ordinary word."""
    start = match.start("name")
    end = start
    for word in re.finditer(rf"{_DIGIT}+|{_ARABIC_WORD}", text[start : match.end("name")]):
        if word.group() in _ARABIC_NAME_STOPS or (
            word.start() > 0 and is_ordinary_arabic_word(word.group())
        ):
            break
        end = start + word.end()
    if end == start:
        return match.start()
    return match.end() if end == match.end("name") else end


def find_national_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of street addresses in the national formats of the module docstring."""
    if re.search("[А-Яа-яЁёІіЇїЄєҐґ]", text):
        for pattern in (_CYRILLIC_STREET,):
            for match in pattern.finditer(text):
                yield match.start(), match.end()
    if re.search(f"[{_HAN}]", text):
        for pattern in (_CHINESE_STREET, _CHINESE_ESTATE):
            for match in pattern.finditer(text):
                yield match.start(), match.end()
    if re.search(f"[{_HANGUL}]", text):
        for pattern in (_KOREAN_ROAD, _KOREAN_LOT):
            for match in pattern.finditer(text):
                yield match.start(), match.end()
    if is_vietnamese_text(text):
        for match in _VIETNAMESE_STREET.finditer(text):
            words = match.group().split()
            if any(_VIETNAMESE_NOT_STREET.match(word) for word in words):
                continue
            if not re.search(r"(?i:s[ốo]|ng[õo]|ng[áa]ch|h[ẻe]m|ki[ệe]t|ph[ốo]|đ[ưu][ờo]ng|đ\.)",
                             match.group()):
                continue
            yield match.start(), match.end()
    if re.search("[\u0900-\u097f]", text):
        for match in _NEPALI_STREET.finditer(text):
            yield match.start(), match.end()
    if re.search("[\u0600-\u06ff]", text):
        yield from _arabic_addresses(text)


def _arabic_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Arabic streets with a name or number, numbered buildings, flats and tents."""
    for match in _ARABIC_STREET.finditer(text):
        end = _arabic_name_end(text, match)
        if end > match.start():
            yield match.start(), end
    for pattern in (_ARABIC_NUMBER_FIRST, _ARABIC_UNIT):
        for match in pattern.finditer(text):
            start = match.start()
            before = _ARABIC_COMPOUND_BEFORE.search(text[max(0, start - 40) : start])
            if before is not None:
                start -= len(before.group())
            yield start, match.end()
