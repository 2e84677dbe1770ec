"""Names found through the cues of every language of the network: naming phrases, greetings and
sign-offs, nicknames in any case, Russian and Ukrainian names and patronymics, and names in
Devanagari and Arabic script (which have no capitals, so only a cue marks them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import DEVANAGARI_WORD, PERSON, TIER_CUE, TIER_SPECIFIC, PatternMatch
from nlp.pii.name_words import MODE_ANY, MODE_CAPITALISED, TITLE, WORD, take_name
from nlp.pii.names_arabic import find_arabic_names, is_ordinary_arabic_word
from nlp.pii.names_cyrillic import find_cyrillic_names, is_common_cyrillic_word
from nlp.pii.names_nepali import find_nepali_names
from nlp.pii.wordlists import (
    ARABIC_GIVEN_NAMES,
    CYRILLIC_GIVEN_NAMES,
    LEGAL_AND_AGENCY_WORDS,
    NATIONALITY_WORDS,
    NEPALI_FAMILY_NAMES,
    PLACE_NAMES,
    ROLE_WORDS,
    ROMANIAN_FUNCTION_WORDS,
    STOP_WORDS,
)

_CYRILLIC_STEMS = frozenset(
    name[:-1] for name in CYRILLIC_GIVEN_NAMES if name[-1] in "аяиьо"
) | CYRILLIC_GIVEN_NAMES

# Naming phrases of Latin-script languages, after which a capitalised name follows.
_LATIN_CUE = re.compile(
    r"(?<![\w])(?i:ang[ \t]+pangalan[ \t]+(?:ko|niya|nila|niyo|mo)[ \t]+ay|pangalan[ \t]+ko[ \t]+ay"
    r"|ako[ \t]+si|niyang[ \t]+si|nilang[ \t]+si|kong[ \t]+si"
    r"|mwen[ \t]+rele|li[ \t]+rele|yo[ \t]+rele[ \t]+(?:l|li)|non[ \t]+(?:mwen|li)[ \t]+se|ki[ \t]+rele"
    r"|numele[ \t]+(?:meu|ei|lui|său|sau)[ \t]+(?:este|e)|m[ăa][ \t]+numesc|se[ \t]+nume[șşs]te"
    r"|se[ \t]+numea|pe[ \t]+nume|domnul|doamna|doamn[ăa]|domni[șs]oara|domnule|dna\.?|d-na|dl\.|d-l"
    r"|lui|sunt|prietena[ \t]+mea|prietenul[ \t]+meu"
    r"|v[ăa]r(?:ul)?(?:[ \t]+meu)?,?|verișoara|verisoara"
    r"|me[ \t]+llamo|mi[ \t]+nombre[ \t]+es|je[ \t]+m['’]appelle|il[ \t]+s['’]appelle"
    r"|elle[ \t]+s['’]appelle|(?:o[ \t]+)?meu[ \t]+nome[ \t]+[ée]|me[ \t]+chamo|chamo-me"
    r"|my[ \t]+name[ \t]+is)[ \t]*,?[ \t]+"
    # Tagalog person markers, in lower case only ("Kay" is also an English name).
    r"|(?<![\w])(?:sina|si|ni|kay|kina|Si|Sina)[ \t]+"
)
# Cues after which a nickname may be written in lower case ("calls him güero", "zis bebe").
_NICKNAME_CUE = re.compile(
    r"(?<![\w])(?i:calls?[ \t]+(?:him|her|me|them)|called[ \t]+(?:him|her|me|them)"
    r"|(?:everyone|everybody|they|people|we)[ \t]+call(?:s|ed)?|zis[ăa]?|poreclit[ăa]?"
    r"|tinatawag[ \t]+(?:siyang|siya|nilang|na)|tawag[ \t]+sa[ \t]+kanya(?:[ \t]+ay)?|alyas"
    r"|yo[ \t]+rele[ \t]+(?:l|li)|ti[ \t]+non[ \t]+li)"
    r"[ \t]*[:,]?[ \t]*"
)
# Verbs that give someone's name, after which the name may be in lower case, as in a transcribed
# voice message: Romanian "o cheamă georgiana", "îl cheamă florin", "îl strigă bebe", Portuguese
# "chamam-me Mingota", "o nome dele é marcos", "é a janaína" is left out (too common a shape).
_NAMING_VERB_ANY_CASE = re.compile(
    r"(?<![\w-])(?i:(?:o|[îi]l|m[ăa]|te|pe[ \t]+care[ \t]+(?:o|[îi]l))[ \t]+(?:chea?m[ăa]|strig[ăa])"
    r"|cham(?:am|avam)-(?:me|lhe|no|na)|(?:o|seu|cujo)[ \t]+nome(?:[ \t]+(?:dele|dela))?[ \t]+[ée]"
    r"|(?:ela|ele)[ \t]+se[ \t]+chama)"
    r"[ \t]*[:,]?[ \t]+"
)
_MAX_NAME_WORDS_ANY_CASE = 4
# A writer naming herself in a chat, where names are often in lower case: "its me joy",
# "c'est moi fanta", "sou eu bianca", "sunt eu nela", "se mwen tamara", "ako si jun", "tên em là
# hoa", "em la tuan day" (Vietnamese without its marks needs the closing "đây"). One word is taken.
_SELF_NAMING = re.compile(
    r"(?<![\w'’])(?i:it['’]?s[ \t]+me|it[ \t]+is[ \t]+me|c['’]?est[ \t]+moi|sou[ \t]+eu"
    r"|soy[ \t]+yo|sunt[ \t]+eu|se[ \t]+mwen|ako[ \t]+si|ako[ \t]+po[ \t]+si"
    r"|t[êe]n[ \t]+(?:t[ôo]i|em|con|ch[áa]u|m[ìi]nh)[ \t]+l[àa]|t[êe]n[ \t]+(?:(?:n[óo]|h[ắa]n)[ \t]+)?l[àa])"
    r"[ \t]*[:,]?[ \t]+"
    r"|(?<![\w'’])(?i:em|con|ch[ịi]|anh)[ \t]+l[àa][ \t]+(?=[^\W\d_]+[ \t]+(?i:đây|day)(?![\w]))"
)
# Chat words after "its me" that are no one's name (laughter, "again", kin).
_CHAT_NOT_NAMES = frozenset(
    "again agai hehe haha hahaha jaja jajaja kkk lol lmao ulit nanay tatay ate kuya mama papa lai "
    "din rin po naman".split()
)
# A lower-case first name alone after a chat sign-off, at the end of its line: "bjs bianca",
# "besos, vale", "xoxo mimi", "pupici ana".
_CHAT_SIGN_OFF = re.compile(
    r"(?:^|(?<=[\n.!?]))[ \t]*(?i:bjs+|bj[ou]s|beijos?|beijinhos?|besos|besitos|bss|xoxo|xx+|hugs"
    r"|kisses|bisous|bises|gros[ \t]+bisous|pupici|te[ \t]+pup|ingat"
    r"|mwah|anpil[ \t]+bo)[ \t]*[,!.]?[ \t]+"
)
# Romanian "they call her" ("îi spune lumea „puica""): the nickname is quoted or capitalised, since
# "nu-i spune nimic" (tells her nothing) has the same verb.
_ROMANIAN_NICKNAME_CUE = re.compile(
    r"(?<![\w-])(?i:[îi]i|le)[ \t]+(?i:spune|spun|zice|zic)(?:[ \t]+(?i:lumea|toat[ăa][ \t]+lumea|to[țţt]i))?"
    r"[ \t]*[:,]?[ \t]*"
)
# Romanian words for kin, acquaintances and roles, with a possessive or "mai mic" after them, before
# a name: "sora mea Dorina", "un frate mai mic, Fănel", "concubina acestuia, Roxana".
_ROMANIAN_RELATION = re.compile(
    r"(?<![\w])(?i:so[țţt](?:ul|ia|ie|iei|ului)?|sora|surorii|sorei|frate(?:le|lui)?|fra[țţt]ii"
    r"|mama|mamei|tata|tat[ăa]l|tat[ăa]lui|fiica|fiicei|fiul|fiului|bunic(?:a|ii|ul|ului)|mamaia"
    r"|tataia|vecin(?:a|ul|ei|ului|[ăa])?|prieten(?:ul|a|ei|ului|[ăa])?|concubin(?:ul|a|ei|ului)"
    r"|iubit(?:ul|a|ei|ului)?|logodnic(?:ul|a)?|veri[șş]oar(?:a|ei)|v[ăa]r(?:ul|ului)|m[ăa]tu[șş]a"
    r"|unchiul|nepo[țţt](?:ul|ica)|nepoata|cumnat(?:ul|a)|soacr(?:a|ei)|socrul|patron(?:ul|a)"
    r"|[șş]ef(?:ul|a|ului)|coleg(?:ul|a|ei|ului)|cons[ăa]tean(?:ul|ca)?|t[âa]n[ăa]r(?:[ăa]|ul)?"
    r"|angajator(?:ul)?|recrutor(?:ul)?|proxenet(?:ul)?|intermediar(?:ul)?|traficant(?:ul)?|operator"
    r"|avocat(?:ul|a)?|consilier(?:ul|a)?|inspector(?:ul)?|procuror(?:ul)?|poli[țţt]ist(?:ul|a)?"
    r"|beneficiar(?:ul|a)?|inculpat(?:ul|a|ii|e)?|martor(?:ul|a)?)"
    r"(?:[ \t]+(?:mea|meu|mei|mele|lui|ei|lor|acestuia|acesteia|s[ăa]u|sa|sale|noastr[ăa]|nostru"
    r"|vostru|voastr[ăa]|mai[ \t]+mic[ăa]?|mai[ \t]+mare|cel[ \t]+mic|cea[ \t]+mic[ăa]))*"
    r"[ \t]*,?[ \t]+"
)
# Greetings that open a message or a line: the name after them is the addressee.
_GREETING = re.compile(
    r"(?:^|(?<=[\n.!?]))[ \t]*(?i:hi|hello|hey|dear|hola|querid[oa]|estimad[oa]|buenos[ \t]+d[íi]as"
    r"|buenas[ \t]+tardes|bonjour|bonsoir|salut|ch[èe]re?|ol[áa]|oi|prezad[oa]|car[oa]|bun[ăa]"
    r"|bun[ăa][ \t]+ziua|drag[ăa]|kumusta|kamusta|magandang[ \t]+(?:umaga|hapon|gabi)|bonjou|bonswa"
    r"|alo|ch[àa]o|xin[ \t]+ch[àa]o|k[íi]nh[ \t]+g[ửu]i|здравствуйте|привет|добрый[ \t]+день"
    r"|уважаем(?:ый|ая)|вітаю|привіт|добрий[ \t]+день|шановн(?:ий|а))[ \t]*[,!]?[ \t]+"
    r"(?:(?i:chị|anh|em|bà|ông|cô|chú|ate|kuya|tita|tito|madan|msye|doamna|domnule|tía|tía|tio"
    r"|tia|t[íi]o|t[íi]a|do[ñn]a|don|se[ñn]ora|se[ñn]or|sra\.|sr\.|ms\.|mr\.|mrs\.|dr\.)[ \t]+)?"
)
_SIGN_OFF = re.compile(
    r"(?:^|(?<=[\n.!?]))[ \t]*(?i:thanks|thank[ \t]+you|many[ \t]+thanks|best|best[ \t]+regards"
    r"|regards|kind[ \t]+regards|warm[ \t]+regards|sincerely|cheers|take[ \t]+care|love|hugs"
    r"|un[ \t]+abrazo|abrazos|saludos(?:[ \t]+cordiales)?|atentamente|gracias|muchas[ \t]+gracias"
    r"|besos|cordialement|bien[ \t]+[àa][ \t]+vous|merci(?:[ \t]+beaucoup)?|bisous|amiti[ée]s"
    r"|abra[çc]os?|atenciosamente|obrigad[oa]|beijos|cu[ \t]+drag|cu[ \t]+stim[ăa]|mul[țţt]umesc"
    r"|salamat|maraming[ \t]+salamat|ingat|m[èe]si|anpil[ \t]+lanmou|c[ảa]m[ \t]+[ơo]n|tr[âa]n[ \t]+tr[ọo]ng"
    r"|с[ \t]+уважением|спасибо|всего[ \t]+доброго|з[ \t]+повагою|дякую)[ \t]*[,!.]?[ \t]*(?:\n[ \t]*)?"
)
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][^\W\d_]*(?:['’-][^\W\d_]+)*"
_CAPITALISED_WORDS = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}")
_LINE_END = re.compile(r"[ \t]*[.!]?[ \t]*(?:\n|$)")
_ADDRESSEE_END = re.compile(r"[ \t]*(?:[,!:;.\n]|$)")

# Russian and Ukrainian: capitalised Cyrillic words, patronymics and naming cues.
_CYRILLIC_UPPER = "А-ЯЁІЇЄҐ"
_CYRILLIC_WORD = rf"[{_CYRILLIC_UPPER}][а-яёіїєґ'’ʼ-]+"
_PATRONYMIC = re.compile(
    rf"(?<![\w])(?:(?P<before>{_CYRILLIC_WORD})[ \t]+)?"
    rf"(?P<patronymic>[{_CYRILLIC_UPPER}][а-яёіїєґ]+(?:ович|евич|євич|йович|ьович|ич|овна|евна|івна|ївна|ична)"
    r"(?:а|у|ем|ем|ом|ой|ей|і|ою|ею|ем)?)(?![\w])"
    rf"(?:[ \t]+(?P<after>{_CYRILLIC_WORD}))?"
)
_CYRILLIC_NAME_CUE = re.compile(
    r"(?<![\w])(?i:меня[ \t]+зовут|его[ \t]+зовут|е[её][ \t]+зовут|их[ \t]+зовут|зовут|мене[ \t]+звати"
    r"|його[ \t]+звати|її[ \t]+звати|звати|по[ \t]+имени|на[ \t]+имя|на[ \t]+ім['’ʼ]я|имя[ \t]*[:—-]"
    r"|ім['’ʼ]я[ \t]*[:—-]|фамилия[ \t]*[:—-]|прізвище[ \t]*[:—-]|по[ \t]+прозвищу|по[ \t]+кличке"
    r"|на[ \t]+прізвисько|кличка|прізвисько|прозвище)[ \t]*[:,]?[ \t]*"
)
_CYRILLIC_RELATION = re.compile(
    r"(?<![\w])(?i:брат[аоу]?|братом|сестр[аыуе]|муж[аеу]?|жен[аыуе]|сын[аеу]?|доч[ьи]|дочер[иью]"
    r"|мать|отец|работодател[ьяю]|хозя(?:ин|ина|йка|йки)|начальник[аеу]?|сутен[её]р[аеу]?"
    r"|вербовщик[аеу]?|подруг[аиуе]|друг[аеу]?|знаком(?:ый|ая|ого|ую)|чоловік[аові]*|дружин[аиуі]"
    r"|син[аові]*|доньк[аиуі]|мати|батьк[оаові]*|роботодав[еця]+|господар[яеві]*|господин[яі]"
    r"|товариш[аеві]*|вербувальник[аеві]*|подруг[аиу]|сестр[аиу]|брат[аові]*)[ \t]*,?[ \t]+"
)
_CYRILLIC_CAPITALISED = re.compile(rf"(?<![\w-]){_CYRILLIC_WORD}")

# Nepali (Devanagari) and Arabic: cues, words of address, and words that end a name.
_DEVANAGARI_CUE = re.compile(
    r"(?:मेरो|उनको|उसको|उहाँको|तिम्रो|यसको)?[ \t]*नाम(?:[ \t]*थर)?[ \t]*[:：-]?[ \t]*"
    r"|(?:नमस्ते|नमस्कार|धन्यवाद)[ \t]*[,!।]?[ \t]*\n?[ \t]*"
    r"|(?:मेरो|उनको|उसको)[ \t]+(?:साथी|श्रीमान|श्रीमती|दाइ|दिदी|बहिनी|भाइ|साहु|मालिक|छोरा|छोरी|आमा|बुबा)[ \t]+"
)
_DEVANAGARI_STOPS = frozenset(
    "हो छ छन् छिन् हुन् हुन थियो थिइन् र पनि को का की ले लाई मा बाट दाइ दिदी जी ज्यू भाइ बहिनी म मेरो "
    "उनी उनको उ यो त्यो मलाई हामी तपाईं नम्बर फोन जन्म मिति के को कसले कहाँ".split()
)
_DEVANAGARI_SUFFIXES = ("मा", "ले", "लाई", "को", "की", "का", "बाट", "सँग", "हरू")
_DEVANAGARI_ADDRESS_TERM = re.compile(
    rf"(?<![\u0900-\u097f])(?P<name>{DEVANAGARI_WORD})[ \t]+(?:दाइ|दिदी|जी|ज्यू|बहिनी)(?![\u0900-\u097f])"
)
_ARABIC_WORD = r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u06fa-\u06ff]+"
_ARABIC_CUE = re.compile(
    r"(?:اسمي|اسمى|اسمه|اسمها|يدعى|تدعى|يُدعى|تُدعى|المدعو|المدعوة|الاسم[ \t]*[:：]"
    r"|مرحبا|مرحباً|أهلا|اهلا|عزيزي|عزيزتي|مع[ \t]+الشكر|مع[ \t]+التحية|شكرا|شكراً"
    r"|أختي|اختي|أخي|اخي|زوجي|زوجتي|صديقتي|صديقي|أمي|أبي|ابني|ابنتي|كفيلي|كفيلتي|مديري|مديرتي)"
    r"[ \t]*[,،:]?[ \t]*\n?[ \t]*"
)
_ARABIC_STOPS = frozenset(
    "في من إلى الى على عن هو هي أنا انا نحن هم كان كانت مع و أو لا لم لن قد التي الذي هذا هذه "
    "عمري عمرها عمره يعمل تعمل".split()
)


def _acceptable_addressee(text: str, start: int, end: int) -> bool:
    """False for words of address that are not names ("Hi team", "Dear Sir", "Hola equipo")."""
    words = WORD.findall(text, start, end)
    if not words:
        return False
    for word in words:
        key = fold(word).strip(".")
        if (key in STOP_WORDS or key in ROLE_WORDS or key in LEGAL_AND_AGENCY_WORDS
                or key in NATIONALITY_WORDS):
            return False
    return fold(" ".join(words)) not in PLACE_NAMES or len(words) == 1


def _greetings_and_sign_offs(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """The addressee of a greeting ("Hi Rachel,") and the writer after a sign-off ("Un abrazo, Gemma")."""
    for pattern, ending in ((_GREETING, _ADDRESSEE_END), (_SIGN_OFF, _LINE_END)):
        for match in pattern.finditer(text):
            position = match.end()
            # Any capitalised words, also names that are ordinary words ("Dear Ms. Abril,").
            title = TITLE.match(text, position)
            if title is not None:
                position = title.end()
            name = _CAPITALISED_WORDS.match(text, position)
            end = name.end() if name is not None else None
            if end is None or ending.match(text, end) is None:
                continue
            if _acceptable_addressee(text, position, end):
                yield PatternMatch(PERSON, position, end, TIER_SPECIFIC)


def _latin_cues(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Names after naming phrases of Tagalog, Haitian Creole, Romanian and the Romance languages."""
    for match in _ROMANIAN_RELATION.finditer(text):
        if match.group()[:1].isupper() and not _opens_sentence(text, match.start()):
            continue  # "în Mamaia Nord": a capitalised kin word inside a sentence is a place's name
        position = match.end()
        if text[position : position + 1] in "\"“„«":
            closing = re.match(r".[ ]?([^\"”“»\n]{1,30}?)[ ]?[\"”“»]", text[position:])
            if closing is not None:
                yield PatternMatch(PERSON, position + closing.start(1), position + closing.end(1),
                                   TIER_CUE)
            continue
        end = take_name(text, position, MODE_CAPITALISED, common_words)
        if end is not None:
            yield PatternMatch(PERSON, position, end, TIER_CUE)
    for match in _LATIN_CUE.finditer(text):
        end = take_name(text, match.end(), MODE_CAPITALISED, common_words)
        if end is not None:
            yield PatternMatch(PERSON, match.end(), end, TIER_CUE)
    for match in _NICKNAME_CUE.finditer(text):
        yield from _nickname_after(text, match.end(), MODE_ANY, common_words)
    for match in _NAMING_VERB_ANY_CASE.finditer(text):
        end = take_name(text, match.end(), MODE_ANY, common_words, max_words=_MAX_NAME_WORDS_ANY_CASE)
        if end is not None:
            end = _without_trailing_function_words(text, match.end(), end)
            if end > match.end():
                yield PatternMatch(PERSON, match.end(), end, TIER_CUE)
    for match in _ROMANIAN_NICKNAME_CUE.finditer(text):
        yield from _nickname_after(text, match.end(), MODE_CAPITALISED, common_words)
    for match in _SELF_NAMING.finditer(text):
        end = take_name(text, match.end(), MODE_ANY, common_words, max_words=1)
        if end is not None and fold(text[match.end() : end]) not in _CHAT_NOT_NAMES:
            yield PatternMatch(PERSON, match.end(), end, TIER_CUE)
    for match in _CHAT_SIGN_OFF.finditer(text):
        end = take_name(text, match.end(), MODE_ANY, common_words, max_words=1)
        if end is not None and _LINE_END.match(text, end) is not None:
            yield PatternMatch(PERSON, match.end(), end, TIER_CUE)


