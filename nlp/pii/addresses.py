"""Street addresses with a house number, apartments, P.O. boxes, colonias, plots and road kilometres."""

from __future__ import annotations

from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import ADDRESS, TIER_SPECIFIC, PatternMatch, compile_verbose
from nlp.pii.wordlists import LEGAL_AND_AGENCY_WORDS, PLACE_NAMES

_UPPER = "A-ZÀ-ÖØ-Þ"
_STREET_SUFFIX = (
    r"(?i:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct"
    r"|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Loop|Square|Sq"
    r"|Pike|Row|Alley|Crescent|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)"
)
_UNIT_WORD = (
    r"(?i:Apt|Apartment|Unit|Suite|Ste|Lot|Trailer|Room|Rm|Floor|Fl|Bldg|Building|apto|depto"
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
        {_UNIT}*"""
)
_FRENCH_STREET = compile_verbose(
    rf"""(?<![\w.,/-])\d{{1,5}}(?:[ ]?(?:bis|ter))?,?[ ]+
        (?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|place|quai|cours|route
        |square|passage)[ ]+
        (?:(?:de|du|des|la|le|l'|d'|les|en|sur|aux?)[ ]*|[{_UPPER}][\w'’-]*[ ]*){{1,6}}
        {_UNIT}*"""
)
_PO_BOX = compile_verbose(
    r"""\b(?i:P\.?[ ]?O\.?[ ]?Box|Post[ ]Office[ ]Box|Apartado(?:[ ]Postal|[ ]A[ée]reo)?
        |Caixa[ ]Postal|Bo[îi]te[ ]Postale)[ ]*\#?[ ]*\d{1,8}\b|\bB\.?P\.?[ ]\d{1,6}\b"""
)
_COLONIA = compile_verbose(rf"\b(?i:col\.|colonia)[ ]+{_ROMANCE_NAME_WORDS}")
_LONE_UNIT = compile_verbose(
    r"""\b(?i:apt|apartment|unit|suite|ste|trailer|depto|dpto|departamento|apto|apartamento
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


def find_addresses(text: str) -> Iterator[PatternMatch]:
    """Street addresses with a house number, apartments, P.O. boxes and colonias."""
    patterns = (_STREET_ADDRESS, _ROMANCE_STREET, _FRENCH_STREET, _PO_BOX, _COLONIA, _LONE_UNIT,
                _PLOT, _KILOMETRE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is _STREET_ADDRESS and all(
                fold(word) in LEGAL_AND_AGENCY_WORDS or fold(word) in PLACE_NAMES
                for word in match.group("street").split()
            ):
                continue  # "2020 Superior Court", "3 Family Court": a court, not a street
            end = match.end()
            while end > match.start() and text[end - 1] in " ,":
                end -= 1
            yield PatternMatch(ADDRESS, match.start(), end, TIER_SPECIFIC)
