"""Street addresses with a house number, apartments, P.O. boxes, colonias, plots and road kilometres,
with the national formats, the villages and wards, and the flat and floor details after them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.address_tails import address_head_start, address_tail_end
from nlp.pii.addresses_national import find_national_addresses
from nlp.pii.common import ADDRESS, TIER_SPECIFIC, PatternMatch, compile_verbose, lower_or_capitalised
from nlp.pii.localities import find_localities
from nlp.pii.spoken import find_spoken_addresses
from nlp.pii.wordlists import (
    LEGAL_AND_AGENCY_WORDS,
    MONTH_AND_DAY_WORDS,
    PLACE_NAMES,
    STOP_WORDS,
    US_STATES,
)

_UPPER = "A-ZÀ-ÖØ-Þ"
_STREET_SUFFIX = (
    r"(?i:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct"
    r"|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Loop|Square|Sq"
    r"|Pike|Row|Alley|Crescent|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke|Concourse|Plaza|Walk|Close"
    r"|Mews|Crossing|Path)"
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
    rf"""(?<![\w\#$.,/-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?[ ]+(?:de[ ]+)?
        (?:(?:[NSEWnsew]|NE|NW|SE|SW|ne|nw|se|sw|North|South|East|West)\.?[ ]+)?
        (?P<street>(?:(?:[{_UPPER}][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))[ ]+){{1,5}}?)
        {_STREET_SUFFIX}\.?(?![\w])
        (?:[ ]+(?:[NSEW]|NE|NW|SE|SW)\.?(?![\w]))?
        {_UNIT}*"""
)
_ROMANCE_NAME_WORDS = (
    rf"(?:(?:(?:de|del|la|las|los|el|da|das|do|dos|des|du|d'|e|y)[ ]+)*"
    rf"(?:[{_UPPER}][\w'’.-]*|\d{{1,3}}(?!\d)(?:[ ]+de[ ]+[{_UPPER}][\w]*)?)[ ]*){{1,6}}"
)
_ROMANCE_STREET_WORDS = lower_or_capitalised(
    "calle|avenida|avda|calzada|carrera|cra|diagonal|transversal|bulevar|camino|callej[óo]n|privada"
    "|andador|paseo|pasaje|carretera|rua|travessa|alameda|estrada|rodovia|largo|pra[çc]a",
    upper=True,
)
_ROMANCE_STREET = compile_verbose(
    rf"""\b(?:{_ROMANCE_STREET_WORDS}\.?|C/|Av\.|Calz\.|Priv\.|Blvd\.|R\.)[ ]+
        (?P<name>{_ROMANCE_NAME_WORDS}),?[ ]*(?:No\.?|N[úu]m\.?|n[º°]|n\.[º°]|\#|n[úu]mero)?[ ]*
        \d{{1,5}}[A-Za-z]?(?:[ ]*[-–][ ]*\d{{1,4}})?(?![\w])(?!\.?[ºª°])
        (?:,?[ ]*(?i:col\.|colonia|bairro|barrio|fracc\.?|fraccionamiento|urb\.)[ ]+
        {_ROMANCE_NAME_WORDS})?
        {_UNIT}*"""
)
# Number first: French, Belgian and Quebec streets ("au 2231, rang Saint-Paul", "3456, boul.
# Lévesque Est"), and Philippine ones ("2187-B Int. 4, Kalye Maliwanag").
_FRENCH_STREET = compile_verbose(
    rf"""(?<![\w.,/-])\d{{1,5}}(?:[ ]?(?:bis|ter)|-?[A-Z](?![\w]))?
        (?:,?[ ]*(?i:int|interior|unit|apt)\.?[ ]*\d{{1,4}})?,?[ ]+(?:(?:N|S|E|W|NE|NW|SE|SW)\.?[ ]+)?
        (?i:rue|avenue|av\.|boulevard|boul\.|bd|chemin|all[ée]e|impasse|place|quai|cours|route
        |square|passage|traverse|rang|mont[ée]e|ruelle|voie|sentier|kalye|calle|camino|paseo|avenida)[ ]+
        (?:(?:(?:de|du|des|la|le|les|en|sur|aux?)(?![\w'’])|l'|d'|l’|d’)[ ]*|[{_UPPER}][\w'’-]*[ ]*){{1,6}}
        {_UNIT}*"""
)
_PO_BOX = compile_verbose(
    r"""\b(?i:P\.?[ ]?O\.?[ ]?Box|Post[ ]Office[ ]Box|Apartado(?:[ ]Postal|[ ]A[ée]reo)?
        |Caixa[ ]Postal|Bo[îi]te[ ]Postale)[ ]*\#?[ ]*\d{1,8}\b|\bB\.?P\.?[ ]\d{1,6}\b"""
)
_COLONIA = compile_verbose(rf"\b(?i:col\.|colonia)[ ]+{_ROMANCE_NAME_WORDS}")
# The numbered room, trailer, container or plot where she lived, alone: "chambre 112", "quarto 4",
# "traila 4", "contentor n.º 14", "parcela 7B", "вагончик № 7", "phòng 2B".
_LONE_UNIT_WORDS = lower_or_capitalised(
    "flat|apt|apartment|unit|suite|ste|trailer|depto|dpto|departamento|apto|apartamento|appartement"
    "|appt|room|chambre|quarto|cuarto|habitaci[óo]n|kuwarto|chanm|camera|traila|trel[èe]|caravane"
    "|caravana|roulotte|mobile-home|contentor|container|contenedor|cont[êe]iner|barraca|baraka|barak"
    "|m[óo]dulo|parcela|dormitorio|vagoncito|вагончик|вагончике|комната|комнате|кімната|кімнаті"
    "|контейнер|контейнері|контейнере|phòng|lô[ ]đất",
    upper=True,
)
_LONE_UNIT = compile_verbose(
    rf"""(?<![\w-]){_LONE_UNIT_WORDS}\.?[ ]*(?:\#|No\.?|n\.?[º°]\.?|nr\.?|№|nimewo|số)?[ ]*
        (?:\d[A-Za-z0-9-]{{0,5}}|[A-Z](?:-?\d{{1,4}})?)(?![\w:'’])"""
)

_PLOT_WORD = lower_or_capitalised(
    "lote|lt|manzana|mz|mza|casa|solar|parcela|bloque|block|pasaje|sector", upper=True
)
# Plots and houses without a street number: "Lote 5 Manzana 3", "casa 23, pasaje Los Olivos".
_PLOT = compile_verbose(
    rf"""\b{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        (?:,?[ ]+{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        |,?[ ]+(?i:pasaje|calle|callej[óo]n|avenida|senda|residencial|urbanizaci[óo]n|travessa
        |rua|vila|quadra)[ ]+{_ROMANCE_NAME_WORDS})+"""
)
# A place on a road given by its kilometre: "Km 14 carretera a Masaya". A road with a name of its
# own stays ("km 108 de la Carretera Interoceánica" keeps the road).
_KILOMETRE = compile_verbose(
    rf"""\b(?i:km|kil[óo]metro)\.?[ ]*\d{{1,4}}(?:[.,]\d{{1,3}})?[ ]+(?i:de[ ]+la[ ]+|del[ ]+|da[ ]+)?
        (?:carretera|autopista|rodovia|estrada|camino|ruta|route|highway)(?![\w])
        (?:[ ]+(?i:a|al|hacia|para|to)(?![\w]))?(?:[ ]+[{_UPPER}][\w'’-]*){{0,3}}
        |\b(?i:km|kil[óo]metro)\.?[ ]*\d{{1,4}}(?:[.,]\d{{1,3}})?
        (?=[ ]+(?:de[ ]+la[ ]+|del[ ]+|da[ ]+|on[ ]+(?:the[ ]+)?)?
        (?:Carretera|Autopista|Rodovia|Estrada|Camino|Ruta|Route|Highway)[ ]+[{_UPPER}0-9])"""
)


# National formats: Guatemala ("4a Calle 3-21 zona 1"), the Philippines ("Blk 5 Lot 12, Brgy. San
# Roque") and Romania ("Str. Florilor nr. 7, bl. A3, sc. 2, ap. 14"); those of other scripts are in
# nlp/pii/addresses_national.py.
_GUATEMALAN_STREET = compile_verbose(
    r"""\b\d{1,2}(?:a|ª|o|º|[ ]?(?i:avenida|calle))?\.?[ ]*(?i:calle|avenida|av\.?|ave)[ ]+
        \d{1,3}[ ]?-[ ]?\d{1,3}(?![\w])(?:,?[ ]*(?i:zona)[ ]*\d{1,2}(?![\w]))?"""
)
_PHILIPPINE_PLOT = compile_verbose(
    rf"""\b(?i:blk|block|bldg)\.?[ ]*\d{{1,4}}[A-Za-z]?(?:,?[ ]*(?i:lot|lt)\.?[ ]*\d{{1,4}}[A-Za-z]?)?
        (?:,?[ ]*(?i:phase|ph)\.?[ ]*\d{{1,2}})?
        (?:,?[ ]*(?i:brgy|barangay|bgy)\.?[ ]+{_ROMANCE_NAME_WORDS})?"""
)
_ROMANIAN_STREET_WORDS = lower_or_capitalised(
    r"str\.|strada|bd\.|bdul\.?|b-dul\.?|bulevardul|calea|aleea|[șş]os\.|sos\.|[șş]oseaua|soseaua"
    r"|pia[țţ]a|splaiul|intrarea",
    upper=True,
)
_ROMANIAN_STREET = compile_verbose(
    rf"""\b{_ROMANIAN_STREET_WORDS}[ ]+{_ROMANCE_NAME_WORDS},?[ ]*(?i:nr\.?|num[ăa]rul)[ ]*
        \d{{1,4}}[A-Za-z]?(?![\w])(?:,?[ ]*(?i:bl|sc|et|ap|apt)\.?[ ]*[A-Za-z0-9]{{1,4}}(?![\w]))*"""
)
# Street word, name, then house number, in the languages that write it so: Spanish, Portuguese,
# French and Belgian, Italian, Romanian, Polish and Czech, Haitian Creole, Tagalog, Malay and
# Turkish ("Rue de Brabant 154", "Via Foria 120", "ul. Legnicka 58/12", "Ri Mirak #14", "Jalan
# Alor 12", "Contrada Cicchitto 14"). The name is capitalised; the number may carry "nr.", "n.º",
# "#" and a second part ("58/12", "3-21"), or be "s/n" (no number).
_STREET_WORD_BEFORE = lower_or_capitalised(
    r"calle|c/|avenida|avda\.?|av\.|calzada|calz\.|carrera|cra\.|diagonal|transversal|bulevar"
    r"|camino|callej[óo]n|privada|priv\.|andador|paseo|pasaje|carretera|ronda|plaza|traves[íi]a"
    r"|carrer|r[úu]a|travessa|tv\.|alameda|estrada|rodovia|largo|pra[çc]a|beco|viela|ladeira|rue"
    r"|avenue|boulevard|boul\.|bd\.?|chauss[ée]e|chemin|all[ée]e|impasse|quai|traverse|ruelle|route"
    r"|via|viale|piazza|piazzale|corso|vicolo|contrada|strada|lungomare|str\.|bulevardul|bdul\.?"
    r"|b-dul\.?|calea|aleea|[șş]os\.|sos\.|[șş]oseaua|pia[țţ]a|splaiul|intrarea|ul\.|ulica|ulice"
    r"|al\.|aleja|os\.|osiedle|plac|n[áa]m\.|n[áa]m[ěe]st[íi]|t[řr]\.|t[řr][íi]da|ri|avni|wout"
    r"|kalye|kalsada|jalan|jln\.?|jl\.|lorong|lrg\.?|persiaran|lebuh|sokak|sok\.|cadde|caddesi"
    r"|cad\.|mahallesi|mah\."
)
_NAME_WORD = (
    rf"(?:[{_UPPER}ĂÂÎȘȚŞŢŁŚŻŹĆŃ][\w'’.-]*|\d{{1,3}}(?!\d)(?:[ºª°]|st|nd|rd|th|er|e|-?[a-z]{{1,2}})?)"
)
_NAME_LINK = (
    r"(?:(?:de|del|de[ ]la|de[ ]las|de[ ]los|la|las|los|el|da|das|do|dos|des|du|di|della|delle|dei"
    r"|degli|le|les|cel|lui|van|von|der|den|al|y|e|of|the|sur|sous|aux?)[ ]+|d['’]|l['’])"
)
# A number may stand inside a street name ("Calle 5 de Mayo 23") but not end it.
_NAME_WORD_LETTERS = rf"[{_UPPER}ĂÂÎȘȚŞŢŁŚŻŹĆŃ][\w'’.-]*"
_STREET_NAME = rf"(?:{_NAME_LINK}*{_NAME_WORD}[ ]+){{0,4}}{_NAME_LINK}*{_NAME_WORD_LETTERS}"
_HOUSE_NUMBER = (
    r"(?:,?[ ]*(?i:n[º°o]\.?|n\.[º°]|no\.|nr\.?|num\.?|n[úu]m\.?|n[úu]mero|num[ăa]rul|nimewo|\#|№)?[ ]*"
    r"(?!(?:19|20)\d\d(?![\d]))\d{1,5}[A-Da-d]?(?:[ ]?[-/][ ]?\d{1,4}[A-Da-d]?)?|[ ]+s/n)"
)
# A Latin letter, digit or slash straight after a number makes it something else ("12kg", "3/4"),
# and so does a further group of digits (a phone number: "via WhatsApp 504 9555 1234").
_NUMBER_END = r"(?![0-9A-Za-zÀ-ÖØ-öø-ÿ/])(?![ ]?[-.]?[ ]?\d\d)(?!\.?[ºª°])"
_STREET_NAME_NUMBER = compile_verbose(
    rf"""(?<![0-9A-Za-zÀ-ÖØ-öø-ÿ]){_STREET_WORD_BEFORE}[ ]+(?P<name>{_STREET_NAME}){_HOUSE_NUMBER}
        {_NUMBER_END}"""
)
# Name, street word, number: German, Dutch, Scandinavian and English in countries that write the
# number last ("Bergkamener Straße 48", "Lange Straße 88", "Hauptstr. 5", "Esselen Street 112").
_STREET_WORD_AFTER = compile_verbose(
    rf"""(?<![0-9A-Za-zÀ-ÖØ-öø-ÿ])(?P<name>[{_UPPER}][\w'’-]*(?:[ ]+[{_UPPER}][\w'’-]*){{0,2}})
        (?:[ ]+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Straat|Laan|Plein
        |Street|Road|Avenue|Lane|Drive|Boulevard|Sokak|Sokağı|Caddesi|Cad\.|Sok\.)
        |(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|straat|laan|plein
        |gracht|kade|gatan|vägen|väg|gade|vej))
        [ ]+(?:No[.:]?[ ]*)?(?!(?:19|20)\d\d(?!\d))\d{{1,4}}[a-d]?(?:[ ]?[-/][ ]?\d{{1,4}}[a-d]?)?
        {_NUMBER_END}"""
)
# A numbered street with a numbered house, as in Iraq and the Gulf ("Street 60, House 14").
_NUMBERED_STREET_AND_HOUSE = compile_verbose(
    r"""(?<![\w])(?i:street|st\.|road|rd\.|lane|alley|avenue|sector|block|sokak)[ ]+\d{1,4}[A-Za-z]?
        ,?[ ]+(?i:house|home|building|bldg\.?|villa|flat|apartment|plot|shop)[ ]*(?:No\.?|\#)?[ ]*
        \d{1,5}[A-Za-z]?(?![\w])"""
)
# Mexican streets are often written without a street word, but with the colonia after them:
# "Río Humaya 1420, col. Las Quintas".
_STREET_BEFORE_COLONIA = compile_verbose(
    rf"""(?<![\w])[{_UPPER}][\w'’.-]*(?:[ ]+(?:(?:de|del|la|los|las|el)[ ]+)?[{_UPPER}][\w'’.-]*){{0,3}}
        [ ]+\d{{1,5}}[A-Za-z]?(?:[ ]?-[ ]?\d{{1,4}})?,?[ ]*
        (?i:col\.|colonia|fracc\.?|fraccionamiento)[ ]+{_ROMANCE_NAME_WORDS}"""
)
# American numbered streets with a direction, named without a house number ("SW 312th St").
_DIRECTED_NUMBERED_STREET = compile_verbose(
    r"""(?<![\w])(?:N|S|E|W|NE|NW|SE|SW)\.?[ ]+\d{1,3}(?:st|nd|rd|th)[ ]+
        (?:St|Street|Ave|Avenue|Rd|Road|Ter|Terrace|Ct|Court|Pl|Place|Dr|Drive|Way|Ln|Lane)\.?(?![\w])"""
)
# A house number and a street in lower case, with a street abbreviation ("4410 rainier ave s #12",
# "902 frio city rd apt 14"): the abbreviation leaves no doubt, where a whole word ("drive",
# "way") might be an ordinary one.
_LOWER_CASE_STREET = compile_verbose(
    rf"""(?<![\w\#$.,/-])\d{{1,6}}[a-z]?[ ]+(?:[nsew]\.?[ ]+)?(?P<street>(?:[a-z][a-z'-]+[ ]+){{1,3}})
        (?:ave|blvd|rd|hwy|pkwy)\.?(?![\w])(?:[ ]+(?:[nsew]|ne|nw|se|sw)\.?(?![\w]))?{_UNIT}*"""
)
# Japanese addresses in Latin letters: "5-12 Kanō-chō", "Nakayamatedori 3-chome 12-5".
_JAPANESE_ADDRESS = compile_verbose(
    r"""(?<![\w-])\d{1,4}(?:-\d{1,4}){1,2},?[ ]+[A-Z][\w'’-]*-(?:ch[ōo]|machi)(?![\w])
        |(?<![\w])[A-Z][\w'’-]*[ ]+\d{1,2}-ch[ōo]me(?:[ ]+\d{1,4}(?:-\d{1,4}){0,2})?"""
)
# A street written without a street word, known by the flat after it: "Kounicova 41, byt 5".
_STREET_BEFORE_FLAT = compile_verbose(
    rf"""(?<![\w])[{_UPPER}][\w'’-]+(?:[ ]+[{_UPPER}][\w'’-]+){{0,2}}[ ]+\d{{1,5}}[a-d]?(?:/\d{{1,4}})?
        (?=,[ ]*(?i:byt|apt|apto|app|appt|flat|unit|daire|zimmer|wohnung|whg|mieszkanie|m\.|ap\.|кв\.
        |квартира)\.?[ ]*\d)"""
)
# Words after a street word that make it something else: "Calle 13 members", "via WhatsApp".
_COUNTED_AFTER = re.compile(
    r"[ \t]*(?:%|\$|€|(?i:years?|a[ñn]os?|ans?|ani|anos|hours?|horas?|heures?|ore|days?|d[íi]as?"
    r"|jours?|zile|weeks?|semanas?|months?|mes(?:es)?|mois|luni|minutes?|minutos?|km|kms|miles?"
    r"|metros?|meters?|kg|euros?|dollars?|d[óo]lar(?:es)?|pesos|reais|lei|rands?|veces|vez|times"
    r"|fois|ori|people|persons?|personas?|pessoas?|personnes?|persoane|men|women|mujeres|hombres"
    r"|homens|mulheres|hommes|femmes|workers?|trabajadores|children|ni[ñn]os|crian[çc]as|enfants"
    r"|copii|girls|boys|chicas|chicos|members|miembros|y/?o|yrs?|года?|лет|г\.|р\.|років|рік|человек|осіб"
    r"|грн|руб)(?![\w]))"
)
_ROAD_CLASSES = frozenset(
    "nacional national nationale nazionale federal estadual estatal provincial regional municipal "
    "departamental interstate panamericana panamericano interoceanica interoceanico".split()
)
# Italian "via" in lower case is a street only after a preposition or at the start of a line;
# elsewhere it is the English or Romance "by way of".
_ITALIAN_VIA_BEFORE = re.compile(
    r"(?:^|\n|[:;(,]|(?<![\w])(?i:in|a|en|em|na|no|numa|pe|la|în|at|à|on|nella|sulla|su|da|di|alla|dalla"
    r"|presso|на|в|у))[ \t]*$"
)
# A lot, plot or house number written before the street ("Lot 27, Jalan Perusahaan 3", "No. 12,
# Jalan Perindustrian 3").
_NUMBER_BEFORE_STREET = re.compile(
    r"(?<![\w])(?i:lot|no\.|n[º°]|unit|blk|block|house|plot|casa|#)[ ]*\d{1,5}[A-Za-z]?,?[ ]*$"
)


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


# A full UK postcode ("BD7 3AL", "HX1 2PQ", "SW1A 1AA"): a street or a part of one, so the whole
# code goes (no three-digit rule fits it: its first half alone is a few thousand addresses).
_UK_POSTCODE = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])")


def find_addresses(text: str) -> Iterator[PatternMatch]:
    """Street addresses, apartments, P.O. boxes, colonias, villages and wards, each with the flat,
    floor and room details after it; addresses side by side ("tổ 5 khu 3") make one span."""
    yield from find_zip_codes(text)
    for match in _UK_POSTCODE.finditer(text):
        yield PatternMatch(ADDRESS, match.start(), match.end(), TIER_SPECIFIC)
    spans = [
        (address_head_start(text, start), address_tail_end(text, end))
        for start, end in (*_latin_addresses(text), *find_national_addresses(text),
                           *find_localities(text), *find_spoken_addresses(text))
    ]
    for start, end in _merge_spans(text, spans):
        yield PatternMatch(ADDRESS, start, end, TIER_SPECIFIC)


def _latin_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of the street addresses written in Latin script."""
    patterns: list[re.Pattern[str]] = [
        _STREET_ADDRESS, _ROMANCE_STREET, _FRENCH_STREET, _PO_BOX, _COLONIA, _LONE_UNIT, _PLOT,
        _KILOMETRE, _GUATEMALAN_STREET, _PHILIPPINE_PLOT, _ROMANIAN_STREET, _STREET_NAME_NUMBER,
        _DIRECTED_NUMBERED_STREET,
    ]
    # Patterns for rarer formats run only when a word they need is in the text.
    lowered = text.lower()
    patterns.extend(pattern for pattern, words in _GATED_PATTERNS
                    if any(word in lowered for word in words))
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is _STREET_ADDRESS and re.search(r"(?i:court|ct)\.?$", match.group()) and all(
                fold(word) in LEGAL_AND_AGENCY_WORDS or fold(word) in PLACE_NAMES
                for word in match.group("street").split()
            ):
                continue  # "2020 Superior Court", "3 Family Court": a court, not a street
            if pattern is _LOWER_CASE_STREET and any(
                fold(word) in STOP_WORDS for word in match.group("street").split()
            ):
                continue  # "paid 300 a month rd": ordinary words, not a street name
            if pattern in (_STREET_NAME_NUMBER, _STREET_WORD_AFTER, _ROMANCE_STREET) and (
                _COUNTED_AFTER.match(text, match.end()) or _not_a_street_name(match.group("name"))
            ):
                continue
            first = match.group().split()[0].rstrip(".")
            if pattern is _STREET_NAME_NUMBER and first.isupper() and len(first) <= 3:
                continue  # "Mobile AL. 63 y/o": a state, not the Polish "al." (avenue)
            if match.group().startswith("via ") and not _ITALIAN_VIA_BEFORE.search(
                    text[max(0, match.start() - 12) : match.start()]):
                continue  # "via WhatsApp": the English preposition
            start, end = match.start(), match.end()
            while end > start and text[end - 1] in " ,":
                end -= 1
            last_word = re.search(r"([^\W\d_]+)\.$", text[start:end])
            if last_word is not None and last_word.group(1).lower() not in _ABBREVIATIONS:
                end -= 1  # the full stop of the sentence: "col. La Paz."
            before = _NUMBER_BEFORE_STREET.search(text[max(0, start - 20) : start])
            if before is not None:
                start -= len(before.group())
            yield start, end


_GATED_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_STREET_WORD_AFTER, ("stra", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
                          "chaussee", "laan", "plein", "street", "road", "avenue", "lane", "drive",
                          "boulevard", "sok", "cad", "gracht", "kade", "gatan", "väg", "gade", "vej")),
    (_NUMBERED_STREET_AND_HOUSE, ("house", "home", "building", "bldg", "villa", "flat", "apartment",
                                  "plot", "shop")),
    (_STREET_BEFORE_COLONIA, ("col.", "colonia", "fracc")),
    (_LOWER_CASE_STREET, ("ave", "blvd", "rd", "hwy", "pkwy")),
    (_JAPANESE_ADDRESS, ("-chō", "-cho", "chome", "-machi")),
    (_STREET_BEFORE_FLAT, ("byt", "apt", "app", "flat", "unit", "daire", "zimmer", "wohnung", "whg",
                           "mieszkanie", "m.", "ap.", "кв")),
)


# Abbreviations of address words, whose full stop belongs to the address.
_ABBREVIATIONS = frozenset(
    "st ave av rd blvd dr ln ct pl hwy pkwy apt ste fl rm bldg str sos nr no bl sc et ap int col fracc "
    "urb bd bdul jl jln lrg sok cad mah ul al os nám tř calz priv avda tv boul subd brgy bgy ph dpto "
    "depto apto app appt esq dto izq dcha".split()
)


def _not_a_street_name(name: str) -> bool:
    """True when the words after a street word are an agency, a date or a month ("Plaza ICE"), or
    name a national road by its number ("Estrada Nacional 120", "Ruta Federal 5")."""
    words = [word for word in name.split() if not word[:1].isdigit()]
    return bool(words) and all(
        (word.isupper() and len(word) > 1) or fold(word) in MONTH_AND_DAY_WORDS
        or fold(word) in _ROAD_CLASSES for word in words
    )


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by spaces or a comma, as one span."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" \t,，、")):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