def _without_trailing_function_words(text: str, start: int, end: int) -> int:
    """The end of a lower-case name before the function words a run may have taken ("florin ea")."""
    words = list(WORD.finditer(text, start, end))
    while words and (fold(words[-1].group()) in STOP_WORDS
                     or fold(words[-1].group()) in ROMANIAN_FUNCTION_WORDS):
        words.pop()
    return words[-1].end() if words else start


def _is_cyrillic_given_name(word: str) -> bool:
    """True for a listed Russian or Ukrainian given name, also inflected ("Богдана", "Тарасе")."""
    key = fold(word)
    return (key in CYRILLIC_GIVEN_NAMES or key[:-1] in _CYRILLIC_STEMS
            or (len(key) > 4 and key[:-2] in _CYRILLIC_STEMS))


def _cyrillic_name_after(text: str, position: int, any_case: bool) -> int | None:
    """End of one to three capitalised Cyrillic words at position (any case after a nickname cue)."""
    quoted = re.match(r"[\"“„«]([^\"”“»\n]{1,30})[\"”“»]", text[position:])
    if quoted is not None:
        return position + quoted.end(1)
    pattern = rf"{_CYRILLIC_WORD}(?:[ \t]+{_CYRILLIC_WORD}){{0,2}}"
    if any_case:
        pattern = rf"(?:{pattern}|[а-яёіїєґ]{{2,}})"
    match = re.compile(pattern).match(text, position)
    return match.end() if match is not None else None


