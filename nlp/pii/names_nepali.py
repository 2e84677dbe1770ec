"""Nepali names in Devanagari: given names and family or caste names from lists, names after a
title ("श्री", "श्रीमती"), before "भन्ने" ("X भन्ने मान्छे") and before a kin word of address
("दिनेश दाइले", "कमला दिदीको"). A postposition glued to the last word ("थापाले") is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.wordlists import NEPALI_FAMILY_NAMES, NEPALI_GIVEN_NAMES

_WORD = re.compile(r"[\u0900-\u0963\u0971-\u097f\u200c\u200d]+")
_SURNAMES = NEPALI_FAMILY_NAMES
_GIVEN = NEPALI_GIVEN_NAMES
_POSTPOSITIONS = ("हरूलाई", "द्वारा", "बाट", "सँग", "संग", "लाई", "हरू", "ले", "को", "की", "का", "मा",
                  "कै", "नै")
_MIDDLE = frozenset("बहादुर कुमार कुमारी प्रसाद राज माया देवी नाथ लाल मान बिक्रम".split())
_TITLES = frozenset("श्री श्रीमती सुश्री श्रीमान श्रीमान्".split())
_KIN_AFTER = frozenset("दाइ दिदी बहिनी भाइ जी ज्यू साहु काका काकी मामा माइजु फुपू सर म्याडम".split())
# Words that are not names: pronouns, function words, and nouns that come before "अधिकारी"
# ("प्रहरी अधिकारी", an officer) or before a kin word ("मेरो दाइ").
_ORDINARY = frozenset(
    "म मेरो मेरा मेरी हामी हाम्रो तिमी तिम्रो तपाईं तपाईंको उनी उनको उनका उनकी उ उसको उहाँ उहाँको यो त्यो "
    "यस त्यस यी ती र पनि को का की ले लाई मा बाट हो छ छन् थियो थिए थिइन् हुन् हुन भएको गरेको नाम "
    "प्रहरी सरकारी जिल्ला मुख्य प्रमुख प्रशासकीय सहायक निर्वाचन कर वन स्वास्थ्य शिक्षा अध्यागमन श्रम "
    "सम्पर्क सुरक्षा कानुनी कानूनी सामाजिक कल्याण अधिकारी ठूलो सानो जेठो कान्छो माहिलो साइँलो ठूली सानी "
    "जेठी कान्छी माहिली एक दुई तीन एउटा कुनै सबै अरू अर्को आफ्नो आफ्नै नेपाल भारत कतार दुबई मलेसिया "
    "साउदी कुवेत अमेरिका न्युयोर्क काठमाडौं पोखरा ग्राहक सल्लाहकार केस नोट विवरण ठेगाना फोन उमेर "
    "वर्ष साथी श्रीमान श्रीमती दलाल एजेन्ट मालिक साहु छिमेकी वकिल छोरा छोरी आमा बुबा बुवा दाइ दिदी "
    "बहिनी भाइ बोलाउने भन्ने त्यहाँ यहाँ अहिले पहिले त्यसपछि के को कसले कहाँ किन कसरी पुरुष महिला केटा "
    "केटी मान्छे व्यक्ति आफू आफूलाई सबै सबैले उनीहरू उनीहरूले कार्यालय परिसर अदालत ब्युरो विभाग बोर्ड "
    "मन्त्रालय शाखा दूतावास संस्था केन्द्र सरकार मानव बेचबिखन ऐन नियमावली तथा वा अनि एवं हवस् हजुर ठीक "
    "धन्यवाद नमस्ते नमस्कार दर्ता फाराम मिति काम तलब पैसा घर हजार लाख थाहा कि छैन थिएन होइन हुँदैन "
    "अहिले मलाई मसँग मसँगै हाम्रै राहत क्षतिपूर्ति विरुद्ध बिरामी कलेज लागि जन्मी जन्मे जन्मिन् जन्मिए "
    "भएन गरेन".split()
)


def _bare(word: str) -> tuple[str, int]:
    """The word without a postposition glued to it, and the length of that postposition."""
    if word in _SURNAMES or word in _GIVEN:
        return word, 0  # "खड्का" ends like the genitive "का" but is a name
    for ending in _POSTPOSITIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            if stem in _SURNAMES or stem in _GIVEN or stem in _KIN_AFTER or len(stem) >= 3:
                return stem, len(ending)
    return word, 0


def _joined(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    return not text[first.end() : second.start()].strip(" \t")


# Nouns after "नेपाली" and the like that make it the nationality or the language.
_INSTITUTIONS_AFTER = frozenset(
    "दूतावास दूतावासमा दूतावासले दूतावासको भाषा भाषामा नागरिक नागरिकता समुदाय सेना सरकार कामदार "
    "कामदारहरू रुपैयाँ मूलका".split()
)


def _not_a_name_before(word: str) -> bool:
    """True for a word that cannot open a name: "मलेसियास्थित" (located in Malaysia)."""
    return word.endswith("स्थित")


def _institution_after(following: re.Match[str] | None) -> bool:
    return following is not None and following.group() in _INSTITUTIONS_AFTER


# Words for a role or a relation before a name ("परिचालक सरिता खड्का", "सुपरभाइजर रफिकुल",
# "सानी बहिनी सुनमायालाई"), and form labels before one ("कलर:", "कल लिने:").
_ROLE_BEFORE = frozenset(
    "परिचालक कार्यकर्ता सेवाग्राही मालिक मालिकनी सुपरभाइजर सञ्चालक सञ्चालिका एजेन्ट दलाल प्रतिवादी वादी "
    "निरीक्षक अधिकृत साथी साथीहरू भाइ दाइ दाजु दिदी बहिनी आमा बुबा बुवा छोरा छोरी श्रीमान श्रीमती काका "
    "काकी मामा माइजु मदाम घरधनी साहु साहुनी कलर पीडित पीडिता अधिवक्ता वकिल शिक्षक सहयोगी किशोरी "
    "किशोरीहरू नाबालिका नाबालिकाहरू नाबालक भान्जा भान्जी भतिजा भतिजी हजुरआमा हजुरबुबा जेठाजु देवर नन्द "
    "सासू ससुरा ज्वाइँ बुहारी हवल्दार जमदार सिपाही मान्छे".split()
)
_LABEL_BEFORE = re.compile(
    r"(?:कलर|कल[ \t]+लिने|कल[ \t]+गर्ने|फारम[ \t]+भर्ने|कार्यकर्ता|सेवाग्राही|पीडित|प्रतिवादी|वादी|परामर्शदाता"
    r"|अनुवादक|सम्पर्क[ \t]+व्यक्ति)[ \t]*[:：][ \t]*$"
)
# Naming verbs after a name or nickname ("उसलाई दिले भनेर चिनिन्छ", "सबैले अबु फहद भन्थे",
# "\"Sunny\" नामले सेभ गरिएको"), and "उर्फ" (alias) before one.
# "भनेर" and "भन्ने" are also "saying" and "that": they name someone only before "is known",
# "introduced" or a word for a person ("X भन्ने मान्छे").
_NAMED_AFTER = re.compile(
    r"[\"“”'‘’]?[ \t]*(?:(?:भन्छन्|भन्थे|भन्थिन्|भन्थ्यो|भनिने|भनिन्छ|भनिन्थ्यो|नामले|नाम[ \t]+गरेका)"
    r"(?![\u0900-\u097f])|भनेर[ \t]+(?:चिन|बोला|सम्बोधन)|भन्ने[ \t]+(?:मान्छे|केटा|केटी|व्यक्ति|महिला|पुरुष"
    r"|दाइ|दिदी|साथी|एजेन्ट|दलाल|साहु))"
)
_ALIAS_BEFORE = re.compile(r"(?:उर्फ|उपनाम|अर्को[ \t]+नाम)[ \t]*[:：]?[ \t]*[\"“'‘]?$")
# Devanagari initials used as a name ("आर.एम.", "एस.के."), but not the common abbreviations.
_INITIALS = re.compile(r"(?<![\u0900-\u097f.])(?:[\u0900-\u097f]{1,3}\.[ \t]?){2,3}")
_ABBREVIATIONS = frozenset(
    "वि.सं. से.ग्रा. प्र.नि. प्र.ना.नि. प्र.स.नि. प्र.अ. जि.प्र.का. म.न.पा. उ.म.न.पा. गा.पा. न.पा. "
    "ने.रु. भा.रु. अ.दु.अ.आ. नं. ई.सं. इ.सं. मु.नं. मु.न. क.नं.".split()
)


def _name_words_at(text: str, words: list[re.Match[str]], index: int) -> tuple[int, int] | None:
    """A name opening at words[index]: the word, and the family or middle names right after it."""
    if index >= len(words):
        return None
    first = words[index]
    bare, cut = _bare(first.group())
    if cut and first.group().endswith(("मा", "बाट", "सम्म")):
        if not _NAME_CLOSE.match(text, first.end()) or first.group() not in _GIVEN:
            return None  # "भाइ काठमाडौंमा": a place, not a name (but "कल लिने: अनुपमा")
        bare, cut = first.group(), 0
    if bare in _ORDINARY or first.group() in _ORDINARY or bare in _ROLE_BEFORE or bare in _TITLES or len(
        bare
    ) < 2:
        return None
    if text[first.end() : first.end() + 1] == "." or _VERB_ENDING.search(bare):
        return None  # an initial ("आर.एम.") or a verb ("मान्छे आए")
    end = first.end() - cut
    last = index
    while (cut == 0 and last + 1 < len(words) and last - index < 2
           and _joined(text, words[last], words[last + 1])):
        following, following_cut = _bare(words[last + 1].group())
        if following not in _SURNAMES and following not in _MIDDLE:
            break
        last += 1
        end = words[last].end() - following_cut
        cut = following_cut
    # Without a family name after it, an unlisted word must close the phrase as a name does: at a
    # bracket, a comma or the end of the line, before a copula, or with a case ending of a person.
    if last == index and bare not in _GIVEN and cut == 0 and not _NAME_CLOSE.match(text, end):
        return None
    if cut and not first.group().endswith(("ले", "लाई", "को", "की", "का", "सँग", "संग")):
        return None
    return first.start(), end


# Endings of Nepali verbs: a word before "भनेर" that ends so is what was said ("जागिर दिन्छु भनेर").
_VERB_ENDING = re.compile(
    r"(?:छु|छौं|छौ|छ|छन्|छिन्|यो|ए|एँ|इन्|इस्|नु|ने|ला|लान्|न्|ऊँ|औं|होस्|एको|एका|एकी|ेको|ेका|ेकी|रहे"
    r"|सकेका|सकेको|ँदा|ँदै|ेपछि|एपछि|ियो|न्थ्यो)$"
)


_NAME_CLOSE = re.compile(r"[ \t]*(?:[,()|।:;\n\"“”]|$|(?:हो|हुन्|थिए|थियो|थिइन्|छन्)(?![\u0900-\u097f]))")


def _is_case_marked(word: str) -> bool:
    """True for an ordinary word or a word with a case ending ("सबैले", "उसलाई"); a short name that
    only ends like one ("दिले") is not."""
    if word in _ORDINARY:
        return True
    ending = re.search(r"(?:ले|लाई|को|मा|हरू)$", word)
    if ending is None:
        return False
    stem = word[: ending.start()]
    return stem in _ORDINARY or len(stem) >= 3


def _cued_names(text: str, words: list[re.Match[str]]) -> Iterator[PatternMatch]:
    """Names after a role, a relation or a label, before a naming verb, and after "उर्फ"."""
    for index, match in enumerate(words):
        bare, cut = _bare(match.group())
        next_index = index + 1
        if (bare in _ROLE_BEFORE and cut == 0 and next_index < len(words)
                and not text[match.end() : words[next_index].start()].strip(" \t:")):
            found = _name_words_at(text, words, next_index)
            if found is not None:
                yield PatternMatch(PERSON, *found, TIER_CUE)
        if _LABEL_BEFORE.search(text[max(0, match.start() - 16) : match.start()]) or _ALIAS_BEFORE.search(
            text[max(0, match.start() - 10) : match.start()]
        ):
            found = _name_words_at(text, words, index)
            if found is not None:
                yield PatternMatch(PERSON, *found, TIER_CUE)
        if cut == 0 and _NAMED_AFTER.match(text, match.end()) and not _is_case_marked(bare) and (
            not _VERB_ENDING.search(bare) and not re.search(r"[०-९0-9][ \t]*$", text[: match.start()])
        ):
            start = match.start()
            # "अबु फहद भन्थे": one more name word before, if it is not a word of the sentence.
            if index > 0 and _joined(text, words[index - 1], match):
                before, before_cut = _bare(words[index - 1].group())
                if before_cut == 0 and not _is_case_marked(before) and before not in _ROLE_BEFORE and (
                    not before.endswith(("ई", "ए")) and not _VERB_ENDING.search(before)
                ):
                    start = words[index - 1].start()
            yield PatternMatch(PERSON, start, match.end(), TIER_CUE)
    for initials in _INITIALS.finditer(text):
        compact = initials.group().replace(" ", "").strip()
        if compact not in _ABBREVIATIONS and not any(compact.startswith(a) for a in _ABBREVIATIONS):
            yield PatternMatch(PERSON, initials.start(), initials.start() + len(initials.group().rstrip()),
                               TIER_CUE)


def find_nepali_names(text: str) -> Iterator[PatternMatch]:
    """Nepali names (see the module docstring)."""
    words = list(_WORD.finditer(text))
    yield from _cued_names(text, words)
    for index, match in enumerate(words):
        word = match.group()
        bare, cut = _bare(word)
        previous = words[index - 1] if index > 0 and _joined(text, words[index - 1], match) else None
        following = (words[index + 1] if index + 1 < len(words) and _joined(text, match, words[index + 1])
                     else None)
        if bare in _SURNAMES and previous is not None and (
            _not_a_name_before(previous.group()) or (cut == 0 and _institution_after(following))
        ):
            continue  # "मलेसियास्थित नेपाली दूतावास": the nationality, not the family name
        if bare in _SURNAMES and previous is not None:
            first = previous
            if previous.group() in _ORDINARY or previous.group() in _TITLES:
                if bare == "अधिकारी" or previous.group() not in _TITLES:
                    continue
            start = previous.start()
            # "हरि बहादुर थापा": a middle name and the given name before it go with the surname.
            if previous.group() in _MIDDLE and index > 1 and _joined(text, words[index - 2], previous):
                start = words[index - 2].start()
            elif (index > 1 and _joined(text, words[index - 2], previous)
                  and words[index - 2].group() in _GIVEN):
                start = words[index - 2].start()
            if first.group() in _TITLES:
                start = match.start()
            yield PatternMatch(PERSON, start, match.end() - cut, TIER_CUE)
            continue
        if word in _TITLES and following is not None and following.group() not in _ORDINARY:
            end_index = index + 1
            while end_index + 1 < len(words) and end_index - index < 3 and _joined(
                text, words[end_index], words[end_index + 1]
            ) and _bare(words[end_index + 1].group())[0] in _SURNAMES | _MIDDLE:
                end_index += 1
            last = words[end_index]
            yield PatternMatch(PERSON, following.start(), last.end() - _bare(last.group())[1], TIER_CUE)
            continue
        if following is not None and bare not in _ORDINARY and cut == 0:
            after, _ = _bare(following.group())
            if after in _KIN_AFTER or following.group() == "भन्ने":
                yield PatternMatch(PERSON, match.start(), match.end(), TIER_CUE)
                continue
        if bare in _GIVEN:
            yield PatternMatch(PERSON, match.start(), match.end() - cut, TIER_CUE)
