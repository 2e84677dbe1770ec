"""Russian and Ukrainian names read from capital letters.

Cyrillic writes only proper nouns with a capital inside a sentence (months, weekdays, languages and
nationalities are lower case), so a capitalised word there is a name unless it is a listed place,
agency or other proper noun. A capitalised word that opens a sentence is a name only when it looks
like one: a listed given name in any case, a surname ending (-ов, -енко, -ська), a patronymic, or a
word followed by another capitalised word ("Тимур Абдуллаев"). Runs of two or three capitalised
words are one name; initials ("А. П. Петров") go with the surname.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.wordlists import (
    CYRILLIC_GIVEN_NAMES,
    CYRILLIC_PLACE_STEMS,
    CYRILLIC_PROPER_NOUN_STEMS,
)

_UPPER = "А-ЯЁІЇЄҐ"
_LOWER = "а-яёіїєґ"
_WORD = re.compile(
    rf"(?<![\w'’ʼ-])[{_UPPER}{_LOWER}][{_LOWER}{_UPPER}'’ʼ]*(?:-[{_UPPER}{_LOWER}][{_LOWER}'’ʼ]+)*"
)
_INITIAL = re.compile(rf"(?<![\w])[{_UPPER}]\.[ \t]?(?:[{_UPPER}]\.[ \t]?)?$")
# Case endings a stem of the place and proper-noun lists may take ("Москв" + "е").
# Folded like the stems they follow ("ої" folds to "оі", "ий" to "ии").
_ENDINGS = frozenset(fold(ending) for ending in (
    "а я у ю е є и і ї ы о ь ой ей ом ем ою ею ам ям ах ях ами ями ого ому ую ая ий ый ій ої ов ев "
    "ів ью ья ье ьи ию ия ии ией ія ії ією ію ке ки ка ку ой ом его ему ем им их"
).split()) | {""}
_SURNAME_ENDING = re.compile(
    r"(?:ов|ев|ёв|єв|ин|ын|ская|ский|цкий|цкая|ськ|ський|цький|ська|цька|енко|чук|щук|ук|юк|як|ишин"
    r"|швили|дзе|ян|янц|ич|ко|ых|их)"
    r"(?:а|у|ым|ом|ой|ой|е|ы|их|ым|ою|ій|ого|ому|ім|ої|ій|ою|ую|ей|і)?$"
)
# Written for words as written and as folded ("й" folds to "и"): "Маратовны", "Ількович".
_PATRONYMIC_ENDING = re.compile(
    r"(?:(?:ович|евич|євич|[йи]ович|ьович)(?:а|у|ем|ом|і|еві|ові|е)?"
    r"|(?:овн|евн|івн|ївн|ичн|інічн)(?:а|ы|е|і|у|о[йи]|ою|и))$"
)
# Words in lower case that, right before a capitalised word, make it a place ("в Бруклине").
_PLACE_PREPOSITIONS = frozenset("в во у из із з зі под під над через около біля возле поблизу".split())
# Sentence-opening words with a surname ending that are ordinary words ("Потом", "Один", "Внук").
_COMMON_OPENERS = frozenset(fold(word) for word in (
    "потом один одна одни одно готов каков таков внук звук всяк як так также також как коли когда "
    "мужчин магазин машин причин ничего много немного вечером утром днем днём никого ничого кого "
    "того этого цього його него неё нього ней їй ему йому им їм их їх они вони мы ми вы ви я он она "
    "воно оно это це то та те там тут здесь тоже теж еще ещё вже уже сейчас зараз после після перед "
    "потім тоді тогда иногда інколи часто всегда завжди никогда ніколи сегодня сьогодні вчера вчора "
    "завтра позже пізніше сначала спочатку затем далее далі поэтому тому почему чому затем однако "
    "проте але но и і а или або да нет ні так також ось вот вон спасибо дякую привет привіт мой моя "
    "мои мій моя мої его её їх наш наша наши ваш ваша ваши свой своя свои свій своя свої клиент "
    "клієнт клиентка клієнтка волонтёр волонтер консультант консультантка адвокат адвокатка "
    "следователь слідчий полиция поліція бригадир менеджер коллега колега рекрутер заметка "
    "нотатка опис описание телефон адрес адреса дата имя ім'я фамилия прізвище отчество по-батькові "
    "муж чоловік жена дружина брат сестра сын син дочь донька мать мати отец батько хозяин "
    "господар начальник работодатель роботодавець друг подруга знакомый знайомий знакомая знайома "
    "дядя дядько тётя тітка бабушка бабуся дедушка дідусь сосед сусід соседка сусідка пани пані пан "
    "господин госпожа помощник помічник власник владелец сутенёр сутенер вербовщик вербувальник "
    "разом вместе вместо замість также жінки женщины мужчины люди все всі каждый кожен каждая кожна "
    "вітаю здравствуйте здравствуй добрий добрый шановна шановний уважаемая уважаемый дорогая дорогой "
    "дорога дорогий прошу пожалуйста будь пока бувай целую обнимаю "
    "нужна нужен нужно потрібна потрібен потрібно нам им їм ей їй ему мне мені нас вас ваше наше моё "
    "твоё своё тема гражданин гражданка громадянин громадянка".split()
))


def _matches_stem(word: str, stems: frozenset[str]) -> bool:
    """True when the word is a listed stem followed by a case ending ("Харкові" for "Харків")."""
    key = fold(word)
    for cut in range(0, min(4, len(key) - 1)):
        stem, ending = key[: len(key) - cut], key[len(key) - cut :]
        if stem in stems and ending in _ENDINGS:
            return True
    return False


def is_cyrillic_place_or_institution(word: str) -> bool:
    """True for a listed place, agency or other proper noun that is not a person ("Москве", "Бог")."""
    if "-" in word and all(_matches_stem(part, CYRILLIC_PLACE_STEMS) for part in word.split("-")):
        return True
    return _matches_stem(word, CYRILLIC_PLACE_STEMS) or _matches_stem(
        word, CYRILLIC_PROPER_NOUN_STEMS)


_GIVEN_STEMS = frozenset(
    name[:-1] for name in CYRILLIC_GIVEN_NAMES if name[-1:] in ("а", "я", "и", "ь", "о", "и")
) | CYRILLIC_GIVEN_NAMES


def is_cyrillic_given_name(word: str) -> bool:
    """True for a listed given name in any case ("Богдана", "Тарасе", "Марії")."""
    key = fold(word)
    if key in CYRILLIC_GIVEN_NAMES:
        return True
    return any(key[:-cut] in _GIVEN_STEMS and key[-cut:] in _ENDINGS for cut in (1, 2, 3)
               if len(key) - cut >= 2)


def is_common_cyrillic_word(word: str) -> bool:
    """True for an ordinary word that often opens a sentence ("Жена", "Потом", "Коллега")."""
    return fold(word) in _COMMON_OPENERS


def looks_like_cyrillic_name(word: str) -> bool:
    """True for a word shaped like a name: a listed given name, a surname ending or a patronymic."""
    key = fold(word)
    if key in _COMMON_OPENERS or len(key) < 3:
        return False
    if is_cyrillic_given_name(word):
        return True
    return len(key) >= 5 and bool(_SURNAME_ENDING.search(key) or _PATRONYMIC_ENDING.search(key))


def _opens_sentence(text: str, position: int) -> bool:
    """True when only spaces, quotes or a list mark separate position from a sentence start."""
    before = text[:position].rstrip(" \t\"“„«(-–—•*")
    return not before or before[-1] in ".!?:;\n…"


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def find_cyrillic_names(text: str) -> Iterator[PatternMatch]:
    """Capitalised Cyrillic words and runs that are names (see the module docstring)."""
    words = list(_WORD.finditer(text))
    index = 0
    while index < len(words):
        match = words[index]
        word = match.group()
        if not _is_capitalised(word):
            index += 1
            continue
        # The run of capitalised words (up to three) separated only by spaces.
        run = [match]
        while len(run) < 3 and index + len(run) < len(words):
            following = words[index + len(run)]
            gap = text[run[-1].end() : following.start()]
            if gap.strip(" \t") or not _is_capitalised(following.group()):
                break
            run.append(following)
        index += len(run)
        while run and (fold(run[0].group()) in _FUNCTION_WORDS or re.match(
                rf"[{_UPPER}]-", run[0].group())):
            run.pop(0)  # "«Про протидію...»", "Т-визе": not names
        run = [part for part in run if sum(char.isupper() for char in part.group()) < 2]
        if not run:
            continue  # "СПб", "МВД": abbreviations
        if is_named_as_place(text, run[0].start(), run[-1].end()):
            continue
        if len(run) == 1 and _is_label(text, run[0].group(), run[0].end()):
            continue
        places = [is_cyrillic_place_or_institution(part.group()) for part in run]
        names = [part for part, place in zip(run, places, strict=True) if not place]
        if len(names) != len(run):
            # A place or agency inside the run: keep only the name-shaped words beside it, not the
            # adjective or the place that belongs to the agency ("Кыргызской Республики", "Суд
            # Кишинэу").
            for position, part in enumerate(run):
                if places[position] or _belongs_to_institution(run, places, position):
                    continue
                if looks_like_cyrillic_name(part.group()) or not _opens_sentence(text, part.start()):
                    if not _after_place_preposition(text, part.start()):
                        yield PatternMatch(PERSON, part.start(), part.end(), TIER_CUE)
            continue
        start, end = run[0].start(), run[-1].end()
        first = run[0].group()
        if _after_place_preposition(text, start) and not any(
            looks_like_cyrillic_name(part.group()) for part in run
        ):
            continue  # "в Бруклине": an unlisted place
        if _opens_sentence(text, start):
            if len(run) == 1:
                if fold(first) in _COMMON_OPENERS or not looks_like_cyrillic_name(first):
                    continue
                if re.match(r"[ \t]*:", text[end : end + 2]):
                    continue  # a form label or a chat speaker: "Волонтёр:"
            elif fold(first) in _COMMON_OPENERS:
                start = run[1].start()  # "Коллега Никита Зуев": the opener is an ordinary word
        initials = _INITIAL.search(text[max(0, start - 8) : start])
        if initials is not None:
            start -= len(initials.group())  # "А. П. Петров"
        yield PatternMatch(PERSON, start, end, TIER_CUE)


# Place nouns and their abbreviations before a name of a place ("г. Тамбов", "м. Біла Церква", "село
# Кетросы", "станции метро «Лівобережна»", "в графстві Монаган", "Суд Кишинэу").
_PLACE_NOUN_BEFORE = re.compile(
    r"(?:^|(?<![\w]))(?:(?<![0-9][ \t])(?:г|м|с|пос|смт|обл|р-н|ул|вул|пр|просп|пер|пл|ст|наб|бул)\."
    r"|(?:город|міст|сел|селищ|деревн|станци|станці|метро|вокзал|район|област|облас|край|кра[юяї]"
    r"|республик|улиц|вулиц|проспект|площ|аэропорт|аеропорт|графств|штат|провинци|провінці|округ"
    r"|регион|регіон|аул|хутор|пос[её]л|кишлак|курорт|микрорайон|мікрорайон|квартал|громад|здани"
    r"|будівл|больниц|лікарн)[а-яёіїєґ]{0,4})"
    r"[ \t]*[«\"„“]?[ \t]*$"
)
# Agencies before the place they serve ("Суд Кишинэу", "посольства Молдовы"); before a person's
# name they are a rank or a service ("капітан поліції Мирослава Дорош"), so the run must not look
# like a name.
_AGENCY_NOUN_BEFORE = re.compile(
    r"(?<![\w])(?:суд|посольств|консульств|прокуратур|полици|поліці)[а-яёіїєґ]{0,4}[ \t]*[«\"„“]?[ \t]*$"
)
# Nouns after a place or agency name ("Ленинскому району", "Челябинской обл.", "Павелецком вокзале",
# "Шевченківський районний суд", "Кыргызской Республики").
_PLACE_NOUN_AFTER = re.compile(
    r"[»\"”]?[ \t]+(?i:район|районн|област|обл\.|облас|край|краев|крайов|республик|вокзал|аэропорт"
    r"|аеропорт|суд|міськ|городск|улиц|вулиц|станц|метро|университет|університет|больниц|лікарн"
    r"|управлен|управлін|отдел|відділ|департамент|округ|губерни|федераци|сельсовет|сільрад"
    r"|громад|муниципал|муніципал|уезд|волост|провинци|провінці|штат)"
)
# Form labels whose value is a place: "Звідки: Краматорськ", "Место рождения: Ош".
_PLACE_LABEL_BEFORE = re.compile(
    r"(?i:звідки|откуда|место[ \t]+рождения|місце[ \t]+народження|гражданство|громадянство|адрес"
    r"|адреса|город|місто|регион|регіон|область|страна|країна|родом[ \t]+из|родом[ \t]+з)"
    r"[ \t]*[:—-][ \t]*$"
)
# Function words that open a title or a quotation ("«Про протидію торгівлі людьми»").
_FUNCTION_WORDS = frozenset(fold(word) for word in (
    "про о об обо на за по для від от до из із з с со у в во к ко без під под над при через між "
    "между перед після после як как що что це это".split()
))


def is_named_as_place(text: str, start: int, end: int) -> bool:
    """True when the words around a capitalised Cyrillic run make it a place or an agency, unless
    the run is a full name ("сусід по селу Роман Ількович Бойчук")."""
    words = _WORD.findall(text, start, end)
    if any(_PATRONYMIC_ENDING.search(fold(word)) for word in words):
        return False
    before = text[max(0, start - 30) : start]
    if _AGENCY_NOUN_BEFORE.search(before):
        return not any(looks_like_cyrillic_name(word) for word in words)
    if _PLACE_NOUN_BEFORE.search(before) or _PLACE_LABEL_BEFORE.search(before):
        return not (len(words) > 1 and is_cyrillic_given_name(words[0]))
    return _PLACE_NOUN_AFTER.match(text, end) is not None


_ADJECTIVE_ENDING = re.compile(
    r"(?:ск|цк|ськ|цьк|н|ов|ев|ин|ьк)(?:ий|ый|ой|ая|ое|ого|ому|ом|ую|ым|ых|ими|ыми|ій|а|е|ої|ім|у|і|ої|ою)$"
)


def _belongs_to_institution(run: list[re.Match[str]], places: list[bool], position: int) -> bool:
    """True for a word beside an agency or place in a run: its adjective or its seat."""
    word = run[position].group()
    if is_cyrillic_given_name(word) or _PATRONYMIC_ENDING.search(fold(word)):
        return False
    after = position + 1 < len(run) and places[position + 1]
    if after and _ADJECTIVE_ENDING.search(word.lower()):
        return True
    # The seat of an agency written after it ("Суд Кишинэу"); after a city a name may follow.
    return position > 0 and _matches_stem(run[position - 1].group(), CYRILLIC_PROPER_NOUN_STEMS) and (
        not looks_like_cyrillic_name(word))


def _is_label(text: str, word: str, end: int) -> bool:
    """True for a form label ("Возраст: 31"); a name before a colon is a chat speaker ("Кира:")."""
    return bool(re.match(r"[ \t]*:", text[end : end + 2])) and not looks_like_cyrillic_name(word)


def _after_place_preposition(text: str, start: int) -> bool:
    """True when a preposition of place stands right before start ("в", "из", "під")."""
    before = re.search(rf"(?<![\w])([{_UPPER}{_LOWER}]+)[ \t]+$", text[max(0, start - 12) : start])
    return before is not None and before.group(1).lower() in _PLACE_PREPOSITIONS