def _cyrillic_names(text: str) -> Iterator[PatternMatch]:
    """Russian and Ukrainian names: patronymics with their neighbours, cues, and listed names."""
    for match in _PATRONYMIC.finditer(text):
        start = match.start("patronymic")
        if match.group("before") and not _opens_sentence(text, match.start("before")):
            start = match.start("before")
        elif match.group("before") and _is_cyrillic_given_name(match.group("before")):
            start = match.start("before")
        end = match.end("after") if match.group("after") else match.end("patronymic")
        yield PatternMatch(PERSON, start, end, TIER_CUE)
    for cue, any_case in ((_CYRILLIC_NAME_CUE, True), (_CYRILLIC_RELATION, False)):
        for match in cue.finditer(text):
            name_end = _cyrillic_name_after(text, match.end(), any_case)
            if name_end is not None:
                start = match.end() + (1 if text[match.end()] in "\"“„«" else 0)
                yield PatternMatch(PERSON, start, name_end, TIER_CUE)
    for match in _CYRILLIC_CAPITALISED.finditer(text):
        if _is_cyrillic_given_name(match.group()) and not is_common_cyrillic_word(match.group()):
            end = match.end()
            following = re.match(rf"[ \t]+({_CYRILLIC_WORD})", text[end:])
            if following is not None and not _opens_sentence(text, end + following.start(1)):
                end += following.end()  # "Дмитрий Волков": the surname goes with the name
            yield PatternMatch(PERSON, match.start(), end, TIER_CUE)


