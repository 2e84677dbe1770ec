"""Identifiers: A-numbers, social security, receipt, case, docket, passport and plate numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import ID, TIER_GENERIC, TIER_SPECIFIC, YEAR, PatternMatch, compile_verbose, digits_of

_ID_BODY = (
    r"(?:[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*(?:[ ]\d+){0,3}"
    r"|[A-Z]{1,4}(?:[-. ]?[A-Z0-9]*\d[A-Z0-9]*)+(?:[-/.][A-Za-z0-9]+)*)"
)
_A_NUMBER = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_-])A[ -]?\#?[ ]?(?:\d{3}[ -]?\d{3}[ -]?\d{3}|\d{8})(?![0-9A-Za-zÀ-ÿ_-]|\.\d)"""
)
_A_NUMBER_CUE = compile_verbose(
    r"""(?i:\b(?:a[- ]?number|a[- ]?\#|alien\s+(?:registration\s+)?(?:number|no\.?|\#)
        |a[- ]file|n[úu]mero\s+a|n[úu]mero\s+de\s+extranjero)(?![0-9A-Za-zÀ-ÿ_]))[^\d\n]{0,6}
        (?P<number>\d{3}[ -]?\d{3}[ -]?\d{2,3})(?![0-9A-Za-zÀ-ÿ_-])"""
)
_SSN = compile_verbose(r"(?<![0-9A-Za-zÀ-ÿ_-])(\d{3})([- ])(\d{2})\2(\d{4})(?![0-9A-Za-zÀ-ÿ_-]|\.\d)")
_SSN_CUE = compile_verbose(
    r"""(?i:\b(?:ssn|ss\#|s\.s\.n\.?|social\s+security(?:\s+(?:number|no\.?|\#|card))?
        |seguro\s+social|s[ée]curit[ée]\s+sociale)(?![0-9A-Za-zÀ-ÿ_]))[^\d\n]{0,45}?
        (?P<number>(?:\d{3}|[xX*]{3})[- ]?(?:\d{2}|[xX*]{2})[- ]?\d{4})(?![0-9A-Za-zÀ-ÿ_-])"""
)
_MASKED_SSN = compile_verbose(r"(?<![0-9A-Za-zÀ-ÿ_-])[xX*]{3}-[xX*]{2}-\d{4}(?![0-9A-Za-zÀ-ÿ_-])")
_RECEIPT = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_-])[A-Z]{3}(?:\d{10}|[- ]\d{2}[- ]?\d{3}[- ]?\d{5}|\d{2}-\d{3}-\d{5})
        (?![0-9A-Za-zÀ-ÿ_-])"""
)
_DOCKET = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_-])(?:\d{1,2}:\d{2}-[A-Za-z]{2,4}-\d{2,6}(?:-[A-Za-z]{1,4})*
        |\d{2,4}-[A-Za-z]{1,4}-\d{3,8}(?:-[A-Za-z0-9]{1,4})?
        |[A-Z]{1,4}-?\d{2,4}-\d{3,8})(?![0-9A-Za-zÀ-ÿ_-])"""
)
# Tokens mixing capitals and at least five digits: passports, NIE, voter keys, court numbers.
_MIXED_TOKEN = compile_verbose(
    r"(?<![0-9A-Za-zÀ-ÿ_./-])[A-Z0-9]+(?:[-./][A-Za-z0-9]+)*(?![0-9A-Za-zÀ-ÿ_-]|[./][A-Za-z0-9])"
)
_LONG_NUMBER = compile_verbose(r"(?<![0-9A-Za-zÀ-ÿ_.,$-])\d{8,}(?![0-9A-Za-zÀ-ÿ_-]|[.,]\d)")
_NUMBER_MARKER = compile_verbose(
    rf"""(?:(?i:\b(?:nos?|n[úu]m|num|n|ind|doc)\.|\bn\.?[ ]?[º°]|\bn[º°]|\b(?:n[úu]mero|numero
        |num[ée]ro|number)\b)|\#|№)[ \t]*:?[ \t]*
        (?P<body>{_ID_BODY})
        (?:[ \t]*(?:,|and|y|e|et)[ \t]+(?P<second>{_ID_BODY}))?"""
)
_ACRONYM_LABEL = compile_verbose(
    rf"""(?<![0-9A-Za-zÀ-ÿ_.])(?P<label>[A-Z]{{2,6}}|(?:[A-Z]\.){{2,3}})[ \t]*(?:\#|:|(?i:no\.?|n[º°]))?
        [ \t]*(?P<body>{_ID_BODY})"""
)
_ID_CUE = compile_verbose(
    rf"""(?P<cue>(?i:\b(?:passport|pasaporte|passeport|passaporte|visa\s+(?:number|no\.?|\#|foil)
        |(?:driver'?s?\s+)?licen[cs]e|dl|cdl|licencia(?:\s+de\s+conducir)?
        |permis(?:\s+de\s+conduire)?|carteira(?:\s+de\s+motorista)?|cnh|state\s+id|id\s+card
        |identification|id|i\.d\.|tarjeta\s+de\s+identidad|c[ée]dula|dpi|dui|curp|rfc|nie|dni
        |nif|rg|cpf|ctps|rnm|nysid|fbi|sid|i-94|ead(?:\s+card)?|sevis|booking|inmate|case|caso
        |docket|index|indictment|file|expediente|carpeta(?:\s+de\s+investigaci[óo]n)?
        |causa(?:\s+penal)?|dossier|processo|process|report|reporte|denuncia|incident|complaint
        |claim|receipt|matter|reference|ref|folio|averiguaci[óo]n|boletim|ocorr[êe]ncia
        |clave(?:\s+de\s+elector)?|ofpra|registre|registro|s[ée]rie|dosar(?:ul)?|az\.)(?![0-9A-Za-zÀ-ÿ_])))
        (?P<filler>(?:[ \t]*(?:(?i:number|num|no|n[º°o]|is|was|of|reads?|ending\s+in|es|era
        |est|[ée]|de|del|d'immatriculation|numero|n[úu]mero|record|penal|criminal|national
        |nacional|bis|du|client[ea]?|victime|la|el|fiscal|extranjer[oa]|foreign|[ée]tranger
        |[a-z]+(?:an[oa]?|ais|aise|ois|oise|ense|[eê]s|esa))\b
        |\#|:|=|-|\.|\())*[ \t]*(?:[a-záéíóúñç]{{2,}}[ \t]+){{0,2}}?)
        (?P<body>{_ID_BODY})"""
)
# The word for a plate in the network's languages: "patente" (Argentina, Chile), "plakang"
# (Tagalog), "plak" (Haitian), "înmatriculare", "г/н" and "госномер", "номерний знак", "biển số".
_PLATE_CUE = compile_verbose(
    r"""(?i:(?<![\w])(?:licen[cs]e\s+)?(?:plates?|tags?|placas?|plaques?|matr[íi]culas?|patentes?
        |immatriculation|plakang|plaka|plak|[îi]nmatriculare|targa|kennzeichen
        |г/н|гос\.?\s*номер(?:ом|а)?|госномер(?:ом|а)?|номерн(?:ой|ий|ым|им)\s+знак(?:ом)?
        |номер(?:ом)?\s+авто(?:мобиля)?|bi[ểe]n\s+s[ốo](?:\s+xe)?)(?![\w]))"""
)
_CYRILLIC_PLATE_LETTER = "АВЕКМНОРСТУХІ"
_PLATE_BODY = compile_verbose(
    rf"""(?<![0-9A-Za-zÀ-ÿА-Яа-я_-])(?:[A-Z0-9{_CYRILLIC_PLATE_LETTER}]{{1,5}}
        (?:[- ][A-Z0-9{_CYRILLIC_PLATE_LETTER}]{{1,5}}){{1,3}}
        |[a-z0-9]{{1,5}}(?:[- ][a-z0-9]{{1,5}}){{1,3}}
        |[A-Za-z0-9]{{5,8}})(?![0-9A-Za-zÀ-ÿА-Яа-я_-])"""
)
_FORM_NAME = re.compile(r"[A-Z]{1,2}-\d{1,4}[A-Z]?|EOIR-\d{1,3}[A-Z]?")
_STATUTE_BEFORE = re.compile(
    r"""(?:§+|\b(?i:secs?|sections?|arts?|articles?|art[íi]culos?|artigos?|rules?|codes?
        |stats?|statutes?|c[óo]digo|ley|lei|loi|chapter|ch|title|ilcs|rcw|ors|mcl|nrs|crs
        |cpl|pc|rsa|ina|vtl|hsc|wic|fc)\.?|(?:U\.?S\.?C|C\.?F\.?R|A\.?R\.?S|K\.?S\.?A
        |O\.?C\.?G\.?A|T\.?C\.?A|R\.?S|O\.?S|G\.?S|R\.?C)\.?)[ \t]*(?:\(\w+\)[ \t]*)*$""",
    re.VERBOSE,
)
# A law named with its number in the network's languages: "Republic Act No. 9208", "Lwa
# CL/2014-0010", "Luật số 69/2020/QH14", "directive 2011/36/UE", "Legea nr. 678/2001", "Закон
# № 3739-VI", "قانون رقم 64". The number is the law's, not a person's: it stays.
_LAW_BEFORE = re.compile(
    r"""(?i:(?<![^\W\d_])(?:acts?|laws?|lwa|dekr[eè]|directives?|directivas?|diretivas?
        |regulations?|reglamentos?|decrees?|d[ée]crets?|decretos?|legea|legii|ordonan[țţt]a
        |hot[ăa]r[âa]rea|batas(?:[ ]+republika)?|r\.[ ]?a\.|lu[ậa]t|ngh[ịi][ ]+[đd][ịi]nh
        |th[ôo]ng[ ]+t[ưu]|quy[ếe]t[ ]+[đd][ịi]nh|закон[а-яёіїє]*|указ[а-яёіїє]*
        |постанов[а-яёіїє]*|кодекс[а-яёіїє]*|ऐन|कानुन|कानून|قانون|القانون|المرسوم|مرسوم|법률|법|法|条例)
        [ \t.,]*(?:(?:no|n[ºo°]|nr|num|n[úu]mero|s[ốo]|số|№|رقم|संख्या|제)[ \t.:]*)?)$""",
    re.VERBOSE,
)


