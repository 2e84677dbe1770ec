"""Places of residence below a town: villages, hamlets, wards, farms and camp sectors, read from
the word each language writes before (or after) their name.

A village or hamlet of a few hundred people or a named farm points to one household as surely
as a street does, so it goes; the commune, township, town, district, county, province and
country stay, as privacy.md keeps a city (a Vietnamese commune or ward, a Chinese township).
Covered: Spanish and Portuguese villages and farms ("aldea Xejolón", "Fazenda Boa Esperança"),
Romanian villages ("satul Delea"), Haitian localities ("lokalite Nan Mango"), Philippine puroks,
sitios and barangays ("Purok 3, Brgy. Tabucan"), Vietnamese hamlets ("thôn
Lũng Pù B", the commune "xã Sủng Trà" after it stays), Chinese villages and their groups
("新桥村三组", the township "大塘乡" before it stays), Russian and
Ukrainian villages ("с. Стрибіж"), Nepali wards and neighbourhoods ("वडा नं. ३, किउल टोल") and
Arabic villages ("قرية شيخ كاني").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import DEVANAGARI_LETTER, DEVANAGARI_WORD, compile_verbose, lower_or_capitalised
from nlp.pii.names_east_asian import VIETNAMESE_NAME_WORD, is_vietnamese_text

_UPPER = "A-ZÀ-ÖØ-ÞĂÂÎȘȚŞŢ"
_PARTICLES = r"(?:de|del|da|das|do|dos|la|las|los|el|des|du|di|lui|cel|nan|sa|ng)"
_NAME_WORD = rf"[{_UPPER}][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLES}[ \t]+)?{_NAME_WORD}){{0,3}}"
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]"

# Words for a village, hamlet or farm, after which its name follows.
_LOCALITY_WORDS = lower_or_capitalised(
    "aldea|caser[íi]o|vereda|rancher[íi]a|finca|hacienda|granja|fazenda|s[íi]tio|ch[áa]cara|aldeia"
    "|povoado|assentamento|satul|c[ăa]tun|c[ăa]tunul|lokalite|abitasyon|localit[ée]|habitation|purok"
    r"|brgy\.?|barangay|bgy\.?"
)
_LATIN_LOCALITY = compile_verbose(
    rf"""(?<![\w])(?:\d{{1,5}}[A-Za-z]?[ \t]+(?=[Pp]urok|[Ss]itio))?{_LOCALITY_WORDS}[ \t]+
        (?:{_NAME}|\d{{1,3}}[A-Za-z]?(?![\w]))"""
)
# Romanian "sat" is also an English word: it counts only in a Romanian text.
_ROMANIAN_VILLAGE = compile_verbose(rf"(?<![\w])(?i:sat)[ \t]+{_NAME}")
_ROMANIAN_LETTERS = re.compile("[ăâîșțşţĂÂÎȘȚŞŢ]")
_NEIGHBOURHOOD_WORDS = lower_or_capitalised(
    r"bairro|barrio|comunidade|comunidad|vila|villa|conjunto|residencial|urbanizaci[óo]n|urb\."
    r"|quartier|cit[ée]|lotissement|r[ée]sidence"
)
# Neighbourhoods, estates and communities count only with a house or block number after them:
# "Bairro Polana Caniço A, quarteirão 14", "Comunidade São Sebastião, casa 14".
_NEIGHBOURHOOD_WITH_HOUSE = compile_verbose(
    rf"""(?<![\w]){_NEIGHBOURHOOD_WORDS}[ \t]+{_NAME}
        (?=[ \t]*,[ \t]*(?i:casa|quarteir[ãa]o|lote|lt|manzana|mz|nr|n[º°]|no\.|bloco|bloque|block
        |blk|apto|app|apt|b[âa]t)\.?[ \t]*(?:n\.?[º°]\.?[ \t]*)?\d)"""
)
# A Philippine subdivision and the phases and packages of a resettlement site.
_PHILIPPINE_ESTATE = compile_verbose(
    rf"""(?<![\w]){_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}[ \t]+(?i:subd\.?|subdivision)(?![\w])
        |(?<![\w])(?i:phase|ph\.)[ \t]*\d{{1,2}}(?:-?[A-Z])?(?![\w])
        (?=[ \t]*,[ \t]*(?i:package|pkg|blk|block|lot))
        |(?<![\w])(?i:package|pkg\.?)[ \t]*\d{{1,2}}(?![\w])(?=[ \t]*,[ \t]*(?i:blk|block|lot|phase))"""
)
# Words after a barangay that are its office, not its name: "Brgy. Hall", "Barangay Captain".
_BARANGAY_OFFICES = frozenset(
    "hall captain chairman chairwoman kagawad council tanod official officials health secretary "
    "clearance office".split()
)

# Vietnamese: hamlet, village, commune and ward words before a capitalised name or a number.
_VIETNAMESE_LOCALITY = compile_verbose(
    rf"""(?<![\w])(?P<word>thôn|xóm|bản|ấp|buôn|làng|sóc|khóm|tổ(?:[ \t]+dân[ \t]+phố)?|khu[ \t]+phố
        |xã|phường|khối|Thôn|Xóm|Bản|Ấp|Buôn|Làng|Sóc|Khóm|Tổ|Khu[ \t]+phố|Xã|Phường|Khối)[ \t]+
        (?:{VIETNAMESE_NAME_WORD}(?:[ \t]+{VIETNAMESE_NAME_WORD}){{0,3}}(?:[ \t]+\d{{1,2}}(?![\w]))?
        |\d{{1,3}}[A-Za-z]?(?![\w]))
        |(?<![\w])(?:khu|Khu)[ \t]+\d{{1,3}}[A-Za-z]?(?![\w])"""
)
# Communes and wards are the administrative units above a village: kept, as a town is.
_COMMUNE_WORDS = frozenset({"xã", "phường"})
# "biên bản" (a record), "văn bản" (a document) and "phiên bản" (a version) are not villages.
_VIETNAMESE_NOT_LOCALITY_BEFORE = re.compile(r"(?i:biên|văn|phiên|bản)[ \t]+$")
# The commune's people's committee or police is an agency, not a place of residence.
_VIETNAMESE_AGENCY_BEFORE = re.compile(
    r"(?i:công[ \t]+an|ubnd|ủy[ \t]+ban(?:[ \t]+nhân[ \t]+dân)?|uỷ[ \t]+ban|hội[ \t]+\S+(?:[ \t]+\S+)?"
    r"|trạm[ \t]+y[ \t]+tế|trường|đồn|chủ[ \t]+tịch|cán[ \t]+bộ)[ \t]+$"
)

# Chinese: a village (村) with the township before it and its group or house number after ("寨" and
# "屯" are left out: they end country and city names, "柬埔寨").
_HAN_NAME_CHAR = (
    r"(?:(?![县縣区區市省州旗乡鄉镇鎮村屯寨组組的了在住和与及是到从去回进出同本该全邻这那每某各个一都被也就还又已"
    r"经])[\u4e00-\u9fff])"
)
_CHINESE_VILLAGE = compile_verbose(
    rf"""(?:(?<=[县縣区區市州旗：:在住于於是自])|(?<![\u4e00-\u9fff]))
        (?:{_HAN_NAME_CHAR}{{1,4}}[乡鄉镇鎮])?
        (?P<village>{_HAN_NAME_CHAR}{{2,4}}村(?![里裡民委口子长長头頭干庄])
        (?:[0-9一二三四五六七八九十]{{1,3}}[组組社队隊]|\d{{1,4}}[号號])?)"""
)

# Russian and Ukrainian villages: "с. Стрибіж", "в село Кетросы", "хутор Бирюки".
_CYRILLIC_VILLAGE = compile_verbose(
    r"""(?<![\w])(?:с\.|(?i:село|селе|села|селі|селище|селищі|деревня|деревне|деревни|дер\.|хутор|хуторе
        |хуторі|аул|ауле|кишлак|кишлаке))[ \t]*[А-ЯЁІЇЄҐ][\w'’ʼ-]+(?:[ \t]+[А-ЯЁІЇЄҐ][\w'’ʼ-]+)?"""
)

# The adjective of a region after a village's name, and the noun after it ("Рівненської області").
_REGION_ADJECTIVE = re.compile(
    r"[ \t]+[А-ЯЁІЇЄҐ][\w'’ʼ-]*(?:ськ|цьк|зьк|ск|цк)(?:ої|ого|ому|ій|ая|ой|ий|ый|а)$"
)
_REGION_NOUN_AFTER = re.compile(r"[ \t]+(?i:обл\.|област[іиь]|область|району|района|р-ну|р-н|краю|края)")

# Nepali: a ward number, and a neighbourhood or village named before "टोल" or "गाउँ".
_NEPALI_WARD = compile_verbose(
    rf"(?<![\u0900-\u097f])(?:वडा|घर)[ \t]*(?:नं|नम्बर|न)\.?[ \t]*{_DIGIT}{{1,5}}(?:/{_DIGIT}{{1,4}})?"
)
# A postposition may be written onto the word ("शिवनगर टोलमा"); the danda ends it ("टोल।").
_NEPALI_POSTPOSITION_END = rf"(?=(?:मा|को|बाट|सम्म|नजिकै|नजिक|स्थित)?(?!{DEVANAGARI_LETTER}))"
_NEPALI_NEIGHBOURHOOD = compile_verbose(
    rf"""(?<!{DEVANAGARI_LETTER})(?P<name>{DEVANAGARI_WORD})[ \t]?(?:टोल|गाउँ(?!पालिका)|बस्ती|गल्ली)
        {_NEPALI_POSTPOSITION_END}
        |(?<!{DEVANAGARI_LETTER}){DEVANAGARI_LETTER}{{2,}}गाउँ(?!पालिका){_NEPALI_POSTPOSITION_END}"""
)
# A single place word right after a ward ("वडा नं. ९, चाँदीखोला"): the neighbourhood of the ward.
# ... or before the copula that closes the address ("वडा नं. ८, लाटीकोइली हो।").
_AFTER_WARD = re.compile(
    rf"[ \t]*,[ \t]*({DEVANAGARI_WORD})(?=[ \t]*(?:[,।|\n(]|$|हो(?!{DEVANAGARI_LETTER})))")
_NEPALI_NOT_NEIGHBOURHOOD = re.compile("(?:जिल्ला|पालिका|प्रदेश|अञ्चल|देश)$")
_NEPALI_ORDINARY = frozenset(
    "म मेरो हाम्रो उनको उसको आफ्नो आफ्नै त्यो यो त्यस यस एउटा एक कुनै सानो ठूलो नजिकको नजिकैको "
    "पुरानो नयाँ अर्को उही सोही त्यही यही सबै हरेक सम्पूर्ण उनकै मेरै हाम्रै".split()
)

# Arabic: a village after "قرية" (with a preposition glued on: "بقرية").
_ARABIC_LETTERS = "\u0621-\u064a\u064b-\u0652\u0670"
_ARABIC_VILLAGE = compile_verbose(
    rf"""(?<![{_ARABIC_LETTERS}])[وبفل]?(?:قرية|قريه|بلدة|عزبة|نجع|كفر|دوار|مشتى)[ \t]+
        (?P<name>[{_ARABIC_LETTERS}]{{2,}}(?:[ \t]+[{_ARABIC_LETTERS}]{{2,}})?)"""
)
_ARABIC_NAME_STOPS = frozenset(
    "في من مع الى إلى على عند قرب بجانب التابعة التابع شمال جنوب شرق غرب قضاء محافظة ناحية "
    "بمحافظة بقضاء بناحية حيث التي الذي".split()
)


def find_localities(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of villages, hamlets, wards and farms (see the module docstring)."""
    for match in _LATIN_LOCALITY.finditer(text):
        words = match.group().split()
        if match.group().isupper():
            continue  # a heading in capitals ("BARANGAY BLOTTER")
        if len(words) > 1 and words[1].lower().strip(".") in _BARANGAY_OFFICES:
            continue
        yield match.start(), match.end()
    if _ROMANIAN_LETTERS.search(text):
        for match in _ROMANIAN_VILLAGE.finditer(text):
            yield match.start(), match.end()
    lowered = text.lower()
    if any(word in lowered for word in ("subd", "phase", "ph.", "package", "pkg")):
        for match in _PHILIPPINE_ESTATE.finditer(text):
            yield match.start(), match.end()
    for match in _NEIGHBOURHOOD_WITH_HOUSE.finditer(text):
        yield match.start(), match.end()
    if text.isascii():
        return
    if is_vietnamese_text(text):
        for match in _VIETNAMESE_LOCALITY.finditer(text):
            if match.group("word") is not None and match.group("word").casefold() in _COMMUNE_WORDS:
                continue  # a commune or a ward, as a town or a district, is kept
            before = text[max(0, match.start() - 30) : match.start()]
            if _VIETNAMESE_AGENCY_BEFORE.search(before) or _VIETNAMESE_NOT_LOCALITY_BEFORE.search(before):
                continue
            if match.group()[:1].isupper() and not _opens_sentence(text, match.start()):
                continue  # "quận Bản Kiều", "ở Sóc Trăng": a capitalised word is part of a name
            if match.group().isupper():
                continue  # a heading in capitals ("BIÊN BẢN GHI LỜI KHAI")
            yield match.start(), match.end()
    if re.search("[\u4e00-\u9fff]", text):
        for match in _CHINESE_VILLAGE.finditer(text):
            yield match.start("village"), match.end()  # the township (乡, 镇) before it stays
    if re.search("[А-Яа-яЁёІіЇїЄєҐґ]", text):
        for match in _CYRILLIC_VILLAGE.finditer(text):
            end = match.end()
            second = _REGION_ADJECTIVE.search(match.group())
            if second is not None and _REGION_NOUN_AFTER.match(text, end):
                # "с. Зарічне Рівненської області": the region stays
                end = match.start() + second.start()
            yield match.start(), end
    if re.search("[\u0900-\u097f]", text):
        yield from _nepali_localities(text)
    if re.search("[\u0600-\u06ff]", text):
        for match in _ARABIC_VILLAGE.finditer(text):
            words = match.group("name").split()
            if words[-1] in _ARABIC_NAME_STOPS:
                words = words[:-1]
            if not words or words[0] in _ARABIC_NAME_STOPS:
                continue
            yield match.start(), match.start("name") + len(" ".join(words))


def _opens_sentence(text: str, position: int) -> bool:
    """True when only spaces, a list mark or a label separate position from a sentence start."""
    before = text[:position].rstrip(" \t-–•*")
    return not before or before[-1] in ".!?:;\n\"“(|"


def _nepali_localities(text: str) -> Iterator[tuple[int, int]]:
    """Wards with the neighbourhood named after them, and named neighbourhoods and villages."""
    for match in _NEPALI_WARD.finditer(text):
        end = match.end()
        following = _AFTER_WARD.match(text, end)
        if following is not None and not _NEPALI_NOT_NEIGHBOURHOOD.search(following.group(1)) and (
            following.group(1) not in _NEPALI_ORDINARY
        ):
            end = following.end()
        yield match.start(), end
    for match in _NEPALI_NEIGHBOURHOOD.finditer(text):
        name = match.group("name")
        if name is not None and (name in _NEPALI_ORDINARY or _NEPALI_NOT_NEIGHBOURHOOD.search(name)):
            continue
        yield match.start(), match.end()