def _opens_sentence(text: str, position: int) -> bool:
    """True when only spaces separate position from the start of a sentence or a line."""
    before = text[:position].rstrip(" \t")
    return not before or before[-1] in ".!?:;\n"


def _devanagari_names(text: str) -> Iterator[PatternMatch]:
    """Nepali names after "नाम", a greeting, a sign-off or a kin word, and before "दाइ" or "जी"."""
    word = re.compile(DEVANAGARI_WORD)
    for match in _DEVANAGARI_CUE.finditer(text):
        position, end, words = match.end(), None, 0
        while words < 3:
            found = word.match(text, position)
            if found is None or found.group() in _DEVANAGARI_STOPS:
                break
            if words and found.group().endswith(_DEVANAGARI_SUFFIXES) and (
                found.group() not in NEPALI_FAMILY_NAMES
            ):
                break  # "दुबईमा": a place with its postposition, after the name
            end, words = found.end(), words + 1
            gap = re.match(r"[ \t]+", text[end:])
            if gap is None:
                break
            position = end + gap.end()
        if end is not None:
            yield PatternMatch(PERSON, match.end(), end, TIER_CUE)
    for match in _DEVANAGARI_ADDRESS_TERM.finditer(text):
        if match.group("name") not in _DEVANAGARI_STOPS:
            yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)


