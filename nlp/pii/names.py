"""Names found through cue words: titles, relations, naming verbs, form fields, quotes and initials."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.folding import fold
from nlp.pii.common import PERSON, TIER_CUE, TIER_MODEL, TIER_PERSON_NOUN, TIER_SPECIFIC, PatternMatch
from nlp.pii.name_words import (
    FIRST_NAME_TITLES_PATTERN,
    MODE_ANY,
    MODE_CAPITALISED,
    MODE_LISTED,
    TITLE,
    TITLES_ANY_CASE_PATTERN,
    TITLES_CASE_SENSITIVE_PATTERN,
    WORD,
    is_capitalised,
    is_common_word,
    is_listed_name,
    is_never_a_name,
    name_word_end,
    take_name,
)
from nlp.pii.names_east_asian import find_east_asian_names
from nlp.pii.names_other_languages import find_other_language_names
from nlp.pii.wordlists import (
    DOTTED_ABBREVIATIONS,
    NAME_PARTICLES,
    NICKNAME_ARTICLES,
    NON_NAME_VALUES,
    PLACE_NAMES,
    SPANISH_NICKNAMES,
    STOP_WORDS,
    WEEKDAYS,
)

# Relations and roles after which a name is expected ("her husband carlos", "su esposo Juan").
RELATION_PATTERN = (
    r"(?:husband|wife|ex|ex-husband|ex-wife|ex-boyfriend|ex-girlfriend|ex-partner|boyfriend"
    r"|girlfriend|partner|fianc[ée]e?|brother|sister|cousin|uncle|aunt|son|daughter|mother"
    r"|father|mom|mum|dad|stepfather|stepmother|stepdad|stepmom|stepbrother|stepsister"
    r"|grandmother|grandfather|grandma|grandpa|nephew|niece|relative|brother-in-law"
    r"|sister-in-law|mother-in-law|father-in-law|friend|roommate|neighbou?r|landlord|landlady"
    r"|employer|boss|owner|manager|supervisor|foreman|leader|driver|recruiter|trafficker"
    r"|pimp|smuggler|sponsor|caseworker|case\s+manager|advocate|attorney|lawyer|officer"
    r"|detective|investigator|agent|volunteer|spokesperson|client|survivor|victim|witness"
    r"|contact|co-worker|coworker|kids?|children|child|parents?"
    r"|esposo|esposa|marido|mujer|novio|novia|pareja|expareja|hermano|hermana|primo|prima"
    r"|t[íi]o|t[íi]a|hijo|hija|hijos|padre|madre|mam[áa]|pap[áa]|padrastro|madrastra|suegro"
    r"|suegra|cu[ñn]ado|cu[ñn]ada|sobrino|sobrina|abuelo|abuela|amigo|amiga|vecino|vecina"
    r"|patr[óo]n|patrona|jefe|jefa|due[ñn]o|due[ñn]a|tratante|explotador|explotadora|padrote"
    r"|proxeneta|enganchador|reclutador|reclutadora|contratista|empleador|empleadora"
    r"|encargado|encargada|compadre|comadre|cliente|clienta|v[íi]ctima|sobreviviente"
    r"|testigo|agente|detective|intermediari[oa]|pariente"
    r"|mari|femme|copain|copine|conjoint|conjointe|fr[èe]re|s[œo]eur|cousine|oncle|tante"
    r"|fils|fille|p[èe]re|m[èe]re|patronne|employeur|employeuse|prox[ée]n[èe]te|ami|amie"
    r"|voisin|voisine|compagnon|compagne|recruteur|passeur|victime"
    r"|namorado|namorada|irm[ãa]o|irm[ãa]|filho|filha|pai|m[ãa]e|patr[ãa]o|patroa|chefe"
    r"|dono|cafet[ãa]o|aliciador|aliciadora|recrutador|vizinho|vizinha|companheiro"
    r"|companheira|empregador|v[íi]tima|sobrevivente|intermedi[áa]rio"
    # Co-workers, staff and children in Spanish, Portuguese, French and Haitian Creole.
    r"|compa[ñn]er[oa]s?|mayordomo|capataz|promotor[a]?|operador[a]?|entrevistador[a]?|t[ée]cnic[oa]"
    r"|trabajador[a]?|emplead[oa]|colega|patroa|gerente|senhora"
    r"|rapariga|raparigas|mam[ãa]|compatriote|coll[èe]gue|intervenant[e]?|accueillant[e]?|b[ée]n[ée]vole"
    r"|tonton|tata|tantine|manman|papa|frè|sè|madanm|mesye|pitit(?:[ \t]+(?:fi|gason))?"
    r"|kouzen|kouzin|zanmi|vwazen|vwazin|tita|tito|ate|kuya|lola|lolo|nanay|tatay|kapatid|pinsan"
    r"|asawa|tanod|kagawad|amo)"
)
# Possessives written after a kin word in Portuguese, Spanish, French and Haitian Creole:
# "o filho dele, Cícero", "madanm li Fabienne", "pitit fi m, Amandine".
_POSSESSIVE_AFTER = (
    r"(?:[ \t]+(?:dele|dela|deles|delas|de[ \t]+[ée]l|de[ \t]+ella|de[ \t]+lui|d['’]elle|li|l|m|mwen"
    r"|nou|yo|niya|ko|nila|mo))?"
)

# Plain nouns for a person; a capitalised word after them is checked like a model guess,
# since it is as often a place ("young woman (Cabo Verde)") as a name ("the boy, Edwin").
PERSON_NOUN_PATTERN = (
    r"(?:boy|girl|teen|teenager|minor|youth|man|woman|ni[ñn]o|ni[ñn]a|joven|chico|chica|menino"
    r"|menina|gar[çc]on|homme|hombre|mujer|homem|mulher|kids|children|ni[ñn]os|ni[ñn]as|chicas"
    r"|chicos|muchach[oa]s?|hij[oa]s|meninas|meninos|raparigas|filles|gar[çc]ons|enfants)"
)

# Verbs and phrases that introduce a name or nickname ("a man named kenny", "alias El Jony").
NAME_CUE_PATTERN = (
    r"(?:named|known\s+as|goes\s+by|go\s+by|went\s+by|a\.?k\.?a\.?|aka|alias|nicknamed"
    r"|ask\s+for|asked\s+for|c/o|attn:?|(?:'s|’s|his|her|my|their|whose)\s+(?:real\s+|full\s+"
    r"|first\s+|last\s+)?name\s+(?:is|was)|(?<=\w)(?:'s|’s)\s+name|under\s+the\s+name(?:\s+of)?"
    r"|real\s+name(?:\s+is)?|(?:nombre|nom|nome)\s+(?:real|v[ée]ritable|verdadeiro)(?:\s+es|\s+est|\s+[ée])?"
    r"|(?:man|guy|woman|girl|boy|lady|dude|person|someone|somebody|tipo|hombre|mujer|muchacho"
    r"|homme|femme|homem|mulher|cara)\s+(?:called|llamado|llamada|appel[ée]e?|chamad[oa])"
    r"|initials|initiales|iniciales|iniciais|a\s+nombre\s+de|en\s+nombre\s+de|llamad[oa]"
    r"|se\s+llama|se\s+llamaba|de\s+nombre"
    r"|(?:su|mi)\s+nombre(?:\s+real|\s+completo)?\s+es|nombre\s+real\s+es|conocid[oa]\s+como"
    r"|lo\s+conocen\s+como|la\s+conocen\s+como|le\s+conocen\s+como|apodad[oa]|le\s+dicen"
    r"|le\s+dec[íi]an|a\s+quien\s+llaman|un\s+tal|una\s+tal|preguntar?\s+por|pregunte\s+por"
    r"|nomm[ée]e?|s'appelle|s’appelle|surnomm[ée]e?|se\s+fait\s+appeler|dite?|chamad[oa]"
    r"|se\s+chama|chama-se|conhecid[oa]\s+como|apelidad[oa]|um\s+tal\s+de|uma\s+tal\s+de"
    r"|perguntar\s+por|dit\s+s['’]appeler|dice\s+llamarse|diz\s+chamar-se|vulgo|apelido"
    r"|apodo|chamad[oa]\s+de|conhecid[oa]\s+por|connue?\s+sous\s+le\s+nom\s+de|surnom"
    r"|sobrenombre|mote|by\s+the\s+name(?:\s+of)?"
    # "se hacía llamar Kike", "on m'appelle Tiana", "eles chamam ele de Binho", "tout moun rele l JD".
    r"|se\s+hac[íi]a\s+llamar|se\s+hace\s+llamar|se\s+hacen\s+llamar|le\s+llaman|la\s+llaman"
    r"|on\s+m['’]appelle|on\s+l['’]appelle|qu['’]?on\s+appelle|on\s+appelle"
    r"|cham(?:am|avam|a|ava)\s+(?:ele|ela|o|a|me|-?lhe)?\s*de|se\s+apresent(?:a|ava)\s+como"
    r"|(?:tout\s+moun|yo|moun)\s+(?:konn\s+)?rele\s+(?:m|l|li|li\s+a))"
)
# Naming verbs after which only a capitalised or listed name is taken ("called the police").
WEAK_NAME_CUE_PATTERN = r"(?:called|calls|call\s+him|call\s+her|appel[ée]e?)"

# Case captions: "State v. Barrios", "People v. Orozco".
CASE_CAPTION_PATTERN = r"(?:v\.|vs\.?)"

_DOTTED_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){2,3}(?![\w])")
_ENGLISH_TITLE_CUE = re.compile(rf"(?<![\w.])(?:{TITLES_CASE_SENSITIVE_PATTERN})\.?[ \t]+")
_ROMANCE_TITLE_CUE = re.compile(rf"(?<![\w.])(?i:{TITLES_ANY_CASE_PATTERN})\.?[ \t]+")
_FIRST_NAME_TITLE_CUE = re.compile(rf"(?<![\w.])(?i:{FIRST_NAME_TITLES_PATTERN})\.?[ \t]+")
_SEPARATOR = r"[ \t]*(?:[,:][ \t]*|\([ \t]*)?"
# Only where the relation word ends matters, so "her ex-", "the client's" need no matching.
_RELATION = re.compile(
    rf"(?i:\b{RELATION_PATTERN}(?:[ \t]+(?:especial|special|federal))?{_POSSESSIVE_AFTER})(?![\w])"
    rf"{_SEPARATOR}(?=[\"“«'‘]|[ \t]|[^\W\d_])[ \t]*"
)
# An article before a nickname after a naming cue is not part of it: "le dicen el Chino".
_NAME_CUE = re.compile(
    rf"(?i:\b{NAME_CUE_PATTERN})(?![\w]){_SEPARATOR}[ \t]*(?:(?i:el|la|o|a)[ \t]+(?=[A-ZÀ-Þ\"“']))?"
)
_PERSON_NOUN = re.compile(
    rf"(?i:\b(?:the|a|an|el|la|un|una|le|o|um|uma|los|las|les|os|as|his|her|their|sus|su|mis|mi"
    rf"|ses|seus|suas)[ \t]+(?:[\w]+[ \t]+)?{PERSON_NOUN_PATTERN})"
    rf"[ \t]*,[ \t]*"
)
_WEAK_NAME_CUE = re.compile(rf"(?i:\b{WEAK_NAME_CUE_PATTERN})[ \t]+")
# The agent of what was done to the survivor: "recruited by Marek", "trazida por Rosângela".
_ENGLISH_AGENT = re.compile(
    r"(?i:\b(?:recruited|sold|trafficked|brought|taken|held|kept|controlled|exploited|abused"
    r"|threatened|beaten|raped|pimped|smuggled|lured|groomed|harassed|assaulted|attacked"
    r"|watched|guarded|tricked|deceived|coerced|forced|transported|driven|picked[ \t]+up"
    r"|locked[ \t]+up|hit|introduced|raised|sent|housed|hidden|moved))[ \t]+by[ \t]+"
)
_ROMANCE_AGENT = re.compile(
    r"(?i:\b[^\W\d_]{3,}(?:ad[oa]s?|id[oa]s?|[ée]e?s?))"
    r"(?:[ \t]+(?i:a|al|para|en|em|à|au|hacia)[ \t]+[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][^\W\d_]+)?)?"
    r"[ \t]+(?i:por|par|pelo|pela)[ \t]+"
)
_FOLLOWING_WORD = re.compile(r"[ \t]+([a-z]+)")
# Strong naming cues after which even a day word is a name ("goes by sunday").
_DAY_NAME_CUE = re.compile(
    r"(?i:\b(?:goes[ \t]+by|known[ \t]+as|a\.?k\.?a\.?|alias|nicknamed|named))[ \t]+"
    r"(?P<day>[^\W\d_]+)(?![\w'’-])"
)
_DAY_NOT_NAME_AFTER = re.compile(
    r"[ \t]+(?i:morning|night|afternoon|evening|school|service|mass|mornings|nights)\b"
)
# A lower-case word that no dictionary knows, as the subject of a verb: "toño said".
_LOWER_SUBJECT = re.compile(
    r"(?m:^|(?<=[.!?;:\n])|\b(?i:and|then|but|because|that|when|until|after|before|so)(?=[ \t]))"
    r"[ \t]*(?P<name>[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{2,})[ \t]+"
    r"(?=(?:said|says|told|tells|drove|took|takes|asked|kept|brought|threatened|forced|gave"
    r"|sent|paid|picked|hit|yelled|wanted|made|called|came|left|started|also|would|never)\b)"
)
_CASE_CAPTION = re.compile(rf"(?<=[\w.])[ \t]+{CASE_CAPTION_PATTERN}[ \t]+")
_CLOSING = re.compile(
    r"(?im:^[ \t]*(?:thanks|thank\s+you|best|regards|best\s+regards|kind\s+regards|sincerely"
    r"|cheers|saludos|saludos\s+cordiales|atentamente|gracias|cordialement|bien\s+[àa]\s+vous"
    r"|merci|atenciosamente|obrigad[oa]|abra[çc]os)[ \t]*[,!.]?[ \t]*\n[ \t]*)"
)
_NAME_LABELS = (
    r"(?:(?:full|client'?s?|victim'?s?|survivor'?s?|legal|first|last|given|family|maiden"
    r"|trafficker'?s?|employer'?s?|mother'?s?|father'?s?)[ \t]+)?name(?:[ \t]*\([^)\n]{0,20}\))?"
    r"|nombre(?:[ \t]+(?:completo|de[ \t]+la[ \t]+v[íi]ctima|del[ \t]+cliente|real))?|nombres"
    r"|apellidos?|nom(?:[ \t]+de[ \t]+famille|[ \t]+complet)?|pr[ée]noms?|nome(?:[ \t]+completo"
    r"|[ \t]+dele|[ \t]+dela)?|sobrenome|alias|a\.?k\.?a\.?|aka"
    r"|nume(?:[ \t]*(?:,|[șş]i|si)[ \t]*prenume)?|prenume|numele(?:[ \t]+complet)?|non|pangalan"
)
_PERSON_LABELS = (
    r"client[ea]?|clienta|victim[ea]?|v[íi]ctima|v[íi]tima|survivor|sobreviviente|employer"
    r"|empleador[a]?|employeur|empregador|patr[óoã]n|patr[ãa]o|trafficker|alleged\s+trafficker"
    r"|tratante|presunto\s+tratante|intermedi[áa]ri[oa]|contact|contacto|contato|parents?"
    r"|mother|father|madre|padre|m[èe]re|p[èe]re|m[ãa]e|pai|kids|children|child|hijos|hijas"
    r"|filhos|enfants|from|de|to|para|attn|recruiter|reclutador|recrutador|witness|testigo"
    r"|referred\s+by|emergency\s+contact|guardian|tutor[a]?|husband|wife|esposo|esposa|marido"
    r"|advocate|case\s+manager|caseworker|abogad[oa]|lawyer|attorney|officer|agent|detective"
    r"|judge|juez|beneficiar[a]?|persoana\s+v[ăa]t[ăa]mat[ăa]|inculpa[țţt]i|inculpat(?:ul|a)?"
    r"|accueillant[e]?|intervenant[e]?|appelant[e]?|b[ée]n[ée]vole|conseill[eè]re?|travailleu(?:r|se)"
    r"(?:\s+social[e]?)?|assistant[e]?\s+social[e]?|entrevist[óo]|entrevistador[a]?|promotor[a]?"
    r"|operador[a]?|t[ée]cnic[oa]|case\s+officer|call\s+taker|caller|interviewer|social\s+worker"
    r"|intake\s+worker|ajan|travay[èe]\s+sosyal|nanay|tatay|manman|papa"
    r"|martor(?:ul|a)?|apelant(?:ul|a)?|operator|petent(?:ul|a)?"
)
_FIELD_LABEL = re.compile(
    rf"(?im:(?:^|(?<=[\n;|(•]))[ \t]*[-*•]?[ \t]*(?:(?P<name_label>{_NAME_LABELS})"
    rf"|(?P<person_label>{_PERSON_LABELS}))[ \t]*(?:-|–|:|\.-)[ \t]*)"
)
_INLINE_NAME_LABEL = re.compile(rf"(?i:\b(?:{_NAME_LABELS})[ \t]*:[ \t]*)")
_QUOTE_OPEN = "\"“«‘'„"
_QUOTE_CLOSE = {"\"": "\"", "“": "”", "«": "»", "‘": "’", "'": "'", "„": "”"}
_QUOTED = re.compile(r"(?<![\w])([\"“”«‘„]|')[ ]?([^\"“”«»‘’'\n„]{1,40}?)[ ]?([\"“”»’]|')(?![\w])")
_SPANISH_NICKNAME = re.compile(
    r"(?i:\b(?:el|la)[ \t]+)(?P<nickname>[^\W\d_]+)(?![\w])"
)
_HOUSEHOLD = re.compile(
    r"(?:\b(?i:the)[ \t]+(?P<before>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)[ \t]+"
    r"(?i:family|household|brothers|sisters|couple)\b"
    r"|\b(?i:familia|fam[íi]lia|famille|los|les)[ \t]+(?P<after>[A-Z][\w'’-]+))"
)
_NAME_BEFORE_ROLE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+[ \t]){0,2}[A-Z][\w'’-]+|(?:[A-Za-z]\.){2,3})[ \t]*"
    r"\((?i:client[ea]?|clienta|survivor|victim|v[íi]ctima|v[íi]tima|victime|sobreviviente)\b"
)


def _quoted_span(text: str, position: int) -> tuple[int, int] | None:
    """Offsets of the content of a short quotation opening at position, or None."""
    opening = text[position : position + 1]
    if not opening or opening not in _QUOTE_OPEN:
        return None
    if position > 0 and text[position - 1] not in " \t(:,;—–-\n":
        return None  # a closing quote or an apostrophe ("amiga\"", "Attorney's")
    closing = _QUOTE_CLOSE[opening]
    end = text.find(closing, position + 1, position + 42)
    if opening in "“„" and end == -1:
        end = text.find("\"" if opening == "“" else "“", position + 1, position + 42)
    if end == -1 or "\n" in text[position:end]:
        return None
    start = position + 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return (start, end) if start < end else None


def _nickname_content(text: str, start: int, end: int, any_case: bool) -> tuple[int, int] | None:
    """The name part of a quoted nickname, dropping a leading article ("El Flaco" -> "Flaco")."""
    words = list(WORD.finditer(text, start, end))
    if not 1 <= len(words) <= 4 or len(" ".join(w.group() for w in words)) < end - start - 4:
        return None
    if any(char.isdigit() for char in text[start:end]):
        return None
    while len(words) > 1 and fold(words[0].group()) in NICKNAME_ARTICLES:
        words.pop(0)
    had_article = len(words) < len(WORD.findall(text, start, end))
    content = [word.group() for word in words]
    if all(fold(word) in STOP_WORDS or fold(word) in PLACE_NAMES for word in content):
        return None
    if not had_article and all(is_never_a_name(word) for word in content):
        return None  # "la Jefa" is a nickname, a bare "madame" is a role
    if not any_case and not all(is_capitalised(word) or word.isupper() for word in content):
        return None
    first = words[0].start()
    last = end if text[words[-1].end() : end] == "." else words[-1].end()
    return first, last


def _names_after(
    text: str,
    cue: re.Pattern[str],
    mode: str,
    common_words: frozenset[str],
    tier: int = TIER_CUE,
) -> Iterator[PatternMatch]:
    """Names (or quoted nicknames in any case) that directly follow each match of a cue."""
    for match in cue.finditer(text):
        position = match.end()
        quoted = _quoted_span(text, position)
        if quoted is not None:
            nickname = _nickname_content(text, *quoted, any_case=True)
            if nickname is not None:
                yield PatternMatch(PERSON, *nickname, tier)
            continue
        after_title = cue in (_ENGLISH_TITLE_CUE, _ROMANCE_TITLE_CUE, _FIRST_NAME_TITLE_CUE)
        end = take_name(text, position, mode, common_words, after_title=after_title)
        if end is not None:
            start = position
            title = TITLE.match(text, position)
            if title is not None:
                start = title.end()
            if start < end:
                yield PatternMatch(PERSON, start, end, tier)


_NICKNAME_EQUALS = re.compile(r"[\"“]([^\"“”\n]{1,30})[\"”][ \t]*=[ \t]*")


_NICKNAME_INSIDE_NAME = re.compile(
    r"(?<![\w'’])(?P<first>[A-Z][^\W\d_]+)[ \t]+[\"“'‘](?P<nickname>[^\"“”'’\n]{1,20})[\"”'’]"
    r"[ \t]+(?P<last>[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?)"
)


def _names_around_nicknames(text: str) -> Iterator[PatternMatch]:
    """A nickname quoted inside a full name: Marcus "Smoke" Bell."""
    for match in _NICKNAME_INSIDE_NAME.finditer(text):
        if is_never_a_name(match.group("first")) or is_never_a_name(match.group("last")):
            continue
        for group in ("first", "nickname", "last"):
            yield PatternMatch(PERSON, match.start(group), match.end(group), TIER_CUE)


def _equated_nicknames(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A quoted nickname set equal to a name: '"flaco" = josé luis cárdenas'."""
    for match in _NICKNAME_EQUALS.finditer(text):
        end = take_name(text, match.end(), MODE_ANY, common_words)
        if end is None:
            continue
        nickname = _nickname_content(text, match.start(1), match.end(1), any_case=True)
        if nickname is not None:
            yield PatternMatch(PERSON, *nickname, TIER_CUE)
        yield PatternMatch(PERSON, match.end(), end, TIER_CUE)


