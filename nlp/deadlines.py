"""Finding deadlines and scheduled legal events in a narrative, resolved to calendar dates.

Dates are found with regular expressions over an accent-folded, lower-cased copy of the text (the
same length, so offsets carry over) in English, Spanish, French and Portuguese. A date is kept only
when its sentence names a legal event or a deadline, or speaks of the future; a date that resolves
before the posting date, or that a past-tense clause places in the past, is never a deadline.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.folding import fold_keeping_length
from nlp.languages import detect_language

LANGUAGES = ("en", "es", "fr", "pt")
KINDS = ("hearing", "court_date", "filing_window", "appointment", "other")


@dataclass(frozen=True)
class Deadline:
    """A deadline or scheduled event: its resolved date, the sentence stating it and its kind."""

    date: datetime.date
    start: int
    end: int
    sentence: str
    kind: str
    expression: str


@dataclass(frozen=True)
class _Reading:
    """A text prepared for matching: folded and lower-cased copies share its offsets."""

    text: str
    folded: str  # lower case without accents, for vocabulary
    lowered: str  # lower case with accents, for tense ("llegó", "será")
    language: str
    posted: datetime.date
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Mention:
    """A date expression found in the text, resolved against the posting date."""

    start: int
    end: int
    date: datetime.date
    # A written year fixes the date; without one ("March 3", "on Friday", "in two weeks") the
    # tense of the clause decides whether the date is the coming one or one already past.
    year_written: bool
    # For a year-less calendar date, its last occurrence before the posting date: what "she lost
    # on October 2" means, and the start of "30 days from the judgment".
    earlier: datetime.date | None = None
    # For a span ("within 30 days"): (number, unit), to count it from another date than the
    # posting date when the text says so ("within 30 days of the decision").
    span: tuple[int, str] | None = None


# ---------------------------------------------------------------------------------------------
# Vocabulary (folded: lower case, no accents, as nlp.folding.fold_keeping_length makes it)

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
}
_MONTH_ABBREVIATIONS = {
    "en": {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "sept": 9, "oct": 10, "nov": 11, "dec": 12},
    "es": {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
           "sep": 9, "sept": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12},
    "fr": {"janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
           "dec": 12},
    "pt": {"jan": 1, "fev": 2, "mar": 3, "abr": 4, "mai": 5, "jun": 6, "jul": 7, "ago": 8,
           "set": 9, "out": 10, "nov": 11, "dez": 12},
}
# English words that are also month abbreviations elsewhere: only read as months when the text is
# known to be in the language that abbreviates so.
_AMBIGUOUS_ABBREVIATIONS = frozenset({"ago", "out", "set", "dez", "mar"})

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4,
}
# "segunda" and "quinta" are also "second" and "fifth": without "-feira" they need a determiner.
_PORTUGUESE_SHORT_WEEKDAYS = frozenset({"segunda", "terca", "quarta", "quinta", "sexta"})
_WEEKDAY_PAST = frozenset({"last", "past", "el pasado", "pasado", "pasada", "passado", "passada",
                           "dernier", "o passado", "a passada"})
_WEEKDAY_THIS = frozenset({"this", "this coming", "este", "esta", "ce", "nesta", "neste", "nessa",
                           "nesse", "essa", "esse"})
# "los martes", "le lundi", "every Friday": a habit, not one day.
_WEEKDAY_HABIT = frozenset({"every", "each", "cada", "los", "todos los", "tous les", "le", "les",
                            "as", "aos", "todas as", "todos os"})
_WEEKDAY_DETERMINERS = frozenset({"na", "nesta", "nessa", "na proxima", "proxima", "ate", "ate a",
                                  "esta", "essa", "a proxima", "para a"})
_WEEKDAY_PREFIXES = (
    _WEEKDAY_PAST | _WEEKDAY_THIS | _WEEKDAY_HABIT | _WEEKDAY_DETERMINERS
    | {"next", "coming", "on", "by", "until", "before", "el proximo", "el", "proximo", "el dia",
       "hasta el", "antes del", "para el", "no proximo", "no", "ate o", "para o", "avant", "jusqu'a",
       "jusqu’a", "des", "el proximo dia", "on this", "on next"}
)
_WEEKDAY_SUFFIXES = frozenset({"prochain", "dernier", "que viene", "que vem", "proximo", "proxima",
                               "pasado", "passado", "passada"})

_UNIT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veintiun": 21, "veintiuno": 21, "veintiuna": 21, "veintidos": 22,
    "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29,
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    "doze": 12, "treze": 13, "catorze": 14,
    "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17, "dezoito": 18,
    "dezenove": 19, "dezanove": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "noventa": 90,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "quatre-vingt-dix": 90,
    "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60,
}
_NUMBER_JOINERS = frozenset({"and", "y", "e", "et"})

# Cue words per language (folded), by what they make of the date. A text whose language is not
# one of the four is read with all of them.
_DEADLINE_CUES = {
    "en": r"deadlines?|due|no\s+later\s+than|last\s+day|must\s+be\s+(?:filed|submitted)|"
          r"statute\s+of\s+limitations?|time\s+limit",
    "es": r"plazos?|fecha\s+limite|a\s+mas\s+tardar|ultimo\s+dia|dia\s+limite|prescripcion",
    "fr": r"delais?|date\s+limite|echeance|au\s+plus\s+tard|dernier\s+delai|dernier\s+jour|"
          r"date\s+butoir",
    "pt": r"prazos?|data\s+limite|o\s+mais\s+tardar|ultimo\s+dia|dia\s+limite|prescricao",
}
_HEARING_CUES = {
    "en": r"hearings?|master\s+calendar",
    "es": r"audiencias?|vista\s+oral",
    "fr": r"audiences?",
    "pt": r"audiencias?",
}
_COURT_CUES = {
    "en": r"court|courts|courtroom|trial|judge|arraignment|sentencing|appear\s+before",
    "es": r"juicio|corte|tribunal|tribunales|juez|jueza|juzgado|comparecencia|comparecer|"
          r"citacion(?:\s+judicial)?",
    "fr": r"tribunal|tribunaux|juge|proces|comparution|comparaitre|cour|prud['’]hommes",
    "pt": r"julgamento|tribunal|juiz|juiza|forum|vara\s+(?:do|da|de)|comparecer|comparecimento",
}
_APPOINTMENT_CUES = {
    "en": r"interviews?|appointments?|biometrics?|check-in|consultation|meeting",
    "es": r"citas?|entrevistas?|turno|consulta|reunion",
    "fr": r"rendez-vous|rdv|convocation|convoquee?s?|entretien|entrevue",
    "pt": r"entrevistas?|agendamento|consulta|atendimento|biometria|reuniao",
}
_FILING_CUES = {
    "en": r"file|filed|filing|submit|submitted|apply|application|window|closes|appeal|appeals|"
          r"respond|response|reply|answer|motion|petition|rfe|paperwork|renew|renewal",
    "es": r"presentar|presentarse|apelar|apelacion|recurso|responder|respuesta|solicitud|"
          r"solicitar|tramite|ventana|renovar|renovacion",
    "fr": r"deposer|depot|dossier|recours|faire\s+appel|interjeter\s+appel|d['’]appel|"
          r"repondre|reponse|demande|fenetre|renouveler|renouvellement",
    "pt": r"protocolar|apresentar|recorrer|recurso|responder|resposta|pedido|requerimento|"
          r"janela|entregar|renovar|renovacao",
}
_EVENT_CUES = {
    "en": r"evict\w*|expires?|expiry|expiration|vacate|removal|deport\w*|lease\s+ends|must\s+leave",
    "es": r"desalojo|desahucio|lanzamiento|desalojar|caduca|expira|deportacion|vence|vencen|"
          r"vencimiento|vencer",
    "fr": r"expulsion|expulse\w*|oqtf|expire|expiration|fin\s+du\s+bail|quitter\s+le\s+logement",
    "pt": r"despejo|despejad\w*|expira|caduca|deportacao|vence|vencem|vencimento|vencer",
}
# Weekdays that bound a range ("de lunes a viernes") name working days, not a date.
_WEEKDAY_NAMES = "|".join(_WEEKDAYS)
_RANGE_OPEN = re.compile(r"\b(?:from|de|du|desde|das?)\s+$")
_RANGE_CLOSE = re.compile(rf"(?:-feira)?\s*(?:-|to|through|thru|a|al|au|ate|as)\s+(?:{_WEEKDAY_NAMES})\b")
_RANGE_AFTER = re.compile(rf"\b(?:{_WEEKDAY_NAMES})(?:-feira)?\s*(?:-|to|through|thru|a|al|au|ate|as)\s+$")
# A date after "since" starts something already under way.
_SINCE_BEFORE = re.compile(r"\b(?:since|depuis(?:\s+le)?|desde(?:\s+(?:el|o|a))?(?:\s+dia)?)\s+$")
_BACK_REFERENCE = re.compile(
    r"\b(?:by\s+then|before\s+then|until\s+then|that\s+(?:day|date)|para\s+entonces|"
    r"antes\s+de\s+esa\s+fecha|ese\s+dia|esa\s+fecha|avant\s+cette\s+date|cette\s+date|ce\s+jour-la|d['’]ici\s+la|"
    r"ate\s+la|antes\s+disso|essa\s+data|nesse\s+dia|nessa\s+data)\b"
)
# A preposition just before the date that makes it a limit ("by March 3", "avant le 3 mars").
_LIMIT_BEFORE = re.compile(
    r"(?:\bby|\bbefore|\buntil|\bno\s+later\s+than|\bantes\s+del?|\bhasta\s+el|\ba\s+mas\s+tardar\s+el|"
    r"\bavant\s+(?:le)?|\bjusqu['’]au|\bau\s+plus\s+tard\s+le|\bate\s+(?:o\s+dia|o|dia|a)?|"
    r"\bantes\s+d[eo]s?)\s*$"
)
_BIRTH_CUES = re.compile(
    r"\b(?:born|birth\w*|dob|d\.o\.b|nacid[oa]s?|nacio|nacimiento|cumpleanos|nee?s?\s+le|naissance|"
    r"anniversaire|nasceu|nascid[oa]s?|nascimento|aniversario|fecha\s+de\s+nac)\b"
)
# Verbs that set a date, so a past tense still points at a coming event ("the hearing was moved
# to April 2", "a été reportée au", "foi remarcada para").
_SCHEDULING = re.compile(
    r"\b(?:scheduled|rescheduled|set|reset|moved|postponed|continued|adjourned|given\s+until|"
    r"gave\s+\w+\s+until|told\s+\w+\s+to|ordered|summoned|notice\s+to\s+appear|notified|"
    r"programo|programaron|programad[oa]|reprogram\w+|fijo|fijaron|fijad[oa]|pospus\w+|"
    r"aplaz\w+|cambiaron|citaron|dieron\s+hasta|dio\s+hasta|"
    r"fixee?s?|reportee?s?|programmee?s?|convoquee?s?|renvoyee?s?|decalee?s?|"
    r"marcou|marcaram|marcad[oa]|remarcad[oa]|remarcou|adiad[oa]|adiou|agendad[oa]|agendou|"
    r"intimad[oa]|notificad[oa])\b"
)
# What ties a span to the date it counts from ("within 30 days of ...", "a partir de ...").
_ANCHOR_AFTER = re.compile(
    r"\s*(?:of|from|after|following|since|desde|a\s+partir\s+de|despues\s+de|tras|de|del|"
    r"a\s+compter\s+de|a\s+compter\s+du|apres|des|du|a\s+contar\s+de|a\s+contar\s+da|apos|"
    r"depois\s+de|da|do)\b"
)
_DECISION = re.compile(
    r"\b(?:judgm?ents?|decisions?|denial|order|ruling|notice|letter|service|receipt|receiving|"
    r"conviction|sentencia|decision|resolucion|notificacion|denegacion|carta|orden|fallo|recibir|"
    r"jugement|notification|refus|rejet|ordonnance|courrier|lettre|reception|signification|"
    r"sentenca|decisao|notificacao|intimacao|indeferimento|citacao|recebimento|receber)\b"
)
_FROM_BEFORE = re.compile(r"\b(?:from|del?|du|desde|do|da)\s+(?:the\s+|el\s+|le\s+|o\s+|dia\s+)?$")
_TO_AFTER = re.compile(r"\s*(?:to|al|au|a|para|ate|until|hasta)\b")
_MOVING = re.compile(
    r"\b(?:moved|rescheduled|postponed|changed|continued|pushed|adjourned|cambi\w+|reprogram\w+|"
    r"pospus\w+|aplaz\w+|movi\w+|report\w+|decal\w+|deplac\w+|remarc\w+|adia\w+|transferid\w+|"
    r"mudad\w+|mudou)\b"
)
_FOR_BEFORE = re.compile(r"(?:\bfor|\bpara(?:\s+(?:el|o|a|la))?(?:\s+dia)?|\bpour(?:\s+le)?)\s*$")

# Tense markers, matched on the lower-cased text with its accents (the accent carries the tense).
_PAST_MARKERS = {
    "en": r"\b(?:was|were|had|did|arrived|escaped|left|came|fled|got|went|took|said|told|met|"
          r"brought|paid|sent|received|gave|found|lost|began|ran|sold|ago|yesterday|born|"
          r"happened|ended|done|(?:already|was)\s+(?:held|done)|"
          r"(?:last|previous|prior)\s+(?:hearing|court|appointment|interview|time|week|month|year|"
          r"trial|check-in|date))\b",
    "es": r"\b(?:fue|fueron|era|eran|estaba|estaban|estuvo|tuvo|tuvieron|había|habían|hubo|"
          r"hace\s+\w+\s+(?:días|semanas|meses|años)|ayer|anoche|vino|dijo|trajo|tenía|vivía|"
          r"trabajaba|decía|hacía|sabía|quería|podía|\w{2,}(?:ó|aron|ieron|aba|aban)|"
          r"(?:última|último|anterior)\s+(?:audiencia|cita|vez|corte|entrevista)|"
          r"(?:semana|mes|año)\s+pasad[oa])\b",
    "fr": r"\b(?:était|étaient|avait|avaient|fut|hier|(?!fait\b|plait\b)\w{3,}(?:ait|aient)|"
          r"il\s+y\s+a\s+\w+\s+(?:jours|semaines|mois|ans)|"
          r"(?:a|ai|as|avons|avez|ont)\s+(?:(?:été|déjà|pas|bien|enfin|finalement)\s+)?"
          r"(?!(?:lieu|aussi|ainsi|ici|parfois)\b)"
          r"(?:\w+(?:é|ée|és|ées|i|ie|u|ue|us)|dit|fait|écrit|pris|mis|offert|ouvert|souffert)|"
          r"(?:est|sont|suis|s['’]est|se\s+sont)\s+(?:(?:déjà|bien|enfin)\s+)?"
          r"(?:arrivée?s?|partie?s?|venue?s?|entrée?s?|sortie?s?|née?s?|restée?s?|allée?s?|"
          r"tombée?s?|retournée?s?|revenue?s?|enfuie?s?|échappée?s?)|"
          r"s['’]est\s+\w+é(?:e|es|s)?|(?:dernière|précédente)\s+(?:audience|fois|convocation)|"
          r"(?:semaine|mois|année)\s+dernière|mois\s+dernier)\b",
    "pt": r"\b(?:foi|foram|era|eram|estava|estavam|tinha|tinham|teve|tiveram|houve|ontem|"
          r"há\s+\w+\s+(?:dias|semanas|meses|anos)|\w{2,}(?:ou|eu|iu|aram|eram|iram|ava|avam)|"
          r"(?:última|último|anterior)\s+(?:audiência|vez|consulta|entrevista)|"
          r"(?:semana|mês|ano)\s+passad[oa])\b",
}
_FUTURE_MARKERS = {
    "en": r"(?:\b(?:will|shall|going\s+to|gonna|scheduled|upcoming|must|has\s+to|have\s+to|"
          r"needs?\s+to|expected\s+to|plans?\s+to|is\s+set|are\s+set|set\s+for)\b|['’]ll\b)",
    "es": r"\b(?:va\s+a|van\s+a|vamos\s+a|voy\s+a|tiene\s+que|tienen\s+que|tengo\s+que|debe|deben|"
          r"hay\s+que|está\s+programad\w*|próxim\w*|proxim\w*|\w{2,}(?:rá|rán))\b",
    "fr": r"\b(?:doit|doivent|devra|devront|va|vont|vais|aura|auront|sera|seront|aura\s+lieu|"
          r"est\s+prévue?s?|prochaine?|il\s+faut|faudra|\w{3,}(?:era|ira|dra|vra|rra|ront))\b",
    "pt": r"\b(?:vai|vão|vou|vamos|tem\s+que|tem\s+de|têm\s+que|precisa|precisam|deve|devem|"
          r"está\s+marcad\w*|próxim\w*|\w{2,}(?:rá|rão))\b",
}
_PRESENT_MARKERS = {
    "en": r"\b(?:is|are|am|has|have|needs|remains|expires|ends|starts|begins|closes|runs\s+out)\b|"
          r"['’]s\b",
    "es": r"\b(?:es|está|están|son|tiene|tienen|hay|sigue|vence|vencen|expira|termina|empieza|"
          r"comienza|queda|cierra)\b",
    "fr": r"\b(?:est|sont|a|ont|il\s+y\s+a|expire|expirent|termine|commence|tombe|a\s+lieu)\b",
    "pt": r"\b(?:é|está|estão|são|tem|têm|há|vence|vencem|expira|termina|começa|fica)\b",
}
# Words the Portuguese, Spanish and English past-tense endings would wrongly take for verbs.
_NOT_PAST = frozenset({
    "sou", "vou", "estou", "dou", "ou", "seu", "meu", "teu", "eu", "réu", "céu", "europeu",
    "chapéu", "judeu", "you", "thou", "adieu", "eram", "aaron",
})
_NOT_PAST_ED = frozenset({
    "scheduled", "rescheduled", "needed", "required", "expected", "supposed", "allowed", "related",
    "based", "undocumented", "unpaid", "detained", "interested", "worried", "scared", "qualified",
    "limited", "trafficked", "concerned", "involved", "continued", "postponed", "moved", "set",
    "need", "hundred", "red", "bed", "shed", "seed", "speed", "feed", "indeed", "united",
    "unaccompanied", "unrepresented", "terrified", "afraid", "ordered", "notified", "summoned",
    "expired", "filed", "submitted", "proposed", "planned", "reserved", "confirmed",
})

# Sentence ends: these abbreviations take a full stop without ending a sentence.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "dra", "sr", "sra", "srta", "mme", "mlle", "m", "st", "no", "nos",
    "n", "art", "arts", "approx", "aprox", "av", "ave", "apt", "dept", "ref", "vs", "cf", "p",
    "pp", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "ene", "abr", "ago", "dic", "janv", "fev", "fevr", "avr", "juil", "set", "out", "dez",
    "prof", "lic", "licda", "abog", "atty", "esq", "inc", "co", "corp", "num", "tel", "e.g", "i.e",
    "u.s",
})
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_LINE_BREAK = re.compile(r"\n")
_LAST_WORD = re.compile(r"([\w.]+)[.!?…]*$")
_MAX_SENTENCE_CHARACTERS = 1000
# How far from a date its cue words and verbs are looked for: a clause is shorter than this.
_CONTEXT_CHARACTERS = 250
# A narrative names a handful of dates; a text with thousands is a table or a log, and reading
# only its first ones keeps the time bounded.
MAX_MENTIONS = 2000
_SEGMENT_BREAK = re.compile(
    r";|\s(?:and|but|y|pero|mas|mais|et|e|while|whereas|mientras|tandis\s+que|enquanto|"
    r"because|porque|parce\s+que|although|aunque|bien\s+que|embora)\s"
)
# Reported speech starts a clause of its own: "she said that her hearing is on May 3".
_CLAUSE_BREAK = re.compile(r",|—|–|\(|\)|:\s|\s(?:that|que)\s|\squ['’]|" + _SEGMENT_BREAK.pattern)
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]")
_ENGLISH_PAST = re.compile(r"\b[a-z]{3,}ed\b")


# ---------------------------------------------------------------------------------------------
# Public API


def find_deadlines(text: str, posted: datetime.date, language: str | None = None) -> list[Deadline]:
    """Deadlines stated in the text, resolved against the posting date, earliest first."""
    if not isinstance(text, str) or not text.strip() or not isinstance(posted, datetime.date):
        return []
    posted = _as_date(posted)
    folded = fold_keeping_length(text)
    lowered = _lower_keeping_length(text)
    if len(folded) != len(text) or len(lowered) != len(text):
        return []  # offsets would not carry over; never seen, but never raise either
    reading = _Reading(text, folded, lowered, _language_code(text, language), posted,
                       tuple(_sentences(text)))
    placeholders = [(match.start(), match.end()) for match in _PLACEHOLDER.finditer(text)]
    mentions = sorted(itertools.islice(_mentions(text, folded, posted, reading.language), MAX_MENTIONS),
                      key=lambda mention: mention.start)
    kept: list[tuple[int, Deadline]] = []
    for mention in mentions:
        if any(start < mention.end and mention.start < end for start, end in placeholders):
            continue
        index = _sentence_index(reading.sentences, mention.start)
        if index is None:
            continue
        if mention.span is not None:
            mention = _anchored(mention, mentions, index, reading)
        if mention.date < posted or _moved_from(mention, index, reading):
            continue
        judged = _judge(mention, index, reading)
        if judged is None:
            continue
        kind, strength = judged
        start, end = reading.sentences[index]
        deadline = Deadline(
            date=mention.date, start=start, end=end, sentence=text[start:end], kind=kind,
            expression=text[mention.start : mention.end],
        )
        kept = _merge(kept, strength, deadline)
    return sorted((deadline for _, deadline in kept), key=lambda deadline: (deadline.date, deadline.start))


def _merge(kept: list[tuple[int, Deadline]], strength: int, deadline: Deadline) -> list[tuple[int, Deadline]]:
    """Add a deadline unless its date is already there: a date mentioned twice is one deadline,
    but two named events of different kinds on one day ("court on 3/17, interview next Tuesday")
    are two. Strength 2 names the event, 1 only speaks of the future."""
    same_date = [(other_strength, other) for other_strength, other in kept if other.date == deadline.date]
    if not same_date:
        return [*kept, (strength, deadline)]
    if strength == 1 or any(other.kind == deadline.kind for _, other in same_date):
        return kept
    weaker = [(other_strength, other) for other_strength, other in same_date if other_strength == 1]
    return [item for item in kept if item not in weaker] + [(strength, deadline)]


def is_urgent(deadlines: Sequence[Deadline], posted: datetime.date, days: int = 14) -> bool:
    """Whether any deadline falls within `days` days of the posting date (on or after it)."""
    posted = _as_date(posted)
    try:
        last = posted + datetime.timedelta(days=days)
    except OverflowError:
        last = datetime.date.max
    return any(posted <= deadline.date <= last for deadline in deadlines)


# ---------------------------------------------------------------------------------------------
# Text handling


def _as_date(value: datetime.date) -> datetime.date:
    """A date from a date or a datetime (the two do not compare with each other)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _language_code(text: str, language: str | None) -> str:
    """The two-letter language of the text: as given ("pt-BR" -> "pt"), else detected."""
    if language:
        return re.split(r"[-_]", language.strip().lower())[0]
    try:
        # The opening is enough to tell the language and keeps a huge text cheap.
        return detect_language(text[:5000])
    except Exception:  # the language is only a hint for reading numbers: never fail on it
        return "und"