def _arabic_names(text: str) -> Iterator[PatternMatch]:
    """Arabic names after a naming cue, a greeting, a sign-off or a kin word."""
    word = re.compile(_ARABIC_WORD)
    for match in _ARABIC_CUE.finditer(text):
        first = word.match(text, match.end())
        if first is None or first.group() in _ARABIC_STOPS or is_ordinary_arabic_word(first.group()):
            continue
        end = first.end()
        for _ in range(2):
            following = re.match(rf"[ \t]+({_ARABIC_WORD})", text[end:])
            if following is None or fold(following.group(1)) not in ARABIC_GIVEN_NAMES:
                break
            end += following.end()
        yield PatternMatch(PERSON, match.end(), end, TIER_CUE)


def find_other_language_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Names marked by the cues of every language of the network (see the module docstring)."""
    yield from _greetings_and_sign_offs(text, common_words)
    yield from _latin_cues(text, common_words)
    if text.isascii():
        return
    if re.search(f"[{_CYRILLIC_UPPER}а-яё]", text):
        yield from _cyrillic_names(text)
        yield from find_cyrillic_names(text)
    if re.search("[\u0900-\u097f]", text):
        yield from _devanagari_names(text)
        yield from find_nepali_names(text)
    if re.search("[\u0600-\u06ff]", text):
        yield from _arabic_names(text)
        yield from find_arabic_names(text)


def _nickname_after(text: str, position: int, mode: str, common_words: frozenset[str]
                    ) -> Iterator[PatternMatch]:
    """The nickname after a cue: what its quotes hold, or up to two name words in that mode."""
    if text[position : position + 1] in "\"“„«'‘":
        closing = re.match(r".[ ]?([^\"”“»'’\n]{1,30}?)[ ]?[\"”“»'’]", text[position:])
        if closing is not None:
            yield PatternMatch(PERSON, position + closing.start(1), position + closing.end(1), TIER_CUE)
        return
    end = take_name(text, position, mode, common_words, max_words=2)
    if end is not None:
        yield PatternMatch(PERSON, position, end, TIER_CUE)
