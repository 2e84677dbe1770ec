"""Street addresses with a house number, apartments, P.O. boxes, colonias, plots and road kilometres."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import ADDRESS, TIER_SPECIFIC, PatternMatch, compile_verbose
from nlp.pii.wordlists import LEGAL_AND_AGENCY_WORDS, PLACE_NAMES, US_STATES

_UPPER = "A-ZÀ-ÖØ-Þ"
_STREET_SUFFIX = (
    r"(?i:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct"
    r"|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Loop|Square|Sq"
    r"|Pike|Row|Alley|Crescent|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)"
)
_UNIT_WORD = (
    r"(?i:Flat|Apt|Apartment|Unit|Suite|Ste|Lot|Trailer|Room|Rm|Floor|Fl|Bldg|Building|apto|depto"
    r"|dpto|departamento|apartamento|appartement|appt|app|int|interior|piso|andar|bloco|casa"
    r"|puerta|esc|b[âa]t|b[âa]timent|[ée]tage)"
)
_UNIT = (
    rf"(?:,?[ ]*{_UNIT_WORD}\.?[ ]*(?:\#|No\.?|n[º°])?[ ]*"
    r"(?:\d[A-Za-z0-9-]{0,5}|[A-Z](?:-?\d{1,4})?)(?![\w:])"
    r"|,?[ ]*\#[ ]?[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w]))"
)
_STREET_ADDRESS = compile_verbose(
    rf"""(?<![\w\#$.,/-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?[ ]+
        (?:(?:[NSEWnsew]|NE|NW|SE|SW|ne|nw|se|sw|North|South|East|West)\.?[ ]+)?
        (?P<street>(?:(?:[{_UPPER}][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))[ ]+){{1,5}}?)
        {_STREET_SUFFIX}\.?(?![\w])
        (?:[ ]+(?:[NSEW]|NE|NW|SE|SW)\.?(?![\w]))?
        {_UNIT}*"""
)
_ROMANCE_NAME_WORDS = (
    rf"(?:(?:(?:de|del|la|las|los|el|da|das|do|dos|des|du|d'|e|y)[ ]+)*"
    rf"(?:[{_UPPER}][\w'’.-]*|\d{{1,3}}(?:[ ]+de[ ]+[{_UPPER}][\w]*)?)[ ]*){{1,6}}"
)
_ROMANCE_STREET = compile_verbose(
    rf"""\b(?:(?i:Calle|Avenida|Avda|Calzada|Carrera|Cra|Diagonal|Transversal|Bulevar|Camino
        |Callej[óo]n|Privada|Andador|Paseo|Pasaje|Carretera|Rua|Travessa|Alameda|Estrada
        |Rodovia|Largo|Pra[çc]a)\.?|C/|Av\.|Calz\.|Priv\.|Blvd\.)[ ]+
        {_ROMANCE_NAME_WORDS},?[ ]*(?:No\.?|N[úu]m\.?|n[º°]|n\.[º°]|\#|n[úu]mero)?[ ]*
        \d{{1,5}}[A-Za-z]?(?:[ ]*[-–][ ]*\d{{1,4}})?(?![\w])
        (?:,?[ ]*(?i:col\.|colonia|bairro|barrio|fracc\.?|fraccionamiento|urb\.)[ ]+
        {_ROMANCE_NAME_WORDS})?
        (?:,?[ ]*\d{{1,2}}[ºª°][ ]?(?:[A-Z](?![\w]))?)?
        {_UNIT}*"""
)
_FRENCH_STREET = compile_verbose(
    rf"""(?<![\w.,/-])\d{{1,5}}(?:[ ]?(?:bis|ter))?,?[ ]+
        (?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|place|quai|cours|route
        |square|passage)[ ]+
        (?:(?:(?:de|du|des|la|le|les|en|sur|aux?)(?![\w'’])|l'|d'|l’|d’)[ ]*|[{_UPPER}][\w'’-]*[ ]*){{1,6}}
        {_UNIT}*"""
)
_PO_BOX = compile_verbose(
    r"""\b(?i:P\.?[ ]?O\.?[ ]?Box|Post[ ]Office[ ]Box|Apartado(?:[ ]Postal|[ ]A[ée]reo)?
        |Caixa[ ]Postal|Bo[îi]te[ ]Postale)[ ]*\#?[ ]*\d{1,8}\b|\bB\.?P\.?[ ]\d{1,6}\b"""
)
_COLONIA = compile_verbose(rf"\b(?i:col\.|colonia)[ ]+{_ROMANCE_NAME_WORDS}")
_LONE_UNIT = compile_verbose(
    r"""\b(?i:flat|apt|apartment|unit|suite|ste|trailer|depto|dpto|departamento|apto|apartamento
        |appartement|appt)\.?[ ]*(?:\#|No\.?|n[º°])?[ ]*(?:\d[A-Za-z0-9-]{0,5}|[A-Z](?:-?\d{1,4})?)
        (?![\w:])"""
)

_PLOT_WORD = r"(?i:lote|lt|manzana|mz|mza|casa|solar|parcela|bloque|block|pasaje|sector)"
# Plots and houses without a street number: "Lote 5 Manzana 3", "casa 23, pasaje Los Olivos".
_PLOT = compile_verbose(
    rf"""\b{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        (?:,?[ ]+{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        |,?[ ]+(?i:pasaje|calle|callej[óo]n|avenida|senda|residencial|urbanizaci[óo]n|travessa
        |rua|vila|quadra)[ ]+{_ROMANCE_NAME_WORDS})+"""
)
# A place on a road given by its kilometre: "Km 14 carretera a Masaya".
_KILOMETRE = compile_verbose(
    rf"""\b(?i:km|kil[óo]metro)\.?[ ]*\d{{1,4}}(?:[.,]\d{{1,3}})?[ ]+(?i:de[ ]+la[ ]+|del[ ]+|da[ ]+)?
        (?i:carretera|autopista|rodovia|estrada|camino|ruta|route|highway)(?![\w])
        (?:[ ]+(?i:a|al|hacia|para|to)(?![\w]))?(?:[ ]+[{_UPPER}][\w'’-]*){{0,3}}"""
)


# National formats: Guatemala ("4a Calle 3-21 zona 1"), the Philippines ("Blk 5 Lot 12, Brgy. San
# Roque"), Romania ("Str. Florilor nr. 7, bl. A3, sc. 2, ap. 14"), Russia and Ukraine ("ул. Шевченко,
# д. 15, кв. 8"), China ("建国路88号3单元502室"), Korea ("대림로 123, 101동 202호") and Vietnam
# ("số 12 ngõ 45 phố Tây Sơn").
_GUATEMALAN_STREET = compile_verbose(
    r"""\b\d{1,2}(?:a|ª|o|º|[ ]?(?i:avenida|calle))?\.?[ ]*(?i:calle|avenida|av\.?|ave)[ ]+
        \d{1,3}[ ]?-[ ]?\d{1,3}(?![\w])(?:,?[ ]*(?i:zona)[ ]*\d{1,2}(?![\w]))?"""
)
_PHILIPPINE_PLOT = compile_verbose(
    rf"""\b(?i:blk|block|bldg)\.?[ ]*\d{{1,4}}[A-Za-z]?(?:,?[ ]*(?i:lot|lt)\.?[ ]*\d{{1,4}}[A-Za-z]?)?
        (?:,?[ ]*(?i:phase|ph)\.?[ ]*\d{{1,2}})?
        (?:,?[ ]*(?i:brgy|barangay|bgy)\.?[ ]+{_ROMANCE_NAME_WORDS})?"""
)
_ROMANIAN_STREET = compile_verbose(
    rf"""\b(?i:str\.|strada|bd\.|bdul\.?|b-dul\.?|bulevardul|calea|aleea|[șş]os\.|sos\.|[șş]oseaua
        |soseaua|pia[țţ]a|splaiul|intrarea)[ ]+{_ROMANCE_NAME_WORDS},?[ ]*(?i:nr\.?|num[ăa]rul)[ ]*
        \d{{1,4}}[A-Za-z]?(?![\w])(?:,?[ ]*(?i:bl|sc|et|ap|apt)\.?[ ]*[A-Za-z0-9]{{1,4}}(?![\w]))*"""
)
_CYRILLIC_STREET = compile_verbose(
    r"""(?<![\w])(?i:ул\.|улица|вул\.|вулиця|пр\.|просп\.|проспект|пер\.|переулок|провулок|бул\.
        |бульвар|ш\.|шоссе|наб\.|пл\.|площадь|площа)[ ]*(?:[А-ЯЁІЇЄҐ0-9][\w'’.-]*[ ]*){1,3},?[ ]*
        (?i:д\.|дом|буд\.|будинок)[ ]*\d{1,4}[а-яa-z]?(?:[/-]\d{1,3})?
        (?:,?[ ]*(?i:корп\.|к\.|стр\.|кв\.|квартира|под\.)[ ]*\d{1,4})*"""
)
_CHINESE_STREET = compile_verbose(
    r"""(?:(?![区市省县縣镇鎮州在住于於是])[\u4e00-\u9fff]){1,5}(?:大街|大道|胡同|路|街|道|巷|弄)
        [ ]*\d{1,5}[ ]*[号號](?:[ ]*\d{1,4}[ ]*(?:号楼|號樓|栋|棟|幢|单元|單元|楼|樓|层|層|室|号|號))*"""
)
_KOREAN_STREET = compile_verbose(
    r"""[\uac00-\ud7af]{1,8}(?:대로|로|길)[ ]*\d{1,4}(?:-\d{1,4})?(?![\d])
        (?:[ ]*(?:번길)[ ]*\d{1,4})?(?:,?[ ]*\d{1,4}[ ]*동)?(?:[ ]*\d{1,4}[ ]*호)?"""
)
_VIETNAMESE_STREET = compile_verbose(
    r"""(?<![\w])(?i:s[ốo](?:[ ]+nh[àa])?[ ]*)?\d{1,4}[A-Za-z]?(?:/\d{1,4})*
        (?:(?:,?[ ]+(?i:ng[õo]|ng[áa]ch|h[ẻe]m|ki[ệe]t)[ ]*\d{1,4}(?:/\d{1,4})*)+
        (?:,?[ ]+(?i:ph[ốo]|đ[ưu][ờo]ng|đ\.)[ ]+(?:[A-ZĐÀ-ÝẠ-Ỹ][^\W\d_]*[ ]?){1,4})?
        |,?[ ]+(?i:ph[ốo]|đ[ưu][ờo]ng|đ\.)[ ]+(?:[A-ZĐÀ-ÝẠ-Ỹ][^\W\d_]*[ ]?){1,4})"""
)
_NON_LATIN_PATTERNS = (_CYRILLIC_STREET, _CHINESE_STREET, _KOREAN_STREET, _VIETNAMESE_STREET)
# A US ZIP code after a state: its last two digits go, the first three (an area) stay, as under
# the HIPAA Safe Harbor rule ("NY 11432" -> "NY 114[ADDRESS 2]").
_STATE_CODES = "|".join(sorted({code.upper() for code in US_STATES.values()}))
_STATE_NAMES = "|".join(sorted((re.escape(name.title()) for name in US_STATES), key=len, reverse=True))
_ZIP_CODE = re.compile(
    rf"(?:(?<![\w])(?:{_STATE_CODES})\.?,?|(?<![\w])(?:{_STATE_NAMES}),?|(?i:\bzip(?:[ ]?code)?[ ]*[:#]?))"
    r"[ \t]+\d{3}(?P<hidden>\d{2}(?:-\d{4})?)(?![\w-])"
)


def find_zip_codes(text: str) -> Iterator[PatternMatch]:
    """The last two digits (and any +4 part) of US ZIP codes written after a state."""
    for match in _ZIP_CODE.finditer(text):
        yield PatternMatch(ADDRESS, match.start("hidden"), match.end("hidden"), TIER_SPECIFIC)


def find_addresses(text: str) -> Iterator[PatternMatch]:
    """Street addresses with a house number, apartments, P.O. boxes and colonias."""
    patterns: tuple[re.Pattern[str], ...] = (
        _STREET_ADDRESS, _ROMANCE_STREET, _FRENCH_STREET, _PO_BOX, _COLONIA, _LONE_UNIT, _PLOT,
        _KILOMETRE, _GUATEMALAN_STREET, _PHILIPPINE_PLOT, _ROMANIAN_STREET,
    )
    if not text.isascii():
        patterns += _NON_LATIN_PATTERNS
    yield from find_zip_codes(text)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is _STREET_ADDRESS and re.search(r"(?i:court|ct)\.?$", match.group()) and all(
                fold(word) in LEGAL_AND_AGENCY_WORDS or fold(word) in PLACE_NAMES
                for word in match.group("street").split()
            ):
                continue  # "2020 Superior Court", "3 Family Court": a court, not a street
            end = match.end()
            while end > match.start() and text[end - 1] in " ,":
                end -= 1
            yield PatternMatch(ADDRESS, match.start(), end, TIER_SPECIFIC)