def _lower_keeping_length(text: str) -> str:
    """Lower case with accents kept (they mark tense: "llegó", "será") and offsets unchanged."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(character.lower()[:1] for character in text)
    return lowered


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each stripped sentence; line breaks always end one.

    nlp.sentences.SentenceSplitter needs the English spaCy pipeline (seconds to load, an error
    when it is missing, a length limit); this must run on any text in any of the four languages
    and never fail, so a punctuation rule with the same conventions is used instead.
    """
    position = 0
    for line in [*_LINE_BREAK.finditer(text), None]:
        line_end = line.start() if line is not None else len(text)
        yield from _sentences_in_line(text, position, line_end)
        if line is not None:
            position = line.end()


def _sentences_in_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one line, cut at a full stop that is followed by a capital, digit or quote."""
    sentence_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        following = text[match.end()] if match.end() < end else ""
        if not following or not (following.isupper() or following.isdigit() or following in "¿¡\"“«(["):
            continue
        last_word = _LAST_WORD.search(text, max(sentence_start, match.start() - 20), match.start() + 1)
        word = (last_word.group(1) if last_word else "").lower().rstrip(".")
        if text[match.start()] == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        yield from _stripped_windows(text, sentence_start, match.end())
        sentence_start = match.end()
    yield from _stripped_windows(text, sentence_start, end)


def _stripped_windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The span without surrounding blanks, cut at spaces into pieces of bounded length."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > _MAX_SENTENCE_CHARACTERS:
        # A run-on text without punctuation would make every look-up scan all of it.
        cut = text.rfind(" ", start + 1, start + _MAX_SENTENCE_CHARACTERS)
        cut = cut if cut > start else start + _MAX_SENTENCE_CHARACTERS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _sentence_index(sentences: Sequence[tuple[int, int]], position: int) -> int | None:
    """Index of the sentence containing position."""
    low, high = 0, len(sentences) - 1
    while low <= high:
        middle = (low + high) // 2
        start, end = sentences[middle]
        if position < start:
            high = middle - 1
        elif position >= end:
            low = middle + 1
        else:
            return middle
    return None


# ---------------------------------------------------------------------------------------------
# Finding date expressions


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first so that the longest one wins."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+")
                    for word in sorted(set(words), key=lambda word: (-len(word), word)))


_NUMBER = (
    r"(?:\d{1,3}|a\s+couple\s+of|couple\s+of|"
    rf"(?:{_alternation(_TENS_WORDS)})(?:(?:\s+(?:and|y|e|et)\s+|[\s-]+)"
    rf"(?:{_alternation(set(_UNIT_WORDS) - {'a', 'an'})}))?|"
    rf"{_alternation(_UNIT_WORDS)})"
)
_UNIT = (
    r"(?:(?:business|working|calendar)\s+days?|days?|weeks?|months?|"
    r"dias?\s+(?:habiles|laborables|uteis|corridos|naturales|calendario)|dias?|semanas?|meses|mes|"
    r"jours?\s+(?:ouvrables|ouvres|francs|calendaires)|jours?|semaines?|mois)"
)
_WITHIN = _alternation([
    "in", "within", "in the next", "within the next", "in about", "within about", "in around",
    "en", "dentro de", "dentro de los", "dentro de las", "en los proximos", "en las proximas",
    "en un plazo de", "en el plazo de", "plazo de", "en un termino de",
    "dans", "dans les", "d'ici", "d’ici", "d'ici les", "d’ici les", "sous", "dans un delai de",
    "delai de",
    "em", "em ate", "dentro de", "daqui a", "no prazo de", "prazo de", "nos proximos",
    "nas proximas", "ate",
])
_HAS_UNTIL = _alternation([
    "has", "have", "had", "gets", "get", "got", "given", "tiene", "tienen", "tengo", "le dieron",
    "le dan", "dispose de", "disposent de", "a", "ont", "tem", "teve", "deram", "tem apenas",
    "has only", "tiene solo", "a seulement", "n'a que", "n’a que",
])
_RELATIVE = re.compile(
    rf"\b(?:(?:{_WITHIN})\s+(?P<within>(?P<number>{_NUMBER})\s+(?P<unit>{_UNIT}))"
    rf"|(?P<from_now>(?P<number2>{_NUMBER})\s+(?P<unit2>{_UNIT}))\s+from\s+(?:now|today)"
    rf"|(?:{_HAS_UNTIL})\s+(?P<has>(?P<number3>{_NUMBER})\s+(?:more\s+)?(?P<unit3>{_UNIT})(?:\s+left)?)"
    r"(?=\s+(?:to|left|para|pour|from|after|since|desde|a\s+partir|despues|tras|a\s+compter|apres|"
    r"des|a\s+contar|apos|depois)\b)"
    rf"|delai\s+d['’](?P<elided>(?P<number4>une?)\s+(?P<unit4>{_UNIT}))"
    r"|(?P<fortnight>(?:sous|d['’]ici|dans)\s+(?:une\s+)?(?:huitaine|quinzaine)))\b"
)
_DAY_WORDS = re.compile(
    r"\b(?:(?P<after_tomorrow>(?:the\s+)?day\s+after\s+tomorrow|pasado\s+manana|apres[-\s]demain|"
    r"depois\s+de\s+amanha)"
    r"|(?P<tomorrow>tomorrow|demain|amanha|manana)"
    r"|(?P<today>today|tonight|hoy(?!\s+en\s+dia)|aujourd['’]hui|hoje|ce\s+soir|esta\s+noche|"
    r"esta\s+noite)"
    r"|(?P<next_week>next\s+week|(?:la\s+)?semana\s+que\s+viene|(?:la\s+)?proxima\s+semana|"
    r"(?:la\s+)?semana\s+proxima|(?:la\s+)?semaine\s+prochaine|(?:na\s+)?semana\s+que\s+vem|"
    r"(?:na\s+)?proxima\s+semana))\b"
)
# "mañana" after an article or a determiner is "the morning" ("por la mañana", "esta mañana").
_MORNING_BEFORE = re.compile(r"\b(?:la|una|esta|esa|aquella|cada|toda|media|las|buena|buenas)\s+$")
_ISO = re.compile(r"(?<![\d/.\-])(?P<year>\d{4})(?P<separator>[-/.])(?P<month>\d{1,2})"
                  r"(?P=separator)(?P<day>\d{1,2})(?![\d])")
_NUMERIC = re.compile(r"(?<![\w/.\-])(?P<first>\d{1,2})(?P<separator>[/.\-])(?P<second>\d{1,2})"
                      r"(?P=separator)(?P<year>\d{4}|\d{2})(?![\d]|[/.\-]\d)")
_NUMERIC_NO_YEAR = re.compile(r"(?<![\w/.\-$€£%])(?P<first>\d{1,2})/(?P<second>\d{1,2})"
                              r"(?![\w/%]|[.\-]\d|\s+(?:of|de|du|des|do|da)\b)")
_WEEKDAY_BEFORE_DATE = re.compile(
    rf"\b(?:{_alternation(_WEEKDAYS)})(?:-feira)?,?\s+(?:the\s+|el\s+|le\s+|o\s+)?(?:dia\s+)?$"
)


@lru_cache(maxsize=8)
def _month_patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    """Day-month and month-day patterns with the month names read in this language."""
    abbreviations: dict[str, int] = {}
    if language in _MONTH_ABBREVIATIONS:
        abbreviations.update({word: number for word, number in _MONTH_ABBREVIATIONS["en"].items()
                              if word not in _AMBIGUOUS_ABBREVIATIONS})
        abbreviations.update(_MONTH_ABBREVIATIONS[language])
    else:
        for table in _MONTH_ABBREVIATIONS.values():
            abbreviations.update({word: number for word, number in table.items()
                                  if word not in _AMBIGUOUS_ABBREVIATIONS})
    abbreviations = {word: number for word, number in abbreviations.items() if word not in _MONTHS}
    # Only an abbreviation takes a full stop: "1er avril." ends a sentence.
    names = rf"(?:(?:{_alternation(_MONTHS)})\b|(?:{_alternation(abbreviations)})\b\.?)"
    day = r"(?P<day>[0-3]?\d|first|primero|premier|primeiro)"
    suffix = r"(?:st|nd|rd|th|er|re|eme|o|a|º|°|ro)?"
    year = r"(?:,?\s*(?:de\s+|del\s+|of\s+)?(?P<year>\d{4})(?!\d))?"
    day_month = re.compile(
        rf"(?<![\d/.\-])\b{day}{suffix}(?:\s+(?:de|of)\s+|\s*-\s*|\s+)(?P<month>{names}){year}"
    )
    month_day = re.compile(
        rf"\b(?P<month>{names})\s+(?:the\s+)?{day}(?:st|nd|rd|th)?(?![\d:])\b{year}"
    )
    return day_month, month_day, {**_MONTHS, **abbreviations}


@lru_cache(maxsize=1)
def _weekday_pattern() -> re.Pattern[str]:
    """A weekday name with the words before or after it that fix which one is meant."""
    return re.compile(
        rf"\b(?:(?P<prefix>{_alternation(_WEEKDAY_PREFIXES)})\s+)?(?P<weekday>{_alternation(_WEEKDAYS)})"
        rf"(?P<feira>-feira|\s+feira)?\b(?:\s+(?P<suffix>{_alternation(_WEEKDAY_SUFFIXES)})\b)?"
    )


def _mentions(text: str, folded: str, posted: datetime.date, language: str) -> Iterator[_Mention]:
    """Every date expression in the text, the more specific ones first, none overlapping."""
    # Sorted, non-overlapping (start, end) spans already taken: bisect keeps a long text linear.
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        position = bisect.bisect_left(taken, (start, start))
        after_free = position == len(taken) or taken[position][0] >= end
        before_free = position == 0 or taken[position - 1][1] <= start
        return after_free and before_free

    for mention in _written_dates(text, folded, posted, language):
        if free(mention.start, mention.end):
            # "Tuesday, March 17" is one date: the weekday goes with it.
            before = _WEEKDAY_BEFORE_DATE.search(folded, max(0, mention.start - 30), mention.start)
            start = before.start() if before and free(before.start(), mention.end) else mention.start
            bisect.insort(taken, (start, mention.end))
            yield dataclasses.replace(mention, start=start)
    for mention in _relative_dates(folded, posted):
        if free(mention.start, mention.end):
            bisect.insort(taken, (mention.start, mention.end))
            yield mention


def _written_dates(text: str, folded: str, posted: datetime.date, language: str) -> Iterator[_Mention]:
    """ISO, numeric and month-name dates, in that order of precedence."""
    day_first = language != "en"
    for match in _ISO.finditer(folded):
        resolved = _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if resolved is not None:
            yield _Mention(match.start(), match.end(), resolved, True)
    for match in _NUMERIC.finditer(folded):
        # Dotted dates are day-first even in American writing.
        first_is_day = day_first or match["separator"] == "."
        year = _full_year(match["year"])
        order = _numeric_order(int(match["first"]), int(match["second"]), first_is_day, year)
        if order is not None:
            resolved = _make_date(year, order[0], order[1])
            if resolved is not None:
                yield _Mention(match.start(), match.end(), resolved, True)
    day_month, month_day, months = _month_patterns(language if language in LANGUAGES else "und")
    for pattern in (day_month, month_day):
        for match in pattern.finditer(folded):
            if match["month"] == "may" and text[match.start("month")] == "m" and language != "es":
                continue  # lower-case "may" is the verb ("the 2 may testify"); the month is "May"
            day = _day_number(match["day"])
            month = months[match["month"].rstrip(".")]
            if match["year"]:
                resolved = _make_date(int(match["year"]), month, day)
                if resolved is not None:
                    yield _Mention(match.start(), match.end(), resolved, True)
            else:
                resolved = _next_occurrence(month, day, posted)
                if resolved is not None:
                    yield _Mention(match.start(), match.end(), resolved, False,
                                   _previous_occurrence(month, day, posted))
    for match in _NUMERIC_NO_YEAR.finditer(folded):
        first, second = int(match["first"]), int(match["second"])
        if (first, second) in {(24, 7), (50, 50), (9, 11)}:
            continue  # "24/7", "50/50", "9/11" are not dates to keep
        order = _numeric_order(first, second, day_first, 2000)
        if order is not None:
            resolved = _next_occurrence(order[0], order[1], posted)
            if resolved is not None:
                yield _Mention(match.start(), match.end(), resolved, False,
                               _previous_occurrence(order[0], order[1], posted))


def _relative_dates(folded: str, posted: datetime.date) -> Iterator[_Mention]:
    """Day words, spans of days, weeks or months from now, and weekdays."""
    for match in _DAY_WORDS.finditer(folded):
        if match["after_tomorrow"]:
            offset = 2
        elif match["tomorrow"]:
            if match["tomorrow"] == "manana" and _MORNING_BEFORE.search(folded, max(0, match.start() - 12),
                                                                         match.start()):
                continue
            offset = 1
        elif match["today"]:
            offset = 0
        else:
            offset = 7
        resolved = _add_days(posted, offset)
        if resolved is not None:
            yield _Mention(match.start(), match.end(), resolved, False)
    for match in _RELATIVE.finditer(folded):
        if match["fortnight"]:
            number, unit, group = (8 if "huitaine" in match["fortnight"] else 15), "days", "fortnight"
        else:
            group = next(name for name in ("within", "elided", "from_now", "has") if match[name])
            number_text = match["number"] or match["number2"] or match["number3"] or match["number4"]
            unit = match["unit"] or match["unit2"] or match["unit3"] or match["unit4"]
            value = _number_value(number_text)
            if value is None or value == 0:
                continue
            number = value
        resolved = _add_span(posted, number, unit)
        if resolved is not None:
            start = match.start() if group in ("within", "fortnight", "elided") else match.start(group)
            yield _Mention(start, match.end(group), resolved, False, span=(number, unit))
    for match in _weekday_pattern().finditer(folded):
        if _in_weekday_range(folded, match):
            continue
        resolved = _weekday_date(match, posted)
        if resolved is not None:
            yield _Mention(match.start(), match.end(), resolved, False)


def _in_weekday_range(folded: str, match: re.Match[str]) -> bool:
    """A weekday that bounds a range of days ("de lunes a viernes", "du lundi au samedi")."""
    opens = _RANGE_OPEN.search(folded, max(0, match.start("weekday") - 8), match.start("weekday"))
    closes = _RANGE_CLOSE.match(folded, match.end("weekday"))
    follows = _RANGE_AFTER.search(folded, max(0, match.start("weekday") - 40), match.start("weekday"))
    return bool((opens and closes) or follows)


def _weekday_date(match: re.Match[str], posted: datetime.date) -> datetime.date | None:
    """The date a weekday phrase points at: the coming one, this week's, or the last one."""
    prefix = re.sub(r"\s+", " ", match["prefix"] or "")
    suffix = re.sub(r"\s+", " ", match["suffix"] or "")
    weekday = match["weekday"]
    if prefix in _WEEKDAY_HABIT:
        return None
    if (weekday in _PORTUGUESE_SHORT_WEEKDAYS and not match["feira"]
            and prefix not in _WEEKDAY_DETERMINERS and prefix not in _WEEKDAY_THIS
            and suffix not in ("que vem", "passada")):
        return None
    target = _WEEKDAYS[weekday]
    ahead = (target - posted.weekday()) % 7
    if prefix in _WEEKDAY_PAST or suffix in _WEEKDAY_PAST:
        return _add_days(posted, -(7 - ahead if ahead else 7))
    if prefix in _WEEKDAY_THIS:
        return _add_days(posted, ahead)
    # "next Tuesday", "on Tuesday", "el martes", "mardi prochain": the first one after today.
    return _add_days(posted, ahead or 7)


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None when there is no such day (31/02) or the year is implausible."""
    if not 1900 <= year <= 2200:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    """A four-digit year from a written one ("27" -> 2027)."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _numeric_order(first: int, second: int, first_is_day: bool, year: int) -> tuple[int, int] | None:
    """(month, day) from two numbers, in the expected order unless only the other one is a date."""
    preferred = (second, first) if first_is_day else (first, second)
    for month, day in (preferred, preferred[::-1]):
        # A leap year stands in for a year-less date, so that 29/02 is possible.
        if _make_date(year if year else 2000, month, day) is not None:
            return month, day
    return None


