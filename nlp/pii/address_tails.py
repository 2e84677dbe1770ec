"""What follows a street address inside the building: flat, floor, room, block, door and the back
of the house ("Apt 12", "3.º Dto", "2e étage", "chambre 214", "кв. 15", "3층", "2单元501",
"الطابق الثاني", "घर नं. ३३"). A tail is read only right after an address that was found, so
a floor or a room standing alone in a sentence is left alone.
"""

from __future__ import annotations

import re

from nlp.folding import fold
from nlp.pii.common import compile_verbose
from nlp.pii.wordlists import ADDRESS_PIECE_STOP_WORDS, BIRTH_MONTHS

_DIGITS = r"[0-9\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]"
# The end of an identifier: no further Latin letter or digit (a Chinese or Korean letter may
# follow straight after, as those scripts leave no space: "Unit 2였고").
_END = r"(?![0-9A-Za-zÀ-ÖØ-öø-ÿ:'’])"
_LATIN_UNIT_WORD = (
    r"(?:apt|apartment|apto|apartamento|appartement|appt|app|flat|unit|suite|ste|room|rm|chambre"
    r"|pi[èe]ce|cuarto|habitaci[óo]n|hab|quarto|sala|casa|bloco|bloque|bloc|block|blk|(?:bl|sc|et|ap)(?=\.)|scara"
    r"|scala|etaj|puerta|pta|esc|escalera|escalier|porte|b[âa]t|b[âa]timent|torre|edificio"
    r"|edif|pr[ée]dio|piso|andar|planta|depto|dpto|departamento|int|interior|house|building|bldg"
    r"|trailer|lot|lote|kuwarto|silid|palapag|floor|fl|[ée]tage|stage|stanza|interno|quarteir[ãa]o"
    r"|bo[îi]te|bte|zimmer|wohnung|whg|byt|mieszkanie|daire|kat|tower|torre|zone|quadra|quarteir[ãa]o"
    r"|rumah|blok|kay|chanm|apatman|bl[òo]k|camera|villa|ch(?=\.)|m(?=\.)|kv(?=\.)|dom|korp"
    r"|pieza|beco|baraca|barraca|barrac[ãa]o|barak|dorm|depo|pokoj|serra|capannone"
    r"|phòng[ \t]+trọ|nhà[ \t]+trọ|biệt[ \t]+thự|phòng|tầng|lầu|căn[ \t]+hộ|căn|nhà"
    r"|mobile-home|mobil-home|caravane|caravana|roulotte|container|contenedor|cont[êe]iner"
    r"|manzana|mza|mz(?=\.)|lt(?=\.))"
)
_LATIN_UNIT = (
    rf"(?i:{_LATIN_UNIT_WORD})\.?[ \t]*(?:n[º°o]\.?|n\.[º°]|no\.|nr\.?|num\.?|\#|số)?[ \t]*"
    rf"(?:\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}}[A-Za-z]?|-[A-Za-z])?|[A-Z](?:-?\d{{1,4}})?){_END}"
)
# Iberian floor and door: "3.º 2.ª", "4º 1ª", "2º esq", "3.º Dto", "r/c"; English and French
# ordinals only with the word for floor ("2nd fl", "3e étage").
_SIDE = (
    r"(?i:izq(?:uierda)?|izda|dcha|derecha|der|dto|dta|dt|esq|esquerdo|esquerda|frente|fte|centro"
    r"|ctro|interior|int|exterior|ext|[A-H])\.?(?![\w])"
)
_LATIN_FLOOR = (
    rf"\d{{1,2}}\.?[ºª°](?:[ \t]*(?:{_SIDE}|\d{{1,2}}\.?[ºª°]))*"
    r"|(?i:r/c|rés-do-chão|r[ée]s[ \t]+de[ \t]+chauss[ée]e|rez-de-chauss[ée]e|planta[ \t]+baja|bajo"
    r"|entresuelo|s/n)(?![\w])"
    r"|\d{1,2}(?i:st|nd|rd|th|e|er|[èe]re|[èe]me|eme|o|a|-?y[èe]m)[ \t]+"
    r"(?i:floor|fl|[ée]tage|etage|piso|andar|planta|etaj|palapag|seksyon)\.?(?![\w])"
    r"|(?i:piso|andar|planta|etaj|floor|tầng|lầu)[ \t]+\d{1,2}(?![\w])"
    # A French floor by its ordinal alone, closed by punctuation: "bd National 132, 4e, appart".
    r"|\d{1,2}(?i:e|er|[èe]me)(?=[ \t]*[,;.)\n]|$)"
    # Haitian floors in words ("dezyèm etaj"), and a basement, ground floor or attic named alone.
    r"|(?i:premye|dezyèm|dezyem|twazyèm|twazyem|katriyèm|katriyem|senkyèm|senkyem)[ \t]+(?i:etaj)(?![\w])"
    r"|(?i:subsol|demisol|parter|mansard[ăa]|s[óo]tano|azotea|sous-sol|basement|attic|poddasze"
    r"|souterrain|cave)(?![\w])"
    r"|\d{1,2}(?:F|/F)(?![\w])"
    r"|\d{1,2}\.[ \t]*(?:OG|UG|EG|DG|Stock|Etage|Obergeschoss)(?:[ \t]+(?:links|rechts|Mitte))?(?![\w])"
    # Parts of a house named in words: "planta alta", "segundo nivel", "porte face", "Hinterhaus",
    # "цокольный этаж", "الملحق".
    r"|(?i:planta[ \t]+alta|(?:primer|segundo|tercer|cuarto|quinto)[ \t]+nivel|fondo"
    r"|porte[ \t]+(?:face|gauche|droite|du[ \t]+fond)|hinterhaus|vorderhaus|seitenfl[üu]gel"
    r"|quergeb[äa]ude|gartenhaus|upstairs|downstairs|цокольный[ \t]+этаж|подвал|мансарда"
    r"|(?:ال)?ملحق)(?![\w])"
    # A floor said in words: "au deuxième (étage)", "no terceiro andar", "en el segundo piso".
    r"|(?i:au|no|en[ \t]+el|on[ \t]+the)[ \t]+(?i:premier|deuxi[èe]me|troisi[èe]me|quatri[èe]me"
    r"|cinqui[èe]me|primeiro|segundo|terceiro|quarto|quinto|primer|tercer|cuarto|first|second|third"
    r"|fourth|fifth)(?:[ \t]+(?i:[ée]tage|andar|piso|floor))?(?![\w])"
)
# The back of a house or a room at the back: "cuarto del fondo", "el cuarto de atrás", "fundos",
# "pièce du fond", "chanm dèyè a", "rear" or "front" alone before a comma or the sentence's end.
_BACK = (
    r"(?i:(?:(?:el|la|the)[ \t]+)?(?:cuarto|cuartito|pieza|habitaci[óo]n|quarto|casa|pi[èe]ce|chambre"
    r"|room|unit|house|cottage|appart|appartement|apartamento|apartment|apto)"
    r"[ \t]+(?:del|de[ \t]+la|de|dos|do|du|in[ \t]+the|at[ \t]+the)?[ \t]*(?:fondo|fundos|fond|back|rear"
    r"|atr[áa]s)"
    r"|(?:in[ \t]+the[ \t]+)?(?:back|rear)[ \t]+(?:room|unit|house|building|apartment)|fundos"
    r"|nos[ \t]+fundos|\((?:fundos|fondo|fond|back|rear)\)"
    r"|(?:chanm|kay|pyès)[ \t]+d[èe]y[èe](?:[ \t]+a)?"
    r"|(?:rear|back|front)(?=[ \t]*(?:[,;)\n]|\.(?!\w)|$)))(?![\w])"
)
_CHINESE_UNIT = (
    r"(?:\d{1,5}|[A-Z]\d{0,2})[ \t]*(?:号楼|號樓|栋|棟|幢|座|单元|單元|楼|樓|层|層|室|号|號|F)"
    r"|[号號院](?=[ \t]*\d)|[一二三四五六七八九十]段[ \t]*\d{1,4}[ \t]*[号號]"
    r"|(?<=单元|單元)\d{2,5}|后间|後間|后屋|地下室"
    # The room or shed at the back: "后面那间", "后面的平房".
    r"|[后後]面(?:的|那)(?:间|間|个房间|個房間|房间|房間|平房|屋子|小屋)"
    r"|\d{1,5}[ \t]*[号號][ \t]*(?:公寓|房间|房間|单位|單位)|(?<=[号號])[ \t]*(?:公寓|房间|房間)"
    # A second house on the same number and its room: "38号之二302房".
    r"|(?<=[号號])之[一二三四五六七八九十\d]{1,3}|\d{1,5}[ \t]*(?:房|房间|房間)(?![\w])"
)
_KOREAN_UNIT = r"(?:지하[ \t]*)?\d{1,4}[ \t]*(?:동(?![가-힣])|호실|호|층)"
_CYRILLIC_UNIT = (
    r"(?i:кв\.|квартира|комн\.|комната|кімн\.|кімната|корп\.|корпус|под\.|подъезд|під['’ʼ]їзд"
    r"|эт\.|этаж|пов\.|поверх|модуль|секция|секція|стр\.|строение|блок|бокс|к\.|д\.|дом|буд\."
    r"|будинок|контейнер|вагончик|вагон)"
    r"[ \t]*№?[ \t]*(?:\d{1,4}[а-яa-z]?|[А-ЯЁІЇЄ])(?![\w])"
    r"|\d{1,2}[ \t]*(?i:этаж|поверх)(?![\w])"
)
_ARABIC_UNIT = (
    rf"[وبفل]?(?:ال)?(?:شقة|غرفة|منزل|بيت|مبنى|عمارة|بناية|خيمة|كرفان|بلوك|مدخل|قطعة|القطاع|قطاع|محلة|زقاق"
    rf"|زنقة|دار|فيلا|رقم)"
    rf"[ \t]*(?:رقم[ \t]*)?{_DIGITS}{{1,5}}(?![\w])"
    r"|[وبف]?(?:ال)?(?:بناية|عمارة|مبنى|برج|فيلا)[ \t]+(?:ال)?[\u0621-\u064a\u064b-\u0652]{2,}"
    r"(?:[ \t]+(?:ال)?[\u0621-\u064a\u064b-\u0652]{2,})?(?=[ \t]*(?:[،,.:؛\n(]|$))"
    r"|(?:ال)?(?:طابق|دور)[ \t]+(?:ال[\u0621-\u064a]+|" + _DIGITS + r"{1,2}|رقم[ \t]*" + _DIGITS
    + r"{1,2})(?![\w])"
)
_NEPALI_UNIT = (
    # With the number sign or without: "घर नं. ३३", and Gulf addresses written in Devanagari:
    # "ब्लक ३, सडक १४, घर नं. २२", "स्ट्रिट १२, भिला २७".
    rf"(?:घर|कोठा|फ्ल्याट|ब्लक|सडक|स्ट्रिट|भिला|गल्ली|क्याम्प)[ \t]*(?:नं\.?)?[ \t]*{_DIGITS}{{1,5}}"
    rf"(?:/{_DIGITS}{{1,4}})?(?![\w])"
    r"|(?:पहिलो|दोस्रो|तेस्रो|चौथो|पाँचौं|पाँचौँ|छैटौं|सातौं|आठौं|नवौं|दसौं|भुइँ|" + _DIGITS
    + r"{1,2})[ \t]*(?:तल्ला|तला)"
    # The upper, lower or back house or room of a compound: "माथिल्लो घर", "पछाडिको कोठा".
    r"|(?:माथिल्लो|तल्लो|पछाडिको|अगाडिको)[ \t]+(?:घर|कोठा)"
)
# A house number written after the street or the village: "sat Berești, nr. 112".
_HOUSE_NUMBER = (
    r"(?i:nr|n[º°]|n\.[º°]|no|num|n[úu]m|num[ăa]rul|nimewo|№)[.:]?[ \t]*\d{1,5}[A-Da-d]?(?:/\d{1,4})?(?![\w])"
)
# A road kilometre after a farm or a village: "Finca Las Marismas, km 12".
_KILOMETRE = r"(?i:km|kil[óo]metro)\.?[ \t]*\d{1,4}(?:[.,]\d{1,3})?(?![\w])"
# What lies behind the house: "în spatele halei", "behind the warehouse", "detrás del taller".
_BEHIND = (
    r"(?i:[îi]n[ \t]+spatele|behind[ \t]+the|detr[áa]s[ \t]+de(?:l|[ \t]+la)?"
    r"|derri[èe]re[ \t]+(?:le|la|les|l['’])|atr[áa]s[ \t]+d[oa]|por[ \t]+tr[áa]s[ \t]+d[oa])"
    r"[ \t]*[^\W\d_]+"
)
# The neighbourhood named after a street address, by its word: "barrio Campo Valdés", "Brgy. Tangos",
# "conjunto feira VI", "P. Bình Hưng Hòa A" (phường, a ward), "الحي الأول", "المنطقة الثالثة".
_NEIGHBOURHOOD = (
    r"(?i:barrio|bairro|brgy\.?|barangay|bgy\.?|colonia|col\.|jardim|conjunto|vila|quartier|cit[ée]"
    r"|katye)[ \t]+[^\W\d_][\w'’-]*(?:[ \t]+(?:[A-ZÀ-ÞĐ][\w'’-]*|[IVX]{1,4}|\d{1,2}|[A-Z]))?"
    r"(?:[ \t]+(?:[A-ZÀ-ÞĐ][\w'’-]*|[IVX]{1,4}|[A-Z]))?(?![\w])"
    r"|P\.[ \t]*[A-ZÀ-ÞĐ][\w'’-]*(?:[ \t]+[A-ZÀ-ÞĐ][\w'’-]*){0,3}"
    r"|(?:ال)?(?:حي|منطقة|مربع|مجاورة)[ \t]+(?:ال)?[\u0621-\u064a]{2,}"
)
_TAIL = compile_verbose(
    rf"""[ \t]*[,，、،]?[ \t]*
        (?:{_LATIN_UNIT}|{_LATIN_FLOOR}|{_BACK}|{_HOUSE_NUMBER}|{_KILOMETRE}|{_BEHIND}|{_CHINESE_UNIT}
        |{_KOREAN_UNIT}|{_CYRILLIC_UNIT}|{_ARABIC_UNIT}|{_NEPALI_UNIT}|{_NEIGHBOURHOOD})"""
)
_TAIL_NO_SEPARATOR = re.compile(rf"(?:{_CHINESE_UNIT})")
_MAX_TAILS = 6