def _field_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Values of name fields ("Name: juan perez", "Nom : DUPONT") and people listed after a label."""
    labels = list(_FIELD_LABEL.finditer(text))
    labels += [match for match in _INLINE_NAME_LABEL.finditer(text)
               if not any(label.start() <= match.start() < label.end() for label in labels)]
    for match in labels:
        is_name_field = match.re is _INLINE_NAME_LABEL or match.group("name_label") is not None
        position = match.end()
        if is_name_field:
            found = _field_value(text, position)
        else:
            end = take_name(text, position, MODE_CAPITALISED, common_words)
            found = (position, end) if end is not None else None
        while found is not None:
            yield PatternMatch(PERSON, found[0], found[1], TIER_CUE)
            found = _next_listed_name(text, found[1], common_words)


def _field_value(text: str, position: int) -> tuple[int, int] | None:
    """The name written after a name label: up to six words, stopping at a non-name."""
    line_end = len(text)
    for stop in ("\n", ";", "|", "(", "<"):
        index = text.find(stop, position)
        if index != -1:
            line_end = min(line_end, index)
    end = position
    words = 0
    for match in re.finditer(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?|,|\S+", text[position:line_end]):
        token = match.group()
        if token == ",":
            if words == 1 and text[position : position + match.start()].strip().isupper():
                continue  # "ABUBAKAR, Hauwa": surname first
            break
        bare = token.rstrip(".")
        if not WORD.fullmatch(bare) or (token.endswith(".") and len(bare) > 1):
            if WORD.fullmatch(bare) and words < 6 and not is_never_a_name(bare):
                end = position + match.start() + len(bare)
            break
        if fold(bare) in NON_NAME_VALUES or (is_never_a_name(bare) and fold(bare) not in NAME_PARTICLES):
            break
        end = position + match.end()
        words += 1
        if words == 6:
            break
    return (position, end) if end > position else None


def _next_listed_name(
    text: str, position: int, common_words: frozenset[str]
) -> tuple[int, int] | None:
    """A further name in a list: "Crystal and Wayne", "Jayden, 7, and Ashley"."""
    link = re.match(r"(?:,[ \t]*\d{1,2}[ \t]*)?,?[ \t]+(?i:and|y|e|et|&|[șş]i|si|at|ak)[ \t]+",
                    text[position:])
    if link is None:
        return None
    start = position + link.end()
    end = take_name(text, start, MODE_CAPITALISED, common_words)
    return (start, end) if end is not None else None


def _quoted_nicknames(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Capitalised nicknames in quotes, unless the word is a common English word."""
    for match in _QUOTED.finditer(text):
        start, end = match.start(2), match.end(2)
        words = WORD.findall(text, start, end)
        article = bool(words) and fold(words[0]) in {"el", "la"} and len(words) <= 3
        nickname = _nickname_content(text, start, end, any_case=article)
        if nickname is None:
            continue
        name_words = WORD.findall(text, *nickname)
        if len(name_words) == 1 and not article:
            word = name_words[0]
            if is_common_word(word, common_words) and not is_listed_name(word):
                continue
        yield PatternMatch(PERSON, *nickname, TIER_CUE)