def _next_occurrence(month: int, day: int, posted: datetime.date) -> datetime.date | None:
    """The first date with this month and day on or after the posting date."""
    for year in range(posted.year, posted.year + 9):
        candidate = _make_date(year, month, day)
        if candidate is not None and candidate >= posted:
            return candidate
    return None


def _previous_occurrence(month: int, day: int, posted: datetime.date) -> datetime.date | None:
    """The last date with this month and day before the posting date."""
    for year in range(posted.year, posted.year - 9, -1):
        candidate = _make_date(year, month, day)
        if candidate is not None and candidate < posted:
            return candidate
    return None


def _day_number(text: str) -> int:
    """The day of the month from digits or a word for the first."""
    return int(text) if text.isdigit() else 1


def _number_value(text: str) -> int | None:
    """The value of a number written in digits or in words in one of the four languages."""
    text = re.sub(r"\s+", " ", text.strip())
    if text.isdigit():
        return int(text)
    if text in ("a couple of", "couple of"):
        return 2
    if text in _TENS_WORDS or text in _UNIT_WORDS:
        return _TENS_WORDS.get(text, _UNIT_WORDS.get(text))
    total = 0
    for word in re.split(r"[\s-]+", text):
        if word in _NUMBER_JOINERS:
            continue
        value = _TENS_WORDS.get(word, _UNIT_WORDS.get(word))
        if value is None:
            return None
        total += value
    return total


