"""Chinese, Korean and Vietnamese names: family names from lists, read only with a cue.

Chinese and Korean have no capitals and no spaces between a name and what follows, so a name is
taken only after a naming cue ("我叫", "제 이름은"), before a term of address ("先生", "씨"), or as
a short run of these characters inside text in another script ("Client Kim (김수진)"). A word
that merely opens with a family-name character ("签证", "法院") is never taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.name_words import is_never_a_name
from nlp.pii.wordlists import (
    CHINESE_SURNAMES,
    CJK_PROTECTED_WORDS,
    KOREAN_SURNAMES,
    LEGAL_AND_AGENCY_WORDS,
    NON_PERSON_SUFFIXES,
    PLACE_NAMES,
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
# Capital letters of Vietnamese only (a range such as "À-Ỹ" would take lower-case letters too).
_VIETNAMESE_UPPER = "A-ZĐÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯ" + "".join(
    chr(code) for code in range(0x1EA0, 0x1EF9, 2))
VIETNAMESE_NAME_WORD = rf"[{_VIETNAMESE_UPPER}][^\W\d_]*"
_VIETNAMESE_CUE = re.compile(
    r"(?<![\w])(?:(?i:tên[ \t]+(?:của[ \t]+)?(?:tôi|em|chị|anh|mình|cô[ \t]+ấy|anh[ \t]+ấy|chị[ \t]+ấy)"
    r"[ \t]+là|tên[ \t]+là|tôi[ \t]+tên[ \t]+là|(?:tôi|em|chị|anh|mình|cháu|con)[ \t]+tên"
    r"|tôi[ \t]+là|em[ \t]+là"
    r"|gọi[ \t]+là)"
    r"|[Cc]hị|[Aa]nh|[Ee]m|[Bb]à|[Ôô]ng|[Cc]ô|[Cc]hú|[Bb]ác|[Dd]ì|[Cc]ậu|[Cc]háu|[Bb]ạn)[ \t]+"
    rf"(?P<name>{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}})"
)
_VIETNAMESE_FULL_NAME = re.compile(
    rf"(?<![\w])(?P<name>{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{2,3}})(?![\w])"
)
# Letters found only in Vietnamese: a text with several of them is Vietnamese, where "em" and "anh"
# are words of address (in Portuguese "em" is "in"). "ă" is left out: Romanian writes it too.
_VIETNAMESE_LETTERS = re.compile("[ơưđƠƯĐ\u1ea0-\u1ef9]")


def is_vietnamese_text(text: str) -> bool:
    """True when the text holds several letters that only Vietnamese writes."""
    return not text.isascii() and len(_VIETNAMESE_LETTERS.findall(text)) >= 4
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


# Korean roles and relations before a name, with a colon in forms ("내담자: 스레이 닉", "남편
# 이상훈(52세)", "통역상담원 쓰레이", "선원 아구스 프라세티오(Agus Prasetyo)"). The name is a native
# one opening with a family name, or a foreign one of one to four words that brackets, a comma, a
# particle, "씨" or the end of the line close.
_KOREAN_ROLE = re.compile(
    rf"(?<![{_HANGUL}])[{_HANGUL}]{{0,4}}(?:내담자|대상자|피해자|진술인|성명|상담자|상담원|담당자|가해자|피고인"
    r"|피의자|신고자|작성자|작성|의뢰인|보호자|통역사|통역|사회복지사|변호사|선원|선장|갑판장|남편|아내|부인"
    r"|시어머니|시아버지|시누이|시동생|언니|오빠|누나|형|동생|여동생|남동생|친구|동료|사장|마담|매니저|브로커"
    r"|이모|삼촌|고모|실장|팀장|반장|업주|주인|여성|남성|청소년|학생|미스터|미스|Mr\.|Ms\.)"
)
# The role word alone, and what separates it from the name (a colon in forms).
_KOREAN_ROLE_SEPARATOR = re.compile(r"[ \t]*[:：]?[ \t]+")
_KOREAN_ROLE_WORD = re.compile(_KOREAN_ROLE.pattern + "$")
_KOREAN_NAME_CLOSE = re.compile(
    r"[\"”'’]?(?:[ \t]*[(（,，|:\n]|[ \t]*$|(?:이|가|은|는|을|를|의|과|와|에게|한테|도|이라는|라는"
    r"|이라고|라고|씨|님|입니다|이다)(?![가-힣])|[ \t]+씨(?![가-힣]))"
)
_KOREAN_PERSON_AFTER = re.compile(
    r"[\"”'’]?(?:[ \t]*[(（][ \t]*(?:[A-Z][a-zß-ÿ]|[A-Z]{2,}[ \t]+[A-Z][a-zß-ÿ]|여|남|\d{1,2}[ \t]*(?:세|살))"
    r"|[ \t]*,[ \t]*\d{1,2}[ \t]*(?:세|살)"
    r"|[ \t]*(?:씨|님)(?![가-힣]{2}))"
)
_KOREAN_AGE_AFTER = re.compile(r"[ \t]*[(（,][ \t]*\d{1,2}[ \t]*(?:세|살)")
_KOREAN_FOREIGN_NAME = re.compile(rf"[{_HANGUL}]{{1,6}}(?:[ \t][{_HANGUL}]{{1,6}}){{0,3}}")
# Words of letters only, each in capitals or capitalised, and some lower case: "(E-6-2)" is a visa
# class, "(EDNY)" and "(CalVCB)" are agencies.
_LATIN_NAME_IN_BRACKETS = re.compile(
    r"[ \t]*[(（][ \t]*(?P<name>(?:[A-ZÀ-Þ][a-zß-ÿ]+|[A-ZÀ-Þ]{2,})"
    r"(?:[ \t]+(?:[A-ZÀ-Þ][a-zß-ÿ]+|[A-ZÀ-Þ]{2,})){0,4})[ \t]*[)）,]"
)
# Nicknames: "별명 '표범'", "'수아야'라고", "\"코코\", \"뽀삐\"라고 부름", "Mommy Rose 라고 불러요".
_KOREAN_NICKNAME_CUE = re.compile(r"(?:별명|가명|본명|닉네임|애칭|호칭)[ \t]*[:：은는이]?[ \t]*[\"“'‘]")
_KOREAN_CALLED = re.compile(
    r"[\"“'‘](?P<name>[^\"”'’\n]{1,12}?)(?:야|아)?[\"”'’][ \t]*(?:이)?"
    r"(?:라는|라고[ \t]*(?:불|부르|부름)|로[ \t]*불)"
    r"|(?P<bare>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*)?|[가-힣]{2,4}?)[ \t]*(?:이)?라고[ \t]*(?:불|부르)"
)
_KOREAN_PLACE_BEFORE = re.compile(
    r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주"
    rf"|[{_HANGUL}]+(?:시|도|군|특별시|광역시))[ \t]+$"
)
_KOREAN_ADMINISTRATIVE_END = ("구", "군", "시", "도", "읍", "면", "동")
# Syllables that end a word as a particle of place or object, not as the end of a name.
_KOREAN_PLACE_PARTICLES = ("에", "로", "의", "를", "을", "와", "과", "에서")


def _korean_role_names(text: str) -> Iterator[PatternMatch]:
    """Names after a role or relation word (see _KOREAN_ROLE)."""
    for match in _KOREAN_ROLE.finditer(text):
        separator = _KOREAN_ROLE_SEPARATOR.match(text, match.end())
        if separator is None:
            continue
        position = separator.end()
        if text[position : position + 1] in ("\"", "“", "'", "‘"):
            # A short quoted name, not a quoted saying ("가해자 \"돈 없다\"며").
            closing = re.match(r".([^\"”'’\n]{1,10})[\"”'’]", text[position:])
            if closing is not None and not re.search(r"[다요까죠네며고서지]$", closing.group(1)):
                yield PatternMatch(PERSON, position + 1, position + closing.end(1), TIER_CUE)
            continue
        latin = re.match(r"[A-Z][a-zà-ỹ'’-]+(?:[ \t][A-Z][a-zà-ỹ'’-]+){0,2}", text[position:])
        if latin is not None and _KOREAN_NAME_CLOSE.match(text, position + latin.end()):
            yield PatternMatch(PERSON, position, position + latin.end(), TIER_CUE)  # "언니 Hằng에게"
            continue
        run = _KOREAN_FOREIGN_NAME.match(text, position)
        if run is None:
            continue
        words = run.group().split()
        if _KOREAN_ROLE_WORD.match(words[0]):
            continue  # "동료 선원 안디": the next role word is read on its own
        # Shorten the run until what follows closes a name: "스레이 닉 (여" -> "스레이 닉".
        while words:
            found = _korean_role_name_end(text, position, " ".join(words), len(words) == 1)
            if found is not None:
                if found > position:
                    yield PatternMatch(PERSON, position, found, TIER_CUE)
                break
            words.pop()


def _korean_role_name_end(text: str, position: int, candidate: str, single: bool) -> int | None:
    """Where the name after a role ends (position itself when the words are not a name), or None
    when what follows does not close a name. The candidate is tried whole, then without a particle."""
    bases = [candidate]
    if single:
        bases += [candidate[: -len(particle)] for particle in ("이라는", "라는", *_KOREAN_PARTICLES)
                  if candidate.endswith(particle) and len(candidate) - len(particle) >= 2]
    for base in bases:
        if not _KOREAN_NAME_CLOSE.match(text, position + len(base)) or _is_protected_word(base):
            continue
        if any(base.startswith(word) for word in _KOREAN_TITLE_WORDS if len(word) > 1):
            return position  # "업주 조카라는 사람": a kin word, not a name
        surname = _korean_surname_length(base, 0)
        # "주거지(피해자 거주지)": a bracket after a native name must mark a person.
        native = single and surname and surname + 1 <= len(base) <= surname + 2 and not re.match(
            r"[ \t]*[(（]", text[position + len(base) :])
        # A foreign name, or several words, only with what marks a person after it: a bracket with
        # the name in Latin letters, the sex or the age ("(Agus Prasetyo)", "(여, 21세)", "(52세)"),
        # or "씨" ("레 티 홍 씨"); several words need more than an age ("아이 둘(6살, 3살)").
        marked = _KOREAN_PERSON_AFTER.match(text, position + len(base)) is not None and (
            single or _KOREAN_AGE_AFTER.match(text, position + len(base)) is None
        )
        if (native or marked) and base not in _KOREAN_TITLE_WORDS and not base.endswith(
            _KOREAN_ADMINISTRATIVE_END[:3]
        ):
            return position + len(base)
        return position
    return None


def _is_protected_word(span: str) -> bool:
    """True when the span is a protected word or the start of one (a name after a role may open
    like one: "이상훈" opens like "이상")."""
    return any(word.startswith(span) for word in PROTECTED_WORDS if word[:1] == span[:1])


def _korean_bracketed_names(text: str) -> Iterator[PatternMatch]:
    """A Latin name in brackets after a Hangul one: "콩 소피아(KONG Sophea)", "안디(Andi)"."""
    for match in _LATIN_NAME_IN_BRACKETS.finditer(text):
        latin = match.group("name")
        if latin.isupper() or any(fold(word) in PLACE_NAMES or fold(word) in NON_PERSON_SUFFIXES
                                  or fold(word) in LEGAL_AND_AGENCY_WORDS for word in latin.split()):
            continue  # an acronym, a place or an agency: "(EDNY)", "(LA County)"
        before = re.search(rf"([{_HANGUL}]{{1,6}}(?:[ \t][{_HANGUL}]{{1,6}}){{0,3}})[ \t]*$",
                           text[max(0, match.start() - 30) : match.start()])
        if before is None:
            continue
        start = match.start() - len(before.group())
        words = before.group(1).split()
        # Only as many Hangul words as the Latin name has ("여성 뻔니파 숙깨오(...)" keeps "여성").
        latin_words = match.group("name").split()
        words = words[-len(latin_words):]
        hangul = " ".join(words)
        hangul_start = match.start() - len(before.group()) + before.group().rfind(hangul)
        if _is_protected(text, hangul_start, hangul_start + len(hangul)):
            continue
        yield PatternMatch(PERSON, hangul_start, hangul_start + len(hangul), TIER_CUE)
        yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)
        del start


# The first of two nicknames called together: "\"코코\", \"뽀삐\"라고 부름".
_KOREAN_FIRST_OF_CALLED = re.compile(
    r"[\"“]([^\"”\n]{1,10})[\"”][ \t]*,[ \t]*(?=[\"“][^\"”\n]{1,10}[\"”][ \t]*(?:이)?라고)"
)


def _korean_nicknames(text: str) -> Iterator[PatternMatch]:
    """Nicknames after "별명" and before "라고 불리는" ("'곰'이라고 불리는", "\"코코\"라고 부름")."""
    for match in _KOREAN_NICKNAME_CUE.finditer(text):
        closing = re.match(r"([^\"”'’\n]{1,20})[\"”'’]", text[match.end() :])
        if closing is not None:
            yield PatternMatch(PERSON, match.end(), match.end() + closing.end(1), TIER_CUE)
    for match in _KOREAN_CALLED.finditer(text):
        group = "name" if match.group("name") is not None else "bare"
        name = match.group(group)
        if name in _KOREAN_TITLE_WORDS or name in PROTECTED_WORDS:
            continue
        yield PatternMatch(PERSON, match.start(group), match.end(group), TIER_CUE)
    for quoted in _KOREAN_FIRST_OF_CALLED.finditer(text):
        yield PatternMatch(PERSON, quoted.start(1), quoted.end(1), TIER_CUE)  # "코코", "뽀삐"라고


def _korean_names(text: str) -> Iterator[PatternMatch]:
    """Korean names after a naming cue and before a term of address (씨, 님, 사장님)."""
    yield from _korean_role_names(text)
    yield from _korean_bracketed_names(text)
    yield from _korean_nicknames(text)
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


_VIETNAMESE_RUN = re.compile(
    rf"(?<![\w]){VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}}(?![\w])"
)
# First words of agencies, institutions and places ("Công an", "Bộ Lao động", "Tỉnh Nghệ An").
_VIETNAMESE_INSTITUTION_HEADS = frozenset(
    "bo so toa cong canh dai uy vien benh trung hoi to phong cuc chi nha truong ngan quan huyen tinh "
    "thanh phuong xa duong pho song nui ho bien cho cau khu lang ap thon chua phat troi tet dang "
    "quoc mat hai luat dieu khoan chuong nghi quyet thong tram don ban vung mien chau cua "
    "san ben tong lien".split()
)
# Words before a capitalised run that make it a place or part of an agency's or a law's name: "ở",
# "tại", "sang" (to a country), the units of administration, "dân tộc" (ethnic group), "Bộ luật".
_VIETNAMESE_PLACE_BEFORE = re.compile(
    r"(?<![\w])(?i:ở|tại|sang|bay[ \t]+(?:về|đến|tới|sang|qua)|quê|quê[ \t]+ở|quê[ \t]+quán|huyện|quận"
    r"|tỉnh|thành[ \t]+phố|tp\.?"
    r"|thị[ \t]+xã|thị[ \t]+trấn|xã|phường|thôn|bản|ấp|làng|dân[ \t]+tộc|tộc|người|cửa[ \t]+khẩu"
    r"|sân[ \t]+bay|bến[ \t]+xe|chợ|luật|đường|phố|khu|vùng|miền|nước|châu|đảo|sông|núi|biển|tiếng"
    r"|giọng|đồn|trại|trạm|nhà[ \t]+máy|công[ \t]+ty|trường|bệnh[ \t]+viện)[ \t]+$"
)


def _vietnamese_key(text: str) -> str:
    """Folded form with "đ" as "d", as the place list writes it ("Đài Loan" -> "dai loan")."""
    return fold(text).replace("đ", "d")


# Syllables that are never part of a person's name but are of an agency's ("Luật", "Cục", "Sở").
_VIETNAMESE_AGENCY_WORDS = frozenset("luat cuc so bo toa hoi uy".split())
# An agency's name with lower-case words after its head: "Sở Lao động Tân Bắc", "Bộ luật Hình sự".
_VIETNAMESE_AGENCY_PHRASE_BEFORE = re.compile(
    rf"(?<![\w])(?P<head>{VIETNAMESE_NAME_WORD})(?:[ \t]+[a-zđà-ỹ]+){{1,3}}[ \t]+$"
)


def is_vietnamese_place_or_agency(text: str, start: int, end: int) -> bool:
    """True when a capitalised Vietnamese run is a place or part of an agency's or a law's name."""
    words = text[start:end].split()
    if not words or _vietnamese_key(words[0]) in _VIETNAMESE_INSTITUTION_HEADS:
        return True
    if any(_vietnamese_key(word) in _VIETNAMESE_AGENCY_WORDS for word in words[1:]):
        return True  # "Đoàn Luật sư" (the bar association; Đoàn is also a family name)
    if any(_vietnamese_key(" ".join(words[index:])) in PLACE_NAMES for index in range(len(words))):
        return True
    before = text[max(0, start - 40) : start]
    if _VIETNAMESE_PLACE_BEFORE.search(before[-16:]):
        return True
    agency = _VIETNAMESE_AGENCY_PHRASE_BEFORE.search(before)
    if agency is not None and re.match(r"(?i:luật[ \t]+sư|bác[ \t]+sĩ)[ \t]+$", agency.group()):
        return False  # "Luật sư Vi Thu Hà": a lawyer, then her name
    return agency is not None and _vietnamese_key(agency.group("head")) in _VIETNAMESE_INSTITUTION_HEADS


def _vietnamese_capitalised_runs(text: str) -> Iterator[PatternMatch]:
    """Capitalised Vietnamese words inside a sentence that are not places or agencies ("với Tuấn")."""
    for match in _VIETNAMESE_RUN.finditer(text):
        words = list(re.finditer(r"\S+", match.group()))
        start = match.start()
        before = text[:start].rstrip(" \t")
        if not before or before[-1] in ".!?:;\n,\"“(-":
            if before and before[-1] == ",":
                pass  # after a comma a capital is not a sentence opening
            else:
                words = words[1:]  # the first word opens the sentence
        if not words:
            continue
        run_start, run_end = start + words[0].start(), start + words[-1].end()
        run = text[run_start:run_end]
        if run.isascii() or is_vietnamese_place_or_agency(text, run_start, run_end):
            continue  # "huyện Đồng Văn", "ở Móng Cái", "dân tộc Mông", "Bộ luật Hình sự"
        yield PatternMatch(PERSON, run_start, run_end, TIER_CUE)


def _vietnamese_names(text: str) -> Iterator[PatternMatch]:
    """Vietnamese names after a word of address or a naming phrase, and full names from the list."""
    yield from _vietnamese_capitalised_runs(text)
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
    found: list[PatternMatch] = []
    if has_han:
        found.extend(_chinese_names(text))
        found.extend(_chinese_positional_names(text))
        found.extend(_chinese_nicknames(text))
    if has_hangul:
        found.extend(_korean_names(text))
        found.extend(_korean_word_names(text))
    yield from found
    yield from _every_mention(text, found)
    if (has_han or has_hangul) and dominant_script(text) == LATIN:
        yield from _lone_runs(text)
    if is_vietnamese_text(text):
        yield from _vietnamese_names(text)





# ---- Reading names from their position, without a naming cue ------------------------------------
# Chinese: a family name and one or two characters where a person is likely to stand: after a
# word that introduces a person ("和", "被", "让", a role or kin word), or at a clause start when a
# verb or a term of address follows. Words that merely begin with a family-name character, or in
# which it is the second character ("对方", "警方"), are on the protected list.
_CHINESE_BEFORE_PERSON = frozenset("叫名姓是和跟被让给找对向与及、趁把经由替帮请问同等将逼带")
_CHINESE_PERSON_WORDS = re.compile(
    r"(?:老板|老闆|老板娘|中介|丈夫|妻子|老公|老婆|朋友|男朋友|女朋友|哥哥|姐姐|弟弟|妹妹|表哥|表姐|表妹"
    r"|表弟|堂哥|堂姐|堂妹|堂弟|女儿|儿子|女兒|兒子|母亲|父亲|妈妈|爸爸|婆婆|公公|舅舅|叔叔|阿姨|姑姑"
    r"|经理|經理|雇主|蛇头|蛇頭|房东|房東|同事|同乡|同鄉|邻居|鄰居|客户|客戶|证人|證人|律师|律師|社工"
    r"|警官|警察|主管|工头|工頭|司机|司機|老乡|老鄉|前夫|前妻|男友|女友|室友|同学|同學|介绍人|担保人"
    r"|当事人|受害人|嫌疑人|犯罪嫌疑人|法官|医生|醫生|翻译|翻譯|店主|业主|老师|老師)$"
)
_CHINESE_AFTER_PERSON = frozenset(
    "说告打逼带让给的把被在每经常也都就还不没要会已曾对跟向帮叫从今住是和与及等们来去到骗强威拿扣收"
    "用开将于又才却并便则同替为请拒哭问回走跑逃找一以因所被看听想觉认知怕恨答应骂关锁卖借欠当做"
)
_CHINESE_TERMS_AFTER_NAME = re.compile(
    r"先生|女士|小姐|太太|老板娘|老板|老闆|经理|經理|阿姨|师傅|師傅|警官|律师|律師|医生|醫生|老师|老師"
    r"|大哥|大姐|姐姐|哥哥|主任|姐|哥|叔|婶|伯|总"
)
_CHINESE_NICKNAME = re.compile(rf"(?:小|阿)[{_HAN}]|老(?=[{_HAN}])")
_CHINESE_QUOTED_NICKNAME = re.compile(
    r"(?:外号|绰号|綽號|外號|叫|称|稱|人称|叫做|名叫)[ \t]*[“「\"‘]([^”」\"’\n]{1,6})[”」\"’]"
)
_CHINESE_NOT_NICKNAMES = frozenset(
    "小时 小時 小孩 小心 小姐 小区 小學 小学 小费 小店 小组 小說 小说 小吃 小朋 小伙 小狗 小事 小镇 小偷 "
    "小额 小型 小便 小女 小男 小包 小屋 小姑 小的 小于 小於 小城 小票 小卖 小腿 小手 小声 小数 小麦 "
    "阿姨 阿拉 阿富 阿根 阿尔 阿联 阿婆 阿公 阿嬷 阿妈 阿爸 阿伯 阿叔 阿哥 阿姐 阿弟 阿妹 阿Q".split()
)
# Elder-kin words said after a family name or a given name: "刘姐", "强哥", "福叔", "秦姨", "万太太".
_CHINESE_KINSHIP_NICKNAME = re.compile(
    rf"(?:(?<![A-Za-z])(?P<latin>[A-Z][a-z]{{1,12}})|[{_HAN}])(?:太太|哥|姐|叔|姨|嫂|婶|嬸)(?![哥姐叔姨嫂婶嬸夫])"
)
# Kin and role words of the same shape that name nobody.
_CHINESE_NOT_KINSHIP_NICKNAMES = frozenset(
    "大哥 大姐 大叔 大姨 大嫂 大婶 表哥 表姐 表叔 表嫂 堂哥 堂姐 堂叔 师哥 师姐 学姐 空姐 帅哥 小姐 小姨 "
    "老哥 老姐 老太太 阿姨 阿哥 阿姐 阿叔 阿嫂 二哥 二姐 三哥 三姐 姐姐 哥哥 叔叔 大嬸 舅舅 舅姨 姑姨 "
    "老板太太 大太太 他太太 你太太 我太太 的太太 其太太 邻居太太".split()
)
_PROTECTED_PATTERN_CACHE: list[re.Pattern[str]] = []


def _protected_pattern() -> re.Pattern[str]:
    """One pattern finding every protected word, overlapping ones included."""
    if not _PROTECTED_PATTERN_CACHE:
        words = sorted(PROTECTED_WORDS, key=len, reverse=True)
        _PROTECTED_PATTERN_CACHE.append(
            re.compile("(?=(" + "|".join(re.escape(word) for word in words) + "))"))
    return _PROTECTED_PATTERN_CACHE[0]


def _inside_protected(text: str) -> set[int]:
    """Positions that lie inside a protected word but do not open it ("方" in "对方")."""
    inside: set[int] = set()
    for match in _protected_pattern().finditer(text):
        inside.update(range(match.start() + 1, match.start() + len(match.group(1))))
    return inside


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _person_likely_before(text: str, position: int) -> bool:
    """True after a word that introduces a person: "和", "被", a role or kin word ("老板")."""
    if position == 0:
        return False
    if text[position - 1] in _CHINESE_BEFORE_PERSON:
        return True
    return _CHINESE_PERSON_WORDS.search(text[max(0, position - 6) : position]) is not None


def _chinese_positional_names(text: str) -> Iterator[PatternMatch]:
    """Family name + one or two characters where a person is likely to stand (see above)."""
    inside = _inside_protected(text)
    for position, char in enumerate(text):
        if not _is_han(char) or position in inside:
            continue
        surname = _chinese_surname_length(text, position)
        if not surname:
            continue
        before_ok = _person_likely_before(text, position)
        at_clause_start = position == 0 or not _is_han(text[position - 1])
        term = _CHINESE_TERMS_AFTER_NAME.match(text, position + surname)
        if not (before_ok or at_clause_start) and (term is None or len(term.group()) < 2):
            continue
        if term is not None:
            yield PatternMatch(PERSON, position, term.end(), TIER_CUE)  # "张先生", "汪阿姨"
            continue
        given_start = position + surname
        end = given_start
        while end < len(text) and end - given_start < 2 and _is_han(text[end]) and (
            text[end] not in _CHINESE_STOPS
        ):
            end += 1
        if end == given_start:
            continue
        if end - given_start == 2 and text[end - 1] in _CHINESE_AFTER_PERSON and (
            end >= len(text) or not _is_han(text[end]) or text[end] in _CHINESE_AFTER_PERSON
        ) is False:
            end -= 1  # "孔秋把" never: the second given character is a verb before a non-verb
        following = text[end : end + 1]
        after_ok = (not following or not _is_han(following) or following in _CHINESE_AFTER_PERSON
                    or _CHINESE_TERMS_AFTER_NAME.match(text, end) is not None)
        if not before_ok and not after_ok:
            continue
        if not after_ok and end - given_start == 1:
            continue
        if _is_protected(text, position, end) or any(
            index in inside for index in range(position, end)
        ):
            continue
        yield PatternMatch(PERSON, position, end, TIER_CUE)


def _chinese_nicknames(text: str) -> Iterator[PatternMatch]:
    """小X, 阿X and 老 + family name ("小芳", "阿强", "老王"), and quoted nicknames after 外号."""
    for match in _CHINESE_NICKNAME.finditer(text):
        start = match.start()
        if text.startswith("老", start):
            if not _chinese_surname_length(text, start + 1):
                continue
            end = start + 1 + _chinese_surname_length(text, start + 1)
        else:
            end = match.end()
        if text[start:end] in _CHINESE_NOT_NICKNAMES or _is_protected(text, start, end):
            continue
        if text[end - 1] in _CHINESE_STOPS:
            continue
        if start > 0 and text[start - 1] in "个一很太最多大更较這这那个個些":
            continue
        following = text[end : end + 1]
        if following and _is_han(following) and following not in _CHINESE_AFTER_PERSON and (
            _CHINESE_TERMS_AFTER_NAME.match(text, end) is None
        ):
            continue
        yield PatternMatch(PERSON, start, end, TIER_CUE)
    for match in _CHINESE_QUOTED_NICKNAME.finditer(text):
        yield PatternMatch(PERSON, match.start(1), match.end(1), TIER_CUE)
    yield from _chinese_kinship_nicknames(text)


def _chinese_kinship_nicknames(text: str) -> Iterator[PatternMatch]:
    """A family name, a quoted given name or a Latin name before an elder-kin word ("刘姐", "王哥",
    "张太太", “芳姐”, "Lisa姐"): how Chinese speakers call a boss, an agent or a neighbour."""
    for match in _CHINESE_KINSHIP_NICKNAME.finditer(text):
        start, end = match.start(), match.end()
        if match.group("latin") is not None:
            if not is_never_a_name(match.group("latin")):
                yield PatternMatch(PERSON, start, end, TIER_CUE)
            continue
        if text[start:end] in _CHINESE_NOT_KINSHIP_NICKNAMES:
            continue
        quoted = start > 0 and text[start - 1] in "“「\"‘" and text[end : end + 1] in "”」\"’"
        if quoted or _chinese_surname_length(text, start) == 1:
            yield PatternMatch(PERSON, start, end, TIER_CUE)


def _every_mention(text: str, found: list[PatternMatch]) -> Iterator[PatternMatch]:
    """Every other occurrence of a Chinese or Korean name found once ("孔秋菊 ... 孔秋菊每天")."""
    names = {text[match.start : match.end] for match in found if match.end - match.start >= 2}
    for name in names:
        if not all(_is_han(char) or "\uac00" <= char <= "\ud7af" for char in name):
            continue
        position = text.find(name)
        while position != -1:
            yield PatternMatch(PERSON, position, position + len(name), TIER_CUE)
            position = text.find(name, position + 1)


# Korean: a word of a family name and one or two syllables, bare or with a particle glued on
# ("윤태식이", "유선영과"), is a name unless it is a listed common word.
_KOREAN_WORD = re.compile(rf"[{_HANGUL}]+")
_KOREAN_PARTICLES = tuple(sorted(
    ("은 는 이 가 을 를 에게 한테 의 씨 님 와 과 하고 도 이라고 라고 이에요 예요 입니다 이고 이며 께서 "
     "에게서 한테서 랑 이랑 만 이나 나 에 에서 로 으로 까지 부터 처럼 보다 이었다 였다 이야 야 아 이다 "
     "씨가 씨는 씨를 씨의 씨에게 씨한테 씨와 님이 님은 님께 님한테 님의 이랑은 라는 이라는 이가").split(),
    key=len, reverse=True))
# Syllables that end verbs and adjectives, not names ("신고해", "도와줘").
_KOREAN_VERB_ENDINGS = frozenset(
    "다 요 고 서 며 면 니 까 죠 네 게 해 했 할 된 될 던 든 어 워 줘 쳐 려 져 냐 자".split())
_KOREAN_TITLES = re.compile(
    r"[ \t]?(?:사장님|사장|팀장님|팀장|실장님|실장|과장님|과장|부장님|부장|선생님|변호사님|변호사|경찰관"
    r"|언니|오빠|누나|형님|이모|삼촌|아저씨|아줌마|여사님|여사|씨|님)(?![가-힣]{3})"
)


def _korean_word_names(text: str) -> Iterator[PatternMatch]:
    """Korean names read from the shape of a word and the particles and titles around it."""
    for match in _KOREAN_WORD.finditer(text):
        word, start = match.group(), match.start()
        if _KOREAN_PLACE_BEFORE.search(text[max(0, start - 12) : start]):
            continue  # "서울 마포구", "전남 신안군", "서울 강남의": a place after a place
        if word.endswith(("북도", "남도", "광역시", "특별시", "특별자치시", "특별자치도")):
            continue
        title = _KOREAN_TITLES.match(text, match.end())
        bases = [word]
        bases.extend(word[: -len(particle)] for particle in _KOREAN_PARTICLES
                     if word.endswith(particle) and len(word) > len(particle))
        for base in bases:
            surname = _korean_surname_length(base, 0)
            length = len(base)
            if title is not None and base == word and 1 <= length <= 4:
                # Any word before a title or 씨/님: a bare family name keeps its title ("황 사장").
                if word in PROTECTED_WORDS or word in _KOREAN_TITLE_WORDS:
                    break
                end = title.end() if length == surname else match.end()
                yield PatternMatch(PERSON, start, end, TIER_CUE)
                break
            if not surname or not surname + 1 <= length <= surname + 2:
                continue
            if length == surname + 1 and base == word:
                continue  # two syllables alone ("한국", "정말"): too often a common word
            if base.endswith("으") and word.endswith("으로"):
                continue  # "명목으로": the particle "으로", not a name ending in "으"
            if base == word and length == surname + 2 and word.endswith(_KOREAN_PLACE_PARTICLES):
                continue  # "연길에", "강남의": a two-syllable place and a particle
            if base[-1] in _KOREAN_VERB_ENDINGS or _is_protected(text, start, start + length):
                continue
            if any(base.startswith(word) for word in PROTECTED_WORDS if word[:1] == base[:1]):
                continue
            if length == surname + 1 and not word.endswith(("씨", "님", "씨가", "씨는", "이가", "이는",
                                                            "이를", "이와", "이의", "에게", "한테")):
                continue  # a two-syllable stem needs a particle that only people take
            yield PatternMatch(PERSON, start, start + length, TIER_CUE)
            break


_KOREAN_TITLE_WORDS = frozenset(
    "그 이 저 우리 제 내 네 그분 이분 저분 사장 업주 변호사 담당 친구 동료 옆집 회사 가게 식당 농장 "
    "손님 고객 선배 후배 어느 한 두 세 그런 어떤 모든 다른 같은 부부 조카 엄마 아빠 부모 가족 남편 아내 "
    "아들 딸 동생 언니 오빠 누나 형 아이 아이들 사람 직원 업소 진술서 진술 신청서 보상 가해자 피해자".split()
)