def _spanish_nicknames(text: str) -> Iterator[PatternMatch]:
    """Nicknames made of an article and a describing word ("el güero", "la flaca")."""
    for match in _SPANISH_NICKNAME.finditer(text):
        if fold(match.group("nickname")) in SPANISH_NICKNAMES:
            yield PatternMatch(PERSON, match.start("nickname"), match.end("nickname"), TIER_CUE)


# A name with the person's age after it: "Robert Marius Enache, aprox. 24 ani", "Kashon Dabney, 22",
# "(ana p., 34 años)". An age describes a person; a place or a period before one is filtered
# by the preposition before it ("în Italia, 3 ani").
_NAME_BEFORE_AGE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-ZÀ-ÖØ-ÞĂÂÎȘȚŞŢ][^\W\d_]+(?:[-'’][^\W\d_]+)*"
    r"(?:[ \t]+[A-ZÀ-ÖØ-ÞĂÂÎȘȚŞŢ][^\W\d_]+(?:[-'’][^\W\d_]+)*){0,3})"
    r"[ \t]*[,(][ \t]*(?:(?i:aprox\.|approx\.|ca\.|circa|about|around|cerca[ \t]+de|environ|cerca|de)[ \t]*)?"
    r"\d{1,2}[ \t]*(?:de[ \t]+)?(?i:ani|años|anos|ans|years?(?:[ \t]+old)?|y/?o|yrs?|anyos"
    r"|taong[ \t]+gulang|an)(?![\w])"
)
_PLACE_WORDS_BEFORE_AGE = frozenset(
    "in în din la en de from à a em no na sa taga nan soti at to into of el al du des do da".split()
)


# The writer of a message in a pasted chat: "[18/02/25 23:10] Remedios: ...", "[03/04 22:50] Espérance :".
_CHAT_SPEAKER = re.compile(
    r"(?m:^[ \t]*\[[\d/.,: -]{4,20}(?:[ \t]*(?:[AaPp]\.?[Mm]\.?|오전|오후))?\][ \t]*"
    r"(?P<name>[^\W\d_][^\n:|\[\]]{0,40}?)[ \t]*:)"
)


def _chat_speakers(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """The writers of the messages of a pasted chat, unless the label is a role ("moi", "Consilier")."""
    for match in _CHAT_SPEAKER.finditer(text):
        start = match.start("name")
        end = take_name(text, start, MODE_CAPITALISED, common_words, max_words=4)
        if end is None or end != match.end("name"):
            continue
        yield PatternMatch(PERSON, start, end, TIER_CUE)


def _names_before_age(text: str) -> Iterator[PatternMatch]:
    """A capitalised name followed by the person's age (see _NAME_BEFORE_AGE)."""
    for match in _NAME_BEFORE_AGE.finditer(text):
        before = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, match.start() - 20) : match.start()])
        if before is not None and before.group(1).lower() in _PLACE_WORDS_BEFORE_AGE:
            continue
        yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_PERSON_NOUN)