def _add_days(posted: datetime.date, days: int) -> datetime.date | None:
    """posted + days, or None past the calendar's ends."""
    try:
        return posted + datetime.timedelta(days=days)
    except OverflowError:
        return None


def _add_span(posted: datetime.date, number: int, unit: str) -> datetime.date | None:
    """posted plus a number of days, business days, weeks or months."""
    unit = re.sub(r"\s+", " ", unit)
    if unit.startswith(("week", "semana", "semaine")):
        return _add_days(posted, 7 * number)
    if unit.startswith(("month", "mes", "mois")):
        month_index = posted.month - 1 + number
        year, month = posted.year + month_index // 12, month_index % 12 + 1
        for day in range(posted.day, 27, -1):
            candidate = _make_date(year, month, day)
            if candidate is not None:
                return candidate
        return _make_date(year, month, min(posted.day, 28))
    if any(word in unit for word in ("business", "working", "habiles", "laborables", "uteis",
                                     "ouvrables", "ouvres")):
        current, left = posted, number
        while left > 0:
            following = _add_days(current, 1)
            if following is None:
                return None
            current = following
            left -= current.weekday() < 5
        return current
    return _add_days(posted, number)


# ---------------------------------------------------------------------------------------------
# Deciding whether a date is a deadline


@lru_cache(maxsize=8)
def _cue_patterns(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) in order of precedence for this language (with English legal terms)."""
    languages = (language, "en") if language in LANGUAGES else LANGUAGES
    ordered = (
        ("filing_window", _DEADLINE_CUES), ("hearing", _HEARING_CUES), ("court_date", _COURT_CUES),
        ("appointment", _APPOINTMENT_CUES), ("filing_window", _FILING_CUES), ("other", _EVENT_CUES),
    )
    return tuple(
        (kind, re.compile(r"\b(?:" + "|".join(cues[code] for code in dict.fromkeys(languages)) + r")\b"))
        for kind, cues in ordered
    )


@lru_cache(maxsize=8)
def _tense_patterns(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(tense, pattern) for this language; all four when it is another one."""
    languages = (language,) if language in LANGUAGES else LANGUAGES
    patterns = []
    for tense, markers in (("past", _PAST_MARKERS), ("future", _FUTURE_MARKERS),
                           ("present", _PRESENT_MARKERS)):
        chosen = [markers[code] for code in languages
                  if not (tense == "present" and code == "fr" and len(languages) > 1)]
        patterns.append((tense, re.compile("|".join(chosen))))
    return tuple(patterns)


