"""Arabic names: given names from a list with the family names after them, kunyas and nasabs
("أبو فيصل", "كريم بن عاشور"), and names after titles, roles and naming cues ("السيد", "المدعو").

Arabic has no capitals, so a name is read from a listed given name (also with a prefix glued on:
"وخالد", "لمنى") or from the word before it; the words after it are taken while they look like
the rest of a name: another listed name, "عبد" and the word it governs, a word with the article
("الخطيب"), or one further word that is not an ordinary word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.wordlists import ARABIC_COMMON_WORDS, ARABIC_GIVEN_NAMES, ARABIC_MORE_GIVEN_NAMES

_WORD = re.compile(r"[\u0621-\u064a\u064b-\u0652\u066e-\u06d3\u06fa-\u06ff]+")
_GIVEN = ARABIC_GIVEN_NAMES | ARABIC_MORE_GIVEN_NAMES
_COMMON = ARABIC_COMMON_WORDS
_PREFIXES = "وبلفك"
# Given names that are also ordinary words ("أمل" hope, "نور" light): names only beside a cue or a
# further part of the name.
_AMBIGUOUS = frozenset(fold(word) for word in "أمل نور هدى سعيد كريم جميل عادل حسن أمين فرح وفاء "
                       "صفاء حياة إيمان رحمة سلام منى علي عبد بن بنت أبو".split())
# Words after which a name follows: titles, roles, kin words and naming verbs.
_CUES = frozenset(fold(word) for word in (
    "السيد السيدة الأستاذ الأستاذة الاستاذ الاستاذة الحاج الحاجة الشيخ الدكتور الدكتورة د. المحامي "
    "المحامية الضابط الضابطة المدعو المدعوة يدعى تدعى يسمى تسمى اسمي اسمه اسمها اسمى المدير المديرة "
    "الوسيط الوسيطة المشرف المشرفة الكفيل الكفيلة جارتها جاره جارها جارته جارتي جاري صديقه صديقها "
    "صديقته صديقتها صديقتي صديقي زوجها زوجته زوجي زوجتي أخوه أخوها أخته أختها أخي أختي اخي اختي ابنه "
    "ابنها ابنته ابنتها ابني ابنتي كفيلها كفيله كفيلي شريكه شريكها زميله زميلها زميلتها زميلي زميلتي "
    "عائلة آل المترجم المترجمة المحقق المحققة القاضي القاضية الرقيب النقيب العقيد الملازم "
    # Kin that stand before a name without a colon: "الأخ رمضان", "والأب إيلي يزبك", "ابنها ميران".
    "الأخ الأخت الأب والأب والأخ زميلتها زميلته صاحبتها صاحبته ابنها ابنه ابنتها بنتها بنته ابنتي "
    "عمها عمه عمتها خالها خاله خالتها جدتها جدها").split())
# Roles after which a word is a name only when it is a listed given name or stands in apposition
# ("الشاف ديالنا خيسوس شدّ", "السمسار زوّج بنتين" is a verb after the broker).
_WEAK_CUES = frozenset(fold(word) for word in (
    "مساعده مساعدها الشاف شاف المهرب مهرب المهربة سمسار السمسار الموظف الموظفة صاحبه صاحبها").split())
# Words for a person that are not names ("المتصل: شاب سوداني").
_PERSON_NOUNS = frozenset(fold(word) for word in (
    "شاب شابة رجل امرأة سيدة فتاة طفل طفلة ولد بنت سيد").split())
# Form labels after which a name follows ("المتصلة: ناكاتو غريس", "العاملة الاجتماعية: رنا",
# "استقبلت المكالمة: هديل"): names only with the colon, since the words are ordinary without it.
_LABEL_CUES = frozenset(fold(word) for word in (
    "الحالة المكالمة الاجتماعية الاجتماعي الشهرة الخط المتصلة المتصل الناجية الناجي الضحية المستفيدة "
    "المستفيد الأخصائية الأخصائي الاسم الكامل المعالجة المعالج المرشدة المرشد المحامية المحامي "
    "الموظفة الموظف المشتكية المشتكي الشاكية الشاكي المبلغة المبلغ client").split())
# Words that may stand between a kin word and the name: "ابنها الصغير، ميران".
_BETWEEN_CUE_AND_NAME = frozenset(fold(word) for word in (
    "الصغير الصغيرة الكبير الكبيرة الأكبر الأصغر الوحيد الوحيدة ديالنا ديالي أول").split())
# Verbs and phrases that introduce a nickname in quotes: "يلقّبونه "الأسمر"", "باسم "الحاج صبحي"".
_NICKNAME_CUE = re.compile(
    r"(?:يلقبونه|يلقبونها|يلقّبونه|يلقّبونها|يلقب|يُلقب|الملقب|الملقبة|ينادى|يُنادى|ينادونه|ينادونها|ينادين"
    r"|ينادون|يسمونه|يسمونها|كيعيطو[ \t]+ليه|كيعيطو[ \t]+ليها|باسم|اسمه|اسمها|لقبه|لقبها|تُدعى|يُدعى|تدعى"
    r"|يدعى|المعروف[ \t]+باسم|المعروفة[ \t]+باسم)"
    r"(?:[ \t]+بعضهن|[ \t]+بعضهم)?[ \t]*[:：]?[ \t]*[\"“«]([^\"”»\n]{1,25})[\"”»]"
    r"(?:[ \t]*و[ \t]*[\"“«]([^\"”»\n]{1,25})[\"”»])?"
)
_NAMING_WORDS = frozenset(fold(word) for word in "اسمه اسمها يدعى تدعى يُدعى تُدعى المدعو المدعوة".split())
# Initials used as a name: "ن.ع.", "ش.م.".
_INITIALS = re.compile(r"(?<![\u0621-\u064a])(?:[\u0621-\u064a]\.[ \t]?){2,3}")
_KUNYA = frozenset(fold(word) for word in "أبو ابو أم ام".split())
_NASAB = frozenset(fold(word) for word in "بن بنت ابن".split())


def _key(word: str) -> str:
    return fold(word)


def _listed(word: str) -> tuple[bool, int]:
    """Whether the word is a listed given name, and the length of a prefix glued to it ("وخالد")."""
    key = _key(word)
    if key in _GIVEN:
        return True, 0
    if len(key) > 3 and key[0] in _PREFIXES and key[1:] in _GIVEN:
        return True, 1
    return False, 0


def is_ordinary_arabic_word(word: str) -> bool:
    """True for a listed ordinary word ("كيف", "على"), also with a prefix glued on."""
    return _is_ordinary(word)


def _is_ordinary(word: str) -> bool:
    key = _key(word)
    return key in _COMMON or (len(key) > 3 and key[0] in _PREFIXES and key[1:] in _COMMON)


def _continuation_end(words: list[re.Match[str]], index: int, text: str) -> int:
    """Index after the last word that continues the name starting at words[index]."""
    end = index + 1
    taken_plain = False
    while end < len(words) and end - index < 4:
        gap = text[words[end - 1].end() : words[end].start()]
        if gap.strip(" \t"):
            break  # punctuation ends a name
        word = words[end].group()
        key = _key(word)
        if _is_ordinary(word):
            break
        if key in _NASAB or key == fold("عبد"):
            if end + 1 < len(words) and not _is_ordinary(words[end + 1].group()):
                end += 2
                continue
            break
        if _listed(word)[0] and _listed(word)[1] == 0:
            end += 1
        elif key.startswith("ال") and len(key) > 3:
            end += 1
        elif not taken_plain:
            taken_plain = True  # one family name without the article: "ليلى حداد"
            end += 1
        else:
            break
    return end


def find_arabic_names(text: str) -> Iterator[PatternMatch]:
    """Arabic names (see the module docstring)."""
    for nickname in _NICKNAME_CUE.finditer(text):
        for group in (1, 2):
            if nickname.group(group):
                yield PatternMatch(PERSON, nickname.start(group), nickname.end(group), TIER_CUE)
    for initials in _INITIALS.finditer(text):
        yield PatternMatch(PERSON, initials.start(), initials.start() + len(initials.group().rstrip()),
                           TIER_CUE)
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group()
        key = _key(word)
        start = match.start()
        if key in _KUNYA or key in _NASAB:
            if index + 1 < len(words) and not _is_ordinary(words[index + 1].group()) and not _key(
                words[index + 1].group()
            ).startswith("ال"):
                if not text[match.end() : words[index + 1].start()].strip(" \t"):
                    end_index = _continuation_end(words, index + 1, text)
                    if key in _NASAB and index > 0 and not _is_ordinary(words[index - 1].group()) and not (
                        text[words[index - 1].end() : start].strip(" \t")
                    ) and _key(words[index - 1].group()) not in _CUES:
                        start = words[index - 1].start()  # "كريم بن عاشور"
                    yield PatternMatch(PERSON, start, words[end_index - 1].end(), TIER_CUE)
            continue
        label = key in _LABEL_CUES and re.match(r"[ \t]*[:：]", text[match.end() :]) is not None
        if (key in _CUES or key in _WEAK_CUES or label) and index + 1 < len(words):
            next_index = index + 1
            while (next_index + 1 < len(words) and _key(words[next_index].group()) in _BETWEEN_CUE_AND_NAME
                   and re.match(r"[ \t]*[،,]", text[words[next_index].end() :])):
                next_index += 1  # "ابنها الصغير، ميران"
            following = words[next_index]
            if text[words[next_index - 1].end() : following.start()].strip(" \t،,:") or _is_ordinary(
                following.group()
            ) or _key(following.group()) in _CUES or _key(following.group()) in _NAMING_WORDS or len(
                following.group()
            ) < 2 or text[following.end() : following.end() + 1] == "." or _key(following.group()) in (
                _PERSON_NOUNS
            ):
                continue  # "مهرّب اسمه ...", "الأخصائية: ن.ع." (initials are read on their own)
            if key in _WEAK_CUES and not label and not _listed(following.group())[0] and not re.match(
                r"[ \t]*[،,(]", text[following.end() :]
            ):
                continue
            index = next_index - 1
            end_index = _continuation_end(words, index + 1, text)
            yield PatternMatch(PERSON, following.start(), words[end_index - 1].end(), TIER_CUE)
            continue
        listed, prefix = _listed(word)
        if not listed:
            continue
        end_index = _continuation_end(words, index, text)
        if key[prefix:] in _AMBIGUOUS and end_index == index + 1:
            continue
        yield PatternMatch(PERSON, start + prefix, words[end_index - 1].end(), TIER_CUE)