def _dotted_initials(text: str) -> Iterator[PatternMatch]:
    """Initials used as a name ("J.A.", "M. R."), unless they are an abbreviation or a code."""
    for match in _DOTTED_INITIALS.finditer(text):
        initials = match.group().strip()
        if fold(initials.replace(" ", "")) in DOTTED_ABBREVIATIONS:
            continue
        end = match.start() + len(initials)
        if re.match(r"[ \t]*(?:§|\d)", text[end:]) or re.search(r"\d[ \t]*$", text[:match.start()]):
            continue  # "18 U.S.C. § 1595", "La. R.S. 15:539.3": a code, not a person
        yield PatternMatch(PERSON, match.start(), end, TIER_CUE)


def _household_names(text: str) -> Iterator[PatternMatch]:
    """Family names used for a household ("the Al-Qahtani household", "la familia Pérez")."""
    for match in _HOUSEHOLD.finditer(text):
        group = "before" if match.group("before") else "after"
        words = match.group(group).split()
        if any(is_never_a_name(word) or fold(word) in PLACE_NAMES for word in words):
            continue
        yield PatternMatch(PERSON, match.start(group), match.end(group), TIER_CUE)


def _names_before_role(text: str) -> Iterator[PatternMatch]:
    """A name followed by its role in brackets ("Precious (client)", "m.g. (client)")."""
    for match in _NAME_BEFORE_ROLE.finditer(text):
        words = WORD.findall(match.group("name"))
        while words and is_never_a_name(words[0]):
            words.pop(0)
        if not words or any(word.isupper() and len(word) > 1 for word in words):
            continue
        name = " ".join(words)
        start = match.end("name") - len(name)
        if text[start : match.end("name")] != name:
            start = match.start("name")
        yield PatternMatch(PERSON, start, match.end("name"), TIER_CUE)