def _windows(lowered: str, sentence: tuple[int, int], mention: _Mention) -> list[tuple[int, int]]:
    """The clause around the mention, the segment between conjunctions, and the whole sentence
    (at most _CONTEXT_CHARACTERS either side of the mention)."""
    start = max(sentence[0], mention.start - _CONTEXT_CHARACTERS)
    end = min(sentence[1], mention.end + _CONTEXT_CHARACTERS)
    spans = []
    for pattern in (_CLAUSE_BREAK, _SEGMENT_BREAK):
        left = start
        for match in pattern.finditer(lowered, start, mention.start):
            left = match.end()
        right_match = pattern.search(lowered, mention.end, end)
        right = right_match.start() if right_match else end
        spans.append((left, right))
    spans.append((start, end))
    return spans


def _masked(text: str, start: int, end: int, mention: _Mention) -> str:
    """text[start:end] with the date expression blanked out, offsets unchanged."""
    window = text[start:end]
    offset_start, offset_end = max(mention.start - start, 0), max(mention.end - start, 0)
    return window[:offset_start] + " " * (offset_end - offset_start) + window[offset_end:]


def _tense(lowered: str, windows: Sequence[tuple[int, int]], mention: _Mention, language: str) -> str | None:
    """The tense of the verb nearest the date in the smallest window that has one."""
    for start, end in windows:
        window = _masked(lowered, start, end, mention)
        found: list[tuple[int, int, int, str]] = []
        for tense, pattern in _tense_patterns(language):
            for match in pattern.finditer(window):
                word = match.group().strip()
                if tense == "past" and word in _NOT_PAST:
                    continue
                found.append((match.start() + start, match.end() + start, len(match.group()), tense))
        if language == "en" or language not in LANGUAGES:
            found.extend((match.start() + start, match.end() + start, 3, "past")
                         for match in _ENGLISH_PAST.finditer(window) if _is_english_past(window, match))
        # A longer marker wins over a shorter one inside it ("a été" over "a").
        found = [item for item in found
                 if not any(other[0] <= item[0] and item[1] <= other[1] and other[2] > item[2]
                            for other in found)]
        if found:
            nearest = min(found, key=lambda item: min(abs(item[0] - mention.end),
                                                      abs(mention.start - item[1])))
            return nearest[3]
    return None


