"""Dates of birth: dates that a birth cue announces, checked against the calendar."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date

from nlp.folding import fold
from nlp.pii.common import DOB, TIER_SPECIFIC, PatternMatch, compile_verbose
from nlp.pii.date_words import east_asian_numeral_date, spelled_date_end
from nlp.pii.wordlists import BIRTH_MONTHS, STOP_WORDS

# Devanagari vowel signs and the virama are marks, not letters: "जनवरी" needs them.
_MONTH_NAME = r"(?:[^\W\d_](?:[^\W\d_]|[\u0901-\u0903\u093a-\u094f]){1,11})"
_ORDINAL = r"(?:st|nd|rd|th|º|°|er|o)?"
_DATE = compile_verbose(
    rf"""(?P<date>
        (?P<n1>\d{{1,4}})(?P<sep>[/.-])(?P<n2>\d{{1,2}})(?P=sep)
        (?P<n3>\d{{2,4}}|(?<=\d{{4}}[/.-]\d[/.-])\d|(?<=\d{{4}}[/.-]\d\d[/.-])\d)
      | (?P<m1>{_MONTH_NAME})\.?[ -]+(?P<d1>\d{{1,2}}){_ORDINAL}(?:,?[ ]+|-)?(?P<y1>\d{{4}}|(?<=-)\d{{2}})?
      | (?P<d2>\d{{1,2}}){_ORDINAL}[ -]+(?:de[ ]+|(?:day[ ]+)?of[ ]+)?(?P<m2>{_MONTH_NAME})\.?
        (?:(?:,?[ ]+|-)(?:de[ ]+|del[ ]+)?(?P<y2>\d{{4}}))?
      | (?P<d3>\d{{1,2}})(?P<sep3>[/.-])(?P<m3>{_MONTH_NAME})(?P=sep3)(?P<y3>\d{{2,4}})
      | (?:सन्[ ]*)?(?P<y4>\d{{4}})[ ]+(?P<m4>{_MONTH_NAME})[ ]+(?P<d4>\d{{1,2}})(?![\d])
    )(?![\w/])"""
)
_DOB_CUE = compile_verbose(
    r"""(?i:\bDOB|\bD\.O\.B\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday|\bborn|\bb\.
        |\bfecha\s+de\s+nacimiento|\bf\.\s?(?:de\s)?nac\.?|\bnac\.|\bnasc\.|\bnaci[óo]|\bnac[íi]
        |\bnacid[oa]|\bnaciste|\bn[ée]e?(?=\s+le\b)|\bdate\s+de\s+naissance|\bdata\s+de\s+nascimento
        |\bnascid[oa]|\bnasceu|\bnasci|\bcumplea[ñn]os|\banniversaire|\banivers[áa]rio
        |\bturns?\s+\d{1,2}\s+on|\bcumple\s+(?:\d{1,2}\s+)?(?:a[ñn]os\s+)?el
        |\bdate\s+de\s+naiss\.?|\bd\.?\s?n\.|\bbday|\bbirth\s+day|\bDDN|\bDN
        |\bnascimento)(?![\w])
        (?P<filler>[ \t:,–-]*(?:\([^)\n]{0,12}\)[ \t:,–-]*)?
        (?:(?i:in|en|em|à|at|a)[ \t]+(?:[A-Z][\w'’-]*[ \t,]+){1,3}(?:(?i:on|el|le|em|no\s+dia|aos)[ \t]+)?)?
        (?:(?i:is|was|on|the|el|le|em|en|a|aos|no\s+dia|o\s+dia|dia|listed|given|recorded
        |registered|written|shown|stated|as|:|-)[ \t]+)*
        (?:(?i:by)[ \t]+[\w.]{1,12}[ \t]*:?[ \t]*)?)"""
)


# Birth cues of further languages; some are written without spaces or capitals, so no \\b.
_DOB_CUE_MORE = re.compile(
    r"(?:(?<![\w])(?i:n[ăa]scut[ăa]?|data[ \t]+na[șşs]terii|ipinanganak|petsa[ \t]+ng[ \t]+kapanganakan"
    r"|kapanganakan|f[èe]t|dat[ \t]+nesans|sinh[ \t]+ng[àa]y|ng[àa]y[ \t]+sinh"
    r"|ng[àa]y[ \t]+th[áa]ng[ \t]+n[ăa]m[ \t]+sinh"
    r"|родилась|родился|дата[ \t]+рождения|д\.[ \t]?р\.|народилася|народився|народилась|дата[ \t]+народження"
    r"|род\.|рожд\.|д\.[ \t]?н\.|n\.(?=[ \t]*\d)|нар\.|ДР(?=[ \t:]*\d)|sn(?=[ \t:]*\d)"
    r"|m-am[ \t]+n[ăa]scut|s-a[ \t]+n[ăa]scut"
    # "pinanganak" (Tagalog, without the i- of the written form); Vietnamese "sinh" only before digits.
    r"|pinanganak|sinh(?=[ \t]+\d)|rodil(?:as[ья]?|sya|a)"
    # Romanised Nepali and Arabic as chats write them: "janma miti", "ko janma", "mawloud"; an
    # English birth certificate named in a chat ("Birth cert ni Tala: Marso 14, 2015").
    r"|janma[ \t]+miti|janmamiti|janma|mawloud[ae]?|mawlood[ae]?|birth[ \t]+cert(?:ificate)?"
    r")(?![\w])|出生日期|出生年月日|出生于|出生於|出生在|出生|生于|生於|生日|생년월일|생일|출생일"
    r"|जन्म[ \t]*मिति|जन्म[ \t]*मिती"
    r"|जन्म|تاريخ[ \t]+الميلاد|تاريخ[ \t]+الولادة|مواليد|مولودة|مولود|ولدت|ولد|مزدادة|مزداد|ميلاد|تولد)"
    r"(?P<filler>[ \t:：,–—(（-]*(?:(?i:pe|(?:la|în)[ \t]+data[ \t]+de|la|noong|sa|le|ngày|el|em|on|siya"
    r"|po|ako"
    r"|sila|li|mwen|se|si[ \t]+[A-Z][\w-]*|ang|ay|في|بتاريخ)(?![\w])[ \t]*"
    r"|(?:是|为|為|于|於|은|는|:)[ \t]*)*)"
)
_EAST_ASIAN_DATE = re.compile(
    r"(?P<year>\d{4}|(?<!\d)\d{2})[ \t]*[年년][ \t]*(?:(?:음력|양력|农历|農曆|阴历|陰曆)[ \t]*)?"
    r"(?P<month>\d{1,2})[ \t]*[月월][ \t]*(?P<day>\d{1,2})[ \t]*[日일号號]?"
)
# Month and day without the year, after a birthday word: "생일 11월 3일", "生日是3月16号".
_EAST_ASIAN_MONTH_DAY = re.compile(
    r"(?P<month>\d{1,2})[ \t]*[月월][ \t]*(?P<day>\d{1,2})[ \t]*[日일号號]"
)
_EAST_ASIAN_BIRTH_AFTER = re.compile(r"[ \t]*(?:出生|出世|生|생|출생)")
_VIETNAMESE_DATE = re.compile(
    r"(?i:ng[àa]y[ \t]+)?(?P<day>\d{1,2})[ \t]+(?i:th[áa]ng)[ \t]+(?P<month>\d{1,2})"
    r"(?:,?[ \t]+(?i:n[ăa]m)[ \t]+(?P<year>\d{4}))?"
)
# Nepali dates are of the Bikram Sambat calendar, about 57 years ahead of the Gregorian one.
_BIKRAM_SAMBAT_OFFSET = 57
# A Bikram Sambat date with the Nepali month: "२०४७ साल असोज ९ गते", "वि.सं. २०५२ साल साउन पन्ध्र गते".
_NEPALI_MONTHS = (
    "बैशाख|वैशाख|जेठ|जेष्ठ|असार|आषाढ|साउन|श्रावण|भदौ|भाद्र|असोज|आश्विन|कात्तिक|कार्तिक|मंसिर|मङ्सिर"
    "|पुस|पौष|माघ|फागुन|फाल्गुन|चैत्र|चैत"
)
_NEPALI_DAY_WORDS = (
    "एक्काइस|बत्तीस|एकतीस|उनन्तीस|अट्ठाइस|सत्ताइस|छब्बीस|पच्चीस|चौबीस|तेइस|बाइस|उन्नाइस|एघार|बाह्र"
    "|तेह्र|चौध|पन्ध्र|सोह्र|सत्र|अठार|बीस|तीस|एक|दुई|तीन|चार|पाँच|सात|आठ|नौ|दस|छ"
)
_NEPALI_DATE = re.compile(
    rf"(?:वि\.?[ \t]?सं\.?[ \t]*)?(?P<year>[०-९0-9]{{4}})[ \t]*(?:साल)?[ \t]*,?[ \t]*(?:{_NEPALI_MONTHS})"
    rf"(?:[ \t]+महिना)?[ \t]*(?:[०-९0-9]{{1,2}}|{_NEPALI_DAY_WORDS})(?:[ \t]*गते)?"
)
# A verb of birth later in the same sentence: "... मकवानपुरको एउटा गाउँमा जन्मिएकी हुँ".
_NEPALI_BORN_AFTER = re.compile(r"[^।\n]{0,80}?जन्म(?:ि|े|ेको|ेकी)")
# Year, month and day with dots and spaces, as Korean forms write them: "2000. 8. 9.".
_SPACED_DOTTED_DATE = re.compile(
    r"(?P<year>\d{4})\.[ \t]*(?P<month>\d{1,2})\.[ \t]*(?P<day>\d{1,2})(?![\d])\.?"
)
# "ika-3 ng Marso 1999" (Tagalog: the third of March).
_TAGALOG_DATE = re.compile(
    r"(?i:ika-?[ \t]*)(?P<day>\d{1,2})[ \t]+(?i:ng)[ \t]+(?P<month_name>[^\W\d_]{3,10}),?[ \t]+"
    r"(?:(?i:taong)[ \t]+)?(?P<year>\d{4})(?![\d])"
)
# Words after a date that make it a date of birth: "12.09.2004 г.р.", "12.11.1979 р.н.",
# "2009. 11. 3.생", "1991년 4월 22일에 태어났고", "1998年3月12日出生".
_BIRTH_AFTER = re.compile(
    r"[ \t]*(?:г\.?[ \t]?р\.|г\.[ \t]*рожд|года[ \t]+рождения|года[ \t]+р\.|р\.[ \t]?н\."
    r"|року[ \t]+народження|(?:에[ \t]*)?(?:태어|출생)|생(?![활산각기겨존명선일])|出生|出世"
    r"|生(?![活产日意气病])"
    # Korean puts the place between the date and the verb: "...일에 함경북도 회령에서 태어났습니다".
    r"|에[ \t]+[^.。!?\n]{0,30}?(?:에서[ \t]*)?태어)"
)
_BIRTH_AFTER_TRIGGER = re.compile(r"г\.?[ \t]?р|рожд|р\.[ \t]?н|народження|태어|출생|생|出生|出世|生")
# The answer to a birth question in an interview: "Data de nascimento? R:", "出生日期？ 答：".
_ANSWER_AFTER_QUESTION = re.compile(
    r"[ \t]*[?？؟][ \t]*\n?[ \t]*(?:(?i:r|a|s|o|ans|answer|resp|respuesta|resposta|r[ée]ponse"
    r"|r[ăa]spuns|sagot|đáp|trả[ \t]+lời|ответ|відповідь|в|о)|ج|جواب|答|답|उत्तर)[ \t]*[:：.]?[ \t]*"
)
# Words a speaker may put between a birth cue and the date ("es el", "mele e", "on file:").
_MAX_WORDS_BEFORE_DATE = 3
_WORD_BEFORE_DATE = re.compile(r"(?P<word>[^\W\d_][^\s\d.,:：;!?।。()\[\]\"“”]*)[ \t]*[,:：]?[ \t]*")
# Cues that name the date itself ("date of birth is the ..."), not the event ("born in X, came on").
_DATE_NOUN_CUE = re.compile(
    r"(?i:dob|d\.o\.b|date|fecha|data|dat\b|birth|nacimiento|naissance|nascimento|na[șşs]terii"
    r"|kapanganakan|рождения|народження|ng[àa]y|bday|cumplea|anivers)|日期|生日|생년월일|생일|출생일"
    r"|मिति|मिती|تاريخ|مواليد"
)
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Between a birth date and the same date in another calendar: "(", "/", "الموافق" (that is).
_OTHER_FORM_BRIDGE = re.compile(r"[ \t]*(?:\(|/|الموافق|(?i:i\.e\.))[ \t]*")
# "года", "р.", and the Hijri "هـ" after a year belong to the date.
_YEAR_WORD_AFTER = re.compile(r"[ \t]+(?:года|року)(?![\w])|[ \t]*(?:г|р)\.(?![\w])|[ \t]*هـ")


# One capitalised word (a town) between a birth cue and the date.
_PLACE_BEFORE_DATE = re.compile(r"[A-ZÀ-Þ][\w'’-]+,?[ \t]+(?=\d)")


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
    month_word = match.group("m1") or match.group("m2") or match.group("m3") or match.group("m4")
    day_text = match.group("d1") or match.group("d2") or match.group("d3") or match.group("d4")
    year_text = match.group("y1") or match.group("y2") or match.group("y3") or match.group("y4")
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
    year = _full_year(match.group("year")) if match.group("year") else None
    if year is not None and not 1900 <= year <= date.today().year:
        return False
    return _valid_day(year, int(match.group("month")), int(match.group("day")))


def _valid_year_month_day(year: int | None, month: int, day: int) -> bool:
    """Calendar check of a birth date given as numbers (the year may be absent)."""
    if year is not None and not 1900 <= year <= date.today().year:
        return False
    return _valid_day(year, month, day)


# A calendar marker written before a date belongs to it: "음력 1997년 9월 9일", "农历1990年",
# "वि.सं. २०५८/०३/१७" (Bikram Sambat), "B.S. 2051 Chaitra 8".
_CALENDAR_MARKER = r"(?:음력|양력|农历|農曆|阴历|陰曆|(?i:lunar)|वि\.?[ \t]?सं\.?|B\.[ \t]?S\.|BS)"
_CALENDAR_BEFORE = re.compile(rf"{_CALENDAR_MARKER}[ \t]*$")
_CALENDAR_AT = re.compile(rf"{_CALENDAR_MARKER}[ \t]*")


def _date_at(text: str, position: int) -> tuple[int, int] | None:
    """The span of a valid date of any written form starting at position, or None; a calendar
    marker before the date is a part of it ("वि.सं. २०५८/०३/१७", "음력 3월 16일")."""
    marker = _CALENDAR_AT.match(text, position)
    if marker is not None and marker.end() > position:
        dated = _plain_date_at(text, marker.end())
        return (position, dated[1]) if dated is not None else None
    return _plain_date_at(text, position)


def _plain_date_at(text: str, position: int) -> tuple[int, int] | None:
    """The span of a valid date of any written form starting at position, or None."""
    match = _DATE.match(text, position)
    if match is not None and _valid_birth_date(match):
        nepali = _NEPALI_DATE.match(text, position) if match.group("m4") else None
        if nepali is not None and nepali.end() > match.end("date"):
            return nepali.start(), nepali.end()
        return match.start("date"), match.end("date")
    for other in (_EAST_ASIAN_DATE, _VIETNAMESE_DATE, _SPACED_DOTTED_DATE):
        found = other.match(text, position)
        if found is not None and _valid_numeric_date(found):
            return found.start(), found.end()
    month_day = _EAST_ASIAN_MONTH_DAY.match(text, position)
    if month_day is not None and _valid_day(None, int(month_day.group("month")), int(month_day.group("day"))):
        return month_day.start(), month_day.end()
    tagalog = _TAGALOG_DATE.match(text, position)
    if tagalog is not None:
        month = BIRTH_MONTHS.get(fold(tagalog.group("month_name")))
        if month is not None and _valid_year_month_day(int(tagalog.group("year")), month,
                                                       int(tagalog.group("day"))):
            return tagalog.start(), tagalog.end()
    nepali = _NEPALI_DATE.match(text, position)
    if nepali is not None and 1900 <= int(nepali.group("year")) - _BIKRAM_SAMBAT_OFFSET <= date.today().year:
        return nepali.start(), nepali.end()
    numerals = east_asian_numeral_date(text, position)
    if numerals is not None and _valid_year_month_day(*numerals[2]):
        return numerals[0], numerals[1]
    return spelled_date_end(text, position)


def _date_after_cue(text: str, position: int, names_date: bool) -> tuple[int, int] | None:
    """The date a birth cue announces, across the answer label of a question ("Date of birth?
    A: ...") and, after a cue that names the date or an answer label, up to a few words that hold
    no digit and end no sentence ("es el", "mele e")."""
    answer = _ANSWER_AFTER_QUESTION.match(text, position)
    if answer is not None:
        position = answer.end()
    steps = _MAX_WORDS_BEFORE_DATE if names_date or answer is not None else 0
    for _ in range(steps + 1):
        found = _date_at(text, position)
        if found is not None:
            return found
        word = _WORD_BEFORE_DATE.match(text, position)
        if word is None or _NO_SPACE_SCRIPT.search(word.group("word")):
            return None  # Chinese and Japanese run a clause together: no word to step over
        position = word.end()
    return None


# A calendar marker later in the same sentence: "생일은 음력 3월 16일인데 서류에는 양력 4월 11일로".
_CALENDAR_LATER = re.compile(rf"[^.。!?！？\n]{{0,40}}?(?<![\w])(?={_CALENDAR_MARKER})")


def _same_date_again(text: str, end: int) -> tuple[int, int] | None:
    """The same birth date in another calendar or form, right after one ("(Nov. 4, 1986)"), or
    named by its calendar later in the sentence ("... 서류에는 양력 4월 11일")."""
    bridge = _OTHER_FORM_BRIDGE.match(text, end)
    if bridge is not None:
        return _date_at(text, bridge.end())
    later = _CALENDAR_LATER.match(text, end)
    return _date_at(text, later.end()) if later is not None else None


def find_birth_dates(text: str) -> Iterator[PatternMatch]:
    """Dates that the context marks as a date of birth, checked against the calendar."""
    for cue_pattern in (_DOB_CUE, _DOB_CUE_MORE):
        for cue in cue_pattern.finditer(text):
            names_date = _DATE_NOUN_CUE.search(text, cue.start(), cue.start("filler")) is not None
            found = _date_after_cue(text, cue.end(), names_date)
            if found is None:
                place = _PLACE_BEFORE_DATE.match(text, cue.end())
                if place is not None:
                    found = _date_at(text, place.end())
            if found is not None:
                start, end = found
                year_word = _YEAR_WORD_AFTER.match(text, end)
                end = year_word.end() if year_word else end
                yield PatternMatch(DOB, start, end, TIER_SPECIFIC)
                again = _same_date_again(text, end)
                if again is not None:
                    yield PatternMatch(DOB, *again, TIER_SPECIFIC)
    if text.isascii():
        return
    for east_asian in _EAST_ASIAN_DATE.finditer(text):
        if _EAST_ASIAN_BIRTH_AFTER.match(text, east_asian.end()) and _valid_numeric_date(east_asian):
            yield PatternMatch(DOB, east_asian.start(), east_asian.end(), TIER_SPECIFIC)  # "1990年5月3日出生"
    if _BIRTH_AFTER_TRIGGER.search(text):
        yield from _dates_before_birth_words(text)
    if "जन्म" in text:
        for nepali in _NEPALI_DATE.finditer(text):
            if _NEPALI_BORN_AFTER.match(text, nepali.end()):
                yield PatternMatch(DOB, nepali.start(), nepali.end(), TIER_SPECIFIC)


# A date set off after a name and closed by punctuation: "Ana Ruiz, 04.05.1990." (a chat answer),
# with the Tagalog particle of politeness between them ("Rhea Mae Cabahug po, Feb 2, 2013").
_AFTER_NAME = re.compile(r"[ \t]*(?:(?:po|ho)[ \t]*)?(?:[,，]|[(（])[ \t]*")
_CLOSED = re.compile(r"[ \t]*(?:[.。।,，;)）\n]|$)")
# A signature or a report is dated this year or lately: only an older year reads as a birth.
_MIN_AGE_AFTER_NAME = 8


def dates_after_names(text: str, names: Iterable[tuple[int, int]]) -> Iterator[PatternMatch]:
    """Full dates that follow a name after a comma, in a year long enough ago to be a birth year."""
    for _, end in names:
        separator = _AFTER_NAME.match(text, end)
        if separator is None:
            continue
        found = _date_at(text, separator.end())
        if found is None or not _CLOSED.match(text, found[1]):
            continue
        years = [int(number) for number in re.findall(r"\d{4}", text[found[0] : found[1]])]
        if years and _NEPALI_DATE.match(text, found[0]):
            years = [year - _BIKRAM_SAMBAT_OFFSET for year in years]  # a Bikram Sambat year
        if years and years[0] <= date.today().year - _MIN_AGE_AFTER_NAME:
            yield PatternMatch(DOB, *found, TIER_SPECIFIC)


def _dates_before_birth_words(text: str) -> Iterator[PatternMatch]:
    """Dates followed by words that make them a birth date ("12.09.2004 г.р.", "2009. 11. 3.생")."""
    for marker in _BIRTH_AFTER.finditer(text):
        window_start = max(0, marker.start() - 40)
        for position in range(window_start, marker.start()):
            previous = text[position - 1] if position > 0 else ""
            if previous.isalnum() and (previous.isascii() or previous.isdigit()
                                       or previous in "〇零一二三四五六七八九十"):
                continue
            found = _date_at(text, position)
            if found is not None and found[1] == marker.start():
                yield PatternMatch(DOB, found[0], found[1], TIER_SPECIFIC)
                break


_DATE_LOOK_BACK = 24
_WORD_START = re.compile(r"(?<![\w])\w")


def date_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole written date that [start, end) is a part of ("1999" of "7 nov. 1999", "02 tháng
    9 năm 2005" of "ngày 02 tháng 9 năm 2005"), with a calendar marker before it; the span
    itself when no date reaches over it."""
    best = (start, end)
    for word in _WORD_START.finditer(text, max(0, start - _DATE_LOOK_BACK), start + 1):
        found = _date_at(text, word.start())
        if found is not None and found[0] <= start < found[1]:
            best = (min(best[0], found[0]), max(best[1], found[1]))
            break
    return calendar_marker_start(text, best[0]), best[1]


def calendar_marker_start(text: str, start: int) -> int:
    """The start of a calendar marker written just before a date starting at start, else start."""
    marker = _CALENDAR_BEFORE.search(text, max(0, start - 8), start)
    return marker.start() if marker else start