_HONORIFIC_AFTER = re.compile(
    r"(?<![\w'’-])(?P<name>[^\W\d_]{2,}(?:[-'’][^\W\d_]+)?)[ \t]+"
    r"(?:bhai|Bhai|bhaiya|bhaya|ji|Ji|jee|anna|akka|didi|Didi|dada|sahib|Sahib|saab|apa|bhabhi"
    r"|aunty|auntie|uncle)(?![\w'’-])"
)


def _names_before_honorific(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A name followed by a South Asian honorific or a kin word of address ("Mizan bhai")."""
    for match in _HONORIFIC_AFTER.finditer(text):
        name = match.group("name")
        if is_never_a_name(name) or (is_common_word(name, common_words) and not is_listed_name(name)):
            continue
        yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)


def _day_word_names(text: str) -> Iterator[PatternMatch]:
    """A day word used as a name after a strong naming cue ("goes by sunday")."""
    for match in _DAY_NAME_CUE.finditer(text):
        if fold(match.group("day")) not in WEEKDAYS:
            continue
        if _DAY_NOT_NAME_AFTER.match(text, match.end()):
            continue
        yield PatternMatch(PERSON, match.start("day"), match.end("day"), TIER_SPECIFIC)


def _agent_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """The person by whom something was done ("recruited by Marek"), checked like a model guess.

    In Spanish, French and Portuguese the name after "por"/"par" counts as cued when it has
    two words or a listed name, since the preposition alone would make it look like a place.
    """
    for match in _ENGLISH_AGENT.finditer(text):
        end = take_name(text, match.end(), MODE_CAPITALISED, common_words)
        if end is None:
            continue
        following = _FOLLOWING_WORD.match(text, end)
        if following is not None and fold(following.group(1)) not in STOP_WORDS and is_common_word(
            following.group(1), common_words
        ):
            continue  # a name used as a modifier: "recruited by Craigslist ads"
        yield PatternMatch(PERSON, match.end(), end, TIER_MODEL)
    for match in _ROMANCE_AGENT.finditer(text):
        end = take_name(text, match.end(), MODE_CAPITALISED, common_words)
        if end is None:
            continue
        words = WORD.findall(text, match.end(), end)
        cued = len(words) > 1 or any(is_listed_name(word) for word in words)
        yield PatternMatch(PERSON, match.end(), end, TIER_CUE if cued else TIER_MODEL)


def _lower_case_subjects(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A lower-case word outside every dictionary as the subject of a verb ("toño said")."""
    for match in _LOWER_SUBJECT.finditer(text):
        start = match.start("name")
        end = name_word_end(text, start, MODE_ANY, common_words)
        if end != match.end("name") or fold(match.group("name")) in PLACE_NAMES:
            continue
        yield PatternMatch(PERSON, start, end, TIER_CUE)


def find_cued_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Names signalled by a title, a relation, a naming verb, a form field, quotes or initials."""
    yield from _names_after(text, _ENGLISH_TITLE_CUE, MODE_LISTED, common_words)
    yield from _names_after(text, _ROMANCE_TITLE_CUE, MODE_LISTED, common_words)
    # Any word after "doña" or "madam" is a first name, even one that is also an English word.
    yield from _names_after(text, _FIRST_NAME_TITLE_CUE, MODE_ANY, frozenset())
    yield from _names_after(text, _RELATION, MODE_LISTED, common_words)
    yield from _names_after(text, _NAME_CUE, MODE_ANY, common_words)
    yield from _names_after(text, _PERSON_NOUN, MODE_CAPITALISED, common_words, TIER_PERSON_NOUN)
    yield from _names_after(text, _WEAK_NAME_CUE, MODE_LISTED, common_words)
    yield from _names_after(text, _CASE_CAPTION, MODE_CAPITALISED, common_words)
    yield from _names_after(text, _CLOSING, MODE_CAPITALISED, common_words)
    yield from _field_names(text, common_words)
    yield from _quoted_nicknames(text, common_words)
    yield from _spanish_nicknames(text)
    yield from _equated_nicknames(text, common_words)
    yield from _names_around_nicknames(text)
    yield from _dotted_initials(text)
    yield from _names_before_age(text)
    yield from _chat_speakers(text, common_words)
    yield from _household_names(text)
    yield from _names_before_role(text)
    yield from find_east_asian_names(text)
    yield from find_other_language_names(text, common_words)
    yield from _names_before_honorific(text, common_words)
    yield from _day_word_names(text)
    yield from _agent_names(text, common_words)
    yield from _lower_case_subjects(text, common_words)