def _is_english_past(window: str, match: re.Match[str]) -> bool:
    """An English -ed word read as a past tense (not "is scheduled", not "undocumented")."""
    if match.group() in _NOT_PAST_ED:
        return False
    before = window[max(0, match.start() - 12) : match.start()].split()
    return not (before and before[-1] in {"is", "are", "be", "been", "being", "am", "get", "gets"})


def _cue_kind(folded: str, windows: Sequence[tuple[int, int]], mention: _Mention,
              language: str) -> str | None:
    """The kind named by the cue words of the smallest window that has any."""
    kind, deadline_words = _cue_patterns(language)[0]
    if deadline_words.search(folded, mention.start, mention.end):
        return kind  # the expression names its own kind: "plazo de 30 días", "délai d'un mois"
    for start, end in windows:
        window = _masked(folded, start, end, mention)
        for kind, pattern in _cue_patterns(language):
            if pattern.search(window):
                return kind
    return None


def _judge(mention: _Mention, index: int, reading: _Reading) -> tuple[str, int] | None:
    """(kind, strength) when the mention is a deadline, else None; strength 2 names the event."""
    folded, lowered, language = reading.folded, reading.lowered, reading.language
    windows = _windows(lowered, reading.sentences[index], mention)
    clause_start, clause_end = windows[0]
    if _BIRTH_CUES.search(_masked(folded, clause_start, clause_end, mention)):
        return None
    segment_start, segment_end = windows[1]
    segment = _masked(lowered, segment_start, segment_end, mention)
    # "postponed to May 5" sets May 5; in "the hearing on March 30 was postponed" March 30 is gone.
    scheduled = bool(_SCHEDULING.search(folded, segment_start, mention.start)
                     or _FOR_BEFORE.search(folded, max(0, mention.start - 20), mention.start))
    # The verb of another clause says nothing of this date ("Rendez-vous demain; il a appelé").
    tense = _tense(lowered, windows[:2], mention, language)
    if not mention.year_written and tense == "past" and not scheduled:
        return None
    if not mention.year_written and _SINCE_BEFORE.search(folded, max(0, mention.start - 20), mention.start):
        return None
    # Cue words of another clause joined by "and", "but" name another event, unless that clause
    # points back at this date ("she turns 21 in two weeks, and the petition must be filed by then").
    refers_back = _BACK_REFERENCE.search(folded, windows[2][0], windows[2][1])
    kind = _cue_kind(folded, windows if refers_back else windows[:2], mention, language)
    if kind is None and index > 0:
        # An intake form: "Court date:" on one line, the date on the next.
        previous_start, previous_end = reading.sentences[index - 1]
        if folded[previous_start:previous_end].rstrip().endswith(":"):
            kind = _cue_kind(folded, [(previous_start, previous_end)], mention, language)
    if kind is not None:
        return kind, 2
    if _LIMIT_BEFORE.search(folded, max(0, mention.start - 30), mention.start):
        return "other", 1
    future = dict(_tense_patterns(language))["future"]
    if scheduled or tense == "future" or future.search(segment):
        return "other", 1
    return None