# An Arab law names its subject between the word and the number, and takes prefixes: "بـالقانون
# رقم 64", "قانون مكافحة الاتجار بالبشر رقم 28 لسنة 2012", "المرسوم بقانون اتحادي رقم 9".
_ARABIC_LAW_BEFORE = re.compile(r"(?:قانون|مرسوم|لائحة|نظام)[^\n.،,؛:]{0,60}?رقم[ \t]*$")


def is_law_number(text: str, start: int) -> bool:
    """True when the number starting at start is a law's, named right before it."""
    before = text[max(0, start - 30) : start]
    return bool(_STATUTE_BEFORE.search(before) or _LAW_BEFORE.search(before)
                or _ARABIC_LAW_BEFORE.search(text[max(0, start - 80) : start]))


_CURRENCY_BEFORE = re.compile(r"[$€£¥][ ]?$|(?i:\b(?:usd|mxn|eur|brl|us\$|r\$)[ ]?)$")
_CURRENCY_AFTER = re.compile(
    r"^[ ]?(?i:dollars|d[óo]lares|pesos|reais|euros|€|usd|mxn|eur|brl|quetzales|lempiras)\b"
)
_CALENDAR_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


# National identifiers and plates without a shared shape: Colombian "c.c. 1.036.458.221", Romanian
# "CI seria KT nr. 482913", Korean resident numbers, Chinese 18-digit identity numbers, and plates
# of France (FG-481-KL), Romania (IS-12-BBR), China (京A·12345), Korea (12가 3456), the UK
# (YX19 KLM), Russia (Р417КМ 69), Ukraine (ВК 4417 АІ) and Nepal (बा ५ च ४४१७).
_CEDULA = compile_verbose(
    r"""(?:(?<![0-9A-Za-zÀ-ÿ_.])[cC]\.[ ]?[cC]\.|(?<![0-9A-Za-zÀ-ÿ_])CC(?=[ ]?[:#]?[ ]?\d)
        |(?i:\bc[ée]dula(?:[ ]+de[ ]+ciudadan[íi]a)?))
        [ ]*(?:(?i:no\.?|n[º°]|\#|:)[ ]*)?(?P<body>\d{1,3}(?:\.\d{3}){2,3}|\d{6,10})
        (?![0-9A-Za-zÀ-ÿ_-]|\.\d)"""
)
# The series word goes with the number: "CI: seria MZ nr. 418552", "cărții de identitate seria GL".
_ROMANIAN_IDENTITY_CARD = compile_verbose(
    r"""(?i:\b(?:CI|BI|c[ăa]r(?:te|[țţt]ii)[ ]+de[ ]+identitate|buletin(?:ul)?)[ ]*[,:]?[ ]*)
        (?P<body>(?i:seria)[ ]*[A-Z]{2}[ ]*,?[ ]*(?i:nr\.?|num[ăa]r(?:ul)?)?[ ]*\d{6})(?![0-9A-Za-zÀ-ÿ_])"""
)
_RESIDENT_NUMBER = compile_verbose(r"(?<![0-9A-Za-zÀ-ÿ_-])\d{6}-[1-8]\d{6}(?![0-9A-Za-zÀ-ÿ_-])")
_CJK_LONG_NUMBER = compile_verbose(
    r"(?<=[\u3400-\u9fff\uac00-\ud7af：:])[ ]?(?P<body>\d{8,17}[\dXx])(?![0-9A-Za-zÀ-ÿ_])"
)
_PLATE_SHAPES = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_-])(?:[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}
        |(?:B|AB|AR|AG|BC|BH|BN|BT|BV|BR|BZ|CS|CL|CJ|CT|CV|DB|DJ|GL|GR|GJ|HR|HD|IL|IS|IF|MM|MH|MS|NT
        |OT|PH|SM|SJ|SB|SV|TR|TM|TL|VS|VL|VN)-\d{2,3}-[A-Z]{3})(?![0-9A-Za-zÀ-ÿ_-])
      |(?:[京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝]
        |[吉闽閩贵貴粤粵青藏川宁寧琼瓊])[A-Z][·・.\ ]?[A-Z0-9]{5,6}(?![0-9A-Za-zÀ-ÿ_])
      |(?<![\d])\d{2,3}[\uac00-\ud7af][ ]?\d{4}(?![\d])
      |(?<![0-9A-Za-z])[A-HJ-PR-Y]{2}\d{2}[ ]?[A-HJ-PR-Z]{3}(?![0-9A-Za-z])
      |(?<![\w])[АВЕКМНОРСТУХ]\d{3}[АВЕКМНОРСТУХ]{2}[ ]?\d{2,3}(?![\w])
      |(?<![\w])[АВЕІКМНОРСТХ]{2}[ ]?\d{4}[ ]?[АВЕІКМНОРСТХ]{2}(?![\w])
      |(?<![\S])[\u0915-\u0939][\u093e-\u094c]?[ ]?[०-९]{1,2}[ ]?[\u0915-\u0939][ ]?[०-९]{4}(?![०-९])"""
)
# An IBAN ("RO12 INGB 0000 9999 0412 3487"): a bank account, whole.
_IBAN = compile_verbose(
    r"(?<![0-9A-Za-z])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?(?![0-9A-Za-z])"
)
# Russian and Ukrainian case numbers after "дело №", "справа №" ("дело № 1-77/2024").
_CYRILLIC_CASE_NUMBER = compile_verbose(
    r"""(?<![\w])(?i:дел[оау]|делом|справ[аиіу]|провадження|протокол[ау]?)[ \t]*№[ \t]*
        (?P<body>\d[\dА-ЯA-Z/-]{1,20}\d)(?![\w])"""
)
# Arab registration numbers with their year ("المقيدة برقم ١١٨٧ لسنة ٢٠٢٢"); a law's stays.
_ARABIC_NUMBER_OF_YEAR = compile_verbose(r"(?:ب?رقم)[ \t]*(?P<body>[0-9٠-٩]{1,6}[ \t]*لسنة[ \t]*[0-9٠-٩]{4})")
# Document words of further languages before a number ("паспорт 4510 123456", "hộ chiếu C1234567").
_ID_CUE_MORE = compile_verbose(
    r"""(?:(?<![0-9A-Za-zÀ-ÿ_])(?i:паспорт[а-яё]*|загран|серия|серії|серія|инн|снилс|посвідчення|pa[șs]aport(?:ul)?|buletin(?:ul)?
        |h[ộo][ \t]+chi[ếe]u|cmnd|cccd|c[ăa]n[ \t]+c[ướu][ớo]c|numero[ \t]+paspò|paspò)(?![0-9A-Za-zÀ-ÿ_])
        |护照|護照|身份证|身份證|여권|주민등록번호|외국인등록번호|राहदानी|नागरिकता
        |جواز[ \t]+السفر|رقم[ \t]+الهوية)
        (?:[ \t:：№\#-]*(?:(?i:номер|серия|no\.?|nr\.?|s[ốo]|号码|號碼|번호|नम्बर|رقم|是|는|은)
        (?![0-9A-Za-zÀ-ÿ_])
        |[:：]))*[ \t:：№\#(-]*
        (?P<body>(?:[A-ZА-ЯЁІЇЄҐ]{2}[ \t]*|\d{2}[ ]?\d{2}[ \t]+)?(?:№[ \t]*)?[A-Z]{0,3}\d[\d ]{4,14}[\dXx])
        (?![0-9A-Za-zÀ-ÿ_])"""
)


# Court and police case numbers of Korea and China: "2025고합217", "사건번호 2025형제11842",
# "(2025)川01刑初217号", "南公受字〔2025〕0317号", and numbers after a Korean label ("접수번호:").
_KOREAN_CASE_NUMBER = compile_verbose(
    r"""(?<![0-9])(?:19|20)\d{2}(?:고합|고단|고정|고약|형제|가단|가합|가소|노|도|드단|드합|느단|구합|구단|나|머
        |재|초|카단|카합|타경|형|인|즈단)\d{1,7}호?(?![0-9])"""
)
_KOREAN_NUMBER_LABEL = compile_verbose(
    r"""(?:사건번호|접수번호|수용번호|등록번호|관리번호|신고번호|사건|고유번호)[ \t]*[:：]?[ \t]*
        (?P<body>[A-Z0-9]*\d[A-Z0-9-]{3,20})(?![0-9A-Za-z])"""
)
_CHINESE_CASE_NUMBER = compile_verbose(
    r"""[（(〔\[]\d{4}[)）〕\]][\u4e00-\u9fff]{1,3}\d{0,4}[\u4e00-\u9fff]{1,4}\d{1,6}[号號]
      |(?:[\u4e00-\u9fff]|[（(][\u4e00-\u9fff]{1,2}[)）]){1,5}字[〔（(\[]\d{4}[〕）)\]]\d{1,6}[号號]
      |\d{2,3}年度[\u4e00-\u9fff]{1,4}字第\d{1,7}[号號]"""
)


# Arab court and police case numbers ("محضر رقم ٤٤١٧ لسنة ٢٠٢٥", "القضية رقم ٢٠٢٥/٧٧٨") and plates
# ("رقم اللوحة ز ٤٨٢٩١٣", "لوحة رقم ط ج ر ٤٨٢٥").
_ARABIC_CASE_NUMBER = compile_verbose(
    r"""(?:محضر|القضية|قضية|الدعوى|دعوى|البلاغ|بلاغ|الملف|ملف|الجناية|جناية|الجنحة|جنحة)[ \t]*(?:رقم)?[ \t]*
        (?P<body>[0-9٠-٩]{1,6}(?:/[0-9٠-٩]{1,6})?(?:[ \t]*لسنة[ \t]*[0-9٠-٩]{4})?)"""
)
_ARABIC_PLATE = compile_verbose(
    r"""(?:اللوحة|لوحة|لوحتها|لوحته)(?:[ \t]+رقم)?[ \t]*[:：]?[ \t]*
        (?P<body>(?:[\u0621-\u064a][ \t]*){1,3}[0-9٠-٩]{3,6})"""
)


def _national_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identity numbers and plates in the formats of the network's countries."""
    if re.search("[\u0600-\u06ff]", text):
        for pattern in (_ARABIC_CASE_NUMBER, _ARABIC_PLATE):
            for match in pattern.finditer(text):
                body = match.group("body").rstrip()
                yield PatternMatch(ID, match.start("body"), match.start("body") + len(body), TIER_SPECIFIC)
        for match in _ARABIC_NUMBER_OF_YEAR.finditer(text):
            if not is_law_number(text, match.start("body")):
                yield PatternMatch(ID, match.start("body"), match.end("body"), TIER_SPECIFIC)
    for match in _CYRILLIC_CASE_NUMBER.finditer(text):
        yield PatternMatch(ID, match.start("body"), match.end("body"), TIER_SPECIFIC)
    for match in _IBAN.finditer(text):
        yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    if not text.isascii():
        for pattern in (_KOREAN_CASE_NUMBER, _CHINESE_CASE_NUMBER):
            for match in pattern.finditer(text):
                yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
        for match in _KOREAN_NUMBER_LABEL.finditer(text):
            yield PatternMatch(ID, match.start("body"), match.end("body"), TIER_SPECIFIC)
    for pattern in (_CEDULA, _ROMANIAN_IDENTITY_CARD, _ID_CUE_MORE):
        for match in pattern.finditer(text):
            body = match.group("body").rstrip()
            yield PatternMatch(ID, match.start("body"), match.start("body") + len(body), TIER_SPECIFIC)
    for pattern in (_RESIDENT_NUMBER, _PLATE_SHAPES):
        for match in pattern.finditer(text):
            yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    if not text.isascii():
        for match in _CJK_LONG_NUMBER.finditer(text):
            yield PatternMatch(ID, match.start("body"), match.end("body"), TIER_GENERIC)


# Numbers whose shape is an identifier's wherever they stand: file numbers with two slashes that
# are no date ("3345/118/2024", "755/1123/24"), card numbers in four groups of four ("5168 7555
# 0123 4471", a PhilSys or bank card), and long hyphenated registry numbers ("19950314-01236").
_SLASHED_FILE_NUMBER = re.compile(r"(?<![\w/.-])(\d{1,6})/(\d{1,6})/(\d{2}|(?:19|20)\d{2})(?![\w/]|[.-]\d)")
_FOUR_BY_FOUR = re.compile(r"(?<![\w+-])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?![\w-])")
_LONG_HYPHENATED = re.compile(r"(?<![\w+-])\d{4,}(?:-\d{2,}){1,3}(?![\w-])")
# Parts that belong to an identifier found without them: the series letters before the number
# ("AC 2294411", "FJ 502118", "DP 1123/2024", "серії КС № 512097"), a check letter or digit after it
# ("24-06-31877-D", "R458812(3)").
_SERIES_BEFORE = re.compile(r"(?<![\w])(?:[A-ZА-ЯЁІЇЄҐ]{2,3}|\d{2})[ \t]*(?:№[ \t]*)?$|№[ \t]*$")
_CHECK_AFTER = re.compile(r"-[A-Z](?![\w-])|\([0-9A-Z]\)")


def _is_date_triple(first: str, second: str, third: str) -> bool:
    """True when three numbers read as a day, a month and a year in either order."""
    if len(third) == 3:
        return False
    if len(first) == 4 and 1900 <= int(first) <= 2099:
        return 1 <= int(second) <= 12 and 1 <= int(third) <= 32  # "2025/01/08", "२०८१/०५/११"
    day_month = {(int(first), int(second)), (int(second), int(first))}
    return any(1 <= day <= 31 and 1 <= month <= 12 for day, month in day_month)


def _shaped_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identifiers known by their shape alone (see the patterns above)."""
    for match in _SLASHED_FILE_NUMBER.finditer(text):
        if not _is_date_triple(*match.groups()):
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
    for match in _FOUR_BY_FOUR.finditer(text):
        yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
    for match in _LONG_HYPHENATED.finditer(text):
        if len(digits_of(match.group())) >= 12:
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)


def _widened(text: str, match: PatternMatch) -> PatternMatch:
    """An identifier with the series letters before it and the check character after it."""
    start, end = match.start, match.end
    if text[start:end][:1].isdigit():
        series = _SERIES_BEFORE.search(text[max(0, start - 8) : start])
        if series is not None and series.group().strip():
            start -= len(series.group())
    check = _CHECK_AFTER.match(text, end)
    if check is not None:
        end = check.end()
    return PatternMatch(match.type, start, end, match.tier)


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    """Social security number ranges: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    return area not in {"000", "666"} and not area.startswith("9") and group != "00" and serial != "0000"


def _is_identifier_body(text: str, start: int, body: str, minimum_digits: int = 3) -> bool:
    """True for a token that reads as an identifier rather than a year, date, form or statute."""
    digits = digits_of(body)
    if len(digits) < minimum_digits or sum(char.isalnum() for char in body) < 4:
        return False
    if body.isdigit() and YEAR.fullmatch(body):
        return False
    if re.fullmatch(r"(?:19|20)\d{2}[-/](?:19|20)?\d{2}", body) or _CALENDAR_DATE.fullmatch(body):
        return False  # a year range or a date
    if _FORM_NAME.fullmatch(body):
        return False  # a form: I-914, DS-160
    if re.fullmatch(r"\d{1,4}[A-Za-z]?\.\d{1,5}[A-Za-z]?(?:\(\w+\))*", body):
        return False  # a statute section: 440.10, 943.0583
    before = text[max(0, start - 24) : start]
    if is_law_number(text, start) or _CURRENCY_BEFORE.search(before):
        return False
    return not (body.replace(",", "").replace(".", "").isdigit()
                and _CURRENCY_AFTER.match(text[start + len(body) : start + len(body) + 12]))


def _trim_body(body: str) -> str:
    """Drop trailing punctuation and a trailing lone word that is not part of an identifier."""
    return body.rstrip(".-/ ")


def find_identifiers(text: str) -> Iterator[PatternMatch]:
    """A-numbers, SSNs, receipt, case, docket, passport and plate numbers, each with its series
    letters and check character."""
    for match in _identifiers(text):
        yield _widened(text, match)


def _identifiers(text: str) -> Iterator[PatternMatch]:
    """The identifiers as the patterns find them."""
    for pattern in (_A_NUMBER, _RECEIPT, _DOCKET, _MASKED_SSN):
        for match in pattern.finditer(text):
            yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    for match in _A_NUMBER_CUE.finditer(text):
        yield PatternMatch(ID, match.start("number"), match.end("number"), TIER_SPECIFIC)
    for match in _SSN.finditer(text):
        if _valid_ssn(match.group(1), match.group(3), match.group(4)):
            yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    # A number the writer labels as a social security number is removed even when it falls
    # outside the issued ranges (a bought or mistyped number still identifies the person).
    for match in _SSN_CUE.finditer(text):
        yield PatternMatch(ID, match.start("number"), match.end("number"), TIER_SPECIFIC)
    yield from _generic_identifiers(text)
    yield from _cued_identifiers(text)
    yield from _plates(text)
    yield from _national_identifiers(text)
    yield from _shaped_identifiers(text)


def _generic_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identifier-shaped tokens with no cue: capitals mixed with digits, long digit runs."""
    for match in _MIXED_TOKEN.finditer(text):
        token = match.group()
        if not re.search("[A-Z]", token) or len(digits_of(token)) < 5:
            continue
        if _is_identifier_body(text, match.start(), token, minimum_digits=5):
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
    for match in _LONG_NUMBER.finditer(text):
        if _is_identifier_body(text, match.start(), match.group(), minimum_digits=8):
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)


def _cued_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identifiers after a cue word, a number sign or a capitalised document label."""
    for match in _ID_CUE.finditer(text):
        body = _trim_body(match.group("body"))
        if _is_identifier_body(text, match.start("body"), body):
            yield PatternMatch(ID, match.start("body"), match.start("body") + len(body), TIER_GENERIC)
    for match in _NUMBER_MARKER.finditer(text):
        for group in ("body", "second"):
            if match.group(group) is None:
                continue
            body = _trim_body(match.group(group))
            start = match.start(group)
            if _is_identifier_body(text, start, body, minimum_digits=4):
                yield PatternMatch(ID, start, start + len(body), TIER_GENERIC)
    for match in _ACRONYM_LABEL.finditer(text):
        body = _trim_body(match.group("body"))
        start = match.start("body")
        if re.search(r"\d[ \t]*$", text[max(0, match.start() - 6) : match.start()]):
            continue  # "18 U.S.C. 1591": a title number before a code
        if _is_identifier_body(text, start, body, minimum_digits=6):
            yield PatternMatch(ID, start, start + len(body), TIER_GENERIC)


def _plates(text: str) -> Iterator[PatternMatch]:
    """Licence plates after a cue word, within the same sentence."""
    for cue in _PLATE_CUE.finditer(text):
        window_end = cue.end() + 100
        sentence_end = re.search(r"[.;!?](?:\s|$)|\n", text[cue.end() : window_end])
        if sentence_end is not None:
            window_end = cue.end() + sentence_end.start()
        for match in _PLATE_BODY.finditer(text, cue.end(), window_end):
            plate = match.group()
            letters = sum(char.isalpha() for char in plate)
            digits = len(digits_of(plate))
            if digits < 2 or letters < 1 or not 4 <= letters + digits <= 9:
                continue
            if not (plate.isupper() or plate.islower() or plate.isdigit()):
                continue
            if _FORM_NAME.fullmatch(plate):
                continue
            if match.end() == window_end and not re.match(r"\s|[.;!?,]|$", text[window_end:]):
                break  # cut by the window: not a whole plate
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
            break
