"""Contact details: e-mail addresses, social-media handles and phone numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from nlp.pii.common import EMAIL, HANDLE, PHONE, TIER_SPECIFIC, YEAR, PatternMatch, compile_verbose, digits_of
from nlp.pii.name_words import is_common_word, is_never_a_name

# ---------------------------------------------------------------------------
# E-mail and handles
# ---------------------------------------------------------------------------

_EMAIL = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_.+-])[0-9A-Za-zÀ-ÿ_.+-]+(?:@|[ ]?(?:\[at\]|\(at\))[ ]?)[0-9A-Za-z-]+
        (?:(?:\.|[ ]?(?:\[dot\]|\(dot\))[ ]?)[0-9A-Za-z-]+)*(?:\.|[ ]?(?:\[dot\]|\(dot\))[ ]?)
        [A-Za-z]{2,}(?![0-9A-Za-zÀ-ÿ_@])"""
)
_DOT_WORDS = r"(?:dot|punto|point|ponto)"
_SPOKEN_EMAIL_DOMAIN = compile_verbose(
    rf"""(?i:[ ](?:at|arroba|arobase)[ ]+[a-z0-9-]+(?:[ ]+{_DOT_WORDS}[ ]+[a-z0-9-]+)*
        [ ]+{_DOT_WORDS}[ ]+(?:com|net|org|edu|gov|mx|es|fr|br|pt|co|us|ca|uk|de|it|info))
        (?![0-9A-Za-zÀ-ÿ_])"""
)
_AT_HANDLE = compile_verbose(
    r"(?<![0-9A-Za-zÀ-ÿ_@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,29}[A-Za-z0-9_])?(?![0-9A-Za-zÀ-ÿ_@])"
)
_CASHTAG = compile_verbose(r"(?<![0-9A-Za-zÀ-ÿ_$])\$[A-Za-z][A-Za-z0-9_]{2,19}(?![0-9A-Za-zÀ-ÿ_])")
_PROFILE_URL = compile_verbose(
    r"""(?i:\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|twitter|x|snapchat
        |onlyfans|t|wa|linkedin|youtube|telegram|vk|threads)\.(?:com|me|net)/[\w./?=%-]+)"""
)
_HANDLE_CUE = compile_verbose(
    r"""(?P<cue>(?i:\b(?:whats\s?app|telegram|signal|snapchat|snap|sc|ig|insta|instagram|facebook|fb
        |messenger|tiktok|tik\s?tok|twitter|kik|wechat|weixin|line|viber|discord|onlyfans
        |skype|cash\s?app|venmo|zelle|paypal|grindr|tinder|bumble|hinge|skout|meetme|kakao\s?talk
        |reddit|threads|vk|vkontakte|imo|zalo|qq|botim|free\s?fire|roblox|fortnite|xbox|psn|megapersonals|listcrawler
        |skipthegames|user(?:\s?name)?|usuario|usu[áa]rio|utilisateur|pseudo|handle|gamertag
        |screen\s?name|nick(?:name)?|perfil|profile|account|cuenta|compte|conta|cont|contul|contului
        |акаунт[а-яіїє]*|аккаунт[а-яё]*|ник|нік|нікнейм|никнейм)\b))
        (?P<filler>[ \t]*\(?[ \t]*(?:(?i:account|acct|handle|username|user\s?name|user|id
        |profile|page|nick|usuario|cuenta|perfil|compte|conta)[ \t]*)?
        (?:[:=@]|(?i:is|was|as|es|era|est|[ée]|ca|de[ \t]+la|de|з|с|باسم))?[ \t]*["“«'„]?[ \t]*)
        (?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.-]{2,31})"""
)
# Platforms and account words of Chinese, Korean and Arabic, written with no space before the id:
# "微信号：chunyan_qiu78", "카카오톡 ID: haneul_0809", "닉네임이 '강남삼촌77'", "快手（账号ayi_2009）".
_CJK_HANDLE_CUE = compile_verbose(
    r"""(?:微信号|微信ID|微信|微訊|账号|帳號|账户|帳戶|用户名|用戶名|昵称|暱稱|抖音号|抖音|快手号|快手|QQ号|QQ
        |카카오톡|카톡|아이디|닉네임|텔레그램|인스타그램|인스타|라인|페이스북|틱톡|اسم[ \t]+المستخدم|حساب)
        [ \t]*[（(]?[ \t]*(?:ID|id|账号|帳號|아이디)?[ \t]*[:：=]?[ \t]*(?:是|为|為|는|은|이|가)?[ \t]*
        [\"“「'‘]?[ \t]*
        (?P<handle>[A-Za-z0-9_][A-Za-z0-9_.-]{2,31}(?<![.-])|[\uac00-\ud7af]{1,8}\d{1,4})"""
)
_EXPLICIT_HANDLE_MARKERS = ("handle", "user", "usuario", "usuário", "utilisateur", "pseudo",
                            "nick", ":", "=", "@", "as", '"', "“", "«", "'", "(")