# What comes before a street address in the same way: "Zone 4, Brgy. Tagas", "No. 14 Ogbe-Ijoh
# Street", "#45 Mabini St.". (A district named first, "حي النصر، نهج ...", is a part of town: it stays.)
_HEAD = compile_verbose(
    rf"""(?:(?<![\w])(?i:{_LATIN_UNIT_WORD})\.?[ \t]*\#?[ \t]*\d{{1,5}}[A-Za-z]?[ \t]*[,，،][ \t]*
        |(?i:no\.|n[º°]\.?|\#)[ \t]*)$"""
)


# A numbered part of an address parted from it by a comma only, in any language's words: "...,
# zona 3", "..., depo 2", "قطعة 4، شارع 120". A short piece (at most four words, one of them a
# number of at most four digits) beside an address is a part of it; a piece naming a date, a year,
# an age, a duration or a part of the city stays.
_WORD = r"[^\W\d_][\w\u0900-\u097f'’.-]*"
_NUMBERED = r"\#?\w*\d[\w/-]*"
_SEGMENT = rf"(?:{_WORD}|{_NUMBERED})(?:[ \t]+(?:{_WORD}|{_NUMBERED})){{0,3}}"
# A whole piece between commas, or a word or two closed by a number ("H 7 and in Arabic").
_SEGMENT_AFTER = re.compile(
    rf"[ \t]*[,،][ \t]*(?:({_SEGMENT})(?=[ \t]*(?:[,،;:|)\n]|\.(?!\w)|$))"
    rf"|((?:{_WORD}[ \t]+){{0,2}}{_NUMBERED})(?![\w]))"
)
# A flat, block, plot or road-kilometre piece before a comma, in any script ("Km. 7, ", "قطعة 4، ",
# "ब्लक ४, "); a named area with a number ("Al Barsha 1, ") is a part of town and stays.
_SEGMENT_BEFORE = re.compile(rf"(?<![\w\u0900-\u097f'’.-])({_WORD}[ \t]+{_NUMBERED})[ \t]*[,،][ \t]*$")
_UNIT_PIECE = re.compile(
    rf"(?:{_LATIN_UNIT}|{_KILOMETRE}|{_CYRILLIC_UNIT}|{_ARABIC_UNIT}|{_NEPALI_UNIT}|{_HOUSE_NUMBER})"
)
_NUMBER = re.compile(r"\d+")
_PART_WORD = re.compile(r"[^\W\d_][\w\u0900-\u097f'’/-]*")


