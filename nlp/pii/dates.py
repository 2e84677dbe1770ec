"""Dates of birth: dates that a birth cue announces, checked against the calendar."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from nlp.folding import fold
from nlp.pii.common import DOB, TIER_SPECIFIC, PatternMatch, compile_verbose
from nlp.pii.wordlists import BIRTH_MONTHS, STOP_WORDS

_MONTH_NAME = r"(?:[^\W\d_]{2,12})"
_ORDINAL = r"(?:st|nd|rd|th|º|°|er|o)?"
_DATE = compile_verbose(
    rf"""(?P<date>
        (?P<n1>\d{{1,4}})(?P<sep>[/.-])(?P<n2>\d{{1,2}})(?P=sep)(?P<n3>\d{{2,4}})
      | (?P<m1>{_MONTH_NAME})\.?[ -]+(?P<d1>\d{{1,2}}){_ORDINAL}(?:,?[ ]+|-)?(?P<y1>\d{{4}}|(?<=-)\d{{2}})?
      | (?P<d2>\d{{1,2}}){_ORDINAL}[ -]+(?:de[ ]+|of[ ]+)?(?P<m2>{_MONTH_NAME})\.?
        (?:(?:,?[ ]+|-)(?:de[ ]+|del[ ]+)?(?P<y2>\d{{4}}))?
      | (?P<d3>\d{{1,2}})(?P<sep3>[/.-])(?P<m3>{_MONTH_NAME})(?P=sep3)(?P<y3>\d{{2,4}})
    )(?![\w/])"""
)
_DOB_CUE = compile_verbose(
    r"""(?i:\bDOB|\bD\.O\.B\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday|\bborn|\bb\.
        |\bfecha\s+de\s+nacimiento|\bf\.\s?(?:de\s)?nac\.?|\bnac\.|\bnasc\.|\bnaci[óo]
        |\bnacid[oa]|\bn[ée]e?(?=\s+le\b)|\bdate\s+de\s+naissance|\bdata\s+de\s+nascimento
        |\bnascid[oa]|\bnasceu|\bnasci|\bcumplea[ñn]os|\banniversaire|\banivers[áa]rio
        |\bturns?\s+\d{1,2}\s+on|\bcumple\s+(?:\d{1,2}\s+)?(?:a[ñn]os\s+)?el
        |\bdate\s+de\s+naiss\.?|\bd\.?\s?n\.|\bbday)(?![\w])
        (?P<filler>[ \t:,–-]*(?:\([^)\n]{0,12}\)[ \t:,–-]*)?
        (?:(?i:in|en|em|à|at|a)[ \t]+(?:[A-Z][\w'’-]*[ \t,]+){1,3}(?:(?i:on|el|le|em|no\s+dia)[ \t]+)?)?
        (?:(?i:is|was|on|the|el|le|em|en|a|no\s+dia|o\s+dia|dia|listed|given|recorded
        |registered|written|shown|stated|as|:|-)[ \t]+)*)"""
)


# Birth cues of further languages; some are written without spaces or capitals, so no \\b.
_DOB_CUE_MORE = re.compile(
    r"(?:(?<![\w])(?i:n[ăa]scut[ăa]?|data[ \t]+na[șşs]terii|ipinanganak|petsa[ \t]+ng[ \t]+kapanganakan"
    r"|kapanganakan|f[èe]t|dat[ \t]+nesans|sinh[ \t]+ng[àa]y|ng[àa]y[ \t]+sinh"
    r"|ng[àa]y[ \t]+th[áa]ng[ \t]+n[ăa]m[ \t]+sinh"
    r"|родилась|родился|дата[ \t]+рождения|д\.[ \t]?р\.|народилася|народився|народилась|дата[ \t]+народження"
    r")(?![\w])|出生日期|出生年月日|出生于|出生於|出生在|出生|生日|생년월일|생일|출생일"
    r"|जन्म[ \t]*मिति|जन्म[ \t]*मिती"
    r"|जन्म|تاريخ[ \t]+الميلاد|تاريخ[ \t]+الولادة|مواليد|ولدت|ولد)"
    r"(?P<filler>[ \t:：,–-]*(?:(?i:pe|la|în[ \t]+data[ \t]+de|noong|sa|le|ngày|el|em|on)(?![\w])[ \t]*"
    r"|(?:是|为|為|于|於|은|는|:)[ \t]*)*)"
)
_EAST_ASIAN_DATE = re.compile(
    r"(?P<year>\d{4})[ \t]*[年년][ \t]*(?P<month>\d{1,2})[ \t]*[月월][ \t]*(?P<day>\d{1,2})[ \t]*[日일号號]?"
)
_EAST_ASIAN_BIRTH_AFTER = re.compile(r"[ \t]*(?:出生|生|생|출생)")
_VIETNAMESE_DATE = re.compile(
    r"(?i:ng[àa]y[ \t]+)?(?P<day>\d{1,2})[ \t]+(?i:th[áa]ng)[ \t]+(?P<month>\d{1,2})"
    r"(?:,?[ \t]+(?i:n[ăa]m)[ \t]+(?P<year>\d{4}))?"
)
# Nepali dates are of the Bikram Sambat calendar, about 57 years ahead of the Gregorian one.
_BIKRAM_SAMBAT_OFFSET = 57


def _valid_day(year: int | None, month: int, day: int) -> bool:
    """True when day exists in that month (29 February needs a leap year when one is given)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    leap_year = 2000 if year is None else year
    return day <= calendar.monthrange(leap_year, month)[1]


def _full_year(value: str) -> int:
    """Expand a two-digit year to four digits, choosing the most recent past century."""
    year = int(value)
    if len(value) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year


def _valid_birth_date(match: re.Match[str]) -> bool:
    """Calendar check of a matched date, in either day/month order where numeric."""
    if match.group("n1") is not None:
        first, second, third = match.group("n1"), match.group("n2"), match.group("n3")
        if len(first) == 4:
            year = int(first)
            if any("\u0966" <= char <= "\u096f" for char in first):
                year -= _BIKRAM_SAMBAT_OFFSET  # "२०४७/०३/१५"
                return 1900 <= year <= date.today().year and 1 <= int(second) <= 12 and 1 <= int(third) <= 32
            return _valid_day(year, int(second), int(third))
        if len(first) == 3 or len(third) == 3:
            return False
        year = _full_year(third)
        if not 1900 <= year <= date.today().year:
            return False
        return _valid_day(year, int(first), int(second)) or _valid_day(year, int(second), int(first))
    month_word = match.group("m1") or match.group("m2") or match.group("m3")
    day_text = match.group("d1") or match.group("d2") or match.group("d3")
    year_text = match.group("y1") or match.group("y2") or match.group("y3")
    month = BIRTH_MONTHS.get(fold(month_word).rstrip("."))
    if month is None:
        # A month of another calendar ("10 Boishakh 1408", "17 Tir 1375"): day and year only.
        return (year_text is not None and len(year_text) == 4 and 1300 <= int(year_text) <= 2100
                and 1 <= int(day_text) <= 32 and fold(month_word) not in STOP_WORDS)
    birth_year = _full_year(year_text) if year_text else None
    if birth_year is not None and not 1900 <= birth_year <= date.today().year:
        return False
    return _valid_day(birth_year, month, int(day_text))


def _valid_numeric_date(match: re.Match[str]) -> bool:
    """Calendar check of a date matched with year, month and day groups (the year may be absent)."""
    year = int(match.group("year")) if match.group("year") else None
    if year is not None and not 1900 <= year <= date.today().year:
        return False
    return _valid_day(year, int(match.group("month")), int(match.group("day")))


def find_birth_dates(text: str) -> Iterator[PatternMatch]:
    """Dates that the context marks as a date of birth, checked against the calendar."""
    for cue_pattern in (_DOB_CUE, _DOB_CUE_MORE):
        for cue in cue_pattern.finditer(text):
            match = _DATE.match(text, cue.end())
            if match is not None and _valid_birth_date(match):
                yield PatternMatch(DOB, match.start("date"), match.end("date"), TIER_SPECIFIC)
                continue
            for other in (_EAST_ASIAN_DATE, _VIETNAMESE_DATE):
                found = other.match(text, cue.end())
                if found is not None and _valid_numeric_date(found):
                    yield PatternMatch(DOB, found.start(), found.end(), TIER_SPECIFIC)
                    break
    if not text.isascii():
        for found in _EAST_ASIAN_DATE.finditer(text):
            if _EAST_ASIAN_BIRTH_AFTER.match(text, found.end()) and _valid_numeric_date(found):
                yield PatternMatch(DOB, found.start(), found.end(), TIER_SPECIFIC)  # "1990年5月3日出生"