def find_emails(text: str) -> Iterator[PatternMatch]:
    """E-mail addresses, also obfuscated ("maria [at] mail [dot] com", "kayla dot m at ...")."""
    for match in _EMAIL.finditer(text):
        yield PatternMatch(EMAIL, match.start(), match.end(), TIER_SPECIFIC)
    for match in _SPOKEN_EMAIL_DOMAIN.finditer(text):
        start = _spoken_local_part_start(text, match.start())
        if start is not None:
            yield PatternMatch(EMAIL, start, match.end(), TIER_SPECIFIC)


def _spoken_local_part_start(text: str, at_position: int) -> int | None:
    """Start of the user part before a spoken ' at ': words joined by 'dot' and trailing digits."""
    tokens = list(re.finditer(r"[\w-]+", text[max(0, at_position - 80) : at_position]))
    offset = max(0, at_position - 80)
    if not tokens or tokens[-1].end() + offset != at_position:
        return None
    index = len(tokens) - 1
    while index > 0:
        joined_by_dot = re.fullmatch(_DOT_WORDS, tokens[index - 1].group(), re.IGNORECASE)
        if joined_by_dot and index >= 2:
            index -= 2  # "kayla dot m"
        elif not joined_by_dot and tokens[index].group().isdigit():
            index -= 1  # "lopez 2003 arroba ...": digits glued to the name part
        else:
            break
    return tokens[index].start() + offset


def find_handles(
    text: str, common_words: frozenset[str] = frozenset()
) -> Iterator[PatternMatch]:
    """Social-media handles, profile links, cash tags and ids after a platform's name."""
    for pattern in (_AT_HANDLE, _CASHTAG, _PROFILE_URL):
        for match in pattern.finditer(text):
            yield PatternMatch(HANDLE, match.start(), match.end(), TIER_SPECIFIC)
    if not text.isascii():
        for match in _CJK_HANDLE_CUE.finditer(text):
            handle = match.group("handle")
            if len(digits_of(handle)) >= 7 and not re.search("[A-Za-z_]", handle):
                continue  # a phone number; the phone recogniser owns it
            yield PatternMatch(HANDLE, match.start("handle"), match.end("handle"), TIER_SPECIFIC)
    for match in _HANDLE_CUE.finditer(text):
        handle = match.group("handle").rstrip(".-")
        filler = match.group("filler").strip().lower()
        cue = match.group("cue").lower()
        looks_like_id = handle.startswith("@") or any(
            char.isdigit() or char in "_." for char in handle
        )
        explicit = any(marker in filler for marker in _EXPLICIT_HANDLE_MARKERS) or cue.startswith(
            ("user", "usuario", "usuário", "utilisateur", "pseudo", "handle", "gamertag", "screen")
        )
        word = handle.lstrip("@")
        if is_never_a_name(word) or is_common_word(word, common_words):
            if not looks_like_id:
                continue
        if not (looks_like_id or (explicit and handle.islower())):
            continue  # a capitalised word after the platform is a profile name, not a handle
        if len(digits_of(handle)) >= 7 and not re.search("[A-Za-z_]", handle):
            continue  # a phone number; the phone recogniser owns it
        start = match.start("handle")
        yield PatternMatch(HANDLE, start, start + len(handle), TIER_SPECIFIC)


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_PHONE_NANP = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_+/.-])(?:\+?1[ .-]?)?(?:[(（][2-9]\d{2}[)）][ .-]?|[2-9]\d{2}[ .-]?)\d{3}[ .-]?\d{4}
        (?:[ ]?(?:ext\.?|x)[ ]?\d{1,5})?(?![0-9A-Za-zÀ-ÿ_/]|[.-]\d)"""
)
_PHONE_INTERNATIONAL = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_+])(?:\+|00)\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![0-9A-Za-zÀ-ÿ_/]|[.-]\d)"""
)
_PHONE_GROUPED = compile_verbose(
    r"""(?<![0-9A-Za-zÀ-ÿ_.,/$§+-])(?:\(\+?\d{2,4}\)[ ]?|\d{2,5}[ .-])(?:\d{2,5}[ .-]){0,4}\d{2,5}
        (?![0-9A-Za-zÀ-ÿ_/]|[.,-]\d)"""
)
_PHONE_CUE = compile_verbose(
    r"""(?i:\b(?:phone|ph|cell|cellphone|cell\s?phone|mobile|tel|telephone|landline|text|txt
        |call|whats\s?app|tel[ée]fono|celular|cel|m[óo]vil|t[ée]l[ée]phone
        |portable|telefone|telem[óo]vel|contato|contacto|contact|fax|هاتف|الهاتف|هاتفه|هاتفها|جوال|الجوال
        |موبايل|تلفون|التلفون|واتساب|رقم[ \t]+لبناني|رقم[ \t]+أردني|رقم[ \t]+سوري|رقم[ \t]+مصري)\b)
        [^\d\n+]{0,12}?
        (?P<number>\+?\(?\d[\d ().-]{5,20}\d)(?![0-9A-Za-zÀ-ÿ_/]|[.-]\d)"""
)
_DATE_SHAPE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def _is_phone_shape(number: str, minimum_digits: int) -> bool:
    """True for a digit group sequence that reads as a phone number rather than a year range."""
    digits = digits_of(number)
    if not minimum_digits <= len(digits) <= 15:
        return False
    groups = re.findall(r"\d+", number)
    if len(groups) > 1 and all(len(group) == 4 and YEAR.fullmatch(group) for group in groups):
        return False  # "2019-2023", "2019 2020 2021"
    if re.fullmatch(r"\d{3}[- ]\d{2}[- ]\d{4}", number):
        return False  # the shape of a social security number
    if re.fullmatch(r"\d{5}-\d{4}", number):
        return False  # a ZIP+4 code
    if _DATE_SHAPE.fullmatch(number) and len(digits) <= 8:
        return False
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}[ T]\d{1,2}", number):
        return False  # a date and the hour after it: "03.03.2025 22:41" in a chat log
    if re.fullmatch(r"(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}[ T]\d{1,2}", number):
        return False  # a date and the hour after it: "2024.06.03 21:40"
    return not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number)  # "1.023.456": a number or an id