def _anchored(mention: _Mention, mentions: Sequence[_Mention], index: int, reading: _Reading) -> _Mention:
    """A span counted from the date it names ("within 30 days of the March 3 decision", "30 days
    from the judgment" after "she lost on October 2") instead of from the posting date."""
    assert mention.span is not None
    sentence_end = reading.sentences[index][1]
    after = _ANCHOR_AFTER.match(reading.folded, mention.end, sentence_end)
    if after is None:
        return mention
    trailing_end = min(sentence_end, after.end() + 80)
    anchor: datetime.date | None = None
    named = [other for other in mentions if after.end() <= other.start < trailing_end]
    if named:
        first = named[0]
        recent = first.earlier is not None and (reading.posted - first.earlier).days <= 183
        anchor = first.earlier if recent else first.date
    elif _DECISION.search(reading.folded, after.end(), trailing_end):
        previous_sentence_start = reading.sentences[max(0, index - 1)][0]
        before = [other for other in mentions
                  if previous_sentence_start <= other.start < mention.start and other.span is None]
        for other in reversed(before):
            if other.year_written and other.date < reading.posted:
                anchor = other.date
                break
            other_index = _sentence_index(reading.sentences, other.start)
            if other.earlier is not None and other_index is not None:
                other_windows = _windows(reading.lowered, reading.sentences[other_index], other)
                if _tense(reading.lowered, other_windows[:2], other, reading.language) == "past":
                    anchor = other.earlier
                    break
    if anchor is None:
        return mention
    resolved = _add_span(anchor, *mention.span)
    if resolved is None:
        return mention
    return dataclasses.replace(mention, date=resolved, year_written=True)


def _moved_from(mention: _Mention, index: int, reading: _Reading) -> bool:
    """The old date of a moved event: "rescheduled from March 3 to April 2", "reportée du 3 au 10"."""
    if not _FROM_BEFORE.search(reading.folded, max(0, mention.start - 12), mention.start):
        return False
    if not _TO_AFTER.match(reading.folded, mention.end, reading.sentences[index][1]):
        return False
    sentence_start, sentence_end = reading.sentences[index]
    return bool(_MOVING.search(reading.folded, sentence_start, sentence_end))
