"""Chinese, Korean and Vietnamese names: family names from lists, read only with a cue.

Chinese and Korean have no capitals and no spaces between a name and what follows, so a name is
taken only after a naming cue ("我叫", "제 이름은"), before a term of address ("先生", "씨"), or as
a short run of these characters inside text in another script ("Client Kim (김수진)"). A word
that merely opens with a family-name character ("签证", "法院") is never taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.wordlists import (
    CHINESE_SURNAMES,
    CJK_PROTECTED_WORDS,
    KOREAN_SURNAMES,
    VIETNAMESE_SURNAMES,
)
from nlp.scripts import LATIN, dominant_script

PROTECTED_WORDS = CJK_PROTECTED_WORDS
_COMPOUND_CHINESE = tuple(sorted((name for name in CHINESE_SURNAMES if len(name) > 1), key=len,
                                 reverse=True))
_COMPOUND_KOREAN = tuple(sorted((name for name in KOREAN_SURNAMES if len(name) > 1), key=len,
                                reverse=True))

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\uac00-\ud7af"
# Characters that end a Chinese name taken after a cue: function words and common verbs.
_CHINESE_STOPS = frozenset("的了是在和与跟给被把对向说让找去来到从也都就还又很这那他她我你们今年住"
                           "岁歲有没沒要想会會能为為于於但而及或")

# Naming cues in Chinese. Strong ones are followed by a name of any origin ("我叫玛丽亚");
# after the plain verb 叫 ("中介叫黄志强") the name must open with a family name.
_CHINESE_STRONG_CUE = re.compile(
    r"(?:我叫|他叫|她叫|名叫|叫做|名字叫|名字是|名字为|名字為|姓名[:：]?[ \t]*|化名|真名是?|本名是?)"
)
# After the verb 叫 or a word for a person ("老板李建国") the name must open with a family name.
_CHINESE_WEAK_CUE = re.compile(
    r"叫|老板|老闆|中介|丈夫|妻子|老公|老婆|朋友|男朋友|女朋友|哥哥|姐姐|弟弟|妹妹|表哥|表姐|表妹|表弟"
    r"|经理|經理|雇主|蛇头|蛇頭|房东|房東|同事|邻居|鄰居|客户|客戶|证人|證人|律师|律師|社工"
)
_CHINESE_FAMILY_NAME_CUE = re.compile(r"姓")
_CHINESE_ADDRESS_TERM = re.compile(
    r"先生|女士|小姐|太太|老板|老闆|经理|經理|阿姨|师傅|師傅|老师|老師|大哥|大姐|律师|律師|医生|醫生"
)

# Korean: cues before the name, terms of address after it, and endings glued to the name.
_KOREAN_STRONG_CUE = re.compile(
    r"(?:제[ \t]*이름은|내[ \t]*이름은|이름은|이름이|이름[:：]|성함은|성함[:：])[ \t]*"
)
_KOREAN_WEAK_CUE = re.compile(r"(?:저는|나는|제가|본인은)[ \t]*")
_KOREAN_ADDRESS_TERM = re.compile(
    rf"(?<![{_HANGUL}])(?P<name>[{_HANGUL}]{{1,4}}?)[ \t]?"
    r"(?:씨|님|선생님|사장님|사장|언니|오빠|누나|형님|이모|아저씨|아줌마|할머니|할아버지)"
    rf"(?![{_HANGUL}]{{2}}[ \t]|[{_HANGUL}]{{0,1}}(?:님|씨))"
)

# Vietnamese: a kinship word of address or a naming phrase before a capitalised name.
_VIETNAMESE_UPPER = "A-ZĐÀ-ỸẠ-Ỹ"
_VIETNAMESE_NAME_WORD = rf"[{_VIETNAMESE_UPPER}A-ZÀ-ÖØ-Þ][^\W\d_]*"
_VIETNAMESE_CUE = re.compile(
    r"(?<![\w])(?:(?i:tên[ \t]+(?:của[ \t]+)?(?:tôi|em|chị|anh|mình|cô[ \t]+ấy|anh[ \t]+ấy|chị[ \t]+ấy)"
    r"[ \t]+là|tên[ \t]+là|tôi[ \t]+tên[ \t]+là|tôi[ \t]+tên|tôi[ \t]+là|em[ \t]+là|gọi[ \t]+là)"
    r"|[Cc]hị|[Aa]nh|[Ee]m|[Bb]à|[Ôô]ng|[Cc]ô|[Cc]hú|[Bb]ác|[Dd]ì|[Cc]ậu|[Cc]háu|[Bb]ạn)[ \t]+"
    rf"(?P<name>{_VIETNAMESE_NAME_WORD}(?:[ \t]+{_VIETNAMESE_NAME_WORD}){{0,3}})"
)
_VIETNAMESE_FULL_NAME = re.compile(
    rf"(?<![\w])(?P<name>{_VIETNAMESE_NAME_WORD}(?:[ \t]+{_VIETNAMESE_NAME_WORD}){{2,3}})(?![\w])"
)
# Letters found only in Vietnamese: a text with several of them is Vietnamese, where "em" and "anh"
# are words of address (in Portuguese "em" is "in").
_VIETNAMESE_LETTERS = re.compile("[ăơưđĂƠƯĐ\u1ea0-\u1ef9]")
# A run of Chinese or Korean letters standing alone in text of another script.
_LONE_RUN = re.compile(rf"(?<![{_HAN}{_HANGUL}])(?:[{_HAN}]{{2,4}}|[{_HANGUL}]{{2,4}})(?![{_HAN}{_HANGUL}])")


def _chinese_surname_length(text: str, position: int) -> int:
    """Length of the Chinese family name at position (2 for 欧阳), or 0 when there is none."""
    for compound in _COMPOUND_CHINESE:
        if text.startswith(compound, position):
            return len(compound)
    return 1 if text[position : position + 1] in CHINESE_SURNAMES else 0


def _korean_surname_length(text: str, position: int) -> int:
    """Length of the Korean family name at position (2 for 남궁), or 0 when there is none."""
    for compound in _COMPOUND_KOREAN:
        if text.startswith(compound, position):
            return len(compound)
    return 1 if text[position : position + 1] in KOREAN_SURNAMES else 0


def _is_protected(text: str, start: int, end: int) -> bool:
    """True when the span is, or opens, a word that is never a name ("签证", "법원")."""
    span = text[start:end]
    return any(span.startswith(word) or word.startswith(span) for word in PROTECTED_WORDS
               if word[:1] == span[:1])


def _han_run_end(text: str, position: int) -> int:
    """End of the run of Han characters starting at position."""
    end = position
    while end < len(text) and "\u3400" <= text[end] <= "\u9fff":
        end += 1
    return end


def _chinese_name_after(text: str, position: int, need_surname: bool) -> tuple[int, int] | None:
    """The Chinese name starting at position: the whole short run, or family name + two."""
    while position < len(text) and text[position] in " \t:：":
        position += 1
    run_end = _han_run_end(text, position)
    if run_end - position < 2:
        return None
    surname = _chinese_surname_length(text, position)
    if need_surname and not surname:
        return None
    if run_end - position <= 4 and text[run_end - 1] not in _CHINESE_STOPS:
        end = run_end
    else:
        end = position + max(surname, 1) + 2
        while end > position + 2 and text[end - 1] in _CHINESE_STOPS:
            end -= 1
        if text[position + max(surname, 1)] in _CHINESE_STOPS:
            return None
    end = min(end, run_end)
    if end - position < 2 or _is_protected(text, position, end):
        return None
    return position, end


def _chinese_names(text: str) -> Iterator[PatternMatch]:
    """Chinese names after a naming cue, a family name after 姓, and names before 先生 or 女士."""
    for cue, need_surname in ((_CHINESE_STRONG_CUE, False), (_CHINESE_WEAK_CUE, True)):
        for match in cue.finditer(text):
            found = _chinese_name_after(text, match.end(), need_surname)
            if found is not None:
                yield PatternMatch(PERSON, *found, TIER_CUE)
    for match in _CHINESE_FAMILY_NAME_CUE.finditer(text):
        length = _chinese_surname_length(text, match.end())
        if length:
            yield PatternMatch(PERSON, match.end(), match.end() + length, TIER_CUE)
    for match in _CHINESE_ADDRESS_TERM.finditer(text):
        end = match.start()
        for length in (3, 2, 1):
            start = end - length
            if start < 0:
                continue
            candidate = text[start:end]
            if not all("\u3400" <= char <= "\u9fff" for char in candidate):
                continue
            if not _chinese_surname_length(text, start) or any(
                char in _CHINESE_STOPS for char in candidate
            ):
                continue
            if not _is_protected(text, start, end):
                yield PatternMatch(PERSON, start, end, TIER_CUE)
            break


def _korean_name_at(text: str, position: int, need_surname: bool) -> tuple[int, int] | None:
    """A Korean name opening the word at position: family name and two syllables."""
    end = position
    while end < len(text) and "\uac00" <= text[end] <= "\ud7af":
        end += 1
    if end - position < 2:
        return None
    surname = _korean_surname_length(text, position)
    if need_surname and not surname:
        return None
    length = min(end - position, max(surname, 1) + 2) if surname else end - position
    if not surname:
        length = _without_korean_ending(text[position:end])
    if length < 2 or _is_protected(text, position, position + length):
        return None
    return position, position + length


_KOREAN_ENDINGS = ("입니다", "이에요", "예요", "이라고", "라고", "이고", "이며", "이다", "은", "는",
                   "이", "가", "을", "를", "의", "와", "과", "도", "에게", "씨", "님")


def _without_korean_ending(word: str) -> int:
    """Length of a word without the copula or particle glued to it ("마리아입니다" -> 3)."""
    for ending in _KOREAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return len(word) - len(ending)
    return len(word)


def _korean_names(text: str) -> Iterator[PatternMatch]:
    """Korean names after a naming cue and before a term of address (씨, 님, 사장님)."""
    for cue, need_surname in ((_KOREAN_STRONG_CUE, False), (_KOREAN_WEAK_CUE, True)):
        for match in cue.finditer(text):
            found = _korean_name_at(text, match.end(), need_surname)
            if found is not None:
                yield PatternMatch(PERSON, *found, TIER_CUE)
    for match in _KOREAN_ADDRESS_TERM.finditer(text):
        start, end = match.start("name"), match.end("name")
        if not _korean_surname_length(text, start) or _is_protected(text, start, end):
            continue
        yield PatternMatch(PERSON, start, end, TIER_CUE)


def _vietnamese_names(text: str) -> Iterator[PatternMatch]:
    """Vietnamese names after a word of address or a naming phrase, and full names from the list."""
    for match in _VIETNAMESE_CUE.finditer(text):
        yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)
    for match in _VIETNAMESE_FULL_NAME.finditer(text):
        words = match.group("name").split()
        if words[0] in VIETNAMESE_SURNAMES:
            yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)


def _lone_runs(text: str) -> Iterator[PatternMatch]:
    """A short run of Chinese or Korean in text of another script that opens with a family name."""
    for match in _LONE_RUN.finditer(text):
        start, end = match.start(), match.end()
        run = match.group()
        surname = (_chinese_surname_length(text, start) if run[0] >= "\u3400" and run[0] <= "\u9fff"
                   else _korean_surname_length(text, start))
        if surname and not _is_protected(text, start, end):
            yield PatternMatch(PERSON, start, end, TIER_CUE)


def find_east_asian_names(text: str) -> Iterator[PatternMatch]:
    """Chinese, Korean and Vietnamese names that a cue, a term of address or a family name marks."""
    has_han = any("\u3400" <= char <= "\u9fff" for char in text)
    has_hangul = any("\uac00" <= char <= "\ud7af" for char in text)
    if has_han:
        yield from _chinese_names(text)
    if has_hangul:
        yield from _korean_names(text)
    if (has_han or has_hangul) and dominant_script(text) == LATIN:
        yield from _lone_runs(text)
    if not text.isascii() and len(_VIETNAMESE_LETTERS.findall(text)) >= 4:
        yield from _vietnamese_names(text)