# Numbers that reach a service, never a person: toll-free ranges and harmonised hotlines. They are
# kept, as privacy.md keeps public hotlines ("call 1-888-373-7888", "linia verde 0800 800 678").
# Matched on the digits alone, written locally (a country code is not read).
_PUBLIC_NUMBER = re.compile(
    r"1?8(?:00|33|44|55|66|77|88)\d{7}"  # North American toll-free, and Mexico's 800
    r"|0800\d{6,7}"  # toll-free in the UK, Romania, France, Brazil, Ukraine, Argentina and others
    r"|8800\d{7}"  # Russia and Kazakhstan: 8-800
    r"|116\d{3}"  # the European harmonised services: 116 000, 116 006, 116 111
    r"|1[5-8]\d{6}"  # Korean service numbers: 1577-1366, 1588-xxxx, 1644-xxxx
    r"|1[89]00\d{4,8}"  # the Philippines, Vietnam, Australia: 1800 and 1900 numbers
    r"|900\d{6}|800\d{6}"  # Spain's 900, Portugal's 800
    r"|400\d{7}"  # China's 400 service numbers
    r"|1660\d{6,8}"  # Nepal's toll-free numbers
)


# A run of digits; a Korean or Chinese particle may follow straight after ("1577-1366에").
_NUMBER_RUN = re.compile(r"(?<![0-9A-Za-z+])\+?\(?\d[\d ().-]{1,20}\d(?![0-9A-Za-z])")


def is_public_number(number: str) -> bool:
    """True for a toll-free or harmonised service number (it reaches an office, not a person)."""
    digits = "".join(str(unicodedata.digit(char)) for char in number if char.isdigit())
    return bool(_PUBLIC_NUMBER.fullmatch(digits))


def public_numbers(text: str) -> list[tuple[int, int]]:
    """Offsets of the toll-free and harmonised service numbers in text."""
    return [(match.start(), match.end()) for match in _NUMBER_RUN.finditer(text)
            if is_public_number(match.group())]


def find_phones(text: str) -> Iterator[PatternMatch]:
    """Phone numbers in North American and international formats."""
    for match in _PHONE_NANP.finditer(text):
        if _is_phone_shape(match.group(), 10):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_INTERNATIONAL.finditer(text):
        if _is_phone_shape(match.group(), 8):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_GROUPED.finditer(text):
        if len(re.findall(r"\d+", match.group())) >= 2 and _is_phone_shape(match.group(), 9):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_CUE.finditer(text):
        number = match.group("number").rstrip(" .-(")
        if _is_phone_shape(number, 7) and not YEAR.fullmatch(digits_of(number)):
            start = match.start("number")
            yield PatternMatch(PHONE, start, start + len(number), TIER_SPECIFIC)