def _address_part(piece: str) -> bool:
    """True for a piece with a word and a house, block or road number, and no date, year or age
    in it (a number alone after an address may be the next item of a list: "Cai, 111, 527")."""
    numbers = _NUMBER.findall(piece)
    if not numbers or any(len(number) > 4 for number in numbers):
        return False
    words = [fold(word).strip(".") for word in _PART_WORD.findall(piece)]
    if not words or any(word in ADDRESS_PIECE_STOP_WORDS or word in BIRTH_MONTHS for word in words):
        return False
    return not any(len(number) == 4 and number[:2] in ("19", "20") for number in numbers)


# A unit word of two words whose second word an address found by its number begins with:
# "phòng trọ số 7" found from "trọ số 7".
_UNIT_AT = re.compile(rf"(?<![\w]){_LATIN_UNIT}")


def _unit_word_start(text: str, start: int) -> int:
    """The start of a unit word that runs into the address at start, else start."""
    for position in range(max(0, start - 12), start):
        unit = _UNIT_AT.match(text, position)
        if unit is not None and unit.end() > start:
            return position
    return start


def address_head_start(text: str, start: int) -> int:
    """The start of the zone, block or house-number sign written before an address at start,
    and of the numbered unit pieces before it ("km 9, " before "manzana 12")."""
    start = _unit_word_start(text, start)
    for _ in range(_MAX_TAILS):
        head = _HEAD.search(text, max(0, start - 40), start)
        if head is None or head.start() >= start:
            piece = _SEGMENT_BEFORE.search(text, max(0, start - 60), start)
            if piece is None or not _address_part(piece.group(1)) or not _UNIT_PIECE.fullmatch(
                    piece.group(1)):
                break
            start = piece.start(1)
            continue
        start = head.start()
    return start


def address_tail_end(text: str, end: int) -> int:
    """The end of the flat, floor and room details that follow an address ending at end."""
    for _ in range(_MAX_TAILS):
        tail = _TAIL.match(text, end)
        if tail is None:
            tail = _TAIL_NO_SEPARATOR.match(text, end)
        if tail is None:
            piece = _SEGMENT_AFTER.match(text, end)
            group = 1 if piece is not None and piece.group(1) is not None else 2
            if piece is not None and _address_part(piece.group(group)):
                end = piece.end(group)
                continue
        if tail is None or tail.end() <= end:
            break
        end = tail.end()
    return end
